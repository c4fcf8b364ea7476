"""The gate's baseline: fail only on a significant regression against an earlier report.

A paired bootstrap (``mtqa.quality.significance``) on per-segment scores and per-segment MQM
penalties; segments are matched by document id + index with the same source, else by source text.
A score's direction is its scorer's (``mtqa.scores.registry``); the MQM penalty is lower-is-better.
"""

from __future__ import annotations

from mtqa.config import GateSettings
from mtqa.quality.criterion import criterion
from mtqa.scores.registry import higher_is_better

PENALTY = "mqm_penalty"  # the series of per-segment MQM penalties (lower is better)
BASELINE_RESAMPLES = 1000
BASELINE_SEED = 12345


def load_baseline(path: str, kind: str = "baseline") -> dict:
    """An earlier JSON report, validated against the schema (``kind`` names it in errors)."""
    from jsonschema import ValidationError

    from mtqa.errors import InputError
    from mtqa.inputs.textio import read_text
    from mtqa.limits import loads_json
    from mtqa.report.schema import validate

    text = read_text(path)
    report = loads_json(text, path, f"{kind} is ")
    try:
        validate(report)
    except ValidationError as e:  # one line is enough to say what is wrong
        where = "/".join(str(p) for p in e.absolute_path)
        raise InputError(f"{path}: not an mtqa JSON report ({where or 'top level'}: {e.message})") from None
    return report


def _segment_penalties(doc: dict, weights: dict[str, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for f in doc["findings"]:
        if f.get("waived"):  # an accepted finding counts in neither run
            continue
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


def _series(pairs: list, baseline: dict, documents: list[dict], weights: dict[str, float]
            ) -> dict[str, tuple[list[float], list[float]]]:
    """{score or PENALTY: (baseline values, current values)} over the paired segments, for every
    score both sides have on every pair."""
    metrics = sorted(set.intersection(*[set(b[1]["scores"]) & set(c[1]["scores"]) for b, c in pairs]))
    series: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in metrics}
    pen_b = {d["id"]: _segment_penalties(d, weights) for d in baseline["documents"]}
    pen_c = {d["id"]: _segment_penalties(d, weights) for d in documents}
    series[PENALTY] = ([], [])
    for (bd, bs), (cd, cs) in pairs:
        for m in metrics:
            series[m][0].append(bs["scores"][m])
            series[m][1].append(cs["scores"][m])
        series[PENALTY][0].append(pen_b[bd["id"]].get(bs["index"], 0.0))
        series[PENALTY][1].append(pen_c[cd["id"]].get(cs["index"], 0.0))
    return series


def _regression(gs: GateSettings, m: str, b: list[float], s: list[float]) -> tuple[dict, dict]:
    """(criterion, test summary) of one series: a regression is worse with p below the alpha."""
    from mtqa.quality.significance import paired_bootstrap

    r = paired_bootstrap(b, s, resamples=BASELINE_RESAMPLES, seed=BASELINE_SEED)
    lower_is_better = m == PENALTY or not higher_is_better(m)
    worse = r["delta"] > 0 if lower_is_better else r["delta"] < 0
    regression = bool(worse and r["p_value"] < gs.baseline_alpha)
    direction = "worse" if worse else "better or equal"
    verdict = (f"significant regression (p={r['p_value']:.3f} < {gs.baseline_alpha:g})" if regression
               else f"not a significant regression (p={r['p_value']:.3f})" if worse else "no regression")
    msg = (f"baseline {m}: mean per segment {sum(s) / len(s):.2f} vs {sum(b) / len(b):.2f} "
           f"(Δ {r['delta']:+.2f}, 95% CI {r['ci_low']:+.2f}…{r['ci_high']:+.2f}, {direction}, "
           f"{len(b)} paired segments): {verdict}")
    test = {k: round(float(v), 6) for k, v in r.items() if k in ("delta", "p_value", "ci_low", "ci_high")}
    return criterion(f"baseline:{m}", gs.baseline_alpha, round(r["delta"], 4), not regression, msg), test


def baseline_criteria(gs: GateSettings, documents: list[dict], weights: dict[str, float],
                      baseline: dict | None = None) -> tuple[list[dict], dict]:
    """The gate's baseline criteria (one per score, one for the MQM penalty) and the report's
    ``gate.baseline`` object."""
    from mtqa.errors import InputError

    if baseline is None:
        if not gs.baseline:
            raise ValueError("baseline_criteria needs a baseline report or [gate] baseline")
        baseline = load_baseline(gs.baseline)
    pairs = match_segments(baseline, documents)
    current_segments = sum(len(d["segments"]) for d in documents)
    if not pairs:
        raise InputError(f"{gs.baseline}: the baseline report shares no segment (same source text) with this run")
    out = []
    tests = {}
    for m, (b, s) in _series(pairs, baseline, documents, weights).items():
        crit, tests[m] = _regression(gs, m, b, s)
        out.append(crit)
    info = {"path": gs.baseline, "paired_segments": len(pairs), "unpaired_segments": current_segments - len(pairs),
            "alpha": gs.baseline_alpha, "resamples": BASELINE_RESAMPLES, "seed": BASELINE_SEED, "tests": tests}
    return out, info
