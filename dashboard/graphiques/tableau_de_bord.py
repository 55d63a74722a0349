"""Courbes du tableau de bord : la série figée d'un indicateur de la synthèse, son étalon et ses
événements.

Une édition garde ses courbes (`tableau_bord.Courbe`) et, pour chaque indicateur de la synthèse,
sa cible, sa valeur attendue et son statut (`LigneIndicateur`) : on les dessine avec le même
constructeur que la fiche d'un indicateur (`trace.build_trace`, puis Altair à l'écran et
reportlab dans le PDF), sans relire les valeurs en base (elles ont pu être révisées depuis la
publication). Un flux à cible est tracé en cumul depuis le début de la plage de sa cible : le
cumul acquis avant le premier point de la courbe est le réalisé figé moins les points tracés.
La trajectoire attendue passe par la valeur attendue figée de l'édition (`_reference`).
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import pandas as pd

from dashboard import formats
from dashboard.graphiques import courbes as graphiques
from dashboard.graphiques import trace as trace_module
from dashboard.tableau_de_bord.contenu import AutreCible, Courbe, LigneIndicateur
from data_access import periodes, trajectoire


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


def _reference(nature: str, cible: float, attendu: float | None, part: float) -> float | None:
    """La situation de départ de la trajectoire figée : aucune si la valeur attendue de
    l'édition est celle de la règle sans départ, sinon celle que la ligne droite qui passe par
    cette valeur attendue et par la cible donne au début de la plage."""
    if attendu is None or not 0 <= part < 1:
        return None
    sans = trajectoire.valeur_attendue(nature=nature, cible=cible, part=part)
    if math.isclose(sans, attendu, rel_tol=1e-9, abs_tol=1e-9):
        return None
    return (attendu - cible * part) / (1 - part)


def _part(periode_cible: str, donnees_au: str) -> float:
    if not donnees_au:
        return -1.0
    plage = periodes.parse_plage(periode_cible)
    fin = periodes.parse(donnees_au).fin
    return (min(fin, plage.fin).rang - plage.debut.rang + 1) / plage.nb_mois


def cibles(ligne: LigneIndicateur | None) -> pd.DataFrame | None:
    """Les cibles figées de l'indicateur, la principale d'abord, aux colonnes que
    `trace.build_trace` lit ; None sans cible (indicateur de contexte, cible dans une autre
    unité)."""
    if ligne is None or ligne.cible is None or not ligne.periode_cible:
        return None
    autres: tuple[LigneIndicateur | AutreCible, ...] = ligne.autres_cibles
    lignes = []
    for c in (ligne, *autres):
        assert c.cible is not None
        part = _part(c.periode_cible, ligne.donnees_au)
        lignes.append({
            "periode_cible": c.periode_cible, "cible": float(c.cible),
            "valeur_reference": _reference(ligne.nature, float(c.cible), c.attendu, part),
            "source": c.source_cible, "statut": c.statut or None,
            "nature_cible": c.nature_cible, "regle_cible": c.regle_cible,
        })  # fmt: skip
    return pd.DataFrame(lignes)


def depart(
    courbe: Courbe, ligne: LigneIndicateur | None, nature: str, figees: pd.DataFrame | None
) -> float:
    """Le cumul acquis avant le premier point tracé d'un flux à cible : le réalisé figé de
    l'édition (cumul depuis le début de la plage) moins les valeurs tracées jusqu'à sa
    dernière période connue. `figees` : `cibles(ligne)`."""
    plage = trace_module.plage_du_cumul(figees, nature)
    if plage is None or ligne is None or ligne.reel is None or not ligne.donnees_au:
        return 0.0
    fin = str(periodes.parse(ligne.donnees_au).fin)
    tracees = sum(
        p.valeur for p in courbe.points
        if p.valeur is not None and str(periodes.parse(p.periode).debut) >= str(plage.debut)
        and p.fin <= fin
    )  # fmt: skip
    return float(ligne.reel) - float(tracees)


def _arguments(courbe: Courbe, ligne: LigneIndicateur | None, nature: str) -> dict[str, Any]:
    """Ce que `trace.build_trace` et `courbes.build_serie` reçoivent pour cette courbe."""
    figees = cibles(ligne)
    return {
        "serie": serie(courbe), "cibles": figees, "nature": nature, "unite": courbe.unite,
        "annotations": evenements(courbe), "depart": depart(courbe, ligne, nature, figees),
    }  # fmt: skip


def build_trace(courbe: Courbe, ligne: LigneIndicateur | None, nature: str) -> trace_module.Trace:
    """Ce que la courbe trace, à l'écran comme dans le PDF."""
    return trace_module.build_trace(**_arguments(courbe, ligne, nature))


def build_courbe(
    courbe: Courbe, ligne: LigneIndicateur | None, nature: str
) -> alt.LayerChart | alt.FacetChart:
    """La courbe face à sa cible et à la trajectoire attendue, avec ses événements numérotés."""
    return dessiner(courbe, build_trace(courbe, ligne, nature))


def dessiner(courbe: Courbe, t: trace_module.Trace) -> alt.LayerChart | alt.FacetChart:
    """Le dessin d'une courbe déjà tracée (`build_trace`), sans sous-titre de méthode : la
    synthèse la dit une fois, et la demi-largeur d'une courbe du tableau ne la contiendrait pas."""
    return graphiques.dessiner(t, unite=courbe.unite, titre=courbe.titre, methode=False)


def resume_courbe(courbe: Courbe, ligne: LigneIndicateur | None, nature: str) -> str:
    """La phrase de la courbe (nom accessible et légende du graphique)."""
    return resumer(courbe, build_trace(courbe, ligne, nature))


def resumer(courbe: Courbe, t: trace_module.Trace) -> str:
    """La phrase d'une courbe déjà tracée (`build_trace`)."""
    return graphiques.resumer(t, serie(courbe), unite=courbe.unite, titre=courbe.titre)


def tableau_courbe(courbe: Courbe) -> pd.DataFrame:
    """Les valeurs de la courbe en tableau, les plus récentes d'abord (« – » si absente)."""
    points = list(reversed(courbe.points))
    return pd.DataFrame({
        "Période": [formats.periode(p.periode) for p in points],
        "Valeur": [formats.valeur(p.valeur, courbe.unite) for p in points],
    })  # fmt: skip
