"""``mtqa align`` and ``mtqa rules`` output (mtqa/report/formats/alignment.py and rules.py), pinned
byte for byte on known dicts, and the commands wired to them."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from mtqa.errors import ConfigError
from mtqa.report.formats import alignment, rules

HOUSE = FIXTURES / "checks" / "house.yaml"


def _alignment() -> dict:
    linked = {"kind": "2-1", "confidence": 0.87654, "src_ids": [0, 1], "mt_ids": [0],
              "source": "Tabs\there. And \\ back.", "mt": "Tabulations\tici,\net retour.",
              "ref_ids": [0], "ref": "Référence."}
    gap = {"kind": "1-0", "confidence": 0.5, "src_ids": [2], "mt_ids": [], "source": "Dropped.", "mt": "",
           "ref_ids": [], "ref": None}
    plain = {"kind": "given", "confidence": 1.0, "src_ids": [0], "mt_ids": [0], "source": "One.", "mt": "Un."}
    return {"embedder": "use-m3|test", "documents": [{"id": "a\tb", "links": [linked, gap]},
                                                    {"id": "plain", "links": [plain]}]}


def test_alignment_tsv_escapes_and_adds_the_ref_column_when_a_document_has_one():
    assert alignment.render(_alignment(), "tsv") == (
        "doc\tkind\tconfidence\tsrc_ids\tmt_ids\tsource\tmt\tref\n"
        "a\\tb\t2-1\t0.877\t0,1\t0\tTabs\\there. And \\\\ back.\tTabulations\\tici,\\net retour.\tRéférence.\n"
        "a\\tb\t1-0\t0.500\t2\t\tDropped.\t\t\n"
        "plain\tgiven\t1.000\t0\t0\tOne.\tUn.\t\n")
    only_plain = {"embedder": "x", "documents": [_alignment()["documents"][1]]}
    assert alignment.render(only_plain, "tsv") == "doc\tkind\tconfidence\tsrc_ids\tmt_ids\tsource\tmt\nplain\tgiven\t1.000\t0\t0\tOne.\tUn.\n"


def test_alignment_json_is_the_dict_indented():
    out = alignment.render(_alignment(), "json")
    assert out == json.dumps(_alignment(), ensure_ascii=False, indent=2) + "\n"
    assert '"source": "Tabs\\there. And \\\\ back."' in out and "Référence" in out
    with pytest.raises(ConfigError):
        alignment.render(_alignment(), "xml")


def _listing() -> dict:
    def rule(rid, check, sev, default=None, enabled=True, doc="", category="fluency/punctuation"):
        return {"id": rid, "check": check, "category": category, "severity": sev,
                "default_severity": default or sev, "enabled": enabled, "doc": doc, "check_doc": "…"}
    return {
        "checks": [
            {"id": "typo", "category": "fluency/punctuation", "severity": "minor",
             "doc": "French typography: quotes, no-break spaces and apostrophes, all checked per document."},
            {"id": "solo", "category": "accuracy/omission", "severity": "major", "doc": "A check with one rule."},
            {"id": "rules", "category": "style/company-style", "severity": "minor", "doc": "User rules."},
        ],
        "rules": [
            rule("typo.nbsp", "typo", "major", default="minor",
                 doc="No space, or an ordinary space, before ; : ! ? or inside « »: French uses a no-break space."),
            rule("typo.quotes", "typo", "minor", enabled=False, doc="Unclosed quotes."),
            rule("solo", "solo", "major", doc="A check with one rule.", category="accuracy/omission"),
        ],
    }


def test_rules_text_wraps_docs_marks_overrides_and_skips_checks_without_rules():
    assert rules.render(_listing(), "text", width=60) == (
        "typo — French typography: quotes, no-break spaces and\n"
        "    apostrophes, all checked per document.\n"
        "  typo.nbsp  fluency/punctuation  major (default minor)\n"
        "      No space, or an ordinary space, before ; : ! ? or\n"
        "      inside « »: French uses a no-break space.\n"
        "  typo.quotes  fluency/punctuation  minor  [disabled]\n"
        "      Unclosed quotes.\n"
        "\n"
        "solo — A check with one rule.\n"
        "  solo  accuracy/omission  major\n")


def test_rules_json_is_the_listing_indented():
    assert rules.render(_listing(), "json") == json.dumps(_listing(), ensure_ascii=False, indent=2) + "\n"
    with pytest.raises(ConfigError):
        rules.render(_listing(), "xml")


def test_cli_rules_text_with_a_rule_file_and_disable(run_cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli("rules", "--rule-file", HOUSE, "-d", "house.cyber", "-d", "typography.nbsp")
    assert code == 0, err
    lines = out.split("\n")
    i = lines.index("  house.anglicisms  style/unidiomatic  minor")
    assert lines[i + 1] == "      Anglicisms the desk does not use."
    assert "  house.cyber  terminology/inconsistent  minor  [disabled]" in lines
    assert "  typography.nbsp  fluency/punctuation  minor  [disabled]" in lines
    assert lines[lines.index("  untranslated  accuracy/untranslated  major") + 1] == ""  # a check's own rule: no doc
    assert all(len(line) <= 80 for line in lines)
    code, out, _ = run_cli("rules")  # without a rule file the user-rules check is left out
    assert "\nrules — " not in "\n" + out


def test_cli_rules_json_lists_checks_and_rules(run_cli):
    code, out, _ = run_cli("rules", "--rule-file", HOUSE, "-f", "json", "-d", "house.cyber")
    data = json.loads(out)
    assert code == 0 and set(data) == {"checks", "rules"}
    assert data["checks"][0]["id"] == "untranslated" and data["checks"][-1]["id"] == "rules"
    house = {r["id"]: r for r in data["rules"] if r["check"] == "rules"}
    assert house["house.cyber"]["enabled"] is False and "check_doc" in house["house.cyber"]


def test_cli_align_line_aligned_tsv_and_json(run_cli, tmp_path):
    src, mt, ref = (tmp_path / n for n in ("s.en.txt", "m.fr.txt", "r.fr.txt"))
    src.write_text("One.\nTwo\tparts.\n", encoding="utf-8")
    mt.write_text("Un.\nDeux\tparties.\n", encoding="utf-8")
    ref.write_text("Un.\nDeux parties.\n", encoding="utf-8")
    args = ("align", "-s", src, "-t", mt, "--line-aligned", "--doc-id", "d")
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert out == ("doc\tkind\tconfidence\tsrc_ids\tmt_ids\tsource\tmt\n"
                   "d\tgiven\t1.000\t0\t0\tOne.\tUn.\n"
                   "d\tgiven\t1.000\t1\t1\tTwo\\tparts.\tDeux\\tparties.\n")
    code, out, err = run_cli(*args, "-r", ref, "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["embedder"].startswith("use-m3")
    assert data["documents"] == [{"id": "d", "links": [
        {"kind": "given", "confidence": 1.0, "src_ids": [0], "mt_ids": [0], "source": "One.", "mt": "Un.",
         "ref_ids": [0], "ref": "Un."},
        {"kind": "given", "confidence": 1.0, "src_ids": [1], "mt_ids": [1], "source": "Two\tparts.",
         "mt": "Deux\tparties.", "ref_ids": [1], "ref": "Deux parties."}]}]
