"""Carte des cantons, fiche d'un canton et cartes de la Synthèse : vues en direct par
l'administration et par un élu du Nord, sur SQLite et PostgreSQL, recalculées en SQL.

Ces pages montrent les valeurs du jour (elles n'ont pas d'édition : une édition se lit sur le
tableau de bord, en mode comité et dans ses exports, voir les autres modules). Le monde y a reçu
une correction après la publication : les chiffres attendus sont ceux d'après la correction.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, text

from dashboard import formats
from tests.app.aides import bloc, page, textes
from tests.contexte import lecture as lu
from tests.contexte.conftest import MOIS, Monde

LECTEURS = (("admin", "67"), ("elu-nord", "NORD"))
TRIMESTRE = "2019-T2"  # la dernière période close de juin 2019 pour OO2-S.1


def _zones_du(conn: Connection, territoire: str) -> dict[str, str]:
    """Libellé de zone → code, pour les zones dont un canton est dans le territoire."""
    requete = (
        "SELECT DISTINCT z.libelle, z.code FROM zone_carte z JOIN territoire t "
        "ON t.zone_carte = z.code WHERE t.niveau = 'canton'"
    )
    if territoire != "67":
        requete += " AND t.parent = :t"
    return {str(a): str(b) for a, b in conn.execute(text(requete), {"t": territoire})}


@pytest.mark.parametrize(("identifiant", "territoire"), LECTEURS)
def test_la_carte_montre_chaque_zone_et_le_bas_rhin_du_sql(
    monde: Monde, conn: Connection, identifiant: str, territoire: str
) -> None:
    lecture = monde.lire(conn, edition=False)
    at = page(identifiant, "carte", {"indicateur": "OO2-S.1", "periode": MOIS})
    tableau = at.dataframe[-1].value
    colonne = next(c for c in tableau.columns if str(c).startswith("Valeur"))
    zones = lecture.zones("OO2-S.1", TRIMESTRE)
    attendues = _zones_du(conn, territoire)
    assert set(tableau["Zone"]) == set(attendues)
    for _, rangee in tableau.iterrows():
        if rangee[colonne] != "secret":
            assert rangee[colonne] == formats.nombre(zones[attendues[rangee["Zone"]]]), rangee
    assert tableau.set_index("Zone").loc["Haguenau", colonne] == formats.nombre(zones["6705"])

    ecrits = " | ".join(textes(at.main))
    assert f"Période : {formats.periode(TRIMESTRE)}" in ecrits
    assert f"{lecture.libelle(territoire)} · Données de {formats.periode(MOIS)}" in ecrits
    legende = " ".join(h.proto.body for h in at.get("html") if "Bas-Rhin :" in h.proto.body)
    assert f"Bas-Rhin : {formats.nombre(sum(zones.values()))} retours" in lu.normaliser(
        legende.replace("<", " <")
    )


@pytest.mark.parametrize("identifiant", ["admin", "elu-nord"])
def test_la_fiche_de_haguenau_montre_ses_valeurs_son_rang_et_le_vrai_bas_rhin(
    monde: Monde, conn: Connection, identifiant: str
) -> None:
    lecture = monde.lire(conn, edition=False)
    at = page(identifiant, "carte", {"indicateur": "OO2-S.1", "periode": MOIS, "canton": "6705"})
    principaux = next(d.value for d in at.dataframe if "Indicateur" in d.value.columns)
    rang = next(c for c in principaux.columns if str(c).startswith("Rang parmi"))
    libelles = dict(conn.execute(text("SELECT libelle, code FROM indicateur")).all())
    verifies = 0
    for _, rangee in principaux.iterrows():
        code = libelles[rangee["Indicateur"]]
        periode = _periode_ecrite(conn, code, rangee["Période"])
        valeurs = lecture.zones(code, periode)
        if rangee["Valeur"] == "secret":
            continue
        assert rangee["Valeur"] == formats.valeur(valeurs["6705"], lecture.unite(code)), rangee
        voisines = (
            set(_zones_du(conn, "NORD").values()) if identifiant == "elu-nord" else set(valeurs)
        )
        plus_hautes = sum(1 for z in voisines if valeurs.get(z, -1) > valeurs["6705"])
        assert rangee[rang].startswith(f"{plus_hautes + 1}"), rangee
        verifies += 1
    assert verifies >= 4
    courbes = next(d.value for d in at.dataframe if "Bas-Rhin" in d.value.columns)
    population = float(lecture.scalaire("SELECT population FROM territoire WHERE code = '67'"))  # type: ignore[arg-type]
    t2 = courbes.set_index("Période").loc[formats.periode(TRIMESTRE)]
    total = sum(lecture.zones("OO2-S.1", TRIMESTRE).values())
    assert t2["Bas-Rhin"] == formats.nombre(total / population * 1000, 1)


def _periode_ecrite(conn: Connection, code: str, ecrite: str) -> str:
    """Le code de période dont le libellé est `ecrite`, parmi les périodes de l'indicateur."""
    periodes = conn.execute(
        text("SELECT DISTINCT periode FROM valeur WHERE indicateur = :c"), {"c": code}
    ).scalars()
    (trouve,) = [str(p) for p in periodes if formats.periode(str(p)) == ecrite]
    return trouve


@pytest.mark.parametrize(("identifiant", "territoire"), LECTEURS)
def test_les_cartes_de_la_synthese_montrent_les_realises_du_sql(
    monde: Monde, conn: Connection, identifiant: str, territoire: str
) -> None:
    lecture = monde.lire(conn, edition=False)
    at = page(identifiant, "synthese", {"periode": MOIS})
    codes = [str(c) for (c,) in conn.exec_driver_sql("SELECT code FROM indicateur")]
    lignes = []
    for code in codes:
        carte: Any = bloc(at.main, "carte_" + code.replace(".", "-"))
        if carte is None:
            continue
        metriques = {
            m.label: m.value for m in lu.noeuds(carte) if getattr(m, "type", "") == "metric"
        }
        reel = metriques.get("Réalisé", metriques.get("Valeur"))
        cible = next((v for k, v in metriques.items() if k.startswith("Cible ")), None)
        if reel == "non renseigné":
            assert lecture.derniere_periode(code, territoire, MOIS) is None, code
            continue
        lignes.append(lu.Ligne("Synthèse", code, territoire, str(reel), cible))
    assert {"OO2-S.1", "OO3-S.1"} <= {x.code for x in lignes}
    lu.verifier(lecture, lignes, MOIS)
    ecrits = " | ".join(textes(at.main))
    assert f"{lecture.libelle(territoire)} · situation à fin {formats.periode(MOIS)}" in ecrits
