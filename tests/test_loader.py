"""Loading: positions, streams, bad input. Nothing here may raise or hang."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
import yaml

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


def test_depth_limit_is_exact() -> None:
    """MAX_DEPTH levels below the root load; one more is refused at the container too deep."""
    ok = load("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert ok.issues == [] and len(ok.documents) == 1
    deep = load("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n---\nb: 1\n")
    assert [(i.pos, i.message) for i in deep.issues] == [(Pos(1, 4 + MAX_DEPTH), "nesting deeper than 200 levels")]
    assert [dict(d.root) for d in deep.documents] == [{"b": 1}]


def test_every_broken_document_is_reported_and_every_good_one_loaded() -> None:
    """Resuming after each error walks on from there (no copy of the rest of the text)."""
    parts = []
    for i in range(50):
        parts += [f"a{i}: [\n", f"ok{i}: 1\n"]
    src = load("---\n".join(parts))
    assert [(i.rule, i.pos.line) for i in src.issues] == [("yaml-syntax", 4 * i + 2) for i in range(50)]
    assert [list(d.root) for d in src.documents] == [[f"ok{i}"] for i in range(50)]
    assert [d.root.kpos[f"ok{i}"].line for i, d in enumerate(src.documents)] == [4 * i + 3 for i in range(50)]


def test_resume_with_carriage_return_line_breaks() -> None:
    src = load("a: 1\rb: [\r---\rc: 3\r")
    assert issues(src) == [("yaml-syntax", 3)]
    assert [d.root.kpos[k] for d in src.documents for k in d.root] == [Pos(4, 1)]  # 'a: 1' was in the broken one


def test_keys_kubernetes_cannot_decode_are_reported_and_the_rest_loads() -> None:
    src = load("1: a\ntrue: b\nnull: c\n? [x]\n: d\n{k: v}: e\nlast: f\n")
    assert [(i.pos, i.message.split(":")[0]) for i in src.issues] == [
        (Pos(3, 1), "a null mapping key"),
        (Pos(4, 3), "a sequence is used as a mapping key"),
        (Pos(6, 1), "a mapping is used as a mapping key"),
    ]
    assert src.documents[0].root == {"1": "a", "true": "b", "last": "f"}  # as sigs.k8s.io/yaml names them
    assert src.documents[0].root.kpos["last"] == Pos(7, 1)


def test_merge_keys_follow_yaml_merge_rules() -> None:
    src = load(
        "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\n"
        "c:\n  <<: [*a, *b]\n  z: 3\n"  # earlier sources win, explicit keys win over all
        "d:\n  <<: {<<: *a, w: 4}\n"  # a merge inside a merge
        "e:\n  <<: [*a, 5]\n  v: 6\n"  # a scalar in the list: reported at '<<', the rest merged
    )
    root = src.documents[0].root
    assert root["c"] == {"z": 3, "x": 1, "y": 1}
    assert root["c"].kpos["x"] == Pos(1, 8) and root["c"].kpos["z"] == Pos(5, 3)  # where each is written
    assert root["d"] == {"x": 1, "y": 1, "w": 4}
    assert root["e"] == {"v": 6, "x": 1, "y": 1}
    assert [(i.pos, i.message) for i in src.issues] == [
        (Pos(9, 3), "a merge key (<<) needs a mapping or a sequence of mappings, not a scalar; it is ignored")
    ]
    assert load("'<<': {x: 1}\n").documents[0].root == {"<<": {"x": 1}}  # quoted: a plain key


def test_anchors_may_be_redefined_and_aliases_take_the_latest() -> None:
    src = load("a: &x 1\nb: &x [2]\nc: *x\nd: &k name\n*k : v\n")
    root = src.documents[0].root
    assert src.issues == [] and root["c"] == [2] and root["c"] is root["b"] and root["name"] == "v"
    assert root.vpos["c"] == Pos(2, 4)  # an alias is located where its anchor is


def test_recursive_alias_through_a_redefined_anchor() -> None:
    assert [i.message for i in load("a: &x [&x [1], *x]\n").issues] == []  # the inner one: no cycle
    assert "recursive alias" in load("a: &x [1, [*x]]\n").issues[0].message


def test_json_surrogate_pair_escapes() -> None:
    """Python's json.dumps escapes characters past U+FFFF as surrogate pairs: valid JSON, and
    Kubernetes reads JSON as JSON; YAML rejects them. Lone surrogates become U+FFFD as in Go."""
    src = load('{"a": "\\ud83d\\ude80!", "b": "\\udc00\\ud800", "c": "\\\\ud83d", "d": 1}\n', name="x.json")
    assert src.issues == []
    assert src.documents[0].root == {"a": "\U0001f680!", "b": "\ufffd\ufffd", "c": "\\ud83d", "d": 1}
    assert load('{"a": "\\ud83d\\ude80"}\n', name="x.txt").documents[0].root == {"a": "\U0001f680"}  # '{': JSON
    assert issues(load('a: "\\ud83d\\ude80"\n')) == [("yaml-syntax", 1)]  # in YAML it stays an error


def test_encodings_without_a_bom_and_boms_inside_the_text() -> None:
    no_bom = load("kind: Pod\n".encode("utf-16-le"))
    assert [i.message for i in no_bom.issues] == [
        "UTF-16LE text without a byte order mark: save it as UTF-8 (YAML reads UTF-16 and UTF-32 only after a BOM)"
    ]
    assert "UTF-32BE" in load("kind: Pod\n".encode("utf-32-be")).issues[0].message
    joined = load("a: 1\n---\n\ufeffb: 2\nc: 3\n\ufeff---\nd: 4\n")  # 'cat' of files saved with a BOM
    assert joined.issues == [] and [dict(d.root) for d in joined.documents] == [{"a": 1}, {"b": 2, "c": 3}, {"d": 4}]
    assert joined.documents[1].root.kpos["b"] == Pos(3, 1)  # the BOM is invisible in editors
    inside = load("a: 1\n\ufeffb: 2\n")
    assert inside.issues[0].pos == Pos(2, 2) and "byte order mark (U+FEFF)" in inside.issues[0].message


def test_positions_past_libyaml_read_chunks() -> None:
    """libyaml reads the text in chunks of bytes; characters of several bytes cross them."""
    src = load("a: " + "é😀" * 20_000 + '\nb: [x, "€", y]\n')
    root = src.documents[0].root
    assert len(root["a"]) == 40_000 and root.kpos["b"] == Pos(2, 1) and root["b"].ipos[2] == Pos(2, 13)


def test_pure_python_parser_gives_the_same_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml (PyYAML's pure-Python parser) nothing recurses either, and positions agree."""
    from ekslint.linter import loader

    text = "a: 1\n---\nb: [\n---\nc: {d: [1, 2], e: &x {f: g}, h: *x}\n---\ndeep: " + "[" * 300 + "]" * 300 + "\n"
    with_c = load(text)
    monkeypatch.setattr(loader, "_SafeLoader", yaml.SafeLoader)
    pure = load(text)
    assert [(i.rule, i.pos) for i in pure.issues] == [(i.rule, i.pos) for i in with_c.issues]
    assert [d.root for d in pure.documents] == [d.root for d in with_c.documents]
    assert [d.root["c"].vpos["h"] for d in pure.documents[1:2]] == [Pos(5, 19)]  # at the anchor


