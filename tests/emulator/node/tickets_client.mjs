// Drives @clerk/backend (pinned in build/versions.py) through sign-in tokens, invitations and testing tokens
// against the local Clerk instance. Env: CLERK_NODE_MODULES, CLERK_API_URL (emulator origin + "/bapi"),
// CLERK_SECRET_KEY, CLERK_FAPI_URL (the emulator origin). Prints one JSON line of results.
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.join(process.env.CLERK_NODE_MODULES, "@clerk", "backend", "dist", "index.mjs");
const { createClerkClient } = await import(pathToFileURL(entry).href);

const fapiUrl = process.env.CLERK_FAPI_URL;
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY, apiUrl: process.env.CLERK_API_URL });
const results = {};
const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const acceptPrefix = `${fapiUrl}/v1/tickets/accept?ticket=`;

// Sign-in tokens: create, then revoke.
const user = await clerk.users.createUser({ emailAddress: [`node-sit-${stamp}+clerk_test@example.com`],
                                            password: "node-password-123" });
const token = await clerk.signInTokens.createSignInToken({ userId: user.id, expiresInSeconds: 600 });
assert.equal(token.userId, user.id);
assert.equal(token.status, "pending");
assert.ok(token.id.startsWith("sit_"), token.id);
assert.equal(token.url, acceptPrefix + token.token);
const revokedToken = await clerk.signInTokens.revokeSignInToken(token.id);
assert.equal(revokedToken.status, "revoked");
results.signInToken = { status: token.status, revoked: revokedToken.status, token: token.token };

// Invitations: create, list (paginated, as this client always asks), revoke, list the revoked ones.
const email = `node-inv-${stamp}+clerk_test@example.com`;
const invitation = await clerk.invitations.createInvitation({
  emailAddress: email,
  publicMetadata: { plan: "pro" },
  redirectUrl: "http://127.0.0.1:5173/accept?from=node",
  notify: false,
  expiresInDays: 7,
});
assert.equal(invitation.emailAddress, email);
assert.deepEqual(invitation.publicMetadata, { plan: "pro" });
assert.equal(invitation.status, "pending");
assert.equal(invitation.revoked, false);
assert.ok(invitation.url.startsWith(acceptPrefix), invitation.url);
const listed = await clerk.invitations.getInvitationList({ query: email });
assert.equal(listed.totalCount, 1);
assert.deepEqual(listed.data.map((i) => i.id), [invitation.id]);
try {
  await clerk.invitations.createInvitation({ emailAddress: email, notify: false });
  assert.fail("a second pending invitation for the same address was accepted");
} catch (err) {
  assert.equal(err.status, 400);
  results.duplicate = err.errors[0].code;
}
const revoked = await clerk.invitations.revokeInvitation(invitation.id);
assert.equal(revoked.status, "revoked");
assert.equal(revoked.revoked, true);
const afterRevoke = await clerk.invitations.getInvitationList({ query: email });
assert.equal(afterRevoke.totalCount, 0);
const revokedList = await clerk.invitations.getInvitationList({ query: email, status: "revoked" });
assert.deepEqual(revokedList.data.map((i) => i.id), [invitation.id]);
results.invitation = { created: invitation.status, revoked: revoked.status, listed: listed.totalCount };

// Testing tokens.
const testing = await clerk.testingTokens.createTestingToken();
assert.equal(testing.object, "testing_token");
assert.match(testing.token, /^\d+-[A-Za-z0-9_-]+$/);
results.testingToken = { token: testing.token, expiresAt: testing.expires_at };

await clerk.users.deleteUser(user.id);
console.log(JSON.stringify(results));
