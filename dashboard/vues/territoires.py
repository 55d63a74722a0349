"""Rendu Streamlit de la page « Territoires » : le tableau du §4 en barres de progression, le
classement des territoires d'action et la contribution des cantons.

Le calcul est dans `dashboard.modeles.territoires` et `dashboard.graphiques.courbes` ; ce module lit
(en cache), choisit ce qu'on regarde (rubrique, période, gardées dans l'URL) et pose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import apparence, view_state
from dashboard.carte.config import read_config_carte
from dashboard.donnees import memo
from dashboard.donnees import plan as donnees_plan
from dashboard.graphiques import courbes, resumes
from dashboard.modeles import territoires as tt
from dashboard.vues import graphiques as vue_graphiques
from data_access import trajectoire
from data_access.cadres import nombre

LIBELLES_PERIODES = {"2017": "2017", "2018": "2018", "2019": "2019", "2017-2019": "Plan 2017-2019"}
LARGEURS = [1.3, 1, 1, 1, 1]  # libellé du territoire, puis une colonne par période du §4


@memo.memoise
def build_tableau(mois: str, perimetre: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Les progressions du §4 (lecture en cache) et le tableau du §4 avec ses barres."""
    progressions = donnees_plan.progressions_section4(mois, perimetre)
    libelles = {code: lib for code, (lib, _) in donnees_plan.territoires_libelles().items()}
    tableau = tt.build_barres(tt.build_tableau(progressions, libelles=libelles))
    return progressions, tableau


@dataclass(frozen=True)
class Case:
    """Une case du §4 : part de la cible atteinte (None sans réalisé) et son texte."""

    progression: float | None
    texte: str


@dataclass(frozen=True)
class LigneSection4:
    territoire: str
    libelle: str
    cases: dict[str, Case]  # par période du §4


@dataclass(frozen=True)
class FicheRubrique:
    echelle: str
    nature: str
    unite: str


@dataclass(frozen=True)
class Section4:
    """Ce que la page pose du §4, en objets Python simples, calculé une fois par vue.

    Parcourir le tableau en pandas ligne à ligne à chaque relance (un filtre et un `to_dict`
    par territoire et rubrique) coûtait plus de la moitié du temps de la page sous charge
    (bench/NOTES_CHARGE.md) ; ces objets se relisent du cache pour presque rien.
    """

    grilles: tuple[tuple[str, str, tuple[LigneSection4, ...]], ...]  # indicateur, rubrique
    large: pd.DataFrame  # le même tableau en texte (expander)
    territoires: tuple[str, ...]  # dans l'ordre du tableau
    fiches: dict[str, FicheRubrique]


@memo.memoise
def section4(mois: str, perimetre: str | None) -> Section4:
    """Le §4 de la page (grilles, tableau en texte, territoires, fiches des rubriques)."""
    progressions, tableau = build_tableau(mois, perimetre)
    grilles = []
    for indicateur, rubrique in tt.RUBRIQUES.items():
        lignes: dict[str, LigneSection4] = {}
        propres = tableau[tableau["indicateur"] == indicateur]
        for r in propres.to_dict("records"):
            code = str(r["territoire"])
            ligne = lignes.setdefault(code, LigneSection4(code, str(r["libelle_territoire"]), {}))
            ligne.cases[str(r["periode"])] = Case(nombre(r["progression"]), str(r["texte"]))
        if lignes:
            grilles.append((indicateur, rubrique, tuple(lignes.values())))
    fiches = {
        str(r["indicateur"]): FicheRubrique(
            str(r["echelle"]), str(r["nature"]), str(r["unite"] or "")
        )
        for r in progressions.drop_duplicates("indicateur").to_dict("records")
    }
    return Section4(
        grilles=tuple(grilles),
        large=tt.build_tableau_large(tableau),
        territoires=tuple(str(t) for t in dict.fromkeys(tableau["territoire"])),
        fiches=fiches,
    )


