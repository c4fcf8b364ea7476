"""Gold annotations of reference packs and matching mtqa's findings against them.

A reference pack (``references/<pack>/``) holds ``source.en.txt``, a faulty ``mt.fr.txt``, a
clean ``ref.fr.txt``, optionally ``glossary.csv``, the annotation source ``annotations.yaml`` and
``expected.json`` generated from it (``bench/annotate.py``). An annotated error names a paragraph
of ``mt.fr.txt`` and an exact ``mt_text``; its ``mt_start``/``mt_end`` are character offsets into
the whole file. An omission has ``mt_text`` "" and quotes the missing ``source_text``.

Matching (``match_findings``):
- a finding's span in the MT file is ``segment.mt_offset + mt_start .. + mt_end``;
- it *hits* an annotated span error when the two half-open spans overlap;
- it hits an annotated omission when its category is ``accuracy/omission`` and its
  ``source_text`` covers at least half of the words of the annotated ``source_text``;
- a finding that hits several annotations is credited to one: same MQM category first, then same
  top-level category (accuracy, fluency…), then the longest overlap. So a typography finding on
  the apostrophe of ``s'échauffent`` credits the punctuation annotation, not the mistranslation;
- a finding that hits nothing but overlaps a ``not_in_scope`` span (a real error mtqa is not
  expected to find) is *neutral*: neither a true nor a false positive;
- anything else is a false positive. ``must_not_flag`` spans (correct French a naive check would
  flag, e.g. ``grève`` in a real labour strike) are listed in expected.json so tests can insist
  that nothing touches them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mtqa.errors import InputError
from mtqa.inputs.text import split_units
from mtqa.model import SEVERITIES
from mtqa.inputs.textio import read_text

OMISSION = "accuracy/omission"
_WORD = re.compile(r"\w+", re.UNICODE)
ERROR_KEYS = ("paragraph", "mt_text", "mt_start", "mt_end", "source_text", "category", "severity")


def paragraph_starts(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph (blank-line separated block) of a pack file."""
    return [(u.start, u.text) for u in split_units(text, "paragraphs")]


def locate(text: str, paragraph: int, mt_text: str, occurrence: int | None = None, after: str | None = None,
           where: str = "") -> tuple[int, int]:
    """Offsets in ``text`` of the ``occurrence``-th ``mt_text`` in 1-based ``paragraph``.

    Without ``occurrence``, ``mt_text`` must occur exactly once in the paragraph.

    For an omission (``mt_text`` ""), the point just after ``after`` in that paragraph (the
    paragraph start when ``after`` is None).
    """
    paras = paragraph_starts(text)
    if not 1 <= paragraph <= len(paras):
        raise InputError(f"{where}paragraph {paragraph} does not exist (the file has {len(paras)})")
    start0, block = paras[paragraph - 1]
    if mt_text == "":
        if after is None:
            return start0, start0
        _, b = locate(text, paragraph, after, occurrence, where=where)
        return b, b
    i = -1
    for _ in range(occurrence or 1):
        i = block.find(mt_text, i + 1)
        if i < 0:
            raise InputError(f"{where}{mt_text!r} (occurrence {occurrence or 1}) not in paragraph {paragraph}")
    if occurrence is None and block.find(mt_text, i + 1) >= 0:
        raise InputError(f"{where}{mt_text!r} occurs more than once in paragraph {paragraph}; give 'occurrence'")
    return start0 + i, start0 + i + len(mt_text)


