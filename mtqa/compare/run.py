"""``mtqa compare``: scores, ranks and paired significance tests of every system against the first.

Every score of the registry (``mtqa.scores.registry``) can be compared; its scorer's metadata gives
the label, the direction and which of two procedures applies:

* sacrebleu scores (BLEU, chrF, chrF++, TER: ``kind == SACREBLEU``): ``sacrebleu.significance.
  PairedTest`` itself — paired bootstrap resampling (``--paired-bs``, Koehn 2004, 1,000 resamples)
  or approximate randomization (``--paired-ar``, 10,000 trials), seed 12345 (``SACREBLEU_SEED``),
  the numbers sacrebleu's ``--paired-bs``/``--paired-ar`` print for the same files.
* scores that are a mean of segment scores (adequacy, adequacy-ref, COMET: ``kind == SEGMENTS``,
  per line from ``Scorer.line_scores``): the same procedures in ``mtqa.quality.significance`` with
  the same resample count and seed.

Each system's sufficient statistics are extracted once per segment (one statistics cache, the
sacrebleu adapter's: ``mtqa.scores.sacrebleu_stats``), optionally in worker processes, and shared
by the corpus test and the per-document tests; the source and reference are embedded once for all
systems (the embedder's cache).

Documents (``--docids``): scores per document, and with ``--by-doc`` for each system the
documents (of at least 5 lines) where it is most below the baseline on the first metric, each
tested with the same paired test restricted to the document's lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import numpy as np

from mtqa.compare.inputs import Inputs
from mtqa.config import Settings
from mtqa.errors import ConfigError
from mtqa.scores import sacrebleu_stats as sb
from mtqa.scores.base import ScoreContext, Scorer
from mtqa.scores.bleu import SacrebleuScorer
from mtqa.scores.registry import SCORERS, get_scorer

DEFAULT_METRICS = ("bleu", "chrf", "ter", "adequacy", "adequacy-ref", "rank-ref")
SEED = 12345
DOC_SAMPLES = 1000
MIN_DOC_LINES = 5  # --by-doc ranks and tests documents of at least this many lines

Progress = Callable[[str], None]


@dataclass
class _Run:
    """One comparison: its settings, its scorers and what the steps compute."""

    inputs: Inputs
    settings: Settings
    metrics: list[str]
    test: str  # "bs" or "ar"
    n: int  # resamples or trials
    alpha: float
    say: Progress
    lexical: dict[str, SacrebleuScorer]  # sacrebleu scores, in the order asked
    segment: dict[str, Scorer]  # mean-of-segments scores, in the order asked
    cache: sb.StatsCache = field(default_factory=dict)
    seg_values: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # {metric: {system: per line}}
    meta: dict[str, dict] = field(default_factory=dict)
    table: dict[str, dict[str, dict]] = field(default_factory=dict)  # {system: {metric: cell}}

    @property
    def names(self) -> list[str]:
        return [s[0] for s in self.inputs.systems]

    @property
    def baseline(self) -> str:
        return self.inputs.systems[0][0]

    def stats(self, m: str) -> sb.StatsTable:
        return self.cache.setdefault(m, {})

    def paired_metric(self, m: str) -> sb.CachedMetric:
        """The sacrebleu metric of ``m`` for ``PairedTest``, its statistics from the cache."""
        return sb.CachedMetric(self.lexical[m].corpus_metric(), self.stats(m))


def run_compare(inputs: Inputs, settings: Settings, metrics: list[str], test: str = "bs", n_samples: int = 0,
                alpha: float = 0.05, by_doc: bool = False, top: int = 5, jobs: int = 1,
                progress: Progress | None = None) -> dict:
    """Scores, ranks and paired tests of every system against the first one; a JSON-ready dict."""
    started = time.perf_counter()
    run = _prepare(inputs, settings, metrics, test, n_samples, alpha, progress or (lambda msg: None))
    timings: dict[str, float] = {}
    t = time.perf_counter()
    _statistics(run, jobs)  # 1. sufficient statistics and segment scores of every system
    timings["scores_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    run.say("significance tests")  # 2. corpus-level paired tests, then ranks
    _lexical_tests(run)
    _segment_tests(run)
    _rank(run)
    timings["tests_s"] = round(time.perf_counter() - t, 2)
    result: dict = {
        "baseline": run.baseline,
        "test": {"type": "paired-bs" if test == "bs" else "paired-ar", "samples": run.n, "seed": SEED, "alpha": alpha},
        "lines": len(inputs.source),
        "metrics": {m: run.meta[m] for m in metrics},
        "systems": [{"name": s, "scores": run.table[s]} for s in run.names],
    }
    if inputs.docs:  # 3. documents
        t = time.perf_counter()
        result["documents"] = _documents(run, by_doc, top)
        timings["documents_s"] = round(time.perf_counter() - t, 2)
    timings["total_s"] = round(time.perf_counter() - started, 2)
    result["timing"] = timings
    return result


def _prepare(inputs: Inputs, settings: Settings, metrics: list[str], test: str, n_samples: int, alpha: float,
             say: Progress) -> _Run:
    unknown = [m for m in metrics if m not in SCORERS]
    if unknown:
        raise ConfigError(f"unknown metric(s) {', '.join(unknown)} (choose from {', '.join(SCORERS)})")
    if test not in ("bs", "ar"):
        raise ConfigError(f"unknown test {test!r}")
    n = n_samples if n_samples > 0 else (1000 if test == "bs" else 10000)
    run = _Run(inputs, settings, metrics, test, n, alpha, say, {}, {})
    ctx = ScoreContext(settings=settings, stats_cache=run.cache)
    for m in metrics:
        scorer = get_scorer(m)(ctx)
        if isinstance(scorer, SacrebleuScorer):
            scorer.corpus_metric()  # a bad --tokenize fails here, before any work
            run.lexical[m] = scorer
        else:
            run.segment[m] = scorer
    run.table = {s: {} for s in run.names}
    return run


# ---------------------------------------------------------------------------------------------
# 1. statistics and segment scores


def _stats_job(name: str, settings: Settings, hyps: list[str], refs: list[str]) -> list:
    """Worker: sacrebleu's per-segment statistics of one system for one metric."""
    metric = get_scorer(name)(ScoreContext(settings=settings)).corpus_metric()
    return sb.statistics(metric, hyps, refs, {})


