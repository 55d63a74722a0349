"""Page « Objectifs » (AppTest) : la barre par statut de chaque OS, OO et axe de la convention.

Les comptes d'une barre sont comparés aux statuts écrits sur les lignes de ses indicateurs dans
la même page (l'arbre, lu en base, dit quels indicateurs sont sous quel objectif) ; la cible
additionnée à une somme SQL sur la table `cible`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from dashboard import formats
from data_access import plan
from tests.app.aides import barres_html, bloc, comptes_barre, connexion, page, textes

pytestmark = pytest.mark.usefixtures("environnement")

NIVEAUX = ("os", "oo", "axe")
STATUT_ECRIT = re.compile(
    "(▲ en avance|● dans la trajectoire|▼ en retard|○ non renseigné|◇ repère|⊘ non évaluable)"
)


def _statut_de_la_ligne(at: Any, code: str) -> str:
    """Le statut que la ligne d'un indicateur écrit (sa deuxième ligne : barre ou texte)."""
    ligne = bloc(at.main, f"indicateur_{code.replace('.', '-')}")
    assert ligne is not None, code
    etat = textes(ligne)[1]
    if etat.startswith("**non décliné**"):
        return "non décliné"
    if trouve := STATUT_ECRIT.search(etat):
        return trouve.group(1).split(" ", 1)[1]
    assert etat.startswith("Aucune cible"), etat
    return "sans cible"


def _descendants(environnement: Path) -> dict[str, list[str]]:
    """Les indicateurs sous chaque OS, OO et axe, lus dans l'arbre en base."""
    with connexion(environnement) as conn:
        arbre = plan.read_arbre(conn, racines=("finalite", "axe"))
    parents = dict(zip(arbre["code"], arbre["parent"], strict=True))
    niveaux = dict(zip(arbre["code"], arbre["niveau"], strict=True))
    sortie: dict[str, list[str]] = {c: [] for c, n in niveaux.items() if n in NIVEAUX}
    for code in arbre.loc[arbre["type"] == "indicateur", "code"]:
        courant = parents.get(code)
        while isinstance(courant, str):
            if courant in sortie:
                sortie[courant].append(code)
            courant = parents.get(courant)
    return sortie


@pytest.mark.parametrize(("identifiant", "territoire"), [("admin", "67"), ("pilotage", "NORD")])
def test_chaque_objectif_a_sa_barre_et_ses_comptes_sont_ceux_de_ses_lignes(
    environnement: Path, identifiant: str, territoire: str
) -> None:
    at = page(identifiant, "objectifs", {"periode": "2019-06", "territoire": territoire})
    barres = barres_html(at)
    descendants = _descendants(environnement)  # la convention MDE est lue à l'EMS
    assert len(descendants) == 21 and len(barres) == len(descendants)
    for code, indicateurs in descendants.items():
        assert code in barres, f"{code} n'a pas de barre"
        statuts = Counter(_statut_de_la_ligne(at, i) for i in indicateurs)
        hors = statuts.pop("non décliné", 0)
        assert comptes_barre(barres[code]) == (statuts, hors), code
        # Chaque segment porte la forme de son statut et son compte.
        for statut, nombre in statuts.items():
            assert f'title="{nombre} ' in barres[code], (code, statut)


def test_une_barre_dit_ses_comptes_en_mots() -> None:
    at = page("admin", "objectifs", {"periode": "2019-06", "territoire": "67"})
    barres = barres_html(at)
    assert "<strong>OO2</strong> · 12 indicateurs : " in barres["OO2"]
    assert re.search(r"\d+ repères", barres["OO2"])
    assert "▼" in barres["OO2"] or "●" in barres["OO2"] or "▲" in barres["OO2"]


CIBLES_OO8 = text("""
    SELECT COUNT(*), SUM(c.valeur) FROM cible c
    JOIN indicateur i ON i.code = c.indicateur JOIN action a ON a.code = i.action
    WHERE a.objectif = 'OO8' AND c.territoire = '67' AND c.periode = '2017-2019'
      AND c.unite = 'personnes' AND c.nature = 'plan'
""")


def test_la_cible_additionnee_est_la_somme_des_cibles(environnement: Path) -> None:
    """Deux cibles de même unité et de même période sous l'OO8 (ajoutées pour le test) : la
    barre de l'OO8 dit leur somme ; l'OS4, dont une autre cible compte des contrôles, n'en a
    pas."""
    colonnes = ("indicateur, territoire, periode, debut, fin, valeur, unite, libelle, source, "
                "derive, lien, nature, regle, note")  # fmt: skip
    ajout = text(f"INSERT INTO cible ({colonnes}) VALUES (:code, '67', '2017-2019', '2017-01', "
                 "'2019-12', :valeur, 'personnes', 'essai', 'essai', :faux, 'explicite', 'plan', "
                 "'', '')")  # fmt: skip
    with connexion(environnement, ecriture=True) as conn:
        for code, valeur in (("A30.1", 3000.0), ("A30.2", 1500.0)):
            conn.execute(ajout, {"code": code, "valeur": valeur, "faux": False})
    try:
        at = page("admin", "objectifs", {"periode": "2019-06", "territoire": "67"})
        barres = barres_html(at)
        with connexion(environnement) as conn:
            nombre, somme = conn.execute(CIBLES_OO8).one()
        assert nombre == 2
        attendu = "Cibles additionnées de 2 indicateurs (2017-2019) : réalisé "
        assert attendu in barres["OO8"]
        assert f" sur {formats.nombre(somme)} personnes (" in barres["OO8"]
        assert "Cibles additionnées" not in barres["OS4"]
    finally:
        with connexion(environnement, ecriture=True) as conn:
            conn.execute(text("DELETE FROM cible WHERE source = 'essai'"))
