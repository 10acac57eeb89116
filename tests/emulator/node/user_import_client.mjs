// Imports a user through @clerk/backend (pinned in build/versions.py) against the local Clerk instance: createUser
// with a bcrypt password digest, a TOTP secret and backup codes, a refused digest, then updateUser with another
// digest. The Python test signs in through the Frontend API with what was imported.
// Env: CLERK_NODE_MODULES, CLERK_API_URL (emulator origin + "/bapi"), CLERK_SECRET_KEY, STATE (JSON).
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.join(process.env.CLERK_NODE_MODULES, "@clerk", "backend", "dist", "index.mjs");
const { createClerkClient } = await import(pathToFileURL(entry).href);
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY, apiUrl: process.env.CLERK_API_URL });
const state = JSON.parse(process.env.STATE);
const results = {};

const created = await clerk.users.createUser({
  emailAddress: [state.email],
  passwordDigest: state.digest,
  passwordHasher: "bcrypt",
  totpSecret: state.totpSecret,
  backupCodes: state.backupCodes,
});
results.created = { id: created.id, passwordEnabled: created.passwordEnabled, totpEnabled: created.totpEnabled,
  backupCodeEnabled: created.backupCodeEnabled, twoFactorEnabled: created.twoFactorEnabled };

try {
  await clerk.users.createUser({ emailAddress: ["other-" + state.email], passwordDigest: "plainly-wrong",
    passwordHasher: "argon2id" });
  assert.fail("the call resolved");
} catch (err) {
  assert.ok(err.clerkTraceId, "clerkTraceId missing");
  results.badDigest = { status: err.status, code: err.errors[0].code, param: err.errors[0].meta.paramName };
}

const updated = await clerk.users.updateUser(created.id, { passwordDigest: state.newDigest, passwordHasher: "sha256" });
results.updated = { id: updated.id, passwordEnabled: updated.passwordEnabled };

console.log(JSON.stringify(results));
