"""``import clerk_frontend``, ``Clerk(…)`` and ``load()`` never import the components (``clerk_frontend.ui``): it is
imported by the first ``mount_*`` / ``open_*`` call. Checked on a fresh import of the package (the loaded modules
are put back afterwards, so other tests keep their classes)."""

from __future__ import annotations

import base64
import importlib
import importlib.util
import json
import re
import sys

from fapi_recorder import signed_out_client


async def test_load_does_not_import_the_components() -> None:
    saved = {name: mod for name, mod in sys.modules.items() if name.split(".")[0] == "clerk_frontend"}
    for name in saved:
        del sys.modules[name]
    try:
        fresh = importlib.import_module("clerk_frontend")

        def answer(request):  # type: ignore[no-untyped-def]
            body = {} if "/environment" in request.url else {"response": signed_out_client(),
                                                              "client": signed_out_client()}
            return fresh.FapiResponse(200, {}, json.dumps(body).encode())

        key = "pk_test_" + base64.b64encode(b"clerk.example.com$").decode()
        clerk = fresh.Clerk(key, transport=fresh.MockTransport(answer), dev_browser=False)
        await clerk.load()
        assert clerk.loaded
        loaded = {name for name in sys.modules if name.split(".")[0] == "clerk_frontend"}
        assert not [name for name in loaded if name.startswith("clerk_frontend.ui")], sorted(loaded)
        assert callable(clerk.mount_sign_in) and callable(clerk.open_user_profile)
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "clerk_frontend"]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_every_component_is_registered_with_its_module() -> None:
    from clerk_frontend.ui import COMPONENTS

    assert set(COMPONENTS) == {"sign_in", "sign_up", "user_button", "user_profile", "organization_switcher",
                               "organization_profile", "create_organization", "organization_list"}
    for name, (module, cls) in COMPONENTS.items():
        spec = importlib.util.find_spec(f"clerk_frontend.ui.{module}")
        assert spec is not None and spec.origin is not None, name
        with open(spec.origin) as source:
            # The organization components build on UserButton's popover and UserProfile's frame.
            assert re.search(rf"class {cls}\((Component|UserButton|UserProfile)\):", source.read()), name
