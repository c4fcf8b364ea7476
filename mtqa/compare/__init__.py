"""``mtqa compare``: rank several MT systems on one test set, with paired significance tests.

Inputs are line-aligned like sacrebleu's (line i of every system translates line i of the source;
the reference has one line per source line); the first system is the baseline.

* BLEU, chrF, chrF++ and TER: ``sacrebleu.significance.PairedTest`` itself — paired bootstrap
  resampling (``--paired-bs``, Koehn 2004, 1,000 resamples) or approximate randomization
  (``--paired-ar``, 10,000 trials), seed 12345 (``SACREBLEU_SEED``), the numbers sacrebleu's
  ``--paired-bs``/``--paired-ar`` print for the same files.
* adequacy, adequacy-ref, COMET (scores that are a mean of segment scores): the same procedures in
  ``mtqa.quality.significance`` with the same resample count and seed.

Each system's sufficient statistics are extracted once per segment (a memo on the sacrebleu
metric), optionally in worker processes, and shared by the corpus test and the per-document
tests; the source and reference are embedded once for all systems (the embedder's cache).

Documents (``--docids``): scores per document, and with ``--by-doc`` for each system the
documents (of at least 5 lines) where it is most below the baseline on the first metric, each
tested with the same paired test restricted to the document's lines.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from mtqa.config import Settings
from mtqa.errors import ConfigError, InputError
from mtqa.inputs.textio import read_text

LEXICAL = ("bleu", "chrf", "chrf++", "ter")
SEGMENT_LEVEL = ("adequacy", "adequacy-ref", "comet")
DEFAULT_METRICS = ("bleu", "chrf", "ter", "adequacy", "adequacy-ref")
LOWER_IS_BETTER = {"ter"}
SEED = 12345

Progress = Callable[[str], None]


# ---------------------------------------------------------------------------------------------
# sacrebleu metrics whose per-segment statistics are computed once per (hypothesis, reference)

_MEMO: weakref.WeakKeyDictionary[Any, dict] = weakref.WeakKeyDictionary()


class _SegmentStatsMemo:
    """Mixin for a sacrebleu ``Metric``: remember each segment's sufficient statistics.

    ``PairedTest`` and the per-document tests ask for the statistics of the same segments many
    times; sacrebleu's own extraction runs once per distinct (hypothesis, references) pair."""

    def _extract_corpus_statistics(self, hypotheses, references):
        if references is None:
            return super()._extract_corpus_statistics(hypotheses, references)
        memo = _MEMO.setdefault(self, {})
        keys = [(h, tuple(r)) for h, r in zip(hypotheses, zip(*references))]
        missing = [k for k in dict.fromkeys(keys) if k not in memo]
        if missing:
            n_refs = len(missing[0][1])
            stats = super()._extract_corpus_statistics(
                [k[0] for k in missing], [[k[1][i] for k in missing] for i in range(n_refs)])
            memo.update(zip(missing, stats))
        self.num_refs = len(references)  # what sacrebleu's reference caching records for the signature
        return [memo[k] for k in keys]


def _metric(name: str, tokenize: str) -> Any:
    from sacrebleu.metrics import BLEU, CHRF, TER

    if name == "bleu":
        if tokenize not in BLEU.TOKENIZERS:
            raise ConfigError(f"unknown sacrebleu tokenizer {tokenize!r} (choose from {', '.join(BLEU.TOKENIZERS)})")
        cls, kw = BLEU, {"tokenize": tokenize}
    elif name == "chrf":
        cls, kw = CHRF, {}
    elif name == "chrf++":
        cls, kw = CHRF, {"word_order": 2}
    else:
        cls, kw = TER, {}
    memo_cls = type(f"Memo{cls.__name__}", (_SegmentStatsMemo, cls), {})
    return memo_cls(**kw)


def _stats_job(name: str, tokenize: str, hyps: list[str], refs: list[str]) -> list:
    """Worker: sacrebleu's per-segment statistics of one system for one metric."""
    return _metric(name, tokenize)._extract_corpus_statistics(hyps, [refs])


# ---------------------------------------------------------------------------------------------


