"""The modal of ``clerk.open_*()`` (imported only then)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._dom import Scope, document, missing

if TYPE_CHECKING:
    from ._component import Component

__all__ = ["Modal"]

_FOCUSABLE = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])"


class Modal:
    """A native ``<dialog>`` opened with ``showModal()`` (the page behind is inert), labelled by the component's
    heading, closed by Escape, the close button or a click on the backdrop, with Tab kept inside and focus given
    back to where it was."""

    def __init__(self, view: Component, on_close: Callable[[], None]) -> None:
        self.view = view
        self._on_close = on_close
        self.scope = Scope()
        root_classes = str(view.root.className).replace("cl-rootBox", "").strip()
        close = view.el("button", "modalCloseButton", text="×", type="button", aria_label=view.t("modal.closeButton"))
        self.host = view.el("div")
        self.dialog = view.el("dialog", "modalDialog", view.el("div", "modalContent", close, self.host),
                              cls=f"cl-rootBox {root_classes}", aria_modal="true")
        self.scope.listen(close, "click", lambda _e: self.close())
        self.scope.listen(self.dialog, "cancel", lambda _e: self.close(), prevent_default=True)
        self.scope.listen(self.dialog, "keydown", self._keydown)
        self.scope.listen(self.dialog, "click", self._backdrop)
        self._previous: Any = None
        self.open_now = False

    def open(self) -> None:
        """Show the dialog."""
        self._previous = document.activeElement
        document.body.append(self.dialog)
        self.dialog.showModal()
        self.open_now = True
        self.label()

    def label(self) -> None:
        """Name the dialog by the current screen's heading."""
        heading = self.host.querySelector("h1")
        if not missing(heading) and heading.id:
            self.dialog.setAttribute("aria-labelledby", heading.id)

    def close(self) -> None:
        """Close and remove the dialog, give focus back, tell the owner."""
        if not self.open_now:
            return
        self.open_now = False
        self.dialog.close()
        self.dialog.remove()
        self.scope.close()
        previous = self._previous
        if not missing(previous) and hasattr(previous, "focus") and document.contains(previous):
            previous.focus()
        self._on_close()

    def _backdrop(self, event: Any) -> None:
        if event.target == self.dialog:  # a click outside the content lands on the dialog element itself
            self.close()

    def _keydown(self, event: Any) -> None:
        if event.key != "Tab":
            return
        nodes = [n for n in self.dialog.querySelectorAll(_FOCUSABLE)
                 if not n.disabled and n.getClientRects().length > 0]
        if not nodes:
            return
        active = document.activeElement
        if event.shiftKey and (active == nodes[0] or not self.dialog.contains(active)):
            event.preventDefault()
            nodes[-1].focus()
        elif not event.shiftKey and (active == nodes[-1] or not self.dialog.contains(active)):
            event.preventDefault()
            nodes[0].focus()
