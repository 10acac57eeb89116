"""Every pinned version of the project's outside pieces, in one place.

The bundle builder, the npm installer, the test fixtures and the README all
read from here; change a version here and nowhere else.
"""

from __future__ import annotations

# --- Browser runtime (npm) -------------------------------------------------
PYODIDE = "314.0.7"
PYODIDE_PYTHON = "3.14"
PYODIDE_PYTHON_FULL = "3.14.2"
PYODIDE_PLATFORM = "pyemscripten_2026_0_wasm32"
PYSCRIPT = "0.7.31"

# --- Wheels for the Pyodide platform (PyPI) --------------------------------
# pydantic pins its core exactly; both are listed so a mismatch stops the build.
RUNTIME_WHEELS = {
    "pydantic": "2.14.4",
    "pydantic-core": "2.50.5",
    "typing-extensions": "4.16.0",
    "typing-inspection": "0.4.5",
    "annotated-types": "0.8.0",
    "pyodide-http": "0.2.2",
    "micropip": "0.11.1",
    # QR codes of UserProfile's authenticator-app screen; pure Python, loaded by name only when that screen opens.
    "segno": "1.6.6",
}
# Only for running the unit suite inside Pyodide (never loaded by the site).
TEST_WHEELS = {
    "pytest": "9.2.0",
    "iniconfig": "2.3.1",
    "packaging": "26.4",
    "pluggy": "1.7.0",
    "pygments": "2.21.0",
    "hypothesis": "6.170.17",
    "sortedcontainers": "2.4.0",
}

# --- Official Clerk clients used to prove the local Clerk instance (npm) ----
NODE_PACKAGES = {
    "pyodide": PYODIDE,
    "@pyscript/core": PYSCRIPT,
    "@clerk/backend": "3.25.0",
    "@clerk/clerk-js": "6.40.0",
    # Accessibility rules the browser tests run on every screen of the prebuilt components (never in the bundle).
    "axe-core": "4.14.1",
}
# Packages taken as their registry tarball alone (``npm pack``), without installing their dependencies: @clerk/ui is
# the UI that clerk-js 6.40.0 renders its own components with (the visual reference of the components' browser tests,
# docs/components.md). Its ``dist/ui.browser.js`` bundles everything it needs; an install would fail (its
# @clerk/localizations range is newer than the registry has) and pull ~460 packages that bundle does not use.
NODE_TARBALLS = {
    "@clerk/ui": "1.36.0",
}

# --- Browser ------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
