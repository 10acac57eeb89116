"""SignUp's screens after the first (imported on demand): missing fields, email and phone verification, and the
pages the redirect and link flows come back to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import EmailLinkError
from ._dom import Scope
from ._kit import Card, Field, Form, finish_redirect, link_button, run_action

if TYPE_CHECKING:
    from .sign_up import SignUp

__all__: list[str] = []

_MISSING = ("first_name", "last_name", "username", "email_address", "phone_number", "password")


def _identity(view: SignUp, scope: Scope, text: str) -> Any:
    return view.el("p", "identityPreview", view.el("span", "identityPreviewText", text=text),
                   link_button(view, scope, view.t("identityPreview.editButton"), view.restart,
                               "identityPreviewEditButton"))


def screen_continue(view: SignUp, scope: Scope, _arg: Any = None) -> Any:
    attempt = view.attempt
    missing = list(attempt.missing_fields)
    legal = "legal_accepted" in missing
    only_legal = legal and len(missing) == 1
    card = Card(view, view.t("signUp.legalConsent.continue.title" if only_legal else "signUp.continue.title"),
                view.t("signUp.legalConsent.continue.subtitle" if only_legal else "signUp.continue.subtitle"))
    from .sign_up import FIELDS

    fields: list[Any] = [view.field(name, True) for name in _MISSING if name in missing and name in FIELDS]
    if legal:
        fields.append(view.legal())

    async def submit(values: dict[str, str]) -> None:
        form: dict[str, Any] = {name: value for name, value in values.items() if name != "legal_accepted"}
        if values.get("legal_accepted"):
            form["legal_accepted"] = True
        await attempt.update(**form)
        await view.advance(attempt)

    links = view.legal_links() if legal else None
    card.add(Form(view, scope, fields, view.t("formButtonPrimary"), submit,
                  extra=[links] if links is not None else []).node)
    return card.node


def _prepare(view: SignUp, scope: Scope, strategy: str, *, again: bool = False) -> None:
    attempt = view.attempt
    key = (attempt.id, strategy)
    if key in view.prepared and not again:
        return
    view.prepared.add(key)
    scope.spawn(run_action(view, attempt.prepare_verification(strategy=strategy)))


def _code_screen(view: SignUp, scope: Scope, strategy: str, prefix: str, identifier: str) -> Any:
    attempt = view.attempt
    card = Card(view, view.t(f"{prefix}.title"), view.t(f"{prefix}.subtitle"))
    card.add(_identity(view, scope, identifier))
    _prepare(view, scope, strategy)
    code = Field(view, "code", view.t(f"{prefix}.formTitle"), autocomplete="one-time-code", code=True, numeric=True)

    async def submit(values: dict[str, str]) -> None:
        await attempt.attempt_verification(strategy=strategy, code=values["code"])
        await view.advance(attempt)

    card.add(Form(view, scope, [code], view.t("formButtonPrimary"), submit).node)
    card.add(link_button(view, scope, view.t(f"{prefix}.resendButton"),
                         lambda _e: _prepare(view, scope, strategy, again=True), "formResendCodeLink"))
    return card.node


def screen_verify_email(view: SignUp, scope: Scope, strategy: str) -> Any:
    attempt = view.attempt
    if strategy == "email_code":
        return _code_screen(view, scope, "email_code", "signUp.emailCode", attempt.email_address or "")
    card = Card(view, view.t("signUp.emailLink.title"),
                view.t("signUp.emailLink.subtitle", applicationName=view.instance.application_name))
    card.add(_identity(view, scope, attempt.email_address or ""))
    card.add(view.el("p", "text", text=view.t("signUp.emailLink.formSubtitle")))
    card.add(link_button(view, scope, view.t("signUp.emailLink.resendButton"), lambda _e: view.refresh(force=True),
                         "formResendCodeLink"))
    scope.spawn(_wait_for_link(view, attempt), cancel_on_close=True)
    return card.node


async def _wait_for_link(view: SignUp, attempt: Any) -> None:
    link_flow = attempt.create_email_link_flow()
    if not await run_action(view, link_flow.start(redirect_url=view.page_url("verify"))):
        return
    if link_flow.status == "verified":
        await view.advance(attempt)
    elif link_flow.status == "expired" and view.alert is not None:
        view.alert.show(view.t("formFieldError__verificationLinkExpired"))


def screen_verify_phone(view: SignUp, scope: Scope, _arg: Any = None) -> Any:
    return _code_screen(view, scope, "phone_code", "signUp.phoneCode", view.attempt.phone_number or "")


def screen_complete(view: SignUp, scope: Scope, _arg: Any = None) -> Any:
    return view.screen_loading(scope)


def screen_sso_callback(view: SignUp, scope: Scope, _arg: Any = None) -> Any:
    card = Card(view, view.t("signUp.ssoCallback.title"))
    card.node.setAttribute("aria-busy", "true")
    if "callback" not in view.started:
        view.started.add("callback")
        scope.spawn(_callback(view))
    return card.node


async def _callback(view: SignUp) -> None:
    sign_in = view.link_url("sign_in_url", "sign_in_url")
    await finish_redirect(
        view, sign_in_url=sign_in, sign_up_url=view.page_url(), sign_up_fallback_redirect_url=view.after_url(),
        sign_in_fallback_redirect_url=view.after_url(), continue_sign_up_url=view.page_url("continue"),
        verify_email_address_url=view.page_url("verify-email-address"),
        verify_phone_number_url=view.page_url("verify-phone-number"))


def screen_verify(view: SignUp, scope: Scope, _arg: Any = None) -> Any:
    outcome = view.landing
    if outcome is None:
        if "verify" not in view.started:
            view.started.add("verify")
            scope.spawn(_verify_link(view))
        return Card(view, view.t("signIn.emailLink.loading.title")).node
    if outcome == "verified":
        return Card(view, view.t("signUp.emailLink.verified.title")).node
    if outcome == "other_device":
        return Card(view, view.t("signUp.emailLink.verifiedSwitchTab.title"),
                    view.t("signUp.emailLink.verifiedSwitchTab.subtitleNewTab")).node
    key = {"expired": "expired", "client_mismatch": "clientMismatch"}.get(outcome, "failed")
    return Card(view, view.t(f"signIn.emailLink.{key}.title"), view.t(f"signIn.emailLink.{key}.subtitle")).node


async def _verify_link(view: SignUp) -> None:
    def elsewhere() -> None:
        view.landing = "other_device"

    try:
        result = await view.clerk.handle_email_link_verification(
            redirect_url_complete=view.after_url(), redirect_url=view.page_url("continue"),
            on_verified_on_other_device=elsewhere, navigate=view.go)
    except EmailLinkError as exc:
        view.landing = exc.code
    else:
        if result.outcome == "complete":
            view.landing = "verified"
            view.announce(view.t("signUp.emailLink.verified.title"))
            if view.on_done is not None:
                view.on_done()
    view.refresh()
