"""Mode comité, chaque diapositive : en direct et dans l'édition de juin 2019, vu par
l'administration et par un élu du Nord, sur SQLite et PostgreSQL.

Chaque carte de la synthèse, chaque tableau d'indicateurs des diapositives d'objectif et
d'alertes, la grille du §4 et le tableau de la carte sont relus et recalculés en SQL ; le titre de
chaque diapositive nomme le territoire et le mois montrés, et dit s'il s'agit de l'édition ou de la
vue en direct. (Les moyens et résultats de la diapositive « Moyens et résultats » sont recalculés
en SQL dans `tests/app/test_comite_edition.py` et `tests/data_access/test_edition_bornee.py`.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Connection

from dashboard import formats
from tests.app.aides import bloc, page, textes
from tests.contexte import lecture as lu
from tests.contexte.conftest import MOIS, Monde

LECTEURS = (("admin", "67"), ("elu-nord", "NORD"))
PERIODE_GRILLE = re.compile(r"période \**(\d{4}(?:-\d{4})?)")


def diapositives(identifiant: str, territoire: str, edition: bool) -> list[Any]:
    """Le conteneur de chaque diapositive, de la première à la dernière (AppTest relancé)."""
    cle = "edition" if edition else "periode"
    at = page(identifiant, "tableau_de_bord", {"mode": "comite", cle: MOIS,
                                               "territoire": territoire})  # fmt: skip
    vues = [bloc(at.main, "comite")]
    while not at.button(key="comite_suivante").disabled:
        at.button(key="comite_suivante").click().run()
        assert not at.exception, at.exception
        vues.append(bloc(at.main, "comite"))
    return vues


def lignes_diapo(diapo: Any, conn: Connection, lecture: Any, territoire: str) -> list[lu.Ligne]:
    """Toutes les lignes « indicateur, réalisé, cible » qu'on lit sur la diapositive."""
    lignes = lu.cartes(diapo, conn, territoire, "comite_carte_")
    ecrit = "\n".join(textes(diapo))
    periode = PERIODE_GRILLE.search(ecrit)
    for noeud in lu.noeuds(diapo):
        if getattr(noeud, "type", "") != "html":
            continue
        for table in lu.tables_html(noeud.proto.body):
            entetes = table[0]
            if "Code" in entetes and "Réalisé" in entetes:
                lignes += lu.depuis_table_html(table, "tableau", territoire)
            elif entetes[0] == "Territoire":
                assert periode, "la grille ne dit pas sa période"
                if entetes[1:] == ["Réalisé sur cible et statut"]:  # la carte : OO2-S.1
                    table = [["Territoire", "OO2-S.1"], *table[1:]]
                grille = lu.depuis_grille(table, "grille", lecture)
                lignes += [lu.Ligne(x.ou, x.code, x.territoire, x.reel, x.cible,
                                    periode_cible=periode[1]) for x in grille]  # fmt: skip
    return lignes


@pytest.mark.parametrize("edition", [False, True], ids=["en-direct", "edition"])
@pytest.mark.parametrize(("identifiant", "territoire"), LECTEURS)
def test_chaque_diapositive_montre_les_chiffres_du_sql(
    monde: Monde, conn: Connection, identifiant: str, territoire: str, edition: bool
) -> None:
    lecture = monde.lire(conn, edition=edition)
    libelle = lecture.libelle(territoire)
    etat = f"édition de {formats.periode(MOIS)}" if edition else "vue en direct de"
    lues: list[lu.Ligne] = []
    vues = diapositives(identifiant, territoire, edition)
    assert len(vues) >= 8
    for numero, diapo in enumerate(vues, start=1):
        titre = next(t for t in textes(diapo) if "comite-titre" in t)
        assert f"{libelle} · {etat}" in titre, (numero, titre)
        assert formats.periode(MOIS) in titre, (numero, titre)
        lues += [replace(x, ou=f"diapositive {numero}, {x.ou}")
                 for x in lignes_diapo(diapo, conn, lecture, territoire)]  # fmt: skip
    genres = {x.ou.split(", ")[1] for x in lues}
    assert {"comite_carte_", "tableau", "grille"} <= genres, genres
    lu.verifier(lecture, lues, MOIS)
