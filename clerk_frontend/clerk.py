"""The ``Clerk`` object: configuration, state, listeners and the public API (the request pipeline every resource
goes through is its base class, in ``_pipeline.py``)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ._pipeline import Pipeline, blocking_sleep, default_storage
from ._sentinels import UNSET
from .errors import ClerkAPIResponseError, ClerkError, ClerkNetworkError, ClerkRuntimeError, ClerkValidationError
from .keys import frontend_api_base, parse_publishable_key
from .tokens import TokenCache
from .transports import Transport, default_transport

if TYPE_CHECKING:
    from .callbacks import CallbackResult
    from .page import Page
    from .resources import Client, Organization, Session, SignIn, SignUp, User

# The resource classes and their pydantic wire models (two thirds of the SDK's import time in Pyodide) are
# imported by load() while its requests are on the network, or on first use, not by `import clerk_frontend`.

__all__ = ["Clerk", "ClerkState", "ClerkStatus", "Listener", "StatusListener"]


# Small records are NamedTuples, not dataclasses: creating a dataclass costs ~1.5 ms in Pyodide, at import.
class ClerkState(NamedTuple):
    """What listeners receive: the current client, session, user and organization (each may be None)."""

    client: Client | None
    session: Session | None
    user: User | None
    organization: Organization | None


Listener = Callable[[ClerkState], None]
#: ``Clerk.status``: ``"loading"`` until :meth:`Clerk.load` finishes, then ``"ready"``; ``"degraded"`` when it
#: finished without the environment or the client (a network error or a 5xx); ``"error"`` when it failed.
ClerkStatus = Literal["loading", "ready", "degraded", "error"]
StatusListener = Callable[[ClerkStatus], None]
_NEVER: Any = object()
# load()'s marker for a request whose failure degrades instead of failing the load.
_DEGRADED: Any = object()


def _page_origin() -> str | None:
    if sys.platform != "emscripten":
        return None
    try:
        import js

        return str(js.location.origin)
    except Exception:  # a worker without location, or Node
        return None


def _origin(page: Page | None) -> str | None:
    from .page import origin_of

    return origin_of(page.href) if page is not None else None



def _prepare_models() -> None:
    """Import the resources and wire models and build the models' validators (deferred until now)."""
    from . import resources  # noqa: F401  # imports the wire models too
    from .wire import build_validators

    build_validators()


def _organization_of(session: Session | None) -> Organization | None:
    user = session.user if session is not None else None
    if session is None or user is None or not session.last_active_organization_id:
        return None
    return next((m.organization for m in user.organization_memberships
                 if m.organization.id == session.last_active_organization_id), None)


