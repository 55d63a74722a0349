"""Rendu Streamlit de la page « Synthèse » : les cartes des objectifs phares.

Pensé pour la projection en réunion : deux cartes par ligne pour les objectifs chiffrés, trois
pour les indicateurs de contexte, des chiffres en grand (`st.metric`), le statut en icône et en
mot. Tout texte vient déjà formaté de `dashboard.modeles.synthese` ; ce module ne fait que poser.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import apparence, formats
from dashboard.donnees import lectures, memo
from dashboard.donnees import plan as donnees_plan
from dashboard.graphiques import courbes as graphiques
from dashboard.graphiques import resumes
from dashboard.modeles import natures_cibles, synthese
from dashboard.modeles.synthese import Carte, CibleCarte
from dashboard.view_state import Vue
from dashboard.vues import graphiques as vue_graphiques

PAGE_OBJECTIFS = "../pages/objectifs.py"
# Cartes à cible : deux par ligne (les chiffres restent lisibles au projecteur) ; cartes de
# contexte, plus courtes : trois par ligne.
PAR_LIGNE_CIBLES = 2
PAR_LIGNE_CONTEXTE = 3
CODES_A_CIBLE = frozenset(spec.code for spec in synthese.CARTES if spec.cible != "aucune")


def cle_carte(code: str) -> str:
    """Clé du conteneur d'une carte (`st-key-carte_OO2-S-1` dans la page) : sans point, qu'un
    sélecteur CSS lirait comme une classe."""
    return f"carte_{code.replace('.', '-')}"


@memo.memoise
def lire_cartes(territoire: str, mois: str, perimetre: str | None) -> list[Carte]:
    """Les cartes de la synthèse d'une vue, calculées une fois (clé en chaînes)."""
    progressions = donnees_plan.progressions(
        territoire, mois, perimetre, synthese.INDICATEURS_CARTES
    )
    return synthese.build_cartes(progressions, mois=mois)


def render_cartes(cartes: list[Carte], vue: Vue, perimetre: str | None) -> None:
    """Les cartes à cible, puis les cartes de contexte, en grille."""
    a_cible = [c for c in cartes if c.code in CODES_A_CIBLE]
    contexte = [c for c in cartes if c.code not in CODES_A_CIBLE]
    courbes = _courbes(contexte, vue, perimetre)
    st.subheader("Objectifs chiffrés du plan")
    _grille(a_cible, PAR_LIGNE_CIBLES, vue, courbes)
    st.subheader("Contexte")
    _grille(contexte, PAR_LIGNE_CONTEXTE, vue, courbes)


def _courbes(cartes: list[Carte], vue: Vue, perimetre: str | None) -> dict[str, pd.DataFrame]:
    """Les douze dernières valeurs de chaque indicateur de contexte (petite courbe)."""
    if not cartes:
        return {}
    codes = tuple(c.code for c in cartes)
    series = donnees_plan.series(codes, vue.territoire, perimetre)
    return {code: synthese.serie_recente(series, code, mois=vue.periode) for code in codes}


def _grille(
    cartes: list[Carte], par_ligne: int, vue: Vue, courbes: dict[str, pd.DataFrame]
) -> None:
    for debut in range(0, len(cartes), par_ligne):
        colonnes = st.columns(par_ligne)
        for colonne, carte in zip(colonnes, cartes[debut : debut + par_ligne], strict=False):
            with colonne:
                render_carte(carte, vue, courbes.get(carte.code))