def _statistics(run: _Run, jobs: int) -> None:
    """sacrebleu statistics of every system into the cache, in worker processes when asked (TER is
    slow; the segment scores are computed here meanwhile); then the segment scores."""
    refs = run.inputs.ref
    if run.lexical and (jobs > 1 or run.settings.dask):
        systems = dict(run.inputs.systems)
        with _pool(run.settings, jobs) as pool:
            futs = {(m, s): pool.submit(_stats_job, m, run.settings, hyps, refs)
                    for m in run.lexical for s, hyps in run.inputs.systems}
            _segment_values(run)
            for (m, s), fut in futs.items():
                sb.add(run.stats(m), list(zip(systems[s], refs)), fut.result())
                run.say(f"{m}: {s}")
        return
    for m, scorer in run.lexical.items():
        for s, hyps in run.inputs.systems:
            run.say(f"{m}: {s}")
            sb.statistics(scorer.corpus_metric(), hyps, refs, run.stats(m))
    _segment_values(run)


def _pool(settings: Settings, jobs: int) -> Any:
    """Where the statistics jobs run: a Dask cluster (``--dask``; ``local``: --jobs workers, one
    per core when --jobs is 1), else ``jobs`` forked processes."""
    if settings.dask:
        from mtqa.pipeline.cluster import executor

        return executor(settings.dask, jobs if jobs > 1 else 0)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork"))