@dataclass
class Inputs:
    source: list[str]
    ref: list[str]
    systems: list[tuple[str, list[str]]]
    docs: list[tuple[str, list[int]]] = field(default_factory=list)  # (doc id, line indexes)


def _lines(path: str) -> list[str]:
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip("\r") for line in lines]


def system_names(paths: list[str]) -> list[str]:
    """Readable unique names: the file name without .fr/.txt, else the path."""
    names = []
    for p in paths:
        n = Path(p).name
        for suffix in (".txt", ".fr", ".sgm"):
            if n.endswith(suffix) and len(n) > len(suffix):
                n = n[: -len(suffix)]
        names.append(n)
    if len(set(names)) < len(names):
        return list(paths)
    return names


def load_inputs(source: str, ref: str, systems: list[str], docids: str | None = None) -> Inputs:
    if len(systems) < 2:
        raise InputError("compare needs at least two systems (the first one is the baseline)")
    if len(set(systems)) < len(systems):
        raise InputError("the same system file is given twice")
    src = _lines(source)
    refs = _lines(ref)
    sys_lines = [_lines(p) for p in systems]
    counts = {source: len(src), ref: len(refs), **{p: len(s) for p, s in zip(systems, sys_lines)}}
    if len(set(counts.values())) > 1:
        detail = ", ".join(f"{p}: {n}" for p, n in counts.items() if n != len(src))
        raise InputError(f"compare needs line-aligned files with the same number of lines: {source} has "
                         f"{len(src)} lines, but {detail}")
    if not src:
        raise InputError(f"{source}: no lines to compare")
    inputs = Inputs(src, refs, list(zip(system_names(systems), sys_lines)))
    if docids:
        from mtqa.inputs.batch import read_docids

        ids = read_docids(docids)
        if len(ids) != len(src):
            raise InputError(f"{docids}: {len(ids)} document ids for {len(src)} lines")
        order: dict[str, list[int]] = {}
        for i, d in enumerate(ids):
            order.setdefault(d, []).append(i)
        inputs.docs = list(order.items())
    return inputs


# ---------------------------------------------------------------------------------------------
# per-segment scores of the embedding / neural metrics


def _segment_scores(name: str, inputs: Inputs, settings: Settings, progress: Progress) -> dict[str, np.ndarray]:
    """{system: per-line score (NaN where the line is not scored)}."""
    out: dict[str, np.ndarray] = {}
    if name in ("adequacy", "adequacy-ref"):
        from mtqa.embed import get_embedder
        from mtqa.scores.adequacy import line_scores

        emb = get_embedder(settings.embedder)
        base = inputs.source if name == "adequacy" else inputs.ref
        kind = "src-mt" if name == "adequacy" else "mt-ref"
        for sys_name, hyps in inputs.systems:
            progress(f"{name}: {sys_name}")
            out[sys_name] = line_scores(emb, base, hyps, kind)
        return out
    # comet
    from mtqa.scores.comet import load_model

    if not settings.comet_model:
        raise ConfigError("the 'comet' score needs a model: pass --comet-model PATH_OR_NAME")
    from mtqa.scores.comet import _quiet_offline

    model, _ = load_model(settings.comet_model)
    keep = [i for i, s in enumerate(inputs.source) if s.strip()]
    for sys_name, hyps in inputs.systems:
        progress(f"comet: {sys_name}")
        samples = [{"src": inputs.source[i], "mt": hyps[i], "ref": inputs.ref[i]} for i in keep]
        with _quiet_offline():
            pred = model.predict(samples, batch_size=max(1, settings.comet_batch_size), gpus=0,
                                 progress_bar=False, num_workers=0)
        arr = np.full(len(inputs.source), np.nan)
        arr[keep] = np.asarray(pred.scores, dtype=np.float64)
        out[sys_name] = arr
    return out


def _segment_test(base: np.ndarray, sys: np.ndarray, test: str, n: int) -> dict:
    from mtqa.quality.significance import paired_approximate_randomization, paired_bootstrap

    mask = ~np.isnan(base) & ~np.isnan(sys)
    b, s = base[mask], sys[mask]
    bs = paired_bootstrap(b, s, resamples=n if test == "bs" else 1000, seed=SEED)
    if test == "ar":
        ar = paired_approximate_randomization(b, s, trials=n, seed=SEED)
        bs["p_value"] = ar["p_value"]
    return bs


