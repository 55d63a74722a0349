"""Le tableau de bord à plat : une table par section, prêtes pour le CSV, l'XLSX et le PDF.

Les trois exports d'une édition (et de la vue en direct) lisent les mêmes tables, construites ici à
partir du contenu (`dashboard.tableau_de_bord.contenu`) : un chiffre ne peut pas dire une chose dans
le PDF et une autre dans le tableur. Les nombres restent des nombres (le CSV et l'XLSX les écrivent
à la française) ; les statuts et périodes sont déjà en mots.

Le CSV d'une édition ne dépend que de son contenu figé : deux exports d'une même édition sont
identiques octet pour octet, quelles que soient les révisions importées depuis. Ce module ne
connaît aucun format de fichier : `fichiers` choisit le format au-dessus d'eux.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard import formats
from dashboard.modeles import natures_cibles
from dashboard.modeles.synthese import libelle_statut
from dashboard.tableau_de_bord.contenu import LigneIndicateur, TableauDeBord

PROVISOIRE = "provisoire"
REVISE = "révisé depuis la publication"

SECTIONS = ("Synthèse", "Territoires", "Changements de statut", "Alertes", "Indicateurs",
            "Événements")  # fmt: skip

COLONNES_INDICATEURS = [
    "Code", "Indicateur", "Objectif stratégique", "Unité", "Réalisé", "Cible",
    "Période de la cible", "Attendu à date", "Statut", "Statut précédent", "Période des données",
    "Commentaire", "Définition", "Source",
]  # fmt: skip
COLONNES_TERRITOIRES = ["Territoire", "Rubrique", "Période", "Réalisé", "Cible", "Attendu à date",
                        "Statut", "Période des données"]  # fmt: skip
COLONNES_EVENEMENTS = ["Mois", "Type", "Événement", "Territoire", "Indicateurs"]


def etat_edition(tableau: TableauDeBord) -> str:
    """« publiée le 3 juillet 2019 à 12 h 05 par pilotage » ou « provisoire »."""
    if tableau.publication is None:
        return PROVISOIRE
    pub = tableau.publication
    demo = " (démonstration)" if pub.demonstration else ""
    return f"publiée le {formats.date_longue(pub.publie_le)} par {pub.publie_par}{demo}"


def _periode(code: str) -> str:
    return formats.periode(code) if code else ""


def _commentaire(ligne: LigneIndicateur) -> str:
    if not ligne.commentaire:
        return ""
    demo = " (démonstration)" if ligne.commentaire_demo else ""
    return f"{ligne.commentaire} — {ligne.commentaire_auteur}{demo}"


def _statut(statut: str, nature: str = "", regle: str = "") -> str:
    """Le statut en mots ; un repère dit la nature de sa cible : « repère (plafond) »."""
    return natures_cibles.mot_statut(statut, nature, regle) or "sans trajectoire"


def table_indicateurs(lignes: Iterable[LigneIndicateur], titres: bool = False) -> pd.DataFrame:
    """Une ligne par indicateur ; `titres` : la première colonne est le titre de la carte."""
    rangs = [
        {
            "Code": i.code,
            "Indicateur": i.titre if titres and i.titre else i.libelle,
            "Objectif stratégique": i.objectif,
            "Unité": i.unite,
            "Réalisé": i.reel,
            "Cible": i.cible,
            "Période de la cible": i.periode_cible,
            "Attendu à date": formats.arrondi(i.attendu, i.unite),
            "Statut": _statut(i.statut, i.nature_cible, i.regle_cible),
            "Statut précédent": _statut(i.statut_precedent) if i.statut_precedent else "",
            "Période des données": _periode(i.donnees_au),
            "Commentaire": _commentaire(i),
            "Définition": i.definition,
            "Source": i.source_cible or i.source,
        }
        for i in lignes
    ]
    return pd.DataFrame(rangs, columns=COLONNES_INDICATEURS)


def table_territoires(tableau: TableauDeBord) -> pd.DataFrame:
    rangs = [
        {
            "Territoire": t.libelle_territoire,
            "Rubrique": t.rubrique,
            "Période": t.periode,
            "Réalisé": t.reel,
            "Cible": t.cible,
            "Attendu à date": formats.arrondi(t.attendu, ""),
            "Statut": _statut(t.statut),
            "Période des données": _periode(t.donnees_au),
        }
        for t in tableau.territoires
    ]
    return pd.DataFrame(rangs, columns=COLONNES_TERRITOIRES)


def table_evenements(tableau: TableauDeBord) -> pd.DataFrame:
    rangs = [
        {
            "Mois": formats.periode(e.mois),
            "Type": e.libelle_type,
            "Événement": e.libelle,
            "Territoire": e.territoire,
            "Indicateurs": e.indicateurs,
        }
        for e in tableau.evenements
    ]
    return pd.DataFrame(rangs, columns=COLONNES_EVENEMENTS)


def tables(tableau: TableauDeBord) -> dict[str, pd.DataFrame]:
    """Les sections du tableau de bord, dans l'ordre de `SECTIONS`."""
    return {
        "Synthèse": table_indicateurs(tableau.synthese, titres=True),
        "Territoires": table_territoires(tableau),
        "Changements de statut": table_indicateurs(tableau.changements),
        "Alertes": table_indicateurs(tableau.alertes),
        "Indicateurs": table_indicateurs(tableau.indicateurs),
        "Événements": table_evenements(tableau),
    }


