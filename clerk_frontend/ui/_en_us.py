"""en-US strings of the prebuilt components (the fallback of every other table).

Keys are clerk-js's localization keys with nested objects joined by dots, so an app's clerk-js ``localization``
object carries over; keys clerk-js does not have (accessible names it hard-codes, states it does not show) are
ours. ``{{name}}`` is replaced by a value, ``{{name|titleize}}`` capitalises each word's first letter.
"""

# One string per line, ``key = value``; an indented line continues the value after a space. (A text block compiles
# about ten times faster than a dict literal in Pyodide, and every page that mounts a component pays for it.)
TEXT = """
locale = en-US
backButton = Back
badge__primary = Primary
badge__unverified = Unverified
badge__thisDevice = This device
badge__default = Default
dividerText = or
formButtonPrimary = Continue
formButtonPrimary__verify = Verify
formFieldAction__forgotPassword = Forgot password?
formFieldError__notMatchingPasswords = Passwords don't match.
formFieldError__verificationLinkExpired = The verification link expired. Please request a new link.
formFieldHintText__optional = Optional
formFieldInputPlaceholder__emailAddress = Enter your email address
formFieldInputPlaceholder__emailAddress_username = Enter email or username
formFieldInputPlaceholder__password = Enter your password
formFieldInputPlaceholder__phoneNumber = Enter your phone number
formFieldLabel__code = Verification code
formFieldLabel__confirmDeletion = Confirmation
formFieldLabel__confirmPassword = Confirm password
formFieldLabel__currentPassword = Current password
formFieldLabel__emailAddress = Email address
formFieldLabel__emailAddress_phoneNumber = Email address or phone number
formFieldLabel__emailAddress_phoneNumber_username = Email address, phone number or username
formFieldLabel__emailAddress_username = Email address or username
formFieldLabel__firstName = First name
formFieldLabel__lastName = Last name
formFieldLabel__legalConsent = I agree to the terms and the privacy policy
formFieldLabel__newPassword = New password
formFieldLabel__password = Password
formFieldLabel__passkeyName = Name of passkey
formFieldLabel__backupCode = Backup code
formFieldLabel__phoneNumber = Phone number
formFieldLabel__phoneNumber_username = Phone number or username
formFieldLabel__signOutOfOtherSessions = Sign out of all other devices
formFieldLabel__username = Username
footerPageLink__privacy = Privacy
footerPageLink__terms = Terms
identityPreview.editButton = Edit
loading = Loading…
modal.closeButton = Close
socialButtonsBlockButton = Continue with {{provider|titleize}}
socialButtonsBlockButtonManyInView = {{provider|titleize}}
lastAuthenticationStrategy = Last used

signIn.start.title = Sign in to {{applicationName}}
signIn.start.subtitle = Welcome back! Please sign in to continue
signIn.start.actionText = Don’t have an account?
signIn.start.actionLink = Sign up
signIn.start.actionLink__use_email = Use email
signIn.start.actionLink__use_email_username = Use email or username
signIn.start.actionLink__use_phone = Use phone
signIn.start.actionLink__use_username = Use username
signIn.password.title = Enter your password
signIn.password.subtitle = Enter the password associated with your account
signIn.password.actionLink = Use another method
signIn.emailCode.title = Check your email
signIn.emailCode.subtitle = to continue to {{applicationName}}
signIn.emailCode.formTitle = Verification code
signIn.emailCode.resendButton = Didn't receive a code? Resend
signIn.phoneCode.title = Check your phone
signIn.phoneCode.subtitle = to continue to {{applicationName}}
signIn.phoneCode.formTitle = Verification code
signIn.phoneCode.resendButton = Didn't receive a code? Resend
signIn.emailLink.title = Check your email
signIn.emailLink.subtitle = to continue to {{applicationName}}
signIn.emailLink.formTitle = Verification link
signIn.emailLink.formSubtitle = Use the verification link sent to your email
signIn.emailLink.resendButton = Didn't receive a link? Resend
signIn.emailLink.loading.title = Signing in...
signIn.emailLink.loading.subtitle = You will be redirected soon
signIn.emailLink.verified.title = Successfully signed in
signIn.emailLink.verified.subtitle = You will be redirected soon
signIn.emailLink.verifiedSwitchTab.titleNewTab = Signed in on other tab
signIn.emailLink.verifiedSwitchTab.subtitle = Return to original tab to continue
signIn.emailLink.expired.title = This verification link has expired
signIn.emailLink.expired.subtitle = Return to the original tab to continue.
signIn.emailLink.failed.title = This verification link is invalid
signIn.emailLink.failed.subtitle = Return to the original tab to continue.
signIn.emailLink.clientMismatch.title = Verification link is invalid for this device
signIn.emailLink.clientMismatch.subtitle = To continue, open the verification link on the device and browser from
    which you initiated the sign-in
signIn.alternativeMethods.title = Use another method
signIn.alternativeMethods.subtitle = Facing issues? You can use any of these methods to sign in.
signIn.alternativeMethods.blockButton__backupCode = Use a backup code
signIn.alternativeMethods.blockButton__emailCode = Email code to {{identifier}}
signIn.alternativeMethods.blockButton__emailLink = Email link to {{identifier}}
signIn.alternativeMethods.blockButton__passkey = Sign in with your passkey
signIn.alternativeMethods.blockButton__password = Sign in with your password
signIn.alternativeMethods.blockButton__phoneCode = Send SMS code to {{identifier}}
signIn.alternativeMethods.blockButton__totp = Use your authenticator app
signIn.forgotPasswordAlternativeMethods.title = Forgot Password?
signIn.forgotPasswordAlternativeMethods.blockButton__resetPassword = Reset your password
signIn.forgotPasswordAlternativeMethods.label__alternativeMethods = Or, sign in with another method
signIn.forgotPassword.title = Reset password
signIn.forgotPassword.subtitle_email = First, enter the code sent to your email address
signIn.forgotPassword.subtitle_phone = First, enter the code sent to your phone
signIn.forgotPassword.formTitle = Reset password code
signIn.forgotPassword.resendButton = Didn't receive a code? Resend
signIn.resetPassword.title = Set new password
signIn.resetPassword.formButtonPrimary = Reset Password
signIn.resetPassword.successMessage = Your password was successfully changed. Signing you in, please wait a moment.
signIn.totpMfa.title = Two-step verification
signIn.totpMfa.subtitle = To continue, please enter the verification code generated by your authenticator app
signIn.totpMfa.formTitle = Verification code
signIn.backupCodeMfa.title = Enter a backup code
signIn.backupCodeMfa.subtitle = Your backup code is the one you got when setting up two-step authentication.
signIn.backupCodeMfa.formTitle = Backup code
signIn.phoneCodeMfa.title = Check your phone
signIn.phoneCodeMfa.subtitle = To continue, please enter the verification code sent to your phone
signIn.phoneCodeMfa.formTitle = Verification code
signIn.phoneCodeMfa.resendButton = Didn't receive a code? Resend
signIn.emailCodeMfa.title = Check your email
signIn.emailCodeMfa.subtitle = To continue, please enter the verification code sent to your email
signIn.emailCodeMfa.formTitle = Verification code
signIn.emailCodeMfa.resendButton = Didn't receive a code? Resend
signIn.newDeviceVerificationNotice = You're signing in from a new device. We're asking for verification to keep your
    account secure.
signIn.passkey.title = Use your passkey
signIn.passkey.subtitle = Using your passkey confirms it's you. Your device may ask for your fingerprint, face or
    screen lock.
signIn.noAvailableMethods.title = Cannot sign in
signIn.noAvailableMethods.subtitle = An error occurred
signIn.noAvailableMethods.message = Cannot proceed with sign in. There's no available authentication factor.
signIn.ssoCallback.title = Signing you in…
signIn.signedIn.title = You are signed in
signIn.signedIn.subtitle = Signed in as {{identifier}}
signIn.signedIn.actionLink = Sign in to another account

signUp.start.title = Create your account
signUp.start.subtitle = Welcome! Please fill in the details to get started.
signUp.start.actionText = Already have an account?
signUp.start.actionLink = Sign in
signUp.continue.title = Fill in missing fields
signUp.continue.subtitle = Please fill in the remaining details to continue.
signUp.emailCode.title = Verify your email
signUp.emailCode.subtitle = Enter the verification code sent to your email
signUp.emailCode.formTitle = Verification code
signUp.emailCode.resendButton = Didn't receive a code? Resend
signUp.phoneCode.title = Verify your phone
signUp.phoneCode.subtitle = Enter the verification code sent to your phone
signUp.phoneCode.formTitle = Verification code
signUp.phoneCode.resendButton = Didn't receive a code? Resend
signUp.emailLink.title = Verify your email
signUp.emailLink.subtitle = to continue to {{applicationName}}
signUp.emailLink.formTitle = Verification link
signUp.emailLink.formSubtitle = Use the verification link sent to your email address
signUp.emailLink.resendButton = Didn't receive a link? Resend
signUp.emailLink.verified.title = Successfully signed up
signUp.emailLink.verifiedSwitchTab.title = Successfully verified email
signUp.emailLink.verifiedSwitchTab.subtitleNewTab = Return to previous tab to continue
signUp.legalConsent.continue.title = Legal consent
signUp.legalConsent.continue.subtitle = Please read and accept the terms to continue
signUp.restrictedAccess.title = Access restricted
signUp.restrictedAccess.subtitle = Sign ups are currently disabled. If you believe you should have access, please
    contact support.
signUp.ssoCallback.title = Signing you up…
signUp.signedIn.title = You are signed in
signUp.signedIn.subtitle = Signed in as {{identifier}}

userButton.action__manageAccount = Manage account
userButton.action__signOut = Sign out
userButton.action__signOutAll = Sign out of all accounts
userButton.action__addAccount = Add account
userButton.action__openUserMenu = Open user menu
userButton.action__closeUserMenu = Close user menu
userButton.popoverLabel = Account of {{identifier}}
userButton.switchAccount = Switch to {{identifier}}
userButton.signedOut = You are signed out

userProfile.navbar.title = Account
userProfile.navbar.account = Profile
userProfile.navbar.security = Security
userProfile.start.headerTitle__account = Profile details
userProfile.start.headerTitle__security = Security
userProfile.start.profileSection.title = Profile
userProfile.start.profileSection.primaryButton = Update profile
userProfile.start.usernameSection.title = Username
userProfile.start.usernameSection.primaryButton__setUsername = Set username
userProfile.start.usernameSection.primaryButton__updateUsername = Update username
userProfile.start.emailAddressesSection.title = Email addresses
userProfile.start.emailAddressesSection.primaryButton = Add email address
userProfile.start.emailAddressesSection.detailsAction__nonPrimary = Set as primary
userProfile.start.emailAddressesSection.detailsAction__unverified = Verify
userProfile.start.emailAddressesSection.destructiveAction = Remove email
userProfile.start.connectedAccountsSection.title = Connected accounts
userProfile.start.connectedAccountsSection.primaryButton = Connect account
userProfile.start.connectedAccountsSection.destructiveActionTitle = Remove
userProfile.start.passwordSection.title = Password
userProfile.start.passwordSection.primaryButton__setPassword = Set password
userProfile.start.passwordSection.primaryButton__updatePassword = Update password
userProfile.start.activeDevicesSection.title = Active devices
userProfile.start.activeDevicesSection.destructiveAction = Sign out of device
userProfile.start.dangerSection.title = Delete account
userProfile.start.dangerSection.deleteAccountButton = Delete account
userProfile.profilePage.title = Update profile
userProfile.profilePage.imageFormTitle = Profile image
userProfile.profilePage.imageFormDestructiveActionSubtitle = Remove
userProfile.profilePage.successMessage = Your profile has been updated.
userProfile.usernamePage.successMessage = Your username has been updated.
userProfile.emailAddressPage.title = Add email address
userProfile.emailAddressPage.emailCode.formSubtitle = Enter the verification code sent to {{identifier}}
userProfile.emailAddressPage.emailCode.resendButton = Didn't receive a code? Resend
userProfile.emailAddressPage.emailCode.successMessage = The email {{identifier}} has been added to your account.
userProfile.emailAddressPage.removeResource.successMessage = {{emailAddress}} has been removed from your account.
userProfile.connectedAccountPage.formHint = Select a provider to connect your account.
userProfile.connectedAccountPage.socialButtonsBlockButton = {{provider|titleize}}
userProfile.connectedAccountPage.removeResource.successMessage = {{connectedAccount}} has been removed from your
    account.
userProfile.passwordPage.successMessage__set = Your password has been set.
userProfile.passwordPage.successMessage__update = Your password has been updated.
userProfile.passwordPage.checkboxInfoText__signOutOfOtherSessions = It is recommended to sign out of all other devices
    which may have used your old password.
userProfile.start.phoneNumbersSection.title = Phone numbers
userProfile.start.phoneNumbersSection.primaryButton = Add phone number
userProfile.start.phoneNumbersSection.detailsAction__nonPrimary = Set as primary
userProfile.start.phoneNumbersSection.detailsAction__unverified = Verify phone number
userProfile.start.phoneNumbersSection.destructiveAction = Remove phone number
userProfile.phoneNumberPage.successMessage = {{identifier}} has been added to your account.
userProfile.start.mfaSection.title = Two-step verification
userProfile.start.mfaSection.primaryButton = Add two-step verification
userProfile.start.mfaSection.totp.headerTitle = Authenticator application
userProfile.start.mfaSection.totp.destructiveActionTitle = Remove
userProfile.start.mfaSection.backupCodes.headerTitle = Backup codes
userProfile.start.mfaSection.backupCodes.actionLabel__regenerate = Regenerate
userProfile.mfaTOTPPage.title = Add authenticator application
userProfile.mfaTOTPPage.verifyTitle = Verification code
userProfile.mfaTOTPPage.successMessage = Two-step verification is now enabled. When signing in, you will need to enter a
    verification code from this authenticator as an additional step.
userProfile.mfaTOTPPage.authenticatorApp.infoText__unableToScan = Set up a new sign-in method in your authenticator and
    enter the Key provided below.
userProfile.mfaTOTPPage.authenticatorApp.inputLabel__unableToScan2 = Alternatively, if your authenticator supports TOTP
    URIs, you can also copy the full URI.
userProfile.mfaTOTPPage.removeResource.successMessage = Two-step verification via authenticator application has been
    removed.
userProfile.backupCodePage.subtitle__codelist = Store them securely and keep them secret.
userProfile.start.passkeysSection.title = Passkeys
userProfile.start.passkeysSection.primaryButton = Add a passkey
userProfile.start.passkeysSection.menuAction__destructive = Remove
userProfile.deletePage.title = Delete account
userProfile.deletePage.messageLine1 = Are you sure you want to delete your account?
userProfile.deletePage.messageLine2 = This action is permanent and irreversible.
userProfile.deletePage.actionDescription = Type "Delete account" below to continue.
userProfile.deletePage.confirm = Delete account
userProfile.formButtonPrimary__add = Add
userProfile.formButtonPrimary__save = Save
userProfile.formButtonReset = Cancel
userProfile.start.passkeysSection.menuAction__rename = Rename
userProfile.passkeyScreen.title__rename = Rename Passkey
userProfile.passkeyScreen.subtitle__rename = You can change the passkey name to make it easier to find.
userProfile.start.mfaSection.phoneCode.actionLabel__setDefault = Set as default
userProfile.start.mfaSection.phoneCode.destructiveActionLabel = Remove
userProfile.mfaPhoneCodePage.title = Add SMS code verification
userProfile.mfaPhoneCodePage.itemTitle = SMS code {{identifier}}
userProfile.mfaPhoneCodePage.subtitle__availablePhoneNumbers = Select an existing phone number to register for SMS code
    two-step verification.
userProfile.mfaPhoneCodePage.subtitle__unavailablePhoneNumbers = There are no available phone numbers to register for
    SMS code two-step verification, please add a new one.
userProfile.mfaPhoneCodePage.successMessage1 = When signing in, you will need to enter a verification code sent to
    this phone number as an additional step.
userProfile.mfaPhoneCodePage.removeResource.successMessage = SMS code two-step verification has been removed for
    {{mfaPhoneCode}}
userProfile.mfaTOTPPage.authenticatorApp.infoText__ableToScan = Set up a new sign-in method in your authenticator app
    and scan the following QR code to link it to your account.
userProfile.mfaTOTPPage.authenticatorApp.qrCodeLabel = QR code for your authenticator app
reverification.password.title = Verification required
reverification.password.subtitle = Enter your current password to continue
reverification.emailCode.title = Verification required
reverification.emailCode.subtitle = Enter the code sent to your email to continue
reverification.emailCode.formTitle = Verification code
reverification.phoneCode.title = Verification required
reverification.phoneCode.subtitle = Enter the code sent to your phone to continue
reverification.phoneCode.formTitle = Verification code
reverification.totpMfa.title = Verification required
reverification.totpMfa.subtitle = Enter the code generated by your authenticator app to continue
reverification.totpMfa.formTitle = Verification code
reverification.phoneCodeMfa.title = Verification required
reverification.phoneCodeMfa.subtitle = Enter the code sent to your phone to continue
reverification.phoneCodeMfa.formTitle = Verification code
reverification.backupCodeMfa.title = Enter a backup code
reverification.backupCodeMfa.subtitle = Enter the backup code you received when setting up two-step authentication
reverification.noAvailableMethods.message = Cannot proceed with verification. No suitable authentication factor is
    configured
reverification.password.actionLink = Use another method
footerActionLink__useAnotherMethod = Use another method
reverification.emailCode.resendButton = Didn't receive a code? Resend
reverification.phoneCode.resendButton = Didn't receive a code? Resend
reverification.phoneCodeMfa.resendButton = Didn't receive a code? Resend
reverification.passkey.title = Use your passkey
reverification.passkey.subtitle = Using your passkey confirms your identity. Your device may ask for your fingerprint,
    face, or screen lock.
reverification.passkey.blockButton__passkey = Use your passkey
reverification.alternativeMethods.title = Use another method
reverification.alternativeMethods.subtitle = Facing issues? You can use any of these methods for verification.
reverification.alternativeMethods.blockButton__backupCode = Use a backup code
reverification.alternativeMethods.blockButton__emailCode = Email code to {{identifier}}
reverification.alternativeMethods.blockButton__passkey = Use your passkey
reverification.alternativeMethods.blockButton__password = Continue with your password
reverification.alternativeMethods.blockButton__phoneCode = Send SMS code to {{identifier}}
reverification.alternativeMethods.blockButton__totp = Use your authenticator app

unstable__errors.form_identifier_exists__email_address = This email address is taken. Please try another.
unstable__errors.form_identifier_exists__phone_number = This phone number is taken. Please try another.
unstable__errors.form_identifier_exists__username = This username is taken. Please try another.
unstable__errors.form_identifier_not_found = No account found with this identifier. Please check and try again.
unstable__errors.form_param_format_invalid = The value entered is in an invalid format. Please check and correct it.
unstable__errors.form_param_format_invalid__email_address = Email address must be a valid email address.
unstable__errors.form_param_format_invalid__phone_number = Phone number must be in a valid international format.
unstable__errors.form_param_nil = This field is required and cannot be empty.
unstable__errors.form_param_value_invalid = The value entered is invalid. Please correct it.
unstable__errors.form_password_incorrect = The password you entered is incorrect. Please try again.
unstable__errors.form_password_length_too_short = Your password is too short. It must be at least 8 characters long.
unstable__errors.form_password_not_strong_enough = Your password is not strong enough.
unstable__errors.form_password_pwned = This password has been found as part of a breach and can not be used, please
    try another password instead.
unstable__errors.form_password_size_in_bytes_exceeded = Your password has exceeded the maximum number of bytes
    allowed, please shorten it or remove some special characters.
unstable__errors.form_username_invalid_character = Your username contains invalid characters. Please use only letters,
    numbers, and underscores.
unstable__errors.form_username_invalid_length = Your username must be between {{min_length}} and {{max_length}}
    characters long.
unstable__errors.not_allowed_access = You do not have permission to access this page. Please contact support if you
    believe this is an error.
unstable__errors.captcha_invalid = Sign up unsuccessful due to failed security validations. Please refresh the page to
    try again or reach out to support for more assistance.
unstable__errors.passkey_not_supported = Passkeys are not supported on this device.
unstable__errors.passkey_retrieval_cancelled = Passkey verification was cancelled or timed out.
unstable__errors.network_error = The server could not be reached. Check your connection and try again.
unstable__errors.unexpected = Something went wrong. Please try again.
"""

