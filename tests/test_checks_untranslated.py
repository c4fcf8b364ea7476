from __future__ import annotations

from checks_support import check_offsets, make_doc, needs_grammalecte_marker, run_one

from mtqa.checks import untranslated as ut


def _run(src, mt):
    adoc = make_doc([(src, mt)])
    findings = run_one("untranslated", adoc)
    check_offsets(findings, adoc)
    return findings


def test_us_outlet_left_in_english():
    f = _run("U.S. outlet Axios reported, citing unnamed sources, that the call lasted about 40 minutes.",
             "US Outlet Axios a rapporté, citant des sources anonymes, que l’appel a duré environ 40 minutes.")
    assert len(f) == 1 and f[0].mt_text == "US Outlet" and f[0].severity == "major"
    assert f[0].source_text == "U.S. outlet"
    assert "É.-U." in (f[0].suggestion or "")


def test_correct_translation_with_names_is_clean():
    assert _run("U.S. outlet Axios reported that Trump told Zelenskyy he would check.",
                "Le média américain Axios a rapporté que Donald Trump avait dit à Volodymyr Zelensky qu’il vérifierait.") == []
    assert _run("Trump spoke with German Chancellor Friedrich Merz, according to Spiegel magazine, citing government sources.",
                "Donald Trump s’est entretenu avec le chancelier allemand Friedrich Merz, selon le magazine Der Spiegel, "
                "qui cite des sources gouvernementales.") == []


def test_english_clause_left_in_french():
    f = _run("He said the talks would resume next week, officials said.",
             "Il a déclaré que the talks would resume next week, selon des responsables.")
    assert len(f) == 1 and f[0].mt_text == "the talks would resume next week"


def test_whole_sentence_copied():
    src = "The conversation came a day after Trump said he had a disappointing call."
    f = _run(src, src)
    assert len(f) == 1 and f[0].severity == "major" and len(f[0].mt_text) > 40


def test_lone_acronym_is_minor_and_lone_loanword_is_not_reported():
    f = _run("The U.N. envoy met U.S. officials.", "L’envoyé de l’ONU a rencontré des responsables US.")
    assert [(x.mt_text, x.severity) for x in f] == [("US", "minor")]
    # a lone copied word is mostly a loanword French uses too: not reported (a known blind spot)
    assert _run("Stocks fell as trading resumed after the shutdown.",
                "Les actions ont chuté à la reprise du trading après le shutdown.") == []
    assert _run("He was paid 5 billion US dollars.", "Il a reçu 5 milliards de dollars US.") == []


def test_anglicisms_in_french_use_are_not_flagged():
    # "leader", "drone", "week-end" are French words too; names/URLs/quoted titles are protected
    assert _run("The U.S. leader spoke about drones at the weekend.",
                "Le leader américain a parlé des drones pendant le week-end.") == []
    assert _run("Read it at https://www.reuters.com/world/the-story or on Telegram.",
                "Lisez-le sur https://www.reuters.com/world/the-story ou sur Telegram.") == []
    assert _run('She starred in "The Crown" and "Breaking Bad".',
                "Elle a joué dans « The Crown » et « Breaking Bad ».") == []


def test_quoted_english_speech_is_flagged():
    f = _run('He said "we will not leave" on Friday.', "Il a dit « we will not leave » vendredi.")
    assert len(f) == 1 and f[0].mt_text == "we will not leave"


# -- by lexicon, with word frequencies (needs Grammalecte) ----------------------------------------
needs_grammalecte = needs_grammalecte_marker()


@needs_grammalecte
def test_css_left_in_the_text_is_code_not_english():
    src = 'Soft grip. <p style="text-indent: 20px; border: 1px solid">'
    assert _run(src, 'Poignée souple. <p style="text-indent : 20px ; border : 1px solid">') == []
    # the same word outside a declaration is English left as is
    f = _run("Solid handles and a solid grip.", "Poignées solid et prise ferme.")
    assert [x.mt_text for x in f] == ["solid"]


def test_css_mask_covers_only_known_properties():
    text = "border : 1px solid ; Remarque : solid ;"
    spans = [text[a:b] for a, b in ut._masked_ranges(text)]
    assert "border : 1px solid ;" in spans
    assert not any("Remarque" in s for s in spans)


