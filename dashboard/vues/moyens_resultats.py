"""Rendu Streamlit de la page « Moyens et résultats » : que produisent nos moyens ?

La page s'ouvre sur la dernière année qui a à la fois des ETP datés et des retours à l'emploi,
et montre d'abord, par territoire d'action, les ETP face aux retours à l'emploi (les deux termes,
leurs sources, un ratio seulement descriptif : les résultats sont collectifs, fiche 5.2.10 du
PDIE) ; puis, là où la convention MDE 2020 donne des ETP par stratégie, ces ETP face aux
résultats de leurs axes ; puis les autres rapprochements en phrases. Les tableaux des documents
(ETP tels qu'écrits, effectifs, budgets, normes) sont repliés dans un bloc à part. Le calcul est
dans `dashboard.modeles.moyens_resultats`, les graphiques dans `dashboard.graphiques.moyens`,
les lectures (en cache) dans `dashboard.donnees.moyens`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import apparence, formats, sources, view_state
from dashboard.donnees import lectures as donnees
from dashboard.donnees import memo
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
    noms: dict[str, str]  # code → nom de chaque territoire (« 67 » → « Bas-Rhin »)
    territoires: pd.DataFrame  # ETP face aux retours à l'emploi, par territoire d'action et année
    ratios: list[tuple[calc.Rapprochement, str, Ratio]]  # (rapprochement, type du moyen, ratio)


def _annee_changee() -> None:
    view_state.set_extra("annee", st.session_state[CLE_ANNEE])


def render_choix_annee() -> int | None:
    """Sélecteur d'année, gardé dans l'URL (`annee=`) ; par défaut la dernière année qui a à la
    fois des ETP datés et des retours à l'emploi (sinon la plus récente).

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
    rapprochables = [str(a) for a in donnees_moyens.annees_rapprochables(
        calc.TYPES_TERRITOIRES, (calc.INDICATEUR_TERRITOIRES,)) if str(a) in annees]  # fmt: skip
    annee = dans_url or (rapprochables or annees)[-1]
    if dans_url is None:
        view_state.set_extra("annee", annee)
    st.session_state[CLE_ANNEE] = annee
    colonne, _ = st.columns([1, 3])
    colonne.selectbox("Année", list(reversed(annees)), key=CLE_ANNEE, on_change=_annee_changee)
    return int(annee)


@memo.memoise
def build(annee: int, territoire: str, perimetre: str | None) -> Donnees:
    """Tout ce que la page montre, calculé une fois pour ces arguments (lectures en cache) : une
    relance (un clic) rejoue le résultat au lieu de refaire les ratios et les tableaux.

    Lit les moyens de l'année et les résultats des rapprochements, sur le territoire de
    chaque moyen (un moyen départemental se rapproche du résultat départemental)."""
    ressources = sources.colonne_lisible(donnees_moyens.ressources(annee, territoire, perimetre))
    annees = tuple(donnees_moyens.annees())
    lus = [
        donnees_moyens.resultats_annuels(indicateurs, lieu, annees, perimetre).assign(
            territoire=lieu
        )
        for lieu, indicateurs in calc.lieux_des_resultats(ressources).items()
    ]
    resultats = sources.colonne_lisible(pd.concat(lus, ignore_index=True) if lus else pd.DataFrame(
        columns=["indicateur", "annee", "territoire"]))  # fmt: skip
    libelles = donnees.choix_vue(perimetre).territoires
    _, _, noms = donnees_moyens.territoires_action(perimetre)
    return Donnees(
        annee, territoire, libelles.get(territoire, territoire), ressources,
        calc.lignes_etp_convention(ressources), resultats,
        sources.colonne_lisible(donnees_moyens.normes(territoire, perimetre)), perimetre,
        noms, calc.choisir_annee(_points_territoires(annees, perimetre), annee),
        calc.build_ratios(ressources, resultats, annee),
    )  # fmt: skip


