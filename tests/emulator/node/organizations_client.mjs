// Drives @clerk/backend (pinned in build/versions.py) through the organization story against the local Clerk
// instance, one phase per run (the browser parts happen between phases, over FAPI, in the Python test).
// Env: CLERK_NODE_MODULES, CLERK_API_URL (emulator origin + "/bapi"), CLERK_SECRET_KEY, CLERK_PUBLISHABLE_KEY,
// PHASE, STATE (JSON of the earlier phases and the test's own values). Prints one JSON line of results.
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.join(process.env.CLERK_NODE_MODULES, "@clerk", "backend", "dist", "index.mjs");
const { createClerkClient } = await import(pathToFileURL(entry).href);

const secretKey = process.env.CLERK_SECRET_KEY;
const apiUrl = process.env.CLERK_API_URL;
const publishableKey = process.env.CLERK_PUBLISHABLE_KEY;
const clerk = createClerkClient({ secretKey, apiUrl, publishableKey });
const state = JSON.parse(process.env.STATE || "{}");
const results = {};

// The server-side view of a session token: has() on the auth object of an authenticated request.
async function authOf(token) {
  const request = new Request("http://127.0.0.1:9/app", { headers: { Authorization: `Bearer ${token}` } });
  const requestState = await clerk.authenticateRequest(request, { secretKey, apiUrl, publishableKey });
  assert.equal(requestState.isAuthenticated, true, requestState.message || requestState.reason);
  return requestState.toAuth();
}

async function expectError(promise, code) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.errors[0].code, code, JSON.stringify(err.errors));
    assert.ok(err.clerkTraceId, "clerkTraceId missing");
    return err.status;
  }
  assert.fail(`expected ${code}`);
}

