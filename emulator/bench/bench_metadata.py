"""Benchmark: ``PATCH /v1/me/metadata`` on the local Clerk instance, from a separate load process.

Starts ``python -m clerk_emulator`` on a free loopback port with a fresh data
folder, fills the store to 10,000 users through BAPI, signs in a few of them,
then a *separate process* sends a bounded number of metadata merges (by count
and by time) over keep-alive connections and reports throughput, latency
percentiles and the emulator's resident memory.

    .venv/bin/python emulator/bench/bench_metadata.py [--users 10000] [--requests 5000]
        [--concurrency 4] [--seconds 30]

Not a test: figures depend on the machine. Results go to docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

PASSWORD = "bench-password-1"


def start_emulator(data: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "clerk_emulator", "--port", "0", "--data", str(data), "--no-seed"],
        stdout=subprocess.PIPE, text=True,
    )
    info: dict[str, str] = {}
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while "Ready" not in info:
        if time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("emulator did not start in 30 s")
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"emulator exited with {proc.wait()}")
        label, _, value = line.strip().partition(": ")
        info[label] = value
    return proc, info


def rss_kb(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":")
            out[key] = int(value.split()[0])
    return out


async def seed(bapi: str, secret: str, users: int, with_password: int) -> list[str]:
    """Create ``users`` users (the first ``with_password`` with a password); return those emails."""
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    emails: list[str] = []
    sem = asyncio.Semaphore(8)
    async with aiohttp.ClientSession(headers=headers) as http:
        async def one(i: int) -> None:
            email = f"bench{i}+clerk_test@example.com"
            body: dict[str, Any] = {"email_address": [email], "unsafe_metadata": {"i": i}}
            if i < with_password:
                body["password"] = PASSWORD
                emails.append(email)
            async with sem, http.post(bapi + "/users", data=json.dumps(body)) as r:
                if r.status != 200:
                    raise SystemExit(f"seeding failed: {r.status} {await r.text()}")
        await asyncio.gather(*(one(i) for i in range(users)))
    return emails


class RawConnection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: the load process should spend its CPU
    sending requests, not in a full client library (the machine has two cores for both sides)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = [f"{method} {target} HTTP/1.1", f"Host: {self.host}:{self.port}",
                f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        payload = await self.reader.readexactly(length)
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def load_process(fapi: str, emails: list[str], total: int, concurrency: int, seconds: float,
                 out: Any) -> None:
    """Runs in its own OS process: sign in, then send the metadata merges and time each one."""
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(fapi)
    host, port = parts.hostname or "127.0.0.1", int(parts.port or 80)

    async def run() -> dict[str, Any]:
        async def _client_cookies(addresses: list[str]) -> list[tuple[str, str]]:
            pairs = []
            for email in addresses:
                jar = aiohttp.CookieJar(unsafe=True)
                async with aiohttp.ClientSession(cookie_jar=jar) as http, http.post(
                        fapi + "/v1/client/sign_ins", data={"identifier": email, "password": PASSWORD}) as r:
                    body = await r.json()
                    if r.status != 200:
                        raise SystemExit(f"sign-in failed: {body}")
                    cookie = next(c.value for c in jar if c.key == "__client")
                    pairs.append((cookie, body["response"]["created_session_id"]))
            return pairs

        cookies = await _client_cookies(emails)
        latencies: list[float] = []
        failures = 0
        remaining = total
        deadline = time.monotonic() + seconds

        async def worker(n: int) -> None:
            nonlocal remaining, failures
            cookie, sid = cookies[n % len(cookies)]
            conn = RawConnection(host, port)
            rnd = random.Random(n)
            target = "/v1/me/metadata?" + urlencode(
                {"_method": "PATCH", "_clerk_session_id": sid, "__clerk_api_version": "2026-05-12"})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"__client={cookie}"}
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                patch = {"counter": rnd.randrange(1000), "prefs": {f"k{rnd.randrange(20)}": rnd.random()}}
                form = urlencode({"unsafe_metadata": json.dumps(patch)}).encode()
                t0 = time.perf_counter()
                status, _ = await conn.request("POST", target, headers, form)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    failures += 1
            conn.close()

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.perf_counter() - started
        return {"latencies": latencies, "elapsed": elapsed, "failures": failures}

    out.put(asyncio.run(run()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=5_000, help="upper bound on measured requests")
    ap.add_argument("--seconds", type=float, default=30.0, help="upper bound on the measured phase")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--signed-in", type=int, default=8, help="users signed in and patched in turn")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="clerk-bench-") as tmp:
        proc, info = start_emulator(Path(tmp) / "data")
        try:
            fapi, bapi, secret = info["Frontend API"], info["Backend API"], info["Secret key"]
            t0 = time.perf_counter()
            emails = asyncio.run(seed(bapi, secret, args.users, args.signed_in))
            seeded_s = time.perf_counter() - t0
            rss_before = rss_kb(proc.pid)
            queue: mp.Queue[Any] = mp.get_context("spawn").Queue()
            loader = mp.get_context("spawn").Process(
                target=load_process, args=(fapi, emails, args.requests, args.concurrency, args.seconds, queue))
            loader.start()
            result = queue.get(timeout=args.seconds + 120)
            loader.join(timeout=30)
            rss_after = rss_kb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        lat = sorted(result["latencies"])
        n = len(lat)
        q = statistics.quantiles(lat, n=100, method="inclusive")
        report = {
            "users_in_store": args.users,
            "seed_seconds": round(seeded_s, 1),
            "requests": n,
            "failures": result["failures"],
            "concurrency": args.concurrency,
            "elapsed_s": round(result["elapsed"], 2),
            "req_per_s": round(n / result["elapsed"], 1),
            "p50_ms": round(q[49] * 1000, 2),
            "p99_ms": round(q[98] * 1000, 2),
            "max_ms": round(lat[-1] * 1000, 2),
            "rss_mb_before_load": round(rss_before["VmRSS"] / 1024, 1),
            "rss_mb_after_load": round(rss_after["VmRSS"] / 1024, 1),
            "rss_mb_peak": round(rss_after["VmHWM"] / 1024, 1),
            "cpus": os.cpu_count(),
        }
        print(json.dumps(report, indent=2))
        ok = (report["req_per_s"] >= 500 and report["p99_ms"] <= 50 and report["rss_mb_peak"] <= 150
              and not result["failures"])
        print("targets (>= 500 req/s, p99 <= 50 ms, RSS <= 150 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
