"""Le tableau de bord à plat : une table par section, prêtes pour le CSV, l'XLSX et le PDF.

Les trois exports d'une édition (et de la vue en direct) lisent les mêmes tables, construites ici à
partir du contenu (`dashboard.tableau_de_bord.contenu`) : un chiffre ne peut pas dire une chose dans
le PDF et une autre dans le tableur. Les nombres restent des nombres (le CSV et l'XLSX les écrivent
à la française) ; les statuts et périodes sont déjà en mots.

Le CSV d'une édition ne dépend que de son contenu figé : deux exports d'une même édition sont
identiques octet pour octet, quelles que soient les révisions importées depuis. Ce module ne
connaît aucun format de fichier : `fichiers` choisit le format au-dessus d'eux.

Deux formes d'export, selon la version du contenu (`contenu.VERSION_CONTENU`) : une édition
publiée en version 1 s'exporte avec les chiffres publiés (sources en noms de fichiers,
nombres bruts, attendu arrondi au pair : `arrondi_v1`, `texte_nombre`) ; à partir de la version 2
(`forme_2`), chaque nombre est arrondi à la précision de son unité, comme à l'écran
(`formats.arrondi`), les sources sont les noms des documents (`dashboard.sources`), les autres
cibles (11 199 à côté de 10 000) ont leurs colonnes, et un export de données de démonstration le
dit en tête (`MENTION_DEMO`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard import formats, sources
from dashboard.modeles import natures_cibles
from dashboard.modeles.synthese import libelle_statut
from dashboard.tableau_de_bord.contenu import LigneIndicateur, TableauDeBord
from dashboard.tableau_de_bord.textes import texte_cibles

PROVISOIRE = "provisoire"
REVISE = "révisé depuis la publication"
DONNEES_DEMO = "Données de démonstration"
MENTION_DEMO = (f"{DONNEES_DEMO} : valeurs générées pour la démonstration (seules les cibles et "
                "les libellés viennent des documents du plan).")  # fmt: skip
VERSION_FORME_2 = 2  # première version du contenu exportée sous la forme 2 (voir l'en-tête)
AUTRE_CIBLE = "Autre cible"
AUTRE_CIBLE_COLONNES = ("période", "libellé", "attendu à date", "statut", "source")

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


def forme_2(tableau: TableauDeBord) -> bool:
    """Vrai si l'export suit la forme 2 (contenu de version 2 ou plus, dont la vue en direct)."""
    return tableau.version >= VERSION_FORME_2


def demonstration(tableau: TableauDeBord, direct: bool) -> bool:
    """Les chiffres exportés sont-ils de démonstration ? Une édition le sait (elle l'a figé à sa
    publication) ; pour la vue en direct, `direct` (réglage et données de l'application)."""
    if tableau.publication is not None:
        return tableau.publication.demonstration
    return direct


def mention_demo(tableau: TableauDeBord, direct: bool) -> str:
    """« Données de démonstration : … » quand il le faut (forme 2), sinon une chaîne vide."""
    return MENTION_DEMO if forme_2(tableau) and demonstration(tableau, direct) else ""


def arrondi_v1(x: float | None) -> float | None:
    """L'attendu des exports de forme 1 : arrondi au pair à l'unité (le `round` de Python), tel
    qu'il était écrit dans les éditions publiées en version 1."""
    return None if x is None else float(round(x))


def arrondi_v1_taux(x: float | None, unite: str) -> float | None:
    return None if x is None else (round(x, 1) if unite == "%" else arrondi_v1(x))


def texte_nombre(x: float | None, unite: str) -> str:
    """Le texte d'un nombre des tables, sans nouvel arrondi : en forme 2, il est déjà arrondi à
    la précision de son unité (le texte est alors celui de `formats.valeur`, celui de l'écran) ;
    en forme 1, il s'écrit comme au jour de la publication (un compte non entier au dixième)."""
    if unite == "%":
        return formats.pourcentage(x)
    if unite == "€":
        return formats.euros(x)
    if unite == "ETP":
        return formats.etp(x)
    decimales = 0 if formats.manquant(x) or float(x).is_integer() else 1  # type: ignore[arg-type]
    return formats.nombre(x, decimales)


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


def colonnes_autre_cible(rang: int) -> list[str]:
    """« Autre cible », « Autre cible : période »… ; « Autre cible 2 : … » pour la deuxième."""
    tete = AUTRE_CIBLE if rang == 1 else f"{AUTRE_CIBLE} {rang}"
    return [tete, *(f"{tete} : {c}" for c in AUTRE_CIBLE_COLONNES)]


