"""Localization (pure): every string goes through :class:`Strings`, a built-in table (en-US, fr-FR) under the app's
overrides, en-US last. ``localization=`` is a locale name or a mapping of clerk-js's keys, flat with dots or nested."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from ..errors import ClerkValidationError

__all__ = ["LOCALES", "Localization", "Strings", "flatten", "interpolate", "parse_table", "table"]

#: Built-in locales and the module holding each table (imported on first use).
LOCALES = {"en-US": "_en_us", "fr-FR": "_fr_fr"}
#: ``localization=``: a built-in locale's name, or a mapping of keys (flat or nested) to strings.
Localization = str | Mapping[str, Any]


_TABLES: dict[str, dict[str, str]] = {}


def parse_table(text: str) -> dict[str, str]:
    """A table written one ``key = value`` per line (an indented line continues the value after a space)."""
    table: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith(" ") and key:
            table[key] += " " + line.strip()
        elif line:
            key, _, value = line.partition(" = ")
            table[key] = value
    return table


def table(locale: str) -> dict[str, str]:
    """The built-in table of ``locale`` (parsed once)."""
    found = _TABLES.get(locale)
    if found is None:
        found = _TABLES[locale] = parse_table(import_module(f".{LOCALES[locale]}", __package__).TEXT)
    return found


def flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested keys joined with dots; ``None`` values (clerk-js's "not translated") are left out."""
    flat: dict[str, str] = {}
    for key, value in mapping.items():
        if not isinstance(key, str) or not key:
            raise ClerkValidationError(f"localization: keys must be non-empty strings, got {key!r}.")
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        elif value is not None:
            raise ClerkValidationError(
                f"localization: {name!r} must be a string (or a mapping of them), got {type(value).__name__}.")
    return flat


def _titleize(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


def interpolate(template: str, values: Mapping[str, object]) -> str:
    """Replace ``{{ name }}`` and ``{{ name|titleize }}``; an unknown name becomes an empty string."""
    out: list[str] = []
    start = 0
    while True:
        opening = template.find("{{", start)
        closing = template.find("}}", opening + 2) if opening >= 0 else -1
        if opening < 0 or closing < 0:
            out.append(template[start:])
            return "".join(out)
        out.append(template[start:opening])
        name, _, text_filter = template[opening + 2:closing].partition("|")
        value = values.get(name.strip())
        text = "" if value is None else str(value)
        if text_filter.strip() == "titleize":
            text = _titleize(text)
        out.append(text)
        start = closing + 2


class Strings:
    """The strings of one component: ``strings("signIn.start.title", applicationName="Acme")``."""

    def __init__(self, *layers: Localization | None) -> None:
        overrides: dict[str, str] = {}
        locale = "en-US"
        for layer in layers:
            if layer is None:
                continue
            if isinstance(layer, str):
                flat: dict[str, str] = {"locale": layer}
            elif isinstance(layer, Mapping):
                flat = flatten(layer)
            else:
                raise ClerkValidationError(
                    f"localization must be a locale name or a mapping of strings, got {type(layer).__name__}.")
            locale = flat.get("locale", locale)
            overrides.update(flat)
        if locale not in LOCALES:
            raise ClerkValidationError(
                f"localization: no built-in table for locale {locale!r} (built in: {', '.join(LOCALES)}); pass "
                "every string as a mapping on top of one of them.")
        self.locale = locale
        self._layers = [overrides, table(locale)] + ([table("en-US")] if locale != "en-US" else [])

    def get(self, key: str) -> str | None:
        """The raw string for ``key`` (no interpolation), or None if no table has it."""
        for layer in self._layers:
            text = layer.get(key)
            if text is not None:
                return text
        return None

    def __call__(self, key: str, **values: object) -> str:
        text = self.get(key)
        if text is None:
            # A key missing from en-US is a bug in the components (a unit test checks every key used).
            return key
        return interpolate(text, values) if "{{" in text else text