def table_unique(tableau: TableauDeBord) -> pd.DataFrame:
    """Toutes les sections en une table (le CSV) : chaque ligne dit sa section, le mois, le
    territoire et l'état de l'édition ; une ligne révisée depuis la publication le dit."""
    morceaux = []
    for section, table in tables(tableau).items():
        if table.empty:
            continue
        tete = pd.DataFrame({
            "Section": section,
            "Tableau de bord": formats.periode(tableau.mois),
            "Périmètre": tableau.libelle_territoire,
            "Édition": etat_edition(tableau),
        }, index=table.index)  # fmt: skip
        morceaux.append(pd.concat([tete, table], axis=1))
    if not morceaux:
        return pd.DataFrame(columns=["Section", "Tableau de bord", "Périmètre", "Édition"])
    cadre = pd.concat(morceaux, ignore_index=True)
    if tableau.revises and "Code" in cadre:
        cadre["Révision"] = [REVISE if c in tableau.revises else "" for c in cadre["Code"]]
    return cadre


def table_affichee(lignes: Iterable[LigneIndicateur], revises: Iterable[str] = ()) -> pd.DataFrame:
    """Les indicateurs en texte français, pour l'écran : « 9 413 », « 45,2 % », « juin 2019 » ;
    un chiffre révisé depuis la publication le dit dans sa colonne « Révision »."""
    marques = set(revises)
    rangs = [
        {
            "Code": i.code,
            "Indicateur": i.titre or i.libelle,
            "Réalisé": formats.valeur(i.reel, i.unite),
            "Cible": formats.valeur(i.cible, i.unite) if i.cible is not None else "aucune",
            "Attendu à date": formats.valeur(formats.arrondi(i.attendu, i.unite), i.unite),
            "Statut": (
                libelle_statut(i.statut, i.nature_cible, i.regle_cible)
                if i.statut
                else "sans trajectoire"
            ),
            "Période des données": _periode(i.donnees_au) or formats.AUCUNE_DONNEE,
            "Commentaire": _commentaire(i),
            "Révision": REVISE if i.code in marques else "",
        }
        for i in lignes
    ]
    cadre = pd.DataFrame(rangs)
    if not marques and not cadre.empty:
        cadre = cadre.drop(columns="Révision")
    return cadre


def territoires_affiches(tableau: TableauDeBord) -> pd.DataFrame:
    """Le tableau du §4 en texte français, pour l'écran."""
    rangs = [
        {
            "Territoire": t.libelle_territoire,
            "Rubrique": t.rubrique,
            "Période": t.periode,
            "Réalisé": formats.valeur(t.reel, ""),
            "Cible": formats.valeur(t.cible, ""),
            "Attendu à date": formats.valeur(formats.arrondi(t.attendu, ""), ""),
            "Statut": libelle_statut(t.statut) if t.statut else "sans trajectoire",
        }
        for t in tableau.territoires
    ]
    return pd.DataFrame(rangs)
