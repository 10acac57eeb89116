"""The flows that come back to a page: clerk-js 6.40.0's ``handleRedirectCallback`` and
``handleEmailLinkVerification``, branch by branch (docs/sdk.md has the table)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import urljoin

from ._sentinels import UNSET
from .errors import ClerkAPIError, ClerkError, ClerkRuntimeError, ClerkValidationError, EmailLinkError
from .page import query_param, with_hash_path

if TYPE_CHECKING:
    from .clerk import Clerk
    from .resources import SignIn, SignUp
    from .wire import VerificationJSON

__all__ = ["CallbackOutcome", "CallbackResult"]

#: What :attr:`CallbackResult.outcome` can be (docs/sdk.md says when).
CallbackOutcome = Literal[
    "complete", "task", "factor_one", "factor_two", "reset_password", "continue_sign_up", "verify_email_address",
    "verify_phone_number", "enterprise_connections", "protect_check", "sign_in", "sign_up", "continue",
    "verified_on_other_device", "transferable", "popup_closed",
]


class CallbackResult(NamedTuple):
    """What a callback did: ``outcome``, the ``url`` to go to (None: stay), the ``session_id`` it activated,
    the server's ``error`` that sent the user back to a form."""

    outcome: CallbackOutcome
    url: str | None
    session_id: str | None = None
    error: ClerkAPIError | None = None


_INTENTS = {"signIn": "sign_in", "signUp": "sign_up", "sign_in": "sign_in", "sign_up": "sign_up"}


def _error(verification: VerificationJSON | None) -> dict[str, Any] | None:
    error = verification.error if verification is not None else None
    return error if isinstance(error, dict) else None


def _code(error: dict[str, Any] | None) -> str | None:
    code = error.get("code") if error else None
    return code if isinstance(code, str) else None


def _session_of(error: dict[str, Any] | None) -> str | None:
    meta = error.get("meta") if error else None
    sid = meta.get("session_id") or meta.get("sessionId") if isinstance(meta, dict) else None
    return sid if isinstance(sid, str) and sid else None


def _protect(resource: SignIn | SignUp) -> bool:
    raw = resource.raw
    extra = raw.model_extra if raw is not None else None
    return bool(extra and extra.get("protect_check"))


class _Callback:
    """One run of handle_redirect_callback: the URLs it may go to, and the steps that activate sessions."""

    def __init__(self, clerk: Clerk, options: Any) -> None:
        self.clerk = clerk
        self.options = options
        page = clerk.page
        self.href = page.href if page is not None else None
        display = (clerk.environment or {}).get("display_config") or {}
        self.sign_in_base = options.sign_in_url or display.get("sign_in_url") or None
        self.sign_up_base = options.sign_up_url or display.get("sign_up_url") or None

    def resolve(self, url: str | None) -> str | None:
        if not url:
            return None
        return urljoin(self.href, url) if self.href is not None else url

    def hashed(self, base: str | None, path: str, given: str | None = None) -> str:
        return self.resolve(given) or with_hash_path(base, path, self.href)

    def go(self, outcome: CallbackOutcome, url: str | None, error: dict[str, Any] | None = None) -> CallbackResult:
        return CallbackResult(outcome, url, None, ClerkAPIError.from_json(error) if error else None)

    def sign_in_page(self, error: dict[str, Any] | None = None) -> CallbackResult:
        return self.go("sign_in", self.resolve(self.sign_in_base), error)

    def sign_up_page(self, error: dict[str, Any] | None = None) -> CallbackResult:
        return self.go("sign_up", self.resolve(self.sign_up_base), error)

    def after(self, kind: Literal["sign_in", "sign_up"]) -> str:
        o = self.options
        force, fallback = ((o.sign_in_force_redirect_url, o.sign_in_fallback_redirect_url) if kind == "sign_in"
                           else (o.sign_up_force_redirect_url, o.sign_up_fallback_redirect_url))
        return self.resolve(force or fallback or "/") or "/"

    async def activate(self, session_id: str | None, base: str | None, after: str) -> CallbackResult:
        if not session_id:
            raise ClerkRuntimeError("The completed attempt carries no created_session_id.", code="invalid_response")
        await self.clerk.set_active(session=session_id)
        session = self.clerk.session
        task = session.current_task if session is not None else None
        if task is not None:
            return CallbackResult("task", with_hash_path(base, f"/tasks/{task.get('key', '')}", self.href),
                                  session_id)
        return CallbackResult("complete", after, session_id)

    def next_sign_up_step(self, sign_up: SignUp) -> CallbackResult:
        # clerk-js's navigateToNextStepSignUp + completeSignUpFlow, for a sign-up in missing_requirements.
        o, base = self.options, self.sign_up_base
        missing = sign_up.missing_fields
        if _protect(sign_up) or "protect_check" in missing:
            return self.go("protect_check", self.hashed(base, "/protect-check"))
        if "enterprise_sso" in missing:
            return self.go("enterprise_connections", self.hashed(base, "/enterprise-connections"))
        if missing:
            return self.go("continue_sign_up", self.hashed(base, "/continue", o.continue_sign_up_url))
        if sign_up.status == "missing_requirements":
            if "email_address" in sign_up.unverified_fields:
                return self.go("verify_email_address",
                               self.hashed(base, "/verify-email-address", o.verify_email_address_url))
            if "phone_number" in sign_up.unverified_fields:
                return self.go("verify_phone_number",
                               self.hashed(base, "/verify-phone-number", o.verify_phone_number_url))
        return self.go("continue_sign_up", None)


