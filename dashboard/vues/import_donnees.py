"""Rendu de la page « Import » : déposer, contrôler, voir l'aperçu, confirmer ; historique des lots.

Le contrôle, l'aperçu, l'écriture et l'annulation sont dans `data_access.imports` ; ici, des
tableaux en français (fonctions `build_*`, sans Streamlit, testées sans navigateur) et leur rendu.
Après une écriture ou une annulation, les caches de lecture sont vidés : toutes les pages
montrent aussitôt les nouveaux chiffres. Les erreurs attendues (fichier refusé, lot non
annulable) sont dites en français ; toute autre remonte à `erreurs.frontiere`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import PurePath

import pandas as pd
import streamlit as st

from config.settings import DOSSIER_CONFIG
from dashboard import apparence, formats
from dashboard.auth import Utilisateur
from dashboard.donnees import import_donnees as donnees_import
from dashboard.exports import en_csv, modele_import
from data_access import imports, valeurs
from data_access.droits import DroitRefuse
from data_access.fichiers_import import (
    ConfigImport,
    ConfigImportInvalide,
    ErreurImport,
    ImportRefuse,
    read_config_import,
)

FORMAT = DOSSIER_CONFIG / "FORMAT_IMPORT.md"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERREURS_EN_CLAIR = 10  # les premières erreurs écrites en toutes lettres, le reste en tableau
LOTS_ANNULABLES_MONTRES = 20
FUSEAU = "Europe/Paris"
_UPLOAD = "import_depot"  # compteur : changer la clé du dépôt le vide après un import
_APERCU = "import_apercu"  # (empreinte, correction) → aperçu, pour ne pas recontrôler à chaque clic
_MESSAGE = "import_message"  # message de réussite montré après le rechargement
_A_ANNULER = "import_lot_a_annuler"
STATUTS_LOT = {"valide": "en vigueur", "annule": "annulé"}
STATUTS_VALEUR = {"provisoire": "provisoire", "definitif": "définitif"}


def _nombre(x: object) -> str:
    """Un nombre tel qu'il a été saisi (jusqu'à 6 décimales), « – » s'il manque."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return formats.MANQUANT
    valeur = float(x)  # type: ignore[arg-type]
    decimales = len(f"{valeur:.6f}".rstrip("0").split(".")[1])
    return formats.nombre(valeur, decimales)


def build_aide_format(document: str) -> str:
    """`config/FORMAT_IMPORT.md` pour la page : sans son titre (l'encadré a le sien), et ses
    intertitres descendus de deux niveaux, pour ne pas dominer le titre de la page."""
    corps = document.split("\n", 1)[1] if document.startswith("# ") else document
    return re.sub(r"^(#{2,4}) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", corps, flags=re.M)


def build_tableau_erreurs(erreurs: Sequence[ErreurImport]) -> pd.DataFrame:
    """Une ligne par erreur : ligne du fichier, colonne, message."""
    return pd.DataFrame(
        {
            "Ligne": [e.ligne if e.ligne is not None else "—" for e in erreurs],
            "Colonne": [e.colonne or "—" for e in erreurs],
            "Erreur": [e.message for e in erreurs],
        }
    ).astype({"Ligne": "string"})


def build_resume_erreurs(erreurs: Sequence[ErreurImport], limite: int = ERREURS_EN_CLAIR) -> str:
    """Les premières erreurs en liste Markdown, lisibles sans ouvrir le tableau."""
    # Un message cite le contenu du fichier (valeur, en-tête) : texte brut.
    lignes = [f"- {_lieu(e)}{formats.texte_brut(e.message)}" for e in erreurs[:limite]]
    if len(erreurs) > limite:
        lignes.append(f"- … et {len(erreurs) - limite} autre(s) : voir le tableau ci-dessous")
    return "\n".join(lignes)


def _lieu(e: ErreurImport) -> str:
    if e.ligne is None:
        return ""
    colonne = f", colonne {formats.texte_brut(e.colonne)}" if e.colonne else ""
    return f"ligne {e.ligne}{colonne} : "


