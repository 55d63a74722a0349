"""La barre par statut d'un objectif (`dashboard.modeles.barres`) : comptes, parts, mots, formes,
et la cible additionnée seulement quand la somme a un sens."""

from __future__ import annotations

import re
from typing import Any

from dashboard import apparence
from dashboard.modeles import barres


def test_comptes_parts_et_mots_dans_l_ordre_de_lecture() -> None:
    statuts = ["non renseigné", "dans la trajectoire", "en retard", "dans la trajectoire",
               "en retard", "dans la trajectoire"]  # fmt: skip
    barre = barres.build_barre("OO2", statuts, hors_compte=2)
    assert [(s.statut, s.nombre) for s in barre.segments] == [
        ("en retard", 2), ("dans la trajectoire", 3), ("non renseigné", 1)
    ]  # fmt: skip
    assert [round(s.part, 3) for s in barre.segments] == [0.333, 0.5, 0.167]
    assert barre.texte == (
        "6 indicateurs : 2 en retard, 3 dans la trajectoire, 1 non renseigné (et 2 non déclinés)"
    )


def test_pluriels_et_objectif_sans_indicateur() -> None:
    barre = barres.build_barre("X", ["repère", "repère", "non évaluable", "sans cible"])
    assert barre.texte == "4 indicateurs : 1 non évaluable, 2 repères, 1 sans cible"
    assert barres.build_barre("Y", []).texte == "aucun indicateur suivi à ce niveau"


def test_le_html_donne_a_chaque_segment_sa_largeur_sa_forme_et_son_compte() -> None:
    barre = barres.build_barre("OO2", ["en retard", "en avance", "en avance", "en avance"])
    corps = barres.html_barre(barre, titre="OO2")
    segments = re.findall(r'title="([^"]+)" style="width:([\d.]+)%;background:([^;]+);', corps)
    assert segments == [
        ("1 en retard", "25.00", apparence.STATUTS["en retard"].fond),
        ("3 en avance", "75.00", apparence.STATUTS["en avance"].fond),
    ]
    # La forme de chaque statut est dessinée, jamais la couleur seule.
    assert "\u25bc\u00a01" in corps and "\u25b2\u00a03" in corps
    assert 'aria-hidden="true"' in corps  # les lecteurs d'écran lisent le texte, pas les blocs
    assert "<strong>OO2</strong> · 4 indicateurs : 1 en retard, 3 en avance</p>" in corps


def _cible(code: str, cible: float, reel: float | None, **autres: Any) -> dict[str, Any]:
    ligne = {"indicateur": code, "suivi": "cible", "comparable": True, "nature": "flux",
             "unite": "personnes", "periode_cible": "2017-2019", "cible": cible, "reel": reel,
             "attendu": cible / 2}  # fmt: skip
    return {**ligne, **autres}


def test_la_cible_additionnee_somme_les_cibles_de_meme_unite_et_periode() -> None:
    somme = barres.cible_additionnee([_cible("A", 3000, 1200), _cible("B", 1000, 800)])
    assert somme is not None
    assert (somme.nombre, somme.cible, somme.reel, somme.attendu) == (2, 4000, 2000, 2000)
    assert somme.part == 0.5
    assert somme.texte == (
        "Cibles additionnées de 2 indicateurs (2017-2019) : réalisé 2\u202f000 sur 4\u202f000 "
        "personnes (50,0\u202f%) · attendu à la date : 2\u202f000"
    )


def test_pas_de_somme_quand_elle_melerait_des_choses_differentes() -> None:
    a = _cible("A", 3000, 1200)
    cas = [
        [a],  # un seul indicateur : sa propre barre le dit déjà
        [a, _cible("B", 10, 5, unite="contrats")],
        [a, _cible("B", 10, 5, periode_cible="2019")],
        [a, _cible("B", 10, 5, nature="stock")],  # un flux et un stock ne s'ajoutent pas
        [_cible("A", 10, 5, nature="taux"), _cible("B", 10, 5, nature="taux")],
        [a, _cible("B", 10, None)],  # un réalisé manquant ferait croire à un retard
        [a, _cible("B", 10, 5, comparable=False)],
    ]
    assert [barres.cible_additionnee(c) for c in cas] == [None] * len(cas)
