"""UserProfile's Security page (imported when opened): password, two-step verification, passkeys, active devices,
deleting the account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._dom import Scope
from ._kit import Checkbox, Field, bound, button, link_button, run_action

if TYPE_CHECKING:
    from .user_profile import UserProfile

__all__ = ["build"]


def build(view: UserProfile, main: Any, scope: Scope) -> None:
    """Fill ``main`` with the sections the instance enables."""
    user = view.user
    attributes = (view.clerk.environment or {}).get("user_settings", {}).get("attributes", {})
    main.append(view.el("h2", "pageTitle", text=view.t("userProfile.start.headerTitle__security")))
    if attributes.get("password", {}).get("enabled"):
        main.append(_password(view, scope))
    if attributes.get("authenticator_app", {}).get("enabled") or attributes.get("backup_code", {}).get("enabled"):
        main.append(_mfa(view, scope, attributes))
    if attributes.get("passkey", {}).get("enabled") and hasattr(user, "create_passkey"):
        main.append(_passkeys(view, scope))
    main.append(_devices(view, scope))
    if view.instance.delete_self and (user.raw is None or user.raw.delete_self_enabled):
        main.append(_delete(view, scope))


def _password(view: UserProfile, scope: Scope) -> Any:
    user = view.user
    has_password = bool(user.raw is not None and user.raw.password_enabled)
    title = view.t("userProfile.start.passwordSection.title")
    if view.editing != "password":
        key = "primaryButton__updatePassword" if has_password else "primaryButton__setPassword"
        return view.section(title, view.item("••••••••••" if has_password else "", button(
            view, scope, view.t(f"userProfile.start.passwordSection.{key}"), lambda _e: view.edit("password"),
            "profileSectionPrimaryButton")))
    fields: list[Any] = []
    if has_password:
        fields.append(Field(view, "current_password", view.t("formFieldLabel__currentPassword"), type="password",
                            autocomplete="current-password"))
    fields.append(Field(view, "new_password", view.t("formFieldLabel__newPassword"), type="password",
                        autocomplete="new-password"))
    confirm = Field(view, "confirm_password", view.t("formFieldLabel__confirmPassword"), type="password",
                    autocomplete="new-password")
    fields.append(confirm)
    hint_id = view.new_id("hint")
    fields.append(Checkbox(view, "sign_out_of_other_sessions", view.t("formFieldLabel__signOutOfOtherSessions"),
                           checked=True, describedby=hint_id))
    hint = view.el("p", "textSecondary", id=hint_id, text=view.t(
        "userProfile.passwordPage.checkboxInfoText__signOutOfOtherSessions"))

    async def save(values: dict[str, str]) -> None:
        if values["new_password"] != values["confirm_password"]:
            confirm.set_error(view.t("formFieldError__notMatchingPasswords"))
            confirm.focus()
            return
        params: dict[str, Any] = {"new_password": values["new_password"],
                                  "sign_out_of_other_sessions": bool(values["sign_out_of_other_sessions"])}
        if has_password:
            params["current_password"] = values["current_password"]
        await user.update_password(**params)
        view.edit(None, view.t("userProfile.passwordPage.successMessage__update" if has_password
                               else "userProfile.passwordPage.successMessage__set"))

    form = view.form(scope, fields, view.t("userProfile.formButtonPrimary__save"), save)
    form.insertBefore(hint, form.querySelector("button"))
    return view.section(title, form)


def _mfa(view: UserProfile, scope: Scope, attributes: dict[str, Any]) -> Any:
    user = view.user
    raw = user.raw
    rows: list[Any] = []
    if raw is not None and raw.totp_enabled:
        rows.append(view.item(view.t("userProfile.start.mfaSection.totp.headerTitle"), link_button(
            view, scope, view.t("userProfile.start.mfaSection.totp.destructiveActionTitle"),
            bound(_disable_totp, view), "profileSectionItemAction")))
    elif view.editing == "totp" and view.secret is not None:
        rows.append(_totp_form(view, scope))
    elif attributes.get("authenticator_app", {}).get("enabled"):
        rows.append(button(view, scope, view.t("userProfile.start.mfaSection.primaryButton"),
                           bound(_start_totp, view), "profileSectionPrimaryButton"))
    if view.codes:
        rows.append(view.el("p", "textSecondary", text=view.t("userProfile.backupCodePage.subtitle__codelist")))
        rows.append(view.el("ul", "backupCodes", *(view.el("li", None, text=code) for code in view.codes)))
    if raw is not None and raw.two_factor_enabled and attributes.get("backup_code", {}).get("enabled"):
        rows.append(view.item(view.t("userProfile.start.mfaSection.backupCodes.headerTitle"), link_button(
            view, scope, view.t("userProfile.start.mfaSection.backupCodes.actionLabel__regenerate"),
            bound(_backup_codes, view), "profileSectionItemAction")))
    return view.section(view.t("userProfile.start.mfaSection.title"), *rows)


async def _start_totp(view: UserProfile) -> None:
    async def start() -> None:
        view.secret = await view.user.create_totp()

    if await run_action(view, start()):
        view.edit("totp")


def _totp_form(view: UserProfile, scope: Scope) -> Any:
    secret = view.secret
    prefix = "userProfile.mfaTOTPPage.authenticatorApp"
    info = view.el("p", "textSecondary", text=view.t(f"{prefix}.infoText__unableToScan"))
    key = view.el("p", "text", view.el("code", "totpSecret", text=str(secret.secret or "")))
    uri = view.el("p", "textSecondary", text=view.t(f"{prefix}.inputLabel__unableToScan2"))
    link = view.el("p", "text", view.el("code", "totpUri", text=str(secret.uri or "")))
    code = Field(view, "code", view.t("userProfile.mfaTOTPPage.verifyTitle"), autocomplete="one-time-code", code=True,
                 numeric=True)

    async def verify(values: dict[str, str]) -> None:
        totp = await view.user.verify_totp(code=values["code"])
        view.secret = None
        view.codes = list(totp.backup_codes or []) or None
        view.edit(None, view.t("userProfile.mfaTOTPPage.successMessage"))

    return view.el("div", "totpSetup", view.el("h4", "pageSubtitle", text=view.t("userProfile.mfaTOTPPage.title")),
                   info, key, uri, link, view.form(scope, [code], view.t("formButtonPrimary__verify"), verify))


async def _disable_totp(view: UserProfile) -> None:
    if await run_action(view, view.user.disable_totp()):
        view.edit(None, view.t("userProfile.mfaTOTPPage.removeResource.successMessage"))


async def _backup_codes(view: UserProfile) -> None:
    async def make() -> None:
        view.codes = list((await view.user.create_backup_code()).codes or [])

    if await run_action(view, make()):
        view.edit(None)


def _passkeys(view: UserProfile, scope: Scope) -> Any:
    user = view.user
    rows: list[Any] = [view.item(passkey.name or "", link_button(
        view, scope, view.t("userProfile.start.passkeysSection.menuAction__destructive"),
        bound(_remove_passkey, view, passkey), "profileSectionItemAction")) for passkey in user.passkeys]

    async def add(_event: Any) -> None:
        if await run_action(view, user.create_passkey()):
            view.edit(None)

    rows.append(button(view, scope, view.t("userProfile.start.passkeysSection.primaryButton"), add,
                       "profileSectionPrimaryButton"))
    return view.section(view.t("userProfile.start.passkeysSection.title"), *rows)


async def _remove_passkey(view: UserProfile, passkey: Any) -> None:
    if await run_action(view, passkey.delete()):
        view.edit(None)


def _devices(view: UserProfile, scope: Scope) -> Any:
    title = view.t("userProfile.start.activeDevicesSection.title")
    if view.sessions is None:
        scope.spawn(_load_sessions(view))
        return view.section(title, view.el("p", "textSecondary", text=view.t("loading"), aria_busy="true"))
    current = view.clerk.session.id if view.clerk.session else None
    rows: list[Any] = []
    for session in view.sessions:
        activity = getattr(session, "latest_activity", None)
        parts = [getattr(activity, "browser_name", None), getattr(activity, "device_type", None),
                 ", ".join(p for p in (getattr(activity, "city", None), getattr(activity, "country", None)) if p)]
        text = " · ".join(p for p in parts if p) or session.id
        actions = []
        if session.id != current and hasattr(session, "revoke"):
            actions.append(link_button(view, scope, view.t("userProfile.start.activeDevicesSection.destructiveAction"),
                                       bound(_revoke, view, session), "profileSectionItemAction"))
        rows.append(view.item(text, *actions, badges=(view.t("badge__thisDevice"),) if session.id == current else ()))
    return view.section(title, *rows)


async def _load_sessions(view: UserProfile) -> None:
    async def load() -> None:
        view.sessions = list(await view.user.get_sessions())

    if await run_action(view, load()):
        view.refresh()


async def _revoke(view: UserProfile, session: Any) -> None:
    if await run_action(view, session.revoke()):
        view.sessions = None
        view.edit(None)


def _delete(view: UserProfile, scope: Scope) -> Any:
    title = view.t("userProfile.start.dangerSection.title")
    if view.editing != "delete":
        return view.section(title, button(view, scope, view.t("userProfile.start.dangerSection.deleteAccountButton"),
                                          lambda _e: view.edit("delete"), "profileSectionPrimaryButton",
                                          cls="cl-button cl-buttonDanger"))
    word = view.t("userProfile.deletePage.confirm")
    confirm = Field(view, "confirmation", view.t("formFieldLabel__confirmDeletion"), placeholder=word,
                    autocomplete="off")

    async def delete(values: dict[str, str]) -> None:
        if values["confirmation"] != word:
            confirm.set_error(view.t("userProfile.deletePage.actionDescription"))
            confirm.focus()
            return
        await view.user.delete()

    texts = [view.el("p", "text", text=view.t(f"userProfile.deletePage.{key}"))
             for key in ("messageLine1", "messageLine2", "actionDescription")]
    return view.section(title, *texts, view.form(scope, [confirm], view.t("userProfile.deletePage.confirm"), delete))