def load_annotations(pack: str | Path) -> dict[str, Any]:
    """Read ``annotations.yaml`` of a pack."""
    path = Path(pack) / "annotations.yaml"
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as e:
        raise InputError(f"{path}: invalid YAML ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("errors"), list):
        raise InputError(f"{path}: expected a mapping with a list 'errors'")
    return data


def build_expected(pack: str | Path) -> dict[str, Any]:
    """expected.json content computed from ``annotations.yaml`` and ``mt.fr.txt``."""
    pack = Path(pack)
    ann = load_annotations(pack)
    mt = read_text(pack / "mt.fr.txt")
    errors = []
    for n, e in enumerate(ann["errors"], 1):
        where = f"{pack / 'annotations.yaml'}: error {n}: "
        for key in ("paragraph", "mt_text", "source_text", "category", "severity", "why"):
            if key not in e:
                raise InputError(f"{where}missing '{key}'")
        if e["severity"] not in SEVERITIES:
            raise InputError(f"{where}severity must be one of {', '.join(SEVERITIES)}")
        a, b = locate(mt, e["paragraph"], e["mt_text"], e.get("occurrence"), e.get("after"), where)
        out = {"id": f"E{n:02d}", "paragraph": e["paragraph"], "mt_text": e["mt_text"], "mt_start": a,
               "mt_end": b, "source_text": e["source_text"], "category": e["category"],
               "severity": e["severity"], "why": e["why"]}
        if e.get("suggestion"):
            out["suggestion"] = e["suggestion"]
        errors.append(out)
    doc = {"pack": ann.get("pack", pack.name), "description": ann.get("description", ""),
           "offsets": "mt_start/mt_end are character offsets into mt.fr.txt (decoded UTF-8).",
           "errors": errors}
    if ann.get("not_in_scope"):
        doc["not_in_scope"] = ann["not_in_scope"]
    keep = []
    for n, c in enumerate(ann.get("must_not_flag") or [], 1):
        where = f"{pack / 'annotations.yaml'}: must_not_flag {n}: "
        a, b = locate(mt, c["paragraph"], c["mt_text"], c.get("occurrence"), where=where)
        keep.append({"paragraph": c["paragraph"], "mt_text": c["mt_text"], "mt_start": a, "mt_end": b,
                     "why": c.get("why", "")})
    if keep:
        doc["must_not_flag"] = keep
    return doc


def families(pack: str | Path) -> dict[str, str]:
    """Error id → the check family expected to find it (``family`` in annotations.yaml)."""
    p = Path(pack) / "annotations.yaml"
    if not p.is_file():
        return {}
    return {f"E{n:02d}": e.get("family", "") for n, e in enumerate(load_annotations(p.parent)["errors"], 1)}


def load_expected(pack: str | Path) -> dict[str, Any]:
    path = Path(pack) / "expected.json"
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not valid JSON ({e.msg})") from None
    for e in data.get("errors", []):
        missing = [k for k in ERROR_KEYS if k not in e]
        if missing:
            raise InputError(f"{path}: error {e.get('id', '?')} lacks {', '.join(missing)}")
    return data


@dataclass
class Hit:
    """A finding placed in the MT file: its absolute span and what it matched."""

    finding: dict[str, Any]
    start: int  # offset in the MT side's text
    end: int
    doc: str = ""
    matched: str | None = None  # id of the annotation credited, else None
    neutral: bool = False  # overlaps only a not_in_scope span

    @property
    def rule(self) -> str:
        return self.finding["rule"]

    @property
    def severity(self) -> str:
        return self.finding["severity"]

    @property
    def outcome(self) -> str:
        return "tp" if self.matched else ("neutral" if self.neutral else "fp")


@dataclass
class PackResult:
    pack: str
    errors: list[dict[str, Any]]  # expected.json errors, each with "found_by": [rule, …]
    hits: list[Hit] = field(default_factory=list)

    def wrongly_flagged(self, expected: dict[str, Any]) -> list[Hit]:
        """Findings on a ``must_not_flag`` span: correct French the pack says no check may flag."""
        return [h for h in self.hits for c in expected.get("must_not_flag", [])
                if overlap(h.start, h.end, c["mt_start"], c["mt_end"])]

    def missed(self, severities: tuple[str, ...] = SEVERITIES) -> list[dict[str, Any]]:
        return [e for e in self.errors if not e["found_by"] and e["severity"] in severities]


def _segment_offsets(segments: list[dict[str, Any]]) -> dict[int, int]:
    """MT offset of each segment; a segment with no MT (a 1-0 bead: the source sentence has no
    translation) sits where the next MT text starts (or where the previous one ends)."""
    out: dict[int, int] = {}
    ordered = sorted(segments, key=lambda s: s["index"])
    last_end = 0
    pending = []
    for s in ordered:
        if s.get("mt_offset") is None:
            pending.append(s["index"])
            continue
        for i in pending:
            out[i] = s["mt_offset"]
        pending = []
        out[s["index"]] = s["mt_offset"]
        last_end = s["mt_offset"] + len(s.get("mt") or "")
    for i in pending:
        out[i] = last_end
    return out


def report_findings(report: dict[str, Any], doc_id: str | None = None) -> list[Hit]:
    """Every finding of a JSON report (one document, or ``doc_id``) with its span in the MT side."""
    hits = []
    for d in report["documents"]:
        if doc_id is not None and d["id"] != doc_id:
            continue
        offsets = _segment_offsets(d["segments"])
        for f in d["findings"]:
            base = offsets.get(f["segment"])
            if base is None:
                raise InputError(f"finding {f['rule']} names segment {f['segment']}, which the report does not have")
            hits.append(Hit(f, base + f["mt_start"], base + f["mt_end"], d["id"]))
    return hits


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "")}