# ---------------------------------------------------------------------------------------------


def run_compare(inputs: Inputs, settings: Settings, metrics: list[str], test: str = "bs", n_samples: int = 0,
                alpha: float = 0.05, by_doc: bool = False, top: int = 5, jobs: int = 1,
                progress: Progress | None = None) -> dict:
    """Scores, ranks and paired tests of every system against the first one; a JSON-ready dict."""
    from sacrebleu.significance import PairedTest

    say = progress or (lambda msg: None)
    started = time.perf_counter()
    unknown = [m for m in metrics if m not in LEXICAL + SEGMENT_LEVEL]
    if unknown:
        raise ConfigError(f"unknown metric(s) {', '.join(unknown)} (choose from {', '.join(LEXICAL + SEGMENT_LEVEL)})")
    if test not in ("bs", "ar"):
        raise ConfigError(f"unknown test {test!r}")
    n = n_samples if n_samples > 0 else (1000 if test == "bs" else 10000)
    names = [s[0] for s in inputs.systems]
    baseline = names[0]
    refs = inputs.ref
    lexical = {m: _metric(m, settings.tokenize) for m in metrics if m in LEXICAL}

    # 1. sufficient statistics of every system, in worker processes when asked (TER is slow)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    if lexical and jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
            futs = {(m, s): pool.submit(_stats_job, m, settings.tokenize, hyps, refs)
                    for m in lexical for s, hyps in inputs.systems}
            # meanwhile embed in this process
            seg_values = {m: _segment_scores(m, inputs, settings, say) for m in metrics if m in SEGMENT_LEVEL}
            for (m, s), fut in futs.items():
                hyps = dict(inputs.systems)[s]
                memo = _MEMO.setdefault(lexical[m], {})
                memo.update(zip([(h, (r,)) for h, r in zip(hyps, refs)], fut.result()))
                say(f"{m}: {s}")
    else:
        for m, metric in lexical.items():
            for s, hyps in inputs.systems:
                say(f"{m}: {s}")
                metric._extract_corpus_statistics(hyps, [refs])
        seg_values = {m: _segment_scores(m, inputs, settings, say) for m in metrics if m in SEGMENT_LEVEL}
    timings["scores_s"] = round(time.perf_counter() - t, 2)

    # 2. corpus-level paired tests
    t = time.perf_counter()
    say("significance tests")
    table: dict[str, dict[str, dict]] = {s: {} for s in names}
    meta: dict[str, dict] = {}
    if lexical:
        sigs, results = PairedTest(list(inputs.systems), {m: metric for m, metric in lexical.items()}, [refs],
                                   test_type=test, n_samples=n, n_ar_confidence=0 if test == "ar" else -1)()
        for (m, metric), (label, res_list) in zip(lexical.items(), [(k, v) for k, v in results.items() if k != "System"]):
            meta[m] = {"label": label, "signature": sigs[label].format(), "higher_is_better": m not in LOWER_IS_BETTER}
            base_score = res_list[0].score
            for s, r in zip(names, res_list):
                table[s][m] = {"score": float(r.score), "mean": _f(r.mean), "ci": _f(r.ci),
                               "p_value": _f(r.p_value), "delta": float(r.score - base_score)}
    for m, values in seg_values.items():
        from mtqa.scores.adequacy import line_signature

        base = values[baseline]
        label = {"adequacy": "adequacy", "adequacy-ref": "adequacy-ref", "comet": "COMET"}[m]
        if m == "comet":
            from mtqa.scores.comet import load_model, model_signature

            model, ckpt = load_model(settings.comet_model)
            sig = model_signature(model, ckpt, settings.comet_model)
        else:
            from mtqa.embed import get_embedder

            sig = line_signature(get_embedder(settings.embedder), m)
        meta[m] = {"label": label, "signature": f"{sig}|seed:{SEED}|{test}:{n}", "higher_is_better": True}
        for s in names:
            vals = values[s]
            score = float(np.nanmean(vals))
            if s == baseline:
                from mtqa.quality.significance import estimate_ci

                rng = np.random.default_rng(SEED)
                clean = base[~np.isnan(base)]
                idx = rng.choice(len(clean), size=(n if test == "bs" else 1000, len(clean)), replace=True)
                mean, ci = estimate_ci(clean[idx].mean(axis=1))
                table[s][m] = {"score": score, "mean": mean, "ci": ci, "p_value": None, "delta": 0.0}
            else:
                r = _segment_test(base, vals, test, n)
                table[s][m] = {"score": score, "mean": r["system_mean"], "ci": r["system_ci"],
                               "p_value": r["p_value"], "delta": score - float(np.nanmean(base))}
    for m in metrics:
        hib = meta[m]["higher_is_better"]
        order = sorted(names, key=lambda s: -table[s][m]["score"] if hib else table[s][m]["score"])
        for rank, s in enumerate(order, 1):
            cell = table[s][m]
            cell["rank"] = rank
            p = cell["p_value"]
            cell["significant"] = bool(p is not None and p < alpha)
            better = cell["delta"] > 0 if hib else cell["delta"] < 0
            cell["vs_baseline"] = ("better" if better else "worse") if cell["significant"] else (
                "baseline" if s == baseline else "not significant")
    timings["tests_s"] = round(time.perf_counter() - t, 2)

    result: dict = {
        "baseline": baseline,
        "test": {"type": "paired-bs" if test == "bs" else "paired-ar", "samples": n, "seed": SEED, "alpha": alpha},
        "lines": len(inputs.source),
        "metrics": {m: meta[m] for m in metrics},
        "systems": [{"name": s, "scores": table[s]} for s in names],
    }
    if inputs.docs:
        t = time.perf_counter()
        result["documents"] = _documents(inputs, metrics, lexical, seg_values, meta, test, alpha, by_doc, top, say)
        timings["documents_s"] = round(time.perf_counter() - t, 2)
    timings["total_s"] = round(time.perf_counter() - started, 2)
    result["timing"] = timings
    return result


