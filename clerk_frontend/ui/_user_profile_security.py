"""UserProfile's Security page (imported when opened): password, two-step verification (authenticator app with its
QR code, SMS codes, backup codes), passkeys, active devices, deleting the account; and the "Verification required"
step of any sensitive action (:func:`ask`)."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ClerkError, ClerkRuntimeError
from . import _flow as flow
from ._dom import Scope, document, report
from ._kit import Checkbox, Field, Form, bound, button, link_button, run_action

if TYPE_CHECKING:
    from .user_profile import UserProfile

__all__ = ["ask", "build"]


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
    # As clerk-js: under reverification (auth_config) the recent factor stands for the current password.
    ask_current = has_password and not ((view.clerk.environment or {}).get("auth_config") or {}).get("reverification")
    if ask_current:
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
        if ask_current:
            params["current_password"] = values["current_password"]
        await view.guard(lambda: user.update_password(**params))
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
    if attributes.get("phone_number", {}).get("used_for_second_factor"):
        rows.extend(_sms(view, scope))
    if view.codes:
        rows.append(view.el("p", "textSecondary", text=view.t("userProfile.backupCodePage.subtitle__codelist")))
        rows.append(view.el("ul", "backupCodes", *(view.el("li", None, text=code) for code in view.codes)))
    if raw is not None and raw.two_factor_enabled and attributes.get("backup_code", {}).get("enabled"):
        rows.append(view.item(view.t("userProfile.start.mfaSection.backupCodes.headerTitle"), link_button(
            view, scope, view.t("userProfile.start.mfaSection.backupCodes.actionLabel__regenerate"),
            bound(_backup_codes, view), "profileSectionItemAction")))
    return view.section(view.t("userProfile.start.mfaSection.title"), *rows)


def _sms(view: UserProfile, scope: Scope) -> list[Any]:
    """SMS codes as a second factor: the reserved phone numbers, and reserving another verified one."""
    phones = view.user.phone_numbers
    prefix = "userProfile.start.mfaSection.phoneCode"
    rows: list[Any] = []
    for phone in phones:
        if not phone.reserved_for_second_factor:
            continue
        actions = [] if phone.default_second_factor else [link_button(
            view, scope, view.t(f"{prefix}.actionLabel__setDefault"), bound(_sms_default, view, phone),
            "profileSectionItemAction")]
        actions.append(link_button(view, scope, view.t(f"{prefix}.destructiveActionLabel"),
                                   bound(_sms_reserve, view, phone, False), "profileSectionItemAction"))
        rows.append(view.item(view.t("userProfile.mfaPhoneCodePage.itemTitle", identifier=phone.phone_number),
                              *actions, badges=(view.t("badge__default"),) if phone.default_second_factor else ()))
    title = view.t("userProfile.mfaPhoneCodePage.title")
    if view.editing != "sms":
        rows.append(button(view, scope, title, lambda _e: view.edit("sms"), "profileSectionPrimaryButton"))
        return rows
    free = [p for p in phones if not p.reserved_for_second_factor and p.verification is not None
            and p.verification.status == "verified"]
    rows.append(view.el("h4", "pageSubtitle", text=title))
    rows.append(view.el("p", "textSecondary", text=view.t(
        "userProfile.mfaPhoneCodePage.subtitle__availablePhoneNumbers" if free
        else "userProfile.mfaPhoneCodePage.subtitle__unavailablePhoneNumbers")))
    rows.extend(button(view, scope, str(p.phone_number), bound(_sms_reserve, view, p, True), "profileSectionItemAction")
                for p in free)
    rows.append(button(view, scope, view.t("userProfile.formButtonReset"), lambda _e: view.edit(None),
                       "formButtonReset"))
    return rows


async def _sms_reserve(view: UserProfile, phone: Any, reserved: bool) -> None:
    async def reserve() -> None:
        done = await view.guard(lambda: phone.set_reserved_for_second_factor(reserved=reserved))
        view.codes = list(done.backup_codes or []) or None

    if await run_action(view, reserve()):
        view.edit(None, view.t("userProfile.mfaPhoneCodePage.successMessage1" if reserved else
                               "userProfile.mfaPhoneCodePage.removeResource.successMessage",
                               mfaPhoneCode=phone.phone_number))


async def _sms_default(view: UserProfile, phone: Any) -> None:
    if await run_action(view, view.guard(phone.make_default_second_factor)):
        view.edit(None)


async def _start_totp(view: UserProfile) -> None:
    async def start() -> None:
        view.secret = await view.guard(view.user.create_totp)

    if await run_action(view, start()):
        view.edit("totp")


def _totp_form(view: UserProfile, scope: Scope) -> Any:
    secret = view.secret
    prefix = "userProfile.mfaTOTPPage.authenticatorApp"
    qr = view.el("div", "qrCode")
    scope.spawn(_draw_qr(view, qr, str(secret.uri or "")))
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
                   view.el("p", "textSecondary", text=view.t(f"{prefix}.infoText__ableToScan")), qr,
                   info, key, uri, link, view.form(scope, [code], view.t("formButtonPrimary__verify"), verify))


async def _draw_qr(view: UserProfile, host: Any, uri: str) -> None:
    node = await _qr_code(uri, view.t("userProfile.mfaTOTPPage.authenticatorApp.qrCodeLabel"))
    if node is not None:
        host.replaceChildren(node)


async def _disable_totp(view: UserProfile) -> None:
    if await run_action(view, view.guard(view.user.disable_totp)):
        view.edit(None, view.t("userProfile.mfaTOTPPage.removeResource.successMessage"))


async def _backup_codes(view: UserProfile) -> None:
    async def make() -> None:
        view.codes = list((await view.guard(view.user.create_backup_code)).codes or [])

    if await run_action(view, make()):
        view.edit(None)


def _passkeys(view: UserProfile, scope: Scope) -> Any:
    user = view.user
    prefix = "userProfile.start.passkeysSection"
    rows: list[Any] = []
    for passkey in user.passkeys:
        if view.editing == f"rename:{passkey.id}":
            rows.append(_rename_form(view, scope, passkey))
            continue
        rows.append(view.item(passkey.name or "", link_button(
            view, scope, view.t(f"{prefix}.menuAction__rename"), bound(view.edit, f"rename:{passkey.id}"),
            "profileSectionItemAction"), link_button(
            view, scope, view.t(f"{prefix}.menuAction__destructive"), bound(_remove_passkey, view, passkey),
            "profileSectionItemAction")))

    async def add(_event: Any) -> None:
        if await run_action(view, view.guard(user.create_passkey)):
            view.edit(None)

    rows.append(button(view, scope, view.t("userProfile.start.passkeysSection.primaryButton"), add,
                       "profileSectionPrimaryButton"))
    return view.section(view.t("userProfile.start.passkeysSection.title"), *rows)


def _rename_form(view: UserProfile, scope: Scope, passkey: Any) -> Any:
    field = Field(view, "name", view.t("formFieldLabel__passkeyName"), value=passkey.name or "", autocomplete="off")

    async def rename(values: dict[str, str]) -> None:
        await view.guard(lambda: passkey.update(name=values["name"]))
        view.edit(None)

    return view.el("div", None, view.el("h4", "pageSubtitle", text=view.t("userProfile.passkeyScreen.title__rename")),
                   view.el("p", "textSecondary", text=view.t("userProfile.passkeyScreen.subtitle__rename")),
                   view.form(scope, [field], view.t("userProfile.formButtonPrimary__save"), rename))


async def _remove_passkey(view: UserProfile, passkey: Any) -> None:
    if await run_action(view, view.guard(passkey.delete)):
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
    if await run_action(view, view.guard(session.revoke)):
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
        await view.guard(view.user.delete)

    texts = [view.el("p", "text", text=view.t(f"userProfile.deletePage.{key}"))
             for key in ("messageLine1", "messageLine2", "actionDescription")]
    return view.section(title, *texts, view.form(scope, [confirm], view.t("userProfile.deletePage.confirm"), delete))


# -- the authenticator app's QR code ----------------------------------------------------------------------

def _qr_path(matrix: Sequence[Sequence[int]]) -> str:
    # An SVG path of the dark modules: one rectangle per run of dark modules in a row.
    parts = []
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    return "".join(parts)


async def _qr_code(uri: str, label: str) -> Any:
    # The QR code of ``uri`` as an ``<svg>`` named ``label``, or None if segno cannot be loaded (the key and the
    # URI stay on the screen as text).
    try:
        try:
            segno = importlib.import_module("segno")
        except ImportError:
            await importlib.import_module("pyodide_js").loadPackage("segno")
            segno = importlib.import_module("segno")
        matrix = segno.make(uri, error="m", micro=False).matrix
    except Exception as exc:
        report(exc)
        return None
    size = len(matrix) + 8  # a light border of four modules, as scanners need

    def svg(tag: str, **attrs: Any) -> Any:
        node = document.createElementNS("http://www.w3.org/2000/svg", tag)
        for name, value in attrs.items():
            node.setAttribute(name.replace("_", "-"), str(value))
        return node

    root = svg("svg", viewBox=f"-4 -4 {size} {size}", width=200, height=200, role="img", aria_label=label,
               shape_rendering="crispEdges")
    root.append(svg("rect", x=-4, y=-4, width=size, height=size, fill="#fff"),
                svg("path", d=_qr_path(matrix), fill="#000"))
    return root


# -- reverification --------------------------------------------------------------------------------

# The factors the step takes at each level, with their localization keys.
_FACTORS = ({"password": "password", "email_code": "emailCode", "phone_code": "phoneCode", "passkey": "passkey"},
            {"totp": "totpMfa", "phone_code": "phoneCodeMfa", "backup_code": "backupCodeMfa"})
# "Use another method" lists the others in clerk-js's order of each level (first: email, SMS, passkey, password;
# second: authenticator app, SMS, backup code), with its blockButton__ keys.
_ORDER = {"email_code": "emailCode", "totp": "totp", "phone_code": "phoneCode", "passkey": "passkey",
          "password": "password", "backup_code": "backupCode"}


def _webauthn(view: UserProfile) -> bool:
    from ..webauthn import webauthn

    try:
        return bool(webauthn(view.clerk))
    except ClerkError:
        return False


def _key(factor: Any) -> str:
    return f"{factor['strategy']}{factor.get('email_address_id') or factor.get('phone_number_id') or ''}"


async def ask(view: UserProfile, verification: Any) -> None:
    """UserProfile's ``verify`` for :func:`~clerk_frontend.with_reverification`: clerk-js's UserVerification, one
    factor at a time, "Use another method" listing the session's other factors."""
    done: asyncio.Future[None] = asyncio.get_event_loop().create_future()
    title_id = view.new_id("reverify")
    box = view.el("section", "reverification", aria_labelledby=title_id)
    session = verification.session
    scopes = [Scope(view.show_unexpected)]
    state: dict[str, Any] = {}  # status: the level the factor was chosen for; factor; list: "Use another method"
    prepared: set[str] = set()

    def cancel(_event: Any) -> None:
        if not done.done():
            done.set_exception(ClerkRuntimeError("The verification was cancelled.", code="reverification_cancelled"))

    def choose(factor: Any, listing: bool = False) -> None:
        state.update(factor=factor, list=listing)
        show()

    def screen(key: str, *content: Any, focus: Any = None) -> None:
        title = view.el("h3", "profileSectionTitle", id=title_id, tabindex="-1", text=view.t(f"{key}.title"))
        box.replaceChildren(title, view.el("p", "textSecondary", text=view.t(f"{key}.subtitle")),
                            view.el("div", "main", *content))
        (focus or title).focus()

    def step(scope: Scope) -> None:
        second = verification.status == "needs_second_factor"
        keys = _FACTORS[second]
        factors = [f for f in getattr(verification, f"supported_{'second' if second else 'first'}_factors") or ()
                   if f.get("strategy") in keys and (f["strategy"] != "passkey" or _webauthn(view))]
        factors.sort(key=lambda f: not f.get("primary"))
        if state.get("status") != verification.status:  # a new level: clerk-js's starting factor
            strategies = {f["strategy"] for f in factors}
            start = ("passkey" if "passkey" in strategies else flow.starting_first_factor(
                factors, view.instance.preferred_strategy)) if not second else flow.starting_second_factor(factors)
            state.update(status=verification.status, list=False,
                         factor=next((f for f in factors if f["strategy"] == start), None))
        factor = state["factor"]
        if factor is None:
            raise ClerkRuntimeError(view.t("reverification.noAvailableMethods.message"), code="reverification_failed")
        others = sorted((f for f in factors if _key(f) != _key(factor)), key=lambda f: list(_ORDER).index(
            f["strategy"]))
        back = button(view, scope, view.t("userProfile.formButtonReset"), cancel, "formButtonReset")
        if state["list"]:
            label = "reverification.alternativeMethods.blockButton__"
            buttons = [button(view, scope, view.t(label + _ORDER[f["strategy"]], identifier=f.get("safe_identifier")
                                                  or ""), bound(choose, f), "alternativeMethodsBlockButton")
                       for f in others]
            screen("reverification.alternativeMethods", view.el("div", "alternativeMethods", *buttons),
                   link_button(view, scope, view.t("backButton"), bound(choose, factor), "backLink"), back)
            return
        strategy, level = factor["strategy"], "second" if second else "first"
        key = f"reverification.{keys[strategy]}"
        more = [link_button(view, scope, view.t("reverification.password.actionLink" if strategy == "password"
                                                 else "footerActionLink__useAnotherMethod"),
                            bound(choose, factor, True), "alternativeMethodsLink")] if others else []

        async def attempt(values: dict[str, str]) -> None:
            await getattr(session, f"attempt_{level}_factor_verification")(strategy=strategy, **values)
            after()

        def after() -> None:
            if verification.status != "complete":
                show()
            elif not done.done():
                done.set_result(None)

        if strategy == "passkey":
            async def passkey(_event: Any) -> None:
                if await run_action(view, session.verify_with_passkey()):
                    after()

            use = button(view, scope, view.t(f"{key}.blockButton__passkey"), passkey, "formButtonPrimary")
            screen(key, use, *more, back, focus=use)
            return
        ids = {k: factor[k] for k in ("email_address_id", "phone_number_id") if factor.get(k)}

        def prepare(_event: Any = None) -> None:
            prepared.add(_key(factor))
            scope.spawn(run_action(view, getattr(session, f"prepare_{level}_factor_verification")(
                strategy=strategy, **ids)))

        extra = [*more, back]
        if strategy.endswith("_code") and strategy != "backup_code":  # a code sent: resend it
            if _key(factor) not in prepared:
                prepare()
            extra.insert(0, link_button(view, scope, view.t(f"{key}.resendButton"), prepare, "formResendCodeLink"))
        name = "password" if strategy == "password" else "code"
        label = {"password": "formFieldLabel__password", "backup_code": "formFieldLabel__backupCode"}.get(
            strategy, f"{key}.formTitle")
        numeric = strategy not in ("password", "backup_code")
        field = Field(view, name, view.t(label), type="password" if name == "password" else "text",
                      autocomplete="current-password" if name == "password" else "one-time-code", code=numeric,
                      numeric=numeric)
        form = Form(view, scope, [field], view.t("formButtonPrimary"), attempt, extra=extra)
        sent = [view.el("p", "identityPreviewText", text=factor["safe_identifier"])] if "safe_identifier" in factor \
            else []
        screen(key, *sent, form.node, focus=field.input)

    def show() -> None:
        scopes[0].close()
        scopes[0] = Scope(view.show_unexpected)
        if view.alert is not None:
            view.alert.hide()
        try:
            step(scopes[0])
        except Exception as exc:
            if not done.done():
                done.set_exception(exc)

    view.main.prepend(box)
    show()
    try:
        await done
    finally:
        scopes[0].close()
        box.remove()
