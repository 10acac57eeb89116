"""fr-FR strings of the prebuilt components: every key of the en-US table (a unit test holds them equal)."""

# One string per line, ``key = value``; an indented line continues the value after a space. (A text block compiles
# about ten times faster than a dict literal in Pyodide, and every page that mounts a component pays for it.)
TEXT = """
locale = fr-FR
backButton = Retour
badge__primary = Principale
badge__unverified = Non vérifiée
badge__thisDevice = Cet appareil
badge__default = Par défaut
dividerText = ou
formButtonPrimary = Continuer
formButtonPrimary__verify = Vérifier
formFieldAction__forgotPassword = Mot de passe oublié ?
formFieldError__notMatchingPasswords = Les mots de passe ne sont pas identiques.
formFieldError__verificationLinkExpired = Le lien de vérification a expiré. Demandez-en un nouveau.
formFieldHintText__optional = Facultatif
formFieldInputPlaceholder__emailAddress = Saisissez votre adresse e-mail
formFieldInputPlaceholder__emailAddress_username = Adresse e-mail ou nom d’utilisateur
formFieldInputPlaceholder__password = Saisissez votre mot de passe
formFieldInputPlaceholder__phoneNumber = Saisissez votre numéro de téléphone
formFieldLabel__code = Code de vérification
formFieldLabel__confirmDeletion = Confirmation
formFieldLabel__confirmPassword = Confirmez le mot de passe
formFieldLabel__currentPassword = Mot de passe actuel
formFieldLabel__emailAddress = Adresse e-mail
formFieldLabel__emailAddress_phoneNumber = Adresse e-mail ou numéro de téléphone
formFieldLabel__emailAddress_phoneNumber_username = Adresse e-mail, numéro de téléphone ou nom d’utilisateur
formFieldLabel__emailAddress_username = Adresse e-mail ou nom d’utilisateur
formFieldLabel__firstName = Prénom
formFieldLabel__lastName = Nom
formFieldLabel__legalConsent = J’accepte les conditions d’utilisation et la politique de confidentialité
formFieldLabel__newPassword = Nouveau mot de passe
formFieldLabel__password = Mot de passe
formFieldLabel__passkeyName = Nom de la clé d'accès
formFieldLabel__backupCode = Code de secours
formFieldLabel__phoneNumber = Numéro de téléphone
formFieldLabel__phoneNumber_username = Numéro de téléphone ou nom d’utilisateur
formFieldLabel__signOutOfOtherSessions = Se déconnecter de tous les autres appareils
formFieldLabel__username = Nom d’utilisateur
footerPageLink__privacy = Confidentialité
footerPageLink__terms = Conditions
identityPreview.editButton = Modifier
loading = Chargement…
modal.closeButton = Fermer
socialButtonsBlockButton = Continuer avec {{provider|titleize}}
socialButtonsBlockButtonManyInView = {{provider|titleize}}
lastAuthenticationStrategy = Utilisé la dernière fois

signIn.start.title = Connexion à {{applicationName}}
signIn.start.subtitle = Bon retour ! Connectez-vous pour continuer
signIn.start.actionText = Pas encore de compte ?
signIn.start.actionLink = S’inscrire
signIn.start.actionLink__use_email = Utiliser l’adresse e-mail
signIn.start.actionLink__use_email_username = Utiliser l’adresse e-mail ou le nom d’utilisateur
signIn.start.actionLink__use_phone = Utiliser le téléphone
signIn.start.actionLink__use_username = Utiliser le nom d’utilisateur
signIn.password.title = Saisissez votre mot de passe
signIn.password.subtitle = Saisissez le mot de passe de votre compte
signIn.password.actionLink = Utiliser une autre méthode
signIn.emailCode.title = Consultez vos e-mails
signIn.emailCode.subtitle = pour continuer vers {{applicationName}}
signIn.emailCode.formTitle = Code de vérification
signIn.emailCode.resendButton = Code non reçu ? Renvoyer
signIn.phoneCode.title = Consultez votre téléphone
signIn.phoneCode.subtitle = pour continuer vers {{applicationName}}
signIn.phoneCode.formTitle = Code de vérification
signIn.phoneCode.resendButton = Code non reçu ? Renvoyer
signIn.emailLink.title = Consultez vos e-mails
signIn.emailLink.subtitle = pour continuer vers {{applicationName}}
signIn.emailLink.formTitle = Lien de vérification
signIn.emailLink.formSubtitle = Ouvrez le lien de vérification envoyé à votre adresse e-mail
signIn.emailLink.resendButton = Lien non reçu ? Renvoyer
signIn.emailLink.loading.title = Connexion en cours…
signIn.emailLink.loading.subtitle = Vous allez être redirigé dans un instant
signIn.emailLink.verified.title = Connexion réussie
signIn.emailLink.verified.subtitle = Vous allez être redirigé dans un instant
signIn.emailLink.verifiedSwitchTab.titleNewTab = Connecté dans l’autre onglet
signIn.emailLink.verifiedSwitchTab.subtitle = Revenez à l’onglet d’origine pour continuer
signIn.emailLink.expired.title = Ce lien de vérification a expiré
signIn.emailLink.expired.subtitle = Revenez à l’onglet d’origine pour continuer.
signIn.emailLink.failed.title = Ce lien de vérification n’est pas valide
signIn.emailLink.failed.subtitle = Revenez à l’onglet d’origine pour continuer.
signIn.emailLink.clientMismatch.title = Ce lien de vérification n’est pas valable sur cet appareil
signIn.emailLink.clientMismatch.subtitle = Pour continuer, ouvrez le lien sur l’appareil et dans le navigateur où vous
    avez commencé la connexion
signIn.alternativeMethods.title = Utiliser une autre méthode
signIn.alternativeMethods.subtitle = Un souci ? Chacune de ces méthodes permet de vous connecter.
signIn.alternativeMethods.blockButton__backupCode = Utiliser un code de secours
signIn.alternativeMethods.blockButton__emailCode = Envoyer un code à {{identifier}}
signIn.alternativeMethods.blockButton__emailLink = Envoyer un lien à {{identifier}}
signIn.alternativeMethods.blockButton__passkey = Se connecter avec une clé d’accès
signIn.alternativeMethods.blockButton__password = Se connecter avec le mot de passe
signIn.alternativeMethods.blockButton__phoneCode = Envoyer un code par SMS au {{identifier}}
signIn.alternativeMethods.blockButton__totp = Utiliser l’application d’authentification
signIn.forgotPasswordAlternativeMethods.title = Mot de passe oublié ?
signIn.forgotPasswordAlternativeMethods.blockButton__resetPassword = Réinitialiser le mot de passe
signIn.forgotPasswordAlternativeMethods.label__alternativeMethods = Ou connectez-vous autrement
signIn.forgotPassword.title = Réinitialiser le mot de passe
signIn.forgotPassword.subtitle_email = Saisissez d’abord le code envoyé à votre adresse e-mail
signIn.forgotPassword.subtitle_phone = Saisissez d’abord le code envoyé à votre téléphone
signIn.forgotPassword.formTitle = Code de réinitialisation
signIn.forgotPassword.resendButton = Code non reçu ? Renvoyer
signIn.resetPassword.title = Nouveau mot de passe
signIn.resetPassword.formButtonPrimary = Réinitialiser
signIn.resetPassword.successMessage = Votre mot de passe a été modifié. Connexion en cours, un instant…
signIn.totpMfa.title = Vérification en deux étapes
signIn.totpMfa.subtitle = Pour continuer, saisissez le code donné par votre application d’authentification
signIn.totpMfa.formTitle = Code de vérification
signIn.backupCodeMfa.title = Saisissez un code de secours
signIn.backupCodeMfa.subtitle = Un des codes reçus lors de l’activation de la vérification en deux étapes.
signIn.backupCodeMfa.formTitle = Code de secours
signIn.phoneCodeMfa.title = Consultez votre téléphone
signIn.phoneCodeMfa.subtitle = Pour continuer, saisissez le code envoyé à votre téléphone
signIn.phoneCodeMfa.formTitle = Code de vérification
signIn.phoneCodeMfa.resendButton = Code non reçu ? Renvoyer
signIn.emailCodeMfa.title = Consultez vos e-mails
signIn.emailCodeMfa.subtitle = Pour continuer, saisissez le code envoyé à votre adresse e-mail
signIn.emailCodeMfa.formTitle = Code de vérification
signIn.emailCodeMfa.resendButton = Code non reçu ? Renvoyer
signIn.newDeviceVerificationNotice = Vous vous connectez depuis un nouvel appareil : une vérification protège votre
    compte.
signIn.passkey.title = Utilisez votre clé d’accès
signIn.passkey.subtitle = Votre clé d’accès prouve que c’est bien vous. L’appareil peut demander votre empreinte,
    votre visage ou le code de verrouillage.
signIn.noAvailableMethods.title = Connexion impossible
signIn.noAvailableMethods.subtitle = Une erreur est survenue
signIn.noAvailableMethods.message = Aucune méthode d’authentification n’est disponible pour continuer.
signIn.ssoCallback.title = Connexion en cours…
signIn.signedIn.title = Vous êtes connecté
signIn.signedIn.subtitle = Connecté en tant que {{identifier}}
signIn.signedIn.actionLink = Se connecter à un autre compte

signUp.start.title = Créez votre compte
signUp.start.subtitle = Bienvenue ! Remplissez ces champs pour commencer.
signUp.start.actionText = Vous avez déjà un compte ?
signUp.start.actionLink = Se connecter
signUp.continue.title = Champs manquants
signUp.continue.subtitle = Complétez les informations restantes pour continuer.
signUp.emailCode.title = Vérifiez votre adresse e-mail
signUp.emailCode.subtitle = Saisissez le code de vérification envoyé à votre adresse e-mail
signUp.emailCode.formTitle = Code de vérification
signUp.emailCode.resendButton = Code non reçu ? Renvoyer
signUp.phoneCode.title = Vérifiez votre téléphone
signUp.phoneCode.subtitle = Saisissez le code de vérification envoyé à votre téléphone
signUp.phoneCode.formTitle = Code de vérification
signUp.phoneCode.resendButton = Code non reçu ? Renvoyer
signUp.emailLink.title = Vérifiez votre adresse e-mail
signUp.emailLink.subtitle = pour continuer vers {{applicationName}}
signUp.emailLink.formTitle = Lien de vérification
signUp.emailLink.formSubtitle = Ouvrez le lien de vérification envoyé à votre adresse e-mail
signUp.emailLink.resendButton = Lien non reçu ? Renvoyer
signUp.emailLink.verified.title = Inscription réussie
signUp.emailLink.verifiedSwitchTab.title = Adresse e-mail vérifiée
signUp.emailLink.verifiedSwitchTab.subtitleNewTab = Revenez à l’onglet précédent pour continuer
signUp.legalConsent.continue.title = Consentement
signUp.legalConsent.continue.subtitle = Lisez et acceptez les conditions pour continuer
signUp.restrictedAccess.title = Accès restreint
signUp.restrictedAccess.subtitle = Les inscriptions sont fermées. Si vous pensez devoir y avoir accès, contactez
    l’assistance.
signUp.ssoCallback.title = Inscription en cours…
signUp.signedIn.title = Vous êtes connecté
signUp.signedIn.subtitle = Connecté en tant que {{identifier}}

userButton.action__manageAccount = Gérer le compte
userButton.action__signOut = Se déconnecter
userButton.action__signOutAll = Se déconnecter de tous les comptes
userButton.action__addAccount = Ajouter un compte
userButton.action__openUserMenu = Ouvrir le menu utilisateur
userButton.action__closeUserMenu = Fermer le menu utilisateur
userButton.popoverLabel = Compte de {{identifier}}
userButton.switchAccount = Passer au compte {{identifier}}
userButton.signedOut = Vous êtes déconnecté

userProfile.navbar.title = Compte
userProfile.navbar.account = Profil
userProfile.navbar.security = Sécurité
userProfile.start.headerTitle__account = Détails du profil
userProfile.start.headerTitle__security = Sécurité
userProfile.start.profileSection.title = Profil
userProfile.start.profileSection.primaryButton = Modifier le profil
userProfile.start.usernameSection.title = Nom d’utilisateur
userProfile.start.usernameSection.primaryButton__setUsername = Choisir un nom d’utilisateur
userProfile.start.usernameSection.primaryButton__updateUsername = Modifier le nom d’utilisateur
userProfile.start.emailAddressesSection.title = Adresses e-mail
userProfile.start.emailAddressesSection.primaryButton = Ajouter une adresse e-mail
userProfile.start.emailAddressesSection.detailsAction__nonPrimary = Définir comme principale
userProfile.start.emailAddressesSection.detailsAction__unverified = Vérifier
userProfile.start.emailAddressesSection.destructiveAction = Supprimer l’adresse
userProfile.start.connectedAccountsSection.title = Comptes connectés
userProfile.start.connectedAccountsSection.primaryButton = Connecter un compte
userProfile.start.connectedAccountsSection.destructiveActionTitle = Supprimer
userProfile.start.passwordSection.title = Mot de passe
userProfile.start.passwordSection.primaryButton__setPassword = Définir un mot de passe
userProfile.start.passwordSection.primaryButton__updatePassword = Modifier le mot de passe
userProfile.start.activeDevicesSection.title = Appareils connectés
userProfile.start.activeDevicesSection.destructiveAction = Déconnecter l’appareil
userProfile.start.dangerSection.title = Supprimer le compte
userProfile.start.dangerSection.deleteAccountButton = Supprimer le compte
userProfile.profilePage.title = Modifier le profil
userProfile.profilePage.imageFormTitle = Photo de profil
userProfile.profilePage.imageFormDestructiveActionSubtitle = Retirer
userProfile.profilePage.successMessage = Votre profil a été mis à jour.
userProfile.usernamePage.successMessage = Votre nom d’utilisateur a été mis à jour.
userProfile.emailAddressPage.title = Ajouter une adresse e-mail
userProfile.emailAddressPage.emailCode.formSubtitle = Saisissez le code de vérification envoyé à {{identifier}}
userProfile.emailAddressPage.emailCode.resendButton = Code non reçu ? Renvoyer
userProfile.emailAddressPage.emailCode.successMessage = L’adresse {{identifier}} a été ajoutée à votre compte.
userProfile.emailAddressPage.removeResource.successMessage = L’adresse {{emailAddress}} a été retirée du compte.
userProfile.connectedAccountPage.formHint = Choisissez le fournisseur à connecter à votre compte.
userProfile.connectedAccountPage.socialButtonsBlockButton = {{provider|titleize}}
userProfile.connectedAccountPage.removeResource.successMessage = Le compte {{connectedAccount}} a été retiré de votre
    compte.
userProfile.passwordPage.successMessage__set = Votre mot de passe a été défini.
userProfile.passwordPage.successMessage__update = Votre mot de passe a été modifié.
userProfile.passwordPage.checkboxInfoText__signOutOfOtherSessions = Mieux vaut déconnecter les autres appareils qui
    ont pu utiliser l’ancien mot de passe.
userProfile.start.phoneNumbersSection.title = Numéros de téléphone
userProfile.start.phoneNumbersSection.primaryButton = Ajouter un numéro de téléphone
userProfile.start.phoneNumbersSection.detailsAction__nonPrimary = Définir comme principal
userProfile.start.phoneNumbersSection.detailsAction__unverified = Vérifier le numéro
userProfile.start.phoneNumbersSection.destructiveAction = Supprimer le numéro
userProfile.phoneNumberPage.successMessage = Le numéro {{identifier}} a été ajouté à votre compte.
userProfile.start.mfaSection.title = Vérification en deux étapes
userProfile.start.mfaSection.primaryButton = Activer la vérification en deux étapes
userProfile.start.mfaSection.totp.headerTitle = Application d’authentification
userProfile.start.mfaSection.totp.destructiveActionTitle = Supprimer
userProfile.start.mfaSection.backupCodes.headerTitle = Codes de secours
userProfile.start.mfaSection.backupCodes.actionLabel__regenerate = Régénérer
userProfile.mfaTOTPPage.title = Ajouter une application d’authentification
userProfile.mfaTOTPPage.verifyTitle = Code de vérification
userProfile.mfaTOTPPage.successMessage = La vérification en deux étapes est activée : à chaque connexion, un code de
    cette application vous sera demandé en plus.
userProfile.mfaTOTPPage.authenticatorApp.infoText__unableToScan = Ajoutez une méthode de connexion dans votre
    application d’authentification et saisissez la clé ci-dessous.
userProfile.mfaTOTPPage.authenticatorApp.inputLabel__unableToScan2 = Si votre application accepte les URI TOTP, vous
    pouvez aussi copier l’URI complète.
userProfile.mfaTOTPPage.removeResource.successMessage = La vérification en deux étapes par application
    d’authentification a été désactivée.
userProfile.backupCodePage.subtitle__codelist = Conservez-les en lieu sûr et gardez-les secrets.
userProfile.start.passkeysSection.title = Clés d’accès
userProfile.start.passkeysSection.primaryButton = Ajouter une clé d’accès
userProfile.start.passkeysSection.menuAction__destructive = Supprimer
userProfile.deletePage.title = Supprimer le compte
userProfile.deletePage.messageLine1 = Voulez-vous vraiment supprimer votre compte ?
userProfile.deletePage.messageLine2 = Cette action est définitive et irréversible.
userProfile.deletePage.actionDescription = Tapez « Supprimer le compte » ci-dessous pour continuer.
userProfile.deletePage.confirm = Supprimer le compte
userProfile.formButtonPrimary__add = Ajouter
userProfile.formButtonPrimary__save = Enregistrer
userProfile.formButtonReset = Annuler
userProfile.start.passkeysSection.menuAction__rename = Renommer
userProfile.passkeyScreen.title__rename = Renommer la clé d'accès
userProfile.passkeyScreen.subtitle__rename = Vous pouvez changer le nom de la clé d'accès pour la retrouver plus
    facilement.
userProfile.start.mfaSection.phoneCode.actionLabel__setDefault = Définir par défaut
userProfile.start.mfaSection.phoneCode.destructiveActionLabel = Supprimer
userProfile.mfaPhoneCodePage.title = Ajouter la vérification par code SMS
userProfile.mfaPhoneCodePage.itemTitle = Code SMS {{identifier}}
userProfile.mfaPhoneCodePage.subtitle__availablePhoneNumbers = Choisissez un numéro de téléphone existant pour la
    vérification en deux étapes par code SMS.
userProfile.mfaPhoneCodePage.subtitle__unavailablePhoneNumbers = Aucun numéro de téléphone disponible pour la
    vérification en deux étapes par code SMS ; ajoutez-en un.
userProfile.mfaPhoneCodePage.successMessage1 = À la connexion, vous devrez saisir un code de vérification envoyé à ce
    numéro de téléphone comme étape supplémentaire.
userProfile.mfaPhoneCodePage.removeResource.successMessage = La vérification en deux étapes par code SMS a été
    supprimée pour {{mfaPhoneCode}}
userProfile.mfaTOTPPage.authenticatorApp.infoText__ableToScan = Ajoutez une méthode de connexion dans votre application
    d'authentification et scannez le code QR suivant pour la lier à votre compte.
userProfile.mfaTOTPPage.authenticatorApp.qrCodeLabel = Code QR pour votre application d'authentification
reverification.password.title = Vérification requise
reverification.password.subtitle = Saisissez votre mot de passe actuel pour continuer
reverification.emailCode.title = Vérification requise
reverification.emailCode.subtitle = Saisissez le code envoyé à votre adresse e-mail pour continuer
reverification.emailCode.formTitle = Code de vérification
reverification.phoneCode.title = Vérification requise
reverification.phoneCode.subtitle = Saisissez le code envoyé à votre téléphone pour continuer
reverification.phoneCode.formTitle = Code de vérification
reverification.totpMfa.title = Vérification requise
reverification.totpMfa.subtitle = Saisissez le code généré par votre application d'authentification pour continuer
reverification.totpMfa.formTitle = Code de vérification
reverification.phoneCodeMfa.title = Vérification requise
reverification.phoneCodeMfa.subtitle = Saisissez le code envoyé à votre téléphone pour continuer
reverification.phoneCodeMfa.formTitle = Code de vérification
reverification.backupCodeMfa.title = Saisissez un code de secours
reverification.backupCodeMfa.subtitle = Saisissez le code de secours reçu lors de la configuration de la vérification
    en deux étapes
reverification.noAvailableMethods.message = Impossible de poursuivre la vérification : aucun facteur
    d'authentification adapté n'est configuré
reverification.password.actionLink = Utiliser une autre méthode
footerActionLink__useAnotherMethod = Utiliser une autre méthode
reverification.emailCode.resendButton = Code non reçu ? Renvoyer
reverification.phoneCode.resendButton = Code non reçu ? Renvoyer
reverification.phoneCodeMfa.resendButton = Code non reçu ? Renvoyer
reverification.passkey.title = Utilisez votre clé d’accès
reverification.passkey.subtitle = Votre clé d’accès confirme votre identité. Votre appareil peut demander votre
    empreinte, votre visage ou le verrouillage de l’écran.
reverification.passkey.blockButton__passkey = Utiliser votre clé d’accès
reverification.alternativeMethods.title = Utiliser une autre méthode
reverification.alternativeMethods.subtitle = Un souci ? Chacune de ces méthodes permet de confirmer votre identité.
reverification.alternativeMethods.blockButton__backupCode = Utiliser un code de secours
reverification.alternativeMethods.blockButton__emailCode = Envoyer un code à {{identifier}}
reverification.alternativeMethods.blockButton__passkey = Utiliser votre clé d’accès
reverification.alternativeMethods.blockButton__password = Continuer avec votre mot de passe
reverification.alternativeMethods.blockButton__phoneCode = Envoyer un code par SMS au {{identifier}}
reverification.alternativeMethods.blockButton__totp = Utiliser l’application d’authentification

unstable__errors.form_identifier_exists__email_address = Cette adresse e-mail est déjà utilisée. Essayez-en une autre.
unstable__errors.form_identifier_exists__phone_number = Ce numéro de téléphone est déjà utilisé. Essayez-en un autre.
unstable__errors.form_identifier_exists__username = Ce nom d’utilisateur est déjà pris. Essayez-en un autre.
unstable__errors.form_identifier_not_found = Aucun compte ne correspond à cet identifiant. Vérifiez et réessayez.
unstable__errors.form_param_format_invalid = Le format de cette valeur n’est pas valide. Corrigez-la.
unstable__errors.form_param_format_invalid__email_address = L’adresse e-mail doit être une adresse valide.
unstable__errors.form_param_format_invalid__phone_number = Le numéro de téléphone doit être au format international.
unstable__errors.form_param_nil = Ce champ est obligatoire.
unstable__errors.form_param_value_invalid = Cette valeur n’est pas valide. Corrigez-la.
unstable__errors.form_password_incorrect = Mot de passe incorrect. Réessayez.
unstable__errors.form_password_length_too_short = Mot de passe trop court : il doit compter au moins 8 caractères.
unstable__errors.form_password_not_strong_enough = Ce mot de passe n’est pas assez robuste.
unstable__errors.form_password_pwned = Ce mot de passe figure dans une fuite de données et ne peut pas être utilisé.
    Choisissez-en un autre.
unstable__errors.form_password_size_in_bytes_exceeded = Ce mot de passe est trop long : raccourcissez-le ou retirez
    des caractères spéciaux.
unstable__errors.form_username_invalid_character = Le nom d’utilisateur ne peut contenir que des lettres, des chiffres
    et des tirets bas.
unstable__errors.form_username_invalid_length = Le nom d’utilisateur doit compter entre {{min_length}} et
    {{max_length}} caractères.
unstable__errors.not_allowed_access = Vous n’avez pas accès à cette page. Contactez l’assistance si vous pensez que
    c’est une erreur.
unstable__errors.captcha_invalid = L’inscription a échoué aux contrôles de sécurité. Rechargez la page pour réessayer
    ou contactez l’assistance.
unstable__errors.passkey_not_supported = Cet appareil ne prend pas en charge les clés d’accès.
unstable__errors.passkey_retrieval_cancelled = La vérification par clé d’accès a été annulée ou a expiré.
unstable__errors.network_error = Le serveur est injoignable. Vérifiez votre connexion et réessayez.
unstable__errors.unexpected = Une erreur est survenue. Réessayez.
"""

