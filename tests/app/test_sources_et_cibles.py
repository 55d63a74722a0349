"""Ce qu'on lit à l'écran et en séance (ticket 18, points 8 et 10), en AppTest.

- Aucune page, aucun onglet, aucune diapositive du comité ne cite un fichier source
  (`002_08888835fc8aebb3.txt`) : le document est nommé (« PDIE 2017-2019, §3.1 »). Seule la
  ligne « Fichier source » de la fiche d'un indicateur garde le nom du fichier.
- Partout où la cible d'OO2-S.1 s'affiche pour le département (tableau de bord en direct et
  édition, comité, page Objectifs), ses deux cibles s'affichent : 10 000 (§3.1) et 11 199
  (somme des objectifs du §4), relues en SQL dans la table `cible`, avec leurs sources.

Les textes lus sont ceux de chaque élément posé (son message protobuf entier : textes, aides,
infobulles et données des graphiques, cellules des tableaux), pour qu'aucun recoin n'échappe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import text

from dashboard import formats
from dashboard.tableau_de_bord import comite, editions
from tests.app.aides import bloc, connexion, page, textes

pytestmark = pytest.mark.usefixtures("environnement")

MOIS = "2019-06"
FICHIER_SOURCE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
LIGNE_FICHIER = "- **Fichier source** :"  # la seule ligne qui garde le nom du fichier
COMPTES = ("pilotage", "elu-nord")
# Le fichier 002 est le PDIE 2017-2019 (DOMAIN.md) : la source lisible remplace son nom.
PDIE = ("002_08888835fc8aebb3.txt ", "PDIE 2017-2019, ")


@pytest.fixture(scope="module", autouse=True)
def edition_publiee(environnement: Path) -> None:
    """L'édition de démonstration de juin 2019, comme `pilotage demo` la publie."""
    with connexion(environnement, ecriture=True) as conn:
        editions.publier_demo(conn, debut=MOIS, fin=MOIS)
    st.cache_data.clear()


@pytest.fixture(scope="module")
def cibles_oo2(environnement: Path) -> list[tuple[str, str]]:
    """Les cibles d'OO2-S.1 du département sur la durée du plan (table `cible`), en texte
    français, chacune avec sa source lisible : [(« 10 000 », « PDIE 2017-2019, §3.1… »), …]."""
    with connexion(environnement) as conn:
        lignes = conn.execute(
            text("SELECT valeur, source FROM cible WHERE indicateur = 'OO2-S.1' "
                 "AND territoire = '67' AND periode = '2017-2019' ORDER BY valeur")
        ).all()  # fmt: skip
    assert [float(v) for v, _ in lignes] == [10000.0, 11199.0]
    return [(formats.nombre(float(v)), str(s).replace(*PDIE)) for v, s in lignes]


def _elements(noeud: Any) -> Iterator[Any]:
    yield noeud
    for enfant in getattr(noeud, "children", {}).values():
        yield from _elements(enfant)


def lus(at: Any) -> list[str]:
    """Tout ce que les éléments posés contiennent : le texte d'un markdown (sans la ligne
    « Fichier source » de la fiche), le message entier de tout autre élément."""
    sortie = []
    for element in _elements(at._tree):
        valeur = getattr(element, "value", None)
        if getattr(element, "type", "") == "markdown" and isinstance(valeur, str):
            sortie.append("\n".join(li for li in valeur.splitlines()
                                    if not li.startswith(LIGNE_FICHIER)))  # fmt: skip
        elif getattr(element, "proto", None) is not None:
            sortie.append(str(element.proto))
    return sortie


def _sans_fichier(at: Any) -> str:
    """Vérifie qu'aucun élément ne cite un fichier source ; rend tout le texte lu."""
    assert not at.exception, at.exception
    tout = lus(at)
    trouves = [t for t in tout if FICHIER_SOURCE.search(t)]
    assert trouves == [], trouves[0][:500] if trouves else ""
    return "\n".join(tout)


PAGES = {
    "synthese": ("synthese", {}),
    "carte": ("carte", {"indicateur": "OO2-S.1"}),
    "carte-fiche-canton": ("carte", {"indicateur": "OO2-S.1", "canton": "6705"}),
    "objectifs-fiche": ("objectifs", {"fiche": "OO2-S.1"}),
    "territoires": ("territoires", {}),
    "moyens-2019": ("moyens_resultats", {"annee": "2019"}),
    "moyens-2020": ("moyens_resultats", {"annee": "2020"}),
    "tableau-de-bord-direct": ("tableau_de_bord", {}),
    "tableau-de-bord-edition": ("tableau_de_bord", {"edition": MOIS}),
}


