"""Rendu Streamlit de la page « Objectifs » : l'arbre du plan, ses bilans et la fiche ouverte.

L'arbre du §7 se lit par section (finalité, OS) et par bloc repliable (un par OO), la convention
MDE par axe : jamais plus d'un bloc ouvert d'office, celui de la fiche demandée dans l'URL
(`fiche=<code>`). Chaque indicateur à cible a sa barre de progression dont le texte dit le
réalisé, la cible, la valeur attendue et le statut en mot ; le calcul est dans
`dashboard.modeles.objectifs`, ce module ne fait que poser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import apparence, view_state
from dashboard.donnees import annotations as donnees_annotations
from dashboard.donnees import memo
from dashboard.donnees import plan as donnees_plan
from dashboard.formats import texte_ou_vide
from dashboard.graphiques import courbes, trace
from dashboard.modeles import barres, objectifs
from dashboard.modeles.objectifs import Bloc, Noeud, Section
from dashboard.vues import annotations as vue_annotations
from dashboard.vues import ecarts as vue_ecarts
from dashboard.vues import graphiques as vue_graphiques

TERRITOIRE_MDE = "EMS"  # la convention MDE 2020 lie le Département et la Maison de l'emploi
# Un jalon réalisé ou non : une forme devant le mot (`apparence`), comme les statuts.
ICONES_JALON = {"réalisé": "\u25cf", "non réalisé": "\u25cb"}


@dataclass(frozen=True)
class Arbre:
    """Un arbre prêt à dessiner : ses sections, et de quoi ouvrir la fiche d'un indicateur."""

    titre: str
    territoire: str
    sections: list[Section]
    noeuds: pd.DataFrame
    progressions: pd.DataFrame
    bilans: pd.DataFrame
    tableau_bilans: pd.DataFrame  # les bilans en texte, calculés avec l'arbre

    @property
    def codes(self) -> list[str]:
        return [str(c) for c in self.noeuds.loc[self.noeuds["type"] == "indicateur", "code"]]


@memo.memoise
def build_arbre(
    racines: tuple[str, ...],
    territoire: str,
    mois: str,
    perimetre: str | None,
    *,
    titre: str,
    cibles_a_venir: bool = False,
) -> Arbre:
    """Lit un arbre du plan et les progressions de ses seuls indicateurs, puis le met en
    sections et en bilans.

    `cibles_a_venir` pour la convention MDE : ses cibles sont de 2020, après la fin des
    données, et « 100 → 200 entreprises » doit se voir avant 2020.
    """
    noeuds = donnees_plan.arbre(racines)
    codes = tuple(str(c) for c in noeuds.loc[noeuds["type"] == "indicateur", "code"])
    lignes = donnees_plan.progressions(territoire, mois, perimetre, codes, cibles_a_venir)
    indicateurs = objectifs.build_indicateurs(noeuds, lignes, territoire=territoire, mois=mois)
    bilans = objectifs.build_bilans(noeuds, indicateurs)
    arbre = objectifs.build_arbre(noeuds, lignes, territoire=territoire, mois=mois)
    return Arbre(titre, territoire, objectifs.build_sections(arbre), noeuds, lignes, bilans,
                 objectifs.build_tableau_bilans(bilans))  # fmt: skip


def mde_lisible(perimetre: str | None) -> bool:
    """La convention MDE porte sur l'Eurométropole : hors d'un périmètre qui ne la contient pas."""
    return perimetre in (None, TERRITOIRE_MDE)


def render_bilans(arbres: list[Arbre]) -> None:
    """Le bilan par OS et OO (et par axe MDE) : combien d'indicateurs sur la trajectoire, en
    retard, sans donnée."""
    tableau = pd.concat([a.tableau_bilans for a in arbres])
    with st.expander("Bilan par objectif stratégique (OS) et opérationnel (OO)", expanded=True):
        st.dataframe(
            tableau, hide_index=True, width="stretch",
            column_config={
                "Objectif": st.column_config.TextColumn(width=340),
                **{c: st.column_config.TextColumn(width="small") for c in tableau.columns[2:]},
            },
        )  # fmt: skip
        st.caption(
            "Parts calculées sur les indicateurs suivis au territoire choisi ; « non déclinés » : "
            "indicateurs suivis au seul niveau du département, hors du compte d'un territoire."
        )


