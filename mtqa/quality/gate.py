"""The quality gate: thresholds from ``mtqa.toml``/``--gate`` options → pass/fail with reasons.

Score thresholds are ``min_<score>``, or ``max_<score>`` for a score where lower is better: the
scorer's metadata decides (``mtqa.scores.registry.thresholds``). The baseline criteria are in
``mtqa.quality.baseline``.
"""

from __future__ import annotations

from mtqa.config import GateSettings
from mtqa.model import SEVERITIES, Score
from mtqa.quality.baseline import baseline_criteria, load_baseline
from mtqa.quality.criterion import criterion
from mtqa.scores.registry import thresholds

__all__ = ["baseline_criteria", "corpus_criteria", "document_criteria", "evaluate", "load_baseline"]


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
        out.append(criterion(f"max_{sev}", limit, n, ok, msg, doc["id"]))
    if gs.max_mqm_penalty is not None:
        p = doc["mqm"]["penalty_per_1000_words"]
        ok = p <= gs.max_mqm_penalty
        msg = f"MQM penalty {p:.1f} per 1,000 words, at most {gs.max_mqm_penalty:g} allowed" + (
            "" if ok else f" ({p - gs.max_mqm_penalty:.1f} over)")
        out.append(criterion("max_mqm_penalty", gs.max_mqm_penalty, p, ok, msg, doc["id"]))
    for rule in gs.fail_on:
        hits = [f for f in doc["findings"] if not f.get("waived")
                and (f["rule"] == rule or f["rule"].startswith(rule + "."))]
        ok = not hits
        msg = f"rule {rule}: " + ("no finding" if ok else f"{len(hits)} finding(s), and this rule fails the gate")
        out.append(criterion(f"fail_on:{rule}", 0, len(hits), ok, msg, doc["id"]))
    return out


def corpus_criteria(gs: GateSettings, scores: dict[str, Score]) -> list[dict]:
    """One criterion per score threshold set, in the registry's order."""
    out = []
    for attr, name in thresholds().items():
        limit = gs.score_limit(attr)
        if limit is None:
            continue
        if name not in scores:
            out.append(criterion(attr, limit, None, False, f"{name} threshold set but {name} was not computed"))
            continue
        v = scores[name].score
        at_least = attr.startswith("min_")
        ok = v >= limit if at_least else v <= limit
        word = "at least" if at_least else "at most"
        msg = f"{name} {v:.2f}, {word} {limit:g} required" + ("" if ok else f" ({abs(v - limit):.2f} short)")
        out.append(criterion(attr, limit, round(v, 4), ok, msg))
    return out


def evaluate(gs: GateSettings, corpus_scores: dict[str, Score], documents: list[dict],
             weights: dict[str, float] | None = None, baseline: dict | None = None) -> dict:
    """Fill each document's ``verdict`` and return the report's ``gate`` object."""
    criteria = corpus_criteria(gs, corpus_scores)
    baseline_info = None
    if gs.baseline:
        from mtqa.config import DEFAULT_MQM_WEIGHTS

        crit, baseline_info = baseline_criteria(gs, documents, weights or DEFAULT_MQM_WEIGHTS, baseline)
        criteria.extend(crit)
    for doc in documents:
        crit = document_criteria(gs, doc)
        doc["verdict"] = "pass" if all(c["passed"] for c in crit) else "fail"
        criteria.extend(crit)
    out: dict = {"passed": all(c["passed"] for c in criteria), "criteria": criteria}
    if baseline_info is not None:
        out["baseline"] = baseline_info
    return out
