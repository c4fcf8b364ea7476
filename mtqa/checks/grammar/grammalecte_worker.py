"""The Grammalecte worker: a separate program, run by Debian's ``/usr/bin/python3`` (which has
the GPL-3.0 ``grammalecte`` package), never imported by mtqa (Apache-2.0).

It reads JSON lines on stdin and writes one JSON line per request on stdout:

* ``{"id": 1, "text": "…"}`` → ``{"id": 1, "grammar": [[start, end, rule_id, type, message,
  [suggestions]], …], "unknown": [[start, end], …]}`` (Grammalecte's grammar errors, and the
  words its lexicon, graphspell, does not know);
* ``{"id": 2, "lemmas": ["chats", …]}`` → ``{"id": 2, "lemmas": {"chats": ["chat"], …}}``;
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
            else:
                out["version"] = _version(grammalecte)
        except Exception as e:  # noqa: BLE001 -- a bug in Grammalecte on one text: say so, keep serving
            out["error"] = f"{type(e).__name__}: {e}"
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
