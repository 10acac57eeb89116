"""Benchmark: cold load of the demo's metadata playground in headless Chromium (median of 5).

Starts ``build/demo.py`` on a temporary bundle and data folder, signs the demo user in once, then loads
``/playground.html`` signed in, each time in a new Chromium process (nothing cached: no HTTP cache, no
PyScript package cache; only the sign-in's localStorage is carried over). Prints ms since navigation
start for each boot step the page shows, until the user's metadata is on screen.
Usage: ``python build/bench_demo.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import versions
from playwright.sync_api import Browser, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
READY = "document.body.dataset.state === 'ready' || (window.demoTimings || {}).failed"
COLUMNS = [("runtime:done", "runtime"), ("packages:done", "packages"), ("sdk_imported", "SDK import"),
           ("connected", "clerk.load()"), ("ready", "page ready")]


def start_demo(site: Path, data: Path) -> tuple[subprocess.Popen[str], str, str, str]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "build" / "demo.py"), "--site", str(site), "--data", str(data),
                             "--port", "0"], stdout=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdout is not None
    url = email = password = ""
    deadline = time.monotonic() + 180
    for line in proc.stdout:
        if line.startswith("Demo: "):
            url = line.split(" ", 1)[1].strip().rstrip("/")
        elif line.startswith("Demo user: "):
            email, _, password = line.split(": ", 1)[1].strip().partition(" / ")
        if line.startswith("Ctrl-C") or time.monotonic() > deadline:
            break
    if not url:
        proc.kill()
        raise SystemExit("bench_demo: the demo did not start")
    return proc, url, email, password


def launch(pw: Playwright) -> Browser:
    return pw.chromium.launch(executable_path=versions.CHROMIUM, headless=True, args=versions.CHROMIUM_ARGS)


def sign_in(pw: Playwright, url: str, email: str, password: str) -> Any:
    browser = launch(pw)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_function(READY, timeout=180_000)
    page.fill("#pw-email", email)
    page.fill("#pw-password", password)
    page.click("#pw-submit")
    page.wait_for_selector("#signed-in:not([hidden])", timeout=60_000)
    state = context.storage_state()
    browser.close()
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        proc, url, email, password = start_demo(Path(tmp) / "site", Path(tmp) / "data")
        try:
            with sync_playwright() as pw:
                state = sign_in(pw, url, email, password)
                for _ in range(args.runs):
                    browser = launch(pw)
                    page = browser.new_context(storage_state=state).new_page()
                    started = time.perf_counter()
                    page.goto(url + "/playground.html")
                    page.wait_for_function(READY, timeout=180_000)
                    wall = (time.perf_counter() - started) * 1000
                    timings = page.evaluate("window.demoTimings")
                    if "failed" in timings or not page.is_visible("#current"):
                        raise SystemExit(f"bench_demo: the playground did not load signed in: {timings}")
                    rows.append({**{key: float(timings[key]) for key, _ in COLUMNS}, "wall": wall})
                    browser.close()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    print(f"cold load of /playground.html, signed in, headless Chromium, median of {len(rows)} "
          "(ms since navigation start; wall = goto() until ready, measured by the script)")
    header = "".join(f"{label:>14}" for _, label in COLUMNS)
    print(f"{'run':>4}{header}{'wall':>10}")
    for i, row in enumerate(rows, 1):
        print(f"{i:>4}" + "".join(f"{row[key]:>14.0f}" for key, _ in COLUMNS) + f"{row['wall']:>10.0f}")
    med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
    print(f"{'med':>4}" + "".join(f"{med[key]:>14.0f}" for key, _ in COLUMNS) + f"{med['wall']:>10.0f}")


if __name__ == "__main__":
    main()
