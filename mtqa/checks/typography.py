"""French typography: quotes, no-break spaces, commas inside guillemets, apostrophes.

Quotes are matched per MT paragraph (unit), not per segment: a quotation may run over several
sentences, so over several segments, and closes in a later sentence of the same paragraph. A quote
left open at the end of a paragraph is flagged unless the source leaves its quote open too (the
English convention for a quotation that runs over several paragraphs).

No-break spaces: French sets a no-break space (U+00A0, or the narrow U+202F) before ; : ! ? and
inside « ». A missing space is flagged at every occurrence. An ordinary space is flagged at every
occurrence when the document mostly uses no-break spaces (the ordinary ones are the exception),
and once per document otherwise (plain-text pipelines often lose them: one finding, not dozens).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mtqa.checks.base import Check, CheckContext, RuleInfo
from mtqa.model import AlignedDocument, Finding, Segment

NBSPS = "\u00a0\u202f"
OPEN_CLOSE = {"«": "»", "“": "”", "‹": "›"}
CLOSE_OPEN = {v: k for k, v in OPEN_CLOSE.items()}
_QUOTE_CHARS = re.compile(r"[«»“”‹›\"]")
# High punctuation that takes a space before it in French; "?!" / "!!" runs need it only once.
_HIGH = re.compile(r"(?<![;:!?])([;:!?])")
_URL = re.compile(r"\b(?:https?|ftp|mailto)://\S+|\bwww\.\S+|\S+@\S+\.\w+")
_APOS_STRAIGHT = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_APOS_CURLY = re.compile(r"(?<=[^\W\d_])[’ʼ](?=[^\W\d_])")


def segment_spans(adoc: AlignedDocument) -> list[tuple[Segment, int, int]]:
    """(segment, start, end) of each segment in the MT side's text, for segments that know it."""
    out = []
    for seg in adoc.segments:
        if seg.mt and seg.mt_offset is not None:
            out.append((seg, seg.mt_offset, seg.mt_offset + len(seg.mt)))
    return out


def locate(spans: list[tuple[Segment, int, int]], pos: int) -> tuple[Segment, int] | None:
    """The segment holding side offset ``pos`` and the offset relative to its ``mt``."""
    for seg, start, end in spans:
        if start <= pos < end:
            return seg, pos - start
    return None


def mt_blocks(adoc: AlignedDocument) -> list[tuple[str, int]]:
    """Paragraph texts of the MT side with their side offsets; segment texts when offsets are unknown."""
    doc = adoc.doc
    if all(s.mt_offset is not None for s in adoc.segments if s.mt) and doc.mt.units:
        return [(u.text, u.start) for u in doc.mt.units]
    return []


def _closing_position(text: str, i: int) -> bool:
    """A straight quote placed like a closing one: after a non-blank, before a blank, punctuation or the end."""
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)»" or nxt in NBSPS)


def quote_balance(text: str, top_level: list[tuple[int, str]] | None = None) -> list[tuple[int, str, str]]:
    """Problems in the quotes of ``text``: (offset, kind, char) with kind ``unclosed``,
    ``unopened`` or ``mismatched``. Straight double quotes pair with each other. Opening quotes
    outside any other quote are appended to ``top_level`` (nested “ ” inside « » are not)."""
    stack: list[tuple[int, str]] = []
    problems: list[tuple[int, str, str]] = []
    for m in _QUOTE_CHARS.finditer(text):
        c, i = m.group(), m.start()
        if c == '"':
            if stack and stack[-1][1] == '"':
                stack.pop()
            elif stack and _closing_position(text, i):
                stack.pop()  # «Regarder le sauvetage était terrifiant."
                problems.append((i, "mismatched", c))
            else:
                if not stack and top_level is not None:
                    top_level.append((i, c))
                stack.append((i, c))
        elif c in OPEN_CLOSE:
            if not stack and top_level is not None:
                top_level.append((i, c))
            stack.append((i, c))
        else:
            want = CLOSE_OPEN[c]
            if stack and stack[-1][1] == want:
                stack.pop()
            elif stack and stack[-1][1] in OPEN_CLOSE:
                stack.pop()
                problems.append((i, "mismatched", c))
            else:
                problems.append((i, "unopened", c))
    problems.extend((i, "unclosed", c) for i, c in stack)
    return sorted(problems)


def _in_url(text: str, pos: int) -> bool:
    return any(m.start() <= pos < m.end() for m in _URL.finditer(text))