def source_overlaps(found: str, annotated: str) -> bool:
    """A finding's source quote covers an annotated omission: it shares at least half of the
    annotated text's words (quoting the whole sentence or paragraph around it is fine)."""
    wa, wb = words(found), words(annotated)
    if not wa or not wb:
        return False
    return len(wa & wb) * 2 >= len(wb)


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _hits_error(hit: Hit, e: dict[str, Any]) -> bool:
    if e["mt_text"] == "":
        return hit.finding["category"] == OMISSION and source_overlaps(hit.finding.get("source_text", ""), e["source_text"])
    return overlap(hit.start, hit.end, e["mt_start"], e["mt_end"]) > 0


def _preference(hit: Hit, e: dict[str, Any]) -> tuple[int, int, int]:
    cat = hit.finding["category"]
    return (int(cat == e["category"]), int(cat.split("/")[0] == e["category"].split("/")[0]),
            overlap(hit.start, hit.end, e["mt_start"], e["mt_end"]))


def not_in_scope_spans(expected: dict[str, Any], mt_text: str) -> list[tuple[int, int]]:
    """Spans of the ``not_in_scope`` entries (they carry paragraph + mt_text, no offsets)."""
    spans = []
    for n in expected.get("not_in_scope", []):
        spans.append(locate(mt_text, n["paragraph"], n["mt_text"], n.get("occurrence", 1)))
    return spans


def match_findings(hits: list[Hit], expected: dict[str, Any], mt_text: str | None = None,
                   pack: str = "") -> PackResult:
    """Credit each finding to at most one annotated error; see the module doc for the rules."""
    errors = [dict(e, found_by=[]) for e in expected["errors"]]
    nis = not_in_scope_spans(expected, mt_text) if mt_text is not None else []
    for h in hits:
        cands = [e for e in errors if _hits_error(h, e)]
        if cands:
            best = max(cands, key=lambda e: _preference(h, e))
            h.matched = best["id"]
            if h.rule not in best["found_by"]:
                best["found_by"].append(h.rule)
        elif any(overlap(h.start, h.end, a, b) for a, b in nis):
            h.neutral = True
    return PackResult(pack or expected.get("pack", ""), errors, hits)


def rule_family(rule: str) -> str:
    """A rule id's family is its prefix: ``sense.wrong`` → ``sense``."""
    return rule.split(".", 1)[0]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _prec(rows: list[Hit]) -> dict[str, Any]:
    tp = sum(h.outcome == "tp" for h in rows)
    fp = sum(h.outcome == "fp" for h in rows)
    return {"findings": len(rows), "tp": tp, "fp": fp, "neutral": len(rows) - tp - fp,
            "precision": _ratio(tp, tp + fp)}


def _rec(errs: list[dict[str, Any]]) -> dict[str, Any]:
    found = sum(bool(e["found_by"]) for e in errs)
    return {"annotated": len(errs), "found": found, "recall": _ratio(found, len(errs))}