def render_arbre(arbre: Arbre, fiche: str | None, mois: str, perimetre: str | None) -> None:
    """Les sections de l'arbre, chacune avec ses blocs repliables ; chaque OS, OO et axe a sa
    barre par statut (au-dessus de son bloc replié, pour se lire sans l'ouvrir)."""
    st.subheader(arbre.titre, anchor=False, divider="gray")
    for section in arbre.sections:
        if section.noeud is not None:
            st.markdown(f"#### {section.noeud.code} · {section.noeud.libelle}")
            if section.noeud.barre is not None:
                st.html(barres.html_barre(section.noeud.barre))
            else:
                st.caption(section.noeud.bilan)
        for bloc in section.blocs:
            if bloc.noeud.barre is not None and bloc.noeud is not section.noeud:
                st.html(barres.html_barre(bloc.noeud.barre, titre=bloc.noeud.code))
            _render_bloc(bloc, arbre, fiche, mois, perimetre)


def _render_bloc(
    bloc: Bloc, arbre: Arbre, fiche: str | None, mois: str, perimetre: str | None
) -> None:
    tete = bloc.noeud
    libelle = "Indicateurs de la finalité" if tete.niveau == "finalite" else tete.libelle
    titre = f"**{tete.code}** · {libelle} — {bloc.bilan}"
    with st.expander(titre, expanded=bloc.contient(fiche)):
        for noeud in bloc.lignes:
            if noeud.type == "indicateur":
                _render_indicateur(noeud, ouverte=noeud.code == fiche)
                if noeud.code == fiche:
                    render_fiche(arbre, noeud.code, mois, perimetre)
            else:
                st.markdown(f"**{noeud.code}** · {noeud.libelle}")
                if noeud.type == "action" and not noeud.bilan.startswith("aucun"):
                    st.caption(noeud.bilan)


def cle(prefixe: str, code: str) -> str:
    """Clé Streamlit lisible en CSS (`st-key-fiche_OO2-S-1`) : sans point."""
    return f"{prefixe}_{code.replace('.', '-')}"


def _render_indicateur(noeud: Noeud, *, ouverte: bool) -> None:
    """Une ligne d'indicateur : son état en texte (barre pour une cible) et le bouton de fiche.

    Le bouton suit la légende plutôt qu'une colonne à droite : une rangée de deux colonnes
    coûtait trois éléments de plus par indicateur, ~200 pour la page, et Streamlit réveille
    son serveur pour chacun (bench/NOTES_CHARGE.md).
    """
    ligne = noeud.indicateur or {}
    with st.container(key=cle("indicateur", noeud.code)):
        st.markdown(f"{_marque(ligne)}**{noeud.code}** · {noeud.libelle}")
        _render_etat(ligne)
        st.button(
            "Fermer la fiche" if ouverte else "Fiche de l'indicateur",
            key=cle("fiche", noeud.code),
            icon=apparence.ICONE_QUITTER if ouverte else apparence.ICONE_FICHE,
            type="tertiary",
            on_click=view_state.set_extra,
            args=("fiche", None if ouverte else noeud.code),
        )


def _marque(ligne: dict[str, Any]) -> str:
    return "" if ligne.get("categorie") != objectifs.NON_DECLINE else "\u2013 "


