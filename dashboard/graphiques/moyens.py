"""Graphiques Altair de la page « Moyens et résultats » : ETP par stratégie et partenaire, ratio
année par année et nuage résultat contre moyen, avec la norme de la fiche 5.2.14 en trait de
référence là où elle s'applique.

Constructeurs purs : ils rendent un graphique que la page passe à `st.altair_chart`, sans appel à
Streamlit ni donnée chargée par URL (les valeurs sont incluses dans la spécification). Les
infobulles montrent des textes déjà formatés en français et la formulation du document telle
qu'écrite (« peut être estimé à 1,8 ETP », « 0.15 ETP ») ; les étiquettes d'axe passent par des
expressions qui écrivent « 1,5 » et « 1 200 » sans dépendre d'une locale Vega.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard import formats
from dashboard.sources import lisible

# « 1,5 » puis « 12 345 » : séparateur de milliers en espace fine, virgule décimale.
EXPR_DECIMAL = (
    "replace(replace(format(datum.value, ',.1~f'), regexp(',', 'g'), '\u202f'), '.', ',')"
)
EXPR_ENTIER = "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '\u202f')"
COULEURS_PARTENAIRES = ("#1f4e79", "#e07b39", "#5b8c5a", "#8e6c8a")
COULEUR_NORME = "#b22222"
COULEUR_POINT = "#1f4e79"
LARGEUR_LIBELLE = 48


def _court(texte: str, largeur: int = LARGEUR_LIBELLE) -> str:
    return texte if len(texte) <= largeur else texte[: largeur - 1].rstrip() + "…"


def _barres(etp: pd.DataFrame) -> pd.DataFrame:
    """Une ligne par ETP écrit, avec son libellé d'axe court et ses textes d'infobulle."""
    libelles = [
        f"{o} · {lib}" + (" (axe entier, à part)" if a_part else "")
        for o, lib, a_part in zip(etp["objectif"], etp["objectif_libelle"], etp["a_part"],
                                  strict=True)
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "strategie": [_court(lib) for lib in libelles],
            "strategie_complete": libelles,
            "partenaire": etp["partenaire"].astype(str).to_numpy(),
            "etp": etp["valeur"].astype("float64").to_numpy(),
            "etp_texte": [formats.etp(v) for v in etp["valeur"]],
            "texte": etp["texte"].astype(str).to_numpy(),
            "source": [lisible(str(x)) for x in etp["source"]],
            "a_part": etp["a_part"].astype(bool).to_numpy(),
        }
    ).assign(rang_partenaire=lambda c: pd.factorize(c["partenaire"])[0])


def build_etp_strategies(etp: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Barres empilées des ETP par stratégie, une couleur par partenaire (MDE, Département).

    `etp` : les lignes de `moyens.lignes_etp_convention`. Une ligne écrite pour un axe entier a
    sa propre barre, pâlie, pour ne jamais s'additionner en silence à une stratégie.
    """
    barres = _barres(etp)
    ordre = list(dict.fromkeys(barres["strategie"]))
    partenaires = list(dict.fromkeys(barres["partenaire"]))
    axe_y = alt.Y("strategie:N", sort=ordre, title=None, axis=alt.Axis(labelLimit=360))
    base = alt.Chart(barres)
    empilees = base.mark_bar().encode(
        # Pas d'agrégat : chaque ETP écrit reste un segment, avec sa formulation et sa pâleur.
        x=alt.X(
            "etp:Q",
            stack="zero",
            title="ETP",
            axis=alt.Axis(labelExpr=EXPR_DECIMAL, tickMinStep=0.5),
        ),
        y=axe_y,
        color=alt.Color(
            "partenaire:N",
            title="Partenaire",
            scale=alt.Scale(
                domain=partenaires, range=list(COULEURS_PARTENAIRES[: len(partenaires)])
            ),
            legend=alt.Legend(orient="bottom"),
        ),
        order=alt.Order("rang_partenaire:Q"),
        opacity=alt.condition("datum.a_part", alt.value(0.45), alt.value(1.0)),
        tooltip=[
            alt.Tooltip("strategie_complete:N", title="Stratégie"),
            alt.Tooltip("partenaire:N", title="Partenaire"),
            alt.Tooltip("etp_texte:N", title="ETP"),
            alt.Tooltip("texte:N", title="Formulation du document"),
            alt.Tooltip("source:N", title="Source"),
        ],
    )
    totaux = barres.groupby("strategie", sort=False, as_index=False)["etp"].sum()
    totaux["total_texte"] = [formats.etp(round(v, 6)) for v in totaux["etp"]]
    etiquettes = (
        alt.Chart(totaux)
        .mark_text(align="left", dx=4, color="#333333")
        .encode(x="etp:Q", y=axe_y, text="total_texte:N")
    )
    return alt.layer(empilees, etiquettes).properties(height=alt.Step(34))


