"""SignIn's screens after the first (imported on demand): factors, other methods, password reset, second factors,
and the pages the redirect and link flows come back to (``#/sso-callback``, ``#/verify``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import EmailLinkError
from . import _flow as flow
from ._dom import Scope
from ._kit import (
    Card,
    Checkbox,
    Field,
    Form,
    bound,
    button,
    finish_redirect,
    first_factor_identifier,
    link_button,
    run_action,
    social_buttons,
)

if TYPE_CHECKING:
    from .sign_in import SignIn

__all__: list[str] = []

_CODE_STRINGS = {"email_code": "signIn.emailCode", "phone_code": "signIn.phoneCode",
                 "reset_password_email_code": "signIn.forgotPassword",
                 "reset_password_phone_code": "signIn.forgotPassword"}
_SECOND_STRINGS = {"totp": "signIn.totpMfa", "phone_code": "signIn.phoneCodeMfa", "email_code": "signIn.emailCodeMfa",
                   "backup_code": "signIn.backupCodeMfa"}
_ALTERNATIVE_KEYS = {"password": "blockButton__password", "email_code": "blockButton__emailCode",
                     "email_link": "blockButton__emailLink", "phone_code": "blockButton__phoneCode",
                     "passkey": "blockButton__passkey", "totp": "blockButton__totp",
                     "backup_code": "blockButton__backupCode"}


def _factor(factors: Any, strategy: str | None) -> Mapping[str, Any] | None:
    return next((f for f in factors or () if f.get("strategy") == strategy), None)


def identity(view: SignIn, scope: Scope, text: str | None = None) -> Any:
    return view.el("p", "identityPreview",
                   view.el("span", "identityPreviewText", text=text or view.attempt.identifier or ""),
                   link_button(view, scope, view.t("identityPreview.editButton"), view.restart,
                               "identityPreviewEditButton"))


def other_methods(view: SignIn, scope: Scope, current: str | None) -> Any:
    if not (flow.alternative_first_factors(view.attempt.supported_first_factors, current, usable(view))
            or view.instance.social):
        return None
    return link_button(view, scope, view.t("signIn.password.actionLink"),
                       lambda _e: view.choose(None, "alternatives"), "alternativeMethodsLink")


def usable(view: SignIn) -> tuple[str, ...]:
    usable = ("email_link", "email_code", "phone_code", "password")
    return (*usable, "passkey") if hasattr(view.attempt, "authenticate_with_passkey") else usable


def screen_password(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    attempt = view.attempt
    card = Card(view, view.t("signIn.password.title"), view.t("signIn.password.subtitle"))
    card.add(identity(view, scope))
    forgot_link = None
    reset = next((s for s in ("reset_password_email_code", "reset_password_phone_code")
                  if _factor(attempt.supported_first_factors, s)), None)
    if reset and hasattr(attempt, "reset_password"):  # the SDK's password reset (the factors issue)
        forgot_link = link_button(view, scope, view.t("formFieldAction__forgotPassword"), bound(forgot, view, reset),
                                  "formFieldAction")
    password = Field(view, "password", view.t("formFieldLabel__password"), type="password",
                     autocomplete="current-password", placeholder=view.t("formFieldInputPlaceholder__password"),
                     action=forgot_link)

    async def submit(values: dict[str, str]) -> None:
        await attempt.attempt_first_factor(strategy="password", password=values["password"])
        await view.advance(attempt)

    form = Form(view, scope, [password], view.t("formButtonPrimary"), submit).node
    # The identifier, hidden, so password managers store the pair (as clerk-js does).
    form.prepend(view.el("input", None, type="text", name="username", autocomplete="username", hidden=True,
                         tabindex="-1", aria_hidden="true", value=attempt.identifier or ""))
    card.add(form)
    other = other_methods(view, scope, "password")
    if other is not None:
        card.add(other)
    return card.node


def forgot(view: SignIn, reset: str) -> None:
    others = flow.alternative_first_factors(view.attempt.supported_first_factors, "password", usable(view))
    if others or view.instance.social:
        view.choose(reset, "forgot_password")
    else:
        view.choose(reset)


def screen_forgot_password(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    card = Card(view, view.t("signIn.forgotPasswordAlternativeMethods.title"))
    reset = view.choice or "reset_password_email_code"
    card.add(button(view, scope, view.t("signIn.forgotPasswordAlternativeMethods.blockButton__resetPassword"),
                    lambda _e: view.choose(reset), "formButtonPrimary"))
    card.add(view.el("p", "textSecondary",
                     text=view.t("signIn.forgotPasswordAlternativeMethods.label__alternativeMethods")))
    card.add(method_buttons(view, scope, exclude="password"))
    card.add(link_button(view, scope, view.t("backButton"), lambda _e: view.choose(None), "backLink"))
    return card.node


def method_buttons(view: SignIn, scope: Scope, exclude: str | None = None) -> Any:
    box = view.el("div", "alternativeMethods")
    if view.instance.social:
        box.append(social_buttons(view, scope, view.instance.social, view.social, last=view.last_strategy))
    for factor in flow.alternative_first_factors(view.attempt.supported_first_factors, exclude, usable(view)):
        strategy = str(factor["strategy"])
        text = view.t(f"signIn.alternativeMethods.{_ALTERNATIVE_KEYS[strategy]}",
                      identifier=first_factor_identifier(factor, view.attempt.identifier))
        box.append(button(view, scope, text, bound(view.choose, strategy),
                          "alternativeMethodsBlockButton"))
    return box


def screen_alternatives(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    card = Card(view, view.t("signIn.alternativeMethods.title"), view.t("signIn.alternativeMethods.subtitle"))
    card.add(method_buttons(view, scope))
    card.add(link_button(view, scope, view.t("backButton"), lambda _e: view.choose(None), "backLink"))
    return card.node


def prepare(view: SignIn, scope: Scope, strategy: str, second: bool = False, *, again: bool = False) -> None:
    """Send the code of ``strategy`` once per attempt (again on "Resend")."""
    attempt = view.attempt
    key = (attempt.id, strategy, "2" if second else "1")
    if key in view.prepared and not again:
        return
    view.prepared.add(key)
    send = attempt.prepare_second_factor if second else attempt.prepare_first_factor
    scope.spawn(run_action(view, send(strategy=strategy)))


def code_form(view: SignIn, scope: Scope, strategy: str, prefix: str, submit: Any, *, backup: bool = False) -> Any:
    field = Field(view, "code", view.t(f"{prefix}.formTitle"), autocomplete="off" if backup else "one-time-code",
                  code=not backup, numeric=not backup)
    return Form(view, scope, [field], view.t("formButtonPrimary"), submit).node


def screen_code(view: SignIn, scope: Scope, strategy: str) -> Any:
    attempt = view.attempt
    prefix = _CODE_STRINGS[strategy]
    factor = _factor(attempt.supported_first_factors, strategy)
    subtitle = f"{prefix}.subtitle"
    if strategy.startswith("reset_password_"):
        subtitle += "_phone" if strategy.endswith("phone_code") else "_email"
    card = Card(view, view.t(f"{prefix}.title"),
                view.t(subtitle, applicationName=view.instance.application_name))
    card.add(identity(view, scope, first_factor_identifier(factor, attempt.identifier)))
    prepare(view, scope, strategy)

    async def submit(values: dict[str, str]) -> None:
        await attempt.attempt_first_factor(strategy=strategy, code=values["code"])
        await view.advance(attempt)

    card.add(code_form(view, scope, strategy, prefix, submit))
    card.add(link_button(view, scope, view.t(f"{prefix}.resendButton"),
                         lambda _e: prepare(view, scope, strategy, again=True), "formResendCodeLink"))
    other = other_methods(view, scope, strategy)
    if other is not None:
        card.add(other)
    return card.node


screen_reset_code = screen_code


def screen_email_link(view: SignIn, scope: Scope, strategy: str) -> Any:
    attempt = view.attempt
    factor = _factor(attempt.supported_first_factors, "email_link")
    card = Card(view, view.t("signIn.emailLink.title"),
                view.t("signIn.emailLink.subtitle", applicationName=view.instance.application_name))
    card.add(identity(view, scope, first_factor_identifier(factor, attempt.identifier)))
    card.add(view.el("p", "text", text=view.t("signIn.emailLink.formSubtitle")))
    card.add(link_button(view, scope, view.t("signIn.emailLink.resendButton"),
                         lambda _e: view.refresh(force=True), "formResendCodeLink"))
    other = other_methods(view, scope, "email_link")
    if other is not None:
        card.add(other)
    scope.spawn(wait_for_link(view, attempt), cancel_on_close=True)
    return card.node


async def wait_for_link(view: SignIn, attempt: Any) -> None:
    link_flow = attempt.create_email_link_flow()
    if not await run_action(view, link_flow.start(redirect_url=view.page_url("verify"))):
        return
    if link_flow.status == "verified":
        await view.advance(attempt)
    elif link_flow.status == "expired" and view.alert is not None:
        view.alert.show(view.t("formFieldError__verificationLinkExpired"))


def screen_enterprise_sso(view: SignIn, scope: Scope, strategy: str) -> Any:
    return screen_callback(view, scope)


def screen_passkey(view: SignIn, scope: Scope, strategy: str, *, second: bool = False) -> Any:
    # The first factor, or (second) the passkey second factor: authenticate_with_passkey picks the one the sign-in
    # is at, as clerk-js's authenticateWithPasskey does.
    attempt = view.attempt
    card = Card(view, view.t("signIn.passkey.title"), view.t("signIn.passkey.subtitle"))
    if not second:
        card.add(identity(view, scope))

    async def passkey(_event: Any) -> None:
        if await run_action(view, attempt.authenticate_with_passkey()):
            await view.advance(attempt)

    card.add(button(view, scope, view.t("formButtonPrimary"), passkey, "formButtonPrimary"))
    other = _second_others(view, scope, "passkey") if second else other_methods(view, scope, "passkey")
    if other is not None:
        card.add(other)
    return card.node


def screen_new_password(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    attempt = view.attempt
    card = Card(view, view.t("signIn.resetPassword.title"))
    password = Field(view, "password", view.t("formFieldLabel__newPassword"), type="password",
                     autocomplete="new-password")
    confirm = Field(view, "confirm_password", view.t("formFieldLabel__confirmPassword"), type="password",
                    autocomplete="new-password")
    others = Checkbox(view, "sign_out_of_other_sessions", view.t("formFieldLabel__signOutOfOtherSessions"),
                      checked=True)

    async def submit(values: dict[str, str]) -> None:
        if values["password"] != values["confirm_password"]:
            confirm.set_error(view.t("formFieldError__notMatchingPasswords"))
            confirm.focus()
            return
        await attempt.reset_password(password=values["password"],
                                     sign_out_of_other_sessions=bool(values["sign_out_of_other_sessions"]))
        view.announce(view.t("signIn.resetPassword.successMessage"))
        await view.advance(attempt)

    form = Form(view, scope, [password, confirm, others], view.t("signIn.resetPassword.formButtonPrimary"), submit)
    if not hasattr(attempt, "reset_password"):
        card.alert.show(view.t("signIn.noAvailableMethods.message"))
        form.button.disabled = True
    card.add(form.node)
    return card.node


def _second_others(view: SignIn, scope: Scope, current: str) -> Any:
    if not flow.second_factor_choices(view.attempt.supported_second_factors, current):
        return None
    return link_button(view, scope, view.t("signIn.password.actionLink"),
                       lambda _e: view.choose(None, "alternatives"), "alternativeMethodsLink")


def screen_second_factor(view: SignIn, scope: Scope, strategy: str, *, trust: bool = False) -> Any:
    if strategy == "passkey":
        return screen_passkey(view, scope, strategy, second=True)
    attempt = view.attempt
    prefix = _SECOND_STRINGS[strategy]
    card = Card(view, view.t(f"{prefix}.title"), view.t(f"{prefix}.subtitle"))
    if trust:
        card.add(view.el("p", "text", text=view.t("signIn.newDeviceVerificationNotice")))
    if strategy in ("phone_code", "email_code"):
        prepare(view, scope, strategy, second=True)

    async def submit(values: dict[str, str]) -> None:
        await attempt.attempt_second_factor(strategy=strategy, code=values["code"])
        await view.advance(attempt)

    card.add(code_form(view, scope, strategy, prefix, submit, backup=strategy == "backup_code"))
    if strategy in ("phone_code", "email_code"):
        card.add(link_button(view, scope, view.t(f"{prefix}.resendButton"),
                             lambda _e: prepare(view, scope, strategy, True, again=True), "formResendCodeLink"))
    other = None if trust else _second_others(view, scope, strategy)
    if other is not None:
        card.add(other)
    return card.node


def screen_client_trust(view: SignIn, scope: Scope, strategy: str) -> Any:
    return screen_second_factor(view, scope, strategy, trust=True)


def screen_second_alternatives(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    attempt = view.attempt
    card = Card(view, view.t("signIn.alternativeMethods.title"), view.t("signIn.alternativeMethods.subtitle"))
    box = view.el("div", "alternativeMethods")
    for strategy in flow.second_factor_choices(attempt.supported_second_factors, None):
        factor = _factor(attempt.supported_second_factors, strategy)
        text = view.t(f"signIn.alternativeMethods.{_ALTERNATIVE_KEYS[strategy]}",
                      identifier=first_factor_identifier(factor))
        box.append(button(view, scope, text, bound(view.choose, strategy),
                          "alternativeMethodsBlockButton"))
    card.add(box, link_button(view, scope, view.t("backButton"), lambda _e: view.choose(None), "backLink"))
    return card.node


def screen_no_methods(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    card = Card(view, view.t("signIn.noAvailableMethods.title"), view.t("signIn.noAvailableMethods.subtitle"))
    card.add(view.el("p", "text", text=view.t("signIn.noAvailableMethods.message")))
    card.add(link_button(view, scope, view.t("backButton"), view.restart, "backLink"))
    return card.node


def screen_complete(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    return view.screen_loading(scope)


# -- pages the redirect and link flows come back to ------------------------------------------------------


def screen_callback(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    card = Card(view, view.t("signIn.ssoCallback.title"))
    card.node.setAttribute("aria-busy", "true")
    if view.route() == "sso-callback" and "callback" not in view.started:
        view.started.add("callback")
        scope.spawn(callback(view))
    return card.node


async def callback(view: SignIn) -> None:
    sign_up = view.link_url("sign_up_url", "sign_up_url")
    after_sign_up = view.link_url("after_sign_up_url", "") or view.after_url()
    await finish_redirect(
        view, sign_in_url=view.page_url(), sign_up_url=sign_up, sign_in_fallback_redirect_url=view.after_url(),
        sign_up_fallback_redirect_url=after_sign_up, first_factor_url=view.page_url("factor-one"),
        second_factor_url=view.page_url("factor-two"), reset_password_url=view.page_url("reset-password"),
        transferable=bool(view.opts.get("transferable", True)))


def screen_verify(view: SignIn, scope: Scope, _arg: Any = None) -> Any:
    outcome = view.landing
    if outcome is None:
        if "verify" not in view.started:
            view.started.add("verify")
            scope.spawn(verify_link(view))
        card = Card(view, view.t("signIn.emailLink.loading.title"), view.t("signIn.emailLink.loading.subtitle"))
    elif outcome == "verified":
        card = Card(view, view.t("signIn.emailLink.verified.title"), view.t("signIn.emailLink.verified.subtitle"))
    elif outcome == "other_device":
        card = Card(view, view.t("signIn.emailLink.verifiedSwitchTab.titleNewTab"),
                    view.t("signIn.emailLink.verifiedSwitchTab.subtitle"))
    else:
        key = {"expired": "expired", "client_mismatch": "clientMismatch"}.get(outcome, "failed")
        card = Card(view, view.t(f"signIn.emailLink.{key}.title"), view.t(f"signIn.emailLink.{key}.subtitle"))
    return card.node


async def verify_link(view: SignIn) -> None:
    def elsewhere() -> None:
        view.landing = "other_device"

    try:
        result = await view.clerk.handle_email_link_verification(
            redirect_url_complete=view.after_url(), redirect_url=view.page_url("factor-two"),
            on_verified_on_other_device=elsewhere, navigate=view.go)
    except EmailLinkError as exc:
        view.landing = exc.code
    else:
        if result.outcome == "complete":
            view.landing = "verified"
            if view.on_done is not None:
                view.on_done()
    if view.landing == "verified":
        view.announce(view.t("signIn.emailLink.verified.title"))
    view.refresh()
