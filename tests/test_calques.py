import pytest
from conftest import FIXTURES, PACKS
from hypothesis import given, settings
from hypothesis import strategies as st
from lexical_support import expected_errors, found, pack_context, run

from mtqa.checks.calques import (
    PATTERN_SPEC,
    Calques,
    build_patterns,
    load_patterns,
    load_prefilter,
)
from mtqa.checks.names import Names
from mtqa.errors import ConfigError
from mtqa.ruledata import load_records
from mtqa.text.regex import LiteralPrefilter, required_literals

LEX = FIXTURES / "lexical"

# (English source, faulty French, flagged French span, rule)
POSITIVE = [
    ("Zelenskyy, speaking in his nightly video address, thanked the allies.",
     "Zelensky, s'exprimant dans son adresse vidéo nocturne, a remercié les alliés.", "adresse vidéo", "calque.false-friend"),
    ("The leaders discussed trade issues and security.",
     "Les dirigeants ont discuté des problèmes commerciaux et de la sécurité.", "problèmes commerciaux", "calque.false-friend"),
    ("Officials hope the update will solve the issue before Monday.",
     "Les responsables espèrent que la mise à jour résoudra l'issue avant lundi.", "issue", "calque.false-friend"),
    ("The two sides will eventually sign a deal.",
     "Les deux parties signeront éventuellement un accord.", "éventuellement", "calque.false-friend"),
    ("The number of victims is actually much higher.",
     "Le nombre de victimes est actuellement beaucoup plus élevé.", "actuellement", "calque.false-friend"),
    ("The city closed its main public library.",
     "La ville a fermé sa principale librairie publique.", "librairie", "calque.false-friend"),
    ("The government must address these concerns quickly.",
     "Le gouvernement doit adresser ces préoccupations rapidement.", "adresser", "calque.false-friend"),
    ("Several ministers will attend the summit in Brussels.",
     "Plusieurs ministres attendront le sommet de Bruxelles.", "attendront", "calque.false-friend"),
    ("The company reported revenue of $4 billion.",
     "L'entreprise a annoncé des revenus de 4 billions de dollars.", "billions", "calque.false-friend"),
    ("The death toll rose to 40 on Sunday.",
     "Le péage de la mort est passé à 40 dimanche.", "péage", "calque.false-friend"),
    ("Rail unions called a new strike for Monday.",
     "Les unions ferroviaires ont appelé à une nouvelle grève lundi.", "unions", "calque.false-friend"),
    ("He was charged with fraud on Tuesday.",
     "Il a été chargé de fraude mardi.", "chargé", "calque.false-friend"),
    ("Prosecutors said the minister lied.",
     "Les prosécuteurs ont déclaré que le ministre avait menti.", "prosécuteurs", "calque.false-friend"),
    ("Shelling hit the town overnight, killing two people.",
     "Le décorticage a frappé la ville pendant la nuit, tuant deux personnes.", "décorticage", "calque.false-friend"),
    ("The central bank signalled another rate hike.",
     "La banque centrale a signalé une nouvelle randonnée des taux.", "randonnée", "calque.false-friend"),
    ("(With input from Reuters)", "(Avec entrée de Reuters)", "Avec entrée de", "calque.calque"),
    ("Germany said it was in talks on buying more systems.",
     "L'Allemagne a déclaré que c'était en pourparlers sur l'achat de systèmes.", "c'était en pourparlers", "calque.calque"),
    ("Zelenskyy called the attack \"deliberately massive\".",
     "Zelensky a appelé l'attaque « délibérément massive ».", "a appelé l'attaque", "calque.calque"),
    ("The call came a day after the summit.",
     "L'appel est venu un jour après le sommet.", "est venu un jour après", "calque.calque"),
    ("It was the largest attack since the war began.",
     "C'était la plus grande attaque depuis la guerre.", "depuis la guerre", "calque.calque"),
    ("Ukraine asked Washington to sell it more missiles.",
     "L'Ukraine a demandé à Washington de le vendre plus de missiles.", "de le vendre", "calque.calque"),
    ("Trump said he would check what weapons had been paused.",
     "Trump a dit qu'il vérifierait ce que les armes avaient été suspendues.", "ce que les armes", "calque.calque"),
    ("Berlin wants to fill the gap left by Washington.",
     "Berlin veut combler l'écart laissé par Washington.", "combler l'écart", "calque.calque"),
    ("Russia launched massive drone strikes overnight.",
     "La Russie a lancé des frappes de drones de masse pendant la nuit.", "de masse", "calque.calque"),
    ("The vote will take place on Friday.",
     "Le vote prendra place vendredi.", "prendra place", "calque.calque"),
    ("The minister met reporters on Friday.",
     "Le ministre a rencontré des journalistes sur vendredi.", "sur vendredi", "calque.calque"),
    ("Oil prices hit a record high in London trading.",
     "Les prix du pétrole ont frappé un record dans les échanges à Londres.", "ont frappé un record", "calque.calque"),
    ("Unions said the industrial action would continue.",
     "Les syndicats ont déclaré que l'action industrielle se poursuivrait.", "action industrielle", "calque.calque"),
    ("Picket lines formed outside the stations.",
     "Des lignes de piquets se sont formées devant les gares.", "lignes de piquets", "calque.calque"),
    ("The union struck a deal with the operator late on Wednesday.",
     "Le syndicat a frappé un accord avec l'opérateur mercredi soir.", "frappé un accord", "calque.calque"),
    ("Several colleagues attended the hearing.",
     "Plusieurs collègues ont attendu l'audience.", "attendu", "calque.false-friend"),
    ("He was released on bail on Friday.",
     "Il a été libéré sur bail vendredi.", "bail", "calque.false-friend"),
    ("Shares in Shell fell 2% in early trading.",
     "Les partages de Shell ont chuté de 2 % en début de séance.", "partages", "calque.false-friend"),
    ("The government plans to cut welfare benefits.",
     "Le gouvernement prévoit de réduire les bénéfices sociaux.", "bénéfices", "calque.false-friend"),
    ("The group claimed responsibility for the attack.",
     "Le groupe a réclamé la responsabilité de l'attaque.", "réclamé la responsabilité", "calque.calque"),
    ("The minister unveiled a comprehensive plan.",
     "Le ministre a dévoilé un plan compréhensif.", "compréhensif", "calque.false-friend"),
    ("Oil prices fell into a bear market.",
     "Les prix du pétrole sont entrés dans un marché de l'ours.", "marché de l'ours", "calque.calque"),
    ("She filed a lawsuit against the city.",
     "Elle a classé un procès contre la ville.", "classé un procès", "calque.calque"),
]

