"""``appearance=`` (pure Python): variables become CSS custom properties of one scoped rule, values that could
escape the declaration are refused, element keys carry the app's classes; and the stylesheet keeps every class
selector at zero specificity so the app's classes win."""

from __future__ import annotations

import re

import pytest

from clerk_frontend import ClerkValidationError
from clerk_frontend.ui._styles import BASE_CSS, DEFAULT_THEME, split_rules
from clerk_frontend.ui.appearance import VARIABLES, resolve


def test_variables_become_custom_properties_of_one_scope_rule() -> None:
    theme = resolve({"variables": {"colorPrimary": "#6c47ff", "border_radius": "0.25rem"}},
                    {"theme": "dark", "variables": {"fontFamily": "Inter, sans-serif"}})
    assert theme.theme == "dark"
    assert dict(theme.properties) == {"--cl-primary": "#6c47ff", "--cl-radius": "0.25rem",
                                      "--cl-font": "Inter, sans-serif"}
    rule = theme.rule()
    assert rule is not None and rule.startswith(f".cl-rootBox.{theme.scope}{{") and rule.endswith("}")
    assert "--cl-primary:#6c47ff" in rule
    # Equal variables share a scope; other variables get another one.
    assert resolve({"variables": {"colorPrimary": "#6c47ff", "borderRadius": "0.25rem", "font_family":
                                  "Inter, sans-serif"}}).scope == theme.scope
    assert resolve({"variables": {"colorPrimary": "red"}}).scope != theme.scope
    assert resolve().rule() is None and DEFAULT_THEME.rule() is None and DEFAULT_THEME.theme == "light"


def test_every_variable_is_used_by_the_stylesheet() -> None:
    for prop in VARIABLES.values():
        assert f"var({prop})" in BASE_CSS, prop


@pytest.mark.parametrize("value", ["red;} body{display:none", "url(https://evil.test/x.png)", "red /* x */", "<b>",
                                   "a\nb", "", "x" * 201, "@import 'x'", "red !important", "expression\\(1\\)"])
def test_values_that_are_not_plain_css_values_are_refused(value: str) -> None:
    with pytest.raises(ClerkValidationError, match="colorPrimary"):
        resolve({"variables": {"colorPrimary": value}})


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ClerkValidationError, match="unknown variable"):
        resolve({"variables": {"colourPrimary": "red"}})
    with pytest.raises(ClerkValidationError, match="theme must be one of"):
        resolve({"theme": "sepia"})
    with pytest.raises(ClerkValidationError, match="unknown keys"):
        resolve({"layouts": {}})
    with pytest.raises(ClerkValidationError, match="no styles are set inline"):
        resolve({"elements": {"card": {"color": "red"}}})
    with pytest.raises(ClerkValidationError, match="must be a string"):
        resolve({"variables": {"fontSize": True}})


def test_element_classes() -> None:
    theme = resolve({"elements": {"formButtonPrimary": " btn  btn-lg ", "form_field_input": "field"}})
    assert theme.classes("formButtonPrimary") == ("btn", "btn-lg")
    assert theme.classes("formFieldInput") == ("field",)
    assert theme.classes("card") == ()


def test_stylesheet_rules_keep_every_class_at_zero_specificity() -> None:
    rules = split_rules(BASE_CSS)
    assert len(rules) > 60
    for rule in rules:
        assert rule.count("{") == rule.count("}"), rule
        inner = split_rules(rule[rule.index("{") + 1:-1]) if rule.startswith("@media") else [rule]
        for each in inner:
            selector = each.split("{", 1)[0]
            bare = re.sub(r":where\([^)]*\)", "", selector)
            assert ".cl-" not in bare, f"a class outside :where(): {selector!r}"


def test_social_buttons_variant() -> None:
    # Ours and clerk-js's names, snake_case or camelCase keys; a later appearance wins, auto by default.
    assert resolve().social == DEFAULT_THEME.social == "auto"
    assert resolve({"layout": {"social_buttons_variant": "block"}}).social == "block"
    assert resolve({"layout": {"socialButtonsVariant": "blockButton"}}).social == "block"
    assert resolve({"layout": {"social_buttons_variant": "icon_button"}}).social == "icon"
    assert resolve({"layout": {"socialButtonsVariant": "iconButton"}}, {"theme": "dark"}).social == "icon"
    assert resolve({"layout": {"social_buttons_variant": "icon_button"}},
                   {"layout": {"social_buttons_variant": "auto"}}).social == "auto"
    assert resolve({"layout": {}}).social == "auto"


@pytest.mark.parametrize("layout", [{"social_buttons_variant": "blocks"}, {"social_buttons_variant": None},
                                    {"social_buttons_variant": ["block"]}, {"logo_placement": "none"},
                                    {"social_buttons_variant": "auto", "logoPlacement": "none"}, "block"])
def test_bad_layouts_are_refused(layout: object) -> None:
    message = re.escape("appearance: layout must be {'social_buttons_variant': 'auto', 'block' or 'icon_button'}, "
                        f"got {layout!r}.")
    with pytest.raises(ClerkValidationError, match=message):
        resolve({"layout": layout})
