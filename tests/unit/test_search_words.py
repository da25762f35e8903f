"""The words the search index holds and asks for (one rule for SQLite and PostgreSQL)."""

from app.core.search_words import MAX_WORD, index_words, query_words


def test_every_suffix_of_every_run_is_indexed():
    suffixes = ["orderplaced", "rderplaced", "derplaced", "erplaced", "rplaced", "placed"]
    suffixes += ["laced", "aced", "ced", "ed", "d"]
    assert index_words(["OrderPlaced"]) == sorted(suffixes)


def test_pointers_and_slugs_are_cut_at_their_separators():
    words = index_words(["/lines/0/sku_code", "orders-events"])
    assert {"lines", "0", "sku", "code", "orders", "events", "ode"} <= set(words)
    assert not any(separator in word for word in words for separator in "/_-")


def test_other_scripts_are_kept_and_lower_cased():
    assert {"für", "ür", "köln"} <= set(index_words(["Lieferung für Köln"]))


def test_a_query_is_its_runs_longest_first_without_single_characters_beside_longer_ones():
    assert query_words("customerId") == ["customerid"]
    assert query_words("orders-ev") == ["orders", "ev"]
    assert query_words("records a change") == ["records", "change"]
    assert query_words("a b") in (["a", "b"], ["b", "a"])
    assert query_words("%_") == []  # nothing to ask the index: no event type is found


def test_every_substring_of_a_run_begins_an_indexed_word():
    words = index_words(["ParcelDispatched"])
    text = "parceldispatched"
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            assert any(word.startswith(text[start:end]) for word in words)


def test_runs_are_bounded():
    assert max(index_words(["x" * 500]), key=len) == "x" * MAX_WORD
