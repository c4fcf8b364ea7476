"""Vendor deliveries: XLIFF 1.2, XLIFF 2.0 and TMX 1.4, parsed safely, unit ids kept."""

import json

import pytest

from mtqa.errors import InputError
from mtqa.inputs import load_inputs
from mtqa.inputs.xml import load_xml

from conftest import FIXTURES

XML = FIXTURES / "xml"


def test_xliff12_units_ids_lines_and_inline_codes():
    [doc] = load_xml(str(XML / "delivery.xlf"))
    assert doc.id == "city-council" and doc.paired
    assert [u.id for u in doc.mt.units] == ["cc-1", "cc-2", "cc-3"]  # translate="no" unit skipped
    # <g> content is text, <x/> is a code; &amp; is a predefined entity, decoded
    assert doc.source.units[1].text == "The mayor said the new tram line would open in 2027."
    assert doc.mt.units[2].text == "Les membres de l'opposition & les habitants ont critiqué le coût."
    # the line of each <target> in the vendor file
    lines = (XML / "delivery.xlf").read_text(encoding="utf-8").split("\n")
    for u in doc.mt.units:
        assert "<target>" in lines[u.line - 1]
        assert u.text.split()[0] in lines[u.line - 1]


def test_xliff20_segments_and_ids():
    [doc] = load_xml(str(XML / "delivery.xliff"))
    assert doc.id == "harbour"
    assert [u.id for u in doc.mt.units] == ["h1", "h2/a", "h2/b"]
    assert doc.mt.units[2].text == "Les discussions reprennent lundi."
    assert doc.source.units[2].text == "Talks resume on Monday."


def test_tmx_picks_languages_whatever_the_order():
    [doc] = load_xml(str(XML / "memory.tmx"))
    assert [u.id for u in doc.mt.units] == ["t-10", "t-11"]
    # bpt/ept carry native markup (<b>), not text
    assert doc.mt.units[1].text == "Les écoles resteront ouvertes."
    assert doc.source.units[1].text == "Schools will stay open."


def test_load_inputs_dispatches_xml_and_refuses_extra_source():
    assert load_inputs(None, str(XML / "memory.tmx"))[0].mt.units[0].text.startswith("De la pluie")
    with pytest.raises(InputError, match="drop -s"):
        load_inputs("x.en", str(XML / "memory.tmx"))


BAD = {
    "unclosed.xlf": r"unclosed\.xlf:8:\d+: malformed XML \(mismatched tag\)",
    "billion-laughs.xlf": r"refused: the file has a DOCTYPE",
    "external-entity.tmx": r"refused: the file has a DOCTYPE",
    "missing-target.xlf": r"missing-target\.xlf:6: trans-unit 'todo-2' has no <target>",
    "missing-target.xliff": r"segment 'u7' has no <target>",
    "missing-target.tmx": r"tu 'lonely' has no French <tuv>",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_malformed_vendor_files_exit_2_with_one_line(run_cli, tmp_path, name):
    import re

    out = tmp_path / "r.json"
    code, stdout, stderr = run_cli("check", "-t", XML / name, "-o", out)
    assert code == 2
    lines = stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith("mtqa: error: "), stderr
    assert re.search(BAD[name], lines[0]), lines[0]
    assert "Traceback" not in stderr and not out.exists()


def test_entity_declaration_without_doctype_use_is_refused(tmp_path):
    # an internal subset is refused even when no entity is referenced: nothing is expanded
    p = tmp_path / "quiet.tmx"
    p.write_text('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "b">]><tmx version="1.4"><body/></tmx>',
                 encoding="utf-8")
    with pytest.raises(InputError, match="DOCTYPE"):
        load_xml(str(p))


def test_external_entity_content_never_reaches_the_report(tmp_path):
    # no DOCTYPE at all, but an undeclared entity: expat refuses it as undefined
    p = tmp_path / "undef.tmx"
    p.write_text('<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Hi.</seg></tuv>'
                 '<tuv xml:lang="fr"><seg>&passwd;</seg></tuv></tu></body></tmx>', encoding="utf-8")
    with pytest.raises(InputError, match=r"malformed XML \(undefined entity"):
        load_xml(str(p))


@pytest.mark.parametrize("text,match", [
    ('<xliff version="1.2"><file source-language="de" target-language="fr"><body/></file></xliff>', "source language is 'de'"),
    ('<xliff version="3.0"/>', "unsupported XLIFF version"),
    ('<html><body/></html>', r"not XLIFF or TMX \(root element <html>\)"),
    ('', "file is empty"),
])
def test_wrong_kinds_of_xml(tmp_path, text, match):
    p = tmp_path / "x.xlf"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        load_xml(str(p))


def test_check_on_xliff_keeps_unit_ids_in_the_report(run_cli, tmp_path):
    out = tmp_path / "r.json"
    code, _, stderr = run_cli("check", "-t", XML / "delivery.xlf", "-o", out)
    assert code in (0, 1), stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    segs = report["documents"][0]["segments"]
    assert [s["unit_id"] for s in segs] == ["cc-1", "cc-2", "cc-3"]
    assert [s["mt_line"] for s in segs] == [7, 12, 17]


def test_absurdly_nested_inline_markup_is_an_input_error(tmp_path):
    p = tmp_path / "deep.xlf"
    depth = 50_000
    p.write_text('<xliff version="1.2"><file source-language="en" target-language="fr"><body><trans-unit id="1">'
                 "<source>Hi.</source><target>" + "<g>" * depth + "Salut." + "</g>" * depth
                 + "</target></trans-unit></body></file></xliff>", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        load_xml(str(p))
