"""Événements datés sur les courbes : repère numéroté sur un trait en tirets, liste à côté.

Partagé par la fiche d'un indicateur (`graphiques.build_serie`), les courbes du tableau de bord
(écran et PDF) et la fiche d'une zone de la carte (`fiche_canton.build_comparaison`). Sur la
courbe, chaque événement est un trait vertical en tirets surmonté de son numéro dans un carré ;
son libellé entier est dans la liste numérotée écrite à côté du graphique (`ligne_numerotee`),
jamais tourné ni tronqué sur le dessin. Lisible en noir et blanc : le trait est en tirets
noirs, le type est écrit dans la liste, jamais porté par la seule couleur. Un changement de
définition coupe aussi la courbe à son mois (`segments`, à passer en `detail` de la ligne),
pour que personne ne lise un saut de série comme un résultat.

Constructeurs purs, sans Streamlit : `annotations` a les colonnes de
`data_access.annotations.read_annotations`.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from dashboard import formats

COULEUR_EVENEMENT = "#000000"
TIRETS = [5, 3]
ECART_REPERES = 16  # pixels entre les repères de deux événements du même mois
DEFINITION = "definition"
COLONNES_EVENEMENTS = ["id", "numero", "date", "mois", "quand", "type", "libelle_type", "libelle",
                       "libelle_territoire", "rang"]  # fmt: skip


def ligne_numerotee(numero: int, quand: str, libelle_type: str, libelle: str) -> str:
    """« 1. septembre 2018 — Nouvelle convention : libellé » : la ligne de la liste à côté du
    graphique (texte brut, libellé entier)."""
    return f"{numero}. {quand} — {libelle_type} : {libelle}"


def build_evenements(
    annotations: pd.DataFrame | None, *, debut: str | None = None, fin: str | None = None
) -> pd.DataFrame:
    """Les événements à tracer entre les mois `debut` et `fin` (AAAA-MM, inclus), un par ligne,
    numérotés dans l'ordre des mois (`numero`, à partir de 1 : le repère sur la courbe et sa
    ligne dans la liste).

    Un événement hors de l'étendue de la courbe n'est pas tracé (il élargirait l'axe des
    dates) ; il reste, sans numéro, dans la liste de la fiche. Chaque trait est au premier jour
    de son mois : entre le dernier point d'avant et le premier point concerné. `rang` numérote
    les événements d'un même mois, pour empiler leurs repères.
    """
    if annotations is None or annotations.empty:
        return pd.DataFrame(columns=COLONNES_EVENEMENTS)
    garder = pd.Series(True, index=annotations.index)
    if debut is not None:
        garder &= annotations["mois"] >= debut
    if fin is not None:
        garder &= annotations["mois"] <= fin
    retenus = annotations[garder].sort_values(["mois", "id"])
    mois = [str(m) for m in retenus["mois"]]
    return pd.DataFrame(
        {
            "id": retenus["id"].to_numpy(),
            "numero": range(1, len(retenus) + 1),
            "date": [pd.Timestamp(f"{m}-01") for m in mois],
            "mois": mois,
            "quand": [formats.periode(m) for m in mois],
            "type": retenus["type"].astype(str).to_numpy(),
            "libelle_type": retenus["libelle_type"].astype(str).to_numpy(),
            "libelle": retenus["libelle"].astype(str).to_numpy(),
            "libelle_territoire": retenus["libelle_territoire"].astype(str).to_numpy(),
            "rang": retenus.groupby("mois").cumcount().to_numpy(),
        },
        columns=COLONNES_EVENEMENTS,
    )


def lignes(evenements: pd.DataFrame) -> list[str]:
    """La liste numérotée des événements tracés (`build_evenements`), dans l'ordre des repères."""
    return [
        ligne_numerotee(int(n), str(q), str(t), str(li))
        for n, q, t, li in zip(evenements["numero"], evenements["quand"],
                               evenements["libelle_type"], evenements["libelle"], strict=True)
    ]  # fmt: skip


def segments(fins: Iterable[str], annotations: pd.DataFrame | None) -> list[int]:
    """Le tronçon de courbe de chaque point, d'après le mois de fin de sa période (AAAA-MM).

    Tronçon = nombre de changements de définition datés au plus tard ce mois-là : une période
    qui touche la nouvelle définition est du côté nouveau, et aucun segment ne relie deux
    points de part et d'autre d'un changement.
    """
    ruptures: list[str] = []
    if annotations is not None and not annotations.empty:
        ruptures = sorted(
            str(m) for m in annotations.loc[annotations["type"] == DEFINITION, "mois"]
        )
    return [sum(1 for r in ruptures if r <= str(f)) for f in fins]


def _infobulle() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("numero:Q", title="Repère"),
        alt.Tooltip("quand:N", title="Date"),
        alt.Tooltip("libelle_type:N", title="Type d'événement"),
        alt.Tooltip("libelle:N", title="Événement"),
        alt.Tooltip("libelle_territoire:N", title="Territoire"),
    ]


def build_couches(evenements: pd.DataFrame, *, axe_x: alt.Axis) -> list[alt.Chart]:
    """Le trait de chaque événement et son repère numéroté en haut du tracé (un carré blanc
    cerclé de noir, le numéro dedans) ; les événements d'un même mois empilent leurs repères.

    `axe_x` : l'axe des dates du graphique porteur, repris tel quel (Vega-Lite fusionne les
    axes des couches ; un axe différent y mêlerait les titres). Rien si aucun événement.
    """
    if evenements.empty:
        return []
    x = alt.X("date:T", axis=axe_x)
    # Les seules colonnes lues par le dessin : Altair nettoie chaque colonne de chaque couche.
    evenements = evenements[["date", "mois", "numero", "quand", "type", "libelle_type", "libelle",
                             "libelle_territoire", "rang"]]  # fmt: skip
    couches: list[alt.Chart] = [
        alt.Chart(evenements.drop(columns="rang"))
        .mark_rule(color=COULEUR_EVENEMENT, strokeDash=TIRETS, strokeWidth=1.5)
        .encode(x=x, tooltip=_infobulle())
    ]
    for rang, groupe in evenements.groupby("rang", sort=True):
        couches.extend(_reperes(groupe.reset_index(drop=True), x, int(rang)))
    return couches


def _reperes(evenements: pd.DataFrame, x: alt.X, rang: int) -> list[alt.Chart]:
    """Les repères du rang `rang` de leur mois : un carré blanc cerclé de noir, le numéro dedans,
    chaque rang suivant un cran plus bas."""
    donnees = evenements[["date", "numero", "quand", "libelle_type", "libelle",
                          "libelle_territoire"]].assign(
        numero_texte=[str(n) for n in evenements["numero"]]
    )  # fmt: skip
    # Des canaux Altair plutôt que des raccourcis (« champ:N », `alt.value`) : Altair relit un
    # raccourci contre tout le schéma Vega-Lite, dix millisecondes chaque fois.
    y = alt.YValue(9 + ECART_REPERES * rang)
    return [
        alt.Chart(donnees)
        .mark_point(shape="square", size=190, filled=True, fill="#ffffff",
                    stroke=COULEUR_EVENEMENT, strokeWidth=1, opacity=1)
        .encode(x=x, y=y, tooltip=_infobulle()),
        alt.Chart(donnees)
        .mark_text(fontSize=10, fontWeight="bold", color=COULEUR_EVENEMENT, baseline="middle")
        .encode(x=x, y=y, text=alt.Text("numero_texte:N"), tooltip=_infobulle()),
    ]  # fmt: skip