@memo.memoise
def _points_territoires(annees: tuple[int, ...], perimetre: str | None) -> pd.DataFrame:
    """ETP et retours à l'emploi de chaque territoire d'action lisible, toutes années, sans année
    choisie : calculés une fois par périmètre, un changement d'année ne les refait pas."""
    actions, rattachement, _ = donnees_moyens.territoires_action(perimetre)
    ressources = sources.colonne_lisible(donnees_moyens.ressources_toutes_annees(perimetre))
    lus = [
        donnees_moyens.resultats_annuels(
            (calc.INDICATEUR_TERRITOIRES,), lieu, annees, perimetre
        ).assign(territoire=lieu)
        for lieu in actions
    ]
    resultats = pd.concat(lus, ignore_index=True) if lus else pd.DataFrame(
        columns=["indicateur", "annee", "territoire"])  # fmt: skip
    return calc.points_territoires(ressources, sources.colonne_lisible(resultats), actions,
                                   rattachement, None)  # fmt: skip


def render_intro(d: Donnees) -> None:
    """Le rappel que les résultats sont collectifs, avant tout chiffre."""
    st.info(
        "Que produisent nos moyens ? Cette page met les ETP en face des résultats, sans les "
        "juger : les résultats des dispositifs d'insertion sont collectifs (fiche 5.2.10 du "
        "PDIE 2017-2019). Un ratio décrit, il ne classe ni des territoires ni des personnes.",
        icon=apparence.ICONE_MOYENS,
    )
    st.caption(f"{d.libelle_territoire} · année {d.annee}.")
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


def render_territoires(d: Donnees) -> None:
    """La première vue : ETP face aux retours à l'emploi, par territoire d'action."""
    st.subheader(f"ETP et retours à l'emploi par territoire d'action, {d.annee}")
    de_l_annee = d.territoires[d.territoires["choisie"]]
    if de_l_annee.empty:
        st.info(
            f"Aucun ETP rattaché à l'accès à l'emploi (objectif OO2) n'est écrit pour {d.annee} "
            "dans un territoire d'action. Ces moyens s'importent par la page Import, onglet "
            "« Moyens (ETP, budgets) », ou par `pilotage import-ressources FICHIER`.",
            icon=apparence.ICONE_INFO,
        )
        return
    figure = figure_territoires(d.annee, d.territoire, d.perimetre)
    vue_graphiques.poser(figure.spec, figure.resume, valeurs=figure.table,
                         titre_valeurs=f"Les deux termes et leurs sources, {d.annee}")  # fmt: skip
    st.caption(calc.LECTURE_TERRITOIRES)
    # Sources écrites par la personne qui a importé le fichier : en texte brut, jamais en Markdown.
    st.caption(vue_graphiques.texte_brut(
        "Sources : ETP, " + " ; ".join(dict.fromkeys(de_l_annee["source_etp"]))
        + " · retours à l'emploi, " + " ; ".join(dict.fromkeys(de_l_annee["source_resultat"]))
        + "."
    ))  # fmt: skip
    _telecharger(calc.tableau_territoires(de_l_annee, export=True),
                 f"moyens_territoires_{d.annee}.csv", "csv_territoires")  # fmt: skip


@memo.memoise
def figure_territoires(annee: int, territoire: str, perimetre: str | None) -> vue_graphiques.Figure:
    """Le graphique ETP contre retours à l'emploi, sa phrase et son tableau, une fois.

    Le graphique (toutes années) se construit une fois par périmètre (`_spec_territoires`) ;
    l'année choisie n'en change que le drapeau `choisie` de chaque point et la phrase."""
    d = build(annee, territoire, perimetre)
    resume = calc.phrase_territoires(d.territoires, annee)
    spec = copy.deepcopy(_spec_territoires(tuple(donnees_moyens.annees()), perimetre))
    for points in spec.get("datasets", {}).values():
        for point in points:
            point["choisie"] = point["annee"] == annee
    spec["description"] = resume
    return vue_graphiques.Figure(
        calc.tableau_territoires(d.territoires[d.territoires["choisie"]]), resume, spec
    )


@memo.memoise
def _spec_territoires(annees: tuple[int, ...], perimetre: str | None) -> dict[str, Any]:
    return vue_graphiques.specification(
        graphiques_moyens.build_etp_resultats_territoires,
        _points_territoires(annees, perimetre),
        resume="",
    )


