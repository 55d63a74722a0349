"""Rendu Streamlit de la page « Moyens et résultats » : année, ETP, effectifs, budgets, normes.

La page appelle ces fonctions dans l'ordre ; le calcul est dans
`dashboard.modeles.moyens_resultats`, les graphiques dans `dashboard.graphiques.moyens`, les
lectures dans `dashboard.donnees.moyens`. Chaque graphique a son tableau et son export CSV ; chaque
ratio montre ses deux termes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import apparence, formats, sources, view_state
from dashboard.donnees import lectures as donnees
from dashboard.donnees import moyens as donnees_moyens
from dashboard.exports import en_csv, tables
from dashboard.graphiques import moyens as graphiques_moyens
from dashboard.graphiques import resumes
from dashboard.modeles import moyens_resultats as calc
from dashboard.modeles.moyens_resultats import Ratio
from dashboard.vues import graphiques as vue_graphiques

CLE_ANNEE = "moyens_annee"  # état du sélecteur d'année ; la valeur vit dans l'URL (`annee=`)
TYPES_EFFECTIFS = ("effectif", "etp")


@dataclass(frozen=True)
class Donnees:
    """Tout ce que la page montre pour une année, un territoire et un périmètre."""

    annee: int
    territoire: str
    libelle_territoire: str
    ressources: pd.DataFrame
    etp: pd.DataFrame
    resultats: pd.DataFrame  # toutes les années, indicateurs des rapprochements
    normes: pd.DataFrame
    perimetre: str | None


def _annee_changee() -> None:
    view_state.set_extra("annee", st.session_state[CLE_ANNEE])


def render_choix_annee() -> int | None:
    """Sélecteur d'année, gardé dans l'URL (`annee=`) ; par défaut la plus récente.

    L'année est toujours écrite dans l'URL, comme la période : « la plus récente » change avec
    les imports, un lien doit rouvrir la même vue. L'URL fait foi : l'état du sélecteur est
    reposé depuis elle à chaque exécution, un changement passe par le rappel `on_change`.
    """
    annees = [str(a) for a in donnees_moyens.annees()]
    if not annees:
        st.info(
            "Aucun moyen ni aucune valeur en base : rien à rapprocher.", icon=apparence.ICONE_INFO
        )
        return None
    dans_url = view_state.extra("annee", annees)
    annee = dans_url or annees[-1]
    if dans_url is None:
        view_state.set_extra("annee", annee)
    st.session_state[CLE_ANNEE] = annee
    colonne, _ = st.columns([1, 3])
    colonne.selectbox("Année", list(reversed(annees)), key=CLE_ANNEE, on_change=_annee_changee)
    return int(annee)


def build(annee: int, territoire: str, perimetre: str | None) -> Donnees:
    """Lit les moyens de l'année et les résultats des rapprochements, sur le territoire de
    chaque moyen (un moyen départemental se rapproche du résultat départemental)."""
    ressources = sources.colonne_lisible(donnees_moyens.ressources(annee, territoire, perimetre))
    annees = tuple(donnees_moyens.annees())
    lus = [
        donnees_moyens.resultats_annuels(indicateurs, lieu, annees, perimetre).assign(
            territoire=lieu
        )
        for lieu, indicateurs in calc.lieux_des_resultats(ressources).items()
    ]
    resultats = pd.concat(lus, ignore_index=True) if lus else pd.DataFrame(
        columns=["indicateur", "annee", "territoire"])  # fmt: skip
    libelles = donnees.choix_vue(perimetre).territoires
    return Donnees(
        annee, territoire, libelles.get(territoire, territoire), ressources,
        calc.lignes_etp_convention(ressources), sources.colonne_lisible(resultats),
        sources.colonne_lisible(donnees_moyens.normes(territoire, perimetre)), perimetre,
    )  # fmt: skip


def render_intro(d: Donnees) -> None:
    st.caption(f"{d.libelle_territoire} · année {d.annee}. {calc.RAPPEL_COLLECTIF}")
    if (d.ressources["portee"] == calc.PORTEE_ENGLOBANT).any():
        st.caption(
            "Les moyens marqués « non réparti » sont écrits pour un territoire plus large (le "
            "département) : ils ne sont pas divisés entre territoires, et se rapprochent des "
            "résultats de ce territoire plus large."
        )


def _telecharger(tableau: pd.DataFrame, nom: str, cle: str) -> None:
    """Le tableau en CSV ; des données de démonstration le disent en première ligne."""
    mention = tables.MENTION_DEMO if donnees.demonstration() else ""
    st.download_button(
        "Télécharger le tableau (CSV)", en_csv.to_csv_bytes(tableau, mention=mention),
        file_name=nom, mime=en_csv.TYPE_MIME, key=cle,
    )  # fmt: skip


def render_etp(d: Donnees) -> None:
    """ETP par stratégie et partenaire : totaux, deux lectures, graphique, tableaux, CSV."""
    st.subheader("ETP par stratégie et partenaire")
    strategies = d.etp[~d.etp["a_part"]] if not d.etp.empty else d.etp
    if strategies.empty:
        st.info(
            f"Aucun ETP par stratégie pour {d.annee} sur ce territoire. Les ETP par stratégie "
            "viennent de la convention Maison de l'emploi – Département de 2020, qui porte sur "
            "l'Eurométropole de Strasbourg.",
            icon=apparence.ICONE_INFO,
        )
        if not d.etp.empty:
            st.dataframe(calc.tableau_etp(d.etp), hide_index=True, width="stretch")
        return
    _render_totaux(d.etp)
    vue_graphiques.render(graphiques_moyens.build_etp_strategies(d.etp), resumes.etp(d.etp))
    st.markdown("**Totaux par stratégie**")
    st.dataframe(calc.tableau_totaux_strategies(calc.totaux_par_strategie(d.etp)),
                 hide_index=True, width="stretch")  # fmt: skip
    st.markdown("**ETP tels qu'écrits dans la convention**")
    st.dataframe(calc.tableau_etp(d.etp), hide_index=True, width="stretch")
    _telecharger(calc.tableau_etp(d.etp, export=True), f"moyens_etp_{d.annee}.csv", "csv_etp")


def _render_totaux(etp: pd.DataFrame) -> None:
    totaux = calc.totaux_par_partenaire(etp)
    lectures = calc.lectures_totaux(etp)
    colonnes = st.columns(len(totaux) + len(lectures))
    for colonne, ligne in zip(colonnes, totaux.itertuples(), strict=False):
        colonne.metric(f"ETP {ligne.partenaire}", formats.etp(ligne.etp))
    for colonne, lecture in zip(colonnes[len(totaux) :], lectures, strict=True):
        colonne.metric(f"ETP {lecture.partenaire}, autre lecture", formats.etp(lecture.avec),
                       help="Avec les ETP écrits pour un axe entier")  # fmt: skip
    for lecture in lectures:
        st.info(lecture.explication, icon=apparence.ICONE_MOYENS)


def render_convention(d: Donnees) -> None:
    """Indicateurs de la convention, axe par axe, à côté des ETP de l'axe."""
    strategies = d.etp[~d.etp["a_part"]] if not d.etp.empty else d.etp
    if strategies.empty:
        return
    st.subheader("Résultats de la convention, axe par axe")
    axes = tuple(dict.fromkeys(str(a) for a in d.etp["axe_de_la_ligne"]))
    lieu = str(strategies["territoire"].iloc[0])
    indicateurs = sources.colonne_lisible(donnees_moyens.indicateurs_objectifs(axes, lieu, d.annee))
    resultats = donnees_moyens.resultats_annuels(
        tuple(indicateurs["code"]), lieu, (d.annee,), d.perimetre
    )
    tableau = calc.tableau_convention(d.etp, indicateurs, resultats, d.annee)
    st.dataframe(tableau, hide_index=True, width="stretch")
    points = calc.points_convention(d.etp, indicateurs, resultats, d.annee)
    if not points.empty:  # les valeurs : le tableau de la convention, juste au-dessus
        vue_graphiques.render(graphiques_moyens.build_nuage(
            points, titre_x="ETP de l'axe (MDE et Département)", titre_y="Résultat de l'année",
        ), resumes.points(points, sujet="Résultat de l'année face aux ETP de l'axe"))  # fmt: skip
    _telecharger(tableau, f"moyens_convention_{d.annee}.csv", "csv_convention")
    st.caption(
        "La convention fixe ses indicateurs par axe, sans les rattacher à une stratégie : le "
        "résultat par ETP se lit sur les ETP de l'axe. « non renseigné » : aucune valeur importée "
        "pour cette année (ni 0, ni ∞)."
    )


