from __future__ import annotations

from checks_support import check_offsets, make_doc, run_one

NB, NN = "\u00a0", "\u202f"


def _run(pairs):
    adoc = make_doc(pairs)
    findings = run_one("typography", adoc)
    check_offsets(findings, adoc)
    return findings


def _rules(findings, rule):
    return [f for f in findings if f.rule == rule]


# ------------------------------------------------------------------ quotes

def test_unclosed_guillemet_is_flagged():
    f = _rules(_run([
        ('He said they agreed "to meet soon."', f"Il a dit qu’ils étaient convenus «{NB}de se réunir bientôt."),
        ('"We need it."', f"«{NB}Nous en avons besoin.{NB}»"),
    ]), "typography.quotes")
    assert len(f) == 1 and f[0].mt_text == "«" and f[0].segment == 0 and f[0].severity == "minor"
    assert f[0].category == "fluency/punctuation"


def test_quote_over_several_sentences_of_one_paragraph_is_fine():
    # one paragraph, two sentence segments: « opens in the first and closes in the second
    findings = _run([[
        ('He said: "We will stay.', f"Il a déclaré{NB}: «{NB}Nous resterons."),
        ('We will not leave."', f"Nous ne partirons pas.{NB}»"),
    ]])
    assert _rules(findings, "typography.quotes") == []
    assert findings == []


def test_quote_left_open_by_the_source_too_is_fine():
    # English convention for a quotation over several paragraphs: no closing quote in paragraph 1
    findings = _run([
        ('"We will stay here.', f"«{NB}Nous resterons ici."),
        ('We will not leave."', f"«{NB}Nous ne partirons pas.{NB}»"),
    ])
    assert _rules(findings, "typography.quotes") == []


def test_mismatched_and_unopened_quotes():
    f = _rules(_run([("He said 'no'.", f"Il a dit «{NB}non”."), ("Fine.", f"Bien{NB}» donc.")]), "typography.quotes")
    assert [(x.segment, x.mt_text) for x in f] == [(0, "”"), (1, "»")]
    assert "match" in f[0].message


# ------------------------------------------------------------------ no-break spaces

def test_missing_space_before_colon_and_inside_guillemets():
    f = _rules(_run([('He said: "yes"', "Il a dit: «oui»")]), "typography.nbsp")
    assert [x.mt_text for x in f] == [":", "«", "»"]
    assert f[0].suggestion == NN + ":"


def test_nbsp_and_narrow_nbsp_are_both_fine():
    for sp in (NB, NN):
        findings = _run([('He asked: "why?"', f"Il a demandé{sp}: «{sp}pourquoi{sp}?{sp}»"),
                         ("Really!", f"Vraiment{sp}!")])
        assert findings == [], sp


def test_ordinary_spaces_reported_once_when_never_nbsp():
    f = _rules(_run([("a: b; c!", "a : b ; c !"), ("d?", "d ?")]), "typography.nbsp")
    assert len(f) == 1 and f[0].mt_text == " :" and "4 in this document" in f[0].message


def test_ordinary_space_flagged_each_time_when_the_exception():
    f = _rules(_run([("a: b; c", f"a{NB}: b{NB}; c ; d{NN}! e{NB}?")]), "typography.nbsp")
    assert [x.mt_text for x in f] == [" ;"]
    assert "elsewhere" in f[0].message


def test_times_urls_and_interrobang_are_not_flagged():
    findings = _run([("At 10:30, see https://example.org/a?b=c. Really?!", f"À 10:30, voir https://example.org/a?b=c. Vraiment{NB}?!")])
    assert _rules(findings, "typography.nbsp") == []


# ------------------------------------------------------------------ comma inside »

def test_comma_inside_closing_guillemet():
    f = _rules(_run([('"Hello," he said.', f"«{NB}Bonjour,{NB}» a-t-il dit.")]), "typography.comma-quote")
    assert len(f) == 1 and f[0].mt_text == f",{NB}»"
    clean = _run([('"Hello", he said.', f"«{NB}Bonjour{NB}», a-t-il dit.")])
    assert _rules(clean, "typography.comma-quote") == []


# ------------------------------------------------------------------ apostrophes

def test_mixed_apostrophes_minority_flagged():
    f = _rules(_run([("x", "l'armée d'Ukraine"), ("y", "l’État, d’abord, qu’il, aujourd’hui")]), "typography.apostrophe")
    assert [(x.segment, x.mt_text) for x in f] == [(0, "'"), (0, "'")]
    assert f[0].suggestion == "’"


def test_consistent_apostrophes_are_fine():
    assert _rules(_run([("x", "l'armée d'Ukraine"), ("y", "l'État qu'il")]), "typography.apostrophe") == []
    assert _rules(_run([("x", "l’armée d’Ukraine"), ("y", "l’État")]), "typography.apostrophe") == []


# ------------------------------------------------------------------ quote style

def test_english_outer_quotes_mixed_with_guillemets():
    f = _rules(_run([('He said "yes".', f"Il a dit «{NB}oui{NB}»."), ('She said "no".', f"Elle a dit «{NB}non{NB}»."),
                     ('They said "maybe".', "Ils ont dit “peut-être”.")]), "typography.quote-style")
    assert [(x.segment, x.mt_text, x.suggestion) for x in f] == [(2, "“", "«")]


def test_nested_english_quotes_and_one_style_are_fine():
    nested = _run([('He said: "They told me \'no\'."', f"Il a dit{NB}: «{NB}Ils m’ont dit “non”.{NB}»"),
                   ('"Yes."', f"«{NB}Oui.{NB}»")])
    assert _rules(nested, "typography.quote-style") == []
    assert _rules(_run([("a", "Il a dit “oui”."), ("b", "Elle a dit “non”.")]), "typography.quote-style") == []