# Correct French: the same English words where the French rendering is right.
NEGATIVE = [
    ("Please send the form to this postal address.", "Veuillez envoyer le formulaire à cette adresse postale."),
    ("He gave his home address to the police.", "Il a donné l'adresse de son domicile à la police."),
    ("Zelenskyy, speaking in his nightly video address, thanked the allies.",
     "Zelensky, s'exprimant dans son allocution vidéo du soir, a remercié les alliés."),
    ("The leaders discussed trade issues and security.",
     "Les dirigeants ont évoqué des questions commerciales et la sécurité."),
    ("The software has serious problems and other issues.", "Le logiciel présente de graves problèmes."),
    ("Residents reported problems with the water supply.", "Les habitants ont signalé des problèmes d'approvisionnement en eau."),
    ("Officials hope the update will solve the issue before Monday.",
     "Les responsables espèrent que la mise à jour résoudra le problème avant lundi."),
    ("At the end of the talks the issue was unresolved.",
     "À l'issue des pourparlers, la question restait en suspens."),
    ("The issue of the vote remained uncertain until the end.", "L'issue du vote est restée incertaine jusqu'au bout."),
    ("The two sides will eventually sign a deal.", "Les deux parties finiront par signer un accord."),
    ("The number of victims is currently unknown.", "Le nombre de victimes est actuellement inconnu."),
    ("The bookshop sells second-hand novels.", "La librairie vend des romans d'occasion."),
    ("The company reported revenue of $4 billion.", "L'entreprise a annoncé un chiffre d'affaires de 4 milliards de dollars."),
    ("Public debt reached $1 trillion.", "La dette publique a atteint mille milliards de dollars, soit un billion."),
    ("Rail workers went on strike over pay.", "Les cheminots se sont mis en grève pour les salaires."),
    ("The European Union imposed new sanctions.", "L'Union européenne a imposé de nouvelles sanctions."),
    ("He was charged with organising the summit.", "Il a été inculpé d'organisation du sommet."),
    ("(With input from Reuters)", "(Avec Reuters)"),
    ("(With input from Reuters)", "(Avec la contribution de Reuters)"),
    ("It was the largest attack since the war began.",
     "C'était la plus grande attaque depuis le début de la guerre."),
    ("Germany said it was in talks on buying more systems.",
     "L'Allemagne a indiqué être en discussions pour acheter d'autres systèmes."),
    ("He said it was \"quite possible\" that the pope would ask.",
     "Il a dit que c'était « tout à fait possible » que le pape le demande."),
    ("Zelenskyy called the president on Friday.", "Zelensky a appelé le président vendredi."),
    ("Mass protests erupted after the massive fraud.", "Des manifestations de masse ont éclaté après la fraude massive."),
    ("Close the gap between rich and poor, he said.", "Il faut combler l'écart entre riches et pauvres, a-t-il dit."),
    ("The minister met reporters on Friday.", "Le ministre a rencontré des journalistes vendredi."),
    ("Patriots took part in the rally.", "Des patriotes ont participé au rassemblement."),
    ("What the Russians did was a crime.", "Ce que les Russes ont fait est un crime."),
    ("He had to take a seat at the back.", "Il a dû prendre place au fond."),
    ("Picket lines formed outside the stations.", "Des piquets de grève se sont formés devant les gares."),
    ("He was released on bail on Friday.", "Il a été libéré sous caution vendredi."),
    ("The group claimed responsibility for the attack.", "Le groupe a revendiqué l'attaque."),
    ("The minister unveiled a comprehensive plan.", "Le ministre a dévoilé un plan global."),
    ("The teacher was very understanding.", "L'enseignant s'est montré très compréhensif."),
    ("The landlord signed a new lease.", "Le propriétaire a signé un nouveau bail."),
    ("The company's profits rose 5%.", "Les bénéfices de l'entreprise ont augmenté de 5 %."),
    ("Several colleagues attended the hearing.", "Plusieurs collègues ont assisté à l'audience."),
    ("They waited for the hearing to start.", "Ils ont attendu le début de l'audience."),
]


