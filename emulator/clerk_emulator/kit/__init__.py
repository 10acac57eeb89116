"""The testing kit: a Clerk instance, users, testing tokens and signed-in Playwright pages for the tests of
apps built on clerk-frontend (or clerk-js). The pytest plugin (:mod:`clerk_emulator.pytest_plugin`) wires these
into fixtures; the classes also work without pytest (:class:`LocalProcess` alone starts an instance). See
``docs/testing.md``."""

from __future__ import annotations

from .backend import BackendAPI
from .browser import STRATEGIES, ClerkSession, Identity, PageAuth, SignIn, SignOut, cookie_suffix
from .http import ClerkAPIError, ClerkKitError
from .instance import CONFIG_FILE, ClerkInstance, publishable_key_for
from .process import LocalProcess
from .testing_token import TESTING_TOKEN_PARAM, TestingToken, with_testing_token
from .users import ClerkUser, UserFactory, UserMaker, new_test_email

__all__ = [
    "CONFIG_FILE",
    "STRATEGIES",
    "TESTING_TOKEN_PARAM",
    "BackendAPI",
    "ClerkAPIError",
    "ClerkInstance",
    "ClerkKitError",
    "ClerkSession",
    "ClerkUser",
    "Identity",
    "LocalProcess",
    "PageAuth",
    "SignIn",
    "SignOut",
    "TestingToken",
    "UserFactory",
    "UserMaker",
    "cookie_suffix",
    "new_test_email",
    "publishable_key_for",
    "with_testing_token",
]
