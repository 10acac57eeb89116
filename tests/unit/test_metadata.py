"""Metadata validation table and RFC 7396 merge/diff properties."""

import datetime
import decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_frontend import MetadataError, merge_patch, merge_patch_diff, validate_metadata
from clerk_frontend.metadata import MAX_METADATA_BYTES


class Thing:
    pass


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([1, 2], "must be a dict"),
        ("{}", "must be a dict"),
        (None, "must be a dict"),
        ({1: "a"}, "keys must be str"),
        ({"a": {2: "b"}}, "keys must be str"),
        ({"a": float("nan")}, "NaN"),
        ({"a": [float("inf")]}, "Infinity"),
        ({"a": {1, 2}}, "set"),
        ({"a": b"x"}, "bytes"),
        ({"a": datetime.datetime(2026, 1, 1)}, "datetime"),
        ({"a": decimal.Decimal("1.5")}, "Decimal"),
        ({"a": Thing()}, "Thing"),
        ({"a": "x" * MAX_METADATA_BYTES}, "limit is 8192"),
    ],
)
def test_invalid_metadata_is_refused(value: Any, fragment: str) -> None:
    with pytest.raises(MetadataError) as info:
        validate_metadata(value)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "value",
    [{}, {"a": None}, {"a": [1, 2.5, True, None, "s", {"b": []}]}, {"t": (1, 2)}, {"é": "ü"},
     {"k": "x" * (MAX_METADATA_BYTES - 10)}],
)
def test_valid_metadata(value: dict[str, Any]) -> None:
    text = validate_metadata(value)
    assert len(text.encode()) <= MAX_METADATA_BYTES and " " not in text[:3]


def test_size_counts_utf8_bytes() -> None:
    # 3000 two-byte characters: 6000 bytes fits, 5000 (10000 bytes) does not.
    validate_metadata({"k": "é" * 3000})
    with pytest.raises(MetadataError, match="limit"):
        validate_metadata({"k": "é" * 5000})


@pytest.mark.parametrize("name", ["public_metadata", "private_metadata", "publicMetadata"])
def test_backend_only_kinds(name: str) -> None:
    with pytest.raises(MetadataError, match="backend-only"):
        validate_metadata({}, name)


def test_merge_patch_examples() -> None:
    stored = {"a": {"x": 1, "y": 2}, "tags": [1, 2]}
    assert merge_patch(stored, {"a": {"y": None, "z": 3}}) == {"a": {"x": 1, "z": 3}, "tags": [1, 2]}
    assert merge_patch(stored, {"tags": [3]}) == {"a": {"x": 1, "y": 2}, "tags": [3]}
    assert stored == {"a": {"x": 1, "y": 2}, "tags": [1, 2]}  # not mutated


def test_diff_examples() -> None:
    assert merge_patch_diff({"a": 1, "b": {"c": 1, "d": 2}}, {"b": {"c": 1, "d": 3}}) == {"a": None, "b": {"d": 3}}
    assert merge_patch_diff({"a": [1]}, {"a": [1, 2]}) == {"a": [1, 2]}
    assert merge_patch_diff({"a": {"x": 1}}, {"a": 5}) == {"a": 5}
    assert merge_patch_diff({"a": True}, {"a": 1}) == {"a": 1}
    assert merge_patch_diff({"a": 1}, {"a": 1.0}) == {}
    assert merge_patch_diff({"x": 1}, {"x": 1}) == {}


scalars = st.one_of(st.booleans(), st.integers(-5, 5), st.text(max_size=3),
                    st.floats(allow_nan=False, allow_infinity=False, width=16))
keys = st.sampled_from(["a", "b", "c", "d"])
json_no_null = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(keys, inner, max_size=3)), max_leaves=8)
docs = st.dictionaries(keys, json_no_null, max_size=4)
json_any = st.recursive(st.one_of(scalars, st.none()),
                        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
                        max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(docs, docs)
def test_diff_then_merge_reaches_the_target(current: dict[str, Any], desired: dict[str, Any]) -> None:
    assert merge_patch(current, merge_patch_diff(current, desired)) == desired


@settings(max_examples=100, deadline=None)
@given(docs)
def test_diff_of_equal_documents_is_empty(doc: dict[str, Any]) -> None:
    assert merge_patch_diff(doc, doc) == {}


@settings(max_examples=100, deadline=None)
@given(docs, st.dictionaries(keys, json_any, max_size=4))
def test_merge_is_idempotent_and_deletes_nulls(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    once = merge_patch(doc, patch)
    assert merge_patch(once, patch) == once
    for key, value in patch.items():
        if value is None:
            assert key not in once