def build_tableau_lignes(apercu: imports.Apercu, etat: str) -> pd.DataFrame:
    """Les lignes ajoutées, ou modifiées avec l'ancienne et la nouvelle valeur."""
    lignes = apercu.par_etat(etat)
    tableau = pd.DataFrame({
        "Ligne": lignes.index.astype(int),
        "Indicateur": lignes["indicateur"],
        "Territoire": lignes["territoire"],
        "Période": lignes["periode"],
    })  # fmt: skip
    if etat == valeurs.MODIFIEE:
        tableau["Ancienne valeur"] = lignes["ancien_valeur"].map(_nombre)
    tableau["Nouvelle valeur" if etat == valeurs.MODIFIEE else "Valeur"] = lignes["valeur"].map(
        _nombre
    )
    if etat == valeurs.MODIFIEE:
        tableau["Ancien statut"] = lignes["ancien_statut"].map(STATUTS_VALEUR)
    tableau["Statut"] = lignes["statut"].map(STATUTS_VALEUR)
    return tableau.reset_index(drop=True)


def build_tableau_non_fournies(apercu: imports.Apercu) -> pd.DataFrame:
    """Les lignes laissées sans valeur (modèle en partie rempli) : ignorées, mais montrées,
    pour qu'un oubli se voie avant de confirmer."""
    lignes = apercu.non_fournies
    return pd.DataFrame({
        "Ligne": lignes["ligne"].astype(int),
        "Indicateur": lignes["indicateur"],
        "Territoire": lignes["territoire"],
        "Période": lignes["periode"],
    }).reset_index(drop=True)  # fmt: skip


def render_non_fournies(apercu: imports.Apercu) -> None:
    """Le compte des lignes non fournies, et leur liste dans un encadré replié."""
    n = len(apercu.non_fournies)
    if not n:
        return
    with st.expander(f"Lignes non fournies (valeur vide, ignorées) : {formats.nombre(n)}"):
        st.dataframe(build_tableau_non_fournies(apercu), hide_index=True, width="stretch")


def build_tableau_lots(lots: pd.DataFrame) -> pd.DataFrame:
    """L'historique des lots, en français, du plus récent au plus ancien."""
    return pd.DataFrame({
        "Lot": lots["lot"],
        "Date": _dates(lots["cree_le"]),
        "Auteur": lots["auteur"],
        "Fichier": [f or lib for f, lib in zip(lots["fichier"], lots["libelle"], strict=True)],
        "Ajoutées": lots["ajoutees"],
        "Modifiées": lots["modifiees"],
        "Identiques": lots["identiques"],
        "Statut": lots["statut"].map(lambda s: STATUTS_LOT.get(s, s)),
        "Annulation": ["possible" if a else m for a, m in
                       zip(lots["annulable"], lots["motif"], strict=True)],
    })  # fmt: skip


def build_tableau_journal(journal: pd.DataFrame) -> pd.DataFrame:
    """Le journal d'audit : qui a fait quoi, quand."""
    return pd.DataFrame({
        "Date": _dates(journal["quand"]), "Qui": journal["qui"], "Action": journal["action"],
        "Objet": journal["objet"], "Détail": journal["detail"],
    })  # fmt: skip


def _dates(serie: pd.Series) -> list[str]:
    return [f"{d.tz_convert(FUSEAU):%d/%m/%Y %H:%M}" for d in serie]


def message_import(resultat: imports.ResultatImport) -> str:
    """Ce que l'import a fait, ou pourquoi il n'a rien fait."""
    c = resultat.comptes
    if resultat.lot is None and c.identiques == 0:
        return ("Aucune modification : aucune ligne du fichier n'a de valeur (lignes non "
                "fournies). Aucun lot n'a été créé.")  # fmt: skip
    if resultat.lot is None:
        return (f"Aucune modification : les {c.identiques} ligne(s) du fichier sont identiques "
                "aux valeurs en vigueur. Aucun lot n'a été créé.")  # fmt: skip
    return (f"Import enregistré (lot {resultat.lot}) : {c.ajoutees} ligne(s) ajoutée(s), "
            f"{c.modifiees} modifiée(s), {c.identiques} identique(s). Toutes les pages montrent "
            "désormais ces valeurs.")  # fmt: skip