async def _decide(clerk: Clerk, o: Any) -> CallbackResult:
    client = clerk.client
    if not clerk.loaded or client is None:
        raise ClerkRuntimeError("handle_redirect_callback() needs a loaded Clerk: await clerk.load() first.",
                                code="not_loaded")
    run = _Callback(clerk, o)
    # Taken before any reload, as clerk-js: a reload may null the client's attempt, these keep the answer.
    sign_in, sign_up = client.sign_in, client.sign_up
    reload = o.reload_resource
    if reload is UNSET:
        intent = query_param(run.href, "intent") if run.href is not None else None
        reload = _INTENTS.get(intent or "")
    if reload not in (None, "sign_in", "sign_up"):
        raise ClerkValidationError(f"reload_resource must be 'sign_in', 'sign_up' or None, got {reload!r}.")
    attempt = sign_in if reload == "sign_in" else sign_up if reload == "sign_up" else None
    if attempt is not None and attempt.id:
        with contextlib.suppress(ClerkError):  # e.g. reloading a sign-in during a sign-up: ignored, as in clerk-js
            await attempt.reload()

    ffv = sign_in.first_factor_verification
    ext = sign_up.verifications.external_account if sign_up.verifications is not None else None
    si_status, su_status = sign_in.status, sign_up.status
    ffv_status, ext_status = (ffv.status if ffv else None), (ext.status if ext else None)
    ffv_error, ext_error = _error(ffv), _error(ext)
    ffv_code, ext_code = _code(ffv_error), _code(ext_error)
    after_sign_in, after_sign_up = run.after("sign_in"), run.after("sign_up")
    sign_in_base, sign_up_base = run.sign_in_base, run.sign_up_base

    if si_status == "complete":
        return await run.activate(sign_in.created_session_id, sign_in_base, after_sign_in)
    if reload != "sign_up" and (_protect(sign_in) or si_status == "needs_protect_check"):
        return run.go("protect_check", run.hashed(sign_in_base, "/protect-check"))
    if reload != "sign_in" and _protect(sign_up):
        return run.go("protect_check", run.hashed(sign_up_base, "/protect-check"))

    if ext_status == "transferable" and ext_code == "external_account_exists":
        # The account exists: the sign-up becomes a sign-in.
        res = await sign_in.create(transfer=True)
        if _protect(res) or res.status == "needs_protect_check":
            return run.go("protect_check", run.hashed(sign_in_base, "/protect-check"))
        if res.status == "complete":
            return await run.activate(res.created_session_id, sign_up_base, after_sign_in)
        step = _SIGN_IN_STEPS.get(res.status or "")
        if step is None:
            raise ClerkRuntimeError(f"The transfer to a sign-in ended in status {res.status!r}.",
                                    code="oauth_callback_incomplete")
        return _sign_in_step(run, step)

    if ext_code == "user_locked":
        return run.sign_up_page(ext_error)
    if ffv_code == "user_locked":
        return run.sign_in_page(ffv_error)

    factors = sign_in.supported_first_factors
    if si_status == "needs_first_factor" and (
            factors is None or not all(f.get("strategy") == "enterprise_sso" for f in factors)):
        return _sign_in_step(run, "factor_one")
    if si_status == "needs_new_password":
        return _sign_in_step(run, "reset_password")

    if ffv_status == "transferable":
        # No account for this provider account yet: the sign-in becomes a sign-up.
        if not o.transferable:
            return run.sign_in_page(ffv_error)
        extra: dict[str, Any] = {} if o.unsafe_metadata is None else {"unsafe_metadata": o.unsafe_metadata}
        res_up = await sign_up.create(transfer=True, **extra)
        if res_up.status == "complete":
            return await run.activate(res_up.created_session_id, sign_up_base, after_sign_up)
        if res_up.status == "missing_requirements":
            return run.next_sign_up_step(res_up)
        raise ClerkRuntimeError(f"The transfer to a sign-up ended in status {res_up.status!r}.",
                                code="oauth_callback_incomplete")

    if su_status == "complete":
        return await run.activate(sign_up.created_session_id, sign_up_base, after_sign_up)
    if si_status in ("needs_second_factor", "needs_client_trust"):
        return _sign_in_step(run, "factor_two")

    ext_session, ffv_session = _session_of(ext_error), _session_of(ffv_error)
    su_signed_in = ext_status in ("failed", "unverified") and ext_code == "identifier_already_signed_in" and ext_session
    si_signed_in = ffv_status == "failed" and ffv_code == "identifier_already_signed_in" and ffv_session
    if su_signed_in or si_signed_in:
        # This account is already signed in on this client: select that session.
        return await run.activate(ffv_session or ext_session, sign_up_base if su_signed_in else sign_in_base,
                                  after_sign_in)

    if ext_error is not None:
        return run.sign_up_page(ext_error)
    if ext_status == "verified" and su_status == "missing_requirements":
        return run.next_sign_up_step(sign_up)

    session = clerk.session
    task = session.current_task if session is not None else None
    if task is not None:
        return CallbackResult("task", with_hash_path(sign_in_base, f"/tasks/{task.get('key', '')}", run.href),
                              session.id if session is not None else None)
    connections = [f for f in factors or () if f.get("strategy") == "enterprise_sso"
                   and f.get("enterprise_connection_id") and f.get("enterprise_connection_name")]
    if reload != "sign_up" and si_status == "needs_first_factor" and len(connections) > 1:
        return _sign_in_step(run, "factor_one")
    return run.sign_in_page(ffv_error)


