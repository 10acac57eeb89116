"""The base of every resource: in-place refresh by field plan, child lists, shared validation and paging."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from .._sentinels import UNSET
from ..errors import ClerkRuntimeError, ClerkValidationError
from ..wire import Wire

if TYPE_CHECKING:
    from ..clerk import Clerk

__all__ = ["Paginated", "Resource"]

W = TypeVar("W", bound=Wire)
R = TypeVar("R", bound="Resource[Any]")
T = TypeVar("T")


_MISSING: Any = object()
_METADATA_KEYS = ("unsafe_metadata", "unsafeMetadata", "public_metadata", "publicMetadata",
                  "private_metadata", "privateMetadata")


def _ms(value: Any) -> Any:
    return datetime.fromtimestamp(value / 1000, tz=UTC) if isinstance(value, int) else value


def _params(params: Mapping[str, Any], where: str) -> dict[str, Any]:
    # Free-form FAPI parameters: scalars or lists of str only; anything else is a caller bug.
    for key, value in params.items():
        ok = value is None or isinstance(value, (str, bool, int))
        ok = ok or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        if not ok:
            raise ClerkValidationError(f"{where}: parameter {key!r} has unsupported type {type(value).__name__}.")
    return dict(params)


def _strings(where: str, **values: Any) -> None:
    # Caught here, a wrong type is a clear error before sending instead of a confusing 422.
    for name, value in values.items():
        if value is not UNSET and value is not None and not isinstance(value, str):
            raise ClerkValidationError(f"{where}: {name} must be str, got {type(value).__name__}.")
        if value is None and name in ("email_address", "phone_number", "new_password", "code", "name"):
            raise ClerkValidationError(f"{where}: {name} is required.")


class Paginated(NamedTuple, Generic[T]):
    """One page of a paginated list: the items and the total count on the server."""

    data: list[T]
    total_count: int


def _getter(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """``d -> tuple(d[n] for n in names)``, done in C by ``itemgetter`` (which returns a bare value for one name)."""
    if len(names) > 1:
        return itemgetter(*names)

    def few(values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values[name] for name in names)

    return few


class _Plan(NamedTuple):
    """The fields a resource class copies onto attributes: plain ones, and ``*_at`` ms timestamps."""

    plain: tuple[str, ...]
    stamps: tuple[str, ...]
    get_plain: Callable[[dict[str, Any]], tuple[Any, ...]]
    get_stamps: Callable[[dict[str, Any]], tuple[Any, ...]]


_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Resource[Any]]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        names = [name for name in cls._wire.model_fields if name not in cls._nested]
        plain = tuple(n for n in names if not n.endswith("_at"))
        stamps = tuple(n for n in names if n.endswith("_at"))
        plan = _PLANS[cls] = _Plan(plain, stamps, _getter(plain), _getter(stamps))
    return plan


class Resource(Generic[W]):
    """Base of all resources: holds the owning Clerk and the latest wire model."""

    _wire: ClassVar[type[Wire]]
    # Fields a subclass turns into child resources itself (in its ``_assign``).
    _nested: ClassVar[tuple[str, ...]] = ()
    id: str

    def __init__(self, clerk: Clerk, data: W | None = None) -> None:
        self._clerk = clerk
        self._raw: W | None = None
        self._rev = 0
        self.id = ""
        if data is None:
            self._assign(self._wire(), None)  # type: ignore[arg-type]  # a blank resource still has every attribute
        else:
            self._from_json(data)

    @property
    def raw(self) -> W | None:
        """The wire model last applied (None for a blank resource)."""
        return self._raw

    def _is_stale(self, data: W) -> bool:
        old = self._raw
        if old is None:
            return False
        new, held = data.__dict__, old.__dict__
        if new.get("id") != held.get("id"):
            return False
        new_at, old_at = new.get("updated_at"), held.get("updated_at")
        return new_at is not None and old_at is not None and bool(new_at < old_at)

    def _from_json(self, data: W) -> bool:
        """Apply ``data`` in place unless it is older than what is held; True if anything changed."""
        if data is self._raw:
            return False
        if self._is_stale(data):
            return self._apply_stale(data)
        old, self._raw = self._raw, data
        if not self._assign(data, old):
            return False
        self._rev += 1
        return True

    def _apply_stale(self, data: W) -> bool:
        """What an older ``data`` still changes (nothing, except for containers of newer children)."""
        return False

    def _carried_by(self, client: dict[str, Any] | None, payload: Any) -> bool:
        """True if the piggybacked ``client`` (just applied) holds this very JSON, so it need not be read twice."""
        return False

    def _apply_payload(self, payload: Any) -> None:
        self._from_json(self._wire.model_validate(payload))  # type: ignore[arg-type]

    def _assign(self, data: W, old: W | None) -> bool:
        """Copy the fields that differ from ``old``; True if anything changed (field by field: cheaper in
        Pyodide than comparing whole models or re-converting every timestamp)."""
        plan = _plan(type(self))
        new_values = data.__dict__
        try:
            # Plain fields are compared with the attributes themselves, so a value the caller edited in place
            # is restored to the server's; timestamps with the ms they were converted from. Whole tuples
            # first (one comparison in C): most refreshes change nothing or one or two fields.
            held = plan.get_plain(self.__dict__) if old is not None else None
            held_stamps = plan.get_stamps(old.__dict__) if old is not None else None
        except KeyError:  # an attribute the caller deleted: set everything again
            held = held_stamps = None
        changed = old is None or data.__pydantic_extra__ != old.__pydantic_extra__
        new = plan.get_plain(new_values)
        if new != held:
            for name, value, current in zip(plan.plain, new, held or (_MISSING,) * len(new), strict=True):
                if value is not current and value != current:
                    setattr(self, name, value)
            changed = True
        new_stamps = plan.get_stamps(new_values)
        if new_stamps != held_stamps:
            for name, value, before in zip(plan.stamps, new_stamps, held_stamps or (_MISSING,) * len(new_stamps),
                                           strict=True):
                if value != before:
                    setattr(self, name, _ms(value))
            changed = True
        return changed

    def _children(self, name: str, items: list[Any], factory: Callable[[Clerk, Any], R]) -> bool:
        """Refresh the child list ``name`` from ``items``, children keeping their identity by id."""
        existing: list[R] | None = self.__dict__.get(name)
        if not items and existing == []:
            return False
        existing = existing or []
        by_id = {child.id: child for child in existing}
        result = []
        changed = len(items) != len(existing)
        for i, item in enumerate(items):
            child = by_id.get(item.id)
            if child is None:
                child, changed = factory(self._clerk, item), True
            else:
                changed = child._from_json(item) or changed or existing[i] is not child
            result.append(child)
        if changed or name not in self.__dict__:
            setattr(self, name, result)
        return changed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id or '(new)'}>"


def _page(initial_page: int, page_size: int) -> list[tuple[str, str]]:
    if initial_page < 1 or page_size < 1:
        raise ClerkValidationError("initial_page and page_size must be positive.")
    return [("limit", str(page_size)), ("offset", str((initial_page - 1) * page_size)), ("paginated", "true")]


def _paginated(clerk: Clerk, payload: Any, cls: type[R]) -> Paginated[R]:
    if isinstance(payload, list):
        items, total = payload, len(payload)
    elif isinstance(payload, dict):
        items, total = payload.get("data") or [], int(payload.get("total_count") or 0)
    else:
        raise ClerkRuntimeError("Unexpected paginated response.", code="invalid_response")
    return Paginated([cls(clerk, cls._wire.model_validate(item)) for item in items], total)
