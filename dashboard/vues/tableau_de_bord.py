"""Rendu Streamlit de la page « Tableau de bord » : édition publiée ou vue en direct, exports,
commentaires et publication.

`?edition=2019-06` rouvre l'édition publiée telle quelle (avec `territoire=` pour un territoire
d'action) ; sans `edition`, la page montre le tableau en direct de la période choisie, marqué «
provisoire » tant que le mois n'est pas publié, et « révisé depuis la publication » là où un import
a changé un chiffre publié. Le contenu vient de `dashboard.tableau_de_bord.contenu` ; ce module
pose.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import pandas as pd
import streamlit as st

from dashboard import apparence, formats, view_state
from dashboard.auth import Utilisateur
from dashboard.donnees import editions as donnees_editions
from dashboard.donnees import lectures, memo, plan
from dashboard.exports import fichiers
from dashboard.exports import tables as et
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import tableau_de_bord as graphiques_tableau
from dashboard.modeles import barres, natures_cibles
from dashboard.modeles.synthese import libelle_statut
from dashboard.tableau_de_bord import comite, editions, textes
from dashboard.tableau_de_bord.contenu import Courbe, LigneIndicateur, TableauDeBord
from dashboard.view_state import Vue
from dashboard.vues import graphiques
from data_access import droits, territoires
from data_access.commentaires import CommentaireInvalide
from data_access.droits import Droit, DroitRefuse

EN_DIRECT = "direct"
_MESSAGE = "_tdb_message"
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def territoire_du_tableau(territoire: str) -> str:
    """Le tableau de bord existe pour le département et chaque territoire d'action ; un canton
    choisi dans la barre latérale donne le tableau de son territoire d'action."""
    if territoire in editions.TERRITOIRES_EDITION:
        return territoire
    parent = plan.territoires_libelles().get(territoire, ("", None))[1]
    return parent if parent in editions.TERRITOIRES_EDITION else territoires.DEPARTEMENT


def choisir_edition() -> str | None:
    """Sélecteur « Édition » lié à `edition=` dans l'URL : None pour la vue en direct."""
    publiees = [p.mois for p in donnees_editions.publiees()]
    libelles = {EN_DIRECT: "Vue en direct (période de la barre latérale)"}
    libelles.update({m: f"Édition de {formats.periode(m)}" for m in publiees})
    choix = view_state.selecteur(
        st.selectbox, "Édition", "edition", list(libelles), EN_DIRECT, cle="tdb_edition",
        format_func=libelles.__getitem__,
    )  # fmt: skip
    return None if choix == EN_DIRECT else choix


def charger(vue: Vue, utilisateur: Utilisateur, mois_edition: str | None) -> TableauDeBord:
    """L'édition demandée (figée), sinon le tableau en direct de la période de la vue."""
    territoire = territoire_du_tableau(vue.territoire)
    if mois_edition is not None:
        publie = donnees_editions.edition(mois_edition, territoire)
        if publie is not None:
            return editions.restreindre(publie, utilisateur.perimetre)
    return donnees_editions.direct(vue.periode, territoire, utilisateur.perimetre)


def render_entete(tableau: TableauDeBord) -> None:
    """Titre, état de l'édition (publiée / provisoire / révisée) et date des données."""
    st.header(f"Tableau de bord mensuel — {formats.periode(tableau.mois)}", anchor=False)
    donnees = formats.donnees_de(tableau.derniere_periode, majuscule=False)
    st.caption(f"{tableau.libelle_territoire} · {donnees}")
    if tableau.publication is not None:
        etat = formats.texte_brut(et.etat_edition(tableau))  # « par » un nom saisi
        st.success(f"Édition {etat}. Ses chiffres ne changent plus.",
                   icon=apparence.ICONE_EPINGLE)  # fmt: skip
        return
    publie = donnees_editions.edition(tableau.mois, tableau.territoire) is not None
    if tableau.revises:
        st.warning(
            f"Vue en direct d'un mois publié : {len(tableau.revises)} indicateur(s) "
            f"« {et.REVISE} » ({', '.join(tableau.revises)}). L'édition publiée reste "
            "consultable telle quelle.",
            icon=apparence.ICONE_CORRECTION,
        )
    elif publie:
        st.info("Vue en direct d'un mois publié : aucun chiffre n'a changé depuis la publication.",
                icon=apparence.ICONE_EPINGLE)  # fmt: skip
    else:
        st.warning(
            "Chiffres provisoires : ce mois n'est pas publié.", icon=apparence.ICONE_PROVISOIRE
        )


