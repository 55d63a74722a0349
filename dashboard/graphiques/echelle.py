"""La règle de l'axe des ordonnées des courbes, écrite une fois pour l'écran et pour le PDF.

Pourquoi une seule règle : la même courbe paraissait plate à l'écran (axe depuis 0) et
s'effondrait dans le PDF (axe coupé juste sous le minimum, où ±3 % de bruit prennent toute la
hauteur). Un élu qui passe de l'une à l'autre doit lire la même pente.

La règle (dite aussi dans le README, « Lire une courbe ») :
- l'axe part de 0 : les indicateurs sont des comptes, des montants ou des taux positifs, et une
  longueur depuis 0 se compare à l'œil ; une valeur négative le fait descendre sous 0 ;
- il monte jusqu'à la graduation ronde qui suit la plus grande valeur tracée : la série, et
  quand elles sont tracées la cible et la trajectoire attendue, qui fixent alors l'échelle (on
  voit où l'on est par rapport à où l'on doit aller) ;
- les graduations sont rondes (pas de 1, 2, 2,5 ou 5 × 10ⁿ), les mêmes à l'écran (domaine et
  valeurs de l'axe Vega-Lite) et dans le PDF (reportlab).

Module pur : ni Streamlit, ni Altair, ni reportlab.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

INTERVALLES = 5


def graduations(bas: float, haut: float, intervalles: int = INTERVALLES) -> list[float]:
    """Des graduations rondes (pas de 1, 2, 2,5 ou 5 × 10ⁿ) qui encadrent [bas, haut]."""
    if haut <= bas:
        ecart = abs(bas) * 0.1 or 1.0
        bas, haut = bas - ecart, haut + ecart
    brut = (haut - bas) / intervalles
    puissance = 10 ** math.floor(math.log10(brut))
    pas = next(m * puissance for m in (1, 2, 2.5, 5, 10) if m * puissance >= brut * 0.999)
    debut = math.floor(bas / pas) * pas
    nombre = math.ceil(round((haut - debut) / pas, 6))
    return [round(debut + i * pas, 10) for i in range(nombre + 1)]


def axe_y(valeurs: Iterable[float | None]) -> list[float]:
    """Les graduations de l'axe des ordonnées d'une courbe : de 0 (ou du minimum s'il est
    négatif) à la graduation qui suit le maximum. `valeurs` : tout ce qui est tracé (série,
    cibles, valeurs attendues) ; les valeurs absentes sont ignorées."""
    presentes = [float(v) for v in valeurs if v is not None and not math.isnan(float(v))]
    if not presentes:
        return graduations(0.0, 1.0)
    bas, haut = min(0.0, *presentes), max(0.0, *presentes)
    return graduations(bas, haut if haut > bas else bas + 1.0)


def domaine(graduations_y: list[float]) -> tuple[float, float]:
    """Le domaine de l'axe : de la première à la dernière graduation."""
    return graduations_y[0], graduations_y[-1]
