"""The plugin without a browser: registration, the instance's lifetime (normal end, failure, Ctrl-C, a killed
test process, a failed start), users, testing tokens, settings, outbox, reset and --clerk-instance-url."""

from __future__ import annotations

import signal

import pytest
from clerk_emulator.kit import ClerkInstance
from clerk_emulator.kit.http import request
from kit_support import Project, alive, wait_until

BASICS = '''
import pathlib
import time

import pytest

from clerk_emulator.kit import ClerkAPIError, ClerkKitError, new_test_email
from clerk_emulator.kit.http import request

HERE = pathlib.Path(__file__).parent


def fapi(inst, path, form=None, **query):
    """POST to the Frontend API as a fresh browser (its own dev-browser client)."""
    if "__clerk_db_jwt" not in query:
        query["__clerk_db_jwt"] = request("POST", inst.fapi_url + "/v1/dev_browser", form={}).body["id"]
    return request("POST", inst.fapi_url + path, form=form or {}, query=query).body


def test_instance(clerk_instance):
    assert clerk_instance.started and clerk_instance.is_local
    assert clerk_instance.fapi_url.startswith("http://127.0.0.1:")
    assert clerk_instance.bapi_url == clerk_instance.fapi_url + "/bapi/v1"
    assert clerk_instance.publishable_key.startswith("pk_test_")
    assert clerk_instance.secret_key.startswith("sk_test_")
    assert clerk_instance.data_dir.is_dir() and clerk_instance.pid
    assert "auth_config" in request("GET", clerk_instance.fapi_url + "/v1/environment").body
    assert clerk_instance.bapi.list_users() == []  # no demo user
    assert clerk_instance.settings()["email_link"]["require_same_client"] is True  # --clerk-settings


def test_user_factory(clerk_instance, clerk_user):
    user = clerk_user(unsafe_metadata={"theme": "dark"}, first_name="Ada")
    assert user.email.endswith("+clerk_test@example.com") and len(user.password) >= 8
    stored = clerk_instance.bapi.get_user(user.id)
    assert stored["unsafe_metadata"] == {"theme": "dark"} and stored["first_name"] == "Ada"
    assert stored["email_addresses"][0]["email_address"] == user.email
    bare = clerk_user("bare+clerk_test@example.com", password=None, username="bare_user")
    assert bare.password is None and bare.username == "bare_user"
    assert clerk_instance.bapi.get_user(bare.id)["password_enabled"] is False
    # The password works: a sign-in over the Frontend API completes.
    done = fapi(clerk_instance, "/v1/client/sign_ins",
                {"strategy": "password", "identifier": user.email, "password": user.password})
    assert done["response"]["status"] == "complete"
    (HERE / "made.txt").write_text(f"{user.id} {bare.id}")


def test_users_of_the_previous_test_are_gone(clerk_instance):
    for user_id in (HERE / "made.txt").read_text().split():
        with pytest.raises(ClerkAPIError) as err:
            clerk_instance.bapi.get_user(user_id)
        assert err.value.status == 404 and err.value.code == "resource_not_found"
    assert clerk_instance.bapi.list_users() == []


def test_settings_for_one_test(clerk_instance):
    assert clerk_instance.settings()["sign_up"]["captcha_enabled"] is False
    assert clerk_instance.settings({"sign_up": {"captcha_enabled": True}})["sign_up"]["captcha_enabled"] is True
    env = request("GET", clerk_instance.fapi_url + "/v1/environment").body
    assert env["user_settings"]["sign_up"]["captcha_enabled"] is True
    clerk_instance.settings({"single_session_mode": True}, keep=True)


def test_settings_undone_after_the_test_but_kept_ones_stay(clerk_instance):
    now = clerk_instance.settings()
    assert now["sign_up"]["captcha_enabled"] is False
    assert now["single_session_mode"] is True


def test_testing_token(clerk_instance, clerk_testing_token):
    assert str(clerk_testing_token) == clerk_testing_token.token
    assert clerk_testing_token.expires_at > time.time() + 3000
    clerk_instance.settings({"sign_up": {"captcha_enabled": True}})
    form = {"email_address": new_test_email("captcha"), "password": "captcha-password-4242"}
    with pytest.raises(ClerkAPIError) as err:
        fapi(clerk_instance, "/v1/client/sign_ups", form)
    assert err.value.code == "captcha_missing_token"
    answer = fapi(clerk_instance, "/v1/client/sign_ups", form, **clerk_testing_token.params)
    assert answer["client"]["captcha_bypass"] is True
    assert answer["response"]["email_address"] == form["email_address"]  # created; verification comes next


def test_outbox(clerk_instance, clerk_user):
    user = clerk_user()
    db_jwt = request("POST", clerk_instance.fapi_url + "/v1/dev_browser", form={}).body["id"]
    started = fapi(clerk_instance, "/v1/client/sign_ins", {"identifier": user.email}, __clerk_db_jwt=db_jwt)
    attempt = started["response"]
    factor = next(f for f in attempt["supported_first_factors"] if f["strategy"] == "email_code")
    fapi(clerk_instance, f"/v1/client/sign_ins/{attempt['id']}/prepare_first_factor",
         {"strategy": "email_code", "email_address_id": factor["email_address_id"]}, __clerk_db_jwt=db_jwt)
    (message,) = clerk_instance.outbox(to=user.email)
    assert message["kind"] == "sign_in_code" and message["code"] == "424242"
    assert clerk_instance.outbox(to=user.email, kind="invitation") == []
    clerk_instance.clear_outbox()
    assert clerk_instance.outbox() == []


def test_reset(clerk_instance, clerk_user):
    clerk_user()
    clerk_instance.bapi.create_invitation(new_test_email("invited"))
    clerk_instance.settings({"sign_up": {"mode": "restricted"}}, keep=True)
    clerk_instance.reset()
    assert clerk_instance.bapi.list_users() == []
    assert clerk_instance.bapi.call("GET", "/invitations") == []
    assert clerk_instance.outbox() == []
    settings = clerk_instance.settings()
    assert settings["sign_up"]["mode"] == "public" and settings["single_session_mode"] is False
    assert settings["email_link"]["require_same_client"] is True  # the start's settings file stays


def test_serve_needs_folders(clerk_instance, tmp_path):
    with pytest.raises(ClerkKitError, match="is not a folder"):
        clerk_instance.serve(tmp_path / "missing")


def test_fails_on_purpose(clerk_instance):
    assert clerk_instance.bapi.list_users() == ["deliberately wrong"]
'''


