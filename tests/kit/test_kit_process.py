"""``LocalProcess``, the one way this repository and the kit start a local Clerk instance: its options (a
caller's data folder kept across restarts, the demo user, host and port, a caller's static folder, extra
arguments), its exit codes, failed starts, and what is left when the caller dies without stopping it."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from clerk_emulator.kit import ClerkInstance, ClerkKitError, LocalProcess, publishable_key_for
from clerk_emulator.kit.http import request
from kit_support import alive, wait_until


@pytest.fixture
def kit_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty folder of the test's own where the kit makes its temporary folders (``root``)."""
    folder = tmp_path / "kit-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def _site(folder: Path) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text("<p>mine</p>")
    return folder


def test_a_callers_data_folder_is_kept_and_restarts_the_same_instance(tmp_path: Path, kit_tmp: Path) -> None:
    data, site = tmp_path / "data", _site(tmp_path / "site")
    with LocalProcess(data, seed=True, static_dir=site) as first:
        assert (first.demo_email, first.demo_password) == ("demo+clerk_test@example.com", "demo-password-424242")
        assert first.data_dir == data.resolve() and first.static_dir == site.resolve()
        assert first.root.parent == kit_tmp and first.root.is_dir()
        assert request("GET", first.fapi_url + "/").body == "<p>mine</p>"
        signed_in = request("POST", first.fapi_url + "/v1/client/sign_ins", query={"__clerk_db_jwt": request(
            "POST", first.fapi_url + "/v1/dev_browser", form={}).body["id"]}, form={
            "strategy": "password", "identifier": first.demo_email, "password": first.demo_password}).body
        assert signed_in["response"]["status"] == "complete"
        # serve() fills the kit's own folder only: a folder the caller gave is theirs.
        inst = ClerkInstance(fapi_url=first.fapi_url, bapi_url=first.bapi_url, publishable_key=first.publishable_key,
                             secret_key=first.secret_key, is_local=True, process=first)
        with pytest.raises(ClerkKitError, match="kit's own static folder"):
            inst.serve(tmp_path)
        keys = (first.publishable_key, first.secret_key)
        port = first.port
    assert first.stop() == 0 and first.pid is None  # a clean SIGTERM exit; idempotent
    assert not first.root.exists() and (data / "clerk-emulator.sqlite3").is_file()
    assert [p.name for p in site.iterdir()] == ["index.html"]

    # Same folder, same port: the same instance (keys, the demo user), now without printing the demo line.
    with LocalProcess(data, port=port) as second:
        assert (second.publishable_key, second.secret_key) == keys
        assert second.demo_email is None and second.demo_password is None
        users = request("GET", second.bapi_url + "/users",
                        headers={"Authorization": f"Bearer {second.secret_key}"}).body
        assert [u["email_addresses"][0]["email_address"] for u in users] == ["demo+clerk_test@example.com"]
    assert list(kit_tmp.iterdir()) == []


def test_host_port_and_extra_arguments(kit_tmp: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    with LocalProcess(host="localhost", port=port, extra_args=["--no-loopback-origins"]) as proc:
        assert proc.fapi_url == f"http://localhost:{port}" and proc.port == port
        assert proc.bapi_url == proc.fapi_url + "/bapi/v1"
        assert proc.publishable_key == publishable_key_for(proc.fapi_url)
        assert proc.demo_email is None  # no demo user unless seed=True
        assert request("GET", proc.fapi_url + "/bapi/v1/users",
                       headers={"Authorization": f"Bearer {proc.secret_key}"}).body == []
        # --no-loopback-origins reached the instance: another loopback origin is refused.
        answer = request("GET", proc.fapi_url + "/v1/environment", headers={"Origin": "http://127.0.0.1:5173"},
                         ok_statuses=(400,))
        assert answer.status == 400 and answer.body["errors"][0]["code"] == "origin_invalid"
        assert proc.data_dir == proc.root / "data" and proc.static_dir == proc.root / "www"
    assert list(kit_tmp.iterdir()) == []


def test_kill_is_sigkill_and_stop_stays_idempotent(kit_tmp: Path) -> None:
    proc = LocalProcess()
    pid = proc.pid
    assert pid is not None and alive(pid)
    assert proc.kill() == -signal.SIGKILL
    assert proc.pid is None and not alive(pid) and not proc.root.exists()
    assert proc.stop() == -signal.SIGKILL
    assert list(kit_tmp.iterdir()) == []


def test_a_failed_start_is_a_kit_error_and_leaves_nothing(tmp_path: Path, kit_tmp: Path) -> None:
    with pytest.raises(ClerkKitError, match=r"exited with 2 before it was ready(.|\n)*is not a folder"):
        LocalProcess(static_dir=tmp_path / "missing")
    (tmp_path / "settings.json").write_text('{"sign_up": {"mode": "sometimes"}}')
    with pytest.raises(ClerkKitError, match="bad --settings"):
        LocalProcess(settings_file=tmp_path / "settings.json")
    with pytest.raises(ClerkKitError, match="did not start within 0 s"):
        LocalProcess(timeout=0.01)
    wait_until(lambda: not any(kit_tmp.iterdir()), 10, "the kit's temporary folders to go")


CALLER = """
import json, sys, time
from clerk_emulator.kit import LocalProcess
proc = LocalProcess(sys.argv[1], static_dir=sys.argv[2])
print(json.dumps({"pid": proc.pid, "root": str(proc.root)}), flush=True)
time.sleep(600)
"""


def test_a_dead_caller_leaves_no_instance_and_keeps_its_own_folders(tmp_path: Path) -> None:
    data, site = tmp_path / "data", _site(tmp_path / "site")
    caller = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CALLER), str(data), str(site)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert caller.stdout is not None
        started = json.loads(caller.stdout.readline())
        assert alive(started["pid"]) and Path(started["root"]).is_dir()
    finally:
        caller.send_signal(signal.SIGKILL)  # no teardown runs in the caller
        caller.wait()
    wait_until(lambda: not alive(started["pid"]), 15, "the orphaned instance to stop")
    wait_until(lambda: not Path(started["root"]).exists(), 15, "the kit's temporary folder to go")
    assert (data / "clerk-emulator.sqlite3").is_file() and [p.name for p in site.iterdir()] == ["index.html"]
