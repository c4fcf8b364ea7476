"""The contract between mtqa's sacrebleu adapter (``mtqa.scores.sacrebleu_stats``) and sacrebleu's
internals, checked against whichever sacrebleu this interpreter imports.

``tests/test_sacrebleu_contract.py`` runs this file in a subprocess whose ``PYTHONPATH`` puts one
sacrebleu version first (the oldest and the newest that ``pyproject.toml`` allows). It prints one
JSON object (``version``, ``path``, ``failures``) and exits 1 when anything differs: a private method
gone, statistics of another shape, a score or a signature that is not sacrebleu's public one.
"""

from __future__ import annotations

import json
import sys
from numbers import Number

import numpy as np
import sacrebleu
from sacrebleu.metrics.base import Metric
from sacrebleu.significance import PairedTest

PRIVATE = ("_extract_corpus_statistics", "_aggregate_and_compute", "_compute_score_from_stats")
# Statistics per segment: BLEU 2 + 2 × 4 n-gram orders; chrF 3 × 6 character orders (+ 2 word
# orders for chrF++); TER edits and reference length.
WIDTH = {"bleu": 10, "chrf": 18, "chrf++": 24, "ter": 2}

HYPS = [
    "Le chat est assis sur le tapis.",
    "Le gouvernement a annoncé mardi un plan de 3,5 milliards d’euros.",
    "« Nous ne céderons pas », a-t-il déclaré.",
    "",
    "Les prix ont augmenté de 3,5 % en un an.",
    "Le chat est assis sur le tapis.",
    "Kyiv et Kharkiv ont été visées par des drones pendant la nuit .",
    "Une phrase sans référence.",
]
REFS = [
    "Le chat est sur le tapis.",
    "Mardi, le gouvernement a dévoilé un plan de 3,5 milliards d’euros.",
    "« Nous ne céderons pas », a-t-il affirmé.",
    "Rien n’a été traduit ici.",
    "Les prix ont progressé de 3,5 % sur un an.",
    "Le chat est sur le tapis.",
    "Kyiv et Kharkiv ont été visées par des drones dans la nuit.",
    "",
]
OTHER = [h.replace("Le ", "Un ").replace("drones", "missiles") for h in HYPS]

failures: list[str] = []


def check(ok: bool, what: str) -> None:
    if not ok:
        failures.append(what)


def scorers() -> dict:
    """mtqa's sacrebleu scorers, as its registry builds them (default settings, and BLEU intl)."""
    from mtqa.config import Settings
    from mtqa.scores.base import SACREBLEU, ScoreContext
    from mtqa.scores.registry import SCORERS, get_scorer

    out = {}
    for name in SCORERS:
        cls = get_scorer(name)
        if cls.kind == SACREBLEU:
            out[name] = lambda cls=cls, s=Settings(): cls(ScoreContext(settings=s))
    out["bleu-intl"] = lambda: get_scorer("bleu")(ScoreContext(settings=Settings(tokenize="intl")))
    return out


def check_shape(name: str, rows: list) -> None:
    check(isinstance(rows, list) and len(rows) == len(HYPS), f"{name}: one statistics row per segment")
    widths = {len(r) for r in rows}
    check(widths == {WIDTH[name.split("-")[0]]}, f"{name}: statistics rows of width {widths}, expected {WIDTH[name.split('-')[0]]}")
    check(all(isinstance(v, Number) and not isinstance(v, bool) for r in rows for v in r), f"{name}: statistics are numbers")
    check(np.array(rows, dtype="float32").shape == (len(HYPS), max(widths)), f"{name}: statistics form a matrix")


def check_scores(name: str, make) -> None:
    from mtqa.scores import sacrebleu_stats as sb

    scorer = make()
    metric, seg_metric = scorer.corpus_metric(), scorer.segment_metric()
    table: dict = {}
    rows = sb.statistics(metric, HYPS, REFS, table)
    check_shape(name, rows)
    public, public_seg = make().corpus_metric(), make().segment_metric()
    whole = public.corpus_score(HYPS, [REFS])
    check(sb.aggregate(metric, rows).score == whole.score, f"{name}: corpus score differs from corpus_score")
    check(sb.aggregate(metric, rows).name == scorer.label, f"{name}: sacrebleu names it {whole.name!r}, mtqa {scorer.label!r}")
    check(sb.signature(metric) == public.get_signature().format(), f"{name}: signature differs from corpus_score's")
    check("nrefs:1" in sb.signature(metric), f"{name}: num_refs is not in the signature")
    part = public.corpus_score(HYPS[1:5], [REFS[1:5]]).score
    check(sb.aggregate(metric, rows[1:5]).score == part, f"{name}: document score differs from corpus_score")
    if seg_metric is not metric:
        sb.share_references(seg_metric, metric)
    for i, (h, r) in enumerate(zip(HYPS, REFS)):
        expected = public_seg.sentence_score(h, [r]).score
        check(sb.segment_score(seg_metric, rows[i]) == expected, f"{name}: segment {i} differs from sentence_score")
    check(sb.signature(seg_metric) == public_seg.get_signature().format(), f"{name}: segment signature differs")
    direct = make().corpus_metric()._extract_corpus_statistics(HYPS, [REFS])
    saved, sb.STATS_CHUNK = sb.STATS_CHUNK, 3
    try:
        chunked = sb.extract(make().corpus_metric(), HYPS, REFS)
    finally:
        sb.STATS_CHUNK = saved
    check(np.array_equal(np.array(chunked, dtype=float), np.array(direct, dtype=float)), f"{name}: chunked statistics differ")
    check(len(table) == len(set(zip(HYPS, REFS))), f"{name}: the cache holds each distinct pair once")


def check_paired_test(name: str, make) -> None:
    """PairedTest on the adapter's cached metric gives what it gives on sacrebleu's own metric."""
    from mtqa.scores import sacrebleu_stats as sb

    systems = [("a", HYPS), ("b", OTHER), ("ref", [r or "x" for r in REFS])]
    for test, n in (("bs", 200), ("ar", 300)):
        n_ar = 0 if test == "ar" else -1
        plain_sigs, plain = PairedTest(systems, {name: make().corpus_metric()}, [REFS], test_type=test,
                                       n_samples=n, n_ar_confidence=n_ar)()
        cached = sb.CachedMetric(make().corpus_metric(), {})
        sigs, ours = PairedTest(systems, {name: cached}, [REFS], test_type=test, n_samples=n, n_ar_confidence=n_ar)()
        label = make().label
        check(label in ours, f"{name}: PairedTest result names {list(ours)}, not {label!r}")
        if label not in ours or label not in plain:
            continue
        for a, b in zip(plain[label], ours[label]):
            same = all(getattr(a, k) == getattr(b, k) for k in ("score", "p_value", "mean", "ci"))
            check(same, f"{name}: PairedTest {test} on the cached metric differs ({a} vs {b})")
        check(sigs[label].format() == plain_sigs[label].format(), f"{name}: PairedTest {test} signature differs")


def main() -> int:
    for method in PRIVATE:
        check(callable(getattr(Metric, method, None)), f"sacrebleu.metrics.base.Metric.{method} is gone")
    if not failures:
        for name, make in scorers().items():
            check_scores(name, make)
            check_paired_test(name, make)
    print(json.dumps({"version": sacrebleu.__version__, "path": sacrebleu.__file__, "failures": failures}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