def render_strategies(d: Donnees) -> None:
    """Là où la convention MDE 2020 donne des ETP par stratégie : totaux, ETP par stratégie,
    résultats de chaque axe face à ses ETP."""
    strategies = d.etp[~d.etp["a_part"]] if not d.etp.empty else d.etp
    if strategies.empty:
        return
    lieu = str(strategies["territoire"].iloc[0])
    st.subheader(f"ETP par stratégie de la convention MDE, {d.noms.get(lieu, lieu)}")
    _render_totaux(d.etp, d.noms)
    barres, nuage = figures_strategies(d.annee, d.territoire, d.perimetre)
    vue_graphiques.poser(barres.spec, barres.resume)
    if nuage is not None:
        vue_graphiques.poser(nuage.spec, nuage.resume, valeurs=nuage.table,
                             titre_valeurs="Résultats de la convention, axe par axe")  # fmt: skip
    else:
        st.caption(
            f"Aucun résultat des indicateurs de la convention n'est importé pour {d.annee} : le "
            "tableau axe par axe est dans « Tableaux des documents »."
        )


@memo.memoise
def figures_strategies(
    annee: int, territoire: str, perimetre: str | None
) -> tuple[vue_graphiques.Figure, vue_graphiques.Figure | None]:
    """ETP par stratégie (barres), puis résultat de chaque axe face à ses ETP (None sans
    résultat) : calculés une fois pour ces arguments."""
    d = build(annee, territoire, perimetre)
    resume = resumes.etp(d.etp)
    barres = vue_graphiques.Figure(pd.DataFrame(), resume, vue_graphiques.specification(
        graphiques_moyens.build_etp_strategies, d.etp, resume=resume))  # fmt: skip
    tableau, points = _convention(d)
    if points.empty:
        return barres, None
    resume = resumes.points(points, sujet="Résultat de l'année face aux ETP de l'axe")
    spec = vue_graphiques.specification(
        graphiques_moyens.build_nuage, points, resume=resume,
        titre_x="ETP de l'axe (MDE et Département)", titre_y="Résultat de l'année",
    )  # fmt: skip
    return barres, vue_graphiques.Figure(tableau, resume, spec)