class Clerk(Pipeline):
    """Clerk's browser SDK for Python: ``clerk = Clerk("pk_test_…"); await clerk.load()``. The options
    (``frontend_api_url``, ``proxy_url``, ``transport``, ``dev_browser``, ``storage``, ``page``, …) are described
    in docs/sdk.md (Clerk); a secret key is refused."""

    def __init__(
        self,
        publishable_key: str,
        *,
        frontend_api_url: str | None = None,
        proxy_url: str | None = None,
        transport: Transport | None = None,
        dev_browser: bool | None = None,
        dev_browser_jwt: str | None = None,
        storage: MutableMapping[str, str] | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        jitter: Callable[[], float] | None = None,
        max_get_tries: int = 4,
        page: Page | None = UNSET,
    ) -> None:
        key = parse_publishable_key(publishable_key)
        self._page: Any = page  # UNSET: looked up on first use
        self.publishable_key = key.key
        #: ``"development"`` or ``"production"``, from the key.
        self.instance_type = key.instance_type
        #: The Frontend API URL every path is appended to (ends in ``/v1``).
        self.frontend_api_url = frontend_api_base(
            key, frontend_api_url=frontend_api_url, proxy_url=proxy_url,
            page_origin=_page_origin() if page is UNSET else _origin(page),
        )
        if max_get_tries < 1:
            raise ClerkValidationError("max_get_tries must be at least 1.")
        self._transport: Transport = transport if transport is not None else default_transport()
        self._dev_browser = key.instance_type == "development" if dev_browser is None else dev_browser
        self._storage: MutableMapping[str, str] = storage if storage is not None else default_storage()
        digest = base64.urlsafe_b64encode(hashlib.sha1(key.key.encode()).digest()).decode()
        self._storage_key = f"__clerk_db_jwt_{digest[:8]}"
        if dev_browser_jwt:
            self._storage[self._storage_key] = dev_browser_jwt
        self._clock = clock or time.time
        self._sleep = sleep or (blocking_sleep if self._transport.blocking else asyncio.sleep)
        self._jitter = jitter or random.random
        self._max_get_tries = max_get_tries
        self._tokens = TokenCache(self._clock)
        self._users: dict[str, User] = {}
        self._client: Client | None = None
        self._session_id: str | None = None
        self._listeners: list[tuple[object, Listener]] = []
        self._emitted: Any = _NEVER
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._status: ClerkStatus = "loading"
        self._status_listeners: list[tuple[object, StatusListener]] = []
        #: The instance environment (``GET /v1/environment``) as a dict, once loaded.
        self.environment: dict[str, Any] | None = None
        #: True once :meth:`load` has completed (``status`` is ``"ready"`` or ``"degraded"``).
        self.loaded = False

    # -- state ---------------------------------------------------------------------------------------

    @property
    def status(self) -> ClerkStatus:
        """``"loading"``, ``"ready"``, ``"degraded"`` or ``"error"``: see :data:`ClerkStatus`."""
        return self._status

    @property
    def page(self) -> Page | None:
        """The page the redirect flows read and navigate, or None outside a browser page."""
        if self._page is UNSET:
            from .page import browser_page

            self._page = browser_page()
        page: Page | None = self._page
        return page

    @property
    def transport(self) -> Transport:
        """The transport in use."""
        return self._transport

    @property
    def client(self) -> Client | None:
        """The current :class:`Client`, or None before :meth:`load`."""
        return self._client

    @property
    def session(self) -> Session | None:
        """The selected signed-in :class:`Session`, or None when signed out."""
        if self._client is None or self._session_id is None:
            return None
        return next((s for s in self._client.sessions if s.id == self._session_id and s.signed_in), None)

    @property
    def is_signed_in(self) -> bool:
        """True when the selected session is ``active`` (not ``pending``), as clerk-js's ``isSignedIn``."""
        session = self.session
        return session is not None and session.status != "pending"

    @property
    def user(self) -> User | None:
        """The signed-in :class:`User` (the same object for the whole life of this Clerk), or None."""
        session = self.session
        return session.user if session is not None else None

    @property
    def organization(self) -> Organization | None:
        """The session's active :class:`Organization`, or None (personal account)."""
        return _organization_of(self.session)

    @property
    def sign_in(self) -> SignIn:
        """``client.sign_in``: the sign-in in progress, or a fresh one to :meth:`SignIn.create` (a detached
        one before :meth:`load`)."""
        from .resources import SignIn

        return self._client.sign_in if self._client is not None else SignIn(self)

    @property
    def sign_up(self) -> SignUp:
        """``client.sign_up``: the sign-up in progress, or a fresh one to :meth:`SignUp.create` (a detached
        one before :meth:`load`)."""
        from .resources import SignUp

        return self._client.sign_up if self._client is not None else SignUp(self)

    def state(self) -> ClerkState:
        """A snapshot of the current client, session, user and organization."""
        session = self.session
        return ClerkState(self._client, session, session.user if session else None, _organization_of(session))

    # -- listeners -----------------------------------------------------------------------------------

    def add_listener(self, callback: Listener, *, skip_initial: bool = False) -> Callable[[], None]:
        """Call ``callback(state)`` whenever client, session, user or organization change.

        Fires at once if loaded (unless ``skip_initial``). Returns a function that unsubscribes.
        """
        token = object()
        self._listeners.append((token, callback))
        if self.loaded and not skip_initial:
            callback(self.state())

        def unsubscribe() -> None:
            self._listeners[:] = [(t, cb) for t, cb in self._listeners if t is not token]

        return unsubscribe

    def add_status_listener(self, callback: StatusListener, *, notify: bool = False) -> Callable[[], None]:
        """Call ``callback(status)`` on every change of :attr:`status` (and at once with ``notify=True``), as
        clerk-js's ``clerk.on("status", …)``; returns an unsubscribe function."""
        token = object()
        self._status_listeners.append((token, callback))
        if notify:
            callback(self._status)

        def unsubscribe() -> None:
            self._status_listeners[:] = [(t, cb) for t, cb in self._status_listeners if t is not token]

        return unsubscribe

    def _set_status(self, status: ClerkStatus) -> None:
        if status == self._status:
            return
        self._status = status
        for _, callback in list(self._status_listeners):
            callback(status)

    def _signature(self) -> tuple[Any, ...]:
        return tuple((r.id, r._rev, id(r)) if r is not None else None for r in self.state())

    def _emit(self) -> None:
        # Listeners fire once per observable change, whatever number of responses produced it.
        if not self.loaded:
            return
        signature = self._signature()
        if signature == self._emitted:
            return
        self._emitted = signature
        state = self.state()
        for _, callback in list(self._listeners):
            callback(state)

    # -- lifecycle -----------------------------------------------------------------------------------

    async def load(self) -> Clerk:
        """Fetch the environment and the client concurrently (2 requests, plus ``POST /v1/dev_browser`` the
        first time; an expired dev-browser token is replaced once). :attr:`status` then says how it went."""
        if self._status == "error":
            self._set_status("loading")
        try:
            await self._ensure_dev_browser()
            try:
                degraded = await self._load_once()
            except ClerkAPIResponseError as exc:
                if not (self._dev_browser and exc.code == "dev_browser_unauthenticated"):
                    raise
                self._storage.pop(self._storage_key, None)
                await self._ensure_dev_browser()
                degraded = await self._load_once()
        except BaseException:
            if not self.loaded:
                self._set_status("error")
            raise
        self.loaded = True
        self._set_status("degraded" if degraded else "ready")
        self._emit()
        return self

    async def _load_once(self) -> bool:
        # The resources and wire models are imported, and their validators built, while both requests are on
        # the network: on a real network that costs nothing.
        environment, client = await self._gather(
            self._load_environment(), self._load_client(), meanwhile=_prepare_models,
        )
        if environment is not _DEGRADED:
            self.environment = environment if isinstance(environment, dict) else None
        if client is not _DEGRADED:
            self._apply_client(client)
        return environment is _DEGRADED or client is _DEGRADED

    async def _load_environment(self) -> Any:
        try:
            return await self._request("GET", "/environment", apply_client=False)
        except ClerkError as exc:
            if isinstance(exc, ClerkAPIResponseError) and exc.code == "dev_browser_unauthenticated":
                raise
            return _DEGRADED

    async def _load_client(self) -> Any:
        try:
            return await self._request("GET", "/client", apply_client=True)
        except ClerkNetworkError:
            return _DEGRADED
        except ClerkAPIResponseError as exc:
            if exc.status < 500:  # a 4xx is an answer about this client: the load fails
                raise
            return _DEGRADED

    async def _ensure_dev_browser(self) -> None:
        if not self._dev_browser or self._storage.get(self._storage_key):
            return
        result = await self._send("POST", "/dev_browser", dev_browser_jwt=None)
        if result.error is not None:
            raise result.error
        payload = result.payload
        token = payload.get("id") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise ClerkRuntimeError("POST /v1/dev_browser answered without an id.", code="invalid_response")
        self._storage[self._storage_key] = token

    async def sign_out(self, *, session_id: str | None = None) -> None:
        """Sign out (``DELETE /v1/client/sessions``), or remove one session of several by ``session_id``.

        Local state and cached tokens are cleared only after the server agreed.
        """
        client = self._client
        if session_id is not None and client is not None and len(client.signed_in_sessions) > 1:
            session = next((s for s in client.sessions if s.id == session_id), None)
            if session is None:
                raise ClerkValidationError(f"No session {session_id!r} on this client.")
            await session.remove()
            self._resolve_session()
            self._emit()
            return
        await self._request("DELETE", "/client/sessions")
        self._tokens.clear()
        self._session_id = None
        self._emit()

    async def set_active(self, *, session: Session | str | None = UNSET,
                         organization: Organization | str | None = UNSET) -> None:
        """Select a session and/or organization (``POST …/touch``); ``session=None`` signs out locally.

        ``organization`` is an :class:`Organization`, an id (``org_…``) or a slug (looked up in the user's
        memberships; no match selects the personal account, as in clerk-js); ``None`` selects the personal
        account. Under the instance's forced organization selection a personal choice sends nothing.
        """
        from .resources import Session
        from .resources._organization_calls import resolve_organization

        if session is None:
            self._session_id = None
            self._tokens.clear()
            self._emit()
            return
        if session is UNSET:
            target = self.session
            if target is None:
                raise ClerkRuntimeError("There is no active session to switch organization on.", code="no_session")
        else:
            wanted = session.id if isinstance(session, Session) else session
            found = [s for s in self._client.signed_in_sessions if s.id == wanted] if self._client else []
            if not found:
                raise ClerkValidationError(f"No signed-in session {wanted!r} on this client.")
            target = found[0]
        org: Any = UNSET
        if organization is not UNSET:
            settings = (self.environment or {}).get("organization_settings") or {}
            org = resolve_organization(target, organization, bool(settings.get("force_organization_selection")))
            if org is UNSET:
                return
        previous = self._session_id
        self._session_id = target.id
        try:
            await target.touch(intent="select_session" if session is not UNSET else "select_org",
                               active_organization_id=org)
        except BaseException:
            self._session_id = previous
            raise
        self._emit()

    async def create_organization(self, *, name: str, slug: str | None = UNSET) -> Organization:
        """Create an organization (``POST /v1/organizations``) with the user as its first member (the instance's
        creator role, ``org:admin`` by default). It is **not** made active: call
        ``set_active(organization=org)`` next, as clerk-js's components do. Returns the organization of the new
        membership (the object ``user.organization_memberships`` holds)."""
        from .resources._organization_calls import required as _required

        _required("create_organization", name=name)
        form: dict[str, Any] = {"name": name}
        if slug is not UNSET:
            if slug is not None and not isinstance(slug, str):
                raise ClerkValidationError("create_organization: slug must be str or None.")
            form["slug"] = slug
        payload = await self._request("POST", "/organizations", form=form)
        return self._organization_object(payload)

    def has(self, *, role: Any = UNSET, permission: Any = UNSET, feature: Any = UNSET, plan: Any = UNSET,
            reverification: Any = UNSET, treat_pending_as_signed_out: bool = True) -> bool:
        """Authorization check of the signed-in session, as clerk-js's ``has()``: False before :meth:`load`,
        when signed out, and for a ``pending`` session (unless ``treat_pending_as_signed_out=False``); else
        :meth:`Session.check_authorization` (role and permissions of the active organization's membership,
        features and plans of the session token, reverification from ``factor_verification_age``)."""
        session = self.session
        if not self.loaded or session is None or (treat_pending_as_signed_out and session.status == "pending"):
            return False
        return session.check_authorization(role=role, permission=permission, feature=feature, plan=plan,
                                           reverification=reverification)

    def _organization_object(self, payload: Any) -> Organization:
        """The user's own Organization object for ``payload`` when a membership holds it (refreshed), else a
        new one."""
        from .resources import Organization
        from .wire import OrganizationJSON

        data = OrganizationJSON.model_validate(payload)
        user = self.user
        for membership in user.organization_memberships if user is not None else ():
            if membership.organization.id == data.id:
                if membership.organization._from_json(data):
                    self._emit()
                return membership.organization
        return Organization(self, data)

    async def get_organization(self, organization_id: str) -> Organization:
        """``GET /v1/organizations/{id}``; the user's membership's :class:`Organization` is refreshed and returned
        when there is one."""
        if not isinstance(organization_id, str) or not organization_id:
            raise ClerkValidationError("get_organization() needs an organization id (str).")
        return self._organization_object(await self._request("GET", f"/organizations/{organization_id}"))

    # -- pages, URLs and the flows that come back to the page ------------------------------------------

    def _absolute(self, url: object, where: str) -> str:
        from .page import absolute_url

        page = self.page
        return absolute_url(url, page.href if page is not None else None, where)

    def build_url_with_auth(self, to: str) -> str:
        """``to`` made absolute against the page, with ``__clerk_db_jwt`` added in dev-browser mode when it leads
        to another origin (clerk-js's ``buildUrlWithAuth``)."""
        from .page import origin_of, query_param, set_query_param

        url = self._absolute(to, "build_url_with_auth(): to")
        page = self.page
        jwt = self.dev_browser_jwt
        if self.instance_type == "production" or page is None or jwt is None:
            return url
        if origin_of(url) == origin_of(page.href):
            return url
        # An existing token in the URL wins, as in clerk-js.
        return set_query_param(url, "__clerk_db_jwt", query_param(url, "__clerk_db_jwt") or jwt)

    async def navigate(self, to: str) -> str:
        """Go to ``to`` in a browser page (clerk-js's ``navigate``); returns the absolute URL (outside a browser
        page nothing else happens)."""
        url = self._absolute(to, "navigate(): to")
        await self._go(url, True)
        return url

    async def _go(self, url: str, navigate: Any) -> None:
        # navigate: True = the page (if any), False = nowhere, a callable = the caller's router.
        if navigate is False or navigate is None:
            return
        if callable(navigate):
            result = navigate(url)
            if isinstance(result, Awaitable):
                await result
            return
        page = self.page
        if page is not None:
            page.assign(url)

    def ticket_from_url(self, url: str | None = None) -> str | None:
        """The ``__clerk_ticket`` (or ``__clerk_invitation_token``) of ``url`` or the page, for
        ``create(strategy="ticket", ticket=…)``; None when absent."""
        from .page import query_param

        if url is None:
            page = self.page
            if page is None:
                return None
            url = page.href
        return query_param(url, "__clerk_ticket") or query_param(url, "__clerk_invitation_token")

    async def handle_redirect_callback(
        self,
        *,
        sign_in_url: str | None = None,
        sign_up_url: str | None = None,
        sign_in_force_redirect_url: str | None = None,
        sign_in_fallback_redirect_url: str | None = None,
        sign_up_force_redirect_url: str | None = None,
        sign_up_fallback_redirect_url: str | None = None,
        first_factor_url: str | None = None,
        second_factor_url: str | None = None,
        reset_password_url: str | None = None,
        continue_sign_up_url: str | None = None,
        verify_email_address_url: str | None = None,
        verify_phone_number_url: str | None = None,
        transferable: bool = True,
        unsafe_metadata: dict[str, Any] | None = None,
        reload_resource: Literal["sign_in", "sign_up"] | None = UNSET,
        navigate: bool | Callable[[str], Any] = True,
    ) -> CallbackResult:
        """Finish an OAuth / SSO redirect on the page it returned to, as clerk-js's ``handleRedirectCallback``;
        returns a :class:`~clerk_frontend.CallbackResult`, going to its URL unless ``navigate=False`` (docs/sdk.md)."""
        options = dict(locals())  # the arguments, by name
        del options["self"], options["navigate"]
        from .callbacks import handle_redirect_callback

        return await handle_redirect_callback(self, options, navigate)

    async def handle_email_link_verification(
        self,
        *,
        redirect_url_complete: str | None = None,
        redirect_url: str | None = None,
        on_verified_on_other_device: Callable[[], Any] | None = None,
        url: str | None = None,
        navigate: bool | Callable[[str], Any] = True,
    ) -> CallbackResult:
        """Finish an email link on the page it opened, as clerk-js's ``handleEmailLinkVerification``;
        raises :class:`~clerk_frontend.EmailLinkError` when it did not verify (docs/sdk.md)."""
        from .callbacks import handle_email_link_verification

        return await handle_email_link_verification(self, redirect_url_complete, redirect_url,
                                                    on_verified_on_other_device, url, navigate)

    # -- prebuilt components (docs/components.md): clerk_frontend.ui is imported by the first call, never by load() --

    def _ui(self) -> Any:
        from .ui import components_of

        return components_of(self)

    def mount_sign_in(self, target: Any, **options: Any) -> None:
        """Render the SignIn component into ``target`` (a CSS selector or a DOM element)."""
        self._ui().mount("sign_in", target, options)

    def unmount_sign_in(self, target: Any) -> None:
        """Remove the SignIn component from ``target``."""
        self._ui().unmount("sign_in", target)

    def open_sign_in(self, **options: Any) -> None:
        """Open SignIn in a modal dialog."""
        self._ui().open("sign_in", options)

    def close_sign_in(self) -> None:
        """Close the SignIn modal."""
        self._ui().close("sign_in")

    def mount_sign_up(self, target: Any, **options: Any) -> None:
        """Render the SignUp component into ``target``."""
        self._ui().mount("sign_up", target, options)

    def unmount_sign_up(self, target: Any) -> None:
        """Remove the SignUp component from ``target``."""
        self._ui().unmount("sign_up", target)

    def open_sign_up(self, **options: Any) -> None:
        """Open SignUp in a modal dialog."""
        self._ui().open("sign_up", options)

    def close_sign_up(self) -> None:
        """Close the SignUp modal."""
        self._ui().close("sign_up")

    def mount_user_button(self, target: Any, **options: Any) -> None:
        """Render the UserButton (avatar and account menu) into ``target``."""
        self._ui().mount("user_button", target, options)

    def unmount_user_button(self, target: Any) -> None:
        """Remove the UserButton from ``target``."""
        self._ui().unmount("user_button", target)

    def mount_user_profile(self, target: Any, **options: Any) -> None:
        """Render the UserProfile component into ``target``."""
        self._ui().mount("user_profile", target, options)

    def unmount_user_profile(self, target: Any) -> None:
        """Remove the UserProfile component from ``target``."""
        self._ui().unmount("user_profile", target)

    def open_user_profile(self, **options: Any) -> None:
        """Open UserProfile in a modal dialog."""
        self._ui().open("user_profile", options)

    def close_user_profile(self) -> None:
        """Close the UserProfile modal."""
        self._ui().close("user_profile")

    def mount_organization_switcher(self, target: Any, **options: Any) -> None:
        """Render the OrganizationSwitcher component into ``target``."""
        self._ui().mount("organization_switcher", target, options)

    def unmount_organization_switcher(self, target: Any) -> None:
        """Remove the OrganizationSwitcher component from ``target``."""
        self._ui().unmount("organization_switcher", target)

    def mount_organization_profile(self, target: Any, **options: Any) -> None:
        """Render the OrganizationProfile component into ``target``."""
        self._ui().mount("organization_profile", target, options)

    def unmount_organization_profile(self, target: Any) -> None:
        """Remove the OrganizationProfile component from ``target``."""
        self._ui().unmount("organization_profile", target)

    def open_organization_profile(self, **options: Any) -> None:
        """Open OrganizationProfile in a modal dialog."""
        self._ui().open("organization_profile", options)

    def close_organization_profile(self) -> None:
        """Close the OrganizationProfile modal."""
        self._ui().close("organization_profile")

    def mount_create_organization(self, target: Any, **options: Any) -> None:
        """Render the CreateOrganization component into ``target``."""
        self._ui().mount("create_organization", target, options)

    def unmount_create_organization(self, target: Any) -> None:
        """Remove the CreateOrganization component from ``target``."""
        self._ui().unmount("create_organization", target)

    def open_create_organization(self, **options: Any) -> None:
        """Open CreateOrganization in a modal dialog."""
        self._ui().open("create_organization", options)

    def close_create_organization(self) -> None:
        """Close the CreateOrganization modal."""
        self._ui().close("create_organization")

    def mount_organization_list(self, target: Any, **options: Any) -> None:
        """Render the OrganizationList component into ``target``."""
        self._ui().mount("organization_list", target, options)

    def unmount_organization_list(self, target: Any) -> None:
        """Remove the OrganizationList component from ``target``."""
        self._ui().unmount("organization_list", target)

    async def aclose(self) -> None:
        """Cancel background token refreshes and close the transport if it holds connections."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        closer = getattr(self._transport, "aclose", None)
        if closer is not None:
            await closer()

    def __repr__(self) -> str:
        return f"<Clerk {self.frontend_api_url} loaded={self.loaded} user={self.user!r}>"