# The organization components (OrganizationSwitcher, OrganizationProfile, CreateOrganization, OrganizationList).
TEXT += """
badge__verified = Verified
badge__you = You
createOrganization.invitePage.formButtonReset = Skip
createOrganization.title = Create organization
formFieldLabel__emailAddresses = Email addresses
formFieldLabel__organizationDomain = Domain
formFieldLabel__organizationName = Name
formFieldLabel__organizationSlug = Slug
formFieldLabel__role = Role
organizationList.action__invitationAccept = Join
organizationList.action__suggestionsAccept = Request to join
organizationList.subtitle = to continue to {{applicationName}}
organizationList.suggestionsAcceptedLabel = Pending approval
organizationList.title = Choose an account
organizationList.titleWithoutPersonal = Choose an organization
organizationProfile.invitePage.formButtonPrimary__continue = Send invitations
organizationProfile.invitePage.subtitle = Enter or paste one or more email addresses, separated by spaces or commas.
organizationProfile.invitePage.successMessage = Invitations successfully sent
organizationProfile.invitePage.title = Invite new members
organizationProfile.membersPage.action__invite = Invite
organizationProfile.membersPage.activeMembersTab.menuAction__remove = Remove member
organizationProfile.membersPage.detailsTitle__emptyRow = No members to display
organizationProfile.membersPage.invitedMembersTab.menuAction__revoke = Revoke invitation
organizationProfile.membersPage.requestsTab.menuAction__approve = Approve
organizationProfile.membersPage.requestsTab.menuAction__reject = Reject
organizationProfile.membersPage.roleOf = Role of {{name}}
organizationProfile.membersPage.start.headerTitle__invitations = Invitations
organizationProfile.membersPage.start.headerTitle__requests = Requests
organizationProfile.membersPage.successMessage = The members were updated.
organizationProfile.navbar.general = General
organizationProfile.navbar.members = Members
organizationProfile.navbar.title = Organization
organizationProfile.profilePage.dangerSection.deleteOrganization.messageLine1 = Are you sure you want to delete this
    organization? This action is permanent and irreversible.
organizationProfile.profilePage.dangerSection.deleteOrganization.successMessage = You have deleted the organization.
organizationProfile.profilePage.dangerSection.deleteOrganization.title = Delete organization
organizationProfile.profilePage.dangerSection.actionDescription = Type "{{organizationName}}" below
    to continue.
organizationProfile.profilePage.dangerSection.leaveOrganization.messageLine1 = Are you sure you want to leave this
    organization? You will lose access to this organization and its applications.
organizationProfile.profilePage.dangerSection.leaveOrganization.successMessage = You have left the organization.
organizationProfile.profilePage.dangerSection.leaveOrganization.title = Leave organization
organizationProfile.profilePage.dangerSection.title = Danger
organizationProfile.profilePage.domainSection.menuAction__remove = Delete
organizationProfile.profilePage.domainSection.menuAction__verify = Verify
organizationProfile.profilePage.domainSection.primaryButton = Add domain
organizationProfile.profilePage.domainSection.title = Verified domains
organizationProfile.start.profileSection.uploadAction__title = Logo
organizationProfile.profilePage.removeLogo = Remove logo
organizationProfile.profilePage.successMessage = The organization has been updated.
organizationProfile.start.profileSection.primaryButton = Update profile
organizationProfile.start.profileSection.title = Organization Profile
organizationProfile.verifiedDomainPage.enrollmentTab.automaticInvitationOption__label = Automatic invitations
organizationProfile.verifiedDomainPage.enrollmentTab.automaticSuggestionOption__label = Automatic suggestions
organizationProfile.verifiedDomainPage.enrollmentTab.formFieldLabel = Enrollment mode of {{domain}}
organizationProfile.verifiedDomainPage.enrollmentTab.manualInvitationOption__label = No automatic enrollment
organizationProfile.verifyDomainPage.subtitleVerificationCodeScreen = A verification code was sent to
    {{emailAddress}}. Enter the code to continue.
organizationSwitcher.action__manageOrganization = Manage
organizationSwitcher.notSelected = No organization selected
organizationSwitcher.personalWorkspace = Personal account
organizationSwitcher.popoverLabel = Organizations
organizationSwitcher.selected = {{name}} is now active.
organizationSwitcher.trigger__close = {{name}}, close organization switcher
organizationSwitcher.trigger__open = {{name}}, open organization switcher
formFieldLabel__organizationDomainEmailAddress = Verification email address
formFieldLabel__organizationDomainEmailAddressDescription = Enter an email address under this domain to receive a
    code and verify this domain.
organizationProfile.membersPage.action__search = Search
organizationProfile.membersPage.activeMembersTab.tableHeader__joined = Joined
organizationProfile.membersPage.invitedMembersTab.tableHeader__invited = Invited
organizationProfile.membersPage.requestsTab.tableHeader__requested = Requested access
organizationProfile.membersPage.invitationsTab.table__emptyRow = No invitations to display
organizationProfile.membersPage.requestsTab.table__emptyRow = No requests to display
paginationButton__previous = Previous
paginationButton__next = Next
paginationRowText__displaying = Displaying
paginationRowText__of = of
organizationProfile.profilePage.domainSection.menuAction__manage = Manage
organizationProfile.verifiedDomainPage.enrollmentTab.subtitle = Choose how users from this domain can join the
    organization.
organizationProfile.verifiedDomainPage.enrollmentTab.calloutInfoLabel = Changing the enrollment mode will only affect
    new users.
organizationProfile.verifiedDomainPage.enrollmentTab.calloutInvitationCountLabel = Pending invitations sent to users:
    {{count}}
organizationProfile.verifiedDomainPage.enrollmentTab.calloutSuggestionCountLabel = Pending suggestions sent to users:
    {{count}}
formFieldLabel__organizationDomainDeletePending = Delete pending invitations and suggestions
organizationProfile.verifyDomainPage.resendButton = Didn't receive a code? Resend
taskChooseOrganization.chooseOrganization.title = Choose an organization
taskChooseOrganization.chooseOrganization.subtitle = Join an existing organization or create a new one
taskChooseOrganization.chooseOrganization.subtitle__createOrganizationDisabled = Join an existing organization
taskChooseOrganization.chooseOrganization.action__createOrganization = Create new organization
taskChooseOrganization.createOrganization.title = Setup your organization
taskChooseOrganization.createOrganization.subtitle = Enter your organization details to continue
taskChooseOrganization.createOrganization.formButtonReset = Cancel
taskChooseOrganization.organizationCreationDisabled.title = You must belong to an organization
taskChooseOrganization.organizationCreationDisabled.subtitle = Contact your organization admin for an invitation.
taskChooseOrganization.signOut.actionLink = Sign out
taskChooseOrganization.signOut.actionText = Signed in as {{identifier}}
taskResetPassword.title = Reset your password
taskResetPassword.subtitle = Your account requires a new password before you can continue
taskResetPassword.formButtonPrimary = Reset Password
taskResetPassword.signOut.actionLink = Sign out
taskResetPassword.signOut.actionText = Signed in as {{identifier}}
taskSetupMfa.start.title = Set up two-step verification
taskSetupMfa.start.subtitle = Choose which method you prefer to protect your account with an extra layer of security
taskSetupMfa.start.methodSelection.totp = Authenticator application
taskSetupMfa.signOut.actionLink = Sign out
taskSetupMfa.signOut.actionText = Signed in as {{identifier}}
"""