def _carte(ligne: LigneIndicateur, tableau: TableauDeBord) -> None:
    with st.container(border=True, key=f"tdb_carte_{ligne.code.replace('.', '-')}"):
        st.metric(
            ligne.titre or ligne.libelle,
            formats.valeur(ligne.reel, ligne.unite),
            help=f"{ligne.code} · {ligne.definition}",
        )
        if ligne.cible is not None:
            attendu = formats.valeur(ligne.attendu, ligne.unite)
            nom = "Repère" if ligne.statut == natures_cibles.REPERE else "Cible"
            statut = libelle_statut(ligne.statut, ligne.nature_cible, ligne.regle_cible)
            st.markdown(
                f"{nom} **{formats.valeur(ligne.cible, ligne.unite)}** ({ligne.periode_cible}) · "
                f"attendu à date **{attendu}**  \n{statut}"
            )
            if ligne.motif:
                st.caption(ligne.motif)
            for autre in ligne.autres_cibles:
                st.markdown(
                    f"Autre cible **{formats.valeur(autre.cible, ligne.unite)}** "
                    f"({autre.periode_cible}) · attendu à date "
                    f"**{formats.valeur(autre.attendu, ligne.unite)}**  \n"
                    f"{libelle_statut(autre.statut, autre.nature_cible, autre.regle_cible)}"
                )
            if sources := textes.texte_sources(ligne):
                st.caption(f"Source{'s' * bool(ligne.autres_cibles)} : {sources}")
        etat = et.REVISE if ligne.code in tableau.revises else ""
        etat = etat or (et.PROVISOIRE if tableau.provisoire else "")
        st.caption(formats.donnees_de(ligne.donnees_au) + (f" · **{etat}**" if etat else ""))


def render_synthese(tableau: TableauDeBord) -> None:
    """Les cartes de la synthèse, trois par ligne, chaque chiffre avec sa définition, puis les
    courbes des 24 derniers mois avec leurs événements."""
    lignes = list(tableau.synthese)
    for debut in range(0, len(lignes), 3):
        for colonne, ligne in zip(st.columns(3), lignes[debut : debut + 3], strict=False):
            with colonne:
                _carte(ligne, tableau)
    par_code = {ligne.code: ligne for ligne in lignes}
    courbes = list(tableau.courbes)
    for debut in range(0, len(courbes), 2):
        for colonne, courbe in zip(st.columns(2), courbes[debut : debut + 2], strict=False):
            with colonne:
                ligne_courbe = par_code.get(courbe.code)
                nature = ligne_courbe.nature if ligne_courbe else ""
                figure = figure_courbe(courbe, ligne_courbe, nature)
                graphiques.poser(
                    figure.spec, figure.resume, valeurs=figure.table,
                    titre_valeurs=f"Valeurs de la courbe {courbe.code}",
                    cle=f"tdb_courbe_{courbe.code}", evenements=figure.evenements,
                )  # fmt: skip


@memo.memoise
def figure_courbe(courbe: Courbe, ligne: LigneIndicateur | None, nature: str) -> graphiques.Figure:
    """La courbe d'une édition face à sa cible, sa phrase, ses valeurs et la liste de ses
    événements numérotés, calculées une fois par courbe."""
    trace = graphiques_tableau.build_trace(courbe, ligne, nature)
    resume = graphiques_tableau.resumer(courbe, trace)
    spec = graphiques.specification(graphiques_tableau.dessiner, courbe, trace, resume=resume)
    return graphiques.Figure(graphiques_tableau.tableau_courbe(courbe), resume, spec,
                             tuple(graphiques_annotations.lignes(trace.evenements)))  # fmt: skip


