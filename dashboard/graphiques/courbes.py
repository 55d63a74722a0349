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

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from dashboard import apparence, formats
from dashboard.formats import texte_ou_vide
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import resumes
from dashboard.graphiques import trace as trace_module
from dashboard.modeles.synthese import libelle_statut
from data_access import periodes

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
COULEUR_SERIE = trace_module.COULEUR_REALISE
COULEUR_CIBLE = "#444444"


PLEIN: list[float] = [1, 0]
LARGEUR_SOUS_TITRE = 90  # caractères par ligne du sous-titre : Vega ne coupe pas les titres


def _axe_y(titre: str, unite: str, graduations: list[float]) -> alt.Axis:
    expression = EXPR_DECIMAL if unite == "%" else EXPR_ENTIER
    return alt.Axis(title=titre, labelExpr=expression, values=graduations)


def _axe_x() -> alt.Axis:
    return alt.Axis(title="Fin de période", labelExpr=EXPR_MOIS, labelAngle=0)


def _fin_de_mois(mois: str) -> pd.Timestamp:
    return trace_module.fin_de_mois(mois)


def _debut_de_mois(mois: periodes.Mois) -> pd.Timestamp:
    return pd.Timestamp(year=mois.annee, month=mois.mois, day=1)


@dataclass(frozen=True)
class _Echelles:
    """Ce que chaque couche reprend à l'identique : axes, échelle des ordonnées (la règle de
    `echelle`, la même que le PDF) et couleur des séries (une seule légende)."""

    x: alt.Axis
    y: alt.Axis
    domaine_y: alt.Scale
    couleur: alt.Color
    tirets: alt.StrokeDash

    def axe_y(self, champ: str) -> alt.Y:
        return alt.Y(champ, axis=self.y, scale=self.domaine_y)


def _echelles(t: trace_module.Trace, unite: str) -> _Echelles:
    styles = t.styles
    couleurs = [couleur for _, couleur, _ in styles]
    tirets = [list(tiret) or PLEIN for _, _, tiret in styles]
    # Sous le tracé ; sur deux colonnes au-delà de trois séries, pour tenir dans une demi-largeur
    # (les courbes du tableau de bord vont par deux) sans déborder à droite.
    legende = alt.Legend(title=None, orient="bottom", symbolType="stroke", symbolStrokeWidth=2,
                         labelLimit=0, columns=2 if len(styles) > 3 else len(styles),
                         ) if len(styles) > 1 else None  # fmt: skip
    bas, haut = t.domaine_y
    return _Echelles(
        x=_axe_x(),
        y=_axe_y(t.titre_y, unite, t.graduations),
        domaine_y=alt.Scale(domain=[bas, haut], nice=False, zero=False),
        couleur=alt.Color("serie:N", scale=alt.Scale(domain=t.series, range=couleurs),
                          legend=legende),
        tirets=alt.StrokeDash("serie:N", scale=alt.Scale(domain=t.series, range=tirets),
                              legend=legende),
    )  # fmt: skip


def _couches_cibles(t: trace_module.Trace, e: _Echelles) -> list[alt.Chart]:
    """Les cibles (trait plein sur leur plage, étiqueté) et leurs trajectoires attendues (tirets,
    une valeur par fin de mois : celles de `trajectoire.valeur_attendue`), chaque sorte en une
    seule couche : une couche de plus coûte plus à construire que cent lignes de données."""
    if not t.cibles:
        return []
    regles = pd.DataFrame([{
        "debut": _debut_de_mois(c.plage.debut), "fin": _fin_de_mois(str(c.plage.fin)),
        "cible": c.valeur, "libelle": c.libelle, "serie": c.libelle, "source": c.source,
    } for c in t.cibles])  # fmt: skip
    couches: list[alt.Chart] = [
        alt.Chart(regles)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("debut:T", axis=e.x),
            x2=alt.X2("fin:T"),
            y=e.axe_y("cible:Q"),
            color=e.couleur,
            strokeDash=e.tirets,
            tooltip=[
                alt.Tooltip("libelle:N", title="Cible"),
                alt.Tooltip("source:N", title="Source"),
            ],
        ),  # fmt: skip
        alt.Chart(regles)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color=COULEUR_CIBLE)
        .encode(x=alt.X("debut:T", axis=e.x), y=e.axe_y("cible:Q"), text=alt.Text("libelle:N")),
    ]
    trajets = [c.attendus.assign(serie=c.nom_trajectoire) for c in t.cibles if not c.attendus.empty]
    if trajets:
        trajet = pd.concat(trajets, ignore_index=True)
        trajet["quand"] = [formats.periode(m) for m in trajet["mois"]]
        trajet["attendu_texte"] = [formats.nombre(round(float(v), 1), 0) for v in trajet["attendu"]]
        couches.append(
            alt.Chart(trajet)
            .mark_line(strokeWidth=1.5)
            .encode(
                x=alt.X("date:T", axis=e.x),
                y=e.axe_y("attendu:Q"),
                color=e.couleur,
                strokeDash=e.tirets,
                tooltip=[alt.Tooltip("serie:N", title="Série"),
                         alt.Tooltip("quand:N", title="Fin de"),
                         alt.Tooltip("attendu_texte:N", title="Valeur attendue")],
            )
        )  # fmt: skip
    return couches