def _autres(ligne: LigneIndicateur, nombre: int) -> dict[str, object]:
    """Les colonnes des autres cibles d'une ligne (forme 2), vides quand elle n'en a pas."""
    cases: dict[str, object] = {}
    for rang in range(1, nombre + 1):
        noms = colonnes_autre_cible(rang)
        autre = ligne.autres_cibles[rang - 1] if rang <= len(ligne.autres_cibles) else None
        valeurs = (
            [formats.arrondi(autre.cible, ligne.unite), autre.periode_cible, autre.libelle_cible,
             formats.arrondi(autre.attendu, ligne.unite),
             _statut(autre.statut, autre.nature_cible, autre.regle_cible),
             sources.lisible(autre.source_cible)]
            if autre else [None, "", "", None, "", ""]
        )  # fmt: skip
        cases.update(zip(noms, valeurs, strict=True))
    return cases


def _rang_v1(i: LigneIndicateur, titres: bool) -> dict[str, object]:
    """Une ligne d'indicateur de forme 1 : les chiffres tels qu'une édition de version 1 les a
    publiés (réalisé brut, attendu arrondi au pair) ; les libellés sont ceux du jour."""
    return {
        "Code": i.code,
        "Indicateur": i.titre if titres and i.titre else i.libelle,
        "Objectif stratégique": i.objectif,
        "Unité": i.unite,
        "Réalisé": i.reel,
        "Cible": i.cible,
        "Période de la cible": i.periode_cible,
        "Attendu à date": arrondi_v1_taux(i.attendu, i.unite),
        "Statut": _statut(i.statut, i.nature_cible, i.regle_cible),
        "Statut précédent": _statut(i.statut_precedent) if i.statut_precedent else "",
        "Période des données": _periode(i.donnees_au),
        "Commentaire": _commentaire(i),
        "Définition": i.definition,
        "Source": i.source_cible or i.source,
    }


def _rang(i: LigneIndicateur, titres: bool, nombre_autres: int) -> dict[str, object]:
    """Une ligne d'indicateur de forme 2 : nombres arrondis, sources lisibles, autres cibles."""
    return _rang_v1(i, titres) | {
        "Réalisé": formats.arrondi(i.reel, i.unite),
        "Cible": formats.arrondi(i.cible, i.unite),
        "Attendu à date": formats.arrondi(i.attendu, i.unite),
        "Source": sources.lisible(i.source_cible or i.source),
        **_autres(i, nombre_autres),
    }


def table_indicateurs(
    lignes: Iterable[LigneIndicateur], titres: bool = False, *, forme: int = VERSION_FORME_2
) -> pd.DataFrame:
    """Une ligne par indicateur ; `titres` : la première colonne est le titre de la carte.
    `forme` : 1 pour une édition de version 1 (voir l'en-tête du module)."""
    lignes = list(lignes)
    if forme < VERSION_FORME_2:
        return pd.DataFrame([_rang_v1(i, titres) for i in lignes], columns=COLONNES_INDICATEURS)
    nombre = max([1, *(len(i.autres_cibles) for i in lignes)])
    autres = [c for rang in range(1, nombre + 1) for c in colonnes_autre_cible(rang)]
    colonnes = COLONNES_INDICATEURS + autres
    return pd.DataFrame([_rang(i, titres, nombre) for i in lignes], columns=colonnes)


def table_territoires(tableau: TableauDeBord) -> pd.DataFrame:
    v2 = forme_2(tableau)

    def compte(x: float | None) -> float | None:
        return formats.arrondi(x, "") if v2 else x

    rangs = [
        {
            "Territoire": t.libelle_territoire,
            "Rubrique": t.rubrique,
            "Période": t.periode,
            "Réalisé": compte(t.reel),
            "Cible": compte(t.cible),
            "Attendu à date": formats.arrondi(t.attendu, "") if v2 else arrondi_v1(t.attendu),
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
    forme = VERSION_FORME_2 if forme_2(tableau) else 1
    return {
        "Synthèse": table_indicateurs(tableau.synthese, titres=True, forme=forme),
        "Territoires": table_territoires(tableau),
        "Changements de statut": table_indicateurs(tableau.changements, forme=forme),
        "Alertes": table_indicateurs(tableau.alertes, forme=forme),
        "Indicateurs": table_indicateurs(tableau.indicateurs, forme=forme),
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
    une cible accompagnée d'une autre (10 000 et 11 199) les donne toutes deux avec leurs
    sources ; un chiffre révisé depuis la publication le dit dans sa colonne « Révision »."""
    marques = set(revises)
    rangs = [
        {
            "Code": i.code,
            "Indicateur": i.titre or i.libelle,
            "Réalisé": formats.valeur(i.reel, i.unite),
            "Cible": texte_cibles(i),
            "Attendu à date": formats.valeur(i.attendu, i.unite),
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
            "Attendu à date": formats.valeur(t.attendu, ""),
            "Statut": libelle_statut(t.statut) if t.statut else "sans trajectoire",
        }
        for t in tableau.territoires
    ]
    return pd.DataFrame(rangs)