def _segment_values(run: _Run) -> None:
    for m, scorer in run.segment.items():
        values: dict[str, np.ndarray] = {}
        for s, hyps in run.inputs.systems:
            run.say(f"{m}: {s}")
            values[s] = scorer.line_scores(run.inputs.source, run.inputs.ref, hyps)
        run.seg_values[m] = values


# ---------------------------------------------------------------------------------------------
# 2. corpus-level tests and ranks


def _f(x: Any) -> float | None:
    return None if x is None else float(x)


def _paired_test(named: list[tuple[str, list[str]]], metrics: dict[str, Any], refs: list[str],
                 test: str, n: int, n_ar_confidence: int) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """sacrebleu's ``PairedTest``: (signatures, {label: [baseline result, system results…]})."""
    from sacrebleu.significance import PairedTest

    runner: Any = PairedTest(list(named), metrics, [refs], test_type=test, n_samples=n,
                             n_ar_confidence=n_ar_confidence)
    return runner()


def _lexical_tests(run: _Run) -> None:
    """sacrebleu's ``PairedTest`` on every sacrebleu score at once, as its CLI runs it."""
    if not run.lexical:
        return
    sigs, results = _paired_test(run.inputs.systems, {m: run.paired_metric(m) for m in run.lexical},
                                 run.inputs.ref, run.test, run.n, 0 if run.test == "ar" else -1)
    for m, scorer in run.lexical.items():
        label = scorer.label
        if label not in results:
            raise RuntimeError(f"sacrebleu names its scores {', '.join(results)}: none is {label!r}, "
                               f"the label of the {m!r} scorer")
        run.meta[m] = {"label": label, "signature": sigs[label].format(), "higher_is_better": scorer.higher_is_better}
        res_list = results[label]
        base_score = res_list[0].score
        for s, r in zip(run.names, res_list):
            run.table[s][m] = {"score": float(r.score), "mean": _f(r.mean), "ci": _f(r.ci),
                               "p_value": _f(r.p_value), "delta": float(r.score - base_score)}


def _segment_test(base: np.ndarray, sys: np.ndarray, test: str, n: int) -> dict:
    from mtqa.quality.significance import paired_approximate_randomization, paired_bootstrap

    mask = ~np.isnan(base) & ~np.isnan(sys)
    b, s = base[mask], sys[mask]
    bs = paired_bootstrap(b, s, resamples=n if test == "bs" else 1000, seed=SEED)
    if test == "ar":
        ar = paired_approximate_randomization(b, s, trials=n, seed=SEED)
        bs["p_value"] = ar["p_value"]
    return bs


def _segment_tests(run: _Run) -> None:
    """mtqa.quality.significance on the mean-of-segments scores, the same procedure and seed."""
    from mtqa.quality.significance import estimate_ci

    for m, values in run.seg_values.items():
        scorer = run.segment[m]
        run.meta[m] = {"label": scorer.label, "signature": f"{scorer.line_signature()}|seed:{SEED}|{run.test}:{run.n}",
                       "higher_is_better": scorer.higher_is_better}
        base = values[run.baseline]
        for s in run.names:
            vals = values[s]
            score = float(np.nanmean(vals))
            if s == run.baseline:
                rng = np.random.default_rng(SEED)
                clean = base[~np.isnan(base)]
                idx = rng.choice(len(clean), size=(run.n if run.test == "bs" else 1000, len(clean)), replace=True)
                mean, ci = estimate_ci(clean[idx].mean(axis=1))
                run.table[s][m] = {"score": score, "mean": mean, "ci": ci, "p_value": None, "delta": 0.0}
            else:
                r = _segment_test(base, vals, run.test, run.n)
                run.table[s][m] = {"score": score, "mean": r["system_mean"], "ci": r["system_ci"],
                                   "p_value": r["p_value"], "delta": score - float(np.nanmean(base))}