@pytest.mark.parametrize("source, mt, span, rule", POSITIVE)
def test_positive(source, mt, span, rule):
    fs = run(Calques, [(source, mt)])
    spans = [(f.mt_text, f.rule) for f in fs]
    assert any(span in text or text in span for text, r in spans if r == rule), spans
    f = next(f for f in fs if f.rule == rule)
    assert f.suggestion and f.source_text and f.source_text.lower() in source.lower()


@pytest.mark.parametrize("source, mt", NEGATIVE)
def test_negative(source, mt):
    assert run(Calques, [(source, mt)]) == []


def test_category_and_severity_come_from_the_entry():
    [f] = run(Calques, [("Ukraine asked Washington to sell it more missiles.",
                         "L'Ukraine a demandé à Washington de le vendre plus de missiles.")])
    assert (f.rule, f.category, f.severity) == ("calque.calque", "fluency/grammar", "major")
    [f] = run(Calques, [("The leaders discussed trade issues.", "Les dirigeants ont discuté des problèmes commerciaux.")])
    assert (f.rule, f.category, f.severity) == ("calque.false-friend", "accuracy/mistranslation", "minor")
    assert "[issues-problemes]" in f.message and f.suggestion.startswith("questions")


# ---------------------------------------------------------------- the seed pack

SEED_IDS = ("E03", "E06", "E08", "E09", "E13", "E15", "E17", "E19", "E21", "E22", "E23")


