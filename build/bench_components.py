"""Benchmark: the prebuilt components in Pyodide in headless Chromium against the local Clerk instance.

Prints, in one run:

* from ``clerk.mount_sign_in(…)`` to an interactive form, on a fresh page after ``await clerk.load()`` (the first
  mount compiles ``clerk_frontend.ui``): the ``mount_sign_in`` call itself (import, build, focus of the first field,
  which makes the browser compute styles and layout) and until the next animation frame (the form on screen),
  median of N page loads; the same call once more on that page (a warm mount);
* the share of the first mount spent importing the components (measured on other page loads, importing them
  before mounting);
* the requests of a full sign-in through the component (identifier, then password) against the same sign-in by
  hand with the SDK;
* the wheel's size, with and without ``clerk_frontend/ui/``.

Usage: ``python build/bench_components.py [--loads 9]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

import build_bundle  # noqa: E402
import strip_sources  # noqa: E402
import versions  # noqa: E402
from bapi_client import PASSWORD, Backend  # noqa: E402
from browser_harness import boot_harness  # noqa: E402
from clerk_emulator.kit import LocalProcess  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from serve import StaticServer  # noqa: E402

PAGES = ROOT / "tests" / "browser" / "pages"

MOUNT = """
import time, js
from clerk_frontend import Clerk
clerk = Clerk({key!r})
await clerk.load()
host = js.document.createElement("div"); js.document.body.append(host)
{before}
t0 = time.perf_counter()
clerk.mount_sign_in(host)
t1 = time.perf_counter()
await js.Promise.new(lambda resolve, reject: js.requestAnimationFrame(resolve))
t2 = time.perf_counter()
assert js.document.activeElement.name == "identifier"
clerk.unmount_sign_in(host)
t3 = time.perf_counter()
clerk.mount_sign_in(host)
t4 = time.perf_counter()
[(t1 - t0) * 1000, (t2 - t0) * 1000, (t4 - t3) * 1000, {imported}]
"""


def wheel_without_ui() -> int:
    """The size of the wheel built from the working tree with ``clerk_frontend/ui/`` left out, stripped for the
    browser as the bundle's wheel is (``strip_sources.py``)."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(ROOT / "clerk_frontend", tree / "clerk_frontend",
                        ignore=lambda folder, names: ["ui", "__pycache__"] if Path(folder).name == "clerk_frontend"
                        else ["__pycache__"])
        (tree / "docs").mkdir()
        shutil.copy(ROOT / "docs" / "package.md", tree / "docs" / "package.md")
        shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
        subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(Path(tmp) / "out")],
                       cwd=tree, check=True, capture_output=True)
        wheel = next((Path(tmp) / "out").glob("*.whl"))
        strip_sources.strip_wheel(wheel)
        return wheel.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=9, help="page loads per measure")
    args = parser.parse_args()
    site = build_bundle.build()
    wheel = next((site / "pyodide").glob("clerk_frontend-*.whl"))
    server = StaticServer([site, PAGES])
    server.start_in_thread()
    with LocalProcess() as emu, \
            sync_playwright() as pw:
        backend = Backend(emu)
        browser = pw.chromium.launch(executable_path=versions.CHROMIUM, headless=True, args=versions.CHROMIUM_ARGS)
        _context, page = boot_harness(browser, server.url)
        first, frame, warm, imports = [], [], [], []
        for run in range(args.loads * 2):
            page.page.goto(f"{server.url}/harness.html")
            page.page.wait_for_function("window.pyReady !== undefined", timeout=120_000)
            timing = run % 2 == 1  # every other load imports the components first, to split the first mount
            before = ("t = time.perf_counter()\nimport clerk_frontend.ui.sign_in\nimported = (time.perf_counter() - t)"
                      " * 1000") if timing else "imported = None"
            got = page.run(MOUNT.format(key=emu.publishable_key, before=before, imported="imported"))
            if timing:
                imports.append(got[3])
            else:
                first.append(got[0])
                frame.append(got[1])
                warm.append(got[2])

        # A full sign-in through the component, then by hand; Frontend API requests of each.
        email, _ = backend.new_user("bench")

        def fapi_since(mark: int) -> list[str]:
            return [u.split("?")[0].removeprefix(emu.fapi_url) for u in page.recorder.requests[mark:]
                    if u.startswith(emu.fapi_url + "/v1/")]

        page.page.goto(f"{server.url}/harness.html")
        page.page.wait_for_function("window.pyReady !== undefined", timeout=120_000)
        page.run(f"""
import js
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r})
await clerk.load()
host = js.document.createElement("div"); js.document.body.append(host)
clerk.mount_sign_in(host)""")
        mark = len(page.recorder.requests)
        page.page.get_by_label("Email address or username").fill(email)
        page.page.keyboard.press("Enter")
        page.page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.page.keyboard.press("Enter")
        page.page.get_by_role("heading", name="You are signed in").wait_for()
        component = fapi_since(mark)
        page.run("await clerk.sign_out()\nNone")
        mark = len(page.recorder.requests)
        page.run(f"sign_in = await clerk.client.sign_in.create(identifier={email!r})\n"
                 f"await sign_in.attempt_first_factor(strategy='password', password={PASSWORD!r})\nNone")
        by_hand = fapi_since(mark)
        browser.close()
    size, without = wheel.stat().st_size, wheel_without_ui()

    def stats(values: list[float]) -> str:
        return f"median {statistics.median(values):.1f} ms ({', '.join(f'{v:.0f}' for v in values)})"

    print(f"first mount_sign_in() call after load():    {stats(first)}")
    print(f"  until the next animation frame:           {stats(frame)}")
    print(f"  of which importing clerk_frontend.ui:     {stats(imports)}")
    print(f"warm mount (second mount on the page):      {stats(warm)}")
    print(f"requests of a sign-in, component / by hand: {len(component)} / {len(by_hand)}  {component}")
    print(f"wheel: {size} bytes; built without clerk_frontend/ui/: {without} bytes (ui/ adds {size - without})")


if __name__ == "__main__":
    main()
