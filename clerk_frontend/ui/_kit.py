"""Building blocks shared by the components: card, alert, fields, forms (API errors at their fields), buttons,
links, social buttons. Strings come from the caller (the localization table), classes are element keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ClerkError
from ._dom import Scope, report

if TYPE_CHECKING:
    from ._component import Component

__all__ = ["Alert", "Card", "Checkbox", "Field", "Form", "bound", "button", "divider", "finish_redirect",
           "first_factor_identifier", "footer", "link", "link_button", "run_action", "social_buttons"]


class Alert:
    """The message box above a screen's content (``role="alert"``: announced when it changes)."""

    def __init__(self, view: Component) -> None:
        self.node = view.el("div", "alert", role="alert", tabindex="-1", hidden=True)

    def show(self, text: str, kind: str = "error") -> None:
        """Show ``text`` (``kind`` ``"error"`` or ``"success"``)."""
        self.node.textContent = text
        self.node.setAttribute("data-kind", kind)
        self.node.hidden = False

    def hide(self) -> None:
        """Hide and empty it."""
        self.node.hidden = True
        self.node.textContent = ""

    def focus(self) -> None:
        """Move focus to it (for an error without a field)."""
        self.node.focus()


class Card:
    """One screen: a heading (``h1``, focusable so focus can move to a new screen), an optional subtitle, the alert,
    the main content and an optional footer."""

    def __init__(self, view: Component, title: str, subtitle: str | None = None) -> None:
        self.view = view
        self.title_id = view.new_id("title")
        self.title = view.el("h1", "headerTitle", text=title, id=self.title_id, tabindex="-1")
        header = view.el("div", "header", self.title)
        if subtitle:
            header.append(view.el("p", "headerSubtitle", text=subtitle))
        self.alert = Alert(view)
        view.alert = self.alert
        self.main = view.el("div", "main", self.alert.node)
        self.card = view.el("div", "card", header, self.main)
        self.node = view.el("div", "cardBox", self.card)

    def add(self, *nodes: Any) -> Card:
        """Append to the main content."""
        self.main.append(*nodes)
        return self

    def footer(self, *nodes: Any) -> Card:
        """Add a footer row (e.g. "Don't have an account? Sign up")."""
        self.node.append(self.view.el("div", "footer", *nodes))
        return self


class Field:
    """A labelled input with its error text; the error is tied to it with ``aria-describedby``/``aria-invalid``."""

    def __init__(self, view: Component, name: str, label: str, *, type: str = "text",
                 autocomplete: str | None = None, required: bool = True, optional_text: str | None = None,
                 placeholder: str | None = None, value: str | None = None, action: Any = None,
                 code: bool = False, numeric: bool = False, strip: bool = True, readonly: bool = False) -> None:
        self.name = name
        self.required = required
        self.strip = strip and type != "password"
        self.id = view.new_id(name.replace("_", "-"))
        self.error_id = f"{self.id}-error"
        self.input = view.el(
            "input", "formFieldInput", cls="cl-otpCodeFieldInput" if code else None, id=self.id, name=name, type=type,
            autocomplete=autocomplete, placeholder=placeholder, required=required, readonly=readonly,
            inputmode="numeric" if numeric else None, spellcheck="false" if type in ("email", "text") else None,
            autocapitalize="none" if type in ("email", "text") and name not in ("first_name", "last_name") else None)
        if value:
            self.input.value = value
        label_node = view.el("label", "formFieldLabel", text=label, for_=self.id)
        row = view.el("div", "formFieldLabelRow", label_node)
        if optional_text and not required:
            row.append(view.el("span", "formFieldHintText", text=optional_text))
        if action is not None:
            row.append(action)
        self.error = view.el("p", "formFieldErrorText", id=self.error_id, hidden=True)
        self.node = view.el("div", "formField", row, self.input, self.error, data_field=name)

    @property
    def value(self) -> str:
        """The current value (trimmed, except passwords)."""
        text = str(self.input.value)
        return text.strip() if self.strip else text

    def set_error(self, message: str) -> None:
        """Show ``message`` under the field and mark it invalid."""
        self.error.textContent = message
        self.error.hidden = False
        self.input.setAttribute("aria-invalid", "true")
        self.input.setAttribute("aria-describedby", self.error_id)

    def clear_error(self) -> None:
        """Remove the error."""
        self.error.hidden = True
        self.error.textContent = ""
        self.input.removeAttribute("aria-invalid")
        self.input.removeAttribute("aria-describedby")

    def focus(self) -> None:
        """Focus the input."""
        self.input.focus()


