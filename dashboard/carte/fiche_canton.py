"""La fiche d'une zone de la carte : sa série face à son territoire et au département.

Pur (sans Streamlit) : les pages lui passent les DataFrames lus par `donnees`. La zone suit le
secret statistique période par période (même calcul que la carte), et la comparaison se fait
pour 1 000 habitants pour un effectif (un canton et le département n'ont pas la même taille),
en valeur brute pour un taux. La courbe du département est sa propre série (`read_serie` du
département, lisible dans tout périmètre), jamais la somme des zones qu'un élu peut lire.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from dashboard import formats
from dashboard.carte.config import read_libelles_territoires
from dashboard.carte.mesures import (
    Indicateur,
    Mesure,
    build_zones_propres,
    etendue_rang,
    libelle_rang,
    mesures_disponibles,
    texte_rang,
)
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import resumes
from data_access import periodes

INDICATEURS_PRINCIPAUX = ("OO2-S.1", "OO3-S.1", "OO1-S.1", "FIN-2.1", "A31.1")


def mesure_comparable(indicateur: Indicateur) -> Mesure:
    """Pour 1 000 habitants quand la mesure existe (effectifs), sinon la valeur brute (taux)."""
    disponibles = mesures_disponibles(indicateur.nature)
    return Mesure.POUR_1000 if Mesure.POUR_1000 in disponibles else Mesure.BRUTE


def periode_a_date(mois: str, periodicite: str | None) -> str | None:
    """La dernière période close de l'indicateur à la fin du mois choisi (None sans périodicité)."""
    if not periodicite:
        return None
    return periodes.derniere_close(
        periodes.Mois.parse(mois), periodes.Periodicite(periodicite)
    ).code


def serie_zone(
    cantons_long: pd.DataFrame, *, zone: str, indicateur: Indicateur, seuil: int
) -> pd.DataFrame:
    """Valeur comparable de la zone à chaque période, masquée comme sur la carte."""
    mesure = mesure_comparable(indicateur)
    lignes = []
    for (periode, fin), groupe in cantons_long.groupby(["periode", "fin"], sort=True):
        zones = build_zones_propres(groupe.drop(columns=["periode", "fin"]),
                                    indicateur=indicateur, mesure=mesure, seuil=seuil)  # fmt: skip
        ligne = zones.set_index("zone").loc[zone]
        valeur = float("nan") if ligne["masque"] else float(ligne["valeur"])
        lignes.append((str(periode), str(fin), valeur, bool(ligne["masque"])))
    return pd.DataFrame(lignes, columns=["periode", "fin", "valeur", "masque"])


def serie_territoire(
    serie: pd.DataFrame, *, population: int | None, indicateur: Indicateur
) -> pd.DataFrame:
    """Série exacte d'un territoire, rendue comparable (pour 1 000 habitants si effectif)."""
    cadre = serie[["periode", "fin", "valeur"]].copy()
    if mesure_comparable(indicateur) is Mesure.POUR_1000 and population:
        cadre["valeur"] = cadre["valeur"] / population * 1000
    return cadre


def build_comparaison(
    courbes: Mapping[str, pd.DataFrame],
    *,
    titre_axe: str,
    annotations: pd.DataFrame | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Courbes superposées (zone, territoire, département) ; une période masquée reste un trou.

    `annotations` : les événements de `read_annotations` qui s'appliquent à la zone ; ceux de
    l'étendue des courbes sont tracés, et un changement de définition coupe chaque courbe.
    """
    long = pd.concat(
        [c.assign(courbe=nom)[["fin", "valeur", "courbe"]] for nom, c in courbes.items()],
        ignore_index=True,
    )
    long["date"] = pd.to_datetime(long["fin"] + "-01")
    long["segment"] = graphiques_annotations.segments(long["fin"].astype(str), annotations)
    axe_x = alt.Axis(title="Fin de période", format="%m/%Y")
    lignes = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", axis=axe_x),
            y=alt.Y("valeur:Q", title=titre_axe),
            color=alt.Color(
                "courbe:N",
                title=None,
                sort=list(courbes),
                scale=alt.Scale(range=["#d95f02", "#1b9e77", "#7570b3"]),
            ),  # fmt: skip
            strokeDash=alt.StrokeDash("courbe:N", legend=None, sort=list(courbes)),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("courbe:N", title="Courbe"),
                alt.Tooltip("date:T", title="Fin de période", format="%m/%Y"),
                alt.Tooltip("valeur:Q", title=titre_axe, format=",.1f"),
            ],  # fmt: skip
        )
    )
    evenements = evenements_traces(courbes, annotations)
    couches = graphiques_annotations.build_couches(evenements, axe_x=axe_x)
    return alt.layer(lignes, *couches).properties(height=260)


def evenements_traces(
    courbes: Mapping[str, pd.DataFrame], annotations: pd.DataFrame | None
) -> pd.DataFrame:
    """Les événements de l'étendue des courbes, numérotés comme leurs repères sur le dessin."""
    fins = pd.concat([c["fin"] for c in courbes.values()], ignore_index=True).astype(str)
    return graphiques_annotations.build_evenements(
        annotations, debut=fins.min() if len(fins) else None, fin=fins.max() if len(fins) else None
    )


def resume_comparaison(courbes: Mapping[str, pd.DataFrame], *, titre_axe: str) -> str:
    """La phrase des courbes comparées (nom accessible et légende du graphique)."""
    return resumes.comparaison(courbes, mesure=titre_axe)


def tableau_comparaison(courbes: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Les courbes comparées en tableau : une ligne par période (la plus récente d'abord), une
    colonne par courbe ; une période masquée de la zone est « secret », jamais vide ni 0."""
    colonnes: dict[str, dict[str, str]] = {}
    for nom, cadre in courbes.items():
        masques = cadre["masque"] if "masque" in cadre else pd.Series(False, index=cadre.index)
        colonnes[nom] = {
            str(p): "secret" if bool(m) else formats.nombre(None if pd.isna(v) else float(v), 1)
            for p, v, m in zip(cadre["periode"], cadre["valeur"], masques, strict=True)
        }
    codes = sorted({p for valeurs in colonnes.values() for p in valeurs}, reverse=True)
    return pd.DataFrame({
        "Période": [formats.periode(p) for p in codes],
        **{nom: [v.get(p, formats.MANQUANT) for p in codes] for nom, v in colonnes.items()},
    })  # fmt: skip


def ligne_principale(
    cantons: pd.DataFrame, *, zone: str, indicateur: Indicateur, periode: str, seuil: int
) -> dict[str, str]:
    """Une ligne du tableau « indicateurs du plan » de la zone : valeur, période, rang parmi les
    zones lues (nommées : celles du Bas-Rhin, ou du seul territoire d'un élu à périmètre)."""
    zones = build_zones_propres(cantons, indicateur=indicateur, mesure=Mesure.BRUTE, seuil=seuil)
    ligne = zones.set_index("zone").loc[zone]
    if ligne["masque"]:
        texte, rang = "secret", formats.MANQUANT
    elif pd.isna(ligne["valeur"]):
        texte, rang = "non renseigné", formats.MANQUANT
    else:
        texte = formats.valeur(float(ligne["valeur"]), indicateur.unite)
        rang = texte_rang(ligne["rang"], int(zones["valeur"].notna().sum()))
    etendue = etendue_rang(zones, read_libelles_territoires())
    return {"Indicateur": indicateur.libelle, "Période": formats.periode(periode), "Valeur": texte,
            libelle_rang(etendue): rang}  # fmt: skip
