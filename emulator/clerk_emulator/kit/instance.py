"""``ClerkInstance``: one Clerk instance as tests see it, started by the kit or already running."""

from __future__ import annotations

import base64
import json
import os
import shutil
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .backend import BackendAPI
from .http import ClerkAPIError, ClerkKitError, is_loopback, request
from .process import LocalProcess

__all__ = ["CONFIG_FILE", "ClerkInstance", "publishable_key_for"]

#: Written by :meth:`ClerkInstance.serve` at the root of the served folder: the page's Clerk configuration.
CONFIG_FILE = "clerk-config.json"
#: Placeholders replaced in served ``.html`` files.
PLACEHOLDERS = ("%CLERK_PUBLISHABLE_KEY%", "%CLERK_FRONTEND_API%")
CLERK_API_URL = "https://api.clerk.com"  # Clerk's Backend API, unless CLERK_API_URL says otherwise


def publishable_key_for(fapi_url: str) -> str:
    """The development publishable key naming the Frontend API at ``fapi_url`` (``pk_test_`` + base64 of
    ``host[:port]$`` without padding), as the local instance prints it."""
    host = urllib.parse.urlsplit(fapi_url).netloc
    return "pk_test_" + base64.b64encode(f"{host}$".encode()).decode().rstrip("=")


def _host_of_key(publishable_key: str) -> str:
    try:
        encoded = publishable_key.split("_", 2)[2]
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode().rstrip("$")
    except (IndexError, ValueError) as exc:
        raise ClerkKitError(f"CLERK_PUBLISHABLE_KEY is not a publishable key ({exc})") from None