def _render_etat(ligne: dict[str, Any]) -> None:
    """La progression d'une cible, la dernière valeur d'un indicateur sans cible, l'état d'un
    jalon, ou « non décliné » : chaque cas dit en mots ce qu'il montre."""
    if not ligne:
        st.caption("Aucune donnée de progression pour cet indicateur.")
        return
    categorie, suivi = ligne["categorie"], ligne["suivi"]
    if categorie == objectifs.NON_DECLINE:
        st.markdown(f"**{objectifs.NON_DECLINE}** : {objectifs.NON_DECLINE_TEXTE}.")
    elif suivi == "jalon":
        st.markdown(_texte_jalon(ligne))
    elif suivi == "cible" and not pd.isna(ligne["progression"]):
        st.progress(float(ligne["progression"]), text=objectifs.texte_progression(ligne))
        if not pd.isna(ligne.get("repere")):
            st.html(_repere_html(float(ligne["repere"])))
    elif suivi == "cible":
        nom = "Repère" if categorie == objectifs.REPERE else "Cible"
        st.markdown(
            f"{nom} **{ligne['cible']}** ({ligne['periode_cible']}) · réalisé : "
            f"**{ligne['reel']}** · {ligne['statut_affiche']}"
        )
    else:
        st.markdown(_texte_sans_cible(ligne))
    if autres := texte_ou_vide(ligne.get("autres_cibles")):
        st.caption(autres)  # 10 000 et 11 199 : chaque cible avec sa source
    details = [ligne["explication"]]
    if ligne["donnees_au"] != objectifs.NON_RENSEIGNE and categorie != objectifs.NON_DECLINE:
        # Un repère ou une cible non évaluable n'est pas jugé : on dit où s'arrête le réalisé.
        juge = categorie not in (objectifs.REPERE, objectifs.NON_EVALUABLE)
        etiquette = "Jugé sur" if juge else "Réalisé arrêté à"
        details.append(f"{etiquette} : {ligne['donnees_au']} ({ligne['periodicite']})")
    st.caption(" · ".join(d for d in details if d))


def _texte_jalon(ligne: dict[str, Any]) -> str:
    """« Jalon : ● réalisé (● dans la trajectoire) » ; sans valeur, « ○ non renseigné »."""
    if ligne["reel"] not in ICONES_JALON:
        return f"Jalon : **{ligne['statut_affiche']}**"
    return f"Jalon : **{ICONES_JALON[ligne['reel']]} {ligne['reel']}** ({ligne['statut_affiche']})"


def _texte_sans_cible(ligne: dict[str, Any]) -> str:
    if ligne["reel"] == objectifs.NON_RENSEIGNE:
        return f"Aucune cible · **{ligne['statut_affiche']}**"
    tendance = f" · {ligne['tendance']}" if ligne["tendance"] else ""
    return f"Aucune cible · dernière valeur : **{ligne['reel']}** ({ligne['donnees_au']}){tendance}"


# Un lien `fiche=` ouvre la fiche au milieu d'une longue page : le script la fait défiler jusqu'en
# haut de l'écran une fois dessinée (il attend qu'elle existe, deux secondes au plus). Son texte
# nomme la fiche, pour qu'il ne se rejoue qu'à l'ouverture d'une autre fiche, pas à chaque
# relance ; son conteneur est masqué (un bloc vide ajouterait un espacement).
DEFILER_FICHE = """<script>/* fiche {code} */
(function (essais) {{
  function aller() {{
    const fiche = document.querySelector('.st-key-fiche_ouverte');
    if (fiche) {{ fiche.scrollIntoView({{block: 'start'}}); }}
    else if (essais-- > 0) {{ setTimeout(aller, 100); }}
  }}
  aller();
}})(20);</script>"""
MASQUE_DEFILER = (
    "<style>[data-testid='stLayoutWrapper']:has(> .st-key-defiler_fiche), .st-key-defiler_fiche "
    "{ display: none; }</style>"
)


def _amener_a_la_vue(code: str) -> None:
    st.html(MASQUE_DEFILER)
    with st.container(key="defiler_fiche"):
        st.html(DEFILER_FICHE.format(code=code), unsafe_allow_javascript=True)