def _rank(run: _Run) -> None:
    """Rank, significance mark and verdict against the baseline of every cell."""
    for m in run.metrics:
        hib = run.meta[m]["higher_is_better"]
        order = sorted(run.names, key=lambda s: -run.table[s][m]["score"] if hib else run.table[s][m]["score"])
        for rank, s in enumerate(order, 1):
            cell = run.table[s][m]
            cell["rank"] = rank
            p = cell["p_value"]
            cell["significant"] = bool(p is not None and p < run.alpha)
            better = cell["delta"] > 0 if hib else cell["delta"] < 0
            cell["vs_baseline"] = ("better" if better else "worse") if cell["significant"] else (
                "baseline" if s == run.baseline else "not significant")


# ---------------------------------------------------------------------------------------------
# 3. documents


def _doc_score(run: _Run, m: str, system: str, lines: list[int]) -> float:
    if m in run.lexical:
        metric = run.lexical[m].corpus_metric()
        hyps = dict(run.inputs.systems)[system]
        stats = sb.statistics(metric, [hyps[i] for i in lines], [run.inputs.ref[i] for i in lines], run.stats(m))
        return float(sb.aggregate(metric, stats).score)
    vals = run.seg_values[m][system][lines]
    return float(np.nanmean(vals)) if np.any(~np.isnan(vals)) else float("nan")


def _documents(run: _Run, by_doc: bool, top: int) -> dict:
    """Per-document scores of every system; with ``by_doc`` the documents most below the baseline."""
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for doc, lines in run.inputs.docs:
        scores[doc] = {s: {m: _doc_score(run, m, s, lines) for m in run.metrics} for s in run.names}
    out: dict = {"count": len(run.inputs.docs), "scores": scores}
    if not by_doc:
        return out
    primary = run.metrics[0]
    samples = DOC_SAMPLES if run.test == "bs" else 10000
    worse = {}
    for s in run.names[1:]:
        run.say(f"documents: {s}")
        worse[s] = [_doc_row(run, scores, s, doc, primary, samples) for doc in _most_below(run, scores, s, primary, top)]
    out["worse_than_baseline"] = {"metric": primary, "top": top, "samples": samples,
                                  "min_lines": MIN_DOC_LINES, "systems": worse}
    return out


def _most_below(run: _Run, scores: dict, system: str, primary: str, top: int) -> list[str]:
    """The (at most ``top``) documents where ``system`` is most below the baseline on ``primary``."""
    hib = run.meta[primary]["higher_is_better"]
    deltas = []
    for doc, doc_lines in run.inputs.docs:
        if len(doc_lines) < MIN_DOC_LINES:  # a resample of 1-4 lines says nothing
            continue
        d = scores[doc][system][primary] - scores[doc][run.baseline][primary]
        if not np.isnan(d):
            deltas.append((d if hib else -d, doc))  # negative = worse than the baseline
    deltas.sort()
    return [doc for gain, doc in deltas[:top] if gain < 0]


def _doc_row(run: _Run, scores: dict, s: str, doc: str, primary: str, samples: int) -> dict:
    """One document below the baseline, with the paired test restricted to its lines."""
    lines = dict(run.inputs.docs)[doc]
    baseline = run.baseline
    row: dict = {"document": doc, "lines": len(lines), "metric": primary,
                 "baseline": scores[doc][baseline][primary], "system": scores[doc][s][primary],
                 "delta": scores[doc][s][primary] - scores[doc][baseline][primary]}
    if primary in run.lexical:
        systems = dict(run.inputs.systems)
        named = [(baseline, [systems[baseline][i] for i in lines]), (s, [systems[s][i] for i in lines])]
        _, res = _paired_test(named, {primary: run.paired_metric(primary)}, [run.inputs.ref[i] for i in lines],
                              run.test, samples, -1)
        row["p_value"] = float(res[run.meta[primary]["label"]][1].p_value)
    else:
        vals = run.seg_values[primary]
        row["p_value"] = float(_segment_test(vals[baseline][lines], vals[s][lines], run.test, samples)["p_value"])
    row["significant"] = row["p_value"] < run.alpha
    return row