def _convention(d: Donnees) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Le tableau axe par axe de la convention et ses points (résultat contre ETP de l'axe)."""
    return convention(d.annee, d.territoire, d.perimetre)


@memo.memoise
def convention(
    annee: int, territoire: str, perimetre: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Calculés une fois : le graphique et le tableau des documents s'en servent tous deux."""
    d = build(annee, territoire, perimetre)
    strategies = d.etp[~d.etp["a_part"]]
    axes = tuple(dict.fromkeys(str(a) for a in d.etp["axe_de_la_ligne"]))
    lieu = str(strategies["territoire"].iloc[0])
    indicateurs = sources.colonne_lisible(donnees_moyens.indicateurs_objectifs(axes, lieu, d.annee))
    resultats = donnees_moyens.resultats_annuels(
        tuple(indicateurs["code"]), lieu, (d.annee,), d.perimetre
    )
    return (calc.tableau_convention(d.etp, indicateurs, resultats, d.annee),
            calc.points_convention(d.etp, indicateurs, resultats, d.annee))  # fmt: skip


def _render_totaux(etp: pd.DataFrame, noms: dict[str, str]) -> None:
    totaux = calc.totaux_par_partenaire(etp)
    lectures = calc.lectures_totaux(etp, noms)
    colonnes = st.columns(len(totaux) + len(lectures))
    for colonne, ligne in zip(colonnes, totaux.itertuples(), strict=False):
        colonne.metric(f"ETP {ligne.partenaire}", formats.etp(ligne.etp))
    for colonne, lecture in zip(colonnes[len(totaux) :], lectures, strict=True):
        colonne.metric(f"ETP {lecture.partenaire}, autre lecture", formats.etp(lecture.avec),
                       help="Avec les ETP écrits pour un axe entier")  # fmt: skip
    for lecture in lectures:  # formulations et sources citées telles qu'importées : texte brut
        st.info(vue_graphiques.texte_brut(lecture.explication), icon=apparence.ICONE_MOYENS)


def _phrases_ratios(ratios: list[Ratio], derniere: int | None) -> None:
    """Chaque ratio en une phrase : ses deux termes et leurs périodes."""
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


def render_rapprochements(d: Donnees) -> None:
    """Les autres rapprochements écrits dans les documents (effectifs, budgets) : chaque ratio en
    phrase, et le ratio année par année face à la norme de la fiche 5.2.14."""
    ratios = d.ratios
    if not ratios:
        return
    st.subheader("Autres rapprochements : effectifs et budgets des documents")
    derniere = calc.derniere_annee_renseignee(d.resultats)
    _phrases_ratios([r for _, t, r in ratios if t in TYPES_EFFECTIFS], derniere)
    for part in calc.build_parts(d.ressources[d.ressources["type"] == "budget"]):
        st.markdown(f"- **{part.libelle}** : {part.texte} — {part.explication}")
    _phrases_ratios([r for _, t, r in ratios if t == "budget"], None)
    for rapprochement in (r for r, t, _ in ratios if r.norme and t in TYPES_EFFECTIFS):
        _render_nuage(d, rapprochement)


def _render_nuage(d: Donnees, rapprochement: calc.Rapprochement) -> None:
    """Le ratio année par année, la norme de la fiche 5.2.14 en trait de référence."""
    figure = figure_ratio(d.annee, d.territoire, d.perimetre, rapprochement.ressource)
    if figure is None:
        return
    st.markdown(f"**{rapprochement.libelle}, année par année**")
    vue_graphiques.poser(figure.spec, figure.resume, valeurs=figure.table,
                         titre_valeurs="Valeurs année par année")  # fmt: skip
    st.caption(rapprochement.portee_norme)


@memo.memoise
def figure_ratio(
    annee: int, territoire: str, perimetre: str | None, ressource: str
) -> vue_graphiques.Figure | None:
    """Le ratio d'un rapprochement année par année, avec sa norme : calculé une fois."""
    d = build(annee, territoire, perimetre)
    (rapprochement,) = [r for r in calc.RAPPROCHEMENTS if r.ressource == ressource]
    points = calc.points_ratio_annuel(d.ressources, d.resultats, rapprochement, d.annee)
    if points.empty:
        return None
    normes = d.normes[d.normes["code"] == rapprochement.norme]
    references = [
        (float(v), f"Repère : {formats.nombre(v)} {u} (fiche 5.2.14)")
        for v, u in zip(normes["valeur"], normes["unite"], strict=True)
    ]
    resume = resumes.points(points, sujet=f"{rapprochement.libelle}, année par année",
                            references=[libelle for _, libelle in references])  # fmt: skip
    spec = vue_graphiques.specification(
        graphiques_moyens.build_ratio_annuel, points, resume=resume,
        titre_y=rapprochement.unite.capitalize(), normes=references,
    )  # fmt: skip
    return vue_graphiques.Figure(calc.tableau_points(points), resume, spec)


@dataclass(frozen=True)
class Tableau:
    """Un tableau des documents : son titre, ses lignes, son CSV (None : pas d'export) ; ou,
    sans lignes, la phrase qui dit pourquoi il est vide."""

    titre: str
    lignes: pd.DataFrame | None
    csv: bytes | None = None
    nom: str = ""
    legende: str = ""


def render_documents(d: Donnees) -> None:
    """Les tableaux des documents, repliés : ETP tels qu'écrits, convention axe par axe,
    effectifs, ratios, budgets, normes. Aucun graphique ici (un bloc replié n'en contient pas
    d'autre, et les graphiques sont au-dessus)."""
    with st.expander("Tableaux des documents (ETP, effectifs, budgets, normes)",
                     icon=":material/table_view:"):  # fmt: skip
        for tableau in tableaux_documents(d.annee, d.territoire, d.perimetre):
            if tableau.titre:
                st.markdown(f"**{tableau.titre}**")
            if tableau.lignes is not None:
                st.dataframe(tableau.lignes, hide_index=True, width="stretch")
            if tableau.csv is not None:
                st.download_button(
                    "Télécharger le tableau (CSV)", tableau.csv, file_name=tableau.nom,
                    mime=en_csv.TYPE_MIME, key=f"csv_{tableau.nom}",
                )  # fmt: skip
            if tableau.legende:
                st.caption(tableau.legende)


@memo.memoise
def tableaux_documents(annee: int, territoire: str, perimetre: str | None) -> list[Tableau]:
    """Les tableaux des documents et leurs CSV, calculés une fois pour ces arguments."""
    d = build(annee, territoire, perimetre)
    mention = tables.MENTION_DEMO if donnees.demonstration() else ""

    def avec_csv(titre: str, lignes: pd.DataFrame, nom: str, export: pd.DataFrame | None = None,
                 legende: str = "") -> Tableau:  # fmt: skip
        csv = en_csv.to_csv_bytes(lignes if export is None else export, mention=mention)
        return Tableau(titre, lignes, csv, f"{nom}_{annee}.csv", legende)

    return [*_tables_etp(d, avec_csv), *_tables_moyens(d, avec_csv), *_tables_normes(d)]


def _tables_etp(d: Donnees, avec_csv: Callable[..., Tableau]) -> list[Tableau]:
    titre = "ETP par stratégie et partenaire (convention MDE)"
    strategies = d.etp[~d.etp["a_part"]] if not d.etp.empty else d.etp
    if strategies.empty:
        vide = (f"Aucun ETP par stratégie pour {d.annee} sur ce territoire. Les ETP par stratégie "
                "viennent de la convention Maison de l'emploi – Département de 2020, qui porte "
                "sur l'Eurométropole de Strasbourg.")  # fmt: skip
        lignes = None if d.etp.empty else calc.tableau_etp(d.etp)
        return [Tableau(titre, lignes, legende=vide)]
    tableau, _ = _convention(d)
    return [
        Tableau(titre, calc.tableau_totaux_strategies(calc.totaux_par_strategie(d.etp))),
        avec_csv("ETP tels qu'écrits dans la convention", calc.tableau_etp(d.etp), "moyens_etp",
                 calc.tableau_etp(d.etp, export=True)),
        avec_csv("Résultats de la convention, axe par axe", tableau, "moyens_convention",
                 legende="La convention fixe ses indicateurs par axe, sans les rattacher à une "
                 "stratégie : le résultat par ETP se lit sur les ETP de l'axe. « non renseigné » "
                 ": aucune valeur importée pour cette année (ni 0, ni ∞)."),
    ]  # fmt: skip


def _tables_moyens(d: Donnees, avec_csv: Callable[..., Tableau]) -> list[Tableau]:
    """Effectifs et budgets tels qu'écrits, et le tableau de chaque ratio."""
    autres = d.ressources[d.ressources["type"].isin(TYPES_EFFECTIFS)
                          & ~d.ressources["code"].isin(d.etp["code"])]  # fmt: skip
    resultat: list[Tableau] = []
    for titre, moyens_, types, nom in (
        ("Effectifs et autres ETP", autres, TYPES_EFFECTIFS, "effectifs"),
        ("Budgets", d.ressources[d.ressources["type"] == "budget"], ("budget",), "budgets"),
    ):
        if moyens_.empty:
            resultat.append(Tableau(titre, None, legende="Aucun moyen de ce type écrit pour "
                                    "cette année sur ce territoire."))  # fmt: skip
            continue
        resultat.append(avec_csv(titre, calc.tableau_moyens(moyens_, d.noms), f"moyens_{nom}"))
        de_ce_type = [r for _, t, r in d.ratios if t in types]
        if de_ce_type:
            resultat.append(avec_csv("", calc.tableau_ratios(de_ce_type),
                                     f"moyens_ratios_{nom}",
                                     calc.tableau_ratios(de_ce_type, export=True)))  # fmt: skip
    resultat.append(Tableau("", None, legende="Chaque enveloppe garde son périmètre tel qu'écrit "
                            ": des enveloppes de périmètres différents (accès à l'emploi, "
                            "politique d'insertion) ne s'additionnent pas."))  # fmt: skip
    return resultat


def _tables_normes(d: Donnees) -> list[Tableau]:
    """Les normes de la fiche 5.2.14 comme valeurs de référence, avec leur texte."""
    titre = "Normes par ETP (fiche 5.2.14)"
    if d.normes.empty:
        return [Tableau(titre, None, legende="Aucune norme écrite pour ce territoire.")]
    return [Tableau(titre, calc.tableau_normes(d.normes, d.noms), legende=(
        "Valeurs de référence, pas des cibles : la file active (allocataires suivis par mois) n'a "
        "aucune donnée importée, et la norme de placements n'a pas de période écrite (INC-26)."
    ))]  # fmt: skip