def render_section4(s4: Section4) -> None:
    """Une grille par rubrique du §4 : un territoire par ligne, une période par colonne, chaque
    case une barre « réalisé / cible » avec la valeur attendue si elle diffère, et le statut."""
    for indicateur, rubrique, lignes in s4.grilles:
        st.markdown(f"#### {rubrique} ({indicateur})")
        _entete()
        for ligne in lignes:
            with st.container(key=cle_ligne(indicateur, ligne.territoire)):
                _render_cases(ligne, indicateur)
    st.caption(
        "Case : réalisé / cible et statut. Une année échue est jugée à sa fin ; l'année en cours "
        "l'est contre la valeur attendue à la date, écrite quand elle diffère de la cible. "
        + trajectoire.phrase_modele("flux")
    )
    with st.expander("Le tableau du §4 en texte (réalisé / cible · statut)"):
        st.dataframe(s4.large, hide_index=True, width="stretch")


def _entete() -> None:
    colonnes = st.columns(LARGEURS)
    colonnes[0].markdown("**Territoire**")
    for colonne, libelle in zip(colonnes[1:], LIBELLES_PERIODES.values(), strict=True):
        colonne.markdown(f"**{libelle}**")


def cle_ligne(indicateur: str, territoire: str) -> str:
    """Clé d'une ligne du §4 (`st-key-s4_OO2-S-1_NORD`), sans point pour rester un nom de
    classe CSS valable."""
    return f"s4_{indicateur.replace('.', '-')}_{territoire}"


def _render_cases(ligne: LigneSection4, indicateur: str) -> None:
    colonnes = st.columns(LARGEURS, vertical_alignment="center")
    colonnes[0].markdown(ligne.libelle)
    for colonne, periode in zip(colonnes[1:], LIBELLES_PERIODES, strict=True):
        case = ligne.cases.get(periode)
        with colonne:
            if case is None:
                st.caption(f"pas de cible {indicateur} écrite pour cette période")
            elif case.progression is None:
                st.markdown(case.texte)
            else:
                st.progress(case.progression, text=case.texte)


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
    resume = courbes.resume_barres_territoires(tableau, **choix)
    spec = vue_graphiques.specification(
        courbes.build_barres_territoires, tableau, resume=resume, **choix
    )
    table = tt.build_classement(tableau, indicateur=indicateur, periode=periode)
    return vue_graphiques.Figure(table, resume, spec)


def render_classement(mois: str, perimetre: str | None, indicateur: str, periode: str) -> None:
    """Les territoires classés du plus en avance au plus en retard sur l'attendu."""
    vue = classement(mois, perimetre, indicateur, periode)
    if len(vue.table) < 2:
        st.info(
            "Votre périmètre ne compte qu'un territoire d'action : pas de classement.",
            icon=apparence.ICONE_INFO,
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


def territoires_cantons(territoire: str, s4: Section4) -> list[str]:
    """Territoires d'action dont on montre les cantons, parmi ceux du périmètre (ceux du §4
    lus pour cet utilisateur) : les quatre pour le département, sinon le territoire choisi
    ou celui du canton choisi."""
    parents = {code: parent for code, (_, parent) in donnees_plan.territoires_libelles().items()}
    return tt.territoires_contributions(territoire, parents, s4.territoires)


def render_contributions(
    s4: Section4,
    territoires: Sequence[str],
    indicateur: str,
    periode: str,
    mois: str,
    perimetre: str | None,
) -> None:
    """Les cantons de chaque territoire choisi, sous secret statistique, sans cible de canton."""
    fiche = s4.fiches[indicateur]
    if fiche.echelle != "canton":
        st.info(
            f"{tt.RUBRIQUES[indicateur]} : suivi par territoire d'action, pas par canton ; "
            "aucune contribution de canton à montrer.",
            icon=apparence.ICONE_INFO,
        )
        return
    seuil = read_config_carte().seuil_secret
    colonnes = st.columns(min(2, len(territoires)) or 1)
    for rang, territoire in enumerate(territoires):
        cantons = contributions_masquees(
            indicateur, territoire, periode, mois, perimetre,
            nature=fiche.nature, unite=fiche.unite, seuil=seuil,
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
        courbes.build_barres_cantons, table, titre=titre, resume=resume
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
