"""Benchmark: cold boot of the offline bundle in headless Chromium (median of 5).

Prints ms from navigation start to Pyodide ready, to packages loaded and to
``import clerk_frontend``, and the bytes the server sent (gzip where accepted).
Each run is a new browser process with ``Cache-Control: no-store``: nothing is
cached between runs. Usage: ``python build/bench_boot.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import build_bundle
import versions
from playwright.sync_api import sync_playwright
from serve import StaticServer

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "browser" / "pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = build_bundle.build()
    server = StaticServer([site, PAGES], no_store=True)
    server.start_in_thread()
    rows: list[dict[str, float]] = []
    try:
        with sync_playwright() as pw:
            for _ in range(args.runs):
                browser = pw.chromium.launch(executable_path=versions.CHROMIUM, headless=True,
                                             args=versions.CHROMIUM_ARGS)
                before = server.bytes_sent
                page = browser.new_page()
                page.goto(f"{server.url}/harness.html")
                page.wait_for_function("window.pyReady !== undefined", timeout=120_000)
                if page.evaluate("window.pyBootError"):
                    raise SystemExit(page.evaluate("window.pyBootError"))
                t = page.evaluate("window.timings")
                rows.append({"ready": t["pyodideReady"], "packages": t["packagesLoaded"],
                             "import": t["imported"], "bytes": server.bytes_sent - before})
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"cold boot, headless Chromium, median of {len(rows)} (ms since navigation start)")
    print(f"{'run':>4} {'pyodide ready':>14} {'packages':>10} {'import':>8} {'bytes':>12}")
    for i, r in enumerate(rows, 1):
        print(f"{i:>4} {r['ready']:>14.0f} {r['packages']:>10.0f} {r['import']:>8.0f} {r['bytes']:>12,.0f}")
    print(f"{'med':>4} {med['ready']:>14.0f} {med['packages']:>10.0f} {med['import']:>8.0f} {med['bytes']:>12,.0f}")
    print(f"stages: runtime {med['ready']:.0f} ms, packages +{med['packages'] - med['ready']:.0f} ms, "
          f"import clerk_frontend +{med['import'] - med['packages']:.0f} ms")


if __name__ == "__main__":
    main()
