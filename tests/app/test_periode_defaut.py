"""Période par défaut et carte d'un indicateur mensuel après un import partiel (AppTest).

Ticket 18, point 7 : une ligne importée pour le 1er trimestre 2020 faisait ouvrir toutes les
pages sur « mars 2020 », et la carte d'un indicateur mensuel s'ouvrait vide. Après cet import,
la page s'ouvre sur le dernier mois complet, avec les valeurs des cantons relues en SQL simple ;
une période choisie sans valeur pour l'indicateur remonte à sa dernière période connue, et le dit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from dashboard import formats
from data_access import imports
from data_access.droits import administrateur_local
from tests.app.aides import connexion, page

pytestmark = pytest.mark.usefixtures("environnement")

LIGNE = b"indicateur;territoire;periode;valeur\nOO2-S.1;6705;2020-T1;123\n"
PERIMETRES = {"admin": None, "elu-nord": "NORD"}


@pytest.fixture(scope="module", autouse=True)
def trimestre_suivant(environnement: Path) -> None:
    """Une seule ligne du trimestre qui suit la démonstration, importée comme sur la page."""
    with connexion(environnement, ecriture=True) as conn:
        imports.commit_import(
            conn,
            nom="t1.csv",
            contenu=LIGNE,
            acteur=administrateur_local("pilotage"),
            aujourdhui=date(2020, 6, 15),
        )


def _sql(environnement: Path, requete: str, **params: object) -> list[Any]:
    with connexion(environnement) as conn:
        return list(conn.execute(text(requete), params).all())


def _zones(environnement: Path, indicateur: str, periode: str, perimetre: str | None) -> dict:  # type: ignore[type-arg]
    """Valeur de chaque zone de la carte (somme de ses cantons), en SQL simple."""
    lignes = _sql(
        environnement,
        "SELECT z.libelle, SUM(v.valeur) FROM valeur v"
        " JOIN territoire t ON t.code = v.territoire JOIN zone_carte z ON z.code = t.zone_carte"
        " WHERE v.courante AND t.niveau = 'canton' AND v.indicateur = :i AND v.periode = :p"
        " AND (:perimetre IS NULL OR t.parent = :perimetre) GROUP BY z.libelle",
        i=indicateur, p=periode, perimetre=perimetre,
    )  # fmt: skip
    return {str(z): float(s) for z, s in lignes}


def _dernier_mois_mensuel(environnement: Path) -> str:
    """Le dernier mois des indicateurs mensuels suivis par canton (la démonstration les a tous
    complets jusqu'à ce mois)."""
    ((mois,),) = _sql(
        environnement,
        "SELECT MAX(v.periode) FROM valeur v JOIN indicateur i ON i.code = v.indicateur"
        " WHERE v.courante AND i.periodicite = 'mensuelle' AND i.echelle = 'canton'",
    )
    return str(mois)


def _verifier_carte(at: Any, attendu: dict[str, float]) -> None:
    tableau = at.dataframe[-1].value.set_index("Zone")
    colonne = tableau.columns[2]  # la grandeur, « Allocataires »…
    assert attendu and len(tableau) == len(attendu)
    for zone, valeur in attendu.items():
        assert tableau.loc[zone, colonne].startswith(formats.nombre(valeur)), zone


@pytest.mark.parametrize("identifiant", ["admin", "elu-nord"])
def test_apres_une_ligne_de_2020_la_carte_s_ouvre_sur_le_dernier_mois_complet(
    environnement: Path, identifiant: str
) -> None:
    ((fin,),) = _sql(environnement, "SELECT MAX(fin) FROM valeur WHERE courante")
    assert fin == "2020-03"  # l'ancienne règle ouvrait toutes les pages sur mars 2020
    mois = _dernier_mois_mensuel(environnement)
    at = page(identifiant, "carte", {"indicateur": "FIN-2.1"})
    assert at.query_params["periode"] == mois
    assert not [i for i in at.info if "Dernière période connue" in i.value]
    _verifier_carte(at, _zones(environnement, "FIN-2.1", mois, PERIMETRES[identifiant]))


@pytest.mark.parametrize("identifiant", ["admin", "elu-nord"])
def test_une_periode_sans_valeur_remonte_a_la_derniere_periode_connue_et_le_dit(
    environnement: Path, identifiant: str
) -> None:
    mois = _dernier_mois_mensuel(environnement)
    at = page(identifiant, "carte", {"indicateur": "FIN-2.1", "periode": "2020-03"})
    avis = [i.value for i in at.info]
    assert (
        "Aucune valeur en mars 2020 pour cet indicateur. Dernière période connue pour cet "
        f"indicateur : {formats.periode(mois)}."
    ) in avis
    assert f"Période : {formats.periode(mois)}" in [c.value for c in at.main.caption]
    _verifier_carte(at, _zones(environnement, "FIN-2.1", mois, PERIMETRES[identifiant]))


def test_une_periode_renseignee_est_montree_telle_quelle(environnement: Path) -> None:
    at = page("admin", "carte", {"indicateur": "FIN-2.1", "periode": "2019-06"})
    assert not [i for i in at.info if "Dernière période connue" in i.value]
    _verifier_carte(at, _zones(environnement, "FIN-2.1", "2019-06", None))
