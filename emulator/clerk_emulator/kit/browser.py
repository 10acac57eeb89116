"""Signing a Playwright page in and out without typing into any UI, for pages using clerk-frontend (this SDK)
and pages using clerk-js.

How: every Clerk browser SDK identifies its *client* (the browser) to the Frontend API by a token it keeps
in the browser. The kit reads that token from the page, completes a sign-in for that client over HTTP (a
one-time sign-in token from the Backend API and ``strategy=ticket``, or a password, or an email/SMS code),
then reloads the page: the SDK finds the client signed in, as after any sign-in. Nothing in the app has to
cooperate, and it works the same against a real Clerk development instance.

Where the token lives:

* clerk-frontend (development keys): ``localStorage["__clerk_db_jwt_<suffix>"]`` on the page's origin, sent as
  the ``__clerk_db_jwt`` query parameter (the dev-browser token).
* clerk-js on a Clerk development host: the cookies ``__clerk_db_jwt_<suffix>`` / ``__clerk_db_jwt`` on the
  page's host (the same dev-browser token).
* clerk-js against the local instance (a loopback host is no Clerk development host, so clerk-js keeps no
  dev-browser token there) and cookie-mode SDKs: the ``__client`` cookie of the Frontend API's origin.

``<suffix>`` is the first 8 characters of the URL-safe base64 SHA-1 of the publishable key, as clerk-js and
clerk-frontend compute it. When the page has no token yet (it is still ``about:blank``, or its SDK has not
loaded), the kit creates one (``POST /v1/dev_browser``) and plants it in all of these places, in the page and
through an init script for every page the context opens later, so the app is signed in from its first load.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .http import ClerkAPIError, ClerkKitError, request
from .users import ClerkUser

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from .instance import ClerkInstance

__all__ = ["API_VERSION", "STRATEGIES", "ClerkSession", "Identity", "PageAuth", "SignIn", "SignOut",
           "cookie_suffix"]

API_VERSION = "2026-05-12"
#: Strategies :meth:`PageAuth.sign_in` knows.
STRATEGIES = ("ticket", "password", "email_code", "phone_code")
TEST_CODE = "424242"  # Clerk's fixed code for test identifiers (…+clerk_test@…, +1 XXX 555-0100…0199)
_TEST_PHONE = re.compile(r"^\+1\d{3}55501\d{2}$")
_PLANTED_MARK = "__clerk_kit_planted"
_HTTP = ("http://", "https://")

# Reads one localStorage key; an opaque origin or a page without storage gives null.
_READ_STORAGE = "(key) => { try { return window.localStorage.getItem(key); } catch (e) { return null; } }"
# Puts the token where the SDKs look for it: clerk-frontend's localStorage key, clerk-js's two cookies. Without
# `force` (the init script), a token the page obtained itself is kept: only a missing one, or one the kit
# planted before, is replaced.
_PLANT = """(a) => {
  if (!/^https?:$/.test(location.protocol)) return;
  let mark = null;
  try {
    const ls = window.localStorage;
    mark = ls.getItem(a.mark);
    const cur = ls.getItem(a.key);
    if (a.force || !cur || cur === mark) { ls.setItem(a.key, a.jwt); ls.setItem(a.mark, a.jwt); }
  } catch (e) {}
  const jar = {};
  for (const part of document.cookie ? document.cookie.split("; ") : []) {
    const i = part.indexOf("=");
    jar[part.slice(0, i)] = part.slice(i + 1);
  }
  for (const name of a.cookies) {
    const cur = jar[name];
    if (a.force || !cur || cur === mark) {
      document.cookie = name + "=" + a.jwt + "; path=/; max-age=31536000; SameSite=Lax";
    }
  }
}"""


def cookie_suffix(publishable_key: str) -> str:
    """The suffix clerk-js and clerk-frontend add to their storage names for ``publishable_key``."""
    return base64.urlsafe_b64encode(hashlib.sha1(publishable_key.encode()).digest()).decode()[:8]


@dataclass(frozen=True)
class Identity:
    """A browser's client token and how it is sent: ``dev_browser`` (``__clerk_db_jwt`` query parameter) or
    ``cookie`` (the ``__client`` cookie)."""

    token: str
    via: Literal["dev_browser", "cookie"]


@dataclass(frozen=True)
class ClerkSession:
    """The session a sign-in created: ``id`` (``sess_…``), ``user_id``, ``client_id``."""

    id: str
    user_id: str
    client_id: str | None


class SignIn(Protocol):
    """The ``clerk_sign_in`` fixture: ``clerk_sign_in(page, user, strategy="ticket", reload=True)``."""

    def __call__(self, page: Page, user: ClerkUser | str, strategy: str = "ticket", *,
                 reload: bool = True) -> ClerkSession: ...


class SignOut(Protocol):
    """The ``clerk_sign_out`` fixture: ``clerk_sign_out(page, reload=True)``."""

    def __call__(self, page: Page, *, reload: bool = True) -> bool: ...


@dataclass
class _ContextState:
    identity: Identity | None = None
    planted_for_new_pages: str | None = None  # the token of the newest init script


class PageAuth:
    """Signs pages in and out against ``instance`` (what the ``clerk_sign_in``/``clerk_sign_out`` fixtures
    call)."""

    def __init__(self, instance: ClerkInstance) -> None:
        self.instance = instance
        self.suffix = cookie_suffix(instance.publishable_key)
        self.storage_key = f"__clerk_db_jwt_{self.suffix}"
        self.cookie_names = [f"__clerk_db_jwt_{self.suffix}", "__clerk_db_jwt"]
        self._contexts: weakref.WeakKeyDictionary[BrowserContext, _ContextState] = weakref.WeakKeyDictionary()

    # --- public -------------------------------------------------------------------------------------------
    def sign_in(self, page: Page, user: ClerkUser | str, strategy: str = "ticket", *,
                reload: bool = True) -> ClerkSession:
        """Sign ``user`` in for the client of ``page`` and reload the page (when it shows an http(s) URL).

        ``strategy``: ``ticket`` (default: a one-time sign-in token from the Backend API, no password needed),
        ``password`` (the user's password, known for users made by ``clerk_user``), ``email_code`` /
        ``phone_code`` (the code is read from the local instance's outbox; on a real Clerk instance only test
        identifiers work, whose code is 424242). A page still on ``about:blank`` is signed in from its first
        load. A page already signed in gets a second session (multi-session instances) or is signed out first
        (single-session instances). Raises :class:`ClerkKitError` when the sign-in does not complete."""
        if strategy not in STRATEGIES:
            raise ClerkKitError(f"unknown sign-in strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
        if isinstance(user, str):
            user = ClerkUser(id=user)
        identity = self._install(page, self.find_identity(page) or self._new_identity())
        for _ in range(2):
            answer = self._sign_in(identity, user, strategy)
            if not (reload and page.url.startswith(_HTTP)):
                break
            page.reload()
            # A page whose SDK was still starting may have stored a token of its own meanwhile: then that
            # client is the one the reloaded page uses, and it is signed in too.
            seen = self.find_identity(page)
            if seen is None or seen.token == identity.token:
                break
            identity = self._install(page, seen)
        attempt = answer["response"]
        return ClerkSession(id=str(attempt["created_session_id"]), user_id=user.id,
                            client_id=(answer.get("client") or {}).get("id"))

    def sign_out(self, page: Page, *, reload: bool = True) -> bool:
        """End every session of the page's client, then reload the page (when it shows an http(s) URL).
        Returns ``False`` when the page had no client (nothing to sign out)."""
        identity = self.find_identity(page)
        if identity is None:
            return False
        self._fapi(identity, "DELETE", "/client/sessions")
        if reload and page.url.startswith(_HTTP):
            page.reload()
        return True

    def find_identity(self, page: Page) -> Identity | None:
        """The client token ``page`` uses (see the module's docstring for where it is looked for), or the one
        the kit used last in this browser context; ``None`` when there is none yet."""
        url = page.url
        if url.startswith(_HTTP):
            try:
                stored = page.evaluate(_READ_STORAGE, self.storage_key)
            except Exception:  # a page navigating or closed: treat it as having nothing stored
                stored = None
            if isinstance(stored, str) and stored:
                return Identity(stored, "dev_browser")
            jar = {c.get("name"): c.get("value") for c in page.context.cookies(url)}
            for name in self.cookie_names:
                if jar.get(name):
                    return Identity(str(jar[name]), "dev_browser")
        for cookie in page.context.cookies(self.instance.fapi_url + "/"):
            if cookie.get("name") == "__client" and cookie.get("value"):
                return Identity(str(cookie["value"]), "cookie")
        state = self._contexts.get(page.context)
        return state.identity if state is not None else None

    # --- identities ----------------------------------------------------------------------------------------
    def _tokens_shared(self) -> bool:
        # The local instance takes a dev-browser token as a __client cookie too (one client token); checked,
        # not assumed, and never on a real instance, where the two differ.
        if not self.instance.is_local:
            return False
        if self.instance._shared_identity is None:
            created = request("POST", self.instance.fapi_url + "/v1/dev_browser", form={}).body
            seen = request("GET", self.instance.fapi_url + "/v1/client",
                           headers={"Cookie": f"__client={created['id']}"}).body
            client = seen.get("response") if isinstance(seen, dict) else None
            self.instance._shared_identity = isinstance(client, dict) and client.get("id") == created.get("client_id")
        return self.instance._shared_identity

    def _new_identity(self) -> Identity:
        created = request("POST", self.instance.fapi_url + "/v1/dev_browser", form={},
                          query={"__clerk_api_version": API_VERSION}).body
        token = created.get("id") if isinstance(created, dict) else None
        if not isinstance(token, str) or not token:
            raise ClerkKitError(f"POST /v1/dev_browser gave no token: {created!r}")
        return Identity(token, "dev_browser")

    def _install(self, page: Page, identity: Identity) -> Identity:
        """Make ``identity`` the one every Clerk SDK in ``page``'s context uses; returns the identity to sign in."""
        context = page.context
        state = self._contexts.setdefault(context, _ContextState())
        shared = self._tokens_shared()
        if identity.via == "cookie" and not shared:
            state.identity = identity  # a real instance's cookie client: usable only as it is
            return identity
        identity = Identity(identity.token, "dev_browser")
        args: dict[str, Any] = {"key": self.storage_key, "cookies": self.cookie_names, "jwt": identity.token,
                                "mark": _PLANTED_MARK}
        if page.url.startswith(_HTTP):
            page.evaluate(_PLANT, {**args, "force": True})
        if state.planted_for_new_pages != identity.token:
            # Init scripts cannot be removed: each one only replaces a token the kit planted, so the newest wins.
            context.add_init_script(script=f"({_PLANT})({json.dumps({**args, 'force': False})});")
            state.planted_for_new_pages = identity.token
        if shared:
            context.add_cookies([{"name": "__client", "value": identity.token, "url": self.instance.fapi_url + "/",
                                  "httpOnly": True, "sameSite": "Lax"}])
        state.identity = identity
        return identity

    # --- the Frontend API, as the page's client ---------------------------------------------------------------
    def _fapi(self, identity: Identity, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        query = [("__clerk_api_version", API_VERSION)]
        headers: dict[str, str] = {}
        if identity.via == "dev_browser":
            query.append(("__clerk_db_jwt", identity.token))
        else:
            headers["Cookie"] = f"__client={identity.token}"
        sent = method
        if method in ("PATCH", "PUT", "DELETE"):
            query.append(("_method", method))
            sent = "POST"
        body = form if form is not None else ({} if sent == "POST" else None)
        return request(sent, self.instance.fapi_url + "/v1" + path, query=query, form=body, headers=headers).body

    def _start(self, identity: Identity, form: dict[str, str]) -> Any:
        try:
            return self._fapi(identity, "POST", "/client/sign_ins", form)
        except ClerkAPIError as err:
            if err.code != "session_exists":
                raise
        # A single-session instance refuses a second session: sign the current one out first.
        self._fapi(identity, "DELETE", "/client/sessions")
        return self._fapi(identity, "POST", "/client/sign_ins", form)

    def _sign_in(self, identity: Identity, user: ClerkUser, strategy: str) -> Any:
        if strategy == "ticket":
            ticket = self.instance.bapi.create_sign_in_token(user.id, expires_in_seconds=600)["token"]
            answer = self._start(identity, {"strategy": "ticket", "ticket": ticket})
        elif strategy == "password":
            identifier = user.email or user.username or user.phone
            if not identifier or not user.password:
                raise ClerkKitError("strategy='password' needs a user with an identifier and a known password "
                                    "(users made by clerk_user have one)")
            answer = self._start(identity, {"strategy": "password", "identifier": identifier,
                                            "password": user.password})
        else:
            answer = self._sign_in_with_code(identity, user, strategy)
        attempt = answer.get("response") if isinstance(answer, dict) else None
        if not isinstance(attempt, dict) or attempt.get("status") != "complete":
            status = attempt.get("status") if isinstance(attempt, dict) else None
            raise ClerkKitError(f"the {strategy} sign-in of {user.id} did not complete (status {status!r}); a "
                                f"second factor or a missing requirement needs the app's own UI")
        return answer

    def _sign_in_with_code(self, identity: Identity, user: ClerkUser, strategy: str) -> Any:
        email = strategy == "email_code"
        identifier = user.email if email else user.phone
        if not identifier:
            what = "an email address" if email else "a phone number"
            raise ClerkKitError(f"strategy={strategy!r} needs a user with {what}")
        started = self._start(identity, {"identifier": identifier})
        attempt = started["response"]
        id_field = "email_address_id" if email else "phone_number_id"
        factor = next((f for f in attempt.get("supported_first_factors") or [] if f.get("strategy") == strategy),
                      None)
        if factor is None:
            raise ClerkKitError(f"{strategy} is not a first factor of {identifier} on this instance (its settings)")
        path = f"/client/sign_ins/{attempt['id']}"
        self._fapi(identity, "POST", path + "/prepare_first_factor", {"strategy": strategy, id_field: factor[id_field]})
        code = self._code_for(identifier, email)
        return self._fapi(identity, "POST", path + "/attempt_first_factor", {"strategy": strategy, "code": code})

    def _code_for(self, identifier: str, email: bool) -> str:
        if self.instance.is_local:
            for message in self.instance.outbox(to=identifier, kind="sign_in_code"):
                if message.get("code"):
                    return str(message["code"])
            raise ClerkKitError(f"no sign-in code for {identifier} in the outbox")
        if (email and "+clerk_test@" in identifier) or (not email and _TEST_PHONE.match(identifier)):
            return TEST_CODE
        raise ClerkKitError(f"a real Clerk instance sends the code to {identifier}; use a test identifier "
                            f"(…+clerk_test@… or +1 XXX 555-0100…0199, code 424242) or strategy='ticket'")
