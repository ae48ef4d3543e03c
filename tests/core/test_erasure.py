"""Finding an erased author's mentions: whole words, any case, handle with or without @."""

from __future__ import annotations

from desk.core.erasure import ERASED_PERSON, mentions_of


def test_mentions_are_whole_words_any_case_with_or_without_the_at() -> None:
    found = mentions_of("@zorbaquint", "Zorba Quintana")
    text = "@ZorbaQuint, zorbaquint and ZORBA  QUINTANA; not zorbaquintet nor kzorbaquint"
    done, count = found.redact(text)
    assert count == 3
    assert done == (
        f"{ERASED_PERSON}, {ERASED_PERSON} and {ERASED_PERSON}; not zorbaquintet nor kzorbaquint"
    )
    assert found.redact("https://x.com/zorbaquint/status/9")[0] == (
        f"https://x.com/{ERASED_PERSON}/status/9"
    )


def test_short_names_are_not_searched_and_long_user_ids_are() -> None:
    assert mentions_of("@jo", "Jo").pattern is None  # would replace ordinary words
    found = mentions_of("@jo", "Jo", "1234567890123")
    assert found.redact('{"in_reply_to_user_id": "1234567890123"}') == (
        f'{{"in_reply_to_user_id": "{ERASED_PERSON}"}}',
        1,
    )
    assert found.redact("call 12345678901234")[1] == 0  # a longer number is another number
    assert mentions_of("@pat", "Pat", "42").redact("pat 42")[0] == f"{ERASED_PERSON} 42"


def test_bytes_are_read_as_utf8_or_else_byte_for_byte() -> None:
    found = mentions_of("@zorbaquint", "Zorba Quintana")
    assert found.redact_bytes(b"zorbaquint ok") == (f"{ERASED_PERSON} ok".encode(), 1)
    latin = "Zorba Quintana, café".encode("cp1252")  # a CSV file in a Windows encoding
    done, count = found.redact_bytes(latin)
    assert (done, count) == (f"{ERASED_PERSON}, café".encode("cp1252"), 1)
    assert found.redact_bytes(b"\xff\xfe nothing") == (b"\xff\xfe nothing", 0)
