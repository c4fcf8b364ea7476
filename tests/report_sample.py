"""A small, fully known JSON report for the renderer tests (built from tests/fixtures/reports/harbour.*).

Built in code, not by the pipeline, so the renderers are tested on findings whose every offset is
known — including text that must be escaped (``<b>``, ``&``, quotes) and an omission (empty span).
"""

from __future__ import annotations

from conftest import FIXTURES

REPORTS = FIXTURES / "reports"
MT_PATH = REPORTS / "harbour.fr.txt"


def _segments() -> list[dict]:
    mt = MT_PATH.read_text(encoding="utf-8")
    src = (REPORTS / "harbour.en.txt").read_text(encoding="utf-8")
    ref = (REPORTS / "harbour.ref.fr.txt").read_text(encoding="utf-8")
    mts = ["Les dockers ont lancé une frappe lundi à Marseille.", "Le port est fermé depuis trois jours.",
           "Le syndicat « CGT & FO » a dit : <b>non</b> aux patrons."]
    srcs = ["Dockers launched a strike on Monday in Marseille.", "The port has been closed for three days.",
            'The union "CGT & FO" said: <b>no</b> to the bosses.']
    refs = ["Les dockers ont lancé une grève lundi à Marseille.", "Le port est fermé depuis trois jours.",
            "Le syndicat « CGT & FO » a dit : <b>non</b> au patronat."]
    out = []
    for i, (s, m, r) in enumerate(zip(srcs, mts, refs)):
        assert s in src and r in ref
        off = mt.index(m)
        line = mt.count("\n", 0, off) + 1
        col = off - (mt.rfind("\n", 0, off) + 1) + 1
        out.append({"index": i, "source": s, "mt": m, "ref": r, "alignment": "1-1", "confidence": 0.9,
                    "mt_offset": off, "mt_line": line, "mt_column": col, "unit_id": None,
                    "scores": {"adequacy": [71.5, 96.0, 88.25][i], "chrf": [80.1, 100.0, 90.3][i]}})
    return out


def _finding(seg: dict, text: str, rule: str, category: str, severity: str, source_text: str, message: str,
             suggestion: str | None, occurrence: int = 0) -> dict:
    start = seg["mt"].index(text) if text else len(seg["mt"]) - 1
    return {"rule": rule, "category": category, "severity": severity, "segment": seg["index"],
            "mt_text": text, "mt_start": start, "mt_end": start + len(text), "source_text": source_text,
            "source_start": None, "source_end": None, "message": message, "suggestion": suggestion}


def _rule(rid: str, category: str, severity: str, doc: str, default: str | None = None, enabled: bool = True) -> dict:
    return {"id": rid, "check": rid.split(".")[0], "category": category, "severity": severity,
            "default_severity": default or severity, "enabled": enabled, "doc": doc}


# The rule catalogue: "lexicon" is a check with no sub-rules (its findings' "lexicon.false-friend"
# inherits its doc), markup.tags has a severity override, markup.entities is disabled (never fires),
# and register.informal is missing (described from its finding alone).
RULES = [
    _rule("lexicon", "accuracy/mistranslation", "major",
          "Words that look English but mean something else in French. Flags them with the right word."),
    _rule("markup.tags", "design/markup", "critical", "Inline tags copied into the text. Remove them.", default="minor"),
    _rule("markup.entities", "design/markup", "minor", "HTML entities left in the text.", enabled=False),
    _rule("omission.span", "accuracy/omission", "minor", "Words of the source missing from the French."),
]


def sample_report() -> dict:
    segs = _segments()
    findings = [
        _finding(segs[0], "frappe", "lexicon.false-friend", "accuracy/mistranslation", "major", "strike",
                 "labour 'strike' rendered as a military 'frappe'", "grève"),
        _finding(segs[2], "<b>non</b>", "markup.tags", "design/markup", "critical", "<b>no</b>",
                 "inline tags <b> & </b> copied into the text", "non"),
        _finding(segs[2], "patrons", "register.informal", "style/register", "minor", "the bosses",
                 'informal "patrons" for employers', "patronat"),
        _finding(segs[1], "", "omission.span", "accuracy/omission", "minor", "has been",
                 "tense nuance omitted", None),
    ]
    findings.sort(key=lambda f: (f["segment"], f["mt_start"], f["rule"]))
    sig = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    harbour = {
        "id": "harbour", "verdict": "fail",
        "paths": {"source": str(REPORTS / "harbour.en.txt"), "mt": str(MT_PATH), "ref": str(REPORTS / "harbour.ref.fr.txt")},
        "scores": {"bleu": {"score": 61.2, "signature": sig}, "adequacy": {"score": 85.3, "signature": "use-m3|cos"}},
        "mqm": {"source_words": 29, "counts": {"minor": 2, "major": 1, "critical": 1}, "penalty": 17.0,
                "penalty_per_1000_words": 586.2069, "score": 41.3793, "weights": {"minor": 1.0, "major": 5.0, "critical": 10.0}},
        "segments": segs, "findings": findings,
    }
    council = {
        "id": "council", "verdict": "pass",
        "paths": {"source": "delivery.xlf", "mt": "delivery.xlf", "ref": None},
        "scores": {"adequacy": {"score": 93.0, "signature": "use-m3|cos"}},
        "mqm": {"source_words": 8, "counts": {"minor": 0, "major": 0, "critical": 0}, "penalty": 0.0,
                "penalty_per_1000_words": 0.0, "score": 100.0, "weights": {"minor": 1.0, "major": 5.0, "critical": 10.0}},
        "segments": [{"index": 0, "source": "The council met.", "mt": "Le conseil s'est réuni.", "ref": None,
                      "alignment": "given", "confidence": 1.0, "mt_offset": 0, "mt_line": 7, "mt_column": None,
                      "unit_id": "cc-1", "scores": {"adequacy": 93.0}}],
        "findings": [],
    }
    gate = {"passed": False, "criteria": [
        {"name": "min_bleu", "document": None, "threshold": 30.0, "value": 61.2, "passed": True,
         "message": "bleu 61.20, at least 30 required"},
        {"name": "max_critical", "document": "harbour", "threshold": 0, "value": 1, "passed": False,
         "message": "1 critical finding(s), at most 0 allowed (1 over)"},
        {"name": "max_critical", "document": "council", "threshold": 0, "value": 0, "passed": True,
         "message": "0 critical finding(s), at most 0 allowed"},
    ]}
    return {
        "tool": {"name": "mtqa", "version": "0.1.0"}, "verdict": "fail",
        "inputs": {"source": None, "mt": None, "ref": None}, "settings": {},
        "scores": {"bleu": {"score": 61.2, "signature": sig}, "adequacy": {"score": 87.1, "signature": "use-m3|cos"}},
        "mqm": {"source_words": 37, "counts": {"minor": 2, "major": 1, "critical": 1}, "penalty": 17.0,
                "penalty_per_1000_words": 459.4595, "score": 54.0541, "weights": {"minor": 1.0, "major": 5.0, "critical": 10.0}},
        "gate": gate,
        "summary": {"documents": 2, "segments": 4, "findings": {"minor": 2, "major": 1, "critical": 1}},
        "documents": [harbour, council],
        "rules": [dict(r) for r in RULES],
    }
