"""The input tables (``mtqa.inputs``): a format is one module plus one row, and the suffix lists
every other module uses come from here."""

from xml.etree.ElementTree import fromstring

import pytest

import mtqa.inputs as inputs
from mtqa.errors import InputError
from mtqa.inputs import (
    LOADERS,
    ROOTS,
    SELF_CONTAINED,
    SYSTEM_SUFFIXES,
    TEXT_SUFFIXES,
    XML_LOADER,
    XML_SUFFIXES,
    loader_for,
    resolve,
    strip_suffixes,
)
from mtqa.inputs.text import doc_id_for
from mtqa.inputs.xml import inline_text, load_xml

TMX_BODY = ('<header srclang="en"/><body><tu tuid="a"><tuv xml:lang="en"><seg>Hello.</seg></tuv>'
            '<tuv xml:lang="fr"><seg>Bonjour.</seg></tuv></tu></body>')


def test_every_root_row_names_a_function():
    for target in ROOTS.values():
        assert callable(resolve(target))


def test_suffix_lists_come_from_the_loader_table():
    assert tuple(LOADERS) == SELF_CONTAINED
    assert XML_SUFFIXES == (".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".tmx")
    assert all(LOADERS[s] == XML_LOADER for s in XML_SUFFIXES)
    assert loader_for("delivery.SDLXLIFF") is load_xml


def test_an_xml_format_is_one_root_row(tmp_path, monkeypatch):
    p = tmp_path / "memory.xlf"
    p.write_text(f'<tmx2 version="1.4">{TMX_BODY}</tmx2>', encoding="utf-8")
    with pytest.raises(InputError, match=r"not XLIFF or TMX \(root element <tmx2>\)"):
        load_xml(str(p))
    monkeypatch.setitem(ROOTS, "tmx2", "mtqa.inputs.tmx:tmx_rows")
    [doc] = load_xml(str(p))
    assert [u.text for u in doc.mt.units] == ["Bonjour."] and doc.mt.units[0].id == "a"
    p.write_text("<po/>", encoding="utf-8")
    with pytest.raises(InputError, match=r"not XLIFF or TMX or TMX2 \(root element <po>\)"):
        load_xml(str(p))


def test_a_suffix_is_one_loader_row(tmp_path, monkeypatch):
    p = tmp_path / "memory.tmx14"
    p.write_text(f'<tmx version="1.4">{TMX_BODY}</tmx>', encoding="utf-8")
    assert loader_for(str(p)) is None
    monkeypatch.setitem(LOADERS, ".tmx14", XML_LOADER)
    [doc] = inputs.load_inputs(None, str(p))
    assert doc.id == "memory" and doc.mt.units[0].text == "Bonjour."


def test_plain_text_goes_through_the_plain_text_row(tmp_path, monkeypatch):
    src, mt = tmp_path / "a.en.txt", tmp_path / "a.fr.txt"
    src.write_text("Hello.\n", encoding="utf-8")
    mt.write_text("Bonjour.\n", encoding="utf-8")
    [doc] = inputs.load_inputs(str(src), str(mt))
    assert doc.id == "a" and not doc.paired
    monkeypatch.setattr(inputs, "PLAIN_TEXT", "mtqa.inputs.jsonl:no_such_loader")
    with pytest.raises(AttributeError):
        inputs.load_inputs(str(src), str(mt))


@pytest.mark.parametrize("name,suffixes,fold,expected", [
    ("news.fr.txt", TEXT_SUFFIXES, True, "news"),
    ("NEWS.FR.TXT", TEXT_SUFFIXES, True, "NEWS"),
    ("story.source.txt", TEXT_SUFFIXES, True, "story"),
    (".txt", TEXT_SUFFIXES, True, ".txt"),  # never down to nothing
    ("d.jsonl", TEXT_SUFFIXES, True, "d"),
    ("newstest2014.onlineB.0.fr", SYSTEM_SUFFIXES, False, "newstest2014.onlineB.0"),
    ("onlineB.fr.sgm", SYSTEM_SUFFIXES, False, "onlineB.fr"),  # in table order: .sgm comes last
    ("onlineB.FR", SYSTEM_SUFFIXES, False, "onlineB.FR"),  # case-sensitive when asked
    ("onlineB.FR", SYSTEM_SUFFIXES, True, "onlineB"),
])
def test_strip_suffixes(name, suffixes, fold, expected):
    assert strip_suffixes(name, suffixes, fold_case=fold) == expected


def test_doc_ids_from_file_names(tmp_path):
    pack = tmp_path / "kyiv"
    pack.mkdir()
    assert doc_id_for(str(pack / "mt.fr.txt")) == "kyiv"  # a generic name: the folder
    assert doc_id_for("news.fr") == "news"
    assert doc_id_for("-") == "stdin"


@pytest.mark.parametrize("xml,text", [
    ('<target>a<cp hex="1F"/>b</target>', "a\x1fb"),
    ('<target>a<ph id="1">&lt;br/&gt;</ph>b<pc id="2">c</pc></target>', "abc"),
])
def test_inline_text_code_points_and_codes(xml, text):
    assert inline_text(fromstring(xml)) == text
