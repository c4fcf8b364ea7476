"""MQM scoring: penalty points per 1,000 source words and a 0–100 quality score per document.

Follows the MQM 2.0 scoring model: absolute penalty total (APT) = Σ severity weights;
overall quality score = 100 × (1 − APT / evaluation word count), floored at 0.
"""

from __future__ import annotations

from collections import Counter

from mtqa.model import SEVERITIES, Finding


def word_count(text: str) -> int:
    return len(text.split())


def mqm_summary(findings: list[Finding], source_words: int, weights: dict[str, float]) -> dict:
    counts = Counter(f.severity for f in findings)
    penalty = sum(weights.get(f.severity, 0.0) for f in findings)
    words = max(source_words, 1)
    return {
        "source_words": source_words,
        "counts": {s: counts.get(s, 0) for s in SEVERITIES},
        "penalty": round(penalty, 4),
        "penalty_per_1000_words": round(penalty * 1000.0 / words, 4),
        "score": round(max(0.0, 100.0 * (1.0 - penalty / words)), 4),
        "weights": {s: weights.get(s, 0.0) for s in SEVERITIES},
    }