class Checkbox:
    """A labelled checkbox (value ``"true"`` when checked, ``""`` when not), with an error text like a field."""

    def __init__(self, view: Component, name: str, label: str, *, required: bool = False, checked: bool = False,
                 describedby: str | None = None) -> None:
        self.name = name
        self.required = required
        self.id = view.new_id(name.replace("_", "-"))
        self.error_id = f"{self.id}-error"
        self.input = view.el("input", None, id=self.id, name=name, type="checkbox", required=required,
                             aria_describedby=describedby)
        self.input.checked = checked
        self.error = view.el("p", "formFieldErrorText", id=self.error_id, hidden=True)
        self.node = view.el("div", "formField", view.el("label", "formFieldCheckbox", self.input,
                                                        view.el("span", None, text=label)), self.error)
        self._describedby = describedby

    @property
    def value(self) -> str:
        """``"true"`` or ``""``."""
        return "true" if self.input.checked else ""

    def set_error(self, message: str) -> None:
        """Show ``message`` under the checkbox."""
        self.error.textContent = message
        self.error.hidden = False
        self.input.setAttribute("aria-invalid", "true")
        self.input.setAttribute("aria-describedby", " ".join(filter(None, (self.error_id, self._describedby))))

    def clear_error(self) -> None:
        """Remove the error."""
        self.error.hidden = True
        self.input.removeAttribute("aria-invalid")
        if self._describedby:
            self.input.setAttribute("aria-describedby", self._describedby)
        else:
            self.input.removeAttribute("aria-describedby")

    def focus(self) -> None:
        """Focus the checkbox."""
        self.input.focus()


FieldLike = Field | Checkbox


class Form:
    """A form of fields and a primary button. On submit: required fields are checked, then ``on_submit(values)``
    runs while the button shows it is busy; an error goes next to the field named by its ``meta.param_name`` (the
    rest above the form), and focus moves to the first field in error (else to the alert)."""

    def __init__(self, view: Component, scope: Scope, fields: Sequence[FieldLike], submit: str,
                 on_submit: Callable[[dict[str, str]], Awaitable[None]], *, extra: Iterable[Any] = (),
                 key: str = "form") -> None:
        self.view = view
        self.fields: dict[str, FieldLike] = {f.name: f for f in fields}
        self.button = view.el("button", "formButtonPrimary", cls="cl-button", text=submit, type="submit")
        self.node = view.el("form", key, *(f.node for f in fields), self.button, *extra, novalidate=True)
        self._on_submit = on_submit
        self.busy = False
        scope.listen(self.node, "submit", self._submit, prevent_default=True)

    async def _submit(self, _event: Any) -> None:
        if self.busy:
            return
        self.clear()
        missing = [f for f in self.fields.values() if f.required and not f.value]
        if missing:
            for field in missing:
                field.set_error(self.view.t("unstable__errors.form_param_nil"))
            missing[0].focus()
            return
        await self.run(self._on_submit({name: f.value for name, f in self.fields.items()}))

    def clear(self) -> None:
        """Remove every error."""
        for field in self.fields.values():
            field.clear_error()
        if self.view.alert is not None:
            self.view.alert.hide()

    async def run(self, action: Awaitable[None]) -> bool:
        """Await ``action`` with the form busy; show its error if it fails. True on success."""
        self.set_busy(True)
        try:
            await action
            return True
        except Exception as exc:
            self.show_error(exc)
            return False
        finally:
            self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        """Mark the form as working (``aria-busy``; a second submit is ignored meanwhile)."""
        self.busy = busy
        for node in (self.node, self.button):
            if busy:
                node.setAttribute("aria-busy", "true")
            else:
                node.removeAttribute("aria-busy")

    def show_error(self, exc: BaseException) -> None:
        """Show ``exc`` next to its fields / in the alert and move focus there."""
        from ._errors import describe  # only once something failed

        if not isinstance(exc, ClerkError):
            report(exc)
        shown = describe(exc, self.view.strings, self.fields)
        first: FieldLike | None = None
        for name, message in shown.fields.items():
            self.fields[name].set_error(message)
            first = first or self.fields[name]
        alert = self.view.alert
        if shown.general and alert is not None:
            alert.show(shown.general)
        if first is not None:
            first.focus()
        elif alert is not None:
            alert.focus()


async def run_action(view: Component, action: Awaitable[Any]) -> bool:
    """Await an action started outside a form (a button); its error goes to the screen's alert. True on success."""
    alert = view.alert
    if alert is not None:
        alert.hide()
    try:
        await action
        return True
    except Exception as exc:
        from ._errors import describe

        if not isinstance(exc, ClerkError):
            report(exc)
        shown = describe(exc, view.strings)
        if alert is not None and view.alert is alert:
            alert.show(" ".join(filter(None, (*shown.fields.values(), shown.general))))
            alert.focus()
        return False


