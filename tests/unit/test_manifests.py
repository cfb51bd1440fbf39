import time

import pytest

from cluster.kubectl.manifests import ManifestError, has_tab_indent, load_documents, validate_type_meta

SEED_SAMPLE_WITH_TABS = "apiVersion : apps/v1\nkind : Deployment\n\nmetadata :\n\tname : nginx-deployment\n"


def test_multi_document_and_list_flattening() -> None:
    text = "a: 1\n---\nb: 2\n---\n"
    assert load_documents(text, "x.yaml") == [{"a": 1}, {"b": 2}]
    lst = "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n- kind: Service\n"
    assert [d["kind"] for d in load_documents(lst, "l.yaml")] == ["Pod", "Service"]


def test_tab_indentation_error_is_worded_like_kubectl() -> None:
    with pytest.raises(ManifestError) as err:
        load_documents(SEED_SAMPLE_WITH_TABS, "tab.yaml")
    assert str(err.value) == (
        "error parsing tab.yaml: error converting YAML to JSON: yaml: line 5: "
        "found character that cannot start any token"
    )
    assert err.value.line == 5
    assert has_tab_indent(SEED_SAMPLE_WITH_TABS) == 5


def test_billion_laughs_is_refused_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(8):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    with pytest.raises(ManifestError, match="expands to more than"):
        load_documents("\n".join(lines), "bomb.yaml")
    assert time.perf_counter() - started < 2.0


def test_too_many_aliases_and_depth_and_size() -> None:
    many = "a: &a 1\nb: [" + ",".join(["*a"] * 150) + "]\n"
    with pytest.raises(ManifestError, match="more than 100 aliases"):
        load_documents(many, "m.yaml")
    deep = "a: " + "[" * 100 + "]" * 100
    with pytest.raises(ManifestError, match="depth"):
        load_documents(deep, "d.yaml")
    with pytest.raises(ManifestError, match="larger than 256 KiB"):
        load_documents("a: " + "x" * (300 * 1024), "big.yaml")


def test_scalar_document_is_rejected() -> None:
    with pytest.raises(ManifestError, match="cannot unmarshal string"):
        load_documents("just a string", "s.yaml")


def test_missing_type_meta() -> None:
    with pytest.raises(ManifestError) as err:
        validate_type_meta([{"metadata": {"name": "x"}}], "nokind.yaml")
    assert str(err.value) == (
        'error validating "nokind.yaml": error validating data: [apiVersion not set, kind not set]; '
        "if you choose to ignore these errors, turn validation off with --validate=false"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\x00\n",
            "error converting YAML to JSON: yaml: control characters are not allowed",
        ),
        ('{"apiVersion": "v1", "kind": "Pod", ', "unexpected EOF"),
    ],
)
def test_parse_errors_use_gos_words_not_pythons(text: str, message: str) -> None:
    with pytest.raises(ManifestError) as err:
        load_documents(text, "f.yaml")
    assert str(err.value) == f"error parsing f.yaml: {message}"


def test_type_meta_of_the_wrong_type() -> None:
    with pytest.raises(ManifestError) as err:
        validate_type_meta([{"apiVersion": ["v1"], "kind": "Pod"}], "a.yaml")
    assert str(err.value) == (
        'error validating "a.yaml": error validating data: apiVersion isn\'t string type; '
        "if you choose to ignore these errors, turn validation off with --validate=false"
    )


@pytest.mark.parametrize("depth", [65, 100_000])
def test_a_json_manifest_nested_too_deeply_is_refused(depth: int) -> None:
    with pytest.raises(ManifestError) as err:
        load_documents('{"kind": "ConfigMap", "data": ' + "[" * depth + "]" * depth + "}", "deep.json")
    assert str(err.value) == "error parsing deep.json: json: exceeded max depth of 64"