def render_fiche(arbre: Arbre, code: str, mois: str, perimetre: str | None) -> None:
    """La fiche d'un indicateur : ce que disent les documents et les écarts entre eux qui le
    touchent, sa série face à sa cible et la trajectoire attendue (Altair) avec les événements
    datés, leur liste (et leur gestion pour la mission de pilotage), puis les valeurs derrière
    le graphique."""
    noeud = arbre.noeuds[arbre.noeuds["code"] == code].iloc[0]
    fiche = objectifs.build_fiche(noeud)
    serie = objectifs.serie_a_date(donnees_plan.series((code,), arbre.territoire, perimetre), mois)
    evenements = donnees_annotations.evenements(code, (arbre.territoire,))
    _amener_a_la_vue(code)
    numeros: dict[int, int] = {}
    with st.container(border=True, key="fiche_ouverte"):
        st.subheader(f"Fiche {fiche.code} · {fiche.libelle}", anchor=False)
        st.markdown(_texte_fiche(fiche))
        if fiche.note:
            st.caption(f"Note : {fiche.note}")
        vue_ecarts.render_fiche(code)
        if serie["valeur"].notna().any():
            cibles = objectifs.cibles_fiche(arbre.progressions, code, mois=mois)
            figure = figure_fiche(serie, cibles, evenements, str(noeud["nature"]), fiche.unite)
            numeros = vue_annotations.numeros_depuis(figure.evenements_ids)
            # Les valeurs : tableau en fin de fiche ; les événements : leur liste, numérotée.
            vue_graphiques.poser(figure.spec, figure.resume)
        else:
            st.info("Aucune valeur pour ce territoire : rien à tracer.", icon=apparence.ICONE_INFO)
        vue_annotations.render_evenements(
            evenements, indicateur=code, territoire=arbre.territoire, mois=mois, numeros=numeros
        )
        if serie["valeur"].notna().any():
            st.dataframe(
                objectifs.build_tableau_valeurs(serie, fiche.unite),
                hide_index=True,
                width="stretch",
            )


@dataclass(frozen=True)
class FigureFiche:
    """La courbe d'une fiche calculée une fois : spécification, phrase, et l'id de chaque
    événement tracé dans l'ordre de ses numéros (1, 2…)."""

    spec: dict[str, Any]
    resume: str
    evenements_ids: tuple[int, ...]


@memo.memoise
def figure_fiche(
    serie: pd.DataFrame, cibles: pd.DataFrame, evenements: pd.DataFrame, nature: str, unite: str
) -> FigureFiche:
    """La courbe de la fiche face à ses cibles, une fois pour ces données : la construire coûte
    plus (une dizaine de couches Altair) que hacher ces trois petits cadres."""
    trace_fiche = trace.build_trace(serie, cibles, nature=nature, unite=unite,
                                    annotations=evenements)  # fmt: skip
    resume = courbes.resumer(trace_fiche, serie, unite=unite)
    spec = vue_graphiques.specification(courbes.dessiner, trace_fiche, unite=unite, resume=resume)
    return FigureFiche(spec, resume, tuple(int(i) for i in trace_fiche.evenements["id"]))


def _texte_fiche(fiche: objectifs.Fiche) -> str:
    lignes = {
        "Définition": fiche.definition,
        "Unité": fiche.unite,
        "Nature": fiche.nature,
        "Périodicité": fiche.periodicite,
        "Polarité": fiche.polarite,
        "Échelle de suivi": fiche.echelle,
        "Source": fiche.source,
        "Fichier source": fiche.fichier_source if fiche.fichier_source != fiche.source else "",
        "Modèle de la valeur attendue": fiche.modele.removeprefix("Valeur attendue : "),
    }
    return "\n".join(f"- **{nom}** : {valeur}" for nom, valeur in lignes.items() if valeur)


def _repere_html(position: float) -> str:
    """Un trait sous la barre à la valeur attendue à la date (le texte de la barre la donne
    aussi en chiffres : le trait n'est qu'un repère visuel)."""
    gauche = f"{position * 100:.1f}%"
    return (
        '<div style="position:relative;height:16px;margin-top:-10px" aria-hidden="true">'
        f'<div style="position:absolute;left:{gauche};top:0;width:2px;height:10px;'
        'background:#222"></div>'
        f'<div style="position:absolute;left:{gauche};top:8px;transform:translateX(-50%);'
        'font-size:11px;color:#444;white-space:nowrap">▲ attendu</div></div>'
    )