def _infobulles() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("libelle:N", title="Point"),
        alt.Tooltip("moyen_texte:N", title="Moyen"),
        alt.Tooltip("resultat_texte:N", title="Résultat"),
        alt.Tooltip("ratio:N", title="Ratio"),
    ]


def build_ratio_annuel(
    points: pd.DataFrame, *, titre_y: str, normes: list[tuple[float, str]] | None = None
) -> alt.LayerChart | alt.FacetChart:
    """Un ratio (placements par conseiller) année par année, l'année choisie en avant, avec
    chaque norme « par ETP » en trait horizontal de référence.

    `points` : colonnes de `moyens.points_ratio_annuel` (`libelle` = l'année). Chaque point
    porte en infobulle ses deux termes (moyen, résultat) en plus du ratio.
    """
    normes = normes or []
    y_max = max([float(points["valeur"].max()) if not points.empty else 1.0]
                + [v for v, _ in normes]) * 1.2  # fmt: skip
    axe_x = alt.X("libelle:O", title="Année", axis=alt.Axis(labelAngle=0))
    axe_y = alt.Y("valeur:Q", title=titre_y, scale=alt.Scale(domain=[0, y_max]),
                  axis=alt.Axis(labelExpr=EXPR_ENTIER))  # fmt: skip
    base = alt.Chart(points)
    couches: list[alt.Chart] = [
        base.mark_line(color=COULEUR_POINT, opacity=0.4).encode(x=axe_x, y=axe_y),
        base.mark_circle(color=COULEUR_POINT).encode(
            x=axe_x, y=axe_y, tooltip=_infobulles(),
            size=alt.condition("datum.choisie", alt.value(220), alt.value(80)),
            opacity=alt.condition("datum.choisie", alt.value(1.0), alt.value(0.55)),
        ),
        base.mark_text(dy=-14, color="#333333").encode(x=axe_x, y=axe_y, text="ratio:N"),
    ]  # fmt: skip
    for valeur, libelle in normes:
        regle = pd.DataFrame({"valeur": [valeur], "libelle": [libelle]})
        couches += [
            alt.Chart(regle).mark_rule(color=COULEUR_NORME, strokeDash=[6, 4]).encode(
                y=axe_y, tooltip=[alt.Tooltip("libelle:N", title="Référence")]),
            alt.Chart(regle).mark_text(align="left", x=4, dy=10, color=COULEUR_NORME).encode(
                y=axe_y, text="libelle:N"),
        ]  # fmt: skip
    return alt.layer(*couches).properties(height=300)


