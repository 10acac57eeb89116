"""PyfetchTransport and SyncXHRTransport against stand-ins for the browser modules.

The real ones only exist in a page; these tests pin what the transports hand to ``pyfetch`` and to
pyodide-http (credentials, method, headers, body), the credentialed-XHR swap and the error mapping.
"""

import sys
import types
from typing import Any

import pytest

from clerk_frontend import ClerkNetworkError, FapiRequest, PyfetchTransport, SyncXHRTransport, run_sync


class FakeJsException(Exception):
    pass


def install(monkeypatch: pytest.MonkeyPatch, **modules: types.ModuleType) -> None:
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)


def module(name: str, **attrs: Any) -> types.ModuleType:
    mod = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(mod, key, value)
    return mod


JSNULL = type("JsNull", (), {"__bool__": lambda self: False})()  # how Pyodide hands over JS null


class FakeHeaders:
    """A fetch ``Headers``: ``get`` gives JS null (not None) when absent; iterates as lower-cased pairs."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self.reads: list[str] = []

    def get(self, name: str) -> Any:
        self.reads.append(name)
        return dict(self.pairs).get(name, JSNULL)

    def __iter__(self) -> Any:
        return iter(self.pairs)


class FakeJsBuffer:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def to_bytes(self) -> bytes:
        return self.data


class FakeJsResponse:
    """A fetch ``Response`` as Pyodide proxies it (only its headers are read)."""

    def __init__(self) -> None:
        self.headers = FakeHeaders([("content-type", "application/json"), ("retry-after", "2")])


class FakeAnswer:
    """What the transport's JS fetcher resolves to, and so pyfetch's ``FetchResponse.js_response``."""

    def __init__(self) -> None:
        self.status = 422
        self.body = FakeJsBuffer(b'{"errors": []}')
        self.response = FakeJsResponse()


class FakeFetchResponse:
    def __init__(self) -> None:
        self.js_response = FakeAnswer()


class FakeJsObject:
    """A JS object as Pyodide hands it over: ``to_py()`` converts it."""

    def __init__(self, entries: Any) -> None:
        self.entries = dict(entries)

    def to_py(self) -> dict[str, str]:
        return self.entries


class FakeObject:
    """The JS ``Object`` global (only ``Object.fromEntries``)."""

    @staticmethod
    def fromEntries(entries: Any) -> FakeJsObject:
        return FakeJsObject(entries)


class FakeFetcher:
    """The JS fetcher the transport hands to pyfetch: remembers the timeout (ms) it was made with."""

    def __init__(self, ms: int | None) -> None:
        self.ms = ms


class FakeHelpers:
    """The transport's JS helpers (``_BROWSER_JS``), as plain Python."""

    def __init__(self) -> None:
        self.made: list[int | None] = []

    def fetcher(self, ms: int | None) -> FakeFetcher:
        self.made.append(ms)
        return FakeFetcher(ms)

    @staticmethod
    def header(response: FakeJsResponse, name: str) -> Any:
        return response.headers.get(name)


class FakeAbortSignal:
    @staticmethod
    def timeout(ms: int) -> tuple[str, int]:
        return ("timeout", ms)


def pyfetch_modules(monkeypatch: pytest.MonkeyPatch, fetch: Any, *, evals: list[str] | None = None) -> FakeHelpers:
    """``evals``: a list collecting the code given to ``run_js``, which then fails as under a policy without
    'unsafe-eval'."""
    helpers = FakeHelpers()
    monkeypatch.setattr("clerk_frontend.transports._eval_refused", False)

    def run_js(code: str) -> FakeHelpers:
        if evals is None:
            return helpers
        evals.append(code)
        raise FakeJsException("EvalError: Refused to evaluate a string as JavaScript because 'unsafe-eval' ...")

    install(monkeypatch, pyodide=module("pyodide"), js=module("js", Object=FakeObject, AbortSignal=FakeAbortSignal),
            **{"pyodide.http": module("pyodide.http", pyfetch=fetch),
               "pyodide.code": module("pyodide.code", run_js=run_js),
               "pyodide.ffi": module("pyodide.ffi", JsException=FakeJsException, to_js=lambda b: ("js", b))})
    return helpers


