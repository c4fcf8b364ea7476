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


# ---------------------------------------------------------------------------------------------
# Baseline: fail only on a significant regression against an earlier report (paired bootstrap of
# mtqa.quality.significance on per-segment scores and per-segment MQM penalties; segments matched by
# document id + index with the same source, else by source text).

LOWER_IS_BETTER = {"ter", "mqm_penalty"}
BASELINE_RESAMPLES = 1000
BASELINE_SEED = 12345


def load_baseline(path: str) -> dict:
    import json

    from mtqa.errors import InputError
    from mtqa.inputs.textio import read_text
    from mtqa.report.schema import validate

    text = read_text(path)
    try:
        report = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}: baseline is not valid JSON ({e.msg})") from None
    try:
        validate(report)
    except Exception as e:  # jsonschema.ValidationError: one line is enough to say what is wrong
        where = "/".join(str(p) for p in getattr(e, "absolute_path", []))
        raise InputError(f"{path}: not an mtqa JSON report ({where or 'top level'}: {getattr(e, 'message', e)})") from None
    return report


def _segment_penalties(doc: dict, weights: dict[str, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for f in doc["findings"]:
        out[f["segment"]] = out.get(f["segment"], 0.0) + weights.get(f["severity"], 0.0)
    return out


def match_segments(baseline: dict, documents: list[dict]) -> list[tuple[tuple[dict, dict], tuple[dict, dict]]]:
    """Pairs ((baseline doc, seg), (current doc, seg)) for segments with the same source text."""
    by_pos = {(d["id"], s["index"]): (d, s) for d in baseline["documents"] for s in d["segments"]}
    by_source: dict[str, list[tuple[dict, dict]]] = {}
    for d in baseline["documents"]:
        for s in d["segments"]:
            by_source.setdefault(s["source"], []).append((d, s))
    used: set[tuple[str, int]] = set()
    pairs = []
    for d in documents:
        for s in d["segments"]:
            if not s["source"]:
                continue
            cand = by_pos.get((d["id"], s["index"]))
            if cand is None or cand[1]["source"] != s["source"] or (d["id"], s["index"]) in used:
                cand = next((c for c in by_source.get(s["source"], []) if (c[0]["id"], c[1]["index"]) not in used), None)
            if cand is None:
                continue
            used.add((cand[0]["id"], cand[1]["index"]))
            pairs.append((cand, (d, s)))
    return pairs


def baseline_criteria(gs: GateSettings, documents: list[dict], weights: dict[str, float],
                      baseline: dict | None = None) -> tuple[list[dict], dict]:
    from mtqa.errors import InputError
    from mtqa.quality.significance import paired_bootstrap

    if baseline is None:
        baseline = load_baseline(gs.baseline)
    pairs = match_segments(baseline, documents)
    current_segments = sum(len(d["segments"]) for d in documents)
    if not pairs:
        raise InputError(f"{gs.baseline}: the baseline report shares no segment (same source text) with this run")
    metrics = sorted(set.intersection(*[set(b[1]["scores"]) & set(c[1]["scores"]) for b, c in pairs]))
    series: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in metrics}
    pen_b = {d["id"]: _segment_penalties(d, weights) for d in baseline["documents"]}
    pen_c = {d["id"]: _segment_penalties(d, weights) for d in documents}
    series["mqm_penalty"] = ([], [])
    for (bd, bs), (cd, cs) in pairs:
        for m in metrics:
            series[m][0].append(bs["scores"][m])
            series[m][1].append(cs["scores"][m])
        series["mqm_penalty"][0].append(pen_b[bd["id"]].get(bs["index"], 0.0))
        series["mqm_penalty"][1].append(pen_c[cd["id"]].get(cs["index"], 0.0))
    out = []
    tests = {}
    for m, (b, s) in series.items():
        r = paired_bootstrap(b, s, resamples=BASELINE_RESAMPLES, seed=BASELINE_SEED)
        worse = r["delta"] > 0 if m in LOWER_IS_BETTER else r["delta"] < 0
        regression = bool(worse and r["p_value"] < gs.baseline_alpha)
        direction = "worse" if worse else "better or equal"
        verdict = (f"significant regression (p={r['p_value']:.3f} < {gs.baseline_alpha:g})" if regression
                   else f"not a significant regression (p={r['p_value']:.3f})" if worse else "no regression")
        msg = (f"baseline {m}: mean per segment {sum(s) / len(s):.2f} vs {sum(b) / len(b):.2f} "
               f"(Δ {r['delta']:+.2f}, 95% CI {r['ci_low']:+.2f}…{r['ci_high']:+.2f}, {direction}, "
               f"{len(b)} paired segments): {verdict}")
        out.append(_criterion(f"baseline:{m}", gs.baseline_alpha, round(r["delta"], 4), not regression, msg))
        tests[m] = {k: round(float(v), 6) for k, v in r.items() if k in ("delta", "p_value", "ci_low", "ci_high")}
    info = {"path": gs.baseline, "paired_segments": len(pairs), "unpaired_segments": current_segments - len(pairs),
            "alpha": gs.baseline_alpha, "resamples": BASELINE_RESAMPLES, "seed": BASELINE_SEED, "tests": tests}
    return out, info
