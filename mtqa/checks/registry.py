"""Every check, in one tuple, in the order the engine runs them.

The order is data: it decides the order of findings a check yields before sorting and, in
``engine.merge_same_span``, which of two equally severe findings on one span is kept (the earlier
check's). Adding a check is one module and one row here.
"""

from __future__ import annotations

from mtqa.checks.adequacy import AdequacyCheck
from mtqa.checks.base import Check
from mtqa.checks.calques import Calques
from mtqa.checks.comet_spans import CometSpansCheck
from mtqa.checks.consistency import Consistency
from mtqa.checks.gender import Gender
from mtqa.checks.glossary.check import GlossaryCheck
from mtqa.checks.grammar.check import Grammar
from mtqa.checks.names import Names
from mtqa.checks.numbers import Numbers
from mtqa.checks.omission import Omission
from mtqa.checks.sense import WrongSense
from mtqa.checks.typography import Typography
from mtqa.checks.untranslated import Untranslated
from mtqa.checks.user import UserRules
from mtqa.model import SEVERITIES

CHECKS: tuple[type[Check], ...] = (
    Untranslated,
    Numbers,
    GlossaryCheck,
    Consistency,
    Typography,
    Omission,
    WrongSense,
    Names,
    Gender,
    Calques,
    Grammar,  # Grammalecte, in a worker process (--grammar)
    AdequacyCheck,
    CometSpansCheck,
    UserRules,  # user rule files (Vale-style), [rules] files in mtqa.toml
)


def validate(checks: tuple[type[Check], ...]) -> dict[str, type[Check]]:
    """{check id: class}, after checking ids are unique and severities and sub-rule ids are valid."""
    out: dict[str, type[Check]] = {}
    for cls in checks:
        if cls.id in out:
            raise ValueError(f"duplicate check id {cls.id}")
        if cls.severity not in SEVERITIES:
            raise ValueError(f"{cls.id}: bad default severity {cls.severity}")
        for info in cls.subrules:
            if not info.id.startswith(cls.id + ".") or info.severity not in SEVERITIES:
                raise ValueError(f"{cls.id}: bad sub-rule {info.id} ({info.severity})")
        out[cls.id] = cls
    return out


REGISTRY: dict[str, type[Check]] = validate(CHECKS)
# Rule-id families that user rule files may not use (``typography.*`` belongs to the check).
BUILTIN_FAMILIES = frozenset(cid.split(".")[0] for cid in REGISTRY)