@needs_grammalecte
def test_a_lowercase_loan_french_uses_is_quiet():
    # "emails" is unknown to Grammalecte's lexicon but common in French text (wordfreq): a loan
    assert _run("She sent emails to the board.", "Elle a envoyé des emails au conseil.") == []
    f = _run("The bag has two strong handles.", "Le sac a deux handles solides.")
    assert [(x.mt_text, x.severity) for x in f] == [("handles", "major")]


def test_frequency_verdict_by_branch():
    assert ut.frequency_verdict(["handles"], "lower")
    assert not ut.frequency_verdict(["emails"], "lower")
    assert ut.frequency_verdict(["Warranty"], "capitalised")
    assert not ut.frequency_verdict(["Osprey"], "capitalised")  # rare in English too: a brand
    assert not ut.frequency_verdict(["Rubberized"], "capitalised")
    assert not ut.frequency_verdict(["USB"], "acronym")
    # next to other capitals in a partly translated title, a smaller English/French gap is enough
    assert ut.frequency_verdict(["Coffee"], "partial")
    assert not ut.frequency_verdict(["Coffee"], "capitalised")


@needs_grammalecte
def test_capitalised_common_english_word_is_minor():
    f = _run("Lifetime Warranty on the frame.", "Cadre avec garantie Warranty à vie.")
    assert [(x.mt_text, x.severity) for x in f] == [("Warranty", "minor")]


@needs_grammalecte
def test_capitalised_word_in_a_name_context_is_quiet():
    # next to another capital (a name), at a sentence start, or part of a domain
    assert _run("The Flight Centre results.", "Les résultats de Flight Centre.") == []
    assert _run("Warranty: none.", "Warranty : aucune.") == []
    assert _run("Sign up on Warranty.gov today.", "Inscrivez-vous sur Warranty.gov aujourd'hui.") == []


def test_name_context():
    text = "Le Tea Party et la garantie Warranty. Money a dit."
    assert ut.in_name_context(text, text.index("Party"), text.index("Party") + 5)
    assert ut.in_name_context(text, text.index("Money"), text.index("Money") + 5)
    assert not ut.in_name_context(text, text.index("Warranty"), text.index("Warranty") + 8)


def test_a_word_newer_than_the_dictionary_counts_as_english_by_frequency():
    # "scooters"/"mopeds" are not in GCIDE; wordfreq finds them in English and not in French
    assert ut.lexicon_word("mopeds", {"mopeds"}, frozenset())
    assert not ut.lexicon_word("mopeds", {"bikes"}, frozenset())  # not in the source
    assert not ut.lexicon_word("Pichette", {"pichette"}, frozenset())  # a name: rare in English


@needs_grammalecte
def test_an_english_word_unknown_to_the_dictionary_left_in_french_is_flagged():
    f = _run("They fled on two mopeds.", "Ils se sont enfuis sur deux mopeds.")
    assert [(x.mt_text, x.severity) for x in f] == [("mopeds", "major")]
    assert _run("They fled on two mopeds.", "Ils se sont enfuis sur deux scooters.") == []


def test_case_adapted_words():
    # the source has the word only with capitals inside a sentence: the French respelled it
    assert ut.case_adapted("kenyans", "The Kenyan media angered the authorities.")
    assert ut.case_adapted("leds", "The city uses LEDs to cut costs.")
    # copied as written, or the capital only starts the source sentence: not adapted
    assert not ut.case_adapted("handles", "The handles are made of steel.")
    assert not ut.case_adapted("handles", "Handles are made of steel.")
    assert not ut.case_adapted("kenyans", "Kenyan media angered the authorities.")
    assert not ut.case_adapted("Kenyans", "The Kenyan media angered the authorities.")


@needs_grammalecte
def test_a_respelled_capitalised_word_is_minor_a_copied_one_major():
    f = _run("The Kenyan media angered the authorities.", "Les médias kenyans ont irrité les autorités.")
    assert [(x.mt_text, x.severity) for x in f] == [("kenyans", "minor")]
    f = _run("They fled on two mopeds.", "Ils se sont enfuis sur deux mopeds.")
    assert [(x.mt_text, x.severity) for x in f] == [("mopeds", "major")]



