"""The components' localization (pure Python): the built-in tables, their format, layering and interpolation, and
that every string key the components use exists in en-US and every table is complete."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from clerk_frontend import ClerkValidationError
from clerk_frontend.ui import localization
from clerk_frontend.ui.localization import LOCALES, Strings, flatten, interpolate, parse_table, table

UI = Path(localization.__file__).resolve().parent
PLACEHOLDER = re.compile(r"{{\s*([A-Za-z_]+)")


def test_every_table_has_exactly_the_keys_of_en_us_with_the_same_placeholders() -> None:
    en = table("en-US")
    assert len(en) > 200
    for locale in LOCALES:
        other = table(locale)
        assert set(other) == set(en), f"{locale}: missing {set(en) - set(other)}, extra {set(other) - set(en)}"
        assert other["locale"] == locale
        for key, text in other.items():
            assert text.strip() == text and text, (locale, key)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(en[key])), (locale, key)


def test_fr_fr_translates_what_a_user_reads() -> None:
    en, fr = table("en-US"), table("fr-FR")
    same = [key for key in en if en[key] == fr[key] and key != "locale"]
    # Words that are the same in both languages (and the provider placeholder) only.
    assert set(same) <= {"formFieldLabel__confirmDeletion", "userProfile.connectedAccountPage.socialButtonsBlockButton",
                         "socialButtonsBlockButtonManyInView"}
    assert fr["formFieldLabel__emailAddress"] == "Adresse e-mail"
    assert fr["userButton.action__signOut"] == "Se déconnecter"


def _used_keys() -> tuple[set[str], set[str]]:
    """String keys passed to ``t(...)`` / ``strings(...)`` in the components: literals, and the literal prefix of
    f-strings (checked against the table as patterns)."""
    literal: set[str] = set()
    patterns: set[str] = set()
    for path in UI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ("t", "strings"):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literal.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                regex = "".join(re.escape(str(p.value)) if isinstance(p, ast.Constant) else ".+" for p in arg.values)
                patterns.add(regex)
    return literal, patterns


def test_every_key_the_components_use_is_in_en_us() -> None:
    en = table("en-US")
    literal, patterns = _used_keys()
    assert len(literal) > 80
    assert not sorted(literal - set(en)), sorted(literal - set(en))
    for pattern in patterns:
        assert any(re.fullmatch(pattern, key) for key in en), f"no key matches t(f'…') pattern {pattern}"


def test_table_format_continuation_lines() -> None:
    parsed = parse_table("a = one\nb = two words\n    and more\n\nc = x = y\n")
    assert parsed == {"a": "one", "b": "two words and more", "c": "x = y"}


def test_interpolation() -> None:
    assert interpolate("Continue with {{provider|titleize}}", {"provider": "google"}) == "Continue with Google"
    assert interpolate("{{ a }}-{{b}}-{{missing}}", {"a": 1, "b": "x"}) == "1-x-"
    assert interpolate("no placeholder {{ unclosed", {}) == "no placeholder {{ unclosed"
    assert interpolate("{{provider|titleize}}", {"provider": "GitHub"}) == "GitHub"


def test_layers_override_then_locale_then_en_us() -> None:
    strings = Strings({"locale": "fr-FR", "signIn": {"start": {"title": "Bonjour {{applicationName}}"}}},
                      {"formButtonPrimary": "Go"})
    assert strings.locale == "fr-FR"
    assert strings("signIn.start.title", applicationName="Acme") == "Bonjour Acme"
    assert strings("formButtonPrimary") == "Go"
    assert strings("dividerText") == "ou"
    assert Strings()("dividerText") == "or"
    assert Strings("fr-FR", None)("formButtonPrimary") == "Continuer"
    assert Strings()("no.such.key") == "no.such.key"  # never crashes a screen; the test above keeps this away


def test_flatten_and_bad_input() -> None:
    assert flatten({"a": {"b": "x", "c": None}, "d": "y"}) == {"a.b": "x", "d": "y"}
    with pytest.raises(ClerkValidationError, match="must be a string"):
        flatten({"a": 1})
    with pytest.raises(ClerkValidationError, match="no built-in table"):
        Strings("xx-XX")
    with pytest.raises(ClerkValidationError, match="locale name or a mapping"):
        Strings(42)  # type: ignore[arg-type]