def message_annulation(annulation: imports.Annulation) -> str:
    return (f"Lot {annulation.lot} annulé : {annulation.retirees} valeur(s) retirée(s), "
            f"{annulation.retablies} version(s) précédente(s) rétablie(s).")  # fmt: skip


def consigne_depot(config: ConfigImport) -> str:
    """Ce qu'on dépose, dit en français avec les limites réglées (la boîte de Streamlit les
    annonce en anglais, « Limit 20MB per file »)."""
    taille = formats.nombre(config.taille_max_mo, 1 if config.taille_max_mo % 1 else 0)
    return (
        "Déposez ci-dessous le fichier des indicateurs du mois, au format du modèle (CSV ou "
        f"XLSX, feuille « Valeurs ») : **{taille} Mo** et "
        f"**{formats.nombre(config.lignes_max)} lignes** au plus. Le fichier est d'abord "
        "contrôlé ; rien n'est enregistré avant votre confirmation."
    )


def _cle_depot() -> str:
    return f"import_fichier_{st.session_state.get(_UPLOAD, 0)}"


def render_importer(utilisateur: Utilisateur) -> None:
    """Onglet « Importer » : dépôt, contrôle, erreurs ou aperçu, confirmation."""
    render_message()
    render_aide()
    correction = st.checkbox(
        "Correction d'un mois publié", key="import_correction",
        help="À cocher seulement pour corriger une valeur d'un mois dont le tableau de bord a "
        "déjà été publié ; la correction est notée au journal.",
    )  # fmt: skip
    st.markdown(consigne_depot(read_config_import()))
    fichier = st.file_uploader("Fichier d'indicateurs (CSV ou XLSX)", key=_cle_depot())
    if fichier is not None:
        render_fichier(fichier.name, fichier.getvalue(), correction, utilisateur)


def render_message() -> None:
    """Le compte rendu du dernier import, une fois, après le rechargement qui vide le dépôt."""
    if message := st.session_state.pop(_MESSAGE, None):
        st.success(message, icon=apparence.ICONE_SUCCES)


def render_fichier(nom: str, contenu: bytes, correction: bool, utilisateur: Utilisateur) -> None:
    """Un fichier déposé : ses erreurs, ou son aperçu et le bouton de confirmation."""
    try:
        apercu = _apercu(nom, contenu, correction)
    except ImportRefuse as refus:
        render_refus(nom, refus)
        return
    except ConfigImportInvalide as exc:
        st.error(f"Import impossible : réglage invalide dans {exc}", icon=apparence.ICONE_REGLAGE)
        return
    render_apercu(apercu)
    if not apercu.sans_effet and st.button("Confirmer l'import", type="primary"):
        _confirmer(nom, contenu, correction, apercu, utilisateur)


def render_aide() -> None:
    """Le format attendu et les modèles à télécharger."""
    with st.expander("Format du fichier, modèle à télécharger"):
        modele, territoires = donnees_import.modeles()
        gauche, milieu, droite = st.columns(3)
        gauche.download_button("Modèle d'import (CSV)", en_csv.to_csv_bytes(modele),
                               file_name="modele_import.csv", mime=en_csv.TYPE_MIME,
                               on_click="ignore")  # fmt: skip
        milieu.download_button("Modèle d'import (XLSX)",
                               modele_import.to_xlsx_modele(modele, territoires),
                               file_name="modele_import.xlsx", mime=TYPE_XLSX,
                               on_click="ignore")  # fmt: skip
        droite.download_button("Codes des territoires (CSV)", en_csv.to_csv_bytes(territoires),
                               file_name="codes_territoires.csv", mime=en_csv.TYPE_MIME,
                               on_click="ignore")  # fmt: skip
        st.markdown(build_aide_format(FORMAT.read_text(encoding="utf-8")))