def test_quoted_term():
    text = 'La banque a souligné que la "bad bank" permettrait de tourner la page.'
    assert ut.quoted_term(text, text.index("bank"), text.index("bank") + 4)
    text = "Il a dit « the handles were broken » hier."  # a quoted sentence, not a term
    assert not ut.quoted_term(text, text.index("handles"), text.index("handles") + 7)
    text = "Les handles sont cassées."
    assert not ut.quoted_term(text, text.index("handles"), text.index("handles") + 7)


@needs_grammalecte
def test_a_quoted_loan_is_minor():
    f = _run('The bank stressed that the "bad bank" would help.', 'La banque a dit que la "bad bank" aiderait.')
    assert ("bank", "minor") in [(x.mt_text, x.severity) for x in f]
    assert ("bank", "major") not in [(x.mt_text, x.severity) for x in f]


# -- capitalised words: a partly translated source phrase ------------------------------------------
def test_partly_translated_phrase():
    src = "Coleman Enamelware Coffee Mug (Blue)"
    assert ut.partly_translated("Coffee", src, "Tasse Coffee en émail Coleman (bleu)")
    # kept whole, in order: a name; a word outside any capitalised phrase; a link word is no evidence
    assert not ut.partly_translated("Coffee", src, "Coleman Enamelware Coffee Mug (bleu)")
    assert not ut.partly_translated("Coffee", "Pour some coffee.", "Versez du Coffee.")
    assert not ut.partly_translated("Party", "The Tea Party is aghast.", "Le Tea Party est atterré.")


@needs_grammalecte
def test_a_common_word_kept_from_a_partly_translated_title_is_minor():
    f = _run("Coleman Enamelware Coffee Mug (Blue)", "Tasse Coffee en émail Coleman (bleu)")
    assert [(x.mt_text, x.severity) for x in f] == [("Coffee", "minor")]
    # the same title kept whole is a product name: not flagged
    assert _run("Coleman Enamelware Coffee Mug (Blue)", "Coleman Enamelware Coffee Mug (bleu)") == []


@needs_grammalecte
def test_news_names_kept_whole_are_quiet():
    # a kept name, a quoted title, a brand: the source phrase is not partly translated
    assert _run("The Tea Party is aghast.", "Le Tea Party est atterré.") == []
    assert _run('She starred in "Breaking Bad" last year.', "Elle a joué dans « Breaking Bad » l'an dernier.") == []
    assert _run("Sales of the Apple Watch fell.", "Les ventes de l'Apple Watch ont baissé.") == []
    # a capitalised English word alone (no capitalised phrase in the source): no longer flagged
    assert _run("Our Warranty covers the frame.", "Notre Warranty couvre le cadre.") == []


def test_english_compound():
    assert ut.english_compound("handguard") and ut.english_compound("kicktail")
    # French uses the whole word (shutdown, airsoft), or a half is not a common English word
    assert not ut.english_compound("shutdown") and not ut.english_compound("airsoft")
    assert not ut.english_compound("handguarx") and not ut.english_compound("garde")


@needs_grammalecte
def test_a_closed_english_compound_left_in_french_is_flagged():
    f = _run("The rifle ships with a two piece handguard.", "Le fusil est livré avec un handguard en deux pièces.")
    assert [(x.mt_text, x.severity) for x in f] == [("handguard", "major")]
    assert _run("The rifle ships with a two piece handguard.", "Le fusil est livré avec un garde-main en deux pièces.") == []
    # news: a compound French uses is a loan
    assert _run("The government shutdown ended on Friday.", "Le shutdown du gouvernement a pris fin vendredi.") == []


def test_an_acronym_glued_to_a_word_is_left_out_of_its_parts():
    assert ut._parts("hoursUL") == ["hours"]
    assert ut._parts("poundsBlue") == ["pounds", "Blue"]
    # a capital letter alone (a glued sentence start), an acronym alone, a hyphenated word: kept
    assert ut._parts("systemA") == ["system", "A"]
    assert ut._parts("USB") == ["USB"]
    assert ut._parts("USB-powered") == ["USB", "powered"]
