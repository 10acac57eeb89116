"""Localization and appearance of the components in Chromium: fr-FR shows no en-US string anywhere (text,
labels, placeholders, accessible names) through a whole sign-in and on SignUp and UserButton, an override of one
key wins over the table; ``appearance`` variables reach the computed styles, the app's element classes win over the
components' rules while the page's own type selectors do not leak in, and the dark theme passes axe's contrast
checks."""

from __future__ import annotations

import re
from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from playwright.sync_api import expect

from clerk_frontend.ui.localization import table

apps, backend, emu = kit.apps, kit.backend, kit.emu

# Every string a user can see or hear in the components' part of the page.
SHOWN = """() => {
  const out = [];
  for (const root of document.querySelectorAll(".cl-rootBox")) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) { const t = walker.currentNode.textContent.trim(); if (t) out.push(t); }
    for (const e of root.querySelectorAll("*"))
      for (const a of ["aria-label", "placeholder", "title", "alt"]) if (e.getAttribute(a)) out.push(e.getAttribute(a));
  }
  return out;
}"""


def english_only() -> set[str]:
    """en-US strings (without placeholders) that the fr-FR table says differently."""
    en, fr = table("en-US"), table("fr-FR")
    return {text for key, text in en.items() if "{{" not in text and fr[key] != text}


def assert_french(app: Any) -> None:
    shown = app.page.evaluate(SHOWN)
    leaked = sorted(set(shown) & english_only())
    assert not leaked, f"en-US strings in a fr-FR component: {leaked}"


def test_french_through_a_whole_sign_in(apps: Any, backend: Backend) -> None:
    email, _ = backend.new_user("fr", first_name="Marie", last_name="Curie")
    app = apps()
    app.start("clerk.mount_sign_in('#a', localization='fr-FR', sign_up_url='/sign-up')\n"
              "clerk.mount_sign_up('#b', localization={'locale': 'fr-FR', 'signUp.start.title': 'Bienvenue !'})\n"
              "clerk.mount_user_button('#c', localization='fr-FR')")
    page = app.page
    sign_in = page.locator("#a")
    expect(sign_in.get_by_role("heading", name="Connexion à Local Clerk instance")).to_be_visible()
    expect(sign_in.get_by_role("button", name="Google", exact=True)).to_be_visible()  # two providers: the names
    expect(page.locator("#b").get_by_role("heading", name="Bienvenue !")).to_be_visible()  # an override on fr-FR
    expect(page.locator("#a .cl-rootBox")).to_have_attribute("lang", "fr-FR")
    assert_french(app)
    sign_in.get_by_label("Adresse e-mail ou nom d’utilisateur").fill(email)
    sign_in.get_by_role("button", name="Continuer", exact=True).click()
    expect(sign_in.get_by_role("heading", name="Saisissez votre mot de passe")).to_be_visible()
    assert_french(app)
    sign_in.get_by_label("Mot de passe", exact=True).fill("pas-le-bon-1")
    sign_in.get_by_role("button", name="Continuer", exact=True).click()
    expect(sign_in.get_by_text("Mot de passe incorrect. Réessayez.")).to_be_visible()
    assert_french(app)
    sign_in.get_by_role("button", name="Utiliser une autre méthode").click()
    expect(sign_in.get_by_role("button", name=f"Envoyer un code à {email}")).to_be_visible()
    assert_french(app)
    sign_in.get_by_role("button", name="Retour").click()
    sign_in.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    sign_in.get_by_role("button", name="Continuer", exact=True).click()
    expect(sign_in.get_by_role("heading", name="Vous êtes connecté")).to_be_visible()
    page.get_by_role("button", name="Ouvrir le menu utilisateur").click()
    expect(page.get_by_role("button", name="Gérer le compte")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter", exact=True)).to_be_visible()
    assert_french(app)
    app.check("localization-fr-FR")


def test_appearance_variables_classes_and_dark_theme(apps: Any) -> None:
    app = apps()
    app.page.add_style_tag(content="""
        button { background: rgb(255, 0, 0); padding: 40px; }   /* a page's own rules for its buttons */
        .app-button { text-transform: uppercase; letter-spacing: 3px; }
        .app-card { outline: 3px solid rgb(0, 128, 0); }
    """)
    app.start("clerk.mount_sign_in('#a', appearance={'variables': {'colorPrimary': '#6c47ff', 'borderRadius': '0px',"
              " 'font_family': 'serif'}, 'elements': {'formButtonPrimary': 'app-button', 'card': 'app-card'}})\n"
              "clerk.mount_sign_up('#b', appearance={'theme': 'dark'})")
    page = app.page
    button = page.locator("#a").get_by_role("button", name="Continue", exact=True)
    style = button.evaluate("""e => { const s = getComputedStyle(e);
        return [s.backgroundColor, s.borderRadius, s.textTransform, s.paddingTop, s.fontFamily]; }""")
    # Variables -> custom properties; the app's class wins; the page's `button {}` does not reach the components.
    assert style == ["rgb(108, 71, 255)", "0px", "uppercase", "8px", "serif"]
    assert re.search(r"\bapp-card\b", page.locator("#a .cl-card").get_attribute("class") or "")
    assert page.locator("#a .cl-card").evaluate("e => getComputedStyle(e).outlineColor") == "rgb(0, 128, 0)"
    dark = page.locator("#b .cl-cardBox").evaluate("e => getComputedStyle(e).backgroundColor")
    assert dark == "rgb(33, 33, 38)"
    app.check("appearance-variables-and-dark")