def test_non_regular_files_are_refused_before_opening(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    with pytest.raises(OSError, match="not a regular file"):
        read_file(tmp_path / "pipe.yaml", "pipe.yaml")  # would block in open() otherwise
    with pytest.raises(OSError, match="not a regular file"):
        read_file(Path("/dev/zero"), "/dev/zero")


def test_untrusted_yaml_with_keys_kubernetes_cannot_decode_is_absent() -> None:
    from ekslint.linter.loader import load_untrusted

    assert load_untrusted("? [a]\n: b\n") == []
    assert load_untrusted("a: 1\na: 2\n") == [{"a": 2}]  # a duplicate key is not a reason


def test_one_line_without_splitting_the_file() -> None:
    src = load("a: 1\r\nb: [x,\r  y]\n\n# end")
    assert src.line_count == 5
    assert [src.line(n) for n in range(7)] == ["", "a: 1", "b: [x,", "  y]", "", "# end", ""]
    src.text = "other\n"  # a new text, a new index
    assert (src.line_count, src.line(1)) == (1, "other")


def test_a_loader_bug_is_a_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the composer ever raise, the file gets a finding and the scan goes on."""
    from ekslint.linter import loader

    def broken(self: object, get_event: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(loader._Composer, "document", broken)
    src = load("a: 1\n")
    assert [(i.rule, i.pos, i.message) for i in src.issues] == [
        ("yaml-syntax", Pos(1, 1), "internal error while loading the rest of this file: RuntimeError: kaput")
    ]


def test_lines_count_as_libyaml_counts_them() -> None:
    """A form feed is not a line break to YAML: findings after it keep their line, and the text a
    rule quotes from a line is that line's (it once quoted the line before)."""
    source = load("a: 1\n# form\x0cfeed\nb: 1.10\n")
    assert source.line(3) == "b: 1.10" and source.line_count == 3
    assert source.documents[0].root.vpos["b"] == Pos(3, 4)
