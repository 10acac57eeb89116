"""Clerk-shaped errors.

Codes, statuses and messages follow Clerk's public error catalogue
(``api_errors.json`` of clerk-docs). The subset the emulator can return is
listed in :data:`CATALOGUE`; ``tests/emulator/test_errors_catalogue.py`` checks
every entry against the catalogue file so the two cannot drift apart.
Where the catalogue leaves a message empty, the emulator writes its own
(marked ``own=True``), which the test accepts.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entry:
    status: int
    message: str
    long_message: str
    own: bool = False  # the catalogue message is empty; these are the emulator's words
    # Not in the catalogue at all, but returned by Clerk (clerk-js branches on it); says where it is seen.
    seen_in: str = ""


# (code, variant) -> Entry. ``variant`` picks one of several catalogue entries sharing a code.
CATALOGUE: dict[tuple[str, str], Entry] = {
    ("api_version_invalid", ""): Entry(400, "invalid API version", "Invalid Clerk API version: <reason>"),
    ("authentication_invalid", ""): Entry(
        401, "Invalid authentication", "Unable to authenticate the request, you need to supply an active session"
    ),
    ("authorization_header_format_invalid", ""): Entry(
        401,
        "Invalid Authorization header format",
        "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
    ),
    ("clerk_key_invalid", ""): Entry(
        401,
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
    ),
    ("signed_out", ""): Entry(401, "Signed out", "You are signed out"),
    ("dev_browser_unauthenticated", ""): Entry(
        401,
        "Browser unauthenticated",
        "Unable to authenticate this browser for your development instance. Check your Clerk cookies and try "
        "again. If the issue persists reach out to support@clerk.com.",
    ),
    ("authorization_invalid", ""): Entry(
        403, "Unauthorized request", "You are not authorized to perform this request"
    ),
    ("origin_invalid", ""): Entry(
        400,
        "Invalid HTTP Origin header",
        "The Request HTTP Origin header must be equal to or a subdomain of the requesting URL.",
    ),
    ("resource_not_found", ""): Entry(404, "Resource not found", "Resource not found"),
    ("resource_not_found", "user"): Entry(404, "not found", "No user was found with id <userID>"),
    ("resource_not_found", "session"): Entry(404, "Session not found", "No session was found with id <sessionID>"),
    ("resource_not_found", "sign_in"): Entry(404, "not found", "No sign in was found with id <signInID>"),
    ("resource_not_found", "sign_up"): Entry(404, "Sign up not found", "No sign up was found with id <id>"),
    ("resource_not_found", "organization"): Entry(404, "not found", "Given organization not found."),
    ("resource_not_found", "identifier"): Entry(
        404, "Identifier not found", "No identifier was found with id <identifierID>"
    ),
    ("form_param_unknown", ""): Entry(422, "is unknown", "<param> is not a valid parameter for this request."),
    ("form_param_deprecated", ""): Entry(422, "is deprecated", "is deprecated"),
    ("form_param_missing", ""): Entry(422, "is missing", "<param> must be included."),
    ("form_param_exceeds_allowed_size", ""): Entry(
        422, "exceeds the allowed size", "<param> exceeds the maximum allowed size of <limit> bytes.", own=True
    ),
    ("form_param_value_invalid", ""): Entry(422, "is invalid", "<sanitizedField> is invalid"),
    ("form_param_format_invalid", ""): Entry(422, "is invalid", "<param> is invalid.", own=True),
    ("form_param_format_invalid", "email"): Entry(
        422, "is invalid", "<parameter> must be a valid email address."
    ),
    ("form_param_format_invalid", "phone"): Entry(
        422, "is invalid", "<parameter> must be a valid phone number according to E.164 international standard."
    ),
    ("form_identifier_exists", ""): Entry(
        422, "is taken", "That <param> is taken. Please try another.", own=True
    ),
    ("form_identifier_not_found", ""): Entry(422, "not found", "Couldn't find your account.", own=True),
    ("form_password_incorrect", ""): Entry(
        422,
        "Password is incorrect. Try again, or use another method.",
        "Password is incorrect. Try again, or use another method.",
    ),
    ("form_password_length_too_short", ""): Entry(
        422, "is too short", "Passwords must be 8 characters or more.", own=True
    ),
    ("form_password_length_too_short", "min"): Entry(
        422, "is too short", "Passwords must be %d characters or more.", own=True
    ),
    ("form_code_incorrect", ""): Entry(422, "is incorrect", "Incorrect code"),
    ("form_username_invalid_length", ""): Entry(
        422, "is invalid", "Usernames must be between <min> and <max> characters long.", own=True
    ),
    ("request_body_invalid", ""): Entry(
        400,
        "Request body invalid",
        "The request body is invalid. Please consult the API documentation for more information.",
    ),
    ("request_body_invalid", "image_type"): Entry(
        400,
        "Unsupported image type",
        "'<imageType>' images are not currently supported. Please consult the API documentation for more "
        "information.",
    ),
    ("form_param_missing", "image"): Entry(
        400, "Image file missing", "There was no image file present in the request"
    ),
    ("malformed_request_parameters", ""): Entry(
        400, "Malformed request parameters", "The request parameters are malformed and could not be parsed"
    ),
    ("unsupported_content_type", ""): Entry(
        415, "Content-Type is unsupported", "Content-Type <actual> is unsupported. You should use <expected> instead."
    ),
    ("request_body_too_large", ""): Entry(
        413, "Request body too large", "The request body exceeds the maximum allowed size of %d bytes."
    ),
    ("session_exists", ""): Entry(400, "Session already exists", "You're already signed in."),
    ("internal_clerk_error", ""): Entry(
        500,
        "Oops, an unexpected error occurred",
        "There was an internal error on our servers. We've been notified and are working on fixing it.",
    ),
    ("too_many_requests", ""): Entry(429, "Too many requests", "Too many requests, retry later"),
    # Redirect and link flows (OAuth, enterprise SSO, email links, tickets).
    ("invalid_redirect_url", ""): Entry(
        422, "Redirect url invalid", "The provided redirect url is not in a valid format"
    ),
    ("prohibited_redirect_url", ""): Entry(
        422, "Invalid URL scheme", "The provided redirect url has a prohibited URL scheme"
    ),
    ("oauth_provider_not_enabled", ""): Entry(
        400, "", "Single-sign on with <providerTitle> OAuth provider is not enabled in the instance settings."
    ),
    ("oauth_access_denied", ""): Entry(403, "", "You did not grant access to your <providerName> account"),
    ("oauth_callback_invalid", ""): Entry(400, "Invalid OAuth callback", "invalid form for oauth_callback"),
    ("oauth_account_already_connected", ""): Entry(
        400, "Already connected",
        "Another account is already connected for this particular provider (<providerTitle>)",
    ),
    ("external_account_not_found", ""): Entry(404, "Invalid external account", "The External Account was not found."),
    ("external_account_exists", ""): Entry(
        400, "External account exists", "An account already exists for this external account; sign in instead.",
        seen_in="clerk-js handleRedirectCallback (sign-up that must become a sign-in)",
    ),
    ("identifier_already_signed_in", ""): Entry(400, "You're already signed in", "You're already signed in"),
    ("strategy_for_user_invalid", ""): Entry(
        400, "Invalid verification strategy", "The verification strategy is not valid for this account"
    ),
    ("verification_already_verified", ""): Entry(
        400, "already verified", "This verification has already been verified."
    ),
    ("redirect_url_domain_mismatch", ""): Entry(
        422, "Redirect url does not belong to your domain",
        "The provided redirect URL must belong to your instance's domain",
    ),
    ("verification_expired", ""): Entry(
        400, "expired", "This verification has expired. You must create a new one."
    ),
    ("verification_failed", ""): Entry(
        400, "failed", "Too many failed attempts. You have to try again with the same or another method."
    ),
    ("verification_missing", ""): Entry(
        400, "is missing", "This strategy requires verification preparation before attempting to validate it."
    ),
    ("sign_in_email_link_not_same_client", ""): Entry(
        403, "email link sign in cannot be completed",
        "Email link sign in cannot be completed because it originates from a different client",
    ),
    ("sign_up_email_link_not_same_client", ""): Entry(
        403, "email link sign up cannot be completed",
        "Email link sign up cannot be completed because it originates from a different client",
    ),
    ("enterprise_sso_email_address_domain_mismatch", ""): Entry(
        400, "Enterprise Connection email address domain mismatch",
        "The email address returned by the provider <received> does not match the domain of the enterprise "
        "connection <expected> that initiated the authentication.",
    ),
    ("sign_in_must_use_enterprise_connection_identifier", ""): Entry(
        422, "sign in with must use enterprise connection email address",
        "Your account is linked to an enterprise connection. You must sign in with an email address.",
    ),
    ("sign_up_mode_restricted", ""): Entry(403, "Sign-ups restricted", "New sign-ups are currently restricted."),
    ("ticket_expired_code", ""): Entry(
        400, "ticket has expired", "This ticket has expired and cannot be used anymore."
    ),
    ("ticket_invalid_code", ""): Entry(
        400, "ticket is invalid",
        "This ticket is invalid. Make sure you're using a valid ticket generated by Clerk.",
    ),
    ("sign_in_token_already_used_code", ""): Entry(
        400, "sign in token has already been used",
        "This sign in token has already been used. Each token can only be used once.",
    ),
    ("sign_in_token_revoked_code", ""): Entry(
        400, "sign in token has been revoked", "This sign in token has been revoked and cannot be used anymore."
    ),
    ("revoked_invitation", ""): Entry(400, "The invitation was revoked.", "The invitation was revoked."),
    ("invitation_already_accepted", ""): Entry(
        400, "Invitation is already accepted, try signing in instead.",
        "Invitation is already accepted, try signing in instead.",
    ),
    ("invitation_account_exists", ""): Entry(
        400, "account exists", "An account already exists for this invitation. Sign in instead."
    ),
    # Backend API of tickets (sign-in tokens, invitations) and captcha on sign-up.
    ("invitation_account_not_exists", ""): Entry(
        400, "identification not found", "This invitation refers to a non-existing identification."
    ),
    ("invitation_already_revoked", ""): Entry(400, "Invitation is already revoked.", "Invitation is already revoked."),
    ("invitations_not_supported", ""): Entry(
        400, "Invitations are only supported on instances that accept email addresses.",
        "Invitations are only supported on instances that accept email addresses.",
    ),
    ("duplicate_record", "invitations"): Entry(
        400, "", "There are already pending invitations for the following email addresses: <emails>"
    ),
    ("resource_not_found", "invitation"): Entry(404, "not found", "No invitation was found with id <invitationID>."),
    ("sign_in_token_cannot_be_revoked_code", ""): Entry(
        400, "cannot revoke",
        "Sign in token cannot be revoked because its status is <status>. Only pending tokens can be revoked.",
    ),
    ("sign_in_token_not_in_sign_in_code", ""): Entry(
        400, "not in sign in", "Sign in tokens can only be used during sign in."
    ),
    ("captcha_missing_token", ""): Entry(
        400, "Authentication unsuccessful due to failed security validations.",
        "Authentication unsuccessful due to failed security validations. Please refresh the page to try again or "
        "reach out to support for more assistance.",
    ),
    ("captcha_invalid", ""): Entry(
        400, "Authentication unsuccessful due to failed security validations.",
        "Authentication unsuccessful due to failed security validations. Please try using a different browser or "
        "disabling browser extensions. If issues persist, contact support for assistance.",
    ),
    ("captcha_invalid", "client_side"): Entry(
        400, "Error loading CAPTCHA",
        "The CAPTCHA failed to load. This may be due to an unsupported browser or a browser extension. Please try "
        "a different browser or disabling extensions. If this issue persists, please contact support.",
    ),
    # Organizations (organizations_model.py).
    ("organization_not_found_or_unauthorized", ""): Entry(
        404, "not found or unauthorized",
        "Given organization not found, or you don't have permission to access the organization",
    ),
    ("missing_organization_permission", ""): Entry(
        403, "missing permission", "Current user is missing an organization permission."
    ),
    ("organization_not_enabled_in_instance", ""): Entry(
        403, "access denied",
        "The organizations feature is not enabled for this instance. You can enable it at "
        "https://dashboard.clerk.com.",
    ),
    ("organization_admin_delete_not_enabled", ""): Entry(
        403, "admin delete not enabled", "Deletion by admin is not enabled for this organization."
    ),
    ("organization_minimum_permissions_needed", ""): Entry(
        400, "minimum organization permissions needed",
        "There has to be at least one organization member with the minimum required permissions",
    ),
    ("already_a_member_in_organization", ""): Entry(
        400, "already a member", "<user> is already a member of the organization."
    ),
    ("organization_invitation_not_unique", ""): Entry(
        400, "organization invitation not unique",
        "Organizations cannot have duplicate pending invitations for an email address.",
    ),
    ("organization_membership_quota_exceeded", ""): Entry(
        403, "organization membership quota exceeded",
        "You have reached your limit of %d organization memberships, including outstanding invitations.",
    ),
    ("organization_invitation_not_pending", ""): Entry(
        404, "not pending", "The organization invitation is not in the 'pending' status."
    ),
    ("organization_invitation_not_found", ""): Entry(404, "not found", "No invitation found with id <invitationID>."),
    ("organization_invitation_revoked_code", ""): Entry(
        400, "invitation has been revoked", "This invitation has been revoked and cannot be used anymore."
    ),
    ("organization_invitation_already_accepted", ""): Entry(
        400, "invitation has already been accepted", "This invitation has already been accepted. Sign in instead."
    ),
    ("organization_invitation_to_deleted_organization", ""): Entry(
        400, "organization invitation to deleted organization",
        "This invitation refers to an organization that has been deleted.",
    ),
    ("organization_suggestion_already_accepted", ""): Entry(
        400, "suggestion has already been accepted", "This organization suggestion has already been accepted."
    ),
    ("organization_domains_not_enabled", ""): Entry(
        403, "organization domains not enabled", "This instance does not have domains enabled for organizations."
    ),
    ("organization_domain_enrollment_mode_not_enabled", ""): Entry(
        403, "organization enrollment mode not enabled",
        "Enrollment mode <enrollmentMode> is not enabled for this instances's organizations.",
    ),
    ("organization_domain_mismatch", ""): Entry(
        422, "Organization domain mismatch", "The provided email address doesn't match the organization domain name."
    ),
    ("organization_domain_common", ""): Entry(
        422, "common email domain", "This is a common email provider domain. Please use a different one."
    ),
    ("organization_domain_already_exists", ""): Entry(
        422, "organizaton domain already exists", "This domain is already used by another organization."
    ),
    ("organization_domain_already_exists_same_organization", ""): Entry(
        422, "organization domain already exists", "This domain is already used by your organization."
    ),
    ("organization_domain_quota_exceeded", ""): Entry(
        403, "organization domains quota exceeded", "You have reached your limit of %d domains per organization."
    ),
    ("personal_accounts_not_allowed", ""): Entry(
        422, "personal accounts are not allowed",
        "You must maintain at least one organization membership since personal accounts are not allowed on the "
        "application",
    ),
    ("organization_slugs_disabled", ""): Entry(
        403, "organization slugs not enabled", "This instance does not have slugs enabled for organizations."
    ),
    ("user_create_organization_not_enabled", ""): Entry(
        403, "create organization not enabled", "Organization creation is not enabled for this user"
    ),
    ("org_creation_limit_exceeded", ""): Entry(
        403, "Organization Creation Limit Exceeded",
        "You have exceeded the maximum number of organizations you can create.",
    ),
    ("resource_not_found", "role"): Entry(404, "not found", "Organization role not found"),
    ("form_param_value_invalid", "org_name"): Entry(
        422, "invalid organization name", "The organization name %q is invalid: <name>"
    ),
    ("form_param_value_invalid", "not_empty"): Entry(422, "is invalid", "<param> is invalid. Must be not empty"),
    # Factors: passwords, second factors, lockout, passkeys, reverification (issue 11).
    ("form_password_length_too_long", ""): Entry(
        422, "is too long", "Passwords must be %d characters or fewer.", own=True
    ),
    ("form_password_no_uppercase", ""): Entry(
        422, "Passwords must contain at least one uppercase character.",
        "Passwords must contain at least one uppercase character.",
    ),
    ("form_password_no_lowercase", ""): Entry(
        422, "Passwords must contain at least one lowercase character.",
        "Passwords must contain at least one lowercase character.",
    ),
    ("form_password_no_number", ""): Entry(
        422, "Passwords must contain at least one number.", "Passwords must contain at least one number."
    ),
    ("form_password_no_special_char", ""): Entry(
        422, "is invalid", "Passwords must contain at least one special character.", own=True
    ),
    ("form_password_pwned", ""): Entry(
        422, "is invalid",
        "Password has been found in an online data breach. For account safety, please use a different password.",
        own=True,
    ),
    ("form_new_password_matches_current", ""): Entry(
        422, "is invalid", "New password cannot be the same as the current password."
    ),
    ("no_second_factors", ""): Entry(400, "no second factors", "No second factors were found for strategy <strategy>."),
    ("totp_already_enabled", ""): Entry(400, "TOTP already enabled", "TOTP is already enabled on your account"),
    ("backup_codes_not_available", ""): Entry(
        400, "Backup codes not available",
        "In order to use backup codes, you have to enable any other Multi-factor method",
    ),
    ("identification_update_second_factor_unverified", ""): Entry(
        400, "Update failed", "Cannot update second factor attributes for unverified identification"
    ),
    ("form_disable_default_second_factor_not_allowed", ""): Entry(
        422, "The default second factor method can only be changed by assigning another method as the default.",
        "The default second factor method can only be changed by assigning another method as the default.",
    ),
    ("second_factor_deletion_not_allowed", ""): Entry(
        400, "second factor deletion not allowed",
        "You are required to maintain at least one two-step verification method in your account at all times",
    ),
    ("user_locked", ""): Entry(
        403, "Account locked",
        "Your account is locked. You will be able to try again in <timeRemaining>. For more information, please "
        "contact <support>.",
    ),
    # Backend API user administration (bapi/user_admin.py).
    ("user_banned", ""): Entry(
        403, "User banned", "You have been banned. If you think this was by mistake, please contact support."
    ),
    ("no_password_set", ""): Entry(
        400, "no password set", "This user does not have a password set for their account"
    ),
    ("incorrect_password", ""): Entry(
        422, "incorrect password", "The provided password is not the one the user has set"
    ),
    ("totp_disabled", ""): Entry(400, "TOTP is disabled", "This user does not have TOTP enabled in their account"),
    ("totp_incorrect_code", ""): Entry(422, "incorrect TOTP", "The provided TOTP code is incorrect"),
    ("totp_invalid_length", ""): Entry(
        422, "invalid length", "The provided TOTP code must be 6 characters long."
    ),
    ("passkey_registration_failure", ""): Entry(
        400, "Passkey registration failed", "Passkey registration flow could not be completed"
    ),
    ("no_passkeys_found_for_user", ""): Entry(
        400, "User has no passkeys", "User has no passkeys registered for this account"
    ),
    ("passkey_not_registered", ""): Entry(404, "not registered", "Passkey is not registered."),
    ("passkey_identification_not_verified", ""): Entry(
        422, "passkey identification not verified", "Passkey identification not verified. Registration is incomplete."
    ),
    ("passkey_invalid_public_key_credential", ""): Entry(
        422, "is invalid", "Invalid passkey public key credential"
    ),
    ("passkey_invalid_verification", ""): Entry(
        400, "invalid verification", "Passkey verification contains invalid nonce"
    ),
    ("passkey_authentication_failure", ""): Entry(400, "authentication failed", "Passkey authentication failed"),
    ("passkey_quota_exceeded", ""): Entry(
        403, "passkey quota exceeded", "You have reached your limit of %d passkeys per account."
    ),
    ("session_reverification_required", ""): Entry(
        403, "Reverification required", "You need to provide additional verification to perform this operation"
    ),
    ("session_reverification_missing", ""): Entry(
        400, "is missing", "You need to start a new session verification flow first"
    ),
    ("invalid_action_for_session_reverification", ""): Entry(
        400, "Invalid action for session reverification",
        "We were unable to <action> for this session, as it's not ready for <resolution>.",
    ),
    ("feature_not_enabled", ""): Entry(403, "not enabled", "This feature is not enabled on this instance"),
    # User switches and compromised passwords (bapi/users.py, bapi/user_admin.py, fapi/me.py, fapi/sign_in.py).
    ("user_delete_self_not_enabled", ""): Entry(
        403, "delete self not enabled", "Self deletion is not enabled for this user"
    ),
    ("password_disabled", ""): Entry(
        403, "password disabled", "Password is disabled for this instance. Cannot force a password reset."
    ),
    ("form_password_compromised", ""): Entry(
        422, "",
        "Your password may be compromised. To protect your account, please continue with an alternative sign-in "
        "method. You will be required to reset your password after signing in.",
    ),
    # Imported credentials on POST/PATCH /v1/users (bapi/users.py, password_digests.py).
    ("form_password_digest_invalid_code", ""): Entry(
        422, "is invalid", "<param> is not a valid <hasher> digest", own=True
    ),
    ("form_param_value_invalid", "allowed"): Entry(
        422, "is invalid",
        "<value> does not match the allowed values for parameter <param>. Allowed values: <allowedValues>",
    ),
    ("form_conditional_param_missing", "existence"): Entry(
        422, "is missing", "`<missingParam>` is required when `<conditionalParam>` is present."
    ),
    ("form_conditional_param_disallowed", ""): Entry(
        422, "is not allowed", "`<notAllowedParam>` isn't allowed when `<existingParam>` is present."
    ),
    ("invalid_totp_secret_code", ""): Entry(
        422, "invalid TOTP secret", "The TOTP secret is invalid, please provide a valid one base32 encoded"
    ),
    ("verification_strategy_invalid", ""): Entry(
        400, "has invalid strategy", "The strategy is not valid for the current verification."
    ),
}


def trace_id() -> str:
    return secrets.token_hex(16)


@dataclass
class ClerkError(Exception):
    """An error answered as ``{"errors": [...], "clerk_trace_id": ...}``."""

    code: str
    variant: str = ""
    fill: dict[str, str] = field(default_factory=dict)
    param: str | None = None
    extra_meta: dict[str, Any] = field(default_factory=dict)
    long_suffix: str = ""
    status_override: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # FAPI: the caller's client as committed, piggybacked as ``meta.client`` like successful envelopes.
    client: dict[str, Any] | None = None
    # Commit what the handler wrote before failing (a wrong code still counts as an attempt).
    keep_changes: bool = False

    @property
    def entry(self) -> Entry:
        return CATALOGUE[(self.code, self.variant)]

    @property
    def status(self) -> int:
        return self.status_override or self.entry.status

    def body(self) -> dict[str, Any]:
        entry = self.entry
        message, long_message = entry.message, entry.long_message
        for key, value in self.fill.items():
            long_message = long_message.replace(key if key.startswith("%") else f"<{key}>", value)
        if self.param is not None:
            for key in ("param", "parameter", "sanitizedField"):
                long_message = long_message.replace(f"<{key}>", self.param)
            if long_message == "is deprecated":
                long_message = f"{self.param} is deprecated and no longer accepted by this endpoint."
        if self.long_suffix.startswith(" ") and long_message and long_message[-1] not in ".!?":
            long_message += "."
        long_message += self.long_suffix
        item: dict[str, Any] = {"message": message, "long_message": long_message, "code": self.code}
        meta: dict[str, Any] = {}
        if self.param is not None:
            meta["param_name"] = self.param
        meta.update(self.extra_meta)
        if meta:
            item["meta"] = meta
        body: dict[str, Any] = {"errors": [item], "clerk_trace_id": trace_id()}
        if self.client is not None:
            body["meta"] = {"client": self.client}
        return body

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"
