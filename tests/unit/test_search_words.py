"""The words the search index holds and asks for (one rule for SQLite and PostgreSQL)."""

from app.core.search_words import MAX_WORD, index_words, query_words


def test_names_are_indexed_whole_and_by_their_camel_case_parts():
    assert index_words(["OrderPlaced"]) == ["order", "orderplaced", "placed"]
    assert index_words(["HTTPServerError"]) == ["error", "http", "httpservererror", "server"]


def test_pointers_and_slugs_are_cut_at_their_separators():
    assert index_words(["/lines/0/sku_code", "orders-events"]) == [
        "0",
        "code",
        "events",
        "lines",
        "orders",
        "sku",
    ]


def test_other_scripts_are_kept_whole_and_lower_cased():
    assert index_words(["Lieferung für Köln"]) == ["für", "köln", "lieferung"]


def test_a_query_is_its_runs_of_letters_and_digits():
    assert query_words("customerId") == ["customerid"]
    assert query_words("orders-ev") == ["orders", "ev"]
    assert query_words("%_") == []  # nothing to ask the index: no event type is found


def test_words_are_bounded():
    assert index_words(["x" * 500]) == ["x" * MAX_WORD]