_SIGN_IN_STEPS: dict[str, CallbackOutcome] = {
    "needs_first_factor": "factor_one",
    "needs_second_factor": "factor_two",
    "needs_client_trust": "factor_two",
    "needs_new_password": "reset_password",
}


def _sign_in_step(run: _Callback, step: CallbackOutcome) -> CallbackResult:
    o = run.options
    given, path = {"factor_one": (o.first_factor_url, "/factor-one"),
                   "factor_two": (o.second_factor_url, "/factor-two"),
                   "reset_password": (o.reset_password_url, "/reset-password")}[step]
    return run.go(step, run.hashed(run.sign_in_base, path, given))


async def handle_redirect_callback(clerk: Clerk, options: dict[str, Any], navigate: Any) -> CallbackResult:
    """See ``Clerk.handle_redirect_callback``."""
    result = await _decide(clerk, SimpleNamespace(**options))
    if result.url is not None:
        await clerk._go(result.url, navigate)
    return result


async def _call(callback: Callable[[], Any] | None) -> None:
    if callback is not None:
        outcome = callback()
        if isinstance(outcome, Awaitable):
            await outcome


async def handle_email_link_verification(
    clerk: Clerk,
    redirect_url_complete: str | None,
    redirect_url: str | None,
    on_verified_on_other_device: Callable[[], Any] | None,
    url: str | None,
    navigate: Any,
) -> CallbackResult:
    """See ``Clerk.handle_email_link_verification``."""
    client = clerk.client
    if not clerk.loaded or client is None:
        raise ClerkRuntimeError("handle_email_link_verification() needs a loaded Clerk: await clerk.load() first.",
                                code="not_loaded")
    if url is None:
        page = clerk.page
        if page is None:
            raise ClerkValidationError("No page URL to read __clerk_status from here: pass url=.")
        url = page.href
    status = query_param(url, "__clerk_status")
    if status in ("expired", "client_mismatch"):
        raise EmailLinkError(status)
    if status == "transferable":
        await _call(on_verified_on_other_device)
        return CallbackResult("transferable", None)
    if status != "verified":
        raise EmailLinkError("failed")
    created = query_param(url, "__clerk_created_session")
    if created and any(s.id == created for s in client.sessions):
        await clerk.set_active(session=created)
        target = clerk._absolute(redirect_url_complete, "redirect_url_complete") if redirect_url_complete else None
        if target is not None:
            await clerk._go(target, navigate)
        return CallbackResult("complete", target, created)
    if client.sign_in.status == "needs_second_factor" or client.sign_up.status == "missing_requirements":
        target = clerk._absolute(redirect_url, "redirect_url") if redirect_url else None
        if target is not None:
            await clerk._go(target, navigate)
        return CallbackResult("continue", target)
    await _call(on_verified_on_other_device)
    return CallbackResult("verified_on_other_device", None)