async def test_pyfetch_sends_credentials_and_only_the_body_content_type(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    async def fetch(url: str, **options: Any) -> FakeFetchResponse:
        seen.update(options, url=url)
        return FakeFetchResponse()

    helpers = pyfetch_modules(monkeypatch, fetch)
    request = FapiRequest("POST", "http://127.0.0.1:1/v1/me?_method=PATCH",
                          {"content-type": "application/x-www-form-urlencoded"}, b"first_name=Ada")
    transport = PyfetchTransport()
    response = await transport.handle(request)
    fetcher = seen.pop("fetcher")
    assert isinstance(fetcher, FakeFetcher) and fetcher.ms == 30_000  # the browser's timer, 30 s default
    assert seen == {"url": request.url, "method": "POST", "credentials": "include",
                    "headers": {"content-type": "application/x-www-form-urlencoded"}, "body": "first_name=Ada"}
    assert (response.status, response.headers["retry-after"], response.body) == (422, "2", b'{"errors": []}')
    assert response.headers.get("clerk-db-jwt") is None and response.headers.get("x", "d") == "d"
    assert dict(response.headers) == {"content-type": "application/json", "retry-after": "2"}
    with pytest.raises(KeyError):
        response.headers["clerk-db-jwt"]

    await transport.handle(request)
    assert helpers.made == [30_000], "the JS fetcher is made once per timeout value"
    transport.timeout = 0.25
    await transport.handle(request)
    assert seen["fetcher"].ms == 250 and helpers.made == [30_000, 250]

    seen.clear()
    await PyfetchTransport(timeout=None).handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))
    assert seen.pop("fetcher").ms is None
    assert seen == {"url": "http://127.0.0.1:1/v1/client", "method": "GET", "credentials": "include"}

    await PyfetchTransport().handle(FapiRequest("POST", "http://x/v1/me/profile_image", {"content-type": "m"}, b"\xff"))
    assert seen["body"] == ("js", b"\xff")  # binary bodies go as a typed array, not a str


@pytest.mark.parametrize("failure", [OSError("Failed to fetch"), FakeJsException("TypeError"), "timeout"])
async def test_pyfetch_failures_become_network_errors(monkeypatch: pytest.MonkeyPatch, failure: Any) -> None:
    async def fetch(url: str, **options: Any) -> FakeFetchResponse:
        if failure == "timeout":
            # What pyfetch raises when the fetcher's timer fires, before or while the body is read
            # (pyodide.http.AbortError is an OSError).
            assert options["fetcher"].ms == 0
            raise OSError("signal timed out")
        raise failure

    pyfetch_modules(monkeypatch, fetch)
    with pytest.raises(ClerkNetworkError) as info:
        await PyfetchTransport(timeout=0).handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))
    assert info.value.url == "http://127.0.0.1:1/v1/client"


async def test_pyfetch_does_not_hide_bugs(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fetch(url: str, **options: Any) -> FakeFetchResponse:
        raise KeyError("bug")

    pyfetch_modules(monkeypatch, fetch)
    with pytest.raises(KeyError):
        await PyfetchTransport().handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))


class FakePlainResponse:
    """pyfetch's ``FetchResponse`` when no fetcher is given: the real Response in ``js_response``."""

    def __init__(self) -> None:
        self.status = 201
        self.js_response = FakeJsResponse()
        self.read = False

    async def bytes(self) -> bytes:
        self.read = True
        return b'{"object": "client"}'


async def test_pyfetch_without_eval_falls_back_to_plain_pyfetch_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []

    async def fetch(url: str, **options: Any) -> FakePlainResponse:
        seen.append(dict(options, url=url))
        return FakePlainResponse()

    evals: list[str] = []
    pyfetch_modules(monkeypatch, fetch, evals=evals)
    request = FapiRequest("POST", "http://127.0.0.1:1/v1/me", {"content-type": "x"}, b"a=1")
    transport = PyfetchTransport(timeout=2)
    response = await transport.handle(request)
    assert len(evals) == 1 and "fetcher" in evals[0]
    assert seen == [{"url": request.url, "method": "POST", "credentials": "include", "headers": {"content-type": "x"},
                     "body": "a=1", "signal": ("timeout", 2000)}]  # no fetcher; the browser's timer as signal
    assert (response.status, response.body) == (201, b'{"object": "client"}')
    assert response.headers["retry-after"] == "2" and response.headers.get("clerk-db-jwt") is None
    assert dict(response.headers) == {"content-type": "application/json", "retry-after": "2"}
    # Tried once per process: later requests and other transports go straight to plain pyfetch.
    await transport.handle(request)
    await PyfetchTransport(timeout=None).handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))
    assert len(evals) == 1 and len(seen) == 3 and "signal" not in seen[2] and "fetcher" not in seen[2]


@pytest.mark.parametrize("failure", [OSError("signal timed out"), FakeJsException("TypeError: Failed to fetch")])
async def test_plain_pyfetch_failures_become_network_errors(monkeypatch: pytest.MonkeyPatch, failure: Any) -> None:
    async def fetch(url: str, **options: Any) -> FakePlainResponse:
        raise failure

    pyfetch_modules(monkeypatch, fetch, evals=[])
    with pytest.raises(ClerkNetworkError) as info:
        await PyfetchTransport().handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))
    assert info.value.url == "http://127.0.0.1:1/v1/client"


class FakeXHRAnswer:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.headers = {"Content-Type": "application/json", "Clerk-Db-Jwt": "dvb_2"}
        self.body = b"{}"


class FakeXHR:
    withCredentials = False


class PlainXHRClass:
    """The page's ``XMLHttpRequest`` as Pyodide hands it over: ``new()`` constructs one."""

    @staticmethod
    def new() -> FakeXHR:
        return FakeXHR()


PLAIN_XHR = PlainXHRClass()


