"""Événements datés sur les courbes : trait vertical en tirets, libellé écrit, infobulle.

Partagé par la fiche d'un indicateur (`graphiques.build_serie`) et la fiche d'une zone de la carte
(`fiche_canton.build_comparaison`). Lisible en noir et blanc : le trait est en tirets noirs et le
type est écrit dans l'étiquette, jamais porté par la seule couleur. Un changement de définition
coupe aussi la courbe à son mois (`segments`, à passer en `detail` de la ligne), pour que
personne ne lise un saut de série comme un résultat.

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
ETIQUETTE_MAX = 45  # au-delà, l'étiquette est coupée ; l'infobulle et la liste gardent tout
ECART_ETIQUETTES = 12  # pixels entre deux étiquettes d'événements du même mois
# Longueur au plus d'une étiquette le long du trait : la hauteur du tracé (signal Vega), pour
# ne jamais mordre sur l'axe des dates ; Vega coupe au-delà, avec « … ».
LIMITE_ETIQUETTE = "height - 8"
DEFINITION = "definition"
COLONNES_EVENEMENTS = ["date", "mois", "quand", "type", "libelle_type", "libelle", "etiquette",
                       "libelle_territoire", "rang"]  # fmt: skip


def _etiquette(libelle_type: str, libelle: str) -> str:
    texte = f"{libelle_type} : {libelle}"
    return texte if len(texte) <= ETIQUETTE_MAX else texte[: ETIQUETTE_MAX - 1].rstrip() + "…"


def build_evenements(
    annotations: pd.DataFrame | None, *, debut: str | None = None, fin: str | None = None
) -> pd.DataFrame:
    """Les événements à tracer entre les mois `debut` et `fin` (AAAA-MM, inclus), un par ligne.

    Un événement hors de l'étendue de la courbe n'est pas tracé (il élargirait l'axe des
    dates) ; il reste dans la liste sous le graphique. Chaque trait est au premier jour de son
    mois : entre le dernier point d'avant et le premier point concerné. `rang` numérote les
    événements d'un même mois, pour écarter leurs étiquettes.
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
            "date": [pd.Timestamp(f"{m}-01") for m in mois],
            "mois": mois,
            "quand": [formats.periode(m) for m in mois],
            "type": retenus["type"].astype(str).to_numpy(),
            "libelle_type": retenus["libelle_type"].astype(str).to_numpy(),
            "libelle": retenus["libelle"].astype(str).to_numpy(),
            "etiquette": [_etiquette(str(t), str(li)) for t, li in
                          zip(retenus["libelle_type"], retenus["libelle"], strict=True)],
            "libelle_territoire": retenus["libelle_territoire"].astype(str).to_numpy(),
            "rang": retenus.groupby("mois").cumcount().to_numpy(),
        }
    )  # fmt: skip


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
        alt.Tooltip("quand:N", title="Date"),
        alt.Tooltip("libelle_type:N", title="Type d'événement"),
        alt.Tooltip("libelle:N", title="Événement"),
        alt.Tooltip("libelle_territoire:N", title="Territoire"),
    ]


def build_couches(evenements: pd.DataFrame, *, axe_x: alt.Axis) -> list[alt.Chart]:
    """Le trait de chaque événement et son étiquette, écrite le long du trait depuis le haut.

    `axe_x` : l'axe des dates du graphique porteur, repris tel quel (Vega-Lite fusionne les
    axes des couches ; un axe différent y mêlerait les titres). Rien si aucun événement.
    """
    if evenements.empty:
        return []
    x = alt.X("date:T", axis=axe_x)
    couches: list[alt.Chart] = [
        alt.Chart(evenements)
        .mark_rule(color=COULEUR_EVENEMENT, strokeDash=TIRETS, strokeWidth=1.5)
        .encode(x=x, tooltip=_infobulle())
    ]
    for rang, groupe in evenements.groupby("rang", sort=True):
        couches.append(_etiquettes(groupe.reset_index(drop=True), x, int(rang)))
    return couches


def _etiquettes(evenements: pd.DataFrame, x: alt.X, rang: int) -> alt.Chart:
    """Les étiquettes du rang `rang` de leur mois, écrites de bas en haut à gauche du trait ;
    chaque rang suivant un cran plus à gauche."""
    return (
        alt.Chart(evenements)
        .mark_text(angle=270, align="right", baseline="bottom", dy=-3 - ECART_ETIQUETTES * rang,
                   fontSize=11, color=COULEUR_EVENEMENT, limit=alt.ExprRef(LIMITE_ETIQUETTE))
        .encode(x=x, y=alt.value(4), text="etiquette:N", tooltip=_infobulle())
    )  # fmt: skip
