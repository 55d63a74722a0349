"""Courbes du tableau de bord : la série figée d'un indicateur de la synthèse et ses événements.

Une édition garde ses courbes (`tableau_bord.Courbe`) : on les dessine avec le même constructeur
que la fiche d'un indicateur (`graphiques.build_serie`), événements et coupure de série compris,
sans relire les valeurs en base (elles ont pu être révisées depuis la publication).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import formats
from dashboard.graphiques import courbes as graphiques
from dashboard.tableau_de_bord.contenu import Courbe
from data_access import periodes


def serie(courbe: Courbe) -> pd.DataFrame:
    """Les points de la courbe, aux colonnes de `series.read_serie` que le graphique lit."""
    return pd.DataFrame(
        {
            "periode": [p.periode for p in courbe.points],
            "debut": [str(periodes.parse(p.periode).debut) for p in courbe.points],
            "fin": [p.fin for p in courbe.points],
            "valeur": pd.array([p.valeur for p in courbe.points], dtype="Float64").astype(float),
        }
    )


def evenements(courbe: Courbe) -> pd.DataFrame:
    """Les événements de la courbe, aux colonnes de `annotations.read_annotations` utilisées."""
    return pd.DataFrame(
        {
            "id": range(len(courbe.evenements)),
            "mois": [e.mois for e in courbe.evenements],
            "type": [e.type for e in courbe.evenements],
            "libelle_type": [e.libelle_type for e in courbe.evenements],
            "libelle": [e.libelle for e in courbe.evenements],
            "libelle_territoire": [e.territoire for e in courbe.evenements],
        }
    )


def build_courbe(courbe: Courbe, nature: str) -> alt.LayerChart | alt.FacetChart:
    """La courbe en niveaux (valeur de chaque période), avec ses événements."""
    return graphiques.build_serie(
        serie(courbe), None, nature=nature, unite=courbe.unite, titre=courbe.titre,
        annotations=evenements(courbe),
    )  # fmt: skip


def resume_courbe(courbe: Courbe, nature: str) -> str:
    """La phrase de la courbe (nom accessible et légende du graphique)."""
    return graphiques.resume_serie(serie(courbe), None, nature=nature, unite=courbe.unite,
                                   titre=courbe.titre)  # fmt: skip


def tableau_courbe(courbe: Courbe) -> pd.DataFrame:
    """Les valeurs de la courbe en tableau, les plus récentes d'abord (« – » si absente)."""
    points = list(reversed(courbe.points))
    return pd.DataFrame({
        "Période": [formats.periode(p.periode) for p in points],
        "Valeur": [formats.valeur(p.valeur, courbe.unite) for p in points],
    })  # fmt: skip
