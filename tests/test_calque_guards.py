"""Precision guards of the calque check: a false friend does not fire on a capitalised word in
mid-sentence (a name), nor on the other sense of the French word."""

from __future__ import annotations

import pytest
from pairs_support import run_pair

from mtqa.checks.calques import Calques
from mtqa.config import Settings

CHECK = Calques(Settings())


def _ids(en: str, fr: str) -> list[str]:
    return [f.message.rsplit("[", 1)[1].rstrip("]") for f in run_pair(en, fr, CHECK)]


@pytest.mark.parametrize(
    "en, fr",
    [
        ("The tenants were evicted after the sale.", "Les tenants ont été expulsés après la vente."),
        ("Tenants say rents have doubled.", "Les tenants affirment que les loyers ont doublé."),
        ("The council housed 40 new tenants.", "La mairie a logé 40 nouveaux tenants."),
    ],
)
def test_tenant_rendered_tenant_fires(en, fr):
    assert "tenant-tenant" in _ids(en, fr)


@pytest.mark.parametrize(
    "en, fr",
    [
        # a name: the Tenant Fees Act, a surname
        ("The government passed the Tenant Fees Act in 2019.", "Le gouvernement a adopté le Tenant Fees Act en 2019."),
        ("Actor David Tennant met tenants of the block.", "L'acteur David Tennant a rencontré les locataires de l'immeuble."),
        # the other sense of French 'tenant': holding, title holder, ins and outs, supporters
        ("Tenants complained, and the landlord agreed to lower the rent.",
         "Les locataires se sont plaints, et le propriétaire a accepté de baisser le loyer en tenant compte de leur situation."),
        ("The tenants' union backed the title holder of the rent campaign.",
         "Le syndicat des locataires a soutenu le tenant du titre de la campagne."),
        ("Few tenants understand the ins and outs of the lease.",
         "Peu de locataires comprennent les tenants et aboutissants du bail."),
        ("He is one of the tenants of the free-market school.", "Il est l'un des tenants de l'école du libre marché."),
        ("Tenants were evicted from the building.", "Les locataires ont été expulsés de l'immeuble."),
    ],
)
def test_tenant_quiet_on_names_and_other_senses(en, fr):
    assert "tenant-tenant" not in _ids(en, fr)


def test_capitalised_false_friend_mid_sentence_is_a_name():
    # 'Library' lower-case is the classic false friend; a mid-sentence capital is a name and stays quiet
    assert "library-librairie" in _ids("She works at the local library.", "Elle travaille à la librairie locale.")
    assert "library-librairie" not in _ids("She joined the Library Group last year.",
                                           "Elle a rejoint la librairie Library Group l'an dernier.")
    # a sentence-initial capital is still an ordinary word
    assert "library-librairie" in _ids("Library staff went on strike.", "Le personnel de la librairie s'est mis en grève.")