def build_nuage(
    points: pd.DataFrame,
    *,
    titre_x: str,
    titre_y: str,
    normes: list[tuple[float, str]] | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Nuage résultat contre moyen (un point par indicateur ou par territoire renseigné), avec
    chaque norme « résultat par ETP » en droite de référence par l'origine (pente = norme).

    `points` : colonnes de `moyens.COLONNES_POINTS`. `normes` : (valeur par ETP, libellé),
    seulement là où elles s'appliquent.
    """
    x_max = float(points["moyen"].max()) * 1.25 if not points.empty else 1.0
    normes = normes or []
    y_max = max([float(points["resultat"].max()) if not points.empty else 1.0]
                + [pente * x_max for pente, _ in normes]) * 1.1  # fmt: skip
    axe_x = alt.X("moyen:Q", title=titre_x, scale=alt.Scale(domain=[0, x_max]),
                  axis=alt.Axis(labelExpr=EXPR_DECIMAL))  # fmt: skip
    axe_y = alt.Y("resultat:Q", title=titre_y, scale=alt.Scale(domain=[0, y_max]),
                  axis=alt.Axis(labelExpr=EXPR_ENTIER))  # fmt: skip
    couches: list[alt.Chart] = [
        alt.Chart(points)
        .mark_circle(color=COULEUR_POINT, size=120)
        .encode(x=axe_x, y=axe_y, tooltip=_infobulles()),
        alt.Chart(points)
        .mark_text(align="left", dx=9, dy=-6, color="#333333")
        .encode(x=axe_x, y=axe_y, text="libelle:N"),
    ]
    for pente, libelle in normes:
        couches += _droite_norme(pente, libelle, x_max, axe_x, axe_y)
    return alt.layer(*couches).properties(height=320)


def _droite_norme(
    pente: float, libelle: str, x_max: float, axe_x: alt.X, axe_y: alt.Y
) -> list[alt.Chart]:
    """La norme en tirets de (0, 0) à (x_max, pente × x_max), étiquetée à son extrémité."""
    droite = pd.DataFrame(
        {"moyen": [0.0, x_max], "resultat": [0.0, pente * x_max], "libelle": [libelle] * 2}
    )
    return [
        alt.Chart(droite)
        .mark_line(color=COULEUR_NORME, strokeDash=[6, 4])
        .encode(x=axe_x, y=axe_y, tooltip=[alt.Tooltip("libelle:N", title="Référence")]),
        alt.Chart(droite.tail(1))
        .mark_text(align="right", dx=-4, dy=-8, color=COULEUR_NORME)
        .encode(x=axe_x, y=axe_y, text="libelle:N"),
    ]


# Une couleur et une forme par territoire d'action (palette d'Okabe et Ito, sûre pour les
# daltoniens, comme `dashboard.apparence`) : la forme dit la série sans la couleur.
COULEURS_TERRITOIRES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
FORMES_TERRITOIRES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")


def build_etp_resultats_territoires(
    points: pd.DataFrame, *, titre_y: str = "Retours à l'emploi dans l'année"
) -> alt.LayerChart | alt.FacetChart:
    """ETP contre retours à l'emploi, un trajet par territoire d'action (un point par année,
    l'année choisie en grand), avec légende des territoires.

    `points` : colonnes de `moyens_resultats.COLONNES_TERRITOIRES` ; seuls les points dont le
    résultat est connu sont placés (les autres restent dans le tableau, « non renseigné »).
    Chaque point porte en infobulle ses deux termes, leurs sources et le ratio descriptif.
    """
    places = points[points["resultat"].notna()].assign(annee_texte=lambda c: c["annee"].astype(str))
    noms = list(dict.fromkeys(places["nom"]))
    n = max(len(noms), 1)
    couleur = alt.Color("nom:N", title="Territoire d'action", sort=noms,
                        scale=alt.Scale(domain=noms, range=list(COULEURS_TERRITOIRES[:n])),
                        legend=alt.Legend(orient="bottom"))  # fmt: skip
    forme = alt.Shape("nom:N", title="Territoire d'action", sort=noms,
                      scale=alt.Scale(domain=noms, range=list(FORMES_TERRITOIRES[:n])))  # fmt: skip
    x_max = float(places["etp"].max()) * 1.15 if not places.empty else 1.0
    y_max = float(places["resultat"].max()) * 1.15 if not places.empty else 1.0
    axe_x = alt.X(
        "etp:Q",
        title="ETP rattachés à l'accès à l'emploi (OO2)",
        scale=alt.Scale(domain=[0, x_max]),
        axis=alt.Axis(labelExpr=EXPR_DECIMAL),
    )
    axe_y = alt.Y("resultat:Q", title=titre_y, scale=alt.Scale(domain=[0, y_max]),
                  axis=alt.Axis(labelExpr=EXPR_ENTIER))  # fmt: skip
    infobulles = [
        alt.Tooltip("nom:N", title="Territoire d'action"),
        alt.Tooltip("annee_texte:N", title="Année"),
        alt.Tooltip("etp_texte:N", title="ETP"),
        alt.Tooltip("source_etp:N", title="Source des ETP"),
        alt.Tooltip("resultat_texte:N", title="Retours à l'emploi"),
        alt.Tooltip("source_resultat:N", title="Source du résultat"),
        alt.Tooltip("ratio_texte:N", title="Ratio (descriptif)"),
    ]
    base = alt.Chart(places)
    return alt.layer(
        base.mark_line(opacity=0.35).encode(x=axe_x, y=axe_y, color=couleur, order="annee:Q"),
        base.mark_point(filled=True).encode(
            x=axe_x, y=axe_y, color=couleur, shape=forme, tooltip=infobulles,
            size=alt.condition("datum.choisie", alt.value(260), alt.value(70)),
            opacity=alt.condition("datum.choisie", alt.value(1.0), alt.value(0.6)),
        ),
        base.mark_text(align="left", dx=9, dy=-7, color="#333333").encode(
            x=axe_x, y=axe_y, text="annee_texte:N"),
    ).properties(height=360)  # fmt: skip
