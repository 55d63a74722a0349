"""Chaque courbe d'un indicateur à cible a son étalon (AppTest, base de démonstration).

Ce qu'on vérifie est ce qu'un élu lirait sur la courbe : la cible et la trajectoire attendue
tracées avec les valeurs que donnent la table `cible` et la règle de trajectoire du README
(calcul indépendant, en SQL et en arithmétique, sans fonction de l'application), le statut au
dernier point en forme et en mot, une légende dès qu'il y a plus d'une série, et le même axe des
ordonnées à l'écran et dans le PDF.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from reportlab.graphics.shapes import String
from sqlalchemy import text

from dashboard.exports import en_pdf
from dashboard.tableau_de_bord import editions
from tests.app.aides import bloc, connexion, couches_graphique, marque, page
from tests.contexte.calcul import Lecture

pytestmark = pytest.mark.usefixtures("environnement")

RACINE = Path(__file__).resolve().parents[2]
MOIS = "2019-06"
FICHE = {"periode": MOIS, "territoire": "67", "fiche": "OO2-S.1"}


def _rang(mois: str) -> int:
    annee, m = mois.split("-")
    return int(annee) * 12 + int(m) - 1


def _cibles_sql(environnement: Path, indicateur: str, plage: str) -> dict[float, tuple[str, str]]:
    """Les cibles du département de cette plage, lues dans la table `cible` : valeur → (début,
    fin)."""
    with connexion(environnement) as conn:
        lignes = conn.execute(
            text("SELECT valeur, debut, fin FROM cible WHERE indicateur = :i "
                 "AND territoire = '67' AND periode = :p"),
            {"i": indicateur, "p": plage},
        ).all()  # fmt: skip
    return {float(v): (str(d), str(f)) for v, d, f in lignes}


def _attendu_readme(cible: float, debut: str, fin: str, mois: str) -> float:
    """La règle du README pour un flux : la cible au prorata des mois écoulés de sa plage."""
    return cible * (_rang(mois) - _rang(debut) + 1) / (_rang(fin) - _rang(debut) + 1)


def _trajectoires(couches: list[tuple[dict[str, Any], pd.DataFrame]]) -> list[pd.DataFrame]:
    """Chaque trajectoire attendue tracée (une série de la couche des trajectoires)."""
    return [
        t.reset_index(drop=True)
        for c, d in couches
        if marque(c) == "line" and "attendu" in d.columns
        for _, t in d.groupby("serie", sort=False)
    ]


def _cibles_tracees(couches: list[tuple[dict[str, Any], pd.DataFrame]]) -> set[float]:
    """Les valeurs des traits de cible (couche `rule` dont les données ont `cible`)."""
    return {
        float(v) for c, d in couches if marque(c) == "rule" and "cible" in d for v in d["cible"]
    }


def _legende(couches: list[tuple[dict[str, Any], pd.DataFrame]]) -> tuple[Any, list[str]]:
    """La légende de la couleur des séries (None si aucune) et les noms des séries."""
    couleur = couches[0][0]["encoding"]["color"]
    return couleur.get("legend", {}), list(couleur["scale"]["domain"])


def test_la_fiche_d_un_flux_trace_ses_cibles_et_la_trajectoire_du_readme(
    environnement: Path,
) -> None:
    at = page("pilotage", "objectifs", FICHE)
    graphique = bloc(at.main, "fiche_ouverte").get("vega_lite_chart")[0]
    couches = couches_graphique(graphique)
    cibles = _cibles_sql(environnement, "OO2-S.1", "2017-2019")
    assert set(cibles) == {10_000.0, 11_199.0}  # les deux lectures des documents

    assert _cibles_tracees(couches) == set(cibles)
    trajets = _trajectoires(couches)
    assert len(trajets) == 2
    for trajet in trajets:
        cible = float(trajet["attendu"].iloc[-1])
        debut, fin = cibles[cible]
        calcul = [_attendu_readme(cible, debut, fin, m) for m in trajet["mois"]]
        assert list(trajet["attendu"]) == pytest.approx(calcul)
        assert trajet["mois"].iloc[-1] == fin and trajet["attendu"].iloc[0] == 0

    legende, series = _legende(couches)
    assert legende is not None and len(series) == 5
    assert {"Cible 10\u202f000 (2017-2019)", "Cible 11\u202f199 (2017-2019)"} <= set(series)
    # L'échelle contient la cible la plus haute : on voit où l'on doit aller.
    y = couches[0][0]["encoding"]["y"]["scale"]["domain"]
    assert y[0] == 0 and y[1] >= 11_199


def test_le_statut_au_dernier_point_est_celui_du_calcul_independant(environnement: Path) -> None:
    at = page("pilotage", "objectifs", FICHE)
    couches = couches_graphique(bloc(at.main, "fiche_ouverte").get("vega_lite_chart")[0])
    points = next(d for c, d in couches if marque(c) == "line" and "y" in d.columns)
    seuils = tomllib.loads((RACINE / "config" / "trajectoire.toml").read_text())["statut"]
    with connexion(environnement) as conn:
        lecture = Lecture(conn)
        derniere = lecture.derniere_periode("OO2-S.1", "67", MOIS)
        assert derniere is not None
        fin_derniere = lecture.fin("OO2-S.1", "67", derniere)
        realise = lecture.realise("OO2-S.1", "67", MOIS, 10_000.0)
    assert realise is not None
    assert points["y"].iloc[-1] == pytest.approx(realise)  # le cumul tracé
    rapport = realise / _attendu_readme(10_000.0, "2017-01", "2019-12", fin_derniere)
    attendu_mot = (
        "en avance" if rapport >= 1 + seuils["seuil_avance"]
        else "dans la trajectoire" if rapport >= 1 - seuils["seuil_retard"] else "en retard"
    )  # fmt: skip
    formes = {"en avance": "\u25b2", "dans la trajectoire": "\u25cf", "en retard": "\u25bc"}
    mots = {str(d["statut"].iloc[0]) for c, d in couches if marque(c) == "text" and "statut" in d}
    assert mots == {f"{formes[attendu_mot]} {attendu_mot}"}
    symboles = [c["mark"]["shape"] for c, d in couches if marque(c) == "point" and "statut" in d]
    assert symboles == [{"en avance": "triangle-up", "dans la trajectoire": "circle",
                         "en retard": "triangle-down"}[attendu_mot]]  # fmt: skip


def _graduations_pdf(dessin: Any) -> list[float]:
    """Les nombres écrits le long de l'axe des ordonnées d'une courbe du PDF."""
    return [
        float(s.text.replace("\xa0", "").replace(" ", ""))
        for s in dessin.contents
        if isinstance(s, String) and s.textAnchor == "end" and s.fontName == en_pdf.POLICE
    ]


def test_le_tableau_de_bord_et_son_pdf_ont_le_meme_axe_et_la_meme_cible(
    environnement: Path,
) -> None:
    at = page("pilotage", "tableau_de_bord", {"periode": MOIS})
    ecran = {json.loads(g.proto.spec)["title"]["text"]: g for g in at.get("vega_lite_chart")}
    with connexion(environnement) as conn:
        tableau = editions.construire(conn, mois=MOIS, territoire="67")
    lignes = {ligne.code: ligne for ligne in tableau.synthese}
    assert len(tableau.courbes) >= 4
    for courbe in tableau.courbes:
        couches = couches_graphique(ecran[courbe.titre])
        domaine = couches[0][0]["encoding"]["y"]["scale"]["domain"]
        graduations = _graduations_pdf(en_pdf.dessin_courbe(courbe, lignes.get(courbe.code)))
        assert [graduations[0], graduations[-1]] == pytest.approx(domaine), courbe.code
        assert domaine[0] == 0  # plus d'axe coupé sous le minimum
        legende, series = _legende(couches)
        assert (legende is not None) == (len(series) > 1), courbe.code
    retours = couches_graphique(ecran[lignes["OO2-S.1"].titre])
    assert _cibles_tracees(retours) == set(_cibles_sql(environnement, "OO2-S.1", "2017-2019"))
    trajet = _trajectoires(retours)[0]
    cible = float(trajet["attendu"].iloc[-1])
    assert list(trajet["attendu"]) == pytest.approx(
        [_attendu_readme(cible, "2017-01", "2019-12", m) for m in trajet["mois"]]
    )