def test_registered_through_the_entry_point(project: Project) -> None:
    result = project.run("--fixtures")
    result.stdout.fnmatch_lines(["*clerk_instance [[]session scope[]]*"])
    for name in ("clerk_user", "clerk_testing_token", "clerk_sign_in", "clerk_sign_out"):
        assert f"\n{name}" in result.stdout.str()
    assert project.instances() == []  # nothing asked for an instance: none was started


def test_fixtures_work_and_a_failing_test_leaves_nothing_behind(project: Project) -> None:
    project.pytester.makepyfile(test_basics=BASICS)
    (project.path / "settings.json").write_text('{"email_link": {"require_same_client": true}}')
    result = project.run("-v", "--clerk-settings", "settings.json")
    result.assert_outcomes(passed=9, failed=1)
    result.stdout.fnmatch_lines(["*test_fails_on_purpose FAILED*", "*deliberately wrong*"])
    (first, *rest) = project.instances()
    assert all(r == first for r in rest), "one instance for the whole session"
    project.assert_nothing_left()


SLEEPER = '''
import pathlib
import time


def test_waits(clerk_instance, clerk_user):
    clerk_user()
    pathlib.Path("started").write_text("1")
    time.sleep(120)
'''


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_interrupted_or_killed_run_leaves_nothing_behind(project: Project, sig: signal.Signals) -> None:
    project.pytester.makepyfile(test_sleeper=SLEEPER)
    proc = project.popen("-v")
    try:
        wait_until(lambda: (project.path / "started").exists() or proc.poll() is not None, 60, "the test to start")
        assert proc.poll() is None, proc.communicate()[0].decode()
        (record,) = project.instances()
        assert alive(int(str(record["pid"])))
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=60)
    finally:
        project.kill_tree(proc)
    if sig == signal.SIGINT:
        assert proc.returncode == pytest.ExitCode.INTERRUPTED, out.decode()
        assert "KeyboardInterrupt" in out.decode()
    else:
        assert proc.returncode == -signal.SIGKILL
    # Killed, pytest ran no teardown: the instance notices its parent is gone and cleans up by itself.
    project.assert_nothing_left()


def test_a_failed_start_is_clear_and_leaves_nothing_behind(project: Project) -> None:
    project.pytester.makeini("[pytest]\nclerk_settings = settings/bad.json\n")
    (project.path / "settings").mkdir()
    (project.path / "settings" / "bad.json").write_text('{"sign_up": {"mode": "nonsense"}}')
    project.pytester.makepyfile("def test_needs_it(clerk_instance):\n    pass\n")
    result = project.run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ClerkKitError: the local Clerk instance exited with 2 before it was ready*",
                                 "*bad --settings*"])
    project.assert_nothing_left()


CONNECTED = '''
import pytest

from clerk_emulator.kit import ClerkKitError


def test_uses_the_running_instance(clerk_instance, clerk_user, tmp_path):
    assert not clerk_instance.started and clerk_instance.is_local and clerk_instance.data_dir is None
    user = clerk_user(unsafe_metadata={"from": "connected"})
    assert clerk_instance.bapi.get_user(user.id)["unsafe_metadata"] == {"from": "connected"}
    assert clerk_instance.outbox() == []
    with pytest.raises(ClerkKitError, match="serve the app yourself"):
        clerk_instance.serve(tmp_path)
'''


def test_instance_url_points_the_fixtures_at_a_running_instance(project: Project,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    running = ClerkInstance.start()  # the kit's classes work without the plugin too
    try:
        project.pytester.makepyfile(test_connected=CONNECTED)
        result = project.run("--clerk-instance-url", running.fapi_url)
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*needs the instance's secret key in CLERK_SECRET_KEY*"])

        monkeypatch.setenv("CLERK_SECRET_KEY", running.secret_key)
        monkeypatch.setenv("CLERK_PUBLISHABLE_KEY", "pk_test_" + "b3RoZXIuaG9zdDoxJA")  # names other.host:1
        result = project.run("--clerk-instance-url", running.fapi_url)
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*CLERK_PUBLISHABLE_KEY names 'other.host:1', not the instance*"])

        monkeypatch.setenv("CLERK_PUBLISHABLE_KEY", running.publishable_key)
        result = project.run("--clerk-instance-url", running.fapi_url + "/")
        result.assert_outcomes(passed=1)
        assert project.instances()[-1] == {"pid": None, "root": None}
        # Still running afterwards, and the user the test made is gone again.
        assert request("GET", running.fapi_url + "/__emulator/health").body == {"ok": True, "users": 0}
        project.assert_nothing_left()
    finally:
        running.close()
    assert running.pid is None and running.process is not None and not running.process.root.exists()
