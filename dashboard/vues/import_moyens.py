"""Onglet « Moyens (ETP, budgets) » de la page Import : déposer un fichier de ressources, le
contrôler, voir l'aperçu, confirmer.

Même parcours que les indicateurs (`vues.import_donnees`) : toutes les erreurs en français avec
leur ligne et leur colonne, un aperçu (ajouts, modifications ancienne → nouvelle valeur), une
confirmation qui écrit un lot ; le lot paraît dans l'onglet « Historique » et s'y annule comme un
lot d'indicateurs. Format : `config/referentiel/FORMAT_RESSOURCES.md`, montré sur la page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from config.settings import DOSSIER_CONFIG
from dashboard import apparence, formats
from dashboard.auth import Utilisateur
from dashboard.donnees import import_moyens as donnees_import
from dashboard.donnees import moyens as donnees_moyens
from dashboard.vues import import_donnees as vue_import
from data_access import import_ressources
from data_access.droits import DroitRefuse
from data_access.fichiers_import import ImportRefuse

FORMAT = DOSSIER_CONFIG / "referentiel" / "FORMAT_RESSOURCES.md"
_DEPOT = "moyens_depot"  # compteur : changer la clé du dépôt le vide après un import
_MESSAGE = "moyens_message"
TYPES = {"etp": "ETP", "effectif": "effectif", "budget": "budget"}


def build_tableau_lignes(
    apercu: import_ressources.ApercuRessources, etat: str, noms: dict[str, str]
) -> pd.DataFrame:
    """Les moyens ajoutés, ou modifiés avec l'ancienne et la nouvelle valeur ; le territoire
    par son nom."""
    lignes = apercu.par_etat(etat)
    tableau = pd.DataFrame({
        "Ligne": lignes.index.astype(int),  # numéro de ligne du fichier (en-tête : 1)
        "Code": lignes["code"].to_numpy(),
        "Type": lignes["type"].map(lambda t: TYPES.get(str(t), str(t))).to_numpy(),
        "Territoire": [noms.get(str(t), str(t)) for t in lignes["territoire"]],
        "Année": [formats.MANQUANT if pd.isna(a) else str(a) for a in lignes["annee"]],
    })  # fmt: skip
    if etat == import_ressources.MODIFIEE:
        tableau["Ancienne valeur"] = [_valeur(v, u) for v, u in
                                      zip(lignes["ancien_valeur"], lignes["ancien_unite"],
                                          strict=True)]  # fmt: skip
    tableau["Valeur"] = [_valeur(v, u) for v, u in zip(lignes["valeur"], lignes["unite"],
                                                       strict=True)]  # fmt: skip
    tableau["Formulation"] = lignes["texte"].to_numpy()
    return tableau.reset_index(drop=True)


def _valeur(x: object, unite: object) -> str:
    if x is None or pd.isna(x):  # type: ignore[arg-type]
        return formats.MANQUANT
    return f"{formats.nombre(float(x), 2).rstrip('0').rstrip(',')} {unite or ''}".strip()  # type: ignore[arg-type]


def message_import(resultat: import_ressources.ResultatRessources) -> str:
    """Ce que l'import a fait, ou pourquoi il n'a rien fait."""
    c = resultat.comptes
    if resultat.lot is None:
        return (f"Aucune modification : les {c.identiques} moyen(s) du fichier sont identiques "
                "à ceux en base. Aucun lot n'a été créé.")  # fmt: skip
    return (f"Moyens enregistrés (lot {resultat.lot}) : {c.ajoutees} ajouté(s), {c.modifiees} "
            f"modifié(s), {c.identiques} identique(s). La page « Moyens et résultats » les "
            "montre désormais ; le lot s'annule dans l'onglet « Historique ».")  # fmt: skip


def render_importer_moyens(utilisateur: Utilisateur) -> None:
    """L'onglet : ce qu'il faut déposer, le format, le dépôt, puis erreurs ou aperçu."""
    if message := st.session_state.pop(_MESSAGE, None):
        st.success(message, icon=apparence.ICONE_SUCCES)
    st.markdown(
        "Déposez ici un **fichier de moyens** : les ETP, effectifs et budgets d'une année par "
        "territoire (CSV, séparateur « ; »). Les ETP rattachés à l'objectif OO2 d'un "
        "territoire d'action alimentent le graphique « ETP et retours à l'emploi » de la page "
        "Moyens et résultats."
    )
    with st.expander("Format du fichier de moyens"):
        st.markdown(vue_import.build_aide_format(FORMAT.read_text(encoding="utf-8")))
    cle = f"moyens_fichier_{st.session_state.get(_DEPOT, 0)}"
    fichier = st.file_uploader("Fichier de moyens (CSV)", key=cle, type=["csv", "txt"])
    if fichier is not None:
        render_fichier_moyens(fichier.name, fichier.getvalue(), utilisateur)


def render_fichier_moyens(nom: str, contenu: bytes, utilisateur: Utilisateur) -> None:
    """Un fichier déposé : ses erreurs, ou son aperçu et le bouton de confirmation."""
    try:
        apercu = donnees_import.apercu(nom, contenu)
    except ImportRefuse as refus:
        vue_import.render_refus(nom, refus)
        return
    c = apercu.comptes
    st.info("Fichier valide. Vérifiez l'aperçu, puis confirmez.", icon=apparence.ICONE_APERCU)
    ajoutes, modifies, identiques = st.columns(3)
    ajoutes.metric("Moyens ajoutés", formats.nombre(c.ajoutees))
    modifies.metric("Moyens modifiés", formats.nombre(c.modifiees))
    identiques.metric("Moyens identiques", formats.nombre(c.identiques))
    if apercu.deja_importe is not None:
        st.caption(f"Ce contenu a déjà été importé (lot {apercu.deja_importe}).")
    if apercu.sans_effet:
        st.info("Aucune modification : rien ne sera écrit.", icon=apparence.ICONE_INFO)
        return
    _, _, noms = donnees_moyens.territoires_action(None)
    for etat, titre in ((import_ressources.MODIFIEE, "Moyens modifiés (ancienne → nouvelle "
                         "valeur)"), (import_ressources.AJOUTEE, "Moyens ajoutés")):  # fmt: skip
        if len(apercu.par_etat(etat)):
            st.markdown(f"**{titre}**")
            st.dataframe(build_tableau_lignes(apercu, etat, noms), hide_index=True,
                         width="stretch")  # fmt: skip
    if st.button("Confirmer l'import des moyens", type="primary", key="moyens_confirmer"):
        _confirmer(nom, contenu, apercu, utilisateur)


def _confirmer(
    nom: str,
    contenu: bytes,
    apercu: import_ressources.ApercuRessources,
    utilisateur: Utilisateur,
) -> None:
    """Écrit le lot (nouveau contrôle sous verrou, droits vérifiés), repart d'un dépôt vide."""
    try:
        resultat = donnees_import.importer(nom, contenu, acteur=utilisateur,
                                           attendu=apercu.comptes)  # fmt: skip
    except ImportRefuse as refus:
        vue_import.render_refus(nom, refus)
        return
    except DroitRefuse as exc:
        st.error(f"Fichier non importé. {exc}", icon=apparence.ICONE_VERROU)
        return
    st.session_state[_MESSAGE] = message_import(resultat)
    st.session_state[_DEPOT] = st.session_state.get(_DEPOT, 0) + 1
    st.rerun()
