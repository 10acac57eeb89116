"""The instance's password policy (``password_settings``): every new password is checked here.

Breached-password detection (Clerk asks Have I Been Pwned) works offline on a short built-in list of the most
common breached passwords, and only when ``password_settings.disable_hibp`` is false.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ClerkError

if TYPE_CHECKING:
    from .context import Instance

__all__ = ["check"]

SPECIAL = set("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~")
# Passwords at the top of every public breach corpus; enough to exercise form_password_pwned offline.
BREACHED = frozenset({
    "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop", "iloveyou",
    "11111111", "00000000", "abc12345", "passw0rd", "qwerty123", "letmein1", "football", "baseball",
    "sunshine", "princess", "welcome1", "trustno1", "superman", "whatever", "1q2w3e4r", "monkey123",
})


def check(em: Instance, password: str, param: str = "password") -> None:
    """Raise the Clerk error (422) for the first rule ``password`` breaks, in Clerk's order."""
    rules = em.settings.current["password_settings"]
    if len(password) < rules["min_length"]:
        raise ClerkError("form_password_length_too_short", "min", param=param, fill={"%d": str(rules["min_length"])})
    if len(password) > rules["max_length"]:
        raise ClerkError("form_password_length_too_long", param=param, fill={"%d": str(rules["max_length"])})
    if rules["require_uppercase"] and not any(c.isupper() for c in password):
        raise ClerkError("form_password_no_uppercase", param=param)
    if rules["require_lowercase"] and not any(c.islower() for c in password):
        raise ClerkError("form_password_no_lowercase", param=param)
    if rules["require_numbers"] and not any(c.isdigit() for c in password):
        raise ClerkError("form_password_no_number", param=param)
    if rules["require_special_char"] and not any(c in SPECIAL for c in password):
        raise ClerkError("form_password_no_special_char", param=param)
    if not rules["disable_hibp"] and password.lower() in BREACHED:
        raise ClerkError("form_password_pwned", param=param)
