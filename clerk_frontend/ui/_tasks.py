"""Session tasks on SignIn and SignUp (docs/components.md). A sign-in or sign-up may leave its session ``pending``
with tasks (``session.current_task``) to do before it is active; as clerk-js, the component then shows the task's
screen (hash route ``#/tasks/<key>``): choose an organization, reset a compromised password, set up an
authenticator app, each with a "Sign out" way out. The component calls :func:`show_next` after ``set_active`` and
after each task, and moves on as after any sign-in once none is left."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from ._kit import Card, Checkbox, Field, Form, bound, button, footer, link_button, run_action

if TYPE_CHECKING:
    from ._dom import Scope
    from .sign_in import SignIn
    from .sign_up import SignUp

    View: TypeAlias = SignIn | SignUp

__all__ = ["screen_key", "screen_task", "show_next", "task_of"]

_PREFIX = {"choose-organization": "taskChooseOrganization", "reset-password": "taskResetPassword",
           "setup-mfa": "taskSetupMfa"}


def task_of(session: Any) -> str | None:
    """The key of a ``pending`` session's first task this UI knows, else None."""
    if session is None or session.status != "pending":
        return None
    key = (session.current_task or {}).get("key")
    return key if key in _PREFIX else None


def screen_key(view: View) -> tuple[Any, ...]:
    """The screen of a pending session: its task's (with what the user chose on it), else "signed in"."""
    session: Any = view.clerk.session
    key = task_of(session)
    state = view.task_state
    if key is None and isinstance(state, tuple) and state[0] == "codes":
        key = "setup-mfa"  # the new backup codes stay until "Continue", though the session is active by now
    if key is None:
        return ("signed_in", session.id if session is not None else None)
    user = view.clerk.user
    orgs = tuple(m.organization.id for m in user.organization_memberships) if user is not None else ()
    return ("task", key, session.id, state, orgs)


async def show_next(view: View) -> bool:
    """After ``set_active`` or a task: show the session's next task (True), else leave the task route (False)."""
    view.task_state = None
    view.focus_on_next_screen()
    key = task_of(view.clerk.session)
    route = view.route()
    if key is None:
        if route.startswith("tasks/"):
            await view.go(view.page_url())
        return False
    if view.routing == "hash" and route != f"tasks/{key}":
        await view.go(view.page_url(f"tasks/{key}"))
    view.refresh()
    return True


def _user(view: View) -> Any:
    return view.clerk.user


def _state(view: View, state: Any) -> None:
    view.task_state = state
    view.focus_on_next_screen()
    view.refresh()


async def _done(view: View) -> None:
    # As clerk-js: set the session again so it comes back with the tasks left, then move on.
    session = view.clerk.session
    if session is not None:
        await view.clerk.set_active(session=session.id)
    await view.signed_in()


def screen_task(view: View, scope: Scope, key: str) -> Any:
    """The screen of task ``key``, with its "Signed in as … Sign out" footer."""
    card = {"choose-organization": _choose, "reset-password": _password, "setup-mfa": _mfa}[key](view, scope)
    from ._user import user_identifier

    prefix = _PREFIX[key]
    card.footer(footer(view, view.t(f"{prefix}.signOut.actionText", identifier=user_identifier(view.clerk.user)),
                       link_button(view, scope, view.t(f"{prefix}.signOut.actionLink"), bound(_sign_out, view))))
    return card.node


async def _sign_out(view: View) -> None:
    clerk = view.clerk
    session, client = clerk.session, clerk.client
    many = client is not None and len(client.signed_in_sessions) > 1
    if await run_action(view, clerk.sign_out(session_id=session.id if many and session is not None else None)):
        await show_next(view)
        view.refresh()


def _choose(view: View, scope: Scope) -> Card:
    from .organization_components import create_form, preview

    t, p = view.t, "taskChooseOrganization."
    user: Any = view.clerk.user
    memberships = list(user.organization_memberships)
    creating = view.task_state == "create" or not memberships
    if creating and not user.create_organization_enabled:
        return Card(view, t(f"{p}organizationCreationDisabled.title"), t(f"{p}organizationCreationDisabled.subtitle"))
    if creating:
        card = Card(view, t(f"{p}createOrganization.title"), t(f"{p}createOrganization.subtitle"))
        card.add(create_form(view, scope, bound(view.signed_in)))
        if memberships:
            card.add(button(view, scope, t(f"{p}createOrganization.formButtonReset"), bound(_state, view, None)))
        return card
    suffix = "" if user.create_organization_enabled else "__createOrganizationDisabled"
    card = Card(view, t(f"{p}chooseOrganization.title"), t(f"{p}chooseOrganization.subtitle{suffix}"))
    items = view.el("ul", "organizationListPreviewItems")
    for membership in memberships:
        org = membership.organization
        node = view.el("button", "organizationListPreviewButton", preview(view, org), cls="cl-button", type="button")
        scope.listen(node, "click", bound(_select, view, org.id))
        items.append(view.el("li", "organizationListPreviewItem", node))
    card.add(items)
    if user.create_organization_enabled:
        card.add(button(view, scope, t(f"{p}chooseOrganization.action__createOrganization"),
                        bound(_state, view, "create"), "organizationListCreateOrganizationActionButton"))
    return card


