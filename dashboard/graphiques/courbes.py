"""Graphiques Altair : série d'un indicateur face à sa cible et à la trajectoire attendue, barres
par territoire et par canton.

Constructeurs purs : ils rendent un `alt.Chart` (ou une superposition) que la page passe à
`st.altair_chart` ; aucun appel à Streamlit, rien de chargé depuis Internet (les données sont
incluses dans la spécification, Vega-Lite est livré avec Streamlit). Vega formate les nombres et
les mois en anglais par défaut : les étiquettes d'axe passent par des expressions (`labelExpr`)
qui écrivent « 12 345 » et « juin 2019 » sans dépendre d'une locale, et les infobulles
montrent des textes déjà formatés en français par `formats`.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard import apparence, formats
from dashboard.formats import manquant, texte_ou_vide, valeur_arrondie
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import resumes
from dashboard.modeles.synthese import libelle_statut
from dashboard.sources import lisible
from data_access import periodes, trajectoire

MOIS_COURTS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip
_LISTE_MOIS = "[" + ", ".join(f"'{m}'" for m in MOIS_COURTS) + "]"
# « juin 2019 » pour une date, sans locale Vega.
EXPR_MOIS = f"{_LISTE_MOIS}[month(datum.value)] + ' ' + year(datum.value)"
# « 12 345 » : le séparateur de milliers anglais devient une espace fine insécable.
EXPR_ENTIER = "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '\u202f')"
# « 45,2 » : d'abord les milliers (« , » → espace fine), puis la décimale (« . » → « , »).
EXPR_DECIMAL = "replace(replace(format(datum.value, ',.1f'), regexp(',', 'g'), '\u202f'), '.', ',')"

COULEURS_STATUT = {
    statut: apparence.STATUTS[statut].couleur
    for statut in (apparence.EN_AVANCE, apparence.DANS_LA_TRAJECTOIRE, apparence.EN_RETARD,
                   apparence.NON_RENSEIGNE)
}  # fmt: skip
COULEUR_SERIE = "#1f4e79"
COULEUR_CIBLE = "#444444"


def _axe_y(titre: str, unite: str) -> alt.Axis:
    expression = EXPR_DECIMAL if unite == "%" else EXPR_ENTIER
    return alt.Axis(title=titre, labelExpr=expression)


def _axe_x() -> alt.Axis:
    return alt.Axis(title="Fin de période", labelExpr=EXPR_MOIS, labelAngle=0)


def _fin_de_mois(mois: str) -> pd.Timestamp:
    """Dernier jour du mois `AAAA-MM` : une valeur trimestrielle est placée à la fin de son
    trimestre, là où la trajectoire attendue la juge."""
    return pd.Period(mois, freq="M").end_time.normalize()


def _debut_de_mois(mois: periodes.Mois) -> pd.Timestamp:
    return pd.Timestamp(year=mois.annee, month=mois.mois, day=1)


def _points(
    serie: pd.DataFrame,
    unite: str,
    plage: periodes.Plage | None,
    annotations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Les valeurs à tracer ; avec une plage de flux, le cumul depuis son début (ce qui se
    compare à la cible), sinon la valeur de chaque période. `segment` : le tronçon de courbe,
    qui change à chaque changement de définition."""
    propres = serie[serie["valeur"].notna()].sort_values("fin")
    if plage is not None:
        propres = propres[
            (propres["debut"] >= str(plage.debut)) & (propres["fin"] <= str(plage.fin))
        ]
    y = propres["valeur"].astype("float64")
    if plage is not None:
        y = y.cumsum()
    return pd.DataFrame(
        {
            "date": [_fin_de_mois(str(f)) for f in propres["fin"]],
            "y": y.to_numpy(),
            "periode": [formats.periode(str(p)) for p in propres["periode"]],
            "valeur": [formats.valeur(float(v), unite) for v in propres["valeur"]],
            "cumul": [formats.valeur(float(v), unite) for v in y],
            "debut": propres["debut"].astype(str).to_numpy(),
            "fin": propres["fin"].astype(str).to_numpy(),
            "segment": graphiques_annotations.segments(propres["fin"].astype(str), annotations),
        }
    )


