// Drives @clerk/backend (pinned in build/versions.py) against the local Clerk instance.
// Env: CLERK_API_URL (emulator origin + "/bapi"), CLERK_SECRET_KEY, SESSION_JWT (optional),
// NODE_PATH-independent: the package is resolved from CLERK_NODE_MODULES.
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.env.CLERK_NODE_MODULES;
const entry = path.join(modules, "@clerk", "backend", "dist", "index.mjs");
const { createClerkClient, verifyToken } = await import(pathToFileURL(entry).href);

const apiUrl = process.env.CLERK_API_URL;
const secretKey = process.env.CLERK_SECRET_KEY;
const clerk = createClerkClient({ secretKey, apiUrl });
const results = {};

const email = `node-${Date.now()}+clerk_test@example.com`;
const created = await clerk.users.createUser({
  emailAddress: [email],
  password: "node-password-123",
  firstName: "Node",
  publicMetadata: { plan: "free" },
  unsafeMetadata: { a: { x: 1, y: 2 }, tags: [1, 2] },
});
assert.equal(created.firstName, "Node");
assert.equal(created.emailAddresses[0].emailAddress, email);
assert.deepEqual(created.publicMetadata, { plan: "free" });
results.createUser = created.id;

const got = await clerk.users.getUser(created.id);
assert.equal(got.id, created.id);
assert.equal(got.primaryEmailAddress.emailAddress, email);
results.getUser = got.id;

const merged = await clerk.users.updateUserMetadata(created.id, {
  unsafeMetadata: { a: { y: null, z: 3 } },
  privateMetadata: { secret: { k: 1 } },
});
assert.deepEqual(merged.unsafeMetadata, { a: { x: 1, z: 3 }, tags: [1, 2] });
assert.deepEqual(merged.privateMetadata, { secret: { k: 1 } });
assert.deepEqual(merged.publicMetadata, { plan: "free" });
results.updateUserMetadata = merged.unsafeMetadata;

const replaced = await clerk.users.replaceUserMetadata(created.id, { unsafeMetadata: { b: 1 }, publicMetadata: {} });
assert.deepEqual(replaced.unsafeMetadata, { b: 1 });
assert.deepEqual(replaced.publicMetadata, {});
assert.deepEqual(replaced.privateMetadata, { secret: { k: 1 } });
const nulled = await clerk.users.replaceUserMetadata(created.id, { privateMetadata: null });
assert.equal(nulled.privateMetadata, null);
results.replaceUserMetadata = replaced.unsafeMetadata;

// updateUser with metadata: the SDK splits it into PATCH /users/{id} + PUT /users/{id}/metadata.
const updated = await clerk.users.updateUser(created.id, { lastName: "Client", publicMetadata: { via: "updateUser" } });
assert.equal(updated.lastName, "Client");
assert.deepEqual(updated.publicMetadata, { via: "updateUser" });

const org = await clerk.organizations.createOrganization({
  name: "Node Org",
  createdBy: created.id,
  publicMetadata: { tier: "gold", nested: { a: 1, b: 2 } },
  privateMetadata: { internal: true },
});
const orgMerged = await clerk.organizations.updateOrganizationMetadata(org.id, {
  publicMetadata: { nested: { a: null, c: 3 } },
});
assert.deepEqual(orgMerged.publicMetadata, { tier: "gold", nested: { b: 2, c: 3 } });
assert.deepEqual(orgMerged.privateMetadata, { internal: true });
results.updateOrganizationMetadata = orgMerged.publicMetadata;
const orgReplaced = await clerk.organizations.replaceOrganizationMetadata(org.id, { privateMetadata: { only: 1 } });
assert.deepEqual(orgReplaced.privateMetadata, { only: 1 });
assert.deepEqual(orgReplaced.publicMetadata, { tier: "gold", nested: { b: 2, c: 3 } });
results.replaceOrganizationMetadata = orgReplaced.privateMetadata;

const memberships = await clerk.organizations.getOrganizationMembershipList({ organizationId: org.id });
assert.equal(memberships.totalCount, 1);
assert.equal(memberships.data[0].publicUserData.userId, created.id);

// Errors surface as ClerkAPIResponseError with the trace id.
try {
  await clerk.users.getUser("user_doesnotexist");
  assert.fail("getUser of a missing user resolved");
} catch (err) {
  assert.equal(err.status, 404);
  assert.equal(err.errors[0].code, "resource_not_found");
  assert.ok(err.clerkTraceId, "clerkTraceId missing");
  results.notFound = err.errors[0].code;
}

try {
  await createClerkClient({ secretKey: "sk_test_wrong", apiUrl }).users.getUser(created.id);
  assert.fail("a wrong secret key was accepted");
} catch (err) {
  assert.equal(err.status, 401);
  results.wrongKey = err.errors[0].code;
}

if (process.env.SESSION_JWT) {
  const claims = await verifyToken(process.env.SESSION_JWT, { secretKey, apiUrl });
  assert.equal(claims.v, 2);
  results.verifyToken = claims.sub;
}

await clerk.users.deleteUser(created.id);
console.log(JSON.stringify(results));
