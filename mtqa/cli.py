"""Command-line interface (typer). Heavy modules are imported inside commands so that
``mtqa --help`` starts fast.

Exit codes: 0 passed, 1 quality gate failed, 2 usage or input error, 3 internal error.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import typer
import typer.core

from mtqa import __version__, warmup
from mtqa.errors import MtqaError
from mtqa.scores.registry import SCORERS

if TYPE_CHECKING:
    from mtqa.config import Settings
    from mtqa.report.types import CheckInfoDict, ListedRuleDict, Report, RuleListing

EXIT_PASS, EXIT_GATE_FAILED, EXIT_INPUT_ERROR, EXIT_INTERNAL = 0, 1, 2, 3


def stdout_gone() -> None:
    """The reader closed stdout: point it at /dev/null so that the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


class OneLineErrors(typer.core.TyperGroup):
    """Usage errors (unknown option, bad value, missing argument) as one ``mtqa: error:`` line and
    exit 2, like every other error, instead of click's multi-line box."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as e:  # click's exceptions (typer vendors click)
            ctx = getattr(e, "ctx", None)
            if type(e).__name__ != "NoArgsIsHelpError":  # bare `mtqa`: typer printed the help already
                text = e.format_message() if hasattr(e, "format_message") else str(e)
                hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
                typer.echo(f"mtqa: error: {' '.join(text.split())}{hint}", err=True)
            sys.exit(getattr(e, "exit_code", EXIT_INPUT_ERROR))
        except typer.Abort:
            typer.echo("mtqa: interrupted", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else EXIT_PASS)


app = typer.Typer(
    name="mtqa",
    help="Quality checks for English→French machine-translated news: alignment, sacrebleu scores, "
    "adequacy, MQM findings and a CI quality gate.",
    cls=OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def handle_errors(func: Callable) -> Callable:
    """Turn input errors into one line on stderr and exit code 2; never show a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if func.__name__ != "check":  # `check` ends its start-up once the rule data is built (pipeline)
            warmup.end_of_startup()
        try:
            return func(*args, **kwargs)
        except MtqaError as e:
            typer.echo(f"mtqa: error: {e}", err=True)
            raise typer.Exit(getattr(e, "exit_code", EXIT_INPUT_ERROR)) from None
        except KeyboardInterrupt:  # Ctrl-C: reports are written after the run, so none was
            typer.echo("mtqa: interrupted (no report written)", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except BrokenPipeError:  # stdout closed by the reader (`| head`): stop quietly
            stdout_gone()
            raise typer.Exit(EXIT_PASS) from None
        except Exception as e:  # a bug in mtqa, not in the input
            if os.environ.get("MTQA_DEBUG"):
                raise
            typer.echo(
                f"mtqa: internal error: {type(e).__name__}: {e} (set MTQA_DEBUG=1 for a traceback)", err=True
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mtqa {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """mtqa: check English→French MT of news copy."""


def _settings_from(config: str | None, **overrides):
    from mtqa.config import load_settings, validate_settings

    settings = load_settings(config)
    for key, value in overrides.items():
        if value is None or value == [] or value is False:
            continue
        if key.startswith("gate_"):
            name = key[5:]
            if name == "fail_on":
                settings.gate.fail_on = list(settings.gate.fail_on) + list(value)
            elif name == "score_limits":  # [gate] min_<score> of the scores without a field of their own
                settings.gate.score_limits.update({k: v for k, v in value.items() if v is not None})
            else:
                setattr(settings.gate, name, value)
        elif key == "glossaries":
            settings.glossaries = list(settings.glossaries) + list(value)
        elif key == "disable":
            settings.disable = list(settings.disable) + [v for item in value for v in item.split(",") if v]
        elif key == "metrics":
            settings.metrics = [m.strip() for m in value.split(",") if m.strip()]
        else:
            setattr(settings, key, value)
    return validate_settings(settings)


def _named_inputs(settings: Settings, config: str | None, *paths: str | list[str] | None) -> list[str | None]:
    """Every file ``check`` reads, named on the command line or in mtqa.toml (never an -o target)."""
    named: list[str | None] = [config, settings.waivers, settings.gate.baseline, *settings.glossaries,
                               *settings.rule_files]
    for p in paths:
        named += p if isinstance(p, list) else [p]
    return named


def _check_format_and_targets(fmt: str, outputs: list[str], inputs: list[str | None]) -> None:
    from mtqa.report import RENDERERS
    from mtqa.report.output import check_targets

    if fmt not in RENDERERS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(RENDERERS)}", param_hint="--format")
    check_targets(outputs, fmt, inputs)


def _write_outputs(report: Report, outputs: list[str], fmt: str, quiet: bool,
                   inputs: list[str | None] | None = None) -> None:
    from mtqa.report import render
    from mtqa.report.output import write_reports

    write_reports(report, outputs, fmt, inputs or ())
    if "-" in outputs or quiet:
        return
    if fmt == "text":
        from mtqa.report.formats.text import PipeConsole, print_report

        print_report(report, PipeConsole(), findings=not outputs)
    else:
        sys.stdout.write(render(report, fmt))


@app.command()
@handle_errors
def check(
    files: list[str] | None = typer.Argument(None, help="Batch: XLIFF/TMX/JSONL files and/or directories of document pairs (instead of -t).", show_default=False),
    source: str | None = typer.Option(None, "--source", "-s", help="English source (text; '-' for stdin). Not needed for JSONL/XLIFF/TMX."),
    mt: str | None = typer.Option(None, "--mt", "-t", help="French MT: text, JSONL ({source,mt,ref,doc}), XLIFF or TMX; or a directory of document pairs (batch)."),
    ref: str | None = typer.Option(None, "--ref", "-r", help="Human French reference (text)."),
    glossary: list[str] = typer.Option([], "--glossary", "-g", help="Glossary (CSV/TSV/TBX); repeatable."),
    config: str | None = typer.Option(None, "--config", "-c", help="mtqa.toml with settings, rules and gate."),
    fmt: str = typer.Option("text", "--format", "-f", help="Format for stdout (and for -o files with no known extension): text|json|md|html|junit|sarif|csv."),
    output: list[str] = typer.Option([], "--output", "-o", help="Write the report here; format from the extension (.json .md .html .xml .sarif .csv .txt); repeatable; '-' for stdout."),
    line_aligned: bool = typer.Option(False, "--line-aligned", help="Pair line i of the source with line i of the MT (no alignment)."),
    doc_id: str | None = typer.Option(None, "--doc-id", help="Document id in reports (default: from the file name)."),
    embedder: str | None = typer.Option(None, "--embedder", help="Sentence embedder: use-m3 (default, offline) or hf:PATH."),
    tokenize: str | None = typer.Option(None, "--tokenize", help="sacrebleu tokenizer for BLEU/TER (13a, intl, …)."),
    metrics: str | None = typer.Option(None, "--metrics", help="Comma-separated scores to compute (default: bleu,chrf,ter,adequacy,rank-ref,rank-qe)."),
    comet_model: str | None = typer.Option(None, "--comet-model", help="Local COMET checkpoint (dir or .ckpt) or a model name in the local Hugging Face cache; needs the 'neural' extra."),
    comet_batch_size: int | None = typer.Option(None, "--comet-batch-size", help="COMET batch size."),
    disable: list[str] = typer.Option([], "--disable", "-d", help="Rule id(s) to disable (comma-separated or repeated)."),
    min_bleu: float | None = typer.Option(None, "--min-bleu", help="Gate: minimum corpus BLEU."),
    min_chrf: float | None = typer.Option(None, "--min-chrf", help="Gate: minimum corpus chrF."),
    max_ter: float | None = typer.Option(None, "--max-ter", help="Gate: maximum corpus TER."),
    min_adequacy: float | None = typer.Option(None, "--min-adequacy", help="Gate: minimum adequacy (0–100)."),
    min_comet: float | None = typer.Option(None, "--min-comet", help="Gate: minimum COMET."),
    min_rank_ref: float | None = typer.Option(None, "--min-rank-ref", help="Gate: minimum corpus rank-ref (0–100; learned ranker, with reference)."),
    min_rank_qe: float | None = typer.Option(None, "--min-rank-qe", help="Gate: minimum corpus rank-qe (0–100; learned ranker, no reference)."),
    max_mqm_penalty: float | None = typer.Option(None, "--max-mqm-penalty", help="Gate: maximum MQM penalty per 1,000 source words, per document."),
    max_critical: int | None = typer.Option(None, "--max-critical", help="Gate: maximum critical findings per document (default 0)."),
    max_major: int | None = typer.Option(None, "--max-major", help="Gate: maximum major findings per document."),
    max_minor: int | None = typer.Option(None, "--max-minor", help="Gate: maximum minor findings per document."),
    fail_on: list[str] = typer.Option([], "--fail-on", help="Gate: rule id whose findings fail the gate outright; repeatable."),
    baseline: str | None = typer.Option(None, "--baseline", help="Gate: earlier JSON report; fail on a significant regression against it."),
    waivers: str | None = typer.Option(None, "--waivers", help="YAML file of accepted findings (from `mtqa waive` or the HTML report): kept in the report as waived, counted in neither MQM nor the gate."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=0, help="Worker processes for batches: each aligns, embeds, scores and checks a share of the documents. 0 (default) = one per CPU core when the batch is big enough to gain from it; 1 = this process only (also for embedding the reference with --line-aligned)."),
    dask: str | None = typer.Option(None, "--dask", help="Run the per-document work on a Dask cluster: tcp://HOST:8786 (a running `dask scheduler`) or 'local' (a LocalCluster of --jobs worker processes, default one per core). Needs the 'cluster' extra."),
    grammar: str | None = typer.Option(None, "--grammar", help="French grammar and untranslated-by-lexicon checks by Grammalecte (Debian python3-grammalecte, run in a separate process): auto (default: when installed), on (required: exit 2 without it), off."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing on stdout (exit code only)."),
    manifest: str | None = typer.Option(None, "--manifest", "-m", help="Batch: CSV/TSV/JSON listing doc,source,mt,ref per document."),
    docids: str | None = typer.Option(None, "--docids", help="Batch: split line-aligned -s/-t/-r files into documents (one id per line, or a 'line<TAB>docid' TSV)."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal and not --quiet)."),
) -> None:
    """Align, score and check MT against its source; report findings and apply the quality gate.

    Exit codes: 0 gate passed, 1 gate failed, 2 usage or input error, 3 internal error (or the
    Grammalecte worker failing twice).
    """
    from mtqa.config import GRAMMAR_MODES
    from mtqa.inputs.batch import load_batch

    if grammar is not None and grammar not in GRAMMAR_MODES:
        raise typer.BadParameter(f"{grammar!r} is not one of {', '.join(GRAMMAR_MODES)}", param_hint="--grammar")
    settings = _settings_from(
        config,
        glossaries=glossary,
        line_aligned=line_aligned,
        embedder=embedder,
        tokenize=tokenize,
        metrics=metrics,
        comet_model=comet_model,
        comet_batch_size=comet_batch_size,
        disable=disable,
        jobs=jobs,
        dask=dask,
        grammar=grammar,
        waivers=waivers,
        gate_min_bleu=min_bleu,
        gate_min_chrf=min_chrf,
        gate_max_ter=max_ter,
        gate_min_adequacy=min_adequacy,
        gate_min_comet=min_comet,
        gate_score_limits={"min_rank-ref": min_rank_ref, "min_rank-qe": min_rank_qe},
        gate_max_mqm_penalty=max_mqm_penalty,
        gate_max_critical=max_critical,
        gate_max_major=max_major,
        gate_max_minor=max_minor,
        gate_fail_on=fail_on,
        gate_baseline=baseline,
    )
    named = _named_inputs(settings, config, source, mt, ref, manifest, docids, files)
    _check_format_and_targets(fmt, output, named)  # before any work: a bad -o fails now
    documents = load_batch(source, mt, ref, manifest=manifest, docids=docids,
                           line_aligned=settings.line_aligned, doc_id=doc_id, files=files or None)
    named += [p for d in documents for p in (d.source.path, d.mt.path, d.ref.path if d.ref else None)]
    _check_format_and_targets(fmt, output, named)  # and no -o is a file found in a batch directory
    warmup.start(settings, len(documents))  # Grammalecte, USE-m3, lingua load while the pipeline imports
    from mtqa.pipeline import run_pipeline
    inputs = {"source": source, "mt": mt, "ref": ref, "manifest": manifest, "docids": docids, "files": files or []}
    show = progress if progress is not None else (sys.stderr.isatty() and not quiet)
    if show:
        from mtqa.pipeline.progress import progress_bar

        with progress_bar(len(documents)) as tick:
            report = run_pipeline(documents, settings, inputs=inputs, progress=tick)
    else:
        report = run_pipeline(documents, settings, inputs=inputs)
    try:
        _write_outputs(report, output, fmt, quiet, named)
    except BrokenPipeError:  # `mtqa check … | head`: the gate's verdict still sets the exit code
        stdout_gone()
    raise typer.Exit(EXIT_PASS if report["verdict"] == "pass" else EXIT_GATE_FAILED)


@app.command()
@handle_errors
def align(
    source: str | None = typer.Option(None, "--source", "-s", help="English source (text; '-' for stdin). Not needed for JSONL/XLIFF/TMX."),
    mt: str = typer.Option(..., "--mt", "-t", help="French MT: text, JSONL, XLIFF or TMX."),
    ref: str | None = typer.Option(None, "--ref", "-r", help="Human French reference (text): each link also shows its reference sentences."),
    fmt: str = typer.Option("tsv", "--format", "-f", help="tsv (one line per link) or json."),
    embedder: str | None = typer.Option(None, "--embedder", help="Sentence embedder: use-m3 (default, offline) or hf:PATH."),
    config: str | None = typer.Option(None, "--config", "-c", help="mtqa.toml (for its embedder setting)."),
    line_aligned: bool = typer.Option(False, "--line-aligned", help="Pair line i of the source with line i of the MT (no alignment)."),
    doc_id: str | None = typer.Option(None, "--doc-id", help="Document id (default: from the file name)."),
) -> None:
    """Print the sentence alignment (kind 1-1/2-1/1-0/0-1…, confidence, sentence indexes, texts).

    1-0 links are source sentences with no MT counterpart (omission candidates), 0-1 links MT
    sentences with no source (addition candidates). Sentence indexes are 0-based.
    """
    from mtqa.align import align_document
    from mtqa.embed import get_embedder
    from mtqa.inputs import load_inputs
    from mtqa.report.build import alignment_dict
    from mtqa.report.formats import alignment
    from mtqa.text.segment import segment_document

    if fmt not in alignment.FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(alignment.FORMATS)}", param_hint="--format")
    settings = _settings_from(config, embedder=embedder, line_aligned=line_aligned)
    documents = load_inputs(source, mt, ref, line_aligned=settings.line_aligned, doc_id=doc_id)
    emb = get_embedder(settings.embedder)
    adocs = [align_document(segment_document(doc), emb) for doc in documents]
    sys.stdout.write(alignment.render(alignment_dict(adocs, emb.signature), fmt))


@app.command()
@handle_errors
def rules(
    config: str | None = typer.Option(None, "--config", "-c", help="mtqa.toml: its rules.files, disable and severity are applied."),
    rule_file: list[str] = typer.Option([], "--rule-file", help="A user rule file (YAML) to list and validate; repeatable."),
    disable: list[str] = typer.Option([], "--disable", "-d", help="Rule id(s) or families to show as disabled."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """List every check and rule id with its MQM category, severity and doc.

    A check emits rule ids of its family (typography → typography.nbsp, typography.quotes…);
    `--disable typography` (or rules.disable in mtqa.toml) disables the whole family,
    `--disable typography.nbsp` one rule. Severities shown are after the rules.severity overrides of mtqa.toml.
    """
    import shutil

    from mtqa.report.formats import rules as listing

    if fmt not in listing.FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(listing.FORMATS)}", param_hint="--format")
    settings = _settings_from(config, disable=disable)
    settings.rule_files = list(settings.rule_files) + list(rule_file)
    width = max(60, min(100, shutil.get_terminal_size((100, 24)).columns))
    sys.stdout.write(listing.render(_rule_listing(settings), fmt, width))


def _rule_listing(settings: Settings) -> RuleListing:
    """Every check in run order, and every rule that could fire under ``settings`` (``mtqa rules``)."""
    from mtqa.checks.engine import list_rules
    from mtqa.checks.registry import REGISTRY

    checks: list[CheckInfoDict] = [
        {"id": cid, "category": cls.category, "severity": cls.severity, "doc": " ".join(cls.doc.split())}
        for cid, cls in REGISTRY.items()]
    return {"checks": checks, "rules": cast("list[ListedRuleDict]", list_rules(settings))}


@app.command()
@handle_errors
def compare(
    systems: list[str] = typer.Argument(..., help="System outputs, line-aligned with the source (first = baseline).", show_default=False),
    source: str = typer.Option(..., "--source", "-s", help="English source, one segment per line."),
    ref: str = typer.Option(..., "--ref", "-r", help="French reference, one segment per line."),
    metrics: str | None = typer.Option(None, "--metrics", "-m", help=f"Comma-separated scores: {','.join(SCORERS)} (default: bleu,chrf,ter,adequacy,adequacy-ref,rank-ref; comet added with --comet-model)."),
    paired_bs: bool = typer.Option(False, "--paired-bs", help="Paired bootstrap resampling (default)."),
    paired_ar: bool = typer.Option(False, "--paired-ar", help="Paired approximate randomization instead."),
    n_samples: int = typer.Option(0, "--n-samples", "-n", help="Resamples (bootstrap, default 1000) or trials (AR, default 10000)."),
    alpha: float = typer.Option(0.05, "--alpha", help="Significance level for the * marks."),
    docids: str | None = typer.Option(None, "--docids", help="Document of each line: 'line<TAB>docid' TSV or one id per line."),
    by_doc: bool = typer.Option(False, "--by-doc", help="With --docids: per system, the documents most below the baseline, each tested."),
    top: int = typer.Option(5, "--top", help="With --by-doc: documents listed per system."),
    tokenize: str | None = typer.Option(None, "--tokenize", help="sacrebleu tokenizer for BLEU (13a, intl, …)."),
    embedder: str | None = typer.Option(None, "--embedder", help="Sentence embedder for adequacy: use-m3 (default) or hf:PATH."),
    comet_model: str | None = typer.Option(None, "--comet-model", help="Local COMET checkpoint (dir or .ckpt) or a model in the local Hugging Face cache."),
    comet_batch_size: int | None = typer.Option(None, "--comet-batch-size", help="COMET batch size."),
    config: str | None = typer.Option(None, "--config", "-c", help="mtqa.toml (embedder, tokenize, comet settings)."),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Worker processes for the sacrebleu statistics (TER is slow)."),
    dask: str | None = typer.Option(None, "--dask", help="Compute the sacrebleu statistics on a Dask cluster: tcp://HOST:8786 or 'local' (a LocalCluster of --jobs workers; one per core when --jobs is 1). Needs the 'cluster' extra."),
    fmt: str = typer.Option("text", "--format", "-f", help="text (rich table) or json."),
    output: str | None = typer.Option(None, "--output", "-o", help="Also write the JSON result here."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress on stderr (default: when stderr is a terminal)."),
) -> None:
    """Rank systems on every score with paired significance tests against the first (baseline),
    like sacrebleu's --paired-bs table; --docids/--by-doc for documents.

    Exit codes: 0 done, 2 usage or input error.
    """
    from mtqa.compare import DEFAULT_METRICS, load_inputs, run_compare
    from mtqa.config import cap_jobs, check_metrics
    from mtqa.errors import ConfigError
    from mtqa.limits import dumps_json

    if paired_bs and paired_ar:
        raise ConfigError("choose one test: --paired-bs or --paired-ar")
    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"{fmt!r} is not one of text, json", param_hint="--format")
    if by_doc and not docids:
        raise ConfigError("--by-doc needs --docids FILE")
    settings = _settings_from(config, tokenize=tokenize, embedder=embedder, comet_model=comet_model,
                              comet_batch_size=comet_batch_size, dask=dask)
    names = [m.strip() for m in metrics.split(",") if m.strip()] if metrics else list(DEFAULT_METRICS)
    check_metrics(names, "--metrics")
    jobs = cap_jobs(max(1, jobs), "--jobs")
    if settings.comet_model and "comet" not in names:
        names.append("comet")
    if output:
        from mtqa.report.output import check_targets

        check_targets([output], "json", [source, ref, docids, config, *systems])
    inputs = load_inputs(source, ref, systems, docids)
    show = progress if progress is not None else sys.stderr.isatty()
    say = (lambda msg: typer.echo(f"mtqa compare: {msg}", err=True)) if show else None
    result = run_compare(inputs, settings, names, test="ar" if paired_ar else "bs", n_samples=n_samples,
                         alpha=alpha, by_doc=by_doc, top=top, jobs=max(1, jobs), progress=say)
    text = dumps_json(result, ensure_ascii=False, indent=2) + "\n"
    if output:
        from mtqa.report.output import atomic_write

        atomic_write(output, text)
    if fmt == "json":
        sys.stdout.write(text)
    else:
        from rich.console import Console

        from mtqa.report.formats.compare import print_table
        from mtqa.scores.registry import get_scorer

        print_table(result, Console(width=None if sys.stdout.isatty() else 200),
                    decimals={m: get_scorer(m).decimals for m in result["metrics"]})


@app.command()
@handle_errors
def waive(
    report_path: str = typer.Argument(..., metavar="REPORT.json", help="A JSON report of `mtqa check`."),
    output: str = typer.Option(..., "--output", "-o", help="The waivers file to write; an existing one is merged into (no duplicates)."),
    rule: str | None = typer.Option(None, "--rule", help="Only findings of this rule id (or family: typography)."),
    severity: str | None = typer.Option(None, "--severity", help="Only findings of this severity (minor|major|critical)."),
    reason: str = typer.Option("accepted as of this report (baseline)", "--reason", help="Why these findings are accepted."),
    by: str | None = typer.Option(None, "--by", help="Who accepts them (default: $USER)."),
    expires: str | None = typer.Option(None, "--expires", help="YYYY-MM-DD after which the waivers no longer apply."),
) -> None:
    """Write waivers for the findings of an existing report: accept what is there today, gate only
    what is new (the linter-baseline move). Use the file with `mtqa check --waivers FILE`."""
    import datetime
    from pathlib import Path

    from mtqa.errors import ConfigError
    from mtqa.model import SEVERITIES
    from mtqa.quality import waivers as wv
    from mtqa.quality.baseline import load_baseline
    from mtqa.report.output import atomic_write, check_targets

    if severity is not None and severity not in SEVERITIES:
        raise ConfigError(f"--severity: expected one of {', '.join(SEVERITIES)}, got {severity!r}")
    if expires is not None and not wv.valid_date(expires):
        raise ConfigError(f"--expires: expected a date YYYY-MM-DD, got {expires!r}")
    check_targets([output], "json", [report_path])
    report = load_baseline(report_path, kind="report")
    today = datetime.date.today().isoformat()
    new = wv.report_entries(report, rule, severity, reason, by or os.environ.get("USER") or "mtqa waive", today)
    for e in new:
        e["expires"] = expires
    existing = wv.load_waivers(output) if Path(output).exists() else None
    entries, added = wv.merge(existing, new)
    atomic_write(output, wv.waivers_yaml(entries))
    typer.echo(f"mtqa waive: {added} new waiver(s), {len(entries) - added} already there → {output}", err=True)


def main() -> None:
    """Entry point (console script ``mtqa``, ``python -m mtqa``)."""
    warmup.pause_collector()  # until the command's start-up is over (``warmup.end_of_startup``)
    try:
        app()
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            exit_now(e.code or 0)
        raise
    exit_now(0)


def exit_now(code: int) -> None:
    """End the process without the interpreter's clean-up of every object, which costs a one-story
    ``mtqa check`` about 0.7 s (the rule data and the model freed one by one; ``bench/startup.py``).
    The exit handlers run first (the Grammalecte worker's input is ended, worker pools are
    stopped) and the standard streams are flushed; the reports are already written and closed.
    When a non-daemon thread still runs, the interpreter's own exit waits for it as before."""
    import atexit
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    run_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's own (not public API)
    if run_handlers is None:  # another interpreter: its ordinary exit
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            code = code or 1
    os._exit(code)