_SANS_TRAJECTOIRE = frozenset({trajectoire.Statut.REPERE, trajectoire.Statut.NON_EVALUABLE})


def _cibles_tracees(cibles: pd.DataFrame | None, flux: bool) -> pd.DataFrame:
    """Les cibles à tracer : pour un flux cumulé, celles de la même plage que la première (10 000
    et 11 199 ensemble), sinon toutes (un stock a une cible par an)."""
    if cibles is None or cibles.empty:
        return pd.DataFrame(columns=["periode_cible", "cible", "valeur_reference", "source"])
    cibles = cibles.reset_index(drop=True)
    if flux:
        cibles = cibles[cibles["periode_cible"] == cibles.loc[0, "periode_cible"]]
    return cibles.drop_duplicates(subset=["periode_cible", "cible"])


def _couches_cible(
    cible: pd.Series, unite: str, flux: bool, axes: tuple[alt.Axis, alt.Axis]
) -> list[alt.Chart]:
    """La cible (trait plein sur sa plage, étiqueté) et la trajectoire attendue (tirets).

    Un repère ou une cible non évaluable (`statut`) n'a pas de trajectoire attendue : seul son
    trait est tracé, étiqueté « Repère » pour un repère. Chaque couche reprend les mêmes axes que
    la série : Vega-Lite fusionne les axes des couches, et des axes différents (ou absents) y
    donneraient des titres concaténés ou aucun axe.
    """
    axe_x, axe_y = axes
    plage = periodes.parse_plage(str(cible["periode_cible"]))
    debut, fin = _debut_de_mois(plage.debut), _fin_de_mois(str(plage.fin))
    valeur = float(cible["cible"])
    reference = (
        None if manquant(cible.get("valeur_reference")) else float(cible["valeur_reference"])
    )
    statut = texte_ou_vide(cible.get("statut"))
    nom = "Repère" if statut == trajectoire.Statut.REPERE else "Cible"
    etiquette = f"{nom} {valeur_arrondie(valeur, unite)} ({plage.code})"
    regle = pd.DataFrame([{"debut": debut, "fin": fin, "cible": valeur, "libelle": etiquette,
                           "source": lisible(texte_ou_vide(cible.get("source")))}])  # fmt: skip
    couches: list[alt.Chart] = [
        alt.Chart(regle)
        .mark_rule(color=COULEUR_CIBLE, strokeWidth=2)
        .encode(
            x=alt.X("debut:T", axis=axe_x),
            x2="fin:T",
            y=alt.Y("cible:Q", axis=axe_y),
            tooltip=[
                alt.Tooltip("libelle:N", title="Cible"),
                alt.Tooltip("source:N", title="Source"),
            ],
        ),  # fmt: skip
        alt.Chart(regle)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color=COULEUR_CIBLE)
        .encode(x=alt.X("debut:T", axis=axe_x), y=alt.Y("cible:Q", axis=axe_y), text="libelle:N"),
    ]
    depart = reference if reference is not None else (0.0 if flux else None)
    if depart is not None and statut not in _SANS_TRAJECTOIRE:
        trajet = pd.DataFrame({"date": [debut, fin], "attendu": [depart, valeur],
                               "libelle": ["Trajectoire attendue"] * 2})  # fmt: skip
        couches.append(
            alt.Chart(trajet)
            .mark_line(color=COULEUR_CIBLE, strokeDash=[6, 4])
            .encode(
                x=alt.X("date:T", axis=axe_x),
                y=alt.Y("attendu:Q", axis=axe_y),
                tooltip=[alt.Tooltip("libelle:N", title="")],
            )
        )
    return couches


