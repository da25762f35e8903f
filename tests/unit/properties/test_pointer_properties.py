"""JSON pointers (app/core/pointers.py, RFC 6901) for any keys, "~" and "/" included: what
to_pointer writes, split_pointer reads back, and value_at finds what sits at the path; any
other pointer finds nothing rather than failing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.pointers import split_pointer, to_pointer, value_at
from tests.unit.properties.strategies import BOUNDED, JSON, TEXT


@BOUNDED
@given(st.lists(st.one_of(TEXT, st.integers(0, 10**6)), max_size=8))
def test_split_reads_back_what_to_pointer_wrote(parts):
    pointer = to_pointer(parts)
    assert split_pointer(pointer) == [str(part) for part in parts]
    assert pointer == "" or pointer.startswith("/")
    assert pointer.count("/") == len(parts)  # a "/" inside a key is escaped, never a separator


@st.composite
def documents_with_a_path(draw):
    """A JSON document and the path (keys and indexes) of one of its values."""
    document = draw(JSON)
    node, path = document, []
    while isinstance(node, dict | list) and node and draw(st.booleans()):
        step = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append(step)
        node = node[step]
    return document, path, node


@BOUNDED
@given(documents_with_a_path())
def test_value_at_finds_the_value_at_the_path(found):
    document, path, value = found
    assert value_at(document, to_pointer(path)) is value


@BOUNDED
@given(JSON, st.lists(TEXT, min_size=1, max_size=4))
def test_any_pointer_resolves_or_finds_nothing(document, tokens):
    # "01", "²" or "٣" as an array index name no member (RFC 6901 section 4): None, no error.
    value_at(document, "/" + "/".join(tokens))


def test_indexes_are_ascii_digits_without_a_leading_zero():
    items = ["a", "b", "c", "d"]
    assert value_at(items, "/1") == "b"
    assert [value_at(items, f"/{token}") for token in ("01", "²", "٣", "+1", "-0", " 1")] == [
        None
    ] * 6