def _f(x: Any) -> float | None:
    return None if x is None else float(x)


def _doc_score(m: str, lexical: dict, seg_values: dict, hyps: list[str], refs: list[str], system: str,
               lines: list[int]) -> float:
    if m in lexical:
        metric = lexical[m]
        stats = metric._extract_corpus_statistics([hyps[i] for i in lines], [[refs[i] for i in lines]])
        return float(metric._aggregate_and_compute(stats).score)
    vals = seg_values[m][system][lines]
    return float(np.nanmean(vals)) if np.any(~np.isnan(vals)) else float("nan")


DOC_SAMPLES = 1000
MIN_DOC_LINES = 5  # --by-doc ranks and tests documents of at least this many lines


def _documents(inputs: Inputs, metrics: list[str], lexical: dict, seg_values: dict, meta: dict, test: str,
               alpha: float, by_doc: bool, top: int, say: Progress) -> dict:
    """Per-document scores of every system; with ``by_doc`` the documents most below the baseline."""
    from sacrebleu.significance import PairedTest

    systems = dict(inputs.systems)
    names = list(systems)
    baseline = names[0]
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for doc, lines in inputs.docs:
        scores[doc] = {s: {m: _doc_score(m, lexical, seg_values, systems[s], inputs.ref, s, lines) for m in metrics}
                       for s in names}
    out: dict = {"count": len(inputs.docs), "scores": scores}
    if not by_doc:
        return out
    primary = metrics[0]
    hib = meta[primary]["higher_is_better"]
    worse: dict[str, list[dict]] = {}
    lines_of = dict(inputs.docs)
    for s in names[1:]:
        say(f"documents: {s}")
        deltas = []
        for doc, doc_lines in inputs.docs:
            if len(doc_lines) < MIN_DOC_LINES:  # a resample of 1-4 lines says nothing
                continue
            d = scores[doc][s][primary] - scores[doc][baseline][primary]
            if not np.isnan(d):
                deltas.append((d if hib else -d, doc))  # negative = worse than the baseline
        deltas.sort()
        rows = []
        for gain, doc in deltas[:top]:
            if gain >= 0:
                break
            lines = lines_of[doc]
            row: dict = {"document": doc, "lines": len(lines), "metric": primary,
                         "baseline": scores[doc][baseline][primary], "system": scores[doc][s][primary],
                         "delta": scores[doc][s][primary] - scores[doc][baseline][primary]}
            if primary in lexical:
                sub_refs = [inputs.ref[i] for i in lines]
                named = [(baseline, [systems[baseline][i] for i in lines]), (s, [systems[s][i] for i in lines])]
                _, res = PairedTest(named, {primary: lexical[primary]}, [sub_refs], test_type=test,
                                    n_samples=DOC_SAMPLES if test == "bs" else 10000, n_ar_confidence=-1)()
                row["p_value"] = float(res[meta[primary]["label"]][1].p_value)
            else:
                vals = seg_values[primary]
                r = _segment_test(vals[baseline][lines], vals[s][lines], test,
                                  DOC_SAMPLES if test == "bs" else 10000)
                row["p_value"] = float(r["p_value"])
            row["significant"] = row["p_value"] < alpha
            rows.append(row)
        worse[s] = rows
    out["worse_than_baseline"] = {"metric": primary, "top": top, "samples": DOC_SAMPLES if test == "bs" else 10000,
                                  "min_lines": MIN_DOC_LINES, "systems": worse}
    return out


