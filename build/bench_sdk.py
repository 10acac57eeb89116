"""Benchmark: the SDK in Pyodide in headless Chromium against the local Clerk instance.

Prints, side by side in one run:

* ``import clerk_frontend`` + ``Clerk(pk)`` + ``await clerk.load()`` until ``clerk.user`` is ready, measured
  in the page after Pyodide and pydantic are loaded and imported (page reloads of a signed-in client: the
  dev-browser token is kept in ``localStorage``), median of 9 reloads;
* ``update_metadata`` round trip against a raw ``pyfetch`` of the same request (same URL, same form body)
  that reads the body's bytes (the target's baseline), one that also parses the JSON, and the SDK's
  transport alone on the same request (what the rest of the SDK adds is the difference); interleaved in
  rounds whose order rotates, median of N (100) each;
* requests per operation: first ``load()``, a later ``load()``, ``update_metadata``, a cached ``get_token``;
* the SDK wheel's size.

Usage: ``python build/bench_sdk.py [--rounds 100] [--reloads 9]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

import build_bundle  # noqa: E402
import versions  # noqa: E402
from bapi_client import PASSWORD, Backend  # noqa: E402
from browser_harness import boot_harness  # noqa: E402
from clerk_emulator.kit import LocalProcess  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from serve import StaticServer  # noqa: E402

PAGES = ROOT / "tests" / "browser" / "pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100, help="rounds of update_metadata and the raw pyfetch calls")
    parser.add_argument("--reloads", type=int, default=9)
    args = parser.parse_args()
    site = build_bundle.build()
    wheel = next((site / "pyodide").glob("clerk_frontend-*.whl"))
    server = StaticServer([site, PAGES])
    server.start_in_thread()
    with LocalProcess() as emu, \
            sync_playwright() as pw:
        backend = Backend(emu)
        email, _ = backend.new_user("bench")
        browser = pw.chromium.launch(executable_path=versions.CHROMIUM, headless=True, args=versions.CHROMIUM_ARGS)
        context, page = boot_harness(browser, server.url)

        def fapi_count(since: int) -> int:
            return sum(1 for u in page.recorder.requests[since:] if u.startswith(emu.fapi_url))

        mark = len(page.recorder.requests)
        page.run(f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r})
await clerk.load()
""")
        first_load = fapi_count(mark)
        page.run(f"await clerk.sign_in.create(identifier={email!r}, password={PASSWORD!r})")
        mark = len(page.recorder.requests)
        page.run("await clerk.user.update_metadata(unsafe_metadata={'warm': 1})")
        update_requests = fapi_count(mark)
        page.run("await clerk.session.get_token()")
        mark = len(page.recorder.requests)
        page.run("await clerk.session.get_token()")
        cached_token_requests = fapi_count(mark)

        ready_ms: list[list[float]] = []
        later_load = 0
        for _ in range(args.reloads):
            page.page.goto(f"{server.url}/harness.html?noimport")
            page.page.wait_for_function("window.pyReady !== undefined", timeout=120_000)
            mark = len(page.recorder.requests)
            # "pydantic loaded" = imported and its schema machinery warmed by one throwaway model,
            # so the figure is what clerk_frontend itself costs.
            ready_ms.append(page.run(f"""
import time
import pydantic
class _Warm(pydantic.BaseModel):
    x: int
t0 = time.perf_counter()
import clerk_frontend
t1 = time.perf_counter()
clerk = clerk_frontend.Clerk({emu.publishable_key!r})
await clerk.load()
assert clerk.user is not None
t2 = time.perf_counter()
[(t2 - t0) * 1000, (t1 - t0) * 1000, (t2 - t1) * 1000]
"""))
            later_load = fapi_count(mark)

        # Each round runs the SDK call, a raw pyfetch that only reads the bytes (the target's baseline) and one
        # that also parses the JSON (what any consumer of the response pays anyway); the order rotates.
        series = page.run(f"""
import time
from pyodide.http import pyfetch
from clerk_frontend import fapi
user = clerk.user
times = {{"sdk": [], "raw": [], "raw_json": [], "transport": []}}

async def sdk_call(i):
    t0 = time.perf_counter()
    await user.update_metadata(unsafe_metadata={{"n": i}})
    times["sdk"].append((time.perf_counter() - t0) * 1000)

def raw_call(parse):
    async def call(i):
        req = fapi.build_request(clerk.frontend_api_url, "PATCH", "/me/metadata",
                                 form={{"unsafe_metadata": {{"n": i}}}}, session_id=clerk.session.id,
                                 dev_browser_jwt=clerk.dev_browser_jwt)
        t0 = time.perf_counter()
        r = await pyfetch(req.url, method=req.method, body=req.body, headers=req.headers, credentials="include")
        await (r.json() if parse else r.bytes())
        times["raw_json" if parse else "raw"].append((time.perf_counter() - t0) * 1000)
        assert r.status == 200, r.status
    return call

async def transport_call(i):
    req = fapi.build_request(clerk.frontend_api_url, "PATCH", "/me/metadata",
                             form={{"unsafe_metadata": {{"n": i}}}}, session_id=clerk.session.id,
                             dev_browser_jwt=clerk.dev_browser_jwt)
    t0 = time.perf_counter()
    r = await clerk.transport.handle(req)
    times["transport"].append((time.perf_counter() - t0) * 1000)
    assert r.status == 200, r.status

calls = [sdk_call, raw_call(False), raw_call(True), transport_call]
for i in range({args.rounds}):
    for call in calls[i % 4:] + calls[:i % 4]:
        await call(i)
times
""")
        context.close()
        browser.close()
        backend.close()
    server.shutdown()
    server.server_close()

    sdk_med, raw_med, json_med, transport_med = (statistics.median(series[k])
                                                 for k in ("sdk", "raw", "raw_json", "transport"))
    print("SDK in Pyodide in headless Chromium, against the local Clerk instance")
    total, imp, load = (statistics.median(r[i] for r in ready_ms) for i in range(3))
    print(f"import + Clerk() + load() to clerk.user, after pydantic is loaded: median {total:.1f} ms "
          f"(import {imp:.1f} ms, load {load:.1f} ms; runs: {', '.join(f'{r[0]:.0f}' for r in ready_ms)})"
          "  target <= 150 ms")
    print(f"update_metadata round trip: SDK median {sdk_med:.2f} ms, raw pyfetch median {raw_med:.2f} ms, "
          f"ratio {sdk_med / raw_med:.2f}  ({args.rounds} interleaved rounds)  target within 10 %")
    print(f"  (raw pyfetch that also parses the JSON: median {json_med:.2f} ms, SDK ratio to it "
          f"{sdk_med / json_med:.2f})")
    print(f"  (the SDK's transport alone on the same request: median {transport_med:.2f} ms, ratio to raw pyfetch "
          f"{transport_med / raw_med:.2f}; the rest of the SDK adds {sdk_med - transport_med:.2f} ms)")
    print(f"requests: first load() {first_load}, later load() {later_load}, update_metadata {update_requests}, "
          f"cached get_token {cached_token_requests}  target 3 / 2 / 1 / 0")
    with zipfile.ZipFile(wheel) as zf:  # what the wheel would be without clerk_frontend/ui/ (compressed sizes)
        ui = sum(i.compress_size + 30 + len(i.filename) for i in zf.infolist()
                 if i.filename.startswith("clerk_frontend/ui/"))
    size = wheel.stat().st_size
    print(f"SDK wheel: {wheel.name} {size:,} bytes  target <= 150 KB (153,600 bytes) with the components; "
          f"about {size - ui:,} bytes without them  target <= 84 KB (86,016 bytes)")


if __name__ == "__main__":
    main()
