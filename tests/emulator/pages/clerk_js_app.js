// A small app built on clerk-js alone, the way Clerk's custom-flow guides build one. Every path of the test
// site serves the same page with this script; the path decides what the page does after Clerk.load():
//   /sso-callback  finishes an OAuth or SSO redirect: Clerk.handleRedirectCallback(...)
//   /verify        the page an email link opens: Clerk.handleEmailLinkVerification(...)
//   anything else  nothing (the test drives it through window.app and window.Clerk).
// window.app.ready turns true once the page's work is done; window.app.error holds what it threw.
// window.clerkLoadOptions (set by the page before this script, when present) is passed to Clerk.load().
(function () {
  'use strict';
  const app = (window.app = {ready: false, error: null, otherDevice: false});

  app.describe = (err) => ({
    name: err && err.name ? err.name : null,
    code: err && err.code !== undefined ? err.code : null,
    message: String(err && err.message ? err.message : err),
    errors: ((err && err.errors) || []).map((e) => ({code: e.code, longMessage: e.longMessage, meta: e.meta || {}})),
  });

  const pages = {
    '/sso-callback': (clerk) => clerk.handleRedirectCallback({
      signInForceRedirectUrl: '/done',
      signUpForceRedirectUrl: '/done',
      continueSignUpUrl: '/continue',
      signInUrl: '/sign-in',
      signUpUrl: '/sign-up',
      firstFactorUrl: '/sign-in/factor-one',
      secondFactorUrl: '/sign-in/factor-two',
    }),
    '/verify': (clerk) => clerk.handleEmailLinkVerification({
      redirectUrlComplete: '/done',
      onVerifiedOnOtherDevice: () => { app.otherDevice = true; },
    }),
  };

  const verification = (v) => (v ? {
    status: v.status || null,
    strategy: v.strategy || null,
    error: v.error ? {code: v.error.code, longMessage: v.error.longMessage, meta: v.error.meta || {}} : null,
  } : null);

  // What clerk-js holds now, in plain JSON.
  app.state = () => {
    const clerk = window.Clerk;
    const user = clerk.user || null;
    const signIn = clerk.client.signIn;
    const signUp = clerk.client.signUp;
    return {
      path: location.pathname,
      query: Object.fromEntries(new URLSearchParams(location.search)),
      sessionId: clerk.session ? clerk.session.id : null,
      clientSessionIds: clerk.client.sessions.map((s) => s.id),
      userId: user ? user.id : null,
      email: user && user.primaryEmailAddress ? user.primaryEmailAddress.emailAddress : null,
      username: user ? user.username : null,
      firstName: user ? user.firstName : null,
      lastName: user ? user.lastName : null,
      externalAccounts: user ? user.externalAccounts.map((a) => ({
        provider: a.provider, emailAddress: a.emailAddress, verification: verification(a.verification),
      })) : [],
      totpEnabled: user ? user.totpEnabled : null,
      backupCodeEnabled: user ? user.backupCodeEnabled : null,
      twoFactorEnabled: user ? user.twoFactorEnabled : null,
      passkeys: user ? user.passkeys.map((p) => ({id: p.id, name: p.name, lastUsedAt: p.lastUsedAt ? 1 : 0})) : [],
      factorVerificationAge: clerk.session ? clerk.session.factorVerificationAge : null,
      signIn: {
        id: signIn.id || null, status: signIn.status || null, identifier: signIn.identifier || null,
        createdSessionId: signIn.createdSessionId || null,
        firstFactorVerification: verification(signIn.firstFactorVerification),
        secondFactorVerification: verification(signIn.secondFactorVerification),
        supportedSecondFactors: (signIn.supportedSecondFactors || []).map((f) => f.strategy),
      },
      signUp: {
        id: signUp.id || null, status: signUp.status || null, missingFields: signUp.missingFields || [],
        unverifiedFields: signUp.unverifiedFields || [], emailAddress: signUp.emailAddress || null,
        createdSessionId: signUp.createdSessionId || null,
        externalAccount: verification(signUp.verifications.externalAccount),
      },
    };
  };

  (async () => {
    await window.Clerk.load(window.clerkLoadOptions || {});
    const work = pages[location.pathname.replace(/\/+$/, '')];
    if (work) await work(window.Clerk);
    app.ready = true;
  })().catch((err) => { app.error = app.describe(err); });
})();
