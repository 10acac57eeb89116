"""Fixtures shared by every layer: the offline bundle and its static server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import build_bundle
import pytest
from serve import StaticServer

ROOT = Path(__file__).resolve().parent.parent
TEST_PAGES = Path(__file__).resolve().parent / "browser" / "pages"


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
