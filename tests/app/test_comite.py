"""Mode présentation du comité (AppTest) : chaque diapositive se pose sans erreur, en direct
comme sur une édition, avec les chiffres du contenu ; suivante/précédente tiennent le numéro."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dashboard import formats
from dashboard.tableau_de_bord import comite, editions
from data_access.droits import administrateur_local
from tests.app.aides import barres_html, comptes_barre, connexion, page, textes

pytestmark = pytest.mark.usefixtures("environnement")

MOIS = "2019-03"  # un mois qu'aucun autre test du module ne publie


def _html(at: object) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))  # type: ignore[attr-defined]


def test_chaque_diapositive_du_direct_se_pose_avec_les_chiffres_du_mois(
    environnement: Path,
) -> None:
    at = page("pilotage", "tableau_de_bord", {"mode": "comite", "periode": MOIS})
    with connexion(environnement) as conn:
        direct = editions.construire(conn, mois=MOIS, territoire="67")
    diapos = comite.diapos(direct)
    metriques = {m.label: m.value for m in at.metric}
    assert metriques == {i.titre: formats.valeur(i.reel, i.unite) for i in direct.synthese}
    assert "chiffres provisoires" in _html(at)
    assert not [s for s in at.selectbox if s.label == "Édition"]  # rien de la page normale
    for numero, diapo in enumerate(diapos[1:], start=2):
        at.button(key="comite_suivante").click().run()
        assert not at.exception, (diapo.cle, at.exception)
        assert f'<div class="comite-titre">{diapo.titre}' in _html(at).replace("&#x27;", "'")
        assert at.query_params["diapo"] == str(numero)
        if diapo.cle == comite.CARTE:
            (carte,) = at.get("vega_lite_chart")
            assert "en retard" in carte.proto.spec or "dans la trajectoire" in carte.proto.spec
        if diapo.cle == comite.MOYENS:
            assert any("Données en direct, lues le" in t for t in textes(at.main))
    assert at.button(key="comite_suivante").disabled
    at.button(key="comite_precedente").click().run()
    assert at.query_params["diapo"] == str(len(diapos) - 1)


def test_une_edition_se_presente_avec_son_contenu_fige(environnement: Path) -> None:
    with connexion(environnement) as conn:
        with conn.begin():
            for retard in editions.a_commenter(conn, mois=MOIS):
                texte = f"Retard de {retard.code} expliqué."
                editions.commenter(conn, mois=MOIS, indicateur=retard.code,
                                   territoire=retard.territoire, texte=texte,
                                   acteur=administrateur_local("pilotage"))  # fmt: skip
            editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"))
        edition = editions.lire_edition(conn, mois=MOIS, territoire="67")
    assert edition is not None
    numero = len(comite.diapos(edition))  # alertes, avec leurs commentaires
    at = page("pilotage", "tableau_de_bord",
              {"mode": "comite", "edition": MOIS, "diapo": str(numero)})  # fmt: skip
    corps = _html(at)
    assert f"édition de {formats.periode(MOIS)}, publiée le" in corps
    for alerte in edition.alertes[: comite.MAX_ALERTES]:
        assert f"Retard de {alerte.code} expliqué." in corps


def test_un_numero_inconnu_ramene_a_la_premiere_diapositive() -> None:
    at = page("pilotage", "tableau_de_bord", {"mode": "comite", "periode": MOIS, "diapo": "99"})
    assert any("99" in w.value for w in at.warning)
    assert '<div class="comite-titre">Synthèse</div>' in _html(at)


def test_chaque_diapositive_d_objectif_a_sa_barre_par_statut(environnement: Path) -> None:
    """La barre d'un objectif compte tous ses indicateurs (le tableau de la diapositive n'en
    montre que six au plus), chacun sous le statut de sa ligne du tableau de bord."""
    at = page("pilotage", "tableau_de_bord", {"mode": "comite", "periode": MOIS})
    with connexion(environnement) as conn:
        direct = editions.construire(conn, mois=MOIS, territoire="67")
    objectifs = [d for d in comite.diapos(direct) if d.cle in {o.code for o in direct.objectifs}]
    assert len(objectifs) >= 4
    for diapo in objectifs:
        numero = comite.diapos(direct).index(diapo) + 1
        at.query_params["diapo"] = str(numero)
        at.run()
        barres = barres_html(at)
        attendus = Counter(
            i.statut or comite.SANS_TRAJECTOIRE for i in direct.par_objectif(diapo.cle)
        )
        assert comptes_barre(barres[diapo.cle]) == (attendus, 0), diapo.cle
        assert 'class="comite-comptes"' in barres[diapo.cle]
