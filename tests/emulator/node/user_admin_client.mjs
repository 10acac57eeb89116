// Drives @clerk/backend's user administration (pinned in build/versions.py) against the local Clerk instance, one
// phase per run; the Python test checks the Frontend API between phases.
// Env: CLERK_NODE_MODULES, CLERK_API_URL (emulator origin + "/bapi"), CLERK_SECRET_KEY, PHASE, STATE (JSON).
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.join(process.env.CLERK_NODE_MODULES, "@clerk", "backend", "dist", "index.mjs");
const { createClerkClient } = await import(pathToFileURL(entry).href);
const clerk = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY, apiUrl: process.env.CLERK_API_URL });
const state = JSON.parse(process.env.STATE);
const userId = state.userId;
const results = {};

async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err.clerkTraceId, "clerkTraceId missing");
    return { status: err.status, code: err.errors[0].code };
  }
  assert.fail("the call resolved");
}

switch (process.env.PHASE) {
  case "verify_and_lock": {
    results.verifyPassword = await clerk.users.verifyPassword({ userId, password: state.password });
    results.wrongPassword = await failure(clerk.users.verifyPassword({ userId, password: "not-it-at-all" }));
    results.verifyTotp = await clerk.users.verifyTOTP({ userId, code: state.totpCode });
    results.verifyBackupCode = await clerk.users.verifyTOTP({ userId, code: state.backupCode });
    results.spentBackupCode = await failure(clerk.users.verifyTOTP({ userId, code: state.backupCode }));
    const locked = await clerk.users.lockUser(userId);
    // The SDK's User has no lockout fields; they are on the raw JSON.
    results.locked = [locked.locked, locked.raw.lockout_expires_in_seconds];
    break;
  }
  case "unlock_and_ban": {
    const unlocked = await clerk.users.unlockUser(userId);
    results.unlocked = [unlocked.locked, unlocked.raw.lockout_expires_in_seconds,
      unlocked.raw.verification_attempts_remaining];
    const banned = await clerk.users.banUser(userId);
    results.banned = banned.banned;
    break;
  }
  case "unban_and_remove": {
    results.unbanned = (await clerk.users.unbanUser(userId)).banned;
    results.deleteUserBackupCodes = await clerk.users.deleteUserBackupCodes(userId);
    results.deleteUserTOTP = await clerk.users.deleteUserTOTP(userId);
    results.disableUserMFA = await clerk.users.disableUserMFA(userId);
    const passkey = await clerk.users.deleteUserPasskey({ userId, passkeyIdentificationId: state.passkeyId });
    results.deleteUserPasskey = [passkey.object, passkey.id, passkey.deleted];
    const account = await clerk.users.deleteUserExternalAccount({ userId, externalAccountId: state.accountId });
    results.deleteUserExternalAccount = [account.object, account.id, account.deleted];
    const user = await clerk.users.removePassword(userId, { signOutOfOtherSessions: true });
    results.removePassword = [user.passwordEnabled, user.twoFactorEnabled, user.raw.passkeys.length,
      user.externalAccounts.length];
    results.noPassword = await failure(clerk.users.verifyPassword({ userId, password: state.password }));
    results.noTotp = await failure(clerk.users.verifyTOTP({ userId, code: "123456" }));
    results.missingUser = await failure(clerk.users.banUser("user_doesnotexist"));
    break;
  }
  default:
    throw new Error(`unknown PHASE ${process.env.PHASE}`);
}
console.log(JSON.stringify(results));