def _table(cadre: pd.DataFrame, vide: str) -> None:
    if cadre.empty:
        st.caption(vide)
    else:
        st.dataframe(cadre, hide_index=True, width="stretch")


ONGLETS = ("Synthèse", "Territoires", "Changements de statut", "Alertes", "Indicateurs",
           "Événements du mois")  # fmt: skip


def render_sections(tableau: TableauDeBord) -> None:
    """Les sections du tableau de bord, en onglets."""
    onglets = view_state.onglets(ONGLETS, "onglet", cle="tdb_onglet")
    with onglets[0]:
        render_synthese(tableau)
    with onglets[1]:
        _table(et.territoires_affiches(tableau), "Aucune cible du §4 pour cette période.")
    with onglets[2]:
        _table(et.table_affichee(tableau.changements, tableau.revises),
               "Aucun changement de statut depuis l'édition précédente.")  # fmt: skip
    with onglets[3]:
        _table(et.table_affichee(tableau.alertes, tableau.revises),
               "Aucun indicateur en retard.")  # fmt: skip
    with onglets[4]:
        for objectif in tableau.objectifs:
            lignes = tableau.par_objectif(objectif.code)
            if lignes:
                st.markdown(f"**{objectif.code} · {objectif.libelle}**")
                resume = comite.resume_objectif(tableau, objectif.code)
                st.html(barres.html_barre(comite.barre_objectif(tableau, resume)))
                _table(et.table_affichee(lignes, tableau.revises), "")
    with onglets[5]:
        _table(et.table_evenements(tableau), "Aucun événement daté de ce mois.")


def _export(tableau: TableauDeBord, extension: str) -> Callable[[], bytes]:
    """Le contenu d'un export, construit au clic (le PDF prend une à deux secondes) ; des
    données de démonstration le disent sur chaque page, feuille, et en tête du CSV."""
    demonstration = lectures.demonstration()
    return lambda: fichiers.exporter(tableau, extension, demonstration=demonstration)


def render_exports(tableau: TableauDeBord) -> None:
    """PDF, XLSX et CSV de ce qui est affiché (édition figée ou vue en direct)."""
    colonnes = st.columns(3)
    for colonne, (extension, libelle) in zip(
        colonnes, (("pdf", "PDF (A4)"), ("xlsx", "Excel (XLSX)"), ("csv", "CSV")), strict=True
    ):
        colonne.download_button(
            f"Télécharger en {libelle}", data=_export(tableau, extension),
            file_name=fichiers.nom_fichier(tableau, extension), mime=MIME[extension],
            on_click="ignore", key=f"tdb_export_{extension}", width="stretch",
        )  # fmt: skip


def chiffres_retard(retard: editions.Retard) -> str:
    """Les chiffres du territoire commenté, tels que son tableau les montre : on explique un
    retard en le voyant (réalisé, attendu à date, statut)."""
    ligne = retard.ligne
    reel = formats.valeur(ligne.reel, ligne.unite)
    attendu = formats.valeur(formats.arrondi(ligne.attendu, ligne.unite), ligne.unite)
    return (f"{retard.libelle_territoire} : réalisé {reel} · attendu à date {attendu} · "
            f"{libelle_statut(ligne.statut)}")  # fmt: skip


def _saisie(retard: editions.Retard) -> str:
    """La zone de saisie d'un retard : son libellé nomme l'indicateur et le territoire."""
    ligne = retard.ligne
    st.caption(chiffres_retard(retard))
    return st.text_area(
        f"{ligne.code} · {ligne.libelle} — {retard.libelle_territoire}",
        value=ligne.commentaire, max_chars=1000, key=f"tdb_com_{ligne.code}_{retard.territoire}",
    )  # fmt: skip


