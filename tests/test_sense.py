"""Wrong sense in context (sense.wrong): positive and negative cases across domains, context
levels and severities, data validation, the seed pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtqa.checks.base import CheckContext
from mtqa.checks.sense import HEADWORD_SPEC, WrongSense, build_headwords, load_headwords
from mtqa.config import Settings
from mtqa.errors import ConfigError
from mtqa.model import AlignedDocument, Document, Segment, Side
from mtqa.ruledata import parse_yaml, validate_records

SEED = Path(__file__).resolve().parent.parent / "references" / "kyiv-air-defence"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sense"


def run_pairs(pairs: list[tuple[str, str]], check: WrongSense | None = None):
    """Run the check on segments given as (English, French) pairs (no aligner: the pairs are the
    alignment)."""
    segs = [Segment(i, en, fr, None, (i,), (i,), "1-1", 1.0) for i, (en, fr) in enumerate(pairs)]
    src = "\n\n".join(en for en, _ in pairs)
    mt = "\n\n".join(fr for _, fr in pairs)
    doc = Document("t", Side("en", src, []), Side("fr", mt, []))
    ctx = CheckContext(AlignedDocument(doc, segs, []), Settings(), None)
    return list((check or WrongSense(Settings())).run(ctx))


def one(en: str, fr: str):
    return run_pairs([(en, fr)])


def paragraphs(path: Path) -> list[str]:
    return [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


# (English source, faulty French, the wrong French span, the source word) — each fires
POSITIVE = [
    # defence
    ("Russian missile strikes hit Kyiv overnight, killing three people.",
     "Des grèves de missiles russes ont frappé Kiev dans la nuit, tuant trois personnes.", "grèves", "strikes"),
    ("Rail workers went on strike on Monday over pay, and the union said the strike would last a week.",
     "Les cheminots ont lancé lundi une frappe sur les salaires, et le syndicat a indiqué qu'elle durerait une semaine.",
     "frappe", "strike"),
    ("Artillery shells hit the village as troops shelled the positions.",
     "Des coquilles d'artillerie ont touché le village.", "coquilles", "shells"),
    ("The navy held live-fire drills near the island.",
     "La marine a organisé des forages à tirs réels près de l'île.", "forages", "drills"),
    ("Leopard tanks and armoured vehicles were delivered to the front.",
     "Des réservoirs Leopard et des véhicules blindés ont été livrés au front.", "réservoirs", "tanks"),
    ("Hamas fired rockets at southern Israel, and Iron Dome intercepted most of them.",
     "Le Hamas a tiré des fusées sur le sud d'Israël, et le Dôme de fer en a intercepté la plupart.", "fusées", "rockets"),
    ("Western intelligence agencies shared their assessment with Kyiv.",
     "Les agences d'intelligence occidentales ont partagé leur évaluation avec Kiev.", "intelligence", "intelligence"),
    # justice
    ("The murder trial opened in Paris with the judge hearing the first witnesses.",
     "L'essai pour meurtre s'est ouvert à Paris, le juge entendant les premiers témoins.", "essai", "trial"),
    ("He was sentenced to a ten-year prison sentence for fraud.",
     "Il a été condamné à une phrase de dix ans de prison pour fraude.", "phrase", "sentenced"),
    ("The Supreme Court ruled that the law was unconstitutional.",
     "Le terrain suprême a jugé que la loi était inconstitutionnelle.", "terrain", "Court"),
    ("He was released on bail after a court hearing.",
     "Il a été remis sur bail après une audience du tribunal.", "bail", "bail"),
    ("She was charged with murder on Friday, police said.",
     "Elle a été chargée de meurtre vendredi, selon la police.", "chargée de meurtre", "charged"),
    # politics and diplomacy
    ("Thousands of supporters attended the campaign rally in Pennsylvania.",
     "Des milliers de partisans ont assisté au rebond de campagne en Pennsylvanie.", "rebond", "rally"),
    ("The bill was passed by lawmakers in the Senate on Tuesday.",
     "La facture a été adoptée mardi par les législateurs au Sénat.", "facture", "bill"),
    ("The party won 120 seats in parliament, its best election result.",
     "La fête a remporté 120 sièges au parlement, son meilleur résultat électoral.", "fête", "party"),
    ("The president took office in January and named his cabinet.",
     "Le président a pris le bureau en janvier et a nommé son cabinet.", "bureau", "office"),
    ("Opposition MPs tabled a no-confidence motion against the government.",
     "Les députés de l'opposition ont déposé un mouvement de censure contre le gouvernement.", "mouvement", "motion"),
    ("Islamic State claimed responsibility for the attack in a statement on Telegram.",
     "L'État islamique a réclamé la responsabilité de l'attaque dans un communiqué sur Telegram.", "réclamé", "claimed"),
    ("The union said workers would strike unless pay talks resumed.",
     "L'union a déclaré que les travailleurs feraient grève si les négociations salariales ne reprenaient pas.", "union", "union"),
    # economy and markets
    ("Bond yields rose as investors sold government bonds after the central bank decision.",
     "Les rendements des liens ont augmenté, les investisseurs vendant des liens d'État.", "liens", "Bond"),
    ("Stocks rallied on Wall Street as the Nasdaq gained 2 percent.",
     "Les actions ont organisé un rassemblement à Wall Street, le Nasdaq gagnant 2 %.", "rassemblement", "rallied"),
    ("The nuclear power plant was shut down after the reactor lost power.",
     "La plante nucléaire a été arrêtée après que le réacteur a perdu l'électricité.", "plante", "plant"),
    ("The central bank cut interest rates by 25 basis points.",
     "La banque centrale a réduit les tarifs d'intérêt de 25 points de base.", "tarifs d'intérêt", "rates"),
    ("Oil prices rose after OPEC cut output, with Brent at $80 a barrel.",
     "Les prix de l'huile ont augmenté après la réduction de production de l'OPEP, le Brent à 80 dollars.", "huile", "Oil"),
    ("The firm's shares fell 5 percent after it reported a loss.",
     "Les partages de la société ont chuté de 5 % après l'annonce d'une perte.", "partages", "shares"),
    ("Oil futures fell 2 percent on the New York Mercantile Exchange.",
     "Les futurs du pétrole ont baissé de 2 % sur le New York Mercantile Exchange.", "futurs", "futures"),
    # disasters
    ("Flames and smoke billow from a burning warehouse.",
     "Des flammes et de la fumée s'échauffent d'un entrepôt en feu.", "s'échauffent", "billow"),
    ("Heavy rain triggered landslides that buried homes in the mountain village.",
     "De fortes pluies ont provoqué des raz-de-marée qui ont enseveli des maisons du village de montagne.",
     "raz-de-marée", "landslides"),
    # sport and technology
    ("The striker scored twice as the club won the league.",
     "Le gréviste a marqué deux fois et le club a remporté le championnat.", "gréviste", "striker"),
    ("The chip export controls target Nvidia's most advanced AI products.",
     "Les contrôles à l'exportation des chips visent les produits d'IA les plus avancés de Nvidia.", "chips", "chip"),
]


@pytest.mark.parametrize("en,fr,span,word", POSITIVE, ids=[p[3] + ":" + p[2] for p in POSITIVE])
def test_wrong_sense_fires(en, fr, span, word):
    found = one(en, fr)
    spans = [(f.mt_text, f.source_text) for f in found]
    assert any(s == span for s, _ in spans), spans
    f = next(f for f in found if f.mt_text == span)
    assert f.source_text == word
    assert f.rule == "sense.wrong" and f.category == "accuracy/mistranslation"
    assert f.severity in ("major", "critical")
    assert fr[fr.index(span):][: len(span)] == f.mt_text == fr[f.mt_start:f.mt_end]
    assert f.suggestion  # an expected rendering is named
    assert f.suggestion in f.message or "expected" in f.message or "also present" in f.message


# (English source, correct French) — quiet
NEGATIVE = [
    ("Rail workers went on strike on Monday over pay, and the union said the strike would last a week.",
     "Les cheminots se sont mis en grève lundi pour les salaires, et le syndicat a indiqué que la grève durerait une semaine."),
    ("Russian missile strikes hit Kyiv overnight, killing three people.",
     "Des frappes de missiles russes ont touché Kiev dans la nuit, faisant trois morts."),
    ("The murder trial opened in Paris with the judge hearing the first witnesses.",
     "Le procès pour meurtre s'est ouvert à Paris, le juge entendant les premiers témoins."),
    ("The clinical trial showed the vaccine was 90 percent effective, the drugmaker said.",
     "L'essai clinique a montré que le vaccin était efficace à 90 %, a indiqué le laboratoire."),
    ("He was sentenced to a ten-year prison sentence for fraud.",
     "Il a été condamné à une peine de dix ans de prison pour fraude."),
    ("The minister's statement was a single sentence long.",
     "La déclaration du ministre tenait en une seule phrase."),
    ("The nuclear power plant was shut down after the reactor lost power.",
     "La centrale nucléaire a été arrêtée après une coupure d'électricité du réacteur."),
    ("Bond yields rose as investors sold government bonds after the central bank decision.",
     "Les rendements obligataires ont augmenté, les investisseurs vendant des obligations d'État."),
    ("Stocks rallied on Wall Street as the Nasdaq gained 2 percent.",
     "Les actions ont rebondi à Wall Street, le Nasdaq gagnant 2 %."),
    ("Thousands of supporters attended the campaign rally in Pennsylvania.",
     "Des milliers de partisans ont assisté au meeting de campagne en Pennsylvanie."),
    ("The bill was passed by lawmakers in the Senate on Tuesday.",
     "Le projet de loi a été adopté mardi par les sénateurs."),
    ("Households face higher energy bills this winter.",
     "Les ménages vont payer des factures d'énergie plus élevées cet hiver."),
    ("The party won 120 seats in parliament, its best election result.",
     "Le parti a remporté 120 sièges au parlement, son meilleur résultat électoral."),
    ("Russian forces pounded Kharkiv with missiles and drones overnight.",
     "Les forces russes ont pilonné Kharkiv avec des missiles et des drones pendant la nuit."),
    ("The pound fell against the dollar after the Bank of England decision.",
     "La livre sterling a reculé face au dollar après la décision de la Banque d'Angleterre."),
    ("Flames and smoke billow from a burning warehouse.",
     "Des flammes et de la fumée s'échappent d'un entrepôt en feu."),
    ("The striker scored twice as the club won the league.",
     "L'attaquant a marqué deux fois et le club a remporté le championnat."),
    ("Striking dock workers and the union rejected the offer; strikers picketed the port.",
     "Les dockers grévistes et le syndicat ont rejeté l'offre ; les grévistes ont bloqué le port."),
    ("The tennis court was flooded before the match.",
     "Le court de tennis a été inondé avant le match."),
    ("Heavy rain triggered landslides that buried homes in the mountain village.",
     "De fortes pluies ont provoqué des glissements de terrain qui ont enseveli des maisons du village."),
    ("The ruling party won a landslide victory in the election.",
     "Le parti au pouvoir a remporté une victoire écrasante aux élections."),
    ("Oil prices rose after OPEC cut output, with Brent at $80 a barrel.",
     "Les cours du pétrole ont augmenté après la baisse de production de l'OPEP, le Brent à 80 dollars le baril."),
    ("Olive oil prices doubled after the drought in Spain.",
     "Le prix de l'huile d'olive a doublé après la sécheresse en Espagne."),
]


@pytest.mark.parametrize("en,fr", NEGATIVE, ids=[n[0][:40] for n in NEGATIVE])
def test_right_sense_is_quiet(en, fr):
    assert one(en, fr) == []


def test_both_senses_in_one_sentence_each_decided_near_the_word():
    en = "Dock workers went on strike on Monday, hours after a Russian missile strike hit the port."
    good = "Les dockers se sont mis en grève lundi, quelques heures après une frappe de missile russe sur le port."
    assert one(en, good) == []
    bad = "Les dockers se sont mis en grève lundi, quelques heures après une grève de missile russe sur le port."
    found = one(en, bad)
    # the second 'grève' is wrong for the missile strike; the first is right for the workers' strike
    assert [(f.mt_text, f.mt_start, f.source_start) for f in found] == [("grève", bad.rindex("grève"), en.rindex("strike"))]


def test_sense_from_neighbouring_sentences_is_one_step_lower():
    pairs = [
        ("Dock workers and their union rejected the employers' pay offer on Monday.",
         "Les dockers et leur syndicat ont rejeté lundi l'offre salariale des employeurs."),
        ("The strike continued into a second day.", "La frappe s'est poursuivie pour la deuxième journée."),
    ]
    found = run_pairs(pairs)
    assert [(f.segment, f.mt_text) for f in found] == [(1, "frappe")]
    assert found[0].severity == "minor"  # labour sense severity major, one step lower
    assert "neighbouring" in found[0].message


FESTIVAL = [
    ("The Venice film festival opened on Wednesday with a new film by a young director.",
     "Le festival du film de Venise s'est ouvert mercredi avec un nouveau film d'un jeune réalisateur."),
    ("Critics praised the cast and the script of the film at the festival.",
     "Les critiques ont salué la distribution et le scénario du film au festival."),
    ("The Iranian director won the top prize at the festival for his film.",
     "Le directeur iranien a remporté le premier prix au festival pour son film."),
]


def test_two_plain_cues_that_the_document_confirms_are_strong():
    found = run_pairs(FESTIVAL)
    assert [(f.segment, f.mt_text, f.severity) for f in found] == [(2, "directeur", "major")]


def test_two_plain_cues_alone_or_one_cue_with_the_document_stay_minor():
    # the same sentence without a story around it: two plain cues are weak evidence
    [f] = run_pairs(FESTIVAL[2:])
    assert (f.mt_text, f.severity) == ("directeur", "minor") and "weak context" in f.message
    # one plain cue (film) in the sentence, even in a film story: weak
    one_cue = (FESTIVAL[2][0].replace(" at the festival", ""), FESTIVAL[2][1].replace(" au festival", ""))
    [f] = run_pairs([*FESTIVAL[:2], one_cue])
    assert (f.mt_text, f.severity) == ("directeur", "minor")


def test_no_cue_uses_default_sense_at_minor_and_says_so():
    found = one("The sentence was long.", "La phrase était longue.")
    assert [f.mt_text for f in found] == ["phrase"]
    assert found[0].severity == "minor"
    assert "no context cue" in found[0].message


def test_ambiguous_cues_report_only_what_is_wrong_in_every_sense_at_minor():
    en = "Curtains billow as smoke fills the room."
    found = one(en, "Les rideaux s'échauffent tandis que la fumée envahit la pièce.")
    assert [f.mt_text for f in found] == ["s'échauffent"]
    assert found[0].severity == "minor"
    assert "ambiguous" in found[0].message
    # 'se gonfler' is right for curtains, wrong for smoke: undecided, so not reported
    assert one(en, "Les rideaux se gonflent tandis que la fumée envahit la pièce.") == []


def test_capitalised_name_mid_sentence_is_not_a_headword():
    # 'Shell' the company, 'Bond' the surname: names, not the common nouns
    assert one("Artillery fire hit a depot owned by Shell near the front.",
               "Des tirs d'artillerie ont touché un dépôt de Shell près du front.") == []


def test_another_source_word_accounts_for_the_french():
    # 'grève' renders 'walkout'... no: here 'strike' (labour) legitimately gives grève while the
    # drone 'attack' gives attaque; the military-looking cue words do not make 'grève' wrong
    en = "Workers went on strike after a drone attack on the plant killed two colleagues."
    fr = "Les ouvriers se sont mis en grève après qu'une attaque de drone contre l'usine a tué deux collègues."
    assert one(en, fr) == []


# ---------------------------------------------------------------- data


def test_packaged_data_is_broad():
    hws = load_headwords()
    assert len(hws) >= 150
    assert sum(len(h.senses) for h in hws) >= 2 * len(hws)
    domains = {h.domain for h in hws}
    for d in ("defence", "diplomacy", "politics", "justice", "economy", "disasters", "sport", "technology"):
        assert d in domains, d
    for h in hws:
        assert any(s.wrong for s in h.senses), h.word


def _build(text: str, tmp_path: Path):
    p = tmp_path / "sense.yaml"
    p.write_text(text, encoding="utf-8")
    return build_headwords(validate_records(parse_yaml(text, str(p)), str(p), HEADWORD_SPEC, key="headwords"))


GOOD_ENTRY = """headwords:
- word: plot
  domain: politics
  senses:
  - sense: a conspiracy
    cues: [coup, assassination]
    right: [complot]
    wrong: [parcelle]
  - sense: a piece of land
    cues: [land, garden]
    right: [parcelle]
    wrong: [complot]