def _couches_statut(t: trace_module.Trace, e: _Echelles) -> list[alt.Chart]:
    """Le statut au dernier point : sa forme, sa couleur (`apparence`) et son mot écrit à côté,
    jamais la couleur seule."""
    if not t.statut or t.points.empty:
        return []
    style = apparence.style(t.statut)
    dernier = t.points.iloc[[-1]][["date", "y", "periode"]].assign(statut=t.statut_libelle)
    infobulle = [alt.Tooltip("periode:N", title="Période"), alt.Tooltip("statut:N", title="Statut")]
    return [
        alt.Chart(dernier)
        .mark_point(shape=style.symbole, size=160, filled=True, color=style.couleur, opacity=1,
                    stroke="#000000", strokeWidth=0.8)
        .encode(x=alt.X("date:T", axis=e.x), y=e.axe_y("y:Q"), tooltip=infobulle),
        # Un halo blanc sous le mot : il reste lisible quand il croise le trait d'une cible.
        alt.Chart(dernier)
        .mark_text(align="right", baseline="bottom", dx=-8, dy=-8, fontWeight="bold",
                   color="#ffffff", stroke="#ffffff", strokeWidth=4, strokeJoin="round")
        .encode(x=alt.X("date:T", axis=e.x), y=e.axe_y("y:Q"), text=alt.Text("statut:N")),
        alt.Chart(dernier)
        .mark_text(align="right", baseline="bottom", dx=-8, dy=-8, fontWeight="bold",
                   color=style.couleur)
        .encode(x=alt.X("date:T", axis=e.x), y=e.axe_y("y:Q"), text=alt.Text("statut:N"),
                tooltip=infobulle),
    ]  # fmt: skip


def build_serie(
    serie: pd.DataFrame,
    cibles: pd.DataFrame | None = None,
    *,
    nature: str,
    unite: str = "",
    titre: str = "",
    annotations: pd.DataFrame | None = None,
    depart: float = 0.0,
    methode: bool = True,
) -> alt.LayerChart | alt.FacetChart:
    """La série d'un indicateur, sa ou ses cibles, la trajectoire attendue, le statut au dernier
    point et les événements numérotés : le dessin Altair d'un `trace.Trace` (voir
    `trace.build_trace` pour les arguments), que le PDF dessine aussi.

    Un flux ou un montant avec cible est tracé en cumul depuis le début de la plage de sa
    cible, face à la trajectoire attendue (de 0, ou de la situation de départ, à la cible) ; un
    stock ou un taux en niveaux, face au trait de chaque cible sur sa plage. Une légende dès
    qu'il y a plus d'une série. Avec `methode`, le sous-titre dit comment la valeur attendue
    est calculée (coupé en lignes) ; sans, la page le dit une fois pour toutes ses courbes.
    """
    t = trace_module.build_trace(serie, cibles, nature=nature, unite=unite,
                                 annotations=annotations, depart=depart)  # fmt: skip
    return dessiner(t, unite=unite, titre=titre, methode=methode)