def _apercu(nom: str, contenu: bytes, correction: bool) -> imports.Apercu:
    """L'aperçu du fichier, gardé en session tant que ni le fichier ni la case ne changent."""
    memoire = st.session_state.get(_APERCU)
    cle = (nom, hash(contenu), correction)
    if memoire is not None and memoire[0] == cle:
        return memoire[1]
    apercu = donnees_import.apercu(nom, contenu, correction)
    st.session_state[_APERCU] = (cle, apercu)
    return apercu


def render_refus(nom: str, refus: ImportRefuse) -> None:
    """Le fichier est refusé : les erreurs, en clair puis en tableau, et le rapport à corriger."""
    n = len(refus.erreurs)
    entete = (f"**Fichier refusé : {n} erreur(s).** Rien n'a été importé. Corrigez le fichier "
              "puis déposez-le de nouveau.")  # fmt: skip
    st.error(entete + "\n\n" + build_resume_erreurs(refus.erreurs), icon=apparence.ICONE_REFUS)
    st.dataframe(build_tableau_erreurs(refus.erreurs), hide_index=True, width="stretch")
    rapport = imports.build_rapport_erreurs(refus.erreurs, refus.lu)
    st.download_button(
        "Télécharger le rapport d'erreurs (CSV)", en_csv.to_csv_bytes(rapport),
        file_name=f"{PurePath(nom).stem}_erreurs.csv", mime=en_csv.TYPE_MIME,
        on_click="ignore",
        help="Les lignes du fichier avec une colonne « erreur » : corrigez-les dans ce fichier, "
        "puis déposez-le (les colonnes « ligne » et « erreur » sont ignorées).",
    )  # fmt: skip


def render_apercu(apercu: imports.Apercu) -> None:
    """Ce que l'import ferait, avant confirmation."""
    c = apercu.comptes
    st.info(
        f"Fichier valide ({apercu.format}). Vérifiez l'aperçu, puis confirmez.",
        icon=apparence.ICONE_APERCU,
    )
    ajoutees, modifiees, identiques = st.columns(3)
    ajoutees.metric("Lignes ajoutées", formats.nombre(c.ajoutees))
    modifiees.metric("Lignes modifiées", formats.nombre(c.modifiees))
    identiques.metric("Lignes identiques", formats.nombre(c.identiques))
    if apercu.colonnes_ignorees:
        st.caption(
            "Colonnes ignorées : " + ", ".join(map(formats.texte_brut, apercu.colonnes_ignorees))
        )
    if apercu.deja_importe is not None:
        st.caption(f"Ce contenu a déjà été importé (lot {apercu.deja_importe}).")
    if apercu.correction and apercu.mois_publies:
        mois = ", ".join(apercu.mois_publies)
        st.warning(f"Correction de mois publiés : {mois}. Les chiffres de ces mois changeront "
                   "par rapport à leur publication.", icon=apparence.ICONE_CORRECTION)  # fmt: skip
    render_non_fournies(apercu)
    if apercu.sans_effet:
        st.info(message_import(imports.ResultatImport(None, c, apercu)), icon=apparence.ICONE_INFO)
        return
    for etat, titre in ((valeurs.MODIFIEE, "Lignes modifiées (ancienne → nouvelle valeur)"),
                        (valeurs.AJOUTEE, "Lignes ajoutées")):  # fmt: skip
        if len(apercu.par_etat(etat)):
            st.markdown(f"**{titre}**")
            st.dataframe(build_tableau_lignes(apercu, etat), hide_index=True, width="stretch")