def build_serie(
    serie: pd.DataFrame,
    cibles: pd.DataFrame | None = None,
    *,
    nature: str,
    unite: str = "",
    titre: str = "",
    annotations: pd.DataFrame | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """La série d'un indicateur, sa ou ses cibles, la trajectoire attendue et les événements.

    `serie` : colonnes de `series.read_serie` (periode, debut, fin, valeur…). `cibles` : lignes
    de progression de l'indicateur (`periode_cible`, `cible`, `valeur_reference`, `source`), la
    cible principale d'abord. Un flux ou un montant avec cible est tracé en cumul depuis le début
    de la plage de sa cible, face à la droite attendue (de 0, ou de la situation de départ, à la
    cible) ; un stock ou un taux est tracé en niveaux, face au trait de chaque cible sur sa
    plage. Le sous-titre dit comment la valeur attendue est calculée. `annotations` : les
    événements de `read_annotations` ; ceux de l'étendue de la courbe sont tracés (trait en
    tirets et libellé), et un changement de définition coupe la courbe à son mois.
    """
    flux = nature in trajectoire.NATURES_PRORATISEES
    tracees, plage = _trace(cibles, flux)
    points = _points(serie, unite, plage, annotations)
    titre_y = f"Cumul depuis {formats.periode(str(plage.debut))}" if plage else "Valeur"
    if unite:
        titre_y += f" ({unite})"
    axes = (_axe_x(), _axe_y(titre_y, unite))
    ligne = (
        alt.Chart(points)
        .mark_line(point=True, color=COULEUR_SERIE)
        .encode(
            x=alt.X("date:T", axis=axes[0]),
            y=alt.Y("y:Q", axis=axes[1]),
            detail="segment:N",
            tooltip=[alt.Tooltip("periode:N", title="Période"),
                     alt.Tooltip("valeur:N", title="Valeur de la période"),
                     alt.Tooltip("cumul:N", title="Cumul" if plage else "Valeur")],
        )
    )  # fmt: skip
    couches: list[alt.Chart] = [ligne]
    for _, cible in tracees.iterrows():
        couches.extend(_couches_cible(cible, unite, flux, axes))
    couches.extend(_couches_evenements(annotations, points, axes[0]))
    jugees = "statut" not in tracees or (~tracees["statut"].isin(list(_SANS_TRAJECTOIRE))).any()
    sous_titre = trajectoire.phrase_modele(nature) if not tracees.empty and jugees else ""
    return alt.layer(*couches).properties(
        title=alt.TitleParams(text=titre, subtitle=sous_titre, anchor="start")
    )


def _trace(cibles: pd.DataFrame | None, flux: bool) -> tuple[pd.DataFrame, periodes.Plage | None]:
    """Les cibles tracées et, pour un flux à cible, la plage de la première (celle du cumul)."""
    tracees = _cibles_tracees(cibles, flux)
    if not flux or tracees.empty:
        return tracees, None
    return tracees, periodes.parse_plage(str(tracees.iloc[0]["periode_cible"]))


def resume_serie(
    serie: pd.DataFrame,
    cibles: pd.DataFrame | None = None,
    *,
    nature: str,
    unite: str = "",
    titre: str = "",
) -> str:
    """La phrase de ce que `build_serie` trace : la courbe (en cumul pour un flux à cible), puis
    les cibles tracées ; `titre` : celui du graphique, qui ouvre la phrase."""
    tracees, plage = _trace(cibles, nature in trajectoire.NATURES_PRORATISEES)
    points = _points(serie, unite, plage)
    sujet = f"cumul depuis {formats.periode(str(plage.debut))}" if plage else "série"
    sujet = f"{titre}, {sujet}" if titre else sujet.capitalize()
    codes = dict(zip(serie["fin"].astype(str), serie["periode"].astype(str), strict=True))
    phrase = resumes.serie([codes[f] for f in points["fin"]], list(points["y"]), unite=unite,
                           sujet=sujet)  # fmt: skip
    return " ".join(t for t in (phrase, resumes.cibles(tracees, unite)) if t)


def _couches_evenements(
    annotations: pd.DataFrame | None, points: pd.DataFrame, axe_x: alt.Axis
) -> list[alt.Chart]:
    """Les événements datés dans l'étendue des points tracés."""
    if points.empty:
        return []
    evenements = graphiques_annotations.build_evenements(
        annotations, debut=str(points["debut"].min()), fin=str(points["fin"].max())
    )
    return graphiques_annotations.build_couches(evenements, axe_x=axe_x)


def build_courbe_recente(recentes: pd.DataFrame, *, unite: str) -> alt.Chart:
    """La petite courbe d'une carte de la synthèse, sans axe : la phrase et le tableau qui la
    suivent donnent les chiffres. `recentes` : `synthese.serie_recente(...)`."""
    donnees = pd.DataFrame(
        {
            "date": [_fin_de_mois(str(f)) for f in recentes["fin"]],
            "y": recentes["valeur"].astype("float64").to_numpy(),
            "periode": [formats.periode(str(p)) for p in recentes["periode"]],
            "valeur": [formats.valeur(float(v), unite) for v in recentes["valeur"]],
        }
    )
    return (
        alt.Chart(donnees)
        .mark_line(point=True, color=COULEUR_SERIE)
        .encode(
            x=alt.X("date:T", axis=None),
            y=alt.Y("y:Q", axis=None, scale=alt.Scale(zero=False)),
            tooltip=[
                alt.Tooltip("periode:N", title="Période"),
                alt.Tooltip("valeur:N", title="Valeur"),
            ],
        )  # fmt: skip
        .properties(height=60)
    )


def _couleur_statut() -> alt.Color:
    return alt.Color(
        "statut:N",
        title="Statut",
        scale=alt.Scale(domain=list(COULEURS_STATUT), range=list(COULEURS_STATUT.values())),
    )


def build_barres_territoires(
    tableau: pd.DataFrame,
    *,
    indicateur: str,
    periode: str,
    titre: str = "",
    territoires: Sequence[str] = ("NORD", "OUEST", "EMS", "SUD"),
) -> alt.LayerChart | alt.FacetChart:
    """Réalisé de chaque territoire d'action (barre), cible (trait) et valeur attendue (losange),
    avec le statut écrit au bout de la barre (icône et mot, pas la couleur seule).

    `tableau` : `territoires_tableau.build_tableau(...)`. Le total départemental n'y figure
    pas : il écraserait l'échelle des quatre territoires.
    """
    lignes = _lignes_territoires(tableau, indicateur, periode, territoires)
    donnees = pd.DataFrame(
        {
            "territoire": lignes["libelle_territoire"].astype(str),
            "reel": lignes["reel"].astype("float64"),
            "cible": lignes["cible"].astype("float64"),
            "attendu": lignes["attendu"].astype("float64"),
            "statut": [texte_ou_vide(s) or "non renseigné" for s in lignes["statut"]],
            "statut_affiche": [libelle_statut(texte_ou_vide(s)) for s in lignes["statut"]],
            "reel_affiche": lignes["reel_affiche"].astype(str),
            "cible_affichee": lignes["cible_affichee"].astype(str),
            "attendu_affiche": lignes["attendu_affiche"].astype(str),
        }
    )
    ordre = list(donnees["territoire"])
    y = alt.Y("territoire:N", title="Territoire d'action", sort=ordre)
    infobulle = [
        alt.Tooltip("territoire:N", title="Territoire"),
        alt.Tooltip("reel_affiche:N", title="Réalisé"),
        alt.Tooltip("attendu_affiche:N", title="Attendu à la date"),
        alt.Tooltip("cible_affichee:N", title="Cible"),
        alt.Tooltip("statut_affiche:N", title="Statut"),
    ]
    # Le statut est écrit en toutes lettres au bout de la barre ; l'échelle lui laisse sa place.
    donnees["bout"] = donnees[["reel", "cible", "attendu"]].max(axis=1)
    haut = float(donnees["bout"].max()) if donnees["bout"].notna().any() else 1.0
    axe_x = alt.Axis(title="Réalisé", labelExpr=EXPR_ENTIER)
    base = alt.Chart(donnees)
    barres = base.mark_bar().encode(
        x=alt.X("reel:Q", axis=axe_x, scale=alt.Scale(domain=[0, haut * 1.45])),
        y=y,
        color=_couleur_statut(),
        tooltip=infobulle,
    )
    cible = base.mark_tick(color=COULEUR_CIBLE, thickness=3, size=28).encode(
        x=alt.X("cible:Q", axis=axe_x), y=y, tooltip=infobulle
    )
    attendu = base.mark_point(shape="diamond", filled=True, color=COULEUR_CIBLE, size=70).encode(
        x=alt.X("attendu:Q", axis=axe_x), y=y, tooltip=infobulle
    )
    texte = base.mark_text(align="left", dx=8).encode(
        x=alt.X("bout:Q", axis=axe_x), y=y, text="statut:N"
    )
    return alt.layer(barres, cible, attendu, texte).properties(
        title=alt.TitleParams(
            text=titre,
            subtitle="Barre : réalisé · trait : cible · losange : valeur attendue à la date",
            anchor="start",
        )
    )


def _lignes_territoires(
    tableau: pd.DataFrame, indicateur: str, periode: str, territoires: Sequence[str]
) -> pd.DataFrame:
    return tableau[
        (tableau["indicateur"] == indicateur)
        & (tableau["periode"] == periode)
        & tableau["territoire"].isin(list(territoires))
    ]


def resume_barres_territoires(
    tableau: pd.DataFrame,
    *,
    indicateur: str,
    periode: str,
    titre: str,
    territoires: Sequence[str] = ("NORD", "OUEST", "EMS", "SUD"),
) -> str:
    """La phrase de `build_barres_territoires` : chaque barre, dans l'ordre du graphique."""
    lignes = _lignes_territoires(tableau, indicateur, periode, territoires)
    return resumes.territoires(lignes, sujet=titre)


def build_barres_cantons(
    contributions: pd.DataFrame, *, unite: str = "", titre: str = ""
) -> alt.LayerChart | alt.FacetChart:
    """Contribution de chaque canton au réalisé de son territoire (aucune cible par canton).

    `contributions` : `territoires_tableau.build_contributions(...)`, déjà sous secret
    statistique : un canton masqué n'a pas de barre mais le mot « secret », pour qu'on ne lise
    jamais un zéro là où une valeur est cachée.
    """
    donnees = pd.DataFrame(
        {
            "canton": contributions["libelle"].astype(str),
            "valeur": contributions["valeur"].astype("float64"),
            "valeur_affichee": contributions["valeur_affichee"].astype(str),
            "part_affichee": contributions["part_affichee"].astype(str),
            "masque": contributions["masque"].astype(bool),
        }
    )
    titre_x = "Réalisé" + (f" ({unite})" if unite else "")
    y = alt.Y("canton:N", title="Canton", sort=list(donnees["canton"]))
    infobulle = [alt.Tooltip("canton:N", title="Canton"),
                 alt.Tooltip("valeur_affichee:N", title="Réalisé"),
                 alt.Tooltip("part_affichee:N", title="Part du territoire")]  # fmt: skip
    axe_x = alt.Axis(title=titre_x, labelExpr=EXPR_ENTIER)  # le même pour les deux couches
    barres = (
        alt.Chart(donnees)
        .mark_bar(color=COULEUR_SERIE)
        .encode(
            x=alt.X("valeur:Q", axis=axe_x),
            y=y,
            tooltip=infobulle,
        )
    )
    secrets = (
        alt.Chart(donnees)
        .transform_filter("datum.masque")
        .transform_calculate(zero="0")
        .mark_text(align="left", dx=4, fontStyle="italic", color=COULEUR_CIBLE)
        .encode(x=alt.X("zero:Q", axis=axe_x), y=y, text="valeur_affichee:N", tooltip=infobulle)
    )
    return alt.layer(barres, secrets).properties(title=alt.TitleParams(text=titre, anchor="start"))
