"""pytest plugin of the testing kit, registered through the ``pytest11`` entry point of ``clerk-emulator``:
installing the distribution is enough, nothing to import. See ``docs/testing.md``.

Fixtures:

* ``clerk_instance`` (session): a local Clerk instance on a free loopback port with its own temporary data
  folder, stopped and removed at the end of the session (also after a failure or Ctrl-C); or, with
  ``--clerk-instance-url``, an instance that is already running. A :class:`~clerk_emulator.kit.ClerkInstance`.
* ``clerk_user``: ``clerk_user(email=None, *, password=…, phone=None, username=None, **fields)`` creates a
  user through the Backend API; every user it made is deleted after the test.
* ``clerk_testing_token``: a fresh :class:`~clerk_emulator.kit.TestingToken` (``.apply(page)`` adds it to the
  page's Frontend API requests).
* ``clerk_sign_in(page, user, strategy="ticket")`` / ``clerk_sign_out(page)``: sign a Playwright page in or
  out, for pages using clerk-frontend or clerk-js (see :mod:`clerk_emulator.kit.browser`).

With pytest-playwright installed (the ``browser`` extra), its browser is Debian's Chromium
(``/usr/bin/chromium``, or ``--clerk-chromium``), launched with ``executable_path``: the kit never downloads a
browser, and ``--browser-channel`` or another engine is refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .kit import (
    ClerkInstance,
    PageAuth,
    SignIn,
    SignOut,
    TestingToken,
    UserFactory,
    UserMaker,
    chromium,
)

__all__ = [
    "clerk_instance",
    "clerk_sign_in",
    "clerk_sign_out",
    "clerk_testing_token",
    "clerk_user",
]

_INSTANCE = pytest.StashKey[ClerkInstance]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("clerk", "Clerk testing kit (clerk-emulator)")
    group.addoption("--clerk-instance-url", default=None, metavar="URL",
                    help="use the Clerk instance already running at URL (its Frontend API origin) instead of "
                         "starting one; keys from CLERK_SECRET_KEY and CLERK_PUBLISHABLE_KEY")
    group.addoption("--clerk-settings", default=None, metavar="FILE",
                    help="instance settings (JSON) for the started local instance (overrides the "
                         "clerk_settings ini value)")
    group.addoption("--clerk-chromium", default=None, metavar="PATH",
                    help=f"Chromium executable for pytest-playwright (default: clerk_chromium ini value, "
                         f"else {chromium.CHROMIUM})")
    parser.addini("clerk_settings", "instance settings (JSON file) for the started local instance", default="")
    parser.addini("clerk_emulator_args", "extra clerk-emulator arguments for the started local instance "
                  "(e.g. --rate-limits)", type="args", default=[])
    parser.addini("clerk_chromium", f"Chromium executable for pytest-playwright (default {chromium.CHROMIUM})",
                  default="")


def pytest_configure(config: pytest.Config) -> None:
    # Registered after pytest-playwright, so that its browser_type_launch_args overrides pytest-playwright's.
    if config.pluginmanager.hasplugin("playwright"):
        config.pluginmanager.register(chromium, "clerk-kit-chromium")
        # pytest-playwright 0.10.0 defines its stand-in base_url fixture (used when pytest-base-url is not
        # installed) as an instance method, which pytest 9 warns about on every run; nothing a user can change.
        config.addinivalue_line("filterwarnings", "ignore:(?s)Session-scoped fixtures defined as instance "
                                "methods are deprecated.*'base_url':pytest.PytestRemovedIn10Warning")


@pytest.fixture(scope="session")
def clerk_instance(pytestconfig: pytest.Config) -> Iterator[ClerkInstance]:
    """The Clerk instance of this test session (see :class:`~clerk_emulator.kit.ClerkInstance`)."""
    url = pytestconfig.getoption("clerk_instance_url")
    if url:
        instance = ClerkInstance.connect(url, publishable_key=os.environ.get("CLERK_PUBLISHABLE_KEY"),
                                         secret_key=os.environ.get("CLERK_SECRET_KEY"))
    else:
        settings = pytestconfig.getoption("clerk_settings") or pytestconfig.getini("clerk_settings") or None
        if settings and not Path(settings).is_absolute():
            base = pytestconfig.rootpath if not pytestconfig.getoption("clerk_settings") else Path.cwd()
            settings = str(base / settings)
        instance = ClerkInstance.start(settings_file=settings, extra_args=pytestconfig.getini("clerk_emulator_args"))
    # A backstop: the config's cleanups run at the very end, even when the session is interrupted.
    pytestconfig.add_cleanup(instance.close)
    pytestconfig.stash[_INSTANCE] = instance
    instance.begin_test()  # created while a test is being set up
    try:
        yield instance
    finally:
        del pytestconfig.stash[_INSTANCE]
        instance.close()


@pytest.fixture(autouse=True)
def _clerk_kit_test_scope(request: pytest.FixtureRequest) -> Iterator[None]:
    # Settings changed during a test are undone after it (ClerkInstance.settings).
    instance = request.config.stash.get(_INSTANCE, None)
    if instance is not None:
        instance.begin_test()
    yield
    instance = request.config.stash.get(_INSTANCE, None)
    if instance is not None:
        instance.end_test()


@pytest.fixture
def clerk_user(clerk_instance: ClerkInstance) -> Iterator[UserFactory]:
    """``clerk_user(email=None, *, password=…, phone=None, username=None, **fields)`` → ``ClerkUser``;
    the users it made are deleted after the test."""
    maker = UserMaker(clerk_instance.bapi)
    yield maker
    maker.cleanup()


@pytest.fixture
def clerk_testing_token(clerk_instance: ClerkInstance) -> TestingToken:
    """A fresh testing token (one hour); ``clerk_testing_token.apply(page)`` adds it to the page's Frontend API
    requests."""
    issued = clerk_instance.bapi.create_testing_token()
    return TestingToken(token=str(issued["token"]), expires_at=int(issued["expires_at"]),
                        fapi_url=clerk_instance.fapi_url)


@pytest.fixture(scope="session")
def _clerk_page_auth(clerk_instance: ClerkInstance) -> PageAuth:
    return PageAuth(clerk_instance)


@pytest.fixture
def clerk_sign_in(_clerk_page_auth: PageAuth) -> SignIn:
    """``clerk_sign_in(page, user, strategy="ticket", *, reload=True)`` → ``ClerkSession``."""
    return _clerk_page_auth.sign_in


@pytest.fixture
def clerk_sign_out(_clerk_page_auth: PageAuth) -> SignOut:
    """``clerk_sign_out(page, *, reload=True)`` → ``True`` when the page had a client to sign out."""
    return _clerk_page_auth.sign_out
