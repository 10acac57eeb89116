"""The teaching examples of ``examples.html``: short, commented snippets run as they are shown.

Each snippet runs with top-level ``await`` in one namespace shared by all of them, which starts with
``clerk`` (the page's loaded ``Clerk``), ``PUBLISHABLE_KEY``, and ``DEMO_EMAIL``/``DEMO_PASSWORD``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    summary: str
    code: str


EXAMPLES = [
    Example("load", "Load Clerk", "Create a Clerk object from the publishable key and load it.", '''\
from clerk_frontend import Clerk

# The publishable key (pk_test_…) names your Frontend API; it is meant for
# browsers. A secret key (sk_…) is refused: it must never reach a page.
fresh = Clerk(PUBLISHABLE_KEY)
await fresh.load()      # GET /environment and GET /client, concurrently

print("loaded:", fresh.loaded)
print("instance:", fresh.instance_type)
print("Frontend API:", fresh.frontend_api_url)
print("signed in:", fresh.user is not None)
'''),
    Example("sign-in", "Sign in with a password", "One call creates the sign-in, another activates its session.", '''\
# Skipped when this browser is already signed in.
if clerk.user is None:
    sign_in = await clerk.sign_in.create(identifier=DEMO_EMAIL, password=DEMO_PASSWORD)
    print("sign-in status:", sign_in.status)       # "complete"
    await clerk.set_active(session=sign_in.created_session_id)

print("signed in as", clerk.user.primary_email_address.email_address)
'''),
    Example("read", "Read the user", "Typed attributes, straight from the loaded client: no request.", '''\
user = clerk.user          # None when signed out

print("id:      ", user.id)
print("name:    ", user.full_name)
print("email:   ", user.primary_email_address.email_address)
print("created: ", user.created_at)          # a datetime (the wire sends ms)
print("metadata:", user.unsafe_metadata)
'''),
    Example("name", "Update the name", "user.update() sends PATCH /v1/me and refreshes the same object.", '''\
user = clerk.user
await user.update(first_name="Ada", last_name="Lovelace")

print(user.full_name)             # the server's answer, applied in place
print(user is clerk.user)         # still the same Python object
'''),
    Example("merge", "Merge metadata", "update_metadata() deep-merges a patch into unsafe_metadata.", '''\
user = clerk.user
await user.update_metadata(unsafe_metadata={"theme": "dark", "prefs": {"emails": "weekly"}})
print(user.unsafe_metadata)

# Nested dicts merge: prefs keeps "emails" and gains "sms".
await user.update_metadata(unsafe_metadata={"prefs": {"sms": False}})
print(user.unsafe_metadata["prefs"])
'''),
    Example("delete", "Delete a key", "None in a patch (JSON null) removes the key.", '''\
user = clerk.user
await user.update_metadata(unsafe_metadata={"theme": None})

print("theme" in user.unsafe_metadata)     # False: deleted on the server
print(user.unsafe_metadata)
'''),
    Example("errors", "Handle errors", "Refusals happen before any request; API errors carry Clerk's codes.", '''\
from clerk_frontend import ClerkAPIResponseError, MetadataError, MetadataRefusedError

user = clerk.user
try:
    await user.update(unsafe_metadata={"theme": "light"})   # not allowed
except MetadataRefusedError as exc:
    print("refused, no request sent:", exc.code)

try:
    await user.update_metadata(unsafe_metadata={"notes": "x" * 9000})
except MetadataError as exc:
    print("too big:", exc.message)

try:
    await user.update_password(current_password="not my password", new_password="n3w-passw0rd-42")
except ClerkAPIResponseError as exc:      # the server said no
    print(exc.status, exc.code, "-", exc.errors[0].long_message)
'''),
    Example("token", "Get a session token", "A JWT for your backend; cached until shortly before it expires.", '''\
import base64
import json
import time

session = clerk.session
first = await session.get_token()
again = await session.get_token()     # served from the cache: no request
print("same token:", first == again)

payload = first.split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
print("user:", claims["sub"], " session:", claims["sid"])
print("expires in", claims["exp"] - int(time.time()), "s")
'''),
]