if (process.env.PHASE === "setup") {
  const org = await clerk.organizations.createOrganization({
    name: "Node Story", createdBy: state.adminId, publicMetadata: { tier: "gold" }, privateMetadata: { crm: 1 },
    maxAllowedMemberships: 10,
  });
  assert.equal(org.name, "Node Story");
  assert.equal(org.membersCount, 1);
  assert.deepEqual(org.privateMetadata, { crm: 1 });
  const bySlug = await clerk.organizations.getOrganization({ slug: org.slug });
  assert.equal(bySlug.id, org.id);
  const renamed = await clerk.organizations.updateOrganization(org.id, { name: "Node Story Co", adminDeleteEnabled: false });
  assert.equal(renamed.name, "Node Story Co");
  assert.equal(renamed.adminDeleteEnabled, false);
  const merged = await clerk.organizations.updateOrganizationMetadata(org.id, { publicMetadata: { seats: 3 } });
  assert.deepEqual(merged.publicMetadata, { tier: "gold", seats: 3 });
  const replaced = await clerk.organizations.replaceOrganizationMetadata(org.id, { privateMetadata: {} });
  assert.deepEqual(replaced.privateMetadata, {});
  assert.deepEqual(replaced.publicMetadata, { tier: "gold", seats: 3 });
  const invitation = await clerk.organizations.createOrganizationInvitation({
    organizationId: org.id, emailAddress: state.memberEmail, role: "org:member", inviterUserId: state.adminId,
    publicMetadata: { source: "node" },
  });
  assert.equal(invitation.status, "pending");
  assert.equal(invitation.organizationId, org.id);
  assert.ok(invitation.url, "invitation url missing");
  const bulk = await clerk.organizations.createOrganizationInvitationBulk(org.id, [
    { emailAddress: `node-a-${Date.now()}@example.com`, role: "org:member" },
    { emailAddress: `node-b-${Date.now()}@example.com`, role: "org:member", notify: false },
  ]);
  assert.equal(bulk.totalCount, 2);
  await clerk.organizations.revokeOrganizationInvitation({ organizationId: org.id, invitationId: bulk.data[0].id,
                                                           requestingUserId: state.adminId });
  const pending = await clerk.organizations.getOrganizationInvitationList({ organizationId: org.id, status: ["pending"] });
  assert.deepEqual(pending.data.map(i => i.id).sort(), [invitation.id, bulk.data[1].id].sort());
  const got = await clerk.organizations.getOrganizationInvitation({ organizationId: org.id, invitationId: invitation.id });
  assert.equal(got.emailAddress, state.memberEmail);
  const mine = await clerk.users.getOrganizationInvitationList({ userId: state.memberId, status: "pending" });
  assert.deepEqual(mine.data.map(i => i.id), [invitation.id]);
  assert.equal(await expectError(clerk.organizations.createOrganizationInvitation({
    organizationId: org.id, emailAddress: state.memberEmail, role: "org:member" }),
  "organization_invitation_not_unique"), 400);
  // Domains: verified by default (the SDK sends verified: true). This client has no domain class: it hands
  // back the JSON as it came.
  const domain = await clerk.organizations.createOrganizationDomain({ organizationId: org.id, name: state.domain,
                                                                       enrollmentMode: "manual_invitation" });
  assert.equal(domain.name, state.domain);
  assert.equal(domain.affiliation_verification.status, "verified");
  const updatedDomain = await clerk.organizations.updateOrganizationDomain({
    organizationId: org.id, domainId: domain.id, enrollmentMode: "automatic_invitation" });
  assert.equal(updatedDomain.enrollment_mode, "automatic_invitation");
  const domains = await clerk.organizations.getOrganizationDomainList({ organizationId: org.id });
  assert.equal(domains.totalCount, 1);
  await clerk.organizations.deleteOrganizationDomain({ organizationId: org.id, domainId: domain.id });
  assert.equal((await clerk.organizations.getOrganizationDomainList({ organizationId: org.id })).totalCount, 0);
  results.organizationId = org.id;
  results.invitationId = invitation.id;
} else if (process.env.PHASE === "member") {
  // The member accepted (FAPI) and minted a token for the organization: the server sees the membership.
  const auth = await authOf(state.memberToken);
  assert.equal(auth.orgId, state.organizationId);
  assert.equal(auth.orgRole, "org:member");
  results.memberHasMemberRole = auth.has({ role: "org:member" });
  results.memberCanEditPosts = auth.has({ permission: "org:posts:edit" });
  // System permissions are never in a token: check them by role on a server.
  results.systemPermissionServerSide = auth.has({ permission: "org:sys_memberships:read" });
  const list = await clerk.organizations.getOrganizationMembershipList({ organizationId: state.organizationId });
  assert.equal(list.totalCount, 2);
  const member = list.data.find(m => m.publicUserData.userId === state.memberId);
  assert.deepEqual(member.publicMetadata, { source: "node" }); // copied from the invitation
  const promoted = await clerk.organizations.updateOrganizationMembership({
    organizationId: state.organizationId, userId: state.memberId, role: "org:editor" });
  assert.equal(promoted.role, "org:editor");
  const withMeta = await clerk.organizations.updateOrganizationMembershipMetadata({
    organizationId: state.organizationId, userId: state.memberId, privateMetadata: { badge: 7 } });
  assert.deepEqual(withMeta.privateMetadata, { badge: 7 });
  const all = await clerk.organizations.getInstanceOrganizationMembershipList({ limit: 500 });
  assert.ok(all.data.some(m => m.organization.id === state.organizationId));
  const byRole = await clerk.organizations.getOrganizationMembershipList({ organizationId: state.organizationId,
                                                                           role: ["org:editor"] });
  assert.deepEqual(byRole.data.map(m => m.publicUserData.userId), [state.memberId]);
} else if (process.env.PHASE === "promoted") {
  const auth = await authOf(state.memberToken);
  assert.equal(auth.orgRole, "org:editor");
  results.editorCanEditPosts = auth.has({ permission: "org:posts:edit" });
  results.editorHasMemberRole = auth.has({ role: "org:member" });
} else if (process.env.PHASE === "left") {
  const list = await clerk.organizations.getOrganizationMembershipList({ organizationId: state.organizationId });
  assert.deepEqual(list.data.map(m => m.publicUserData.userId), [state.adminId]);
  const orgs = await clerk.organizations.getOrganizationList({ query: "Node Story" , includeMembersCount: true });
  const org = orgs.data.find(o => o.id === state.organizationId);
  assert.equal(org.membersCount, 1);
  assert.equal(await expectError(clerk.organizations.updateOrganization(state.organizationId, {
    maxAllowedMemberships: "many" }), "form_param_value_invalid"), 422);
  const deleted = await clerk.organizations.deleteOrganization(state.organizationId);
  assert.equal(deleted.deleted, true);
  assert.equal(await expectError(clerk.organizations.getOrganization({ organizationId: state.organizationId }),
                                 "resource_not_found"), 404);
  results.deleted = true;
} else {
  throw new Error(`unknown PHASE ${process.env.PHASE}`);
}
console.log(JSON.stringify(results));
