"""``grammar.*``: Grammalecte's grammar errors on the French, kept and graded by their measured
precision (``calibration``). Grammalecte's typography rules are off: ``typography.*`` is mtqa's one
typography voice. Without Grammalecte (``--grammar auto``) the check yields nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.checks.grammar import document_analysis
from mtqa.checks.grammar.analysis import GrammarError
from mtqa.checks.grammar.calibration import CATEGORIES, Calibration, calibration, mtqa_rule
from mtqa.config import Settings
from mtqa.model import SEVERITY_RANK, Finding, Segment
from mtqa.text.matching import is_mid_sentence_capital


def _default_severity(rule: str, cal: Calibration) -> tuple[str, bool]:
    """(the most severe calibrated severity of the rule's entries, whether any entry is on)."""
    sevs = [e.severity for e in (*cal.types.values(), *cal.rules) if e.rule == rule and e.severity != "off"]
    return (max(sevs, key=SEVERITY_RANK.__getitem__) if sevs else "minor"), bool(sevs)


def _subrules() -> tuple[RuleInfo, ...]:
    cal = calibration()
    out = []
    for rule, (category, doc) in CATEGORIES.items():
        sev, on = _default_severity(rule, cal)
        out.append(RuleInfo(rule, category, sev, doc if on else doc + " Off by default: [grammar] enable turns its types on."))
    return tuple(out)


_WORD = re.compile(r"[^\W\d_]+")
NAME_TYPES = frozenset({"gn"})  # gender/number agreement: read off a name it takes for a common word


def involves_name(mt: str, err: GrammarError) -> bool:
    """True when a gender/number error is about a capitalised word inside a sentence, a name that
    Grammalecte reads as a common word ("le Venus Express": Venus taken as the plural of venu).
    The word is in the flagged span or is the next word (the error may flag the determiner)."""
    words = [m for m in _WORD.finditer(mt, err.start, err.end)]
    nxt = _WORD.search(mt, err.end)
    if nxt is not None and not mt[err.end:nxt.start()].strip():
        words.append(nxt)
    return any(is_mid_sentence_capital(mt, m.start()) for m in words)


# Grammalecte words a message as a condition when it is unsure of its own reading: "Si « la cour… »
# est bien le COD…", "S'il s'agit d'un COD…", "Incohérence probable…". Good French draws most of these.
_HEDGED = re.compile(r"^\s*Si\b|\bS[’']il s[’']agit\b|\bprobable\b|\best bien\b", re.IGNORECASE)


def hedged(err: GrammarError) -> bool:
    """True when Grammalecte itself words the error as a condition it could not check."""
    return bool(_HEDGED.search(err.message))


def _matches(err: GrammarError, patterns: list[str]) -> bool:
    return any(err.type == p or err.rule_id.startswith(p) for p in patterns)


class Grammar(Check):
    id = "grammar"
    category = "fluency/grammar"
    severity = "minor"
    doc = (
        "French grammar checked by Grammalecte (run in a separate process; needs Debian's "
        "python3-grammalecte, --grammar auto|on|off): agreement, conjugation, mood, elision, repeated "
        "words… Each Grammalecte rule type keeps the severity its precision against human MQM spans "
        "earned (WMT20 train, mtqa/data/grammar_calibration.json): major from 0.6, minor from 0.4, off below "
        "([grammar] enable/disable change that). A gender/number error about a capitalised word inside a "
        "sentence (a name read as a common word: 'le Venus Express') is at most minor, and so is an error "
        "Grammalecte words as a condition ('Si « la cour » est bien le COD…'). Its typography "
        "rules are off: typography.* covers them."
    )
    subrules = _subrules()

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.cal = calibration()

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        analysis = document_analysis(ctx.adoc, ctx.settings, ctx.resources)
        if analysis is None:
            return
        for seg in ctx.segments:
            a = analysis.get(seg.index)
            if a is not None:
                for err in a.grammar:
                    f = self._finding(seg, err)
                    if f is not None:
                        yield f

    def severity_of(self, err: GrammarError) -> str | None:
        """The severity of one Grammalecte error under the calibration and [grammar] enable/disable, or None (off)."""
        s = self.settings
        if _matches(err, s.grammar_disable):
            return None
        entry = self.cal.entry(err.type, err.rule_id)
        sev = entry.severity if entry is not None else "off"
        if sev == "off" and _matches(err, s.grammar_enable):
            sev = "minor"
        return None if sev == "off" else sev

    def _finding(self, seg: Segment, err: GrammarError) -> Finding | None:
        sev = self.severity_of(err)
        if sev is not None and sev != "minor" and err.type in NAME_TYPES and involves_name(seg.mt, err):
            sev = "minor"  # a name read as a common word: never more than minor
        if sev is not None and sev != "minor" and hedged(err):
            sev = "minor"  # Grammalecte's own reading is a guess: never more than minor
        if sev is None or not (0 <= err.start < err.end <= len(seg.mt)):
            return None
        entry = self.cal.entry(err.type, err.rule_id)
        rule = entry.rule if entry is not None else mtqa_rule(err.type)
        msg = f"{' '.join(err.message.split())} (Grammalecte {err.type}: {err.rule_id})"
        sugg = " | ".join(err.suggestions[:3]) or None
        return self.finding(seg, err.start, err.end, msg, suggestion=sugg, severity=sev, rule=rule)