# The organization components (OrganizationSwitcher, OrganizationProfile, CreateOrganization, OrganizationList).
TEXT += """
badge__verified = Vérifié
badge__you = Vous
createOrganization.invitePage.formButtonReset = Passer
createOrganization.title = Créer une organisation
formFieldLabel__emailAddresses = Adresses e-mail
formFieldLabel__organizationDomain = Domaine
formFieldLabel__organizationName = Nom
formFieldLabel__organizationSlug = Identifiant (slug)
formFieldLabel__role = Rôle
organizationList.action__invitationAccept = Rejoindre
organizationList.action__suggestionsAccept = Demander à rejoindre
organizationList.subtitle = pour continuer vers {{applicationName}}
organizationList.suggestionsAcceptedLabel = En attente d’approbation
organizationList.title = Choisissez un compte
organizationList.titleWithoutPersonal = Choisissez une organisation
organizationProfile.invitePage.formButtonPrimary__continue = Envoyer les invitations
organizationProfile.invitePage.subtitle = Saisissez ou collez une ou plusieurs adresses e-mail, séparées par des
    espaces ou des virgules.
organizationProfile.invitePage.successMessage = Invitations envoyées
organizationProfile.invitePage.title = Inviter de nouveaux membres
organizationProfile.membersPage.action__invite = Inviter
organizationProfile.membersPage.activeMembersTab.menuAction__remove = Retirer le membre
organizationProfile.membersPage.detailsTitle__emptyRow = Aucun membre à afficher
organizationProfile.membersPage.invitedMembersTab.menuAction__revoke = Révoquer l’invitation
organizationProfile.membersPage.requestsTab.menuAction__approve = Approuver
organizationProfile.membersPage.requestsTab.menuAction__reject = Refuser
organizationProfile.membersPage.roleOf = Rôle de {{name}}
organizationProfile.membersPage.start.headerTitle__invitations = Invitations en attente
organizationProfile.membersPage.start.headerTitle__requests = Demandes
organizationProfile.membersPage.successMessage = Les membres ont été mis à jour.
organizationProfile.navbar.general = Général
organizationProfile.navbar.members = Membres
organizationProfile.navbar.title = Organisation
organizationProfile.profilePage.dangerSection.deleteOrganization.messageLine1 = Voulez-vous vraiment supprimer cette
    organisation ? Cette action est définitive et irréversible.
organizationProfile.profilePage.dangerSection.deleteOrganization.successMessage = Vous avez supprimé l’organisation.
organizationProfile.profilePage.dangerSection.deleteOrganization.title = Supprimer l’organisation
organizationProfile.profilePage.dangerSection.actionDescription = Saisissez « {{organizationName}} »
    ci-dessous pour continuer.
organizationProfile.profilePage.dangerSection.leaveOrganization.messageLine1 = Voulez-vous vraiment quitter cette
    organisation ? Vous perdrez l’accès à cette organisation et à ses applications.
organizationProfile.profilePage.dangerSection.leaveOrganization.successMessage = Vous avez quitté l’organisation.
organizationProfile.profilePage.dangerSection.leaveOrganization.title = Quitter l’organisation
organizationProfile.profilePage.dangerSection.title = Zone de danger
organizationProfile.profilePage.domainSection.menuAction__remove = Supprimer
organizationProfile.profilePage.domainSection.menuAction__verify = Vérifier
organizationProfile.profilePage.domainSection.primaryButton = Ajouter un domaine
organizationProfile.profilePage.domainSection.title = Domaines vérifiés
organizationProfile.start.profileSection.uploadAction__title = Logo de l’organisation
organizationProfile.profilePage.removeLogo = Retirer le logo
organizationProfile.profilePage.successMessage = L’organisation a été mise à jour.
organizationProfile.start.profileSection.primaryButton = Modifier le profil
organizationProfile.start.profileSection.title = Profil de l’organisation
organizationProfile.verifiedDomainPage.enrollmentTab.automaticInvitationOption__label = Invitations automatiques
organizationProfile.verifiedDomainPage.enrollmentTab.automaticSuggestionOption__label = Suggestions automatiques
organizationProfile.verifiedDomainPage.enrollmentTab.formFieldLabel = Mode d’inscription de {{domain}}
organizationProfile.verifiedDomainPage.enrollmentTab.manualInvitationOption__label = Pas d’inscription automatique
organizationProfile.verifyDomainPage.subtitleVerificationCodeScreen = Un code de vérification a été envoyé à
    {{emailAddress}}. Saisissez-le pour continuer.
organizationSwitcher.action__manageOrganization = Gérer
organizationSwitcher.notSelected = Aucune organisation sélectionnée
organizationSwitcher.personalWorkspace = Compte personnel
organizationSwitcher.popoverLabel = Organisations
organizationSwitcher.selected = {{name}} est maintenant active.
organizationSwitcher.trigger__close = {{name}}, fermer le sélecteur d’organisation
organizationSwitcher.trigger__open = {{name}}, ouvrir le sélecteur d’organisation
formFieldLabel__organizationDomainEmailAddress = Adresse e-mail de vérification
formFieldLabel__organizationDomainEmailAddressDescription = Saisissez une adresse e-mail de ce domaine pour recevoir
    un code et vérifier le domaine.
organizationProfile.membersPage.action__search = Rechercher
organizationProfile.membersPage.activeMembersTab.tableHeader__joined = Membre depuis le
organizationProfile.membersPage.invitedMembersTab.tableHeader__invited = Invité le
organizationProfile.membersPage.requestsTab.tableHeader__requested = Demande du
organizationProfile.membersPage.invitationsTab.table__emptyRow = Aucune invitation à afficher
organizationProfile.membersPage.requestsTab.table__emptyRow = Aucune demande à afficher
paginationButton__previous = Précédent
paginationButton__next = Suivant
paginationRowText__displaying = Affichage
paginationRowText__of = sur
organizationProfile.profilePage.domainSection.menuAction__manage = Gérer
organizationProfile.verifiedDomainPage.enrollmentTab.subtitle = Choisissez comment les utilisateurs de ce domaine
    rejoignent l’organisation.
organizationProfile.verifiedDomainPage.enrollmentTab.calloutInfoLabel = Un changement de mode d’inscription ne concerne
    que les nouveaux utilisateurs.
organizationProfile.verifiedDomainPage.enrollmentTab.calloutInvitationCountLabel = Invitations en attente : {{count}}
organizationProfile.verifiedDomainPage.enrollmentTab.calloutSuggestionCountLabel = Suggestions en attente : {{count}}
formFieldLabel__organizationDomainDeletePending = Supprimer les invitations et suggestions en attente
organizationProfile.verifyDomainPage.resendButton = Code non reçu ? Renvoyer
taskChooseOrganization.chooseOrganization.title = Choisir une organisation
taskChooseOrganization.chooseOrganization.subtitle = Rejoignez une organisation existante ou créez-en une nouvelle
taskChooseOrganization.chooseOrganization.subtitle__createOrganizationDisabled = Rejoignez une organisation existante
taskChooseOrganization.chooseOrganization.action__createOrganization = Créer une nouvelle organisation
taskChooseOrganization.createOrganization.title = Configurer votre organisation
taskChooseOrganization.createOrganization.subtitle = Entrez les détails de votre organisation pour continuer
taskChooseOrganization.createOrganization.formButtonReset = Annuler
taskChooseOrganization.organizationCreationDisabled.title = Vous devez appartenir à une organisation
taskChooseOrganization.organizationCreationDisabled.subtitle = Contactez l'administrateur de votre organisation pour
    obtenir une invitation.
taskChooseOrganization.signOut.actionLink = Se déconnecter
taskChooseOrganization.signOut.actionText = Connecté en tant que {{identifier}}
taskResetPassword.title = Réinitialisez votre mot de passe
taskResetPassword.subtitle = Votre compte exige un nouveau mot de passe avant de continuer
taskResetPassword.formButtonPrimary = Réinitialiser le mot de passe
taskResetPassword.signOut.actionLink = Se déconnecter
taskResetPassword.signOut.actionText = Connecté en tant que {{identifier}}
taskSetupMfa.start.title = Configurer la vérification en deux étapes
taskSetupMfa.start.subtitle = Choisissez la méthode qui protégera votre compte d’une couche de sécurité supplémentaire
taskSetupMfa.start.methodSelection.totp = Application d’authentification
taskSetupMfa.signOut.actionLink = Se déconnecter
taskSetupMfa.signOut.actionText = Connecté en tant que {{identifier}}
"""