"""


def test_a_custom_data_file_drives_the_check(tmp_path):
    check = WrongSense(Settings(), headwords=_build(GOOD_ENTRY, tmp_path))
    found = run_pairs([("Police foiled a coup plot.", "La police a déjoué une parcelle de coup d'État.")], check)
    assert [f.mt_text for f in found] == ["parcelle"]
    assert run_pairs([("Police foiled a coup plot.", "La police a déjoué un complot.")], check) == []


@pytest.mark.parametrize(
    "text,line,words",
    [
        (GOOD_ENTRY.replace("  - sense: a piece of land\n    cues: [land, garden]\n    right: [parcelle]\n    wrong: [complot]\n", ""),
         2, "at least two senses"),
        (GOOD_ENTRY.replace("wrong: [parcelle]", "wrong: ['re:(unclosed']"), 5, "bad regular expression"),
        (GOOD_ENTRY.replace("    right: [complot]\n", "    right: [complot]\n    colour: red\n"), 5, "unknown field"),
        (GOOD_ENTRY.replace("wrong: [parcelle]", "wrong: [complot]"), 5, "both right and wrong"),
        (GOOD_ENTRY.replace("    cues: [coup, assassination]\n", ""), 5, "needs 'cues' or 'strong'"),
        (GOOD_ENTRY.replace("domain: politics", "domain: astrology"), 2, "domain"),
        (GOOD_ENTRY.replace("cues: [land, garden]", "cues: [land, 1987]"), 9, "non-empty strings"),
    ],
)
def test_malformed_entry_names_file_and_line(tmp_path, text, line, words):
    with pytest.raises(ConfigError) as e:
        _build(text, tmp_path)
    msg = str(e.value)
    assert f"sense.yaml:{line}:" in msg, msg
    assert words in msg, msg


def test_invalid_yaml_names_file_and_line(tmp_path):
    with pytest.raises(ConfigError) as e:
        _build(GOOD_ENTRY.replace("cues: [land, garden]", "cues: [land, % garden]"), tmp_path)
    assert "sense.yaml:10:" in str(e.value)


# ---------------------------------------------------------------- the seed pack


def _seed_pairs(mt_name: str) -> list[tuple[str, str]]:
    src, mt = paragraphs(SEED / "source.en.txt"), paragraphs(SEED / mt_name)
    assert len(src) == len(mt) == 13
    return list(zip(src, mt))


def test_seed_mt_findings():
    found = run_pairs(_seed_pairs("mt.fr.txt"))
    got = {(f.segment, f.mt_text): f for f in found}
    strike = got[(0, "grèves")]
    assert strike.severity == "critical" and strike.source_text == "strikes" and strike.suggestion == "frappe"
    billow = got[(0, "s'échauffent")]
    assert billow.severity == "major" and billow.source_text == "billow"
    assert "none of the expected renderings" in billow.message
    # offsets match the gold annotation once the segment is placed in the document
    gold = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))["errors"]
    starts = {e["mt_text"]: e["mt_start"] for e in gold if e["paragraph"] == 1}
    assert strike.mt_start == starts["grèves"] and billow.mt_start == starts["s'échauffent"]
    assert not [f for f in found if f.severity in ("major", "critical") and (f.segment, f.mt_text) not in
                {(0, "grèves"), (0, "s'échauffent")}]


def test_seed_reference_is_clean():
    found = run_pairs(_seed_pairs("ref.fr.txt"))
    assert [f for f in found if f.severity in ("major", "critical")] == []


def test_seed_end_to_end_cli(run_cli, seed):
    code, out, err = run_cli(
        "check", "-s", seed / "source.en.txt", "-t", seed / "mt.fr.txt", "-r", seed / "ref.fr.txt",
        "--glossary", seed / "glossary.csv", "-f", "json",
    )
    assert code in (0, 1), err
    report = json.loads(out)
    findings = [f for d in report["documents"] for f in d["findings"]] if "documents" in report else report["findings"]
    texts = {(f["mt_text"], f["severity"]) for f in findings if f["rule"] == "sense.wrong"}
    assert ("s'échauffent", "major") in texts
    # 'grèves' is also forbidden by the glossary: the merged finding keeps the most severe
    assert any(f["mt_text"] == "grèves" and f["severity"] == "critical" for f in findings)


NESTED = """headwords:
- word: thin
  domain: markets
  senses:
  - sense: low trading volume
    strong: [thin trading]
    right: [faible, faibles]
    wrong: ['re:\\bminces?\\b']
  - sense: slim, slender
    strong: [thin layer]
    right: [mince, glace]