def no_eval(source: str) -> None:
    raise AssertionError("SyncXHRTransport must not eval")


def xhr_modules(monkeypatch: pytest.MonkeyPatch, send: Any) -> types.ModuleType:
    js = module("js", XMLHttpRequest=PLAIN_XHR)
    core = module("pyodide_http._core", send=send, Request=lambda **kw: kw)
    install(monkeypatch, js=js, pyodide=module("pyodide"), pyodide_http=module("pyodide_http", _core=core),
            **{"pyodide_http._core": core,
               "pyodide.ffi": module("pyodide.ffi", JsException=FakeJsException, create_proxy=lambda obj: obj),
               "pyodide.code": module("pyodide.code", run_js=no_eval)})
    return js


def test_sync_xhr_swaps_in_a_credentialed_xhr_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[dict[str, Any], Any]] = []

    def send(request: dict[str, Any]) -> FakeXHRAnswer:
        calls.append((request, js.XMLHttpRequest))
        return FakeXHRAnswer(200)

    js = xhr_modules(monkeypatch, send)
    transport = SyncXHRTransport(timeout=5)
    request = FapiRequest("POST", "http://127.0.0.1:1/v1/me/metadata", {"content-type": "x"}, b"a=1")
    response = run_sync(transport.handle(request))  # never suspends: no event loop needed
    sent, xhr_class = calls[0]
    assert sent == {"method": "POST", "url": request.url, "body": b"a=1", "headers": {"content-type": "x"},
                    "timeout": 5}
    # What pyodide-http finds on the global object makes credentialed XHRs from the page's own class.
    xhr = xhr_class.new()
    assert isinstance(xhr, FakeXHR) and xhr.withCredentials is True and FakeXHR.withCredentials is False
    assert js.XMLHttpRequest is PLAIN_XHR
    run_sync(transport.handle(request))
    assert calls[1][1] is xhr_class, "the stand-in is made once"
    assert response.status == 200 and response.headers["clerk-db-jwt"] == "dvb_2"
    assert transport.blocking is True


@pytest.mark.parametrize("outcome", ["js_error", "status_0"])
def test_sync_xhr_failures_become_network_errors_and_restore(monkeypatch: pytest.MonkeyPatch, outcome: str) -> None:
    def send(request: dict[str, Any]) -> FakeXHRAnswer:
        if outcome == "js_error":
            raise FakeJsException("NetworkError: Failed to execute 'send'")
        return FakeXHRAnswer(0)

    js = xhr_modules(monkeypatch, send)
    with pytest.raises(ClerkNetworkError):
        run_sync(SyncXHRTransport().handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client")))
    assert js.XMLHttpRequest is PLAIN_XHR




class FakeLocalStorage:
    """The localStorage API surface the SDK uses (getItem gives JS null, not None, when absent)."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}

    def getItem(self, key: str) -> str | None:
        return self.items.get(key)

    def setItem(self, key: str, value: str) -> None:
        self.items[key] = value

    def removeItem(self, key: str) -> None:
        self.items.pop(key, None)

    def key(self, index: int) -> str:
        return list(self.items)[index]

    @property
    def length(self) -> int:
        return len(self.items)


async def test_dev_browser_token_persists_in_local_storage() -> None:
    from fapi_recorder import Recorder, envelope, make_clerk, reply, signed_out_client

    from clerk_frontend._pipeline import _LocalStorage

    store = FakeLocalStorage()
    storage = _LocalStorage(store)
    assert storage.get("missing") is None and len(storage) == 0
    rec = Recorder()
    rec.on("POST", "/dev_browser", reply({"id": "dvb_1"}))
    rec.on("GET", "/environment", reply({}), always=True)
    rec.on("GET", "/client", reply(envelope(signed_out_client(), signed_out_client())), always=True)
    await make_clerk(rec, dev_browser=True, storage=storage).load()
    [(key, value)] = store.items.items()
    assert key.startswith("__clerk_db_jwt_") and len(key) == len("__clerk_db_jwt_") + 8 and value == "dvb_1"
    assert list(storage) == [key]
    reloaded = make_clerk(rec, dev_browser=True, storage=_LocalStorage(store))
    assert reloaded.dev_browser_jwt == "dvb_1"
    del storage[key]
    assert store.items == {}


def test_local_storage_reads_the_page_once_and_writes_through() -> None:
    from clerk_frontend._pipeline import _LocalStorage

    store = FakeLocalStorage()
    store.items["k"] = "v1"
    reads: list[str] = []
    get_item = store.getItem
    store.getItem = lambda key: reads.append(key) or get_item(key)  # type: ignore[method-assign]
    storage = _LocalStorage(store)
    assert storage["k"] == "v1" and storage["k"] == "v1" and reads == ["k"]
    storage["k"] = "v2"
    assert store.items["k"] == "v2" and storage["k"] == "v2" and reads == ["k"]
    del storage["k"]
    assert "k" not in store.items and storage.get("k") is None and reads == ["k", "k"]
