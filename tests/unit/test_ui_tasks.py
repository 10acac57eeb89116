"""Session tasks on SignIn and SignUp (``clerk_frontend.ui._tasks``): which task a session shows and where the
component goes next, with doubles for the session and the component; the screens themselves are tested in Chromium
(tests/browser/test_components_tasks.py)."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

from clerk_frontend.ui.localization import LOCALES, table


class _Anything(types.ModuleType):
    """A stand-in for the browser's modules: every attribute exists (the DOM is never touched here)."""

    def __getattr__(self, name: str) -> object:
        return None


@pytest.fixture
def tasks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("js", "pyodide", "pyodide.ffi"):
        monkeypatch.setitem(sys.modules, name, _Anything(name))
    before = set(sys.modules)
    try:
        yield importlib.import_module("clerk_frontend.ui._tasks")
    finally:
        for name in set(sys.modules) - before:
            del sys.modules[name]


def session(status: str, *keys: str) -> Any:
    tasks = [{"key": key} for key in keys]
    return types.SimpleNamespace(id="sess_1", status=status, current_task=tasks[0] if tasks else None)


class View:
    """What ``show_next`` uses of SignIn/SignUp, recording where it went."""

    def __init__(self, current: Any, route: str = "", routing: str = "hash") -> None:
        self.clerk = types.SimpleNamespace(session=current)
        self._route, self.routing = route, routing
        self.task_state: Any = "create"
        self.went: list[str] = []
        self.refreshed = self.focused = 0

    def route(self) -> str:
        return self._route

    def page_url(self, route: str = "") -> str:
        return "http://127.0.0.1/app" + (f"#/{route}" if route else "")

    async def go(self, url: str) -> None:
        self.went.append(url)
        self._route = url.partition("#/")[2]

    def refresh(self) -> None:
        self.refreshed += 1

    def focus_on_next_screen(self) -> None:
        self.focused += 1


def test_the_task_shown_is_the_first_of_a_pending_session(tasks: Any) -> None:
    assert tasks.task_of(None) is None
    assert tasks.task_of(session("active")) is None
    assert tasks.task_of(session("pending")) is None  # no task known: shown as signed in
    assert tasks.task_of(session("pending", "choose-organization", "reset-password")) == "choose-organization"
    assert tasks.task_of(session("pending", "reset-password")) == "reset-password"
    assert tasks.task_of(session("pending", "setup-mfa")) == "setup-mfa"
    assert tasks.task_of(session("pending", "some-future-task")) is None
    assert tasks.task_of(session("active", "reset-password")) is None  # the status decides, as clerk-js


async def test_show_next_goes_to_the_task_route_then_leaves_it(tasks: Any) -> None:
    view = View(session("pending", "reset-password"))
    assert await tasks.show_next(view) is True
    assert view.went == ["http://127.0.0.1/app#/tasks/reset-password"]
    assert (view.task_state, view.refreshed, view.focused) == (None, 1, 1)
    # Already on the route: no navigation, only a new screen.
    assert await tasks.show_next(view) is True and len(view.went) == 1 and view.refreshed == 2
    # No task left: off the task route (the component then moves on as after any sign-in).
    view.clerk.session = session("active")
    assert await tasks.show_next(view) is False
    assert view.went[-1] == "http://127.0.0.1/app"
    # Virtual routing never touches the URL.
    virtual = View(session("pending", "choose-organization"), routing="virtual")
    assert await tasks.show_next(virtual) is True and virtual.went == [] and virtual.refreshed == 1
    virtual.clerk.session = None
    assert await tasks.show_next(virtual) is False and virtual.went == []


def test_task_strings_in_every_locale() -> None:
    en = table("en-US")
    keys = [k for k in en if k.startswith(("taskChooseOrganization.", "taskResetPassword.", "taskSetupMfa."))]
    assert len(keys) >= 20
    assert en["taskResetPassword.title"] == "Reset your password"
    for locale in LOCALES:
        for key in keys:
            assert table(locale)[key], (locale, key)