def _render_ratios(ratios: list[Ratio], nom: str, derniere: int | None) -> None:
    """Chaque ratio en une phrase (ses deux termes et leurs périodes), puis le tableau complet."""
    for r in ratios:
        m, x = r.moyen, r.resultat
        st.markdown(
            f"- **{r.libelle}** : {calc.texte_ratio(r)} — résultat : "
            f"{calc.texte_valeur(x.valeur, x.unite)} ({x.periode}) ; moyen : "
            f"{calc.texte_valeur(m.valeur, m.unite)} ({m.periode})"
        )
    if ratios and all(r.valeur is None for r in ratios) and derniere is not None:
        st.caption(f"Aucun ratio calculable pour cette année ; dernière année avec des "
                   f"résultats : {derniere}.")  # fmt: skip
    st.dataframe(calc.tableau_ratios(ratios), hide_index=True, width="stretch")
    _telecharger(calc.tableau_ratios(ratios, export=True), nom, f"csv_{nom}")


def render_effectifs(d: Donnees) -> None:
    """Effectifs (et ETP hors convention) face aux résultats, avec le nuage et la norme."""
    st.subheader("Effectifs face aux résultats")
    autres = d.ressources[d.ressources["type"].isin(TYPES_EFFECTIFS)
                          & ~d.ressources["code"].isin(d.etp["code"])]  # fmt: skip
    if autres.empty:
        st.info("Aucun effectif écrit pour ce territoire.", icon=apparence.ICONE_INFO)
        return
    st.dataframe(calc.tableau_moyens(autres), hide_index=True, width="stretch")
    ratios = calc.build_ratios(d.ressources, d.resultats, d.annee)
    derniere = calc.derniere_annee_renseignee(d.resultats)
    _render_ratios([r for _, t, r in ratios if t in TYPES_EFFECTIFS],
                   f"moyens_effectifs_{d.annee}.csv", derniere)  # fmt: skip
    for rapprochement in (r for r, t, _ in ratios if r.norme and t in TYPES_EFFECTIFS):
        _render_nuage(d, rapprochement)


