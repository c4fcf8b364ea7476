"""The Grammalecte worker: a separate program, run by Debian's ``/usr/bin/python3`` (which has
the GPL-3.0 ``grammalecte`` package), never imported by mtqa (Apache-2.0).

It reads JSON lines on stdin and writes one JSON line per request on stdout:

* ``{"id": 1, "text": "…"}`` → ``{"id": 1, "grammar": [[start, end, rule_id, type, message,
  [suggestions]], …], "unknown": [[start, end], …]}`` (Grammalecte's grammar errors, and the
  words its lexicon, graphspell, does not know);
* ``{"id": 2, "lemmas": ["chats", …]}`` → ``{"id": 2, "lemmas": {"chats": ["chat"], …}}``;
* ``{"id": 3, "morph": ["chats", …]}`` → ``{"id": 3, "morph": {"chats": [[lemma, tags], …], …}}``
  (each reading of the word in the lexicon: ``chat``, ``:N:m:p``);
* ``{"id": 4, "flexions": ["chat", …]}`` → ``{"id": 4, "flexions": {"chat": [[form, tags], …], …}}``
  (every form the lexicon gives that lemma; the index is built on the first such request, ~1 s);
* ``{"id": 0, "hello": true}`` → ``{"id": 0, "version": "…"}``.

It exits on end of input, and when its parent dies (``PR_SET_PDEATHSIG``): it never outlives mtqa.
"""

import json
import signal
import sys


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: stdin EOF still ends the worker
        pass


def _version(grammalecte) -> str:
    try:
        from grammalecte.fr import gc_engine

        return "Grammalecte " + str(getattr(gc_engine, "version", "?"))
    except ImportError:
        return "Grammalecte ?"


def _check(checker, text: str) -> dict:
    grammar, spelling = checker.getParagraphErrors(text)
    return {
        "grammar": [[e["nStart"], e["nEnd"], e["sRuleId"], e["sType"], e["sMessage"], e.get("aSuggestions") or []]
                    for e in grammar],
        "unknown": [[e["nStart"], e["nEnd"]] for e in spelling],
    }


def _lemmas(checker, words: list) -> dict:
    spell = checker.getSpellChecker()
    return {w: sorted(spell.getLemma(w)) for w in words}


def _readings(checker, words: list) -> dict:
    spell = checker.getSpellChecker()
    out = {}
    for w in words:
        # getMorph gives ">lemma/tags/dictionary" strings
        out[w] = sorted({tuple(m[1:].split("/")[:2]) for m in spell.getMorph(w) if m.startswith(">") and m.count("/") >= 2})
    return out


_FLEXIONS: dict = {}


def _flexions(checker, lemmas: list) -> dict:
    if not _FLEXIONS:
        for form, lemma, tags in checker.getSpellChecker().oMainDic.select():
            _FLEXIONS.setdefault(lemma, []).append([form, tags])
    return {w: sorted(_FLEXIONS.get(w, [])) for w in lemmas}


def main() -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: mtqa stops us
    import grammalecte

    checker = grammalecte.GrammarChecker("fr")
    for line in sys.stdin:
        req = json.loads(line)
        out: dict = {"id": req.get("id")}
        try:
            if "text" in req:
                out.update(_check(checker, req["text"]))
            elif "lemmas" in req:
                out["lemmas"] = _lemmas(checker, req["lemmas"])
            elif "morph" in req:
                out["morph"] = _readings(checker, req["morph"])
            elif "flexions" in req:
                out["flexions"] = _flexions(checker, req["flexions"])
            else:
                out["version"] = _version(grammalecte)
        except Exception as e:  # noqa: BLE001 -- a bug in Grammalecte on one text: say so, keep serving
            out["error"] = f"{type(e).__name__}: {e}"
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
