"""Fixtures shared by every layer: the offline bundle and its static server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import build_bundle
import pytest
from serve import StaticServer

ROOT = Path(__file__).resolve().parent.parent
TEST_PAGES = Path(__file__).resolve().parent / "browser" / "pages"


# A Chromium renderer crash ("Target crashed") is the browser process dying, not a test failing; on a busy
# 2-core machine it was seen rarely. Browser tests are re-run once for that cause only: any assertion
# failure or Python exception still fails at once.
BROWSER_CRASH_PATTERNS = ["Target crashed", "Target page, context or browser has been closed"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).resolve().parent / "browser"
    for item in items:
        in_browser_dir = browser_dir in Path(str(item.fspath)).resolve().parents
        if in_browser_dir or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=BROWSER_CRASH_PATTERNS))


@pytest.fixture(scope="session")
def bundle_dir() -> Path:
    """The offline site, (re)built from the working tree; a no-op when up to date."""
    return build_bundle.build()


@pytest.fixture(scope="session")
def static_server(bundle_dir: Path) -> Iterator[StaticServer]:
    """The bundle plus the test pages, served on a free loopback port."""
    server = StaticServer([bundle_dir, TEST_PAGES])
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()