def render_publication(mois: str, utilisateur: Utilisateur) -> None:
    """Pour la mission de pilotage : commenter chaque retard dans son territoire, puis publier.

    Un commentaire est celui d'un territoire : il ne s'imprime que dans le tableau de ce
    territoire, à côté de ses chiffres (que le formulaire montre)."""
    if message := st.session_state.pop(_MESSAGE, None):
        st.success(message, icon=apparence.ICONE_EPINGLE)
    if donnees_editions.edition(mois, territoires.DEPARTEMENT) is not None:
        st.caption(f"{formats.periode(mois)} est publié : ses commentaires ne changent plus.")
        return
    # Chercher les retards de tous les territoires coûte une à deux secondes : seulement quand
    # la personne prépare la publication, pas à chaque affichage de la page.
    if not st.toggle(f"Préparer la publication de {formats.periode(mois)}", key="tdb_preparer"):
        return
    a_commenter = [r for r in donnees_editions.a_commenter(mois)
                   if utilisateur.perimetre in (None, r.territoire)]  # fmt: skip
    st.markdown(
        f"**Commentaires de {formats.periode(mois)}** — obligatoires pour chaque indicateur en "
        "retard, dans chaque territoire où il l'est (département, territoires d'action) ; "
        "chacun ne paraît que dans le tableau de son territoire."
    )
    with st.form("tdb_commentaires"):
        saisis: dict[tuple[str, str], str] = {}
        for libelle, retards in groupby(a_commenter, key=lambda r: r.libelle_territoire):
            st.markdown(f"**{libelle}**")
            saisis.update({(r.code, r.territoire): _saisie(r) for r in retards})
        if not a_commenter:
            st.caption("Aucun indicateur en retard ce mois-ci.")
        enregistrer = st.form_submit_button("Enregistrer les commentaires")
    if enregistrer:
        _enregistrer(mois, saisis, a_commenter, utilisateur)
    if not droits.peut(utilisateur, Droit.PUBLIER):
        return  # un compte à périmètre commente son territoire ; l'édition couvre le département
    if st.button(f"Publier l'édition de {formats.periode(mois)}", type="primary",
                 key="tdb_publier"):  # fmt: skip
        _publier(mois, utilisateur)


def _enregistrer(
    mois: str, saisis: dict[tuple[str, str], str], retards: list[editions.Retard],
    utilisateur: Utilisateur,
) -> None:  # fmt: skip
    avant = {(r.code, r.territoire): r.ligne.commentaire for r in retards}
    try:
        changes = {c: t for c, t in saisis.items() if t.strip() != avant.get(c, "")}
        donnees_editions.commenter(mois, changes, acteur=utilisateur)
    except (CommentaireInvalide, DroitRefuse) as exc:
        st.error(f"Commentaires non enregistrés : {exc}", icon=apparence.ICONE_REFUS)
        return
    st.session_state[_MESSAGE] = "Commentaires enregistrés."
    st.rerun()


def _publier(mois: str, utilisateur: Utilisateur) -> None:
    try:
        donnees_editions.publier(mois, acteur=utilisateur)
    except (editions.PublicationRefusee, DroitRefuse) as refus:
        st.error(str(refus), icon=apparence.ICONE_REFUS)
        return
    st.session_state[_MESSAGE] = (
        f"Édition de {formats.periode(mois)} publiée : elle ne changera plus. "
        f"Lien : /tableau-de-bord?edition={mois}"
    )
    st.rerun()


def render_editions(vue: Vue) -> None:
    """La liste des éditions publiées, chacune avec son lien permanent."""
    publiees = donnees_editions.publiees()
    if not publiees:
        st.caption("Aucune édition publiée pour l'instant.")
        return
    territoire = territoire_du_tableau(vue.territoire)
    suffixe = "" if territoire == territoires.DEPARTEMENT else f"&territoire={territoire}"
    lignes = [
        {
            "Édition": formats.periode(p.mois),
            "Publiée le": formats.date_longue(p.publie_le.isoformat()),
            "Par": p.publie_par,
            "Lien": f"/tableau-de-bord?edition={p.mois}{suffixe}",
        }
        for p in publiees
    ]
    st.dataframe(
        pd.DataFrame(lignes), hide_index=True, width="stretch",
        column_config={"Lien": st.column_config.LinkColumn("Lien permanent")},
    )  # fmt: skip


def est_pilotage(utilisateur: Utilisateur) -> bool:
    """Vrai si le compte peut commenter (la règle de `data_access.droits`, qui refuse de toute
    façon une écriture interdite) : le formulaire des commentaires lui est montré."""
    return droits.peut(utilisateur, Droit.COMMENTER)