class Typography(Check):
    id = "typography"
    category = "fluency/punctuation"
    severity = "minor"
    doc = (
        "French typography of the MT: quotes that are never closed or closed by the wrong mark "
        "(matched over the whole paragraph, so a quotation running over several sentences is fine); "
        "outer quotes mixing « » with “ ” or \" in one document; missing no-break spaces (U+00A0 or "
        "narrow U+202F) before ; : ! ? and inside « »; a comma inside a closing guillemet; straight "
        "and curly apostrophes mixed in one document (the minority style is flagged). Minor: the meaning is intact. Disable the family with "
        "--disable typography, one rule with e.g. --disable typography.nbsp."
    )
    subrules = (
        RuleInfo("typography.quotes", "fluency/punctuation", "minor",
                 "An opening quote never closed in its paragraph (and open only in the MT), a closing "
                 "quote with no opening one, or « closed by ” (mismatched)."),
        RuleInfo("typography.quote-style", "fluency/punctuation", "minor",
                 "Outer quotations opened with “ or \" in a document that uses « » elsewhere (or the "
                 "reverse): the minority style is flagged; “ ” nested inside « » are fine."),
        RuleInfo("typography.nbsp", "fluency/punctuation", "minor",
                 "No space, or an ordinary space, before ; : ! ? or inside « »: French uses a no-break "
                 "space (U+00A0) or a narrow no-break space (U+202F)."),
        RuleInfo("typography.comma-quote", "fluency/punctuation", "minor",
                 "A comma inside a closing guillemet (« …, »): in French the comma follows the »."),
        RuleInfo("typography.apostrophe", "fluency/punctuation", "minor",
                 "Straight (') and curly (’) apostrophes mixed in one document: the minority style is flagged."),
    )

    def run(self, ctx: CheckContext) -> Iterable[Finding]:
        adoc = ctx.adoc
        yield from self._quotes(adoc)
        yield from self._nbsp(adoc)
        yield from self._comma_quote(adoc)
        yield from self._apostrophes(adoc)

    # -------------------------------------------------------------- quotes

    def _quotes(self, adoc: AlignedDocument) -> Iterable[Finding]:
        spans = segment_spans(adoc)
        blocks = mt_blocks(adoc)
        openers: list[tuple[Segment, int, str]] = []
        if blocks:
            located = []
            for text, start in blocks:
                top: list[tuple[int, str]] = []
                for off, kind, c in quote_balance(text, top):
                    hit = locate(spans, start + off)
                    if hit is not None:
                        located.append((hit[0], hit[1], kind, c))
                for off, c in top:
                    hit = locate(spans, start + off)
                    if hit is not None:
                        openers.append((hit[0], hit[1], c))
        else:
            located = []
            for seg in adoc.segments:
                top = []
                if seg.mt:
                    located.extend((seg, off, kind, c) for off, kind, c in quote_balance(seg.mt, top))
                    openers.extend((seg, off, c) for off, c in top)
        yield from self._quote_style(openers)
        for seg, off, kind, c in located:
            if kind == "unclosed":
                # The source leaves a quote open too: a quotation running over paragraphs.
                if any(k == "unclosed" for _, k, _ in quote_balance(seg.source)):
                    continue
                msg = f"Opening {c} is never closed in this paragraph."
                sugg = f"{c}\u00a0…\u00a0{OPEN_CLOSE.get(c, c)}"
            elif kind == "unopened":
                if any(k == "unopened" for _, k, _ in quote_balance(seg.source)):
                    continue
                msg = f"Closing {c} has no opening quote in this paragraph."
                sugg = None
            else:
                msg = f"Closing {c} does not match the opening quote."
                sugg = None
            src_quote = '"' if '"' in seg.source else ""
            yield self.finding(seg, off, off + 1, msg, source_text=src_quote, suggestion=sugg, rule="typography.quotes")

    def _quote_style(self, openers: list[tuple[Segment, int, str]]) -> Iterable[Finding]:
        """Outer quotes: « » in French; “ ” or " as outer quotes next to « » elsewhere in the
        document are flagged (the minority style; English quotes on a tie)."""
        french = [o for o in openers if o[2] == "«"]
        english = [o for o in openers if o[2] in ("“", '"')]
        if not french or not english:
            return
        minority = english if len(english) <= len(french) else french
        sugg = "«" if minority is english else "“"
        for seg, off, c in minority:
            yield self.finding(seg, off, off + 1,
                               f"Quotation opened with {c} while the document uses {sugg} elsewhere "
                               f"({len(french)} × «, {len(english)} × English quotes).",
                               suggestion=sugg, rule="typography.quote-style")

    # -------------------------------------------------------------- no-break spaces

    def _nbsp_sites(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, kind, suggestion) where a no-break space is missing; kind ``none``/``space``/``ok``."""
        sites = []
        for m in _HIGH.finditer(text):
            i = m.start()
            c = m.group(1)
            if i == 0 or _in_url(text, i):
                continue
            prev = text[i - 1]
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if c == ":" and (prev.isdigit() and nxt.isdigit()):
                continue  # 10:30, 2:1
            if prev in NBSPS:
                sites.append((i - 1, i + 1, "ok", ""))
            elif prev == " ":
                sites.append((i - 1, i + 1, "space", "\u202f" + c))
            elif prev in "\n\t" or not (prev.isalnum() or prev in "»”)]%'’"):
                continue
            else:
                sites.append((i, i + 1, "none", "\u202f" + c))
        for m in re.finditer("«", text):
            i = m.end()
            nxt = text[i] if i < len(text) else ""
            if nxt in NBSPS:
                sites.append((m.start(), i + 1, "ok", ""))
            elif nxt == " ":
                sites.append((m.start(), i + 1, "space", "«\u00a0"))
            elif nxt and nxt != "\n":
                sites.append((m.start(), i, "none", "«\u00a0"))
        for m in re.finditer("»", text):
            i = m.start()
            prev = text[i - 1] if i > 0 else ""
            if prev in NBSPS:
                sites.append((i - 1, i + 1, "ok", ""))
            elif prev == " ":
                sites.append((i - 1, i + 1, "space", "\u00a0»"))
            elif prev and prev != "\n":
                sites.append((i, i + 1, "none", "\u00a0»"))
        return sorted(sites)

    def _nbsp(self, adoc: AlignedDocument) -> Iterable[Finding]:
        per_seg = [(seg, self._nbsp_sites(seg.mt)) for seg in adoc.segments if seg.mt]
        kinds = [k for _, sites in per_seg for _, _, k, _ in sites]
        n_space = kinds.count("space")
        # Ordinary spaces are flagged one by one only when they are the exception (the document
        # mostly uses no-break spaces); otherwise one finding for the document.
        mixed = kinds.count("ok") >= n_space
        reported_space = False
        for seg, sites in per_seg:
            for start, end, kind, sugg in sites:
                if kind == "none":
                    what = seg.mt[start:end]
                    yield self.finding(seg, start, end, f"No space before/after {what.strip()}: French "
                                       "uses a no-break space here.", suggestion=sugg, rule="typography.nbsp")
                elif kind == "space" and (mixed or not reported_space):
                    reported_space = True
                    if mixed:
                        msg = "Ordinary space where French uses a no-break space (the document uses one elsewhere)."
                    else:
                        msg = (f"Ordinary spaces before ; : ! ? and inside « » ({n_space} in this document, "
                               "first one here): French uses no-break spaces (U+00A0 or U+202F).")
                    yield self.finding(seg, start, end, msg, suggestion=sugg, rule="typography.nbsp")

    # -------------------------------------------------------------- comma inside »

    def _comma_quote(self, adoc: AlignedDocument) -> Iterable[Finding]:
        for seg in adoc.segments:
            for m in re.finditer(r",[\s\u00a0\u202f]*»", seg.mt):
                yield self.finding(seg, m.start(), m.end(), "Comma inside the closing guillemet: in French "
                                   "it goes after the ».", suggestion="\u00a0»,", rule="typography.comma-quote")

    # -------------------------------------------------------------- apostrophes

    def _apostrophes(self, adoc: AlignedDocument) -> Iterable[Finding]:
        straight = [(seg, m.start()) for seg in adoc.segments for m in _APOS_STRAIGHT.finditer(seg.mt)]
        curly = [(seg, m.start()) for seg in adoc.segments for m in _APOS_CURLY.finditer(seg.mt)]
        if not straight or not curly:
            return
        minority, majority_char = (straight, "’") if len(straight) <= len(curly) else (curly, "'")
        n_major = max(len(straight), len(curly))
        for seg, i in minority:
            yield self.finding(
                seg, i, i + 1,
                f"Apostrophe style differs from the rest of the document ({n_major} × {majority_char}).",
                suggestion=majority_char, rule="typography.apostrophe",
            )
