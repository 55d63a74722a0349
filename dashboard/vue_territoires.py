"""Rendu Streamlit de la page « Territoires » : le tableau du §4 en barres de progression, le
classement des territoires d'action et la contribution des cantons.

Le calcul est dans `dashboard.territoires_tableau` et `dashboard.graphiques` ; ce module lit
(en cache), choisit ce qu'on regarde (rubrique, période, gardées dans l'URL) et pose.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import donnees_plan, graphiques, memo, resumes, view_state, vue_graphiques
from dashboard import territoires_tableau as tt
from dashboard.carte_config import read_config_carte
from data_access import trajectoire

LIBELLES_PERIODES = {"2017": "2017", "2018": "2018", "2019": "2019", "2017-2019": "Plan 2017-2019"}
LARGEURS = [1.3, 1, 1, 1, 1]  # libellé du territoire, puis une colonne par période du §4


@memo.memoise
def build_tableau(mois: str, perimetre: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Les progressions du §4 (lecture en cache) et le tableau du §4 avec ses barres."""
    progressions = donnees_plan.progressions_section4(mois, perimetre)
    libelles = {code: lib for code, (lib, _) in donnees_plan.territoires_libelles().items()}
    tableau = tt.build_barres(tt.build_tableau(progressions, libelles=libelles))
    return progressions, tableau


def render_section4(tableau: pd.DataFrame) -> None:
    """Une grille par rubrique du §4 : un territoire par ligne, une période par colonne, chaque
    case une barre « réalisé / cible » avec la valeur attendue si elle diffère, et le statut."""
    for indicateur, rubrique in tt.RUBRIQUES.items():
        lignes = tableau[tableau["indicateur"] == indicateur]
        if lignes.empty:
            continue
        st.markdown(f"#### {rubrique} ({indicateur})")
        _entete()
        for territoire in dict.fromkeys(lignes["territoire"]):
            _render_ligne(lignes[lignes["territoire"] == territoire], indicateur)
    st.caption(
        "Case : réalisé / cible et statut. Une année échue est jugée à sa fin ; l'année en cours "
        "l'est contre la valeur attendue à la date, écrite quand elle diffère de la cible. "
        + trajectoire.phrase_modele("flux")
    )
    with st.expander("Le tableau du §4 en texte (réalisé / cible · statut)"):
        st.dataframe(tt.build_tableau_large(tableau), hide_index=True, width="stretch")


def _entete() -> None:
    colonnes = st.columns(LARGEURS)
    colonnes[0].markdown("**Territoire**")
    for colonne, libelle in zip(colonnes[1:], LIBELLES_PERIODES.values(), strict=True):
        colonne.markdown(f"**{libelle}**")


def cle_ligne(indicateur: str, territoire: str) -> str:
    """Clé d'une ligne du §4 (`st-key-s4_OO2-S-1_NORD`), sans point pour rester un nom de
    classe CSS valable."""
    return f"s4_{indicateur.replace('.', '-')}_{territoire}"


def _render_ligne(lignes: pd.DataFrame, indicateur: str) -> None:
    territoire = str(lignes["territoire"].iloc[0])
    with st.container(key=cle_ligne(indicateur, territoire)):
        _render_cases(lignes, indicateur)


def _render_cases(lignes: pd.DataFrame, indicateur: str) -> None:
    colonnes = st.columns(LARGEURS, vertical_alignment="center")
    colonnes[0].markdown(str(lignes["libelle_territoire"].iloc[0]))
    cases = {str(ligne["periode"]): ligne for ligne in lignes.to_dict("records")}
    for colonne, periode in zip(colonnes[1:], LIBELLES_PERIODES, strict=True):
        case = cases.get(periode)
        with colonne:
            if case is None:
                st.caption(f"pas de cible {indicateur} écrite pour cette période")
            elif pd.isna(case["progression"]):
                st.markdown(str(case["texte"]))
            else:
                st.progress(float(case["progression"]), text=str(case["texte"]))


def render_choix(mois: str) -> tuple[str, str]:
    """La rubrique et la période du classement et des cantons, gardées dans l'URL."""
    rubriques = list(tt.RUBRIQUES)
    periodes = list(LIBELLES_PERIODES)
    defaut = tt.periode_par_defaut(mois)
    gauche, droite = st.columns([3, 2])
    with gauche:
        rubrique = view_state.selecteur(
            st.selectbox, "Objectif", "rubrique", rubriques, rubriques[0],
            cle="territoires_rubrique", format_func=lambda code: f"{tt.RUBRIQUES[code]} ({code})",
        )  # fmt: skip
    with droite:
        periode = view_state.selecteur(
            st.radio, "Période", "annee", periodes, defaut, cle="territoires_periode",
            format_func=LIBELLES_PERIODES.__getitem__, horizontal=True,
        )  # fmt: skip
    return rubrique, periode


