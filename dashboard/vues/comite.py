"""Rendu Streamlit du mode présentation du comité de pilotage (`?mode=comite` sur le tableau de
bord).

En séance, le tableau de bord est projeté : ni barre latérale ni menus de Streamlit, un texte
qui grandit avec l'écran, une section par diapositive, et le numéro de la diapositive dans l'URL
(`diapo=3`) pour que la personne qui présente revienne d'un clic sur une diapositive déjà vue ou
rouvre la séance au même endroit. Fonctionne sur une édition publiée (`edition=2019-06`), dont
les chiffres sont figés (moyens et résultats compris), comme sur la vue en direct. Le choix du
contenu est dans `dashboard.tableau_de_bord.comite` ; ce module pose et règle l'apparence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import apparence, formats, sources, view_state
from dashboard.auth import Utilisateur
from dashboard.carte.config import read_geojson
from dashboard.carte.dessin import A_CONFIRMER, ATTRIBUTION
from dashboard.donnees import editions, lectures
from dashboard.exports import tables as et
from dashboard.graphiques import resumes
from dashboard.modeles import barres
from dashboard.modeles import moyens_resultats as calc
from dashboard.modeles.synthese import EXPLICATION_OO2
from dashboard.tableau_de_bord import comite, moyens_figes, textes
from dashboard.tableau_de_bord.comite import Diapo
from dashboard.tableau_de_bord.contenu import LigneIndicateur, TableauDeBord
from dashboard.tableau_de_bord.moyens_figes import MoyensEdition
from dashboard.view_state import Vue
from dashboard.vues import tableau_de_bord

CLES_PRESENTATION = ("mode", "diapo")
COLONNES_SYNTHESE = 4

# La taille du texte suit la fenêtre (1 rem ≈ 16,5 px à 1280×720, ≈ 25 px à 1920×1080) : la même
# diapositive garde ses proportions d'un écran à l'autre, et ce qui tient à 1280×720 tient
# partout. Streamlit exprime ses tailles en rem : elles suivent. Le bandeau, la barre latérale
# et la navigation de Streamlit sont masqués ; les éléments que le routeur pose avant la page
# (titre de l'application, avis) aussi, sauf les composants invisibles (cookies de connexion).
STYLE = """
<style>
html { font-size: clamp(12px, min(1.4vw, 2.5vh), 36px) !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stMainBlockContainer"] {
  padding: 0.5rem 1.5rem 0.3rem !important; max-width: none !important;
}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { gap: 0 !important; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > [data-testid="stElementContainer"]:has(iframe) {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > [data-testid="stElementContainer"]:not(:has(iframe)),
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > [data-testid="stLayoutWrapper"]:not(:has(.st-key-comite)) { display: none !important; }
.st-key-comite { gap: 0.45rem; }
.st-key-comite_barre { gap: 0.6rem; }
.comite-titre { font-size: 1.5rem; font-weight: 700; line-height: 1.2; }
.comite-contexte { font-size: 0.8rem; color: #555; border-bottom: 2px solid #1f4e79;
  padding-bottom: 0.2rem; }
.st-key-comite_diapo, .st-key-comite_diapo [data-testid="stVerticalBlock"] { gap: 0.4rem; }
.st-key-comite_diapo [data-testid="stMarkdownContainer"] p { margin-bottom: 0.15rem; }
.st-key-comite_diapo [data-testid="stMarkdownContainer"] p { font-size: 1rem; }
.st-key-comite_diapo [data-testid="stMetricValue"] p { font-size: 2rem; line-height: 1.15; }
[data-testid="stPopoverBody"] [data-testid="stVerticalBlock"] { gap: 0.15rem; }
[data-testid="stPopoverBody"] button { justify-content: flex-start; text-align: left; }
.st-key-comite_pied p { font-size: 0.75rem; color: #555; }
.comite-table { width: 100%; border-collapse: collapse; font-size: 0.95rem; line-height: 1.25; }
.comite-table th { text-align: left; font-weight: 600; border-bottom: 2px solid #1f4e79;
  padding: 0.2rem 0.45rem; }
.comite-table td { border-bottom: 1px solid #d0d0d0; padding: 0.22rem 0.45rem;
  vertical-align: top; }
.comite-table td.nw { white-space: nowrap; }
.comite-alerte { border: 1px solid #d0d0d0; border-left: 0.35rem solid #b2182b;
  border-radius: 0.4rem; padding: 0.3rem 0.7rem; }
.comite-alerte p { margin: 0.1rem 0; font-size: 1rem; }
.comite-comptes { font-size: 1.1rem; font-weight: 600; margin: 0; }
.st-key-comite_carte { height: 62vh; }
</style>
"""


def demandee() -> bool:
    """Vrai si l'URL demande le mode présentation (`mode=comite`)."""
    return view_state.extra("mode", (comite.MODE,)) == comite.MODE


def _edition() -> str | None:
    """Le mois de l'édition demandée (`edition=`), s'il est publié ; sinon la vue en direct."""
    publiees = [p.mois for p in editions.publiees()]
    return view_state.extra("edition", publiees)


def _aller(numero: int) -> None:
    view_state.set_extra("diapo", str(numero))


def _quitter() -> None:
    """Retour à la page du tableau de bord, même édition, même territoire.

    Un bouton plutôt qu'un lien : un `st.page_link` vers la page courante relance bien la page
    sans `mode`, mais laisse l'ancienne adresse dans le navigateur, qui rouvrirait la
    présentation au premier rechargement.
    """
    for cle in CLES_PRESENTATION:
        view_state.set_extra(cle, None)


def render(vue: Vue, utilisateur: Utilisateur) -> None:
    """La diapositive demandée (`diapo=`, 1 par défaut), sa barre de navigation et son pied.

    Tout est posé dans le conteneur de la présentation, avis sur l'URL compris (édition ou
    numéro inconnus) : le style masque ce qui est posé hors de lui.
    """
    st.html(STYLE)
    with st.container(key="comite"):
        tableau = tableau_de_bord.charger(vue, utilisateur, _edition())
        liste = comite.diapos(tableau)
        numero = int(view_state.extra("diapo", comite.numeros(len(liste)), "1") or "1")
        diapo = liste[numero - 1]
        aides = _render_barre(tableau, liste, numero)
        with st.container(key="comite_diapo"):
            textes = _rendu(diapo)(tableau, diapo, utilisateur)
        with aides:
            for texte in textes or ["Aucun chiffre sur cette diapositive."]:
                st.markdown(f"- {texte}")
        _render_pied(tableau)


def _render_barre(tableau: TableauDeBord, liste: tuple[Diapo, ...], numero: int) -> DeltaGenerator:
    """Précédente, numéro (et la liste pour sauter), suivante, titre, définitions, quitter.

    Les boutons restent à la même place d'une diapositive à l'autre (en haut), et répondent
    aussi aux flèches du clavier. Rend la fenêtre « Définitions », remplie après la diapositive.
    """
    with st.container(key="comite_barre", horizontal=True, vertical_alignment="center"):
        st.button("Précédente", key="comite_precedente", on_click=_aller, args=(numero - 1,),
                  icon=apparence.ICONE_PRECEDENTE, disabled=numero <= 1,
                  shortcut="Left")  # fmt: skip
        with st.popover(f"{numero} / {len(liste)}", help="Aller à une diapositive"):
            for i, autre in enumerate(liste, start=1):
                st.button(f"{i}. {comite.abrege(autre.titre)}", key=f"comite_aller_{i}",
                          on_click=_aller, args=(i,), disabled=i == numero,
                          type="tertiary")  # fmt: skip
        st.button("Suivante", key="comite_suivante", on_click=_aller, args=(numero + 1,),
                  icon=apparence.ICONE_SUIVANTE, disabled=numero >= len(liste),
                  shortcut="Right")  # fmt: skip
        st.space("stretch")
        aides = st.popover("Définitions et dates", icon=apparence.ICONE_INFO)
        st.button("Quitter la présentation", key="comite_quitter", icon=apparence.ICONE_QUITTER,
                  type="tertiary", on_click=_quitter)  # fmt: skip
    st.html(comite.titre_html(liste[numero - 1].titre, _contexte(tableau)))
    return aides


def _contexte(tableau: TableauDeBord) -> str:
    """« Nord · édition de juin 2019, publiée le … · données de juin 2019 »."""
    if tableau.publication is not None:
        etat = f"édition de {formats.periode(tableau.mois)}, {et.etat_edition(tableau)}"
    else:
        etat = f"vue en direct de {formats.periode(tableau.mois)}, chiffres provisoires"
        if tableau.revises:
            etat += f" ({len(tableau.revises)} {et.REVISE})"
    donnees = formats.donnees_de(tableau.derniere_periode, majuscule=False)
    return f"{tableau.libelle_territoire} · {etat} · {donnees}"


def _render_pied(tableau: TableauDeBord) -> None:
    """Une ligne discrète : la provenance, et la mention des données de démonstration."""
    _, demonstration = lectures.etat_donnees()
    demonstration = demonstration or bool(tableau.publication and tableau.publication.demonstration)
    texte = "Pilotage du PDIE 2017-2019 · Département du Bas-Rhin"
    if demonstration:
        texte += (" · **Données de démonstration** : valeurs générées ; seules les cibles et les "
                  "libellés viennent des documents du plan.")  # fmt: skip
    with st.container(key="comite_pied"):
        st.markdown(texte)


Rendu = Callable[[TableauDeBord, Diapo, Utilisateur], list[str]]


def _rendu(diapo: Diapo) -> Rendu:
    rendus: dict[str, Rendu] = {
        comite.SYNTHESE: _synthese,
        comite.TERRITOIRES: _territoires,
        comite.CARTE: _carte,
        comite.MOYENS: _moyens,
        comite.ALERTES: _alertes,
    }
    return rendus.get(diapo.cle, _objectif)


# --- Les diapositives (chacune rend les définitions de ses chiffres) ------------------------


def _marque(ligne: LigneIndicateur, tableau: TableauDeBord) -> str:
    if ligne.code in tableau.revises:
        return f" · **{et.REVISE}**"
    return f" · {et.PROVISOIRE}" if tableau.provisoire else ""


def _carte_synthese(ligne: LigneIndicateur, tableau: TableauDeBord) -> None:
    with st.container(border=True, key=f"comite_carte_{ligne.code.replace('.', '-')}"):
        st.metric(ligne.titre or ligne.libelle, formats.valeur(ligne.reel, ligne.unite),
                  help=comite.aide(ligne))  # fmt: skip
        if ligne.cible is not None:
            # Deux cibles (10 000 et 11 199) : les deux chiffres, leurs sources dans l'aide.
            cible, attendu = comite.lignes_indicateurs([ligne])[0][3:5]
            st.markdown(f"Cible {cible} ({ligne.periode_cible})  \nAttendu à date {attendu}")
            if ligne.autres_cibles:  # deux cibles : chacune avec sa source
                st.caption(f"Sources : {textes.texte_sources(ligne)}")
        else:
            st.markdown("Pas de cible chiffrée")
        statut = comite.statut_affiche(ligne.statut, ligne.nature_cible, ligne.regle_cible)
        st.markdown(f"**{statut}**  \n"
                    f"{formats.donnees_de(ligne.donnees_au)}{_marque(ligne, tableau)}")  # fmt: skip


def _synthese(tableau: TableauDeBord, _diapo: Diapo, _utilisateur: Utilisateur) -> list[str]:
    lignes = list(tableau.synthese)
    for debut in range(0, len(lignes), COLONNES_SYNTHESE):
        colonnes = st.columns(COLONNES_SYNTHESE)
        for colonne, ligne in zip(colonnes, lignes[debut : debut + COLONNES_SYNTHESE],
                                  strict=False):  # fmt: skip
            with colonne:
                _carte_synthese(ligne, tableau)
    if tableau.changements:
        codes = ", ".join(i.code for i in tableau.changements)
        st.markdown(f"Changements de statut depuis l'édition précédente : {codes} "
                    "(diapositive Alertes).")  # fmt: skip
    if tableau.evenements:
        st.markdown("Événements du mois : " + " ; ".join(
            f"{e.libelle_type} — {formats.texte_brut(e.libelle)}"
            for e in tableau.evenements))  # fmt: skip
    return comite.definitions(tableau, (i.code for i in lignes))


def _objectif(tableau: TableauDeBord, diapo: Diapo, _utilisateur: Utilisateur) -> list[str]:
    resume = comite.resume_objectif(tableau, diapo.cle)
    if not resume.lignes:
        st.markdown("Aucun indicateur de cet objectif n'est suivi à ce niveau territorial.")
        return []
    barre = comite.barre_objectif(tableau, resume)
    st.html(barres.html_barre(barre, classe="comite-comptes"))
    st.html(comite.table_html(comite.ENTETES_INDICATEURS, comite.lignes_indicateurs(resume.lignes),
                              sans_coupure=comite.SANS_COUPURE_INDICATEURS))  # fmt: skip
    for note in comite.notes_cibles(resume.lignes):
        st.caption(note)
    if resume.autres:
        st.markdown(comite.texte_autres(resume.autres).replace("+", "\\+", 1))
    return comite.definitions(tableau, (i.code for i in resume.lignes))


def _territoires(tableau: TableauDeBord, _diapo: Diapo, _utilisateur: Utilisateur) -> list[str]:
    grille = comite.grille_territoires(tableau)
    if not grille.lignes:
        st.markdown("Aucune cible du §4 pour cette période.")
        return []
    st.markdown(f"Objectifs du §4 du PDIE, période **{grille.periode}** : réalisé sur cible, "
                "valeur attendue à la date et statut.")  # fmt: skip
    entetes = ("Territoire", *(rubrique for _, rubrique in grille.rubriques))
    lignes = [[libelle, *(comite.texte_case(c) for c in cases)] for libelle, cases in grille.lignes]
    st.html(comite.table_html(entetes, lignes))
    st.markdown(EXPLICATION_OO2)
    return comite.definitions(tableau, (code for code, _ in grille.rubriques))


def _carte(tableau: TableauDeBord, _diapo: Diapo, _utilisateur: Utilisateur) -> list[str]:
    cases = comite.statuts_carte(tableau)
    periode = next((c.periode for c in cases.values()), "")
    titre = f"Accès à l'emploi ({comite.INDICATEUR_CARTE}), objectifs du §4, période {periode}"
    lignes = [[c.libelle_territoire, comite.texte_case(c)] for c in cases.values()]
    # En séance, pas de phrase sous la carte (la diapositive doit tenir dans l'écran) : elle
    # nomme la carte pour les lecteurs d'écran, et le tableau voisin en donne les chiffres.
    carte = resumes.decrire(comite.build_carte(tableau, read_geojson("territoires_67.geojson")),
                            resumes.statuts([(t, x) for t, x in lignes], sujet=titre))  # fmt: skip
    gauche, droite = st.columns([3, 2], vertical_alignment="center")
    with gauche, st.container(key="comite_carte"):
        st.altair_chart(carte, width="stretch", height="stretch")
    with droite:
        st.markdown(f"**{titre}**")
        st.html(comite.table_html(("Territoire", "Réalisé sur cible et statut"), lignes))
        st.caption(f"{ATTRIBUTION} · {A_CONFIRMER}.")
    return comite.definitions(tableau, [comite.INDICATEUR_CARTE])


SANS_MOYENS_FIGES = (
    "Cette édition a été publiée avant que les moyens et résultats n'y soient figés : elle ne "
    "les montre pas. Les chiffres en direct sont sur la page Moyens et résultats."
)


def _moyens_lus(tableau: TableauDeBord, utilisateur: Utilisateur) -> MoyensEdition | None:
    """Ceux de l'édition, figés à sa publication ; en direct, lus maintenant (même borne)."""
    if tableau.publication is not None:
        return moyens_figes.pour(tableau.moyens, utilisateur.perimetre)
    return editions.moyens_direct(tableau.mois, tableau.territoire, utilisateur.perimetre)


def _entete_moyens(tableau: TableauDeBord, lus: MoyensEdition) -> str:
    """Ce que montre la diapositive : figé ou en direct, l'année des moyens, la borne du mois."""
    portee = (f"{tableau.libelle_territoire} · moyens de l'année {lus.annee}, résultats des "
              f"périodes closes à fin {formats.periode(lus.jusqu_a)}.")  # fmt: skip
    if tableau.publication is not None:
        return f"**Chiffres figés à la publication de l'édition** : {portee}"
    maintenant = datetime.now(UTC).isoformat(timespec="minutes")
    return (
        f"**Données en direct, lues le {formats.date_longue(maintenant)}**, non figées : {portee}"
    )


def _moyens(tableau: TableauDeBord, _diapo: Diapo, utilisateur: Utilisateur) -> list[str]:
    """Les moyens de l'année face aux résultats connus à la fin du mois présenté : dans une
    édition, ceux figés à sa publication (jamais l'année lue le jour de la séance) ; en direct,
    ceux du moment, dits « en direct »."""
    lus = _moyens_lus(tableau, utilisateur)
    if lus is None:
        st.markdown(SANS_MOYENS_FIGES)
        return []
    if lus.annee is None:
        st.markdown("Aucun moyen ni aucune valeur à cette date : rien à rapprocher.")
        return []
    # Les sources figées sont des noms de fichier : l'élu lit le nom du document.
    chiffres = [(p.libelle, p.texte, sources.lisible(p.explication)) for p in lus.parts]
    chiffres += [(f"ETP {e.partenaire}", formats.etp(e.etp), "ETP de la convention MDE 2020")
                 for e in lus.etp]  # fmt: skip
    with st.container(horizontal=True, vertical_alignment="center", gap="medium", wrap=False):
        st.markdown(_entete_moyens(tableau, lus), width="stretch")
        for libelle, valeur, aide in chiffres:
            st.metric(libelle, valeur, help=aide, width="content")
    if lus.ratios:
        st.html(comite.table_html(comite.ENTETES_RATIOS, comite.lignes_ratios(lus.ratios),
                                  sans_coupure=()))  # fmt: skip
    else:
        st.markdown("Aucun moyen rapproché d'un résultat pour ce territoire.")
    st.caption(calc.RAPPEL_COLLECTIF)
    return [comite.aide_ratio(r) for r in lus.ratios]


def _alertes(tableau: TableauDeBord, _diapo: Diapo, _utilisateur: Utilisateur) -> list[str]:
    montrees, autres = comite.alertes(tableau)
    if not montrees:
        st.markdown("Aucun indicateur en retard.")
    for ligne in montrees:
        st.html(comite.alerte_html(ligne))
    if autres:
        st.markdown(f"\\+ {autres} autre(s) alerte(s) : onglet « Alertes » du tableau de bord.")
    if tableau.changements:
        changes = " ; ".join(
            f"{i.code} : {comite.statut_affiche(i.statut_precedent)} → "
            f"{comite.statut_affiche(i.statut, i.nature_cible, i.regle_cible)}"
            for i in tableau.changements[:4]
        )  # fmt: skip
        st.markdown(f"Changements de statut depuis l'édition précédente : {changes}")
    return comite.definitions(tableau, (i.code for i in montrees))