async def finish_redirect(view: Any, **urls: Any) -> None:
    """The ``#/sso-callback`` screen's work (SignIn, SignUp): ``handle_redirect_callback(**urls)``, which navigates
    on; an error, thrown or reported, comes back to the first screen as its notice."""
    from ..errors import ClerkAPIResponseError
    from ._errors import describe

    try:
        result = await view.clerk.handle_redirect_callback(**urls, navigate=view.go)
    except Exception as exc:  # the page stays usable: back to the start with the error shown
        view.notice = describe(exc, view.strings).general
        await view.go(view.page_url())
        return
    if result.error is not None:
        view.notice = describe(ClerkAPIResponseError(400, [result.error]), view.strings).general
        view.refresh()
    if result.outcome == "complete" and view.on_done is not None:
        view.on_done()


def button(view: Component, scope: Scope, text: str, on_click: Callable[[Any], Any], key: str = "formButtonReset",
           *, cls: str = "cl-button", **attrs: Any) -> Any:
    """A ``<button type="button">`` running ``on_click`` (sync or async)."""
    node = view.el("button", key, cls=cls, text=text, type="button", **attrs)
    scope.listen(node, "click", on_click)
    return node


def link_button(view: Component, scope: Scope, text: str, on_click: Callable[[Any], Any],
                key: str = "footerActionLink") -> Any:
    """A button that looks like a link (an action on this page, not a navigation)."""
    return button(view, scope, text, on_click, key, cls="cl-link")


def link(view: Component, text: str, href: str, key: str = "footerActionLink") -> Any:
    """A real link (a navigation), to an http(s) or relative URL checked by the caller."""
    return view.el("a", key, cls="cl-link", text=text, href=href)


def footer(view: Component, text: str, action: Any) -> Any:
    """The footer line: ``text`` then a link or link button."""
    return view.el("p", "footerAction", view.el("span", "footerActionText", text=text), action)


def divider(view: Component) -> Any:
    """The "or" line between social buttons and the form."""
    return view.el("div", "dividerRow", view.el("div", "dividerLine"), view.el("p", "dividerText",
                                                                                 text=view.t("dividerText")),
                   view.el("div", "dividerLine"))


def social_buttons(view: Component, scope: Scope, providers: Sequence[tuple[str, str]],
                   on_click: Callable[[str], Awaitable[None]], label_key: str | None = None,
                   last: str | None = None) -> Any:
    """clerk-js's social buttons: one provider "Continue with Google"; two side by side, "Google" and "GitHub";
    more as icon buttons named "Continue with …", five at most a row. ``last`` (SignIn: the client's last strategy)
    comes first, alone, "Continue with …" and "Last used". ``label_key``: one block button a line with that text.
    The logo is a letter, so no image leaves the page."""
    last = (last or "").replace("saml_", "oauth_", 1)
    first = [p for p in providers if p[0] == last]
    rest = [p for p in providers if p[0] != last]
    variant = view.builder.theme.social  # appearance.layout.social_buttons_variant
    block = label_key is not None or (len(providers) <= 2 if variant == "auto" else variant == "block")
    rows: list[list[tuple[str, str]]] = [first] if first else []
    if label_key:
        rows += [[p] for p in rest]
    elif rest:  # balanced rows of at most five
        count = -(-len(rest) // 5)
        size = -(-len(rest) // count)
        rows += [rest[i:i + size] for i in range(0, len(rest), size)]
    root = view.el("div", "socialButtonsRoot")
    for row in rows:
        line = view.el("div", "socialButtons")
        for strategy, name in row:
            icon = view.el("span", "socialButtonsProviderIcon", text=name[:1].upper(), aria_hidden="true")
            full = view.t("socialButtonsBlockButton", provider=name)
            if block or strategy == last:  # the last one is a block button even among icons, as in clerk-js
                text = full if strategy == last or (len(rest) == 1 and not label_key) else view.t(
                    label_key or "socialButtonsBlockButtonManyInView", provider=name)
                parts = [icon, view.el("span", "socialButtonsBlockButtonText", text=text)]
                if strategy == last and len(view.instance.identifiers) + len(providers) > 1:
                    parts.append(view.el("span", "lastAuthenticationStrategyBadge", cls="cl-badge",
                                          text=view.t("lastAuthenticationStrategy")))
                key, label = "socialButtonsBlockButton", None  # named by its text (with the badge's)
            else:
                parts, key, label = [icon], "socialButtonsIconButton", full
            node = view.el("button", key, *parts, cls="cl-button", type="button", aria_label=label,
                           data_provider=strategy)
            scope.listen(node, "click", bound(on_click, strategy))
            line.append(node)
        root.append(line)
    return root


def bound(function: Callable[..., Any], *args: Any) -> Callable[[Any], Any]:
    """An event handler calling ``function(*args)`` (the event itself is not passed)."""
    return lambda _event: function(*args)


def first_factor_identifier(factor: Mapping[str, Any] | None, fallback: str | None = None) -> str:
    """The masked or full address a factor names (``safe_identifier``)."""
    value = (factor or {}).get("safe_identifier") or fallback
    return str(value or "")