async def _select(view: View, org_id: str) -> None:
    if await run_action(view, view.clerk.set_active(organization=org_id)):
        await view.signed_in()


def _password(view: View, scope: Scope) -> Card:
    t = view.t
    card = Card(view, t("taskResetPassword.title"), t("taskResetPassword.subtitle"))
    confirm = Field(view, "confirm_password", t("formFieldLabel__confirmPassword"), type="password",
                    autocomplete="new-password")
    fields: list[Any] = [
        Field(view, "new_password", t("formFieldLabel__newPassword"), type="password", autocomplete="new-password"),
        confirm,
        Checkbox(view, "sign_out_of_other_sessions", t("formFieldLabel__signOutOfOtherSessions"), checked=True)]

    async def save(values: dict[str, str]) -> None:
        if values["new_password"] != values["confirm_password"]:
            confirm.set_error(t("formFieldError__notMatchingPasswords"))
            confirm.focus()
            return
        # No current password: the instance takes the new one alone while the old one is marked compromised.
        await _user(view).update_password(new_password=values["new_password"],
                                              sign_out_of_other_sessions=bool(values["sign_out_of_other_sessions"]))
        await _done(view)

    return card.add(Form(view, scope, fields, t("taskResetPassword.formButtonPrimary"), save).node)


def _mfa(view: View, scope: Scope) -> Card:
    # An authenticator app only (clerk-js also offers SMS codes): start, scan or type the key, verify, backup codes.
    t, state, p = view.t, view.task_state, "userProfile.mfaTOTPPage."
    if state is None:
        card = Card(view, t("taskSetupMfa.start.title"), t("taskSetupMfa.start.subtitle"))
        return card.add(button(view, scope, t("taskSetupMfa.start.methodSelection.totp"), bound(_start, view),
                               "formButtonPrimary"))
    card = Card(view, t(f"{p}title"))
    if state[0] == "codes":
        card.alert.show(t(f"{p}successMessage"), "success")
        if state[1]:  # the backup codes the first second factor made, shown once
            card.add(view.el("p", "textSecondary", text=t("userProfile.backupCodePage.subtitle__codelist")),
                     view.el("ul", "backupCodes", *(view.el("li", None, text=code) for code in state[1])))
        return card.add(button(view, scope, t("formButtonPrimary"), lambda _e: run_action(view, _done(view)),
                               "formButtonPrimary"))
    qr = view.el("div", "qrCode")
    scope.spawn(_draw(view, qr, state[2]))
    code = Field(view, "code", t("formFieldLabel__code"), autocomplete="one-time-code", code=True, numeric=True)

    async def verify(values: dict[str, str]) -> None:
        totp = await _user(view).verify_totp(code=values["code"])
        _state(view, ("codes", tuple(totp.backup_codes or ())))

    return card.add(view.el("p", "textSecondary", text=t(f"{p}authenticatorApp.infoText__ableToScan")), qr,
                    view.el("p", "textSecondary", text=t(f"{p}authenticatorApp.infoText__unableToScan")),
                    view.el("p", "text", view.el("code", "totpSecret", text=state[1])),
                    Form(view, scope, [code], t("formButtonPrimary__verify"), verify).node,
                    button(view, scope, t("userProfile.formButtonReset"), bound(_state, view, None)))


async def _start(view: View) -> None:
    async def start() -> None:
        secret = await _user(view).create_totp()
        _state(view, ("totp", str(secret.secret or ""), str(secret.uri or "")))

    await run_action(view, start())


async def _draw(view: View, host: Any, uri: str) -> None:
    from ._user_profile_security import _qr_code

    node = await _qr_code(uri, view.t("userProfile.mfaTOTPPage.authenticatorApp.qrCodeLabel"))
    if node is not None:
        host.replaceChildren(node)
