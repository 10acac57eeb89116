"""``appearance=`` (pure): variables become CSS custom properties of one scoped rule, element keys get the app's class
names, ``theme`` is light or dark. Nothing becomes an inline style (docs/components.md, Appearance)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ClerkValidationError
from ._styles import Theme

__all__ = ["SOCIAL_VARIANTS", "THEMES", "VARIABLES", "Appearance", "Theme", "resolve"]

#: Appearance variables and the CSS custom property each sets.
VARIABLES = {
    "colorPrimary": "--cl-primary",
    "colorTextOnPrimaryBackground": "--cl-on-primary",
    "colorDanger": "--cl-danger",
    "colorSuccess": "--cl-success",
    "colorText": "--cl-text",
    "colorTextSecondary": "--cl-text-secondary",
    "colorBackground": "--cl-bg",
    "colorInputBackground": "--cl-input-bg",
    "colorInputText": "--cl-input-text",
    "colorNeutral": "--cl-neutral",
    "fontFamily": "--cl-font",
    "fontFamilyButtons": "--cl-font-buttons",
    "fontSize": "--cl-font-size",
    "borderRadius": "--cl-radius",
    "spacingUnit": "--cl-spacing",
}
#: Themes: each a class the stylesheet defines its defaults under.
THEMES = ("light", "dark")
#: ``layout.social_buttons_variant`` values (ours and clerk-js's ``socialButtonsVariant``) and what each means.
SOCIAL_VARIANTS = {"auto": "auto", "block": "block", "blockButton": "block", "icon_button": "icon",
                   "iconButton": "icon"}
#: ``appearance=``: ``{"theme": …, "variables": {…}, "elements": {element key: "class names"}, "layout": {…}}``.
Appearance = Mapping[str, Any]

# Characters and words that could end the declaration or reach outside it (a value is data, never CSS syntax).
_FORBIDDEN = (";", "{", "}", "<", ">", "\\", "/*", "*/", "\n", "\r", "url(", "image(", "image-set(", "@", "!")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _css_value(name: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ClerkValidationError(f"appearance: variable {name!r} must be a string, got {type(value).__name__}.")
    text = str(value).strip()
    lowered = text.lower()
    if not text or len(text) > 200 or any(bad in lowered for bad in _FORBIDDEN):
        raise ClerkValidationError(
            f"appearance: variable {name!r} has a value that is not a plain CSS value ({text[:40]!r}); colours, "
            "lengths and font lists are allowed, nothing that loads a resource or ends the declaration.")
    return text


def resolve(*layers: Appearance | None) -> Theme:
    """Merge appearances (later wins) into a :class:`Theme`; a bad value raises ``ClerkValidationError``."""
    theme = "light"
    variables: dict[str, str] = {}
    elements: dict[str, tuple[str, ...]] = {}
    social = "auto"
    for layer in layers:
        if layer is None:
            continue
        if not isinstance(layer, Mapping):
            raise ClerkValidationError(f"appearance must be a mapping, got {type(layer).__name__}.")
        unknown = set(layer) - {"theme", "base_theme", "baseTheme", "variables", "elements", "layout"}
        if unknown:
            raise ClerkValidationError(
                f"appearance: unknown keys {sorted(unknown)} (theme, variables, elements, layout).")
        chosen = layer.get("theme", layer.get("base_theme", layer.get("baseTheme")))
        if chosen is not None:
            if chosen not in THEMES:
                raise ClerkValidationError(f"appearance: theme must be one of {THEMES}, got {chosen!r}.")
            theme = str(chosen)
        for name, value in dict(layer.get("variables") or {}).items():
            key = _camel(str(name))
            if key not in VARIABLES:
                raise ClerkValidationError(f"appearance: unknown variable {name!r} (known: {', '.join(VARIABLES)}).")
            variables[key] = _css_value(str(name), value)
        for name, value in dict(layer.get("elements") or {}).items():
            if not isinstance(value, str):
                raise ClerkValidationError(
                    f"appearance: elements[{name!r}] must be class names (a string); put the rules in your own "
                    "stylesheet, no styles are set inline.")
            elements[_camel(str(name))] = tuple(value.split())
        layout = layer.get("layout") or {}
        for key, value in layout.items() if isinstance(layout, Mapping) else [("", "")]:
            social = SOCIAL_VARIANTS.get(str(value), "") if _camel(str(key)) == "socialButtonsVariant" else ""
            if not social:
                raise ClerkValidationError("appearance: layout must be {'social_buttons_variant': 'auto', 'block' "
                                           f"or 'icon_button'}}, got {layout!r}.")
    properties = tuple((VARIABLES[key], value) for key, value in sorted(variables.items()))
    # Equal variables share one scope class (and one rule); the name only has to be stable within the page.
    digest = format(hash(properties) & 0xFFFFFFFF, "08x") if properties else "base"
    return Theme(theme, properties, f"cl-v-{digest}", elements, social)
