"""Tableau de bord, chaque onglet : en direct et dans l'édition de juin 2019, vu par
l'administration et par un élu du Nord, sur SQLite et PostgreSQL.

Les réalisés de chaque carte et de chaque tableau (Synthèse, Territoires, Changements de statut,
Alertes, Indicateurs) sont recalculés en SQL (`tests/contexte/calcul.py`) : sur les valeurs du
jour pour la vue en direct, sur celles connues à la publication pour l'édition. Le territoire et
la période nommés en tête sont ceux du tableau montré.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection

from dashboard import formats
from tests.app.aides import page, textes
from tests.contexte import lecture as lu
from tests.contexte.conftest import MOIS, Monde

LECTEURS = (("admin", "67"), ("elu-nord", "NORD"), ("elu-nord", "67"))


def ouvrir(identifiant: str, territoire: str, edition: bool) -> Any:
    cle = "edition" if edition else "periode"
    return page(identifiant, "tableau_de_bord", {cle: MOIS, "territoire": territoire})


@pytest.mark.parametrize("edition", [False, True], ids=["en-direct", "edition"])
@pytest.mark.parametrize(("identifiant", "territoire"), LECTEURS)
def test_chaque_onglet_montre_les_chiffres_du_sql(
    monde: Monde, conn: Connection, identifiant: str, territoire: str, edition: bool
) -> None:
    lecture = monde.lire(conn, edition=edition)
    at = ouvrir(identifiant, territoire, edition)
    libelle = lecture.libelle(territoire)

    ecrits = " | ".join(textes(at.main))
    assert f"Tableau de bord mensuel — {formats.periode(MOIS)}" in ecrits
    assert f"{libelle} · données de {formats.periode(MOIS)}" in ecrits
    entete = next(t for t in textes(at.main) if "Données de" in t)
    assert libelle in entete and formats.periode(MOIS) in entete, entete

    cartes = lu.cartes(at.main, conn, territoire, "tdb_carte_")
    assert {"OO2-S.1", "OO3-S.1"} <= {c.code for c in cartes}
    lu.verifier(lecture, cartes, MOIS)

    tables = [c for c in lu.cadres(at.main) if "Code" in c.columns and "Réalisé" in c.columns]
    indicateurs = [ligne for c in tables for ligne in lu.depuis_cadre(c, "onglet", territoire)]
    assert len({ligne.code for ligne in indicateurs}) >= 20
    lu.verifier(lecture, indicateurs, MOIS)

    (p4,) = [c for c in lu.cadres(at.main) if "Rubrique" in c.columns]
    territoires = lu.depuis_territoires(p4, "Territoires", lecture)
    # le département est dans tout périmètre ; les autres territoires, seulement chez l'admin
    attendus = (
        {"NORD", "67"} if identifiant == "elu-nord" else {"NORD", "SUD", "OUEST", "EMS", "67"}
    )
    assert {t.territoire for t in territoires} == attendus
    lu.verifier(lecture, territoires, MOIS)


def test_l_edition_et_le_direct_different_la_ou_l_import_est_passe(
    monde: Monde, conn: Connection
) -> None:
    """Le monde a bien deux vérités : sinon les tests ci-dessus ne distingueraient rien."""
    direct, edition = monde.lire(conn, edition=False), monde.lire(conn, edition=True)
    cible = 2208.0
    assert direct.realise("OO2-S.1", "NORD", MOIS, cible) == (
        edition.realise("OO2-S.1", "NORD", MOIS, cible) or 0) + 40  # fmt: skip
    at_direct, at_edition = ouvrir("elu-nord", "NORD", False), ouvrir("elu-nord", "NORD", True)
    (d,) = [c for c in lu.cartes(at_direct.main, conn, "NORD", "tdb_carte_") if c.code == "OO2-S.1"]
    (e,) = [
        c for c in lu.cartes(at_edition.main, conn, "NORD", "tdb_carte_") if c.code == "OO2-S.1"
    ]
    assert (lu.nombre(d.reel) or 0) - (lu.nombre(e.reel) or 0) == 40
