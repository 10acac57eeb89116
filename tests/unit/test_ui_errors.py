"""Where and how the components show an error (pure Python): next to the field ``meta.param_name`` names, with the
localized message when the table has one, else the server's own; network and unexpected errors above the form."""

from __future__ import annotations

from clerk_frontend import ClerkAPIError, ClerkAPIResponseError, ClerkNetworkError, ClerkValidationError
from clerk_frontend.ui._errors import describe
from clerk_frontend.ui.localization import Strings


def api(*errors: tuple[str, str | None, str]) -> ClerkAPIResponseError:
    return ClerkAPIResponseError(422, [ClerkAPIError(code, message, message, {"param_name": param} if param else {})
                                       for code, param, message in errors])


def test_errors_go_next_to_their_fields_in_the_locale() -> None:
    exc = api(("form_identifier_exists", "email_address", "That email address is taken."),
              ("form_password_length_too_short", "password", "Passwords must be 8 characters or more."))
    shown = describe(exc, Strings(), {"email_address", "password"})
    assert shown.fields == {"email_address": "This email address is taken. Please try another.",
                            "password": "Your password is too short. It must be at least 8 characters long."}
    assert shown.general is None
    french = describe(exc, Strings("fr-FR"), {"email_address", "password"})
    assert french.fields["email_address"] == "Cette adresse e-mail est déjà utilisée. Essayez-en une autre."


def test_unknown_codes_show_the_server_message_and_unknown_params_go_above_the_form() -> None:
    exc = api(("form_code_incorrect", "code", "Incorrect code"), ("weird_error", "colour", "Something odd"))
    shown = describe(exc, Strings(), {"code"})
    assert shown.fields == {"code": "Incorrect code"} and shown.general == "Something odd"
    assert describe(exc, Strings(), ()).general == "Incorrect code Something odd"


def test_camel_case_params_and_meta_values() -> None:
    exc = ClerkAPIResponseError(422, [ClerkAPIError("form_username_invalid_length", "bad", "bad",
                                                    {"param_name": "username", "min_length": 4, "max_length": 64})])
    assert describe(exc, Strings(), {"username"}).fields == {
        "username": "Your username must be between 4 and 64 characters long."}
    camel = ClerkAPIResponseError(422, [ClerkAPIError("form_param_nil", "x", "x", {"param_name": "emailAddress"})])
    assert describe(camel, Strings(), {"email_address"}).fields == {
        "email_address": "This field is required and cannot be empty."}
    assert describe(camel, Strings({"unstable__errors.form_param_nil": "Required!"}), {"email_address"}).fields == {
        "email_address": "Required!"}


def test_network_and_unexpected_errors() -> None:
    assert describe(ClerkNetworkError("https://x.test/v1/client", "refused"), Strings()).general == (
        "The server could not be reached. Check your connection and try again.")
    assert describe(ValueError("boom"), Strings()).general == "Something went wrong. Please try again."
    assert describe(ClerkValidationError("internal detail"), Strings("fr-FR")).general == (
        "Une erreur est survenue. Réessayez.")
    assert describe(ClerkAPIResponseError(500, []), Strings()).general == "Something went wrong. Please try again."
