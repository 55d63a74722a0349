"""Une seule règle d'axe des ordonnées, la même à l'écran et dans le PDF ; une légende dès qu'il
y a plus d'une série ; le statut au dernier point en forme, couleur et mot, sur les deux."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.graphics.shapes import Polygon, String

from dashboard import apparence
from dashboard.exports import en_pdf
from dashboard.graphiques import echelle
from dashboard.graphiques import tableau_de_bord as graphiques_tableau
from tests.unit import exemple_tableau as ex


@pytest.mark.parametrize(
    ("bas", "haut", "attendu"),
    [
        (900.0, 949.0, [900.0, 910.0, 920.0, 930.0, 940.0, 950.0]),
        (0.0, 11_199.0, [0.0, 2500.0, 5000.0, 7500.0, 10_000.0, 12_500.0]),
        (0.4, 0.9, [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
    ],
)
def test_graduations_rondes_qui_encadrent(bas: float, haut: float, attendu: list[float]) -> None:
    assert echelle.graduations(bas, haut) == pytest.approx(attendu)


def test_graduations_d_une_serie_constante() -> None:
    ticks = echelle.graduations(5.0, 5.0)
    assert ticks[0] < 5.0 < ticks[-1]


def test_l_axe_part_de_zero_et_contient_la_cible() -> None:
    # ±3 % autour de 930 : l'axe ne se coupe plus à 910, il part de 0.
    assert echelle.domaine(echelle.axe_y([902.0, 930.0, 958.0])) == (0.0, 1000.0)
    # La cible tracée fixe l'échelle.
    assert echelle.domaine(echelle.axe_y([902.0, 958.0, 11_199.0])) == (0.0, 12_500.0)
    # Une valeur négative fait descendre l'axe sous 0 ; rien à tracer : 0 à 1.
    assert echelle.axe_y([-3.0, 5.0])[0] < 0
    assert echelle.domaine(echelle.axe_y([None, float("nan")])) == (0.0, 1.0)


def _graduations_pdf(dessin: Any) -> list[float]:
    return [
        float(s.text.replace("\xa0", "").replace(" ", ""))
        for s in dessin.contents
        if isinstance(s, String) and s.textAnchor == "end" and s.fontName == en_pdf.POLICE
    ]


def _spec(courbe: Any, ligne: Any) -> dict[str, Any]:
    return graphiques_tableau.build_courbe(courbe, ligne, "flux").to_dict()  # type: ignore[no-any-return]


def test_sans_cible_l_ecran_et_le_pdf_partent_de_zero_sans_legende() -> None:
    courbe = ex.tableau().courbes[0]  # 900 à 949 retours par trimestre
    spec = _spec(courbe, None)
    ligne = spec["layer"][0]["encoding"]
    assert ligne["y"]["scale"]["domain"] == [0, 1000]
    assert ligne["y"]["axis"]["values"] == [0, 200, 400, 600, 800, 1000]
    assert _graduations_pdf(en_pdf.dessin_courbe(courbe)) == [0, 200, 400, 600, 800, 1000]
    assert ligne["color"]["legend"] is None  # une seule série : pas de légende


def test_avec_cible_meme_axe_une_legende_et_le_statut_au_dernier_point() -> None:
    courbe, ligne = ex.tableau().courbes[0], ex.RETOURS  # 10 000 en 2017-2019, en avance
    spec = _spec(courbe, ligne)
    encodage = spec["layer"][0]["encoding"]
    dessin = en_pdf.dessin_courbe(courbe, ligne)
    graduations = _graduations_pdf(dessin)
    assert encodage["y"]["scale"]["domain"] == [graduations[0], graduations[-1]] == [0, 10_000]
    assert encodage["color"]["legend"] is not None
    assert encodage["color"]["scale"]["domain"] == [
        "Réalisé (cumul)", "Cible 10\u202f000 (2017-2019)", "Trajectoire attendue",
    ]  # fmt: skip
    # Dans le PDF : les mêmes séries dans la légende, la forme et le mot du statut.
    textes = [s.text for s in dessin.contents if isinstance(s, String)]
    assert {"Réalisé (cumul)", "Cible 10\xa0000 (2017-2019)", "Trajectoire attendue"} <= set(textes)
    assert "en avance" in textes
    bleu = apparence.STATUTS[apparence.EN_AVANCE].couleur.lower()
    (triangle,) = [p for p in dessin.contents if isinstance(p, Polygon)]
    assert triangle.fillColor.hexval().lower() == "0x" + bleu[1:]
    # À l'écran : la même forme, la même couleur, le même mot.
    (point,) = [c for c in spec["layer"] if c["mark"].get("shape") == "triangle-up"]
    assert point["mark"]["color"] == apparence.STATUTS[apparence.EN_AVANCE].couleur
    mots = [c for c in spec["layer"] if c["mark"]["type"] == "text"
            and c["mark"].get("color") == point["mark"]["color"]]  # fmt: skip
    assert len(mots) == 1


def test_le_cumul_trace_finit_au_realise_fige_de_l_edition() -> None:
    courbe, ligne = ex.tableau().courbes[0], ex.RETOURS
    trace = graphiques_tableau.build_trace(courbe, ligne, "flux")
    assert trace.points["y"].iloc[-1] == pytest.approx(ligne.reel)
    attendus = trace.cibles[0].attendus
    assert attendus.loc[attendus["mois"] == "2019-12", "attendu"].iloc[0] == 10_000