def summarize(results: list[PackResult]) -> dict[str, Any]:
    """Precision and recall tables over packs.

    Precision counts findings: TP = credited to an annotation, FP = matches none, neutral ones
    (on not_in_scope errors) are left out; P = TP / (TP + FP). Recall counts annotations: found
    when at least one finding is credited to it; R = found / annotated. Per rule, recall is over the
    annotations whose ``family`` is the rule's prefix (found by that rule); per check (the family:
    ``numbers`` for ``numbers.date`` …), over the family's annotations found by any of its rules;
    per severity, precision uses the finding's severity and recall the annotation's.
    """
    hits = [h for r in results for h in r.hits]
    errs = [e for r in results for e in r.errors]
    by_rule = {}
    for rule in sorted({h.rule for h in hits}):
        row = _prec([h for h in hits if h.rule == rule])
        fam = [e for e in errs if e.get("family") == rule_family(rule)]
        found = sum(rule in e["found_by"] for e in fam)
        row.update(credited=len({(r.pack, h.matched) for r in results for h in r.hits
                                 if h.rule == rule and h.matched}),
                   family_annotated=len(fam), family_found=found, recall=_ratio(found, len(fam)))
        by_rule[rule] = row
    by_sev = {}
    for sev in SEVERITIES:
        row = _prec([h for h in hits if h.severity == sev])
        row.update(_rec([e for e in errs if e["severity"] == sev]))
        by_sev[sev] = row
    by_cat = {c: _rec([e for e in errs if e["category"] == c]) for c in sorted({e["category"] for e in errs})}
    by_fam = {f: _rec([e for e in errs if e.get("family", "") == f]) for f in sorted({e.get("family", "") for e in errs})}
    by_check = {}
    for fam_name in sorted({rule_family(h.rule) for h in hits} | {e.get("family", "") for e in errs} - {""}):
        row = _prec([h for h in hits if rule_family(h.rule) == fam_name])
        fam = [e for e in errs if e.get("family") == fam_name]
        found = sum(any(rule_family(r) == fam_name for r in e["found_by"]) for e in fam)
        row.update(annotated=len(fam), found=found, recall=_ratio(found, len(fam)))
        by_check[fam_name] = row
    overall = _prec(hits)
    overall.update(_rec(errs))
    return {"by_check": by_check, "by_rule": by_rule, "by_severity": by_sev, "by_category": by_cat, "by_family": by_fam,
            "overall": overall}


def pack_dirs(root: str | Path) -> list[Path]:
    """Every reference pack under ``root`` (a directory with mt.fr.txt and expected.json)."""
    return sorted(p for p in Path(root).iterdir() if (p / "expected.json").is_file() and (p / "mt.fr.txt").is_file())


def pack_settings(pack: str | Path, settings: Any = None) -> Any:
    """Settings for checking a pack: the caller's (or default) settings plus the pack's glossary."""
    from dataclasses import replace

    from mtqa.config import Settings

    settings = settings or Settings()
    gloss = Path(pack) / "glossary.csv"
    glossaries = list(settings.glossaries) + ([str(gloss)] if gloss.is_file() else [])
    return replace(settings, glossaries=glossaries)


def check_pack(pack: str | Path, mt_name: str = "mt.fr.txt", settings: Any = None,
               with_ref: bool = False) -> dict[str, Any]:
    """Run mtqa's real pipeline on a pack (``mt_name`` = ``ref.fr.txt`` checks the reference as if
    it were the MT); returns the JSON report. The reference is not given unless ``with_ref``."""
    from mtqa.inputs import load_inputs
    from mtqa.pipeline import run_pipeline

    pack = Path(pack)
    ref = str(pack / "ref.fr.txt") if with_ref and mt_name != "ref.fr.txt" else None
    docs = load_inputs(str(pack / "source.en.txt"), str(pack / mt_name), ref, doc_id=pack.name)
    return run_pipeline(docs, pack_settings(pack, settings))


def evaluate_pack(pack: str | Path, report: dict[str, Any]) -> PackResult:
    """Match a report on ``mt.fr.txt`` of a pack against its expected.json."""
    pack = Path(pack)
    expected = load_expected(pack)
    mt = read_text(pack / "mt.fr.txt")
    result = match_findings(report_findings(report), expected, mt, pack.name)
    fams = families(pack)
    for e in result.errors:
        e["family"] = fams.get(e["id"], "")
    return result