@pytest.mark.parametrize("compte", COMPTES)
@pytest.mark.parametrize("nom", list(PAGES))
def test_aucune_page_ne_cite_un_fichier_source(nom: str, compte: str) -> None:
    fichier, params = PAGES[nom]
    at = page(compte, fichier, {"periode": MOIS, **params})
    texte = _sans_fichier(at)
    assert "PDIE 2017-2019" in texte or nom.startswith(("carte", "territoires"))


def test_la_fiche_garde_le_nom_du_fichier_sur_sa_ligne() -> None:
    at = page("pilotage", "objectifs", {"periode": MOIS, "fiche": "OO2-S.1"})
    fiche = " ".join(textes(bloc(at.main, "fiche_ouverte")))
    assert "- **Source** : PDIE 2017-2019, §7" in fiche
    assert f"{LIGNE_FICHIER} 002_08888835fc8aebb3.txt §7" in fiche


@pytest.mark.parametrize("compte", COMPTES)
@pytest.mark.parametrize("edition", [False, True], ids=["direct", "edition"])
def test_chaque_diapositive_du_comite_sans_fichier_source(
    environnement: Path, compte: str, edition: bool
) -> None:
    params = {"mode": "comite", "periode": MOIS} | ({"edition": MOIS} if edition else {})
    at = page(compte, "tableau_de_bord", params)
    with connexion(environnement) as conn:
        tableau = editions.construire(conn, mois=MOIS, territoire="67")
    _sans_fichier(at)
    for numero in range(2, len(comite.diapos(tableau)) + 1):
        at.button(key="comite_suivante").click().run()
        assert at.query_params["diapo"] == str(numero)
        _sans_fichier(at)


# --- Les deux cibles d'OO2-S.1 ---------------------------------------------------------------


@pytest.mark.parametrize("edition", [False, True], ids=["direct", "edition"])
def test_le_tableau_de_bord_montre_10000_et_11199_avec_leurs_sources(
    edition: bool, cibles_oo2: list[tuple[str, str]]
) -> None:
    params = {"periode": MOIS} | ({"edition": MOIS} if edition else {})
    at = page("pilotage", "tableau_de_bord", params)
    carte = " ".join(textes(bloc(at.main, "tdb_carte_OO2-S-1")))
    (principale, source_p), (autre, source_a) = cibles_oo2
    assert f"Cible **{principale}** (2017-2019)" in carte
    assert f"Autre cible **{autre}** (2017-2019)" in carte
    assert f"Sources : {principale} : {source_p} ; {autre} : {source_a}" in carte
    tableaux = [df for df in at.dataframe if "Cible" in df.value.columns]
    cellules = {c for df in tableaux for c in df.value["Cible"]}
    assert f"{principale} ({source_p}) ; autre cible : {autre} ({source_a})" in cellules


@pytest.mark.parametrize("edition", [False, True], ids=["direct", "edition"])
def test_le_comite_montre_10000_et_11199_avec_leurs_sources(
    edition: bool, cibles_oo2: list[tuple[str, str]]
) -> None:
    params = {"mode": "comite", "periode": MOIS} | ({"edition": MOIS} if edition else {})
    at = page("pilotage", "tableau_de_bord", params)
    (principale, source_p), (autre, source_a) = cibles_oo2
    carte = " ".join(textes(bloc(at.main, "comite_carte_OO2-S-1")))
    sources = f"{principale} : {source_p} ; {autre} : {source_a}"
    assert f"Cible {principale} / {autre} (2017-2019)" in carte
    assert f"Sources : {sources}" in carte
    (aide,) = [m.proto.help for m in at.metric if m.label == "Retours à l'emploi durable"]
    assert f"Sources : {sources}." in aide
    at.button(key="comite_suivante").click().run()  # OS1, où est l'OO2
    assert f'<td class="nw">{principale} / {autre}</td>' in "".join(
        h.proto.body for h in at.get("html")
    )
    assert f"OO2-S.1, sources des cibles : {sources}" in [c.value for c in at.caption]


def test_la_page_objectifs_montre_les_deux_cibles_d_oo2(
    cibles_oo2: list[tuple[str, str]],
) -> None:
    at = page("pilotage", "objectifs", {"periode": MOIS, "territoire": "67"})
    ligne = " ".join(textes(bloc(at.main, "indicateur_OO2-S-1")))
    (principale, source_p), (autre, source_a) = cibles_oo2
    assert f"Cible {principale} : {source_p}" in ligne
    assert f"autre cible {autre} (2017-2019, {source_a})" in ligne


def test_la_synthese_cite_la_source_de_chaque_cible(cibles_oo2: list[tuple[str, str]]) -> None:
    at = page("pilotage", "synthese", {"periode": MOIS, "territoire": "67"})
    legendes = [c.value for c in bloc(at.main, "carte_OO2-S-1").get("caption")]
    for _, source in cibles_oo2:
        assert any(legende.endswith(f"Source : {source}") for legende in legendes), legendes