class ClerkInstance:
    """A Clerk instance for tests: the local instance started by the kit (:meth:`start`), or one already
    running, local or a real Clerk development instance (:meth:`connect`).

    Attributes: ``fapi_url`` (the Frontend API origin, no trailing ``/``), ``bapi_url`` (ends in ``/v1``),
    ``publishable_key``, ``secret_key``, ``bapi`` (:class:`BackendAPI`), ``is_local`` (a local Clerk instance,
    whose outbox and settings the kit can reach), ``started`` (started by the kit), ``data_dir`` (its data
    folder when started by the kit, else ``None``)."""

    def __init__(self, *, fapi_url: str, bapi_url: str, publishable_key: str, secret_key: str, is_local: bool,
                 process: LocalProcess | None = None) -> None:
        self.fapi_url = fapi_url.rstrip("/")
        self.bapi_url = bapi_url.rstrip("/")
        self.publishable_key = publishable_key
        self.secret_key = secret_key
        self.is_local = is_local
        self.process = process
        self.bapi = BackendAPI(self.bapi_url, secret_key)
        # Settings changes kept beyond the test that made them (keep=True), replayed after each test's undo.
        self._kept_settings: list[dict[str, Any]] = []
        self._in_test = False
        self._test_changed_settings = False
        self._shared_identity: bool | None = None

    # --- construction --------------------------------------------------------------------------------
    @classmethod
    def start(cls, *, settings_file: str | os.PathLike[str] | None = None,
              extra_args: Iterable[str] = ()) -> ClerkInstance:
        """Start a local Clerk instance on a free loopback port with a fresh data folder (no demo user)."""
        process = LocalProcess(settings_file=settings_file, extra_args=list(extra_args))
        return cls(fapi_url=process.fapi_url, bapi_url=process.bapi_url, publishable_key=process.publishable_key,
                   secret_key=process.secret_key, is_local=True, process=process)

    @classmethod
    def connect(cls, url: str, *, publishable_key: str | None = None, secret_key: str | None = None,
                bapi_url: str | None = None) -> ClerkInstance:
        """Use an instance that is already running at ``url`` (its Frontend API origin).

        A loopback ``url`` is taken for a local Clerk instance (Backend API at ``<url>/bapi/v1``, publishable
        key derived from the URL when not given); any other ``url`` for a real Clerk development instance
        (Backend API at ``$CLERK_API_URL/v1``, default Clerk's). The secret key is always required."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ClerkKitError(f"--clerk-instance-url must be an absolute http(s) URL, got {url!r}")
        origin = f"{parts.scheme}://{parts.netloc}"
        local = is_loopback(origin)
        if not secret_key:
            raise ClerkKitError(
                "--clerk-instance-url needs the instance's secret key in CLERK_SECRET_KEY (the local instance "
                "prints it at start as 'Secret key: sk_test_…'; for a real instance: Clerk Dashboard → API keys)")
        if not publishable_key:
            if not local:
                raise ClerkKitError("--clerk-instance-url of a real Clerk instance needs CLERK_PUBLISHABLE_KEY")
            publishable_key = publishable_key_for(origin)
        if not publishable_key.startswith("pk_test_"):
            raise ClerkKitError("the testing kit works with development instances only (a pk_test_… key)")
        if local and _host_of_key(publishable_key) != parts.netloc:
            raise ClerkKitError(f"CLERK_PUBLISHABLE_KEY names {_host_of_key(publishable_key)!r}, not the instance "
                                f"at {origin}")
        if bapi_url is None:
            if local:
                bapi_url = origin + "/bapi/v1"
            else:
                bapi_url = os.environ.get("CLERK_API_URL", CLERK_API_URL).rstrip("/") + "/v1"
        inst = cls(fapi_url=origin, bapi_url=bapi_url, publishable_key=publishable_key, secret_key=secret_key,
                   is_local=local)
        if local:
            request("GET", origin + "/__emulator/health", timeout=5)  # fails clearly when nothing listens
        return inst

    # --- general ---------------------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        """True when the kit started this instance (and stops it at the end of the session)."""
        return self.process is not None

    @property
    def data_dir(self) -> Path | None:
        """The data folder of an instance the kit started."""
        return self.process.data_dir if self.process is not None else None

    @property
    def pid(self) -> int | None:
        """The process id of an instance the kit started, while it runs."""
        return self.process.pid if self.process is not None else None

    def url(self, path: str = "/") -> str:
        """An absolute URL on the instance's origin (where :meth:`serve` puts the app)."""
        return self.fapi_url + "/" + path.lstrip("/")

    def close(self) -> None:
        """Stop an instance the kit started and remove its folder; a connected instance is left running."""
        if self.process is not None:
            self.process.stop()

    def _control(self, method: str, path: str, *, json_body: Any = None, query: dict[str, str] | None = None) -> Any:
        if not self.is_local:
            raise ClerkKitError(f"{path} belongs to the local Clerk instance; a real Clerk instance has no such "
                                f"route (use the Backend API, clerk_instance.bapi)")
        return request(method, self.fapi_url + path, json_body=json_body, query=query).body

    # --- outbox -----------------------------------------------------------------------------------------
    def outbox(self, to: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """Messages the local instance "sent" (codes, links, invitations), newest first, optionally only those
        to ``to`` or of ``kind`` (``sign_in_code``, ``sign_up_link``, ``invitation``, …)."""
        query = {k: v for k, v in (("to", to), ("kind", kind)) if v is not None}
        return list(self._control("GET", "/__emulator/outbox", query=query)["data"])

    def clear_outbox(self) -> None:
        """Empty the outbox."""
        self._control("DELETE", "/__emulator/outbox")

    # --- settings ---------------------------------------------------------------------------------------
    def settings(self, changes: dict[str, Any] | None = None, *, keep: bool = False) -> dict[str, Any]:
        """The instance's effective settings; with ``changes``, deep-merge them first (``null`` removes a key,
        lists are replaced; see the local instance's README, "Instance settings").

        Changes made during a test (its fixtures included) are undone after that test, unless ``keep=True``,
        which keeps them for the rest of the session (until :meth:`reset`)."""
        if changes is None:
            return dict(self._control("GET", "/__emulator/settings"))
        doc = dict(self._control("PATCH", "/__emulator/settings", json_body=changes))
        if keep or not self._in_test:
            self._kept_settings.append(changes)
        else:
            self._test_changed_settings = True
        return doc

    def _restore_settings(self) -> None:
        self._control("DELETE", "/__emulator/settings")
        for changes in self._kept_settings:
            self._control("PATCH", "/__emulator/settings", json_body=changes)

    def begin_test(self) -> None:
        """Called by the plugin when a test starts (before its fixtures are set up)."""
        self._in_test = True
        self._test_changed_settings = False

    def end_test(self) -> None:
        """Called by the plugin after a test's teardown: undo the settings changed during it."""
        self._in_test = False
        if self._test_changed_settings and (self.process is None or self.process.pid is not None):
            self._test_changed_settings = False
            self._restore_settings()

    # --- reset -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Put the local instance back to its state at start: every user, organization and pending invitation
        removed, the outbox emptied, the settings and fault rules back to the start. Refused for a real Clerk
        instance (it would delete its users)."""
        if not self.is_local:
            raise ClerkKitError("reset() wipes every user: it is refused for a real Clerk instance")
        while users := self.bapi.call("GET", "/users", query={"limit": "100"}):
            for user in users:
                self._delete_quietly(f"/users/{user['id']}")
        while True:
            orgs = self.bapi.call("GET", "/organizations", query={"limit": "100"})
            items = orgs["data"] if isinstance(orgs, dict) else orgs
            if not items:
                break
            for org in items:
                self._delete_quietly(f"/organizations/{org['id']}")
        while pending := self.bapi.call("GET", "/invitations", query={"status": "pending", "limit": "500"}):
            for invitation in pending:
                self.bapi.call("POST", f"/invitations/{invitation['id']}/revoke")
        self.clear_outbox()
        self._kept_settings.clear()
        self._test_changed_settings = False
        self._control("DELETE", "/__emulator/settings")
        self._control("DELETE", "/__emulator/faults")

    def _delete_quietly(self, path: str) -> None:
        try:
            self.bapi.call("DELETE", path)
        except ClerkAPIError as err:
            if err.status != 404:
                raise

    # --- serving the app ---------------------------------------------------------------------------------
    def serve(self, *folders: str | os.PathLike[str]) -> str:
        """Serve ``folders`` on the instance's own origin (its static mount) and return the origin's URL
        (``…/``). A path is looked up in each folder in turn, so put the app first and the offline bundle
        (``dist/site``) after it. Each call replaces what was served before.

        Also written: ``/clerk-config.json`` (``{"publishable_key", "frontend_api_url"}``, never the secret key),
        and in ``.html`` files ``%CLERK_PUBLISHABLE_KEY%`` and ``%CLERK_FRONTEND_API%`` are replaced. Files
        are hard links where the file system allows (so edits in place show at once), copies otherwise."""
        if self.process is None:
            raise ClerkKitError("serve() needs the local instance the kit started (its static mount); with "
                                "--clerk-instance-url, serve the app yourself (clerk_sign_in works on any "
                                "loopback port)")
        sources = [Path(f).resolve() for f in folders]
        for src in sources:
            if not src.is_dir():
                raise ClerkKitError(f"serve(): {src} is not a folder")
        root = self.process.static_dir
        if self.process.root not in root.parents:  # a folder the caller gave LocalProcess: theirs, not ours
            raise ClerkKitError(f"serve() fills the kit's own static folder; this instance serves {root} as given")
        for child in list(root.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        self._mirror(sources, root)
        config = {"publishable_key": self.publishable_key, "frontend_api_url": self.fapi_url}
        (root / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
        return self.fapi_url + "/"

    def _mirror(self, sources: list[Path], root: Path) -> None:
        chosen: dict[str, Path] = {}  # relative path -> the folder it comes from (first folder wins)
        gz: dict[str, Path] = {}
        for src in sources:
            for path in sorted(src.rglob("*")):
                if path.is_dir():
                    continue
                rel = path.relative_to(src).as_posix()
                target = gz if rel.endswith(".gz") else chosen
                target.setdefault(rel, src)
        replaced = {"%CLERK_PUBLISHABLE_KEY%": self.publishable_key, "%CLERK_FRONTEND_API%": self.fapi_url}
        templated: set[str] = set()
        for rel, src in chosen.items():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel.endswith(".html"):
                text = (src / rel).read_bytes()
                if any(p.encode() in text for p in PLACEHOLDERS):
                    for name, value in replaced.items():
                        text = text.replace(name.encode(), value.encode())
                    dest.write_bytes(text)
                    templated.add(rel)
                    continue
            _link_or_copy(src / rel, dest)
        for rel, src in gz.items():
            plain = rel[:-3]
            # A precompressed copy is served in place of its file: only when it belongs to the file served.
            if plain in templated or plain == CONFIG_FILE or (plain in chosen and chosen[plain] != src):
                continue
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(src / rel, dest)

    def __repr__(self) -> str:
        how = "started" if self.started else "connected"
        return f"ClerkInstance({self.fapi_url!r}, {how}, local={self.is_local})"


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)