- word: thin ice
  domain: climate
  senses:
  - sense: a risky position
    strong: [on thin ice]
    right: [sur la sellette]
    wrong: ['re:\\bglaces? minces?\\b']
  - sense: ice that is thin
    strong: [fell through thin ice]
    right: [glace mince]
"""


def test_a_longer_headword_judges_the_words_inside_it(tmp_path):
    """'thin' inside 'on thin ice' is judged by 'thin ice' alone: the shorter headword's right
    renderings (mince, glace) no longer claim the French span."""
    check = WrongSense(Settings(), _build(NESTED, tmp_path))
    en = "After three defeats, the coach is on thin ice."
    found = run_pairs([(en, "Après trois défaites, l'entraîneur est sur de la glace mince.")], check)
    assert [f.mt_text for f in found] == ["glace mince"]
    assert run_pairs([(en, "Après trois défaites, l'entraîneur est sur la sellette.")], check) == []
    # alone, the shorter headword is still judged
    assert [f.mt_text for f in run_pairs([("Shares rose in thin trading.", "Les actions ont monté dans des échanges minces.")], check)] == ["minces"]


REGEX_CUE = """headwords:
- word: charge
  forms: [charged]
  domain: justice
  senses:
  - sense: a criminal charge
    strong: ['re:\\bhave charged (?:\\w+ ){1,3}with\\b']
    right: [inculpé, inculpés]
    wrong: ['re:\\bchargé\\b']
  - sense: a fee
    strong: [service charge]
    right: [frais]
"""


def test_a_regular_expression_cue_is_named_by_the_words_it_matched(tmp_path):
    check = WrongSense(Settings(), _build(REGEX_CUE, tmp_path))
    found = run_pairs([("Police have charged two men with robbery.", "La police a chargé deux hommes de vol.")], check)
    assert [f.mt_text for f in found] == ["chargé"]
    assert "have charged two men with" in found[0].message and "re:" not in found[0].message