def dessiner(
    t: trace_module.Trace, *, unite: str = "", titre: str = "", methode: bool = True
) -> alt.LayerChart | alt.FacetChart:
    """Le dessin Altair d'un `trace.Trace` déjà calculé (voir `build_serie`)."""
    e = _echelles(t, unite)
    # Les seules colonnes lues par le dessin : Altair nettoie chaque colonne de chaque couche.
    points = t.points[["date", "y", "periode", "valeur", "cumul", "fin", "segment"]].assign(
        serie=t.nom_serie
    )
    ligne = (
        alt.Chart(points)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("date:T", axis=e.x),
            y=e.axe_y("y:Q"),
            color=e.couleur,
            strokeDash=e.tirets,
            detail=alt.Detail("segment:N"),
            tooltip=[alt.Tooltip("periode:N", title="Période"),
                     alt.Tooltip("valeur:N", title="Valeur de la période"),
                     alt.Tooltip("cumul:N", title="Cumul" if t.plage else "Valeur")],
        )
    )  # fmt: skip
    couches: list[alt.Chart] = [ligne, *_couches_cibles(t, e)]
    couches.extend(_couches_statut(t, e))
    couches.extend(graphiques_annotations.build_couches(t.evenements, axe_x=e.x))
    sous_titre = textwrap.wrap(t.sous_titre, LARGEUR_SOUS_TITRE) if methode else []
    # Le titre passé à la construction : `.properties` recopierait chaque couche en profondeur.
    return alt.layer(
        *couches, title=alt.TitleParams(text=titre, subtitle=sous_titre or "", anchor="start")
    )


def resume_serie(
    serie: pd.DataFrame,
    cibles: pd.DataFrame | None = None,
    *,
    nature: str,
    unite: str = "",
    titre: str = "",
    annotations: pd.DataFrame | None = None,
    depart: float = 0.0,
) -> str:
    """La phrase de ce que `build_serie` trace : la courbe (en cumul pour un flux à cible), les
    cibles tracées, la valeur attendue et le statut au dernier point, les événements numérotés ;
    `titre` : celui du graphique, qui ouvre la phrase."""
    t = trace_module.build_trace(serie, cibles, nature=nature, unite=unite,
                                 annotations=annotations, depart=depart)  # fmt: skip
    return resumer(t, serie, unite=unite, titre=titre)


def resumer(t: trace_module.Trace, serie: pd.DataFrame, *, unite: str = "", titre: str = "") -> str:
    """La phrase d'un `trace.Trace` déjà calculé (voir `resume_serie`) ; `serie` : celle qui
    l'a donné, pour nommer ses périodes."""
    sujet = f"cumul depuis {formats.periode(str(t.plage.debut))}" if t.plage else "série"
    sujet = f"{titre}, {sujet}" if titre else sujet.capitalize()
    codes = dict(zip(serie["fin"].astype(str), serie["periode"].astype(str), strict=True))
    phrase = resumes.serie([codes[f] for f in t.points["fin"]], list(t.points["y"]), unite=unite,
                           sujet=sujet)  # fmt: skip
    textes = [phrase, resumes.cibles(t.tableau_cibles(), unite), _phrase_attendu(t, unite)]
    if not t.evenements.empty:
        n = len(t.evenements)
        textes.append(f"{n} événement{'s' if n > 1 else ''} numéroté{'s' if n > 1 else ''} "
                      "sur la courbe, listé" + ("s" if n > 1 else "") + " à côté.")  # fmt: skip
    return " ".join(x for x in textes if x)


def _phrase_attendu(t: trace_module.Trace, unite: str) -> str:
    """« Trajectoire attendue au dernier point : 9 167 ; statut : ▲ en avance. »"""
    if t.points.empty:
        return ""
    dernier = str(t.points["mois"].iloc[-1])
    morceaux = []
    for cible in t.cibles:
        a_date = cible.attendus.loc[cible.attendus["mois"] == dernier, "attendu"]
        if not a_date.empty:
            morceaux.append(formats.valeur(float(a_date.iloc[0]), unite))
    parties = (
        [f"trajectoire attendue au dernier point : {' et '.join(morceaux)}"] if morceaux else []
    )
    if t.statut_libelle:
        parties.append(f"statut : {t.statut_libelle}")
    texte = " ; ".join(parties)
    return (texte[0].upper() + texte[1:] + ".") if texte else ""


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
