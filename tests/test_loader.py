"""Loading: positions, streams, bad input. Nothing here may raise or hang."""

from __future__ import annotations

import codecs
from pathlib import Path

from ekslint.linter.loader import MAX_DEPTH, SourceFile, load_bytes, read_file
from ekslint.linter.model import Workload, objects_from
from ekslint.linter.nodes import Pos, locate


def load(text: str | bytes, name: str = "x.yaml") -> SourceFile:
    data = text.encode() if isinstance(text, str) else text
    return load_bytes(SourceFile(display=name, path=Path(name)), data)


def issues(source: SourceFile) -> list[tuple[str, int]]:
    return [(i.rule, i.pos.line) for i in source.issues]


def test_positions_of_keys_values_and_items() -> None:
    src = load("a: 1\nb:\n  - x\n  - {c: yes, d: 0644}\n")
    root = src.documents[0].root
    assert root.kpos["b"] == Pos(2, 1)
    assert root["b"].ipos == [Pos(3, 5), Pos(4, 5)]
    assert root["b"][1] == {"c": True, "d": 420}  # YAML 1.1, as the API server decodes it
    assert locate(root, ("b", 1, "d")) == Pos(4, 14)
    assert locate(root, ("b", 1, "missing", "deeper")) == Pos(4, 5)  # deepest node that exists
    assert locate(root, ("b", 1, "d"), value=True) == Pos(4, 17)


def test_multi_document_positions_are_absolute() -> None:
    src = load("a: 1\n---\nb: 2\n---\n# comment\nc: 3\n")
    assert [d.root.kpos[k].line for d, k in zip(src.documents, "abc", strict=True)] == [1, 3, 6]


def test_syntax_error_keeps_documents_before_and_after() -> None:
    src = load("a: 1\n---\nb: [\n---\nc: 3\n")
    assert [sorted(d.root) for d in src.documents] == [["a"], ["c"]]
    assert issues(src) == [("yaml-syntax", 4)]
    assert src.documents[1].root.kpos["c"] == Pos(5, 1)


def test_unterminated_quote_resumes_at_next_document() -> None:
    src = load('a: "open\n---\nb: 2\n')
    assert [r for r, _ in issues(src)] == ["yaml-syntax"]


def test_duplicate_keys_are_reported_and_last_wins() -> None:
    src = load("metadata:\n  name: a\n  name: b\n")
    assert issues(src) == [("duplicate-key", 3)]
    assert src.documents[0].root["metadata"]["name"] == "b"
    assert "first on line 2" in src.issues[0].message


def test_merge_keys_and_anchors() -> None:
    src = load("base: &b {x: 1, y: 2}\nobj:\n  <<: *b\n  y: 3\n")
    assert src.documents[0].root["obj"] == {"x": 1, "y": 3}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 20)]
    src = load("\n".join(lines) + "\n")
    assert src.documents == []
    assert issues(src)[0][0] == "yaml-syntax"
    assert "alias bomb" in src.issues[0].message


def test_recursive_alias() -> None:
    src = load("a: &x\n  b: *x\n")
    assert [r for r, _ in issues(src)] == ["yaml-syntax"]
    assert "recursive alias" in src.issues[0].message


def test_absurd_nesting() -> None:
    src = load("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert [r for r, _ in issues(src)] == ["yaml-syntax"]
    deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, MAX_DEPTH + 50))
    assert [r for r, _ in issues(load(deep))] == ["yaml-syntax"]


def test_binary_and_encodings() -> None:
    assert "binary" in load(b"\x7fELF\x00\x00\x01").issues[0].message
    bad = load(b"a: 1\nb: \xff\xfe caf\xe9\n")
    assert issues(bad) == [("yaml-syntax", 2)] and "line 2" in bad.issues[0].message
    assert bad.issues[0].pos == Pos(2, 4)  # at the undecodable byte
    utf16 = load(codecs.BOM_UTF16_LE + "kind: Pod\napiVersion: v1\n".encode("utf-16-le"))
    assert utf16.documents[0].root["kind"] == "Pod"
    bom8 = load(codecs.BOM_UTF8 + b"kind: Pod\n")
    assert bom8.documents[0].root.kpos["kind"] == Pos(1, 1)


def test_empty_null_and_non_mapping_documents_are_skipped() -> None:
    for text in ("", "\n\n", "# only a comment\n", "---\n---\n", "~\n", "- a\n- b\n", "just text\n"):
        src = load(text)
        assert src.documents == [] and src.issues == [], text


def test_json_with_tabs_keeps_columns() -> None:
    src = load('{\n\t"kind": "Pod",\n\t"apiVersion": "v1"\n}\n', name="pod.json")
    assert src.documents[0].root.kpos["kind"] == Pos(2, 2)


def test_kubectl_list_is_unwrapped_with_item_positions() -> None:
    src = load(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: a}\n"
        "  spec:\n    template:\n      spec:\n        containers: [{name: c, image: x}]\n"
        "- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n"
    )
    objs = list(objects_from(src.documents[0]))
    assert [(o.kind, o.name) for o in objs] == [("Deployment", "a"), ("Service", "s")]
    assert isinstance(objs[0], Workload)
    assert objs[0].pos("metadata") == Pos(6, 3)
    assert objs[0].containers[0].name == "c"


def test_helm_template_is_skipped_with_a_note(tmp_path: Path) -> None:
    tpl = tmp_path / "chart" / "templates" / "deploy.yaml"
    tpl.parent.mkdir(parents=True)
    tpl.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n")
    src = read_file(tpl, "deploy.yaml")
    assert src.skipped and "Helm" in src.skipped and not src.issues


def test_template_outside_chart_is_a_syntax_finding_with_a_hint() -> None:
    src = load("a: {{ .Values.x }}\nb: [\n")
    assert src.issues and "template" in src.issues[0].message


def test_huge_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 2000 + "\n")
    src = read_file(big, "big.yaml", max_bytes=1000)
    assert issues(src) == [("yaml-syntax", 1)] and "limit" in src.issues[0].message


def test_control_characters_are_each_reported_and_the_rest_still_loads() -> None:
    src = load("a: \x07bell\nb: 2\n---\nc: x\x1by\n")
    assert [(i.rule, i.pos) for i in src.issues] == [("yaml-syntax", Pos(1, 4)), ("yaml-syntax", Pos(4, 5))]
    assert "U+0007" in src.issues[0].message
    assert [dict(d.root) for d in src.documents] == [{"a": "bell", "b": 2}, {"c": "x y"}]


def test_resume_after_document_end_marker() -> None:
    src = load("a: [\n...\nb: 2\n")
    assert [r for r, _ in issues(src)] == ["yaml-syntax"]
    assert [dict(d.root) for d in src.documents] == [{"b": 2}]


def test_untrusted_embedded_yaml_is_bounded() -> None:
    from ekslint.linter.loader import load_untrusted

    assert load_untrusted("a: 1\n---\n- x\n") == [{"a": 1}, ["x"]]
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 20)
    )
    assert load_untrusted(bomb) == []
    assert load_untrusted("a: [\n") == []
    assert load_untrusted("a: " + "[" * 300 + "]" * 300) == []