def render_carte(carte: Carte, vue: Vue, courbe: pd.DataFrame | None = None) -> None:
    """Une carte : réalisé, chaque cible avec sa valeur attendue et son statut, évolution,
    dernière période connue, explications et lien vers la fiche de l'indicateur."""
    with st.container(border=True, key=cle_carte(carte.code)):
        st.subheader(carte.titre, anchor=False)
        st.caption(f"{carte.code} · {carte.libelle}")
        # Carte à cible (deux par ligne) : le réalisé à gauche de son évolution ; carte de
        # contexte (trois par ligne) : l'un sous l'autre, pour que le chiffre ne soit pas tronqué.
        a_cible = carte.code in CODES_A_CIBLE
        gauche, droite = st.columns([1, 2]) if a_cible else (st.container(), st.container())
        libelle = "Réalisé" if a_cible else "Valeur"
        gauche.metric(libelle, carte.reel)
        if carte.precision:
            gauche.caption(carte.precision)
        if courbe is not None and len(courbe) > 1:
            with gauche:
                _render_courbe(carte.code, courbe)
        droite.markdown(
            f"Évolution depuis la période précédente : **{carte.evolution}**  \n"
            f"Dernière période connue : **{carte.donnees_au}**"
        )
        for cible in carte.cibles:
            _render_cible(cible, carte.reel)
        if not carte.cibles and not a_cible:
            st.markdown(_sans_cible(carte))
        if carte.explication:
            st.info(carte.explication, icon=apparence.ICONE_INFO)
        if carte.modele:
            st.caption(carte.modele)
        if carte.source and not carte.cibles:  # une cible cite sa source sous elle
            st.caption(f"Source : {carte.source}")
        st.page_link(
            PAGE_OBJECTIFS,
            label=f"Fiche de l'indicateur {carte.code}",
            icon=apparence.ICONE_FICHE,
            query_params={**_params_vue(vue), "fiche": carte.code},
        )


def _render_courbe(code: str, courbe: pd.DataFrame) -> None:
    """La petite courbe des dernières valeurs, sa phrase et son tableau.

    Dessinée par `graphiques` plutôt que par `st.metric(chart_data=…)` : la courbe de Streamlit
    nomme ses points « x: 6; y: 23546 » pour les lecteurs d'écran et laisse un groupe SVG vide
    sans nom (règle svg-img-alt d'axe-core), sans réglage pour l'éviter.
    """
    figure = figure_courbe(code, courbe)
    vue_graphiques.poser(figure.spec, figure.resume, valeurs=figure.table,
                         titre_valeurs="Valeurs de la courbe")  # fmt: skip


@memo.memoise
def figure_courbe(code: str, courbe: pd.DataFrame) -> vue_graphiques.Figure:
    """La courbe, sa phrase et ses valeurs, calculées une fois pour ces données."""
    unite = str(lectures.fiche_indicateur(code)["unite"] or "")
    resume = resumes.serie(list(courbe["periode"]), list(courbe["valeur"]), unite=unite,
                           sujet="Évolution")  # fmt: skip
    valeurs = pd.DataFrame({
        "Période": [formats.periode(str(p)) for p in courbe["periode"]],
        "Valeur": [formats.valeur(float(v), unite) for v in courbe["valeur"]],
    })  # fmt: skip
    spec = vue_graphiques.specification(
        graphiques.build_courbe_recente, courbe, unite=unite, resume=resume
    )
    return vue_graphiques.Figure(valeurs, resume, spec)


def _render_cible(cible: CibleCarte, reel: str) -> None:
    """Une cible : sa valeur, la valeur attendue à la date, le statut en icône et en mot."""
    valeur, attendu, statut = st.columns([1, 1, 1])
    repere = cible.statut == natures_cibles.REPERE
    valeur.metric(f"{'Repère' if repere else 'Cible'} {cible.periode}", cible.valeur)
    attendu.metric("Attendu à la date", cible.attendu)
    statut.markdown(f"Statut\n#### {cible.icone} {cible.statut}")
    if repere and cible.nature:
        statut.caption(cible.nature)
    legende = [cible.libelle, f"Source : {cible.source}" if cible.source else ""]
    if any(legende):  # chaque cible avec sa source : 10 000 (§3.1) et 11 199 (§4)
        st.caption(" · ".join(t for t in legende if t))
    if cible.motif:
        st.caption(cible.motif)
    if cible.progression is not None:
        st.progress(cible.progression, text=f"Réalisé {reel} sur une cible de {cible.valeur}")


def _params_vue(vue: Vue) -> dict[str, str]:
    """La vue partagée sans les clés propres à une page : le lien ouvre la fiche, rien d'autre."""
    return {"periode": vue.periode, "territoire": vue.territoire, "indicateur": vue.indicateur}


def _sans_cible(carte: Carte) -> str:
    """Une carte sans cible n'a pas de statut de trajectoire ; sans valeur, elle est non
    renseignée (dit avec l'icône et le mot)."""
    if carte.reel == synthese.NON_RENSEIGNE:
        return f"Pas de cible chiffrée · **{synthese.libelle_statut(None)}**"
    return "Pas de cible chiffrée : la valeur et son évolution seulement."
