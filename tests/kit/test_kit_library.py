"""The kit's classes used directly (no pytest plugin, no browser): serving folders on the instance's origin,
the storage names shared with clerk-frontend and clerk-js, keys, testing-token URLs, connecting to instances,
Clerk-shaped errors, and pytest-playwright's launch arguments."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from clerk_emulator.kit import (
    ClerkAPIError,
    ClerkInstance,
    ClerkKitError,
    cookie_suffix,
    publishable_key_for,
    with_testing_token,
)
from clerk_emulator.kit.chromium import CHROMIUM, CHROMIUM_ARGS, launch_args
from clerk_emulator.kit.http import request

from clerk_frontend import Clerk


@pytest.fixture(scope="module")
def instance() -> Iterator[ClerkInstance]:
    inst = ClerkInstance.start()
    yield inst
    inst.close()


def get(inst: ClerkInstance, path: str, gzip_ok: bool = False) -> tuple[int, str, dict[str, str]]:
    headers = {"Accept-Encoding": "gzip" if gzip_ok else "identity"}
    answer = request("GET", inst.url(path), headers=headers, ok_statuses=(404,))
    body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
    return answer.status, body, answer.headers


def test_serve_layers_folders_on_the_instance_origin(instance: ClerkInstance, tmp_path: Path) -> None:
    app, bundle = tmp_path / "app", tmp_path / "bundle"
    (app / "js").mkdir(parents=True)
    (bundle / "js").mkdir(parents=True)
    (app / "index.html").write_text('<p data-pk="%CLERK_PUBLISHABLE_KEY%" data-api="%CLERK_FRONTEND_API%">app</p>')
    (app / "plain.html").write_text("<p>no placeholders</p>")
    (bundle / "index.html").write_text("bundle index")
    (bundle / "index.html.gz").write_bytes(gzip.compress(b"stale bundle index"))  # belongs to the shadowed file
    (bundle / "js" / "lib.js").write_text("export const lib = 1;")
    (bundle / "js" / "lib.js.gz").write_bytes(gzip.compress(b"export const lib = 1;"))
    (app / "js" / "app.js").write_text("export const app = 1;")
    (bundle / "js" / "app.js").write_text("shadowed")

    url = instance.serve(app, bundle)
    assert url == instance.fapi_url + "/"
    status, body, _ = get(instance, "/", gzip_ok=True)
    assert (status, body) == (200, f'<p data-pk="{instance.publishable_key}" data-api="{instance.fapi_url}">app</p>')
    assert get(instance, "/js/app.js")[1] == "export const app = 1;"
    status, body, headers = get(instance, "/js/lib.js", gzip_ok=True)
    assert headers.get("content-encoding") == "gzip" and headers["content-type"].startswith("text/javascript")
    config = json.loads(get(instance, "/clerk-config.json")[1])
    assert config == {"publishable_key": instance.publishable_key, "frontend_api_url": instance.fapi_url}
    assert "sk_" not in json.dumps(config)
    # Not templated: linked, so an edit in place shows at once.
    (app / "plain.html").write_text("<p>edited</p>")
    assert get(instance, "/plain.html")[1] == "<p>edited</p>"

    # A second call replaces what was served; the Frontend API is untouched.
    other = tmp_path / "other"
    other.mkdir()
    (other / "only.html").write_text("only")
    instance.serve(other)
    assert get(instance, "/only.html")[1] == "only"
    assert get(instance, "/js/app.js")[0] == 404
    assert "auth_config" in request("GET", instance.fapi_url + "/v1/environment").body


def test_storage_names_match_clerk_frontend(instance: ClerkInstance) -> None:
    sdk = Clerk(instance.publishable_key, storage={})
    assert sdk._storage_key == f"__clerk_db_jwt_{cookie_suffix(instance.publishable_key)}"


def test_publishable_key_for_matches_the_printed_key(instance: ClerkInstance) -> None:
    assert publishable_key_for(instance.fapi_url) == instance.publishable_key


def test_with_testing_token() -> None:
    url = "http://127.0.0.1:1/v1/client?__clerk_api_version=2026-05-12&__clerk_testing_token=old"
    assert with_testing_token(url, "1-abc") == (
        "http://127.0.0.1:1/v1/client?__clerk_api_version=2026-05-12&__clerk_testing_token=1-abc")


def test_errors_are_clerk_shaped(instance: ClerkInstance) -> None:
    with pytest.raises(ClerkAPIError) as err:
        instance.bapi.get_user("user_missing")
    assert err.value.status == 404 and err.value.code == "resource_not_found"
    assert "GET /bapi/v1/users/user_missing -> 404 resource_not_found" in str(err.value)
    with pytest.raises(ClerkKitError, match="is the Clerk instance running"):
        request("GET", "http://127.0.0.1:9/nothing", timeout=2)


def test_connect_checks_its_input(instance: ClerkInstance) -> None:
    with pytest.raises(ClerkKitError, match="absolute http"):
        ClerkInstance.connect("127.0.0.1:8790", secret_key="sk_test_x")
    with pytest.raises(ClerkKitError, match="development instances only"):
        ClerkInstance.connect(instance.fapi_url, publishable_key="pk_live_Y2xlcmsuZXhhbXBsZS5jb20k",
                              secret_key=instance.secret_key)
    with pytest.raises(ClerkKitError, match="CLERK_PUBLISHABLE_KEY"):
        ClerkInstance.connect("https://clerk.example.test", secret_key="sk_test_x")
    connected = ClerkInstance.connect(instance.fapi_url, secret_key=instance.secret_key)
    assert connected.publishable_key == instance.publishable_key and not connected.started
    assert connected.bapi.list_users() == []
    connected.close()  # leaves the instance running
    assert request("GET", instance.fapi_url + "/__emulator/health").body["ok"] is True


def test_a_real_instance_gets_no_local_only_operations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Nothing is sent: these are refused before any request.
    monkeypatch.delenv("CLERK_API_URL", raising=False)
    real = ClerkInstance.connect("https://clerk.example.test", publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA",
                                 secret_key="sk_test_x")
    assert not real.is_local and real.bapi_url == "https://api.clerk.com/v1"
    with pytest.raises(ClerkKitError, match="refused for a real Clerk instance"):
        real.reset()
    with pytest.raises(ClerkKitError, match="has no such route"):
        real.outbox()
    with pytest.raises(ClerkKitError, match="has no such route"):
        real.settings({"single_session_mode": True})
    with pytest.raises(ClerkKitError, match="serve the app yourself"):
        real.serve(tmp_path)
    monkeypatch.setenv("CLERK_API_URL", "https://api.example.test/")
    assert ClerkInstance.connect("https://clerk.example.test", publishable_key="pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA",
                                 secret_key="sk_test_x").bapi_url == "https://api.example.test/v1"


def test_start_uses_its_own_folder_and_close_removes_it() -> None:
    inst = ClerkInstance.start(extra_args=["--rate-limits"])
    assert inst.process is not None
    root = inst.process.root
    try:
        assert root.name.startswith("clerk-kit-") and inst.data_dir == root / "data"
        assert (inst.data_dir / "clerk-emulator.sqlite3").exists()
        # The extra argument reached the instance: Clerk's development limit of 5 sign-in attempts per 10 s.
        statuses = [request("POST", inst.fapi_url + "/v1/client/sign_ins", form={"identifier": "x@example.com"},
                            ok_statuses=(422, 429)).status for _ in range(6)]
        assert statuses[-1] == 429, statuses
    finally:
        inst.close()
    assert not root.exists() and inst.pid is None
    inst.close()  # idempotent


def test_launch_args(tmp_path: Path) -> None:
    assert launch_args({"headless": True, "args": ["--lang=de"]}, "chromium", CHROMIUM) == {
        "headless": True, "executable_path": CHROMIUM, "args": [*CHROMIUM_ARGS, "--lang=de"]}
    with pytest.raises(pytest.UsageError, match="runs Chromium only"):
        launch_args({}, "firefox", CHROMIUM)
    with pytest.raises(pytest.UsageError, match="--browser-channel is not used"):
        launch_args({"channel": "chrome"}, "chromium", CHROMIUM)
    with pytest.raises(pytest.UsageError, match="Chromium not found at"):
        launch_args({}, "chromium", str(tmp_path / "no-chromium"))
