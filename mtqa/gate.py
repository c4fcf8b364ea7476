"""The quality gate: thresholds from ``mtqa.toml``/``--gate`` options → pass/fail with reasons."""

from __future__ import annotations

from typing import Any

from mtqa.config import GateSettings
from mtqa.model import SEVERITIES, Score

# (setting, score name, "min" or "max")
SCORE_THRESHOLDS = (
    ("min_bleu", "bleu", "min"),
    ("min_chrf", "chrf", "min"),
    ("max_ter", "ter", "max"),
    ("min_adequacy", "adequacy", "min"),
    ("min_comet", "comet", "min"),
)


def _criterion(name: str, threshold: Any, value: Any, passed: bool, message: str, document: str | None = None) -> dict:
    return {"name": name, "document": document, "threshold": threshold, "value": value, "passed": passed, "message": message}


def document_criteria(gs: GateSettings, doc: dict) -> list[dict]:
    """Criteria judged per document: severity counts, MQM penalty, rules that fail outright."""
    out = []
    counts = doc["mqm"]["counts"]
    for sev in SEVERITIES:
        limit = getattr(gs, f"max_{sev}")
        if limit is None:
            continue
        n = counts[sev]
        ok = n <= limit
        msg = f"{n} {sev} finding(s), at most {limit} allowed" + ("" if ok else f" ({n - limit} over)")
        out.append(_criterion(f"max_{sev}", limit, n, ok, msg, doc["id"]))
    if gs.max_mqm_penalty is not None:
        p = doc["mqm"]["penalty_per_1000_words"]
        ok = p <= gs.max_mqm_penalty
        msg = f"MQM penalty {p:.1f} per 1,000 words, at most {gs.max_mqm_penalty:g} allowed" + (
            "" if ok else f" ({p - gs.max_mqm_penalty:.1f} over)")
        out.append(_criterion("max_mqm_penalty", gs.max_mqm_penalty, p, ok, msg, doc["id"]))
    for rule in gs.fail_on:
        hits = [f for f in doc["findings"] if f["rule"] == rule or f["rule"].startswith(rule + ".")]
        ok = not hits
        msg = f"rule {rule}: " + ("no finding" if ok else f"{len(hits)} finding(s), and this rule fails the gate")
        out.append(_criterion(f"fail_on:{rule}", 0, len(hits), ok, msg, doc["id"]))
    return out


def corpus_criteria(gs: GateSettings, scores: dict[str, Score]) -> list[dict]:
    out = []
    for attr, name, kind in SCORE_THRESHOLDS:
        limit = getattr(gs, attr)
        if limit is None:
            continue
        if name not in scores:
            out.append(_criterion(attr, limit, None, False, f"{name} threshold set but {name} was not computed"))
            continue
        v = scores[name].score
        ok = v >= limit if kind == "min" else v <= limit
        word = "at least" if kind == "min" else "at most"
        msg = f"{name} {v:.2f}, {word} {limit:g} required" + ("" if ok else f" ({abs(v - limit):.2f} short)")
        out.append(_criterion(attr, limit, round(v, 4), ok, msg))
    return out


def evaluate(gs: GateSettings, corpus_scores: dict[str, Score], documents: list[dict]) -> dict:
    """Fill each document's ``verdict`` and return the report's ``gate`` object."""
    criteria = corpus_criteria(gs, corpus_scores)
    for doc in documents:
        crit = document_criteria(gs, doc)
        doc["verdict"] = "pass" if all(c["passed"] for c in crit) else "fail"
        criteria.extend(crit)
    return {"passed": all(c["passed"] for c in criteria), "criteria": criteria}