def _render_nuage(d: Donnees, rapprochement: calc.Rapprochement) -> None:
    """Le ratio année par année, la norme de la fiche 5.2.14 en trait de référence."""
    points = calc.points_ratio_annuel(d.ressources, d.resultats, rapprochement, d.annee)
    if points.empty:
        return
    normes = d.normes[d.normes["code"] == rapprochement.norme]
    references = [
        (float(v), f"Repère : {formats.nombre(v)} {u} (fiche 5.2.14)")
        for v, u in zip(normes["valeur"], normes["unite"], strict=True)
    ]
    st.markdown(f"**{rapprochement.libelle}, année par année**")
    graphique = graphiques_moyens.build_ratio_annuel(
        points, titre_y=rapprochement.unite.capitalize(), normes=references
    )
    resume = resumes.points(points, sujet=f"{rapprochement.libelle}, année par année",
                            references=[libelle for _, libelle in references])  # fmt: skip
    vue_graphiques.render(graphique, resume, valeurs=calc.tableau_points(points),
                          titre_valeurs="Valeurs année par année")  # fmt: skip
    st.caption(rapprochement.portee_norme)


def render_budgets(d: Donnees) -> None:
    """Enveloppes, part du FSE, coût par participant quand les deux termes existent."""
    st.subheader("Budgets face aux résultats")
    budgets = d.ressources[d.ressources["type"] == "budget"]
    if budgets.empty:
        st.info("Aucun budget écrit pour cette année sur ce territoire.", icon=apparence.ICONE_INFO)
        return
    for part in calc.build_parts(budgets):
        st.metric(part.libelle, part.texte)
        st.caption(part.explication)
    st.dataframe(calc.tableau_moyens(budgets), hide_index=True, width="stretch")
    _telecharger(calc.tableau_moyens(budgets), f"moyens_budgets_{d.annee}.csv", "csv_budgets")
    st.caption(
        "Chaque enveloppe garde son périmètre tel qu'écrit : des enveloppes de périmètres "
        "différents (accès à l'emploi, politique d'insertion) ne s'additionnent pas."
    )
    ratios = calc.build_ratios(d.ressources, d.resultats, d.annee)
    budget = [r for _, t, r in ratios if t == "budget"]
    if budget:
        st.markdown("**Coût par participant**")
        _render_ratios(budget, f"moyens_couts_{d.annee}.csv",
                       calc.derniere_annee_renseignee(d.resultats))  # fmt: skip


def render_normes(d: Donnees) -> None:
    """Les normes de la fiche 5.2.14 comme valeurs de référence, avec leur texte."""
    st.subheader("Normes par ETP (fiche 5.2.14)")
    if d.normes.empty:
        st.info("Aucune norme écrite pour ce territoire.", icon=apparence.ICONE_INFO)
        return
    tableau = calc.tableau_normes(d.normes)
    st.dataframe(tableau, hide_index=True, width="stretch")
    st.caption(
        "Valeurs de référence, pas des cibles : la file active (allocataires suivis par mois) n'a "
        "aucune donnée importée, et la norme de placements n'a pas de période écrite (INC-26)."
    )