def _confirmer(
    nom: str, contenu: bytes, correction: bool, apercu: imports.Apercu, utilisateur: Utilisateur
) -> None:
    """Écrit le lot (nouveau contrôle sous verrou), vide les caches, repart d'un dépôt vide."""
    try:
        resultat = donnees_import.importer(
            nom, contenu, acteur=utilisateur, correction=correction, attendu=apercu.comptes,
        )  # fmt: skip
    except ImportRefuse as refus:
        st.session_state.pop(_APERCU, None)
        render_refus(nom, refus)
        return
    except DroitRefuse as exc:
        st.error(f"Fichier non importé. {exc}", icon=apparence.ICONE_VERROU)
        return
    st.session_state[_MESSAGE] = message_import(resultat)
    st.session_state[_UPLOAD] = st.session_state.get(_UPLOAD, 0) + 1
    st.session_state.pop(_APERCU, None)
    st.rerun()


def render_historique(utilisateur: Utilisateur) -> None:
    """Onglet « Historique » : lots, annulation confirmée d'un lot, journal d'audit."""
    if message := st.session_state.pop(f"{_MESSAGE}_annulation", None):
        st.success(message, icon=apparence.ICONE_ANNULER)
    lots, journal = donnees_import.historique()
    st.markdown("**Lots d'import**")
    st.dataframe(build_tableau_lots(lots), hide_index=True, width="stretch")
    render_annulation(lots[lots["annulable"]].head(LOTS_ANNULABLES_MONTRES), utilisateur)
    st.markdown("**Journal d'audit**")
    st.dataframe(build_tableau_journal(journal), hide_index=True, width="stretch")


def render_annulation(annulables: pd.DataFrame, utilisateur: Utilisateur) -> None:
    """Un bouton par lot annulable ; l'annulation demande une confirmation."""
    if annulables.empty:
        st.caption("Aucun lot ne peut être annulé : un lot s'annule tant qu'aucune de ses valeurs "
                   "n'a été remplacée par un import plus récent.")  # fmt: skip
        return
    demande = st.session_state.get(_A_ANNULER)
    for lot in annulables.itertuples():
        texte, bouton = st.columns([5, 1])
        # Nom de fichier et auteur viennent de personnes : texte brut, jamais du Markdown.
        texte.markdown(f"Lot {lot.lot} · {formats.texte_brut(lot.fichier or lot.libelle)} · "
                       f"{_dates(pd.Series([lot.cree_le]))[0]} · "
                       f"{formats.texte_brut(lot.auteur)}")  # fmt: skip
        if bouton.button("Annuler…", key=f"import_annuler_{lot.lot}"):
            st.session_state[_A_ANNULER] = demande = int(lot.lot)
        if demande == lot.lot:
            _confirmer_annulation(lot, utilisateur)


def _confirmer_annulation(lot: object, utilisateur: Utilisateur) -> None:
    numero = int(lot.lot)  # type: ignore[attr-defined]
    st.warning(f"Annuler le lot {numero} ? Ses valeurs cesseront d'être en vigueur et les "
               "valeurs précédentes seront rétablies (rien n'est effacé : le lot reste dans "
               "l'historique).", icon=apparence.ICONE_ATTENTION)  # fmt: skip
    oui, non = st.columns(2)
    if non.button("Ne pas annuler", key=f"import_garder_{numero}"):
        st.session_state.pop(_A_ANNULER, None)
        st.rerun()
    if oui.button(f"Confirmer l'annulation du lot {numero}", type="primary",
                  key=f"import_confirmer_annulation_{numero}"):  # fmt: skip
        try:
            annulation = donnees_import.annuler(numero, acteur=utilisateur)
        except imports.AnnulationImpossible as exc:
            st.error(f"Annulation impossible : {exc}.", icon=apparence.ICONE_REFUS)
            return
        except DroitRefuse as exc:
            st.error(str(exc), icon=apparence.ICONE_VERROU)
            return
        st.session_state.pop(_APERCU, None)  # un aperçu calculé avant l'annulation est périmé
        st.session_state.pop(_A_ANNULER, None)
        st.session_state[f"{_MESSAGE}_annulation"] = message_annulation(annulation)
        st.rerun()