def test_seed_errors_found(seed):
    ctx = pack_context(seed)
    fs = list(Calques(ctx.settings).run(ctx))
    errors = {e["id"]: e for e in expected_errors(seed)}
    missed = [eid for eid in SEED_IDS if not found(ctx, fs, errors[eid], ("calque.",))]
    assert missed == []


def test_seed_reference_is_clean(seed):
    ctx = pack_context(seed, "ref")
    assert list(Calques(ctx.settings).run(ctx)) == []


# ---------------------------------------------------------------- data and prefilter


def test_packaged_data():
    patterns = load_patterns()
    assert len(patterns) >= 100
    kinds = {p.rule for p in patterns}
    assert kinds == {"calque.false-friend", "calque.calque"}
    assert len({p.id for p in patterns}) == len(patterns)


def test_prefilter_never_hides_a_matching_entry(seed):
    patterns, pre = load_patterns(), load_prefilter()
    texts = [s for s, *_ in POSITIVE] + [s for s, _ in NEGATIVE]
    texts += (seed / "source.en.txt").read_text(encoding="utf-8").split("\n")
    for text in texts:
        cands = set(pre.candidates(text))
        for i, p in enumerate(patterns):
            if p.source.search(text):
                assert i in cands, (p.id, text)


def test_required_literals():
    keys = required_literals(r"\bwith\s+(?:input|contributions?)\s+from\b")
    assert keys and any(k in "with contribution from" for k in keys) and any(k in "with input from" for k in keys)
    assert not any(k in "avec entrée de" for k in keys)
    assert required_literals(r"\b(?:a|b)\b") is None
    pre = LiteralPrefilter([frozenset({"talks"}), None, frozenset({"input", "from"})])
    assert pre.candidates("Germany said it was in TALKS") == [0, 1]
    assert pre.candidates("nothing here") == [1]


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("calques_duplicate.yaml", ":10: id 'eventually' is already used at"),
        ("calques_bad_regex.yaml", ":10: field 'mt': bad regular expression"),
        ("calques_missing_suggest.yaml", ":2: missing field 'suggest'"),
        ("calques_bad_kind.yaml", ":2: field 'kind' must be one of"),
        ("calques_bad_category.yaml", ":2: field 'category' must be one of"),
    ],
)
def test_bad_pattern_files_name_file_and_line(fixture, message):
    path = LEX / fixture
    with pytest.raises(ConfigError) as e:
        build_patterns(load_records(path, PATTERN_SPEC, key="patterns"))
    assert str(path) in str(e.value) and message in str(e.value)


# ---------------------------------------------------------------- every reference pack's reference

REF_PACKS = sorted(p for p in PACKS.iterdir() if (p / "ref.fr.txt").exists() and (p / "source.en.txt").exists())


@pytest.mark.parametrize("pack", REF_PACKS, ids=[p.name for p in REF_PACKS])
def test_every_pack_reference_has_no_major_finding(pack):
    ctx = pack_context(pack, "ref")
    fs = list(Calques(ctx.settings).run(ctx)) + list(Names(ctx.settings).run(ctx))
    assert [(f.rule, f.severity, f.mt_text) for f in fs if f.severity != "minor"] == []


def test_span_group_flags_only_the_false_friend():
    [f] = run(Calques, [("He was charged with fraud on Tuesday.", "Il a été chargé de fraude mardi.")])
    assert (f.mt_text, f.mt_start) == ("chargé", "Il a été chargé de fraude mardi.".index("chargé"))


_PIECES = [*"abcdeéAÉBKP .,'’\"«»-\u00a0", "Patriot", " Kyiv", " address", " adresse", " U.S.",
           " since the war began", " depuis la guerre", " Mary Fox"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


@settings(max_examples=60, deadline=None)
@given(_TEXT, _TEXT)
def test_checks_never_fail_and_spans_are_verbatim(source, mt):
    for cls in (Calques, Names):
        for f in run(cls, [(source, mt)]):
            assert mt[f.mt_start:f.mt_end] == f.mt_text
            assert f.source_start is None or source[f.source_start:f.source_end] == f.source_text or f.rule == "names.missing"