# ---------------------------------------------------------------------------------------------
# rendering


def _cell(c: dict, decimals: int) -> str:
    f = f"{{:.{decimals}f}}"
    text = f.format(c["score"])
    if c.get("mean") is not None and c.get("ci") is not None:
        text += f" ({f.format(c['mean'])} ± {f.format(c['ci'])})"
    text += f" #{c['rank']}"
    if c.get("p_value") is not None:
        mark = {"better": " ▲", "worse": " ▼"}.get(c["vs_baseline"], "")
        text += f"\n(p = {c['p_value']:.4f}){'*' if c['significant'] else ''}{mark}"
    return text


def print_table(result: dict, console: Any) -> None:
    from rich.table import Table

    t = result["test"]
    title = (f"{len(result['systems'])} systems, {result['lines']} lines — "
             f"{'paired bootstrap resampling' if t['type'] == 'paired-bs' else 'approximate randomization'} "
             f"({t['samples']} {'resamples' if t['type'] == 'paired-bs' else 'trials'}, seed {t['seed']})")
    table = Table(title=title, show_lines=True)
    table.add_column("System", no_wrap=True)
    metrics = list(result["metrics"])
    for m in metrics:
        info = result["metrics"][m]
        table.add_column(f"{info['label']} (μ ± 95% CI)" + ("" if info["higher_is_better"] else " ↓"), justify="right")
    for i, s in enumerate(result["systems"]):
        name = f"Baseline: {s['name']}" if i == 0 else s["name"]
        table.add_row(name, *[_cell(s["scores"][m], 4 if m == "comet" else 1 if m in LEXICAL else 1) for m in metrics])
    console.print(table)
    console.print(f"* p < {t['alpha']:g}: significantly different from the baseline (▲ better, ▼ worse); "
                  "#n: rank on that score.")
    for m in metrics:
        console.print(f"  {result['metrics'][m]['label']}: {result['metrics'][m]['signature']}", highlight=False)
    docs = result.get("documents")
    if docs and "worse_than_baseline" in docs:
        w = docs["worse_than_baseline"]
        label = result["metrics"][w["metric"]]["label"]
        dt = Table(title=f"Documents most below the baseline on {label} (top {w['top']} per system, "
                         f"paired test per document)", show_lines=False)
        for col in ("System", "Document", "Lines", "Baseline", "System score", "Δ", "p"):
            dt.add_column(col, justify="right" if col not in ("System", "Document") else "left")
        for s, rows in w["systems"].items():
            for r in rows:
                dt.add_row(s, r["document"], str(r["lines"]), f"{r['baseline']:.1f}", f"{r['system']:.1f}",
                           f"{r['delta']:+.1f}", f"{r['p_value']:.4f}" + ("*" if r["significant"] else ""))
        console.print(dt)
    tm = result.get("timing", {})
    if tm:
        console.print(f"[dim]{tm.get('total_s')} s (scores {tm.get('scores_s')} s, tests {tm.get('tests_s')} s)[/dim]")