@memo.memoise
def classement(
    mois: str, perimetre: str | None, indicateur: str, periode: str
) -> vue_graphiques.Figure:
    """Calculé une fois par vue, clé en chaînes : hacher le tableau du §4 à chaque relance
    coûtait le cinquième du temps de la page (bench/NOTES_CHARGE.md)."""
    _, tableau = build_tableau(mois, perimetre)
    titre = f"{tt.RUBRIQUES[indicateur]} · {LIBELLES_PERIODES[periode]}"
    choix = {"indicateur": indicateur, "periode": periode, "titre": titre}
    resume = graphiques.resume_barres_territoires(tableau, **choix)
    spec = vue_graphiques.specification(
        graphiques.build_barres_territoires, tableau, resume=resume, **choix
    )
    table = tt.build_classement(tableau, indicateur=indicateur, periode=periode)
    return vue_graphiques.Figure(table, resume, spec)


def render_classement(mois: str, perimetre: str | None, indicateur: str, periode: str) -> None:
    """Les territoires classés du plus en avance au plus en retard sur l'attendu."""
    vue = classement(mois, perimetre, indicateur, periode)
    if len(vue.table) < 2:
        st.info(
            "Votre périmètre ne compte qu'un territoire d'action : pas de classement.", icon="ℹ️"
        )
        return
    vue_graphiques.poser(vue.spec, vue.resume)  # les valeurs : le classement, juste dessous
    st.dataframe(
        vue.table.rename(columns={"rang": "Rang", "libelle_territoire": "Territoire",
                                  "texte": "Réalisé rapporté à l'attendu · statut"})[
            ["Rang", "Territoire", "Réalisé rapporté à l'attendu · statut"]
        ],
        hide_index=True, width="stretch",
    )  # fmt: skip


def territoires_cantons(territoire: str, tableau: pd.DataFrame) -> list[str]:
    """Territoires d'action dont on montre les cantons, parmi ceux du périmètre (ceux du §4
    lus pour cet utilisateur) : les quatre pour le département, sinon le territoire choisi
    ou celui du canton choisi."""
    parents = {code: parent for code, (_, parent) in donnees_plan.territoires_libelles().items()}
    disponibles = [str(t) for t in dict.fromkeys(tableau["territoire"])]
    return tt.territoires_contributions(territoire, parents, disponibles)


def render_contributions(
    progressions: pd.DataFrame,
    territoires: Sequence[str],
    indicateur: str,
    periode: str,
    mois: str,
    perimetre: str | None,
) -> None:
    """Les cantons de chaque territoire choisi, sous secret statistique, sans cible de canton."""
    fiche = progressions[progressions["indicateur"] == indicateur].iloc[0]
    if fiche["echelle"] != "canton":
        st.info(
            f"{tt.RUBRIQUES[indicateur]} : suivi par territoire d'action, pas par canton ; "
            "aucune contribution de canton à montrer.",
            icon="ℹ️",
        )
        return
    seuil = read_config_carte().seuil_secret
    colonnes = st.columns(min(2, len(territoires)) or 1)
    for rang, territoire in enumerate(territoires):
        cantons = contributions_masquees(
            indicateur, territoire, periode, mois, perimetre,
            nature=str(fiche["nature"]), unite=str(fiche["unite"] or ""), seuil=seuil,
        )  # fmt: skip
        with colonnes[rang % len(colonnes)]:
            _render_cantons(cantons, territoire)
    st.caption(
        f"Secret statistique : un effectif inférieur à {seuil} n'est jamais affiché par canton "
        "(« secret »), ni un canton qui permettrait de le retrouver. Le plan ne fixe aucune "
        "cible par canton : seule leur part du réalisé de leur territoire est montrée."
    )


@memo.memoise
def contributions_masquees(
    indicateur: str, territoire: str, periode: str, mois: str, perimetre: str | None, *,
    nature: str, unite: str, seuil: int,
) -> vue_graphiques.Figure:  # fmt: skip
    """Calculés une fois par vue, clé en chaînes : hacher le cadre des cantons à chaque
    relance coûterait presque autant que le calcul."""
    brutes = donnees_plan.contributions(indicateur, territoire, periode, mois, perimetre)
    table = tt.build_contributions(brutes, nature=nature, seuil=seuil, unite=unite)
    libelle = donnees_plan.territoires_libelles()[territoire][0]
    titre = f"{libelle} · {tt.RUBRIQUES[indicateur]} · {LIBELLES_PERIODES[periode]}"
    resume = resumes.cantons(table, sujet=titre)
    spec = vue_graphiques.specification(
        graphiques.build_barres_cantons, table, titre=titre, resume=resume
    )
    return vue_graphiques.Figure(table, resume, spec)


def _render_cantons(cantons: vue_graphiques.Figure, territoire: str) -> None:
    table = cantons.table
    with st.container(border=True, key=f"cantons_{territoire}"):
        vue_graphiques.poser(cantons.spec, cantons.resume)
        st.dataframe(
            pd.DataFrame(
                {
                    "Canton": table["libelle"],
                    "Réalisé": table["valeur_affichee"],
                    "Part du territoire": table["part_affichee"],
                }
            ),
            hide_index=True,
            width="stretch",
        )
