"""desk.core.conversations: which desk a record belongs to when it does not say."""

from __future__ import annotations

from desk.core.conversations import HandleIndex, connect, handle_key


def test_handles_match_as_the_platforms_match_them() -> None:
    index = HandleIndex(
        [
            ("x", "@ExampleshirePolice", "Exampleshire Police", 1),
            ("mastodon", "@police@social.example", "Police", 2),
            ("facebook", "Exampleshire Police (Facebook page)", "Exampleshire Police", 3),
        ]
    )
    assert handle_key("@Police ") == "police"
    assert index.find("x", "@exampleshirepolice") == 1
    assert index.find("mastodon", "@police") == 2  # named on its own server
    assert index.find("mastodon", "@police@evil.example") is None  # another server's police
    assert index.find("x", "@police") is None
    assert index.first("x", ["@someone", "@ExampleshirePolice"]) == 1


def test_own_posts_on_named_platforms_need_the_pages_own_file() -> None:
    index = HandleIndex([("facebook", "Exampleshire Police (page)", "Exampleshire Police", 3)])
    # anyone may call themselves by the page's name: only the page's own file says it is it
    assert index.own_post("facebook", "Exampleshire Police", None) is None
    assert index.own_post("facebook", "Exampleshire Police", 3) == 3
    assert index.own_post("facebook", "Jo Bloggs", 3) is None


def test_replies_find_their_desk_however_the_file_orders_them() -> None:
    # (own id, the posts it hangs from): c replies to b, which replies to the force's post a
    records = [("c", ("b", "a")), ("b", ("a",)), ("d", ("zz",)), ("e", ("c",))]
    placed, rest = connect(records, lambda r: ("x", r[0], r[1]), {("x", "a"): 7})
    assert [(account, r[0]) for account, r in placed] == [(7, "c"), (7, "b"), (7, "e")]
    assert rest == [("d", ("zz",))]


def test_a_chain_not_reaching_a_desk_is_passed_over() -> None:
    records = [("b", ("a",)), ("c", ("b",))]
    placed, rest = connect(records, lambda r: ("x", r[0], r[1]), {("mastodon", "a"): 1})
    assert placed == [] and rest == records
