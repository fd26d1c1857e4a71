"""Reading YAML with positions: data, where each key and value stands, and what is refused."""

from __future__ import annotations

from imscan.engine.yamlpos import MAX_DEPTH, Position, read_yaml

TEXT = """\
id: demo
levels:
  - level: 1
    name: {en: One}
advice:
  1: {text: x}
"""


def messages(text: str) -> list[str]:
    return [f"{p.line}:{p.column}: {p.message}" for p in read_yaml(text, "f.yaml")[1]]


def test_data_is_plain_python() -> None:
    document, problems = read_yaml(TEXT, "f.yaml")
    assert problems == []
    assert document is not None
    assert document.data == {
        "id": "demo",
        "levels": [{"level": 1, "name": {"en": "One"}}],
        "advice": {1: {"text": "x"}},
    }


def test_positions_of_values_and_keys() -> None:
    document, _ = read_yaml(TEXT, "f.yaml")
    assert document is not None
    assert document.value_position(("id",)) == Position(1, 5)
    assert document.key_position(("id",)) == Position(1, 1)
    assert document.value_position(("levels", 0)) == Position(3, 5)
    assert document.value_position(("levels", 0, "name", "en")) == Position(4, 16)
    assert document.key_position(("levels", 0, "name")) == Position(4, 5)
    assert document.key_position(("advice", 1)) == Position(6, 3)


def test_position_of_a_missing_path_is_its_nearest_parent() -> None:
    document, _ = read_yaml(TEXT, "f.yaml")
    assert document is not None
    assert document.value_position(("levels", 0, "description")) == Position(3, 5)
    # A list item has no key: its key position is its own.
    assert document.key_position(("levels", 0)) == Position(3, 5)


def test_keys_that_are_not_str_are_found_as_pydantic_writes_them() -> None:
    document, _ = read_yaml("a:\n  1.5: x\n  null: y\n", "f.yaml")
    assert document is not None
    assert document.key_position(("a", "1.5")) == Position(2, 3)
    assert document.key_position(("a", "None")) == Position(3, 3)


def test_duplicate_keys_are_reported_with_both_positions_and_the_first_kept() -> None:
    document, problems = read_yaml("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:4:3: duplicate key 'c' (first at line 3, column 3)",
        "f.yaml:5:1: duplicate key 'a' (first at line 1, column 1)",
    ]
    assert document is not None
    assert document.data == {"a": 1, "b": {"c": 2}}


def test_equal_keys_of_different_spelling_are_duplicates() -> None:
    assert messages("1: a\n1.0: b\n") == ["2:1: duplicate key 1.0 (first at line 1, column 1)"]


def test_aliases_are_refused_and_their_place_marked_unreadable() -> None:
    document, problems = read_yaml("a: &x [1]\nb: *x\nc: [*x]\n", "f.yaml")
    assert [p.message for p in problems] == [
        "aliases like *x are not supported: write the value out in full"
    ] * 2
    assert document is not None
    assert document.data == {"a": [1], "b": None, "c": [None]}
    assert document.is_unreadable(("b",))
    assert document.is_unreadable(("c", 0, "deeper"))
    assert not document.is_unreadable(("a",))


def test_a_self_referencing_alias_cannot_loop() -> None:
    assert messages("a: &a [*a]\n") == [
        "1:8: aliases like *a are not supported: write the value out in full"
    ]


def test_billion_laughs_stays_small() -> None:
    text = 'a: &a ["lol","lol"]\n' + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}]\n" for n in range(8)
    )
    document, problems = read_yaml(text, "f.yaml")
    assert len(problems) == 16
    assert document is not None


def test_complex_keys_are_refused_and_their_values_dropped() -> None:
    document, problems = read_yaml("? [a, b]\n: c\nd: e\n? *x\n", "f.yaml")
    assert [p.message for p in problems][:1] == [
        "a key must be a word or number, not a list or mapping"
    ]
    assert document is not None
    assert document.data == {"d": "e"}


def test_tags_that_build_objects_are_refused() -> None:
    assert messages("a: !!python/object:os.system x\nb: !!python/tuple [1]\nc: !!set {x}\n") == [
        "1:4: the YAML tag !!python/object:os.system is not allowed",
        "2:4: the YAML tag !!python/tuple is not allowed",
        "3:4: the YAML tag !!set is not allowed",
    ]


def test_standard_tags_are_allowed() -> None:
    document, problems = read_yaml('a: !!str 5\nb: !!int "7"\nc: !!map {x: 1}\n', "f.yaml")
    assert problems == []
    assert document is not None
    assert document.data == {"a": "5", "b": 7, "c": {"x": 1}}


def test_dates_stay_text_as_written() -> None:
    document, _ = read_yaml("version: 2024-01-31\n", "f.yaml")
    assert document is not None
    assert document.data == {"version": "2024-01-31"}


def test_yaml_1_1_scalars_resolve_as_pyyaml_does() -> None:
    document, _ = read_yaml("a: yes\nb: No\nc: 0x10\nd: .inf\ne: ~\nf: '3'\n", "f.yaml")
    assert document is not None
    assert document.data == {"a": True, "b": False, "c": 16, "d": float("inf"), "e": None, "f": "3"}


def test_nesting_is_limited() -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert messages(ok) == []
    too_deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert messages(too_deep) == [f"1:{3 + MAX_DEPTH}: the file nests more than 100 levels deep"]


def test_one_document_only() -> None:
    assert messages("a: 1\n---\nb: 2\n") == ["2:1: a model file holds one YAML document"]


def test_syntax_error_is_one_problem_at_the_parser_mark() -> None:
    [message] = messages("a:\n  b: 1\n c: 2\n")
    assert message.startswith("3:2: YAML syntax error: ")


def test_empty_input() -> None:
    assert messages("") == ["1:1: the file is empty: expected a model"]
    assert messages("# only a comment\n") == ["1:1: the file is empty: expected a model"]


def test_forbidden_characters_are_found_with_their_position() -> None:
    assert messages("a: 1\nb: x\x1by\n") == ["2:5: character U+001B is not allowed in a YAML file"]
    assert messages("a: \ud83d\n") == ["1:4: character U+D83D is not allowed in a YAML file"]


def test_columns_count_characters_not_bytes() -> None:
    [message] = messages("ä: ö: 1\n")
    assert message.startswith("1:5: YAML syntax error: mapping values are not allowed")
