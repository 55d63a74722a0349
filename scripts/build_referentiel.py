"""Génère le référentiel du plan (``config/referentiel/*.csv``) à partir de ``plan.yaml``.

Pourquoi un script plutôt que des CSV écrits à la main : les chiffres, libellés et sources viennent
tous de l'extraction vérifiée ``plan.yaml`` ; les régénérer garantit qu'aucun chiffre n'est recopié
de travers et que toute correction de l'extraction se propage. Les seules informations écrites ici
sont les *choix de modélisation* que les documents ne font pas (nature, unité, polarité, échelle
d'un indicateur ; traduction des écarts) : elles sont regroupées dans des tables explicites, et
chacune porte sa justification dans la colonne ``note``.

Le script vérifie aussi les comptes connus de l'extraction (53 indicateurs, périodicités, 18
astérisques, 7 jalons, 28 écarts) et s'arrête si l'un d'eux ne tombe pas juste : mieux vaut un
échec bruyant qu'un référentiel silencieusement faux.

Usage : ``python scripts/build_referentiel.py [--plan CHEMIN] [--sortie DOSSIER]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RACINE = Path(__file__).resolve().parents[1]
PLAN_DEFAUT = Path("../shared/domain/plan.yaml")
SORTIE_DEFAUT = Path("config/referentiel")

PDIE = "PDIE-2017-2019"
MDE = "MDE-2020"
AG = "AG-2021"

Ligne = dict[str, str]


class ReferentielError(RuntimeError):
    """Incohérence entre plan.yaml et les choix codés ici : le référentiel n'est pas écrit."""


# ---------------------------------------------------------------------------------------------
# Outils
# ---------------------------------------------------------------------------------------------


def nettoyer(libelle: str) -> str:
    """Retire le point et l'astérisque finals : ce sont des artefacts de cellule, pas du sens."""
    return " ".join(libelle.split()).rstrip(" .*")


def nombre(valeur: float | int) -> str:
    """Écrit un nombre lisible par machine (point décimal, sans « .0 » parasite)."""
    v = float(valeur)
    return str(int(v)) if v.is_integer() else repr(v)


def decimal_fr(valeur: float | int) -> str:
    """Écrit un nombre à la française (virgule décimale) pour les notes lues par les élus."""
    return nombre(valeur).replace(".", ",")


def chiffre_romain(section: str) -> str:
    """Réduit « I. CONTEXTE » à « I » : les parties du rapport 003 sont citées par leur numéro."""
    return re.sub(r"^([IVX]+)\. .*$", r"\1", section)


def section_ref(section: str) -> str:
    """Transforme « 3.1 / 4 » en « §3.1, §4 » : les sections numérotées prennent le signe §.

    La virgule (et non « ; ») évite de mettre la source entre guillemets dans le CSV.
    """
    parties = [p.strip() for p in section.replace(";", "/").split("/") if p.strip()]
    return ", ".join(f"§{p}" if p[0].isdigit() else p for p in parties)


def unite_fr(unite: str | None) -> str:
    """Affiche l'euro en symbole, comme dans les documents."""
    if not unite:
        return ""
    return unite.replace("EUR par an", "€/an").replace("EUR/an", "€/an").replace("EUR", "€")


@dataclass(frozen=True)
class Sources:
    """Noms complets des fichiers sources, retrouvés par leur préfixe (« 000 » … « 004 »)."""

    noms: dict[str, str]

    @classmethod
    def depuis(cls, plan: dict[str, Any]) -> Sources:
        """Lit les noms de fichiers dans plan.yaml plutôt que de les recopier ici."""
        return cls({nom[:3]: nom for nom in plan["meta"]["seeds"]})

    def __call__(self, prefixe: str, ou: str) -> str:
        """Une source commence toujours par le nom du fichier, puis l'endroit dans le fichier."""
        return f"{self.noms[prefixe]} {ou}".strip()

    def liste(self, prefixes: str) -> str:
        """« 002 / 003 » devient la liste des noms complets séparés par des virgules."""
        return ", ".join(self.noms[p.strip()] for p in prefixes.split("/"))


def ecrire_csv(chemin: Path, colonnes: list[str], lignes: Iterable[Ligne]) -> int:
    """Écrit un CSV déterministe (« ; », guillemets minimaux, fins de ligne « \\n »)."""
    lignes = list(lignes)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(colonnes)
        for ligne in lignes:
            inconnues = set(ligne) - set(colonnes)
            if inconnues:
                raise ReferentielError(f"{chemin.name}: colonnes inattendues {sorted(inconnues)}")
            w.writerow([ligne.get(c, "") for c in colonnes])
    return len(lignes)


def verifier(condition: bool, message: str) -> None:
    """Arrête la génération sur une incohérence (pas d'``assert`` : il saute avec ``-O``)."""
    if not condition:
        raise ReferentielError(message)


# ---------------------------------------------------------------------------------------------
# Choix de modélisation des indicateurs (ce que les documents ne disent pas)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choix:
    """Nature, unité, polarité, échelle d'un indicateur, avec la raison (note) et la définition.

    ``definition`` ne contient que ce que disent les documents (ou le constat qu'ils ne disent
    rien) ; ``note`` contient nos choix et leur justification.
    """

    nature: str
    unite: str
    polarite: str
    echelle: str
    note: str = ""
    definition: str = ""


NATURES = {"flux", "stock", "taux", "montant", "jalon"}
POLARITES = {"hausse", "baisse", "neutre"}
ECHELLES = {"canton", "territoire", "departement"}

_JALON = (
    "Jalon (réalisé / non réalisé), typé « jalon » par l'extraction ; « hausse » = réalisé. "
    "Pas de périodicité dans le tableau."
)

CHOIX_PDIE: dict[str, Choix] = {
    "FIN-1.1": Choix(
        "taux",
        "%",
        "hausse",
        "canton",
        note="Taux calculé sur le fichier des allocataires, donc déclinable jusqu'au canton une "
        "fois la définition arrêtée (masquer les petits effectifs). Hausse = davantage de sorties "
        "du RSA.",
        definition="Définition non donnée par le tableau ; la fiche 5.1.6 cite deux taux (« taux "
        "de sortie des nouveaux entrants à 12 mois », « taux de sortie global à 12 mois », voir "
        "SYN-1 et SYN-2) sans dire si « Taux de sortie » les désigne ; numérateur, dénominateur et "
        "cohorte ne sont définis nulle part.",
    ),
    "FIN-2.1": Choix(
        "stock",
        "allocataires",
        "baisse",
        "canton",
        note="Stocké comme effectif à date : l'évolution se calcule entre deux dates, jamais en "
        "additionnant des mois. Baisse = moins d'allocataires.",
        definition="Population non précisée (RSA socle ? allocataires payés ? soumis aux droits "
        "et devoirs ?) ; le §2 mesurait l'impact par « l'évolution des allocataires financés et "
        "des dépenses ».",
    ),
    "OO1-S.1": Choix(
        "stock",
        "allocataires",
        "hausse",
        "canton",
        note="Ambiguïté stock/flux tranchée en stock, comme le libellé (« en formation » = "
        "situation à une date). L'objectif OO1 (« inscrire … chaque année ») est, lui, un flux "
        "d'entrées : ne jamais additionner les trimestres pour comparer aux 2 000 par an ; la "
        "comparaison exige un décompte des entrées en formation sur l'année.",
        definition="Le tableau ne dit pas s'il s'agit d'allocataires en formation à une date ou "
        "d'entrées en formation ; l'objectif OO1 parle d'« inscrire 2000 allocataires du RSA en "
        "formation chaque année ».",
    ),
    "OO2-S.1": Choix(
        "flux",
        "retours à l'emploi",
        "hausse",
        "canton",
        note="Flux additif. Échelle canton par le domicile de l'allocataire, comme l'en-tête du "
        "tableau §4 (« allocataires domiciliés sur le territoire ») ; le texte du §4 répartit "
        "pourtant les objectifs « selon l'implantation des entreprises » (INC-11). Les cibles "
        "10 000 (§3.1) et 11 199 (somme du tableau §4) sont conservées toutes deux.",
        definition="Retours à l'emploi « de 6 mois et plus » ; ailleurs « plus de 6 mois » "
        "(§1.2, §2, §5.3.1) : un contrat d'exactement 6 mois est compté ou non selon la page. "
        "L'indicateur compte des allocataires du RSA, l'OO2 vise des « personnes (allocataires "
        "du RSA et jeunes) ».",
    ),
    "A2.1": Choix(
        "flux",
        "placements",
        "hausse",
        "canton",
        note="Ventilations prévues : total, secteur d'activité, type de contrat. La cible de la "
        "fiche 5.2.12 compte des contrats (1 050 par an), l'indicateur des placements : "
        "rapprochement déduit.",
    ),
    "A2.2": Choix(
        "flux",
        "placements",
        "hausse",
        "departement",
        note="Ventilation par conseiller emploi : publier seulement un ratio agrégé (placements "
        "par conseiller), jamais un classement nominatif. Échelle département car une partie des "
        "conseillers est spécialisée par secteur et non par territoire (§5.2.12).",
    ),
    "A3.1": Choix("jalon", "", "hausse", "departement", note=_JALON),
    "A4.1": Choix(
        "flux",
        "allocataires",
        "hausse",
        "canton",
        note="Recrutements = événements, additifs. Cibles déduites : 50 par an (§5.2.4) et, "
        "pour le SUD, 20 mises à l'emploi par an (§6.4.1).",
    ),
    "A5.1": Choix(
        "flux",
        "contrats",
        "hausse",
        "canton",
        note="Contrats signés sur la période (additifs). La cible de la fiche 5.2.16 est une "
        "part (60 % d'allocataires parmi les recrutements des SIAE d'ici 2019) : non comparable "
        "à ce nombre sans le total des recrutements des SIAE.",
        definition="Expérience salariée en SIAE « entre 24 et 35 heures hebdomadaires pendant "
        "une durée maximale de 24 mois » (§5.2.16).",
    ),
    "A5.2": Choix(
        "flux",
        "contrats",
        "hausse",
        "departement",
        note="Ventilation par structure (SIAE), pas par territoire : la localisation des "
        "structures n'est pas donnée par les documents.",
    ),
    "A6.1": Choix(
        "flux",
        "personnes",
        "hausse",
        "departement",
        note="Participants au programme FSE, comptés à l'entrée (la cible de 20 000 cumule "
        "2015-2020). Échelle département : le Département gère les crédits FSE comme « organisme "
        "intermédiaire » (§5.4.5).",
    ),
    "A6.2": Choix(
        "montant",
        "€",
        "neutre",
        "departement",
        note="Donnée budgétaire (dépenses et recettes FSE), neutre : à lire avec l'enveloppe de "
        "4 M€ par an du libellé de l'action A6.",
    ),
    "A7.1": Choix(
        "montant",
        "€",
        "hausse",
        "departement",
        note="Dépense d'ADE. L'enveloppe de 200 000 € par an (§5.2.18) est un plafond, pas un "
        "objectif de dépense : « hausse » = recours accru à l'aide, dans la limite de "
        "l'enveloppe.",
    ),
    "A7.2": Choix(
        "taux",
        "%",
        "hausse",
        "departement",
        note="Dénominateur supposé : l'enveloppe annuelle de l'ADE (200 000 €, §5.2.18), non "
        "écrite dans le tableau. Au-delà de 100 % : dépassement de l'enveloppe.",
    ),
    "A7.3": Choix(
        "flux",
        "aides",
        "hausse",
        "canton",
        note="Lu comme la répartition des aides accordées par objet (la fiche 5.2.18 indique que "
        "60 % des demandes sont liées à la mobilité), comptée en nombre d'aides. La cible de 200 "
        "allocataires par an (§5.2.17) y est rattachée faute d'indicateur de bénéficiaires (lien "
        "déduit ; une personne peut recevoir plusieurs aides).",
        definition="Libellé seul (« Affectation ») : contenu non défini par les documents.",
    ),
    "OO3-S.1": Choix(
        "flux",
        "allocataires",
        "hausse",
        "canton",
        note="Le libellé (« engagés dans ») décrit une situation, mais les cibles s'additionnent "
        "d'une année à l'autre (§4 : 2 000 par an, 6 000 au total) : compté comme flux d'entrées "
        "dans une voie d'insertion. Répartition territoriale des cibles « selon la répartition "
        "des places de l'accompagnement global et des allocataires du RSA » (§4).",
        definition="« Voie d'insertion » non définie ; le §4 calcule l'objectif à partir de "
        "l'accompagnement global, des contrats aidés à volume horaire modulable, du Pass "
        "Bénévolat et des actions collectives à visée professionnelle. L'OO3 vise aussi les "
        "« jeunes en situation précaire ».",
    ),
    "A8.1": Choix(
        "flux",
        "contrats",
        "hausse",
        "canton",
        note="Contrats signés sur la période (additifs).",
        definition="CAE à volume horaire modulable : « Le temps de travail est de 8 à 16 heures "
        "par semaine » (§5.2.15).",
    ),
    "A9.1": Choix(
        "flux",
        "contrats",
        "hausse",
        "canton",
        note="Contrats signés sur la période (additifs).",
        definition="Contrat d'engagement civique : « Moins de 8 heures par semaine » (§5.3.1).",
    ),
    "A10.1": Choix(
        "stock",
        "personnes",
        "hausse",
        "canton",
        note="Personnes accompagnées = stock (non additif). La cible de 1 300 « personnes prises "
        "en charge par an » (§5.2.15) et le repère 2019 (1 860 entrées, 003) ne se comparent pas "
        "directement (INC-20). Le dispositif est aussi suivi par agence Pôle emploi (003).",
        definition="Accompagnement global : binôme conseiller Pôle emploi / intervenant social du "
        "Département, ouvert aussi aux allocataires de l'ASS (§5.2.15) : personnes accompagnées "
        "≠ allocataires du RSA.",
    ),
    "OO4-S.1": Choix(
        "stock",
        "accompagnements",
        "hausse",
        "canton",
        note="Compté comme accompagnements en cours (stock, non additif) : le libellé ne dit pas "
        "s'il s'agit d'accompagnements ouverts sur la période ou en cours à une date.",
    ),
    "A11.1": Choix(
        "flux",
        "personnes",
        "hausse",
        "canton",
        note="Rencontres de l'équipe mobile santé-précarité (§5.3.5), comptées comme événements "
        "de la période ; dédoublonner les personnes pour un cumul annuel.",
    ),
    "A11.2": Choix(
        "stock",
        "personnes",
        "hausse",
        "canton",
        note="Personnes prises en charge = situation (stock, non additif).",
    ),
    "A11.3": Choix(
        "flux",
        "informations collectives",
        "hausse",
        "territoire",
        note="Séances de l'équipe mobile, menées « dans chaque territoire » (§5.3.5), sans "
        "rattachement à un domicile : échelle territoire.",
    ),
    "A12.1": Choix(
        "stock",
        "familles",
        "hausse",
        "territoire",
        note="Bénéficiaires sur l'année (non additif). Chiffres attendus des épiceries sociales "
        "(structures locales), pas du fichier des allocataires : échelle territoire (choix). Une "
        "hausse peut aussi traduire des besoins accrus.",
    ),
    "A12.2": Choix(
        "stock",
        "personnes",
        "hausse",
        "territoire",
        note="Bénéficiaires sur l'année (non additif). Chiffres attendus des épiceries sociales "
        "(structures locales), pas du fichier des allocataires : échelle territoire (choix). Une "
        "hausse peut aussi traduire des besoins accrus.",
    ),
    "A13.1": Choix(
        "stock",
        "personnes",
        "hausse",
        "canton",
        note="Six déclinaisons : FSL au global, FSL par prestation, ACD, accès au parc privé, "
        "colocation coachée, intermédiation locative. L'astérisque est placé dans la parenthèse, "
        "après « par prestation » seulement : indicateur marqué prioritaire par prudence (seule "
        "la déclinaison « FSL par prestation » est étoilée) ; l'astérisque intérieur du libellé "
        "est conservé tel qu'imprimé. Personnes concernées = stock (non additif).",
    ),
    "A14.1": Choix(
        "stock",
        "personnes",
        "hausse",
        "canton",
        note="Personnes suivies = stock. Une hausse peut aussi traduire des difficultés accrues.",
    ),
    "A14.2": Choix(
        "stock",
        "MASP",
        "hausse",
        "canton",
        note="Mesures avec gestion en cours = stock. Le sigle n'est pas développé dans ce "
        "libellé (ailleurs, « MASP » désigne la Mission Action Sociale de Proximité) ; lecture "
        "« mesure » de notre part, à confirmer.",
    ),
    "A14.3": Choix(
        "flux",
        "dossiers",
        "neutre",
        "departement",
        note="Donnée de contexte externe (Banque de France), pas un résultat du Département : "
        "neutre. Nature et unité provisoires (dossiers de surendettement) : le tableau ne dit pas "
        "quelle donnée est suivie ; à confirmer avec la source. Échelle département (donnée "
        "externe).",
        definition="Libellé seul : la donnée suivie n'est pas précisée.",
    ),
    "A17.1": Choix(
        "flux",
        "jeunes",
        "hausse",
        "canton",
        note="Rencontres comptées comme événements de la période ; dédoublonner les personnes "
        "pour un cumul annuel.",
    ),
    "A17.2": Choix(
        "flux",
        "informations collectives",
        "hausse",
        "territoire",
        note="Séances organisées localement, sans rattachement à un domicile : échelle territoire.",
    ),
    "A18.1": Choix(
        "stock",
        "jeunes",
        "hausse",
        "canton",
        note="Jeunes accompagnés (Pass' Accompagnement) = stock, non additif.",
    ),
    "A19.1": Choix(
        "jalon",
        "",
        "hausse",
        "departement",
        note=_JALON + " Le comité se réunit « une fois par an (ou plus en cas de besoin) » "
        "(§5.1.1) : un nombre de réunions pourrait en être tiré, mais le tableau en fait un jalon.",
    ),
    "A21.1": Choix("jalon", "", "hausse", "departement", note=_JALON),
    "A22.1": Choix("jalon", "", "hausse", "departement", note=_JALON),
    "A23.1": Choix(
        "flux",
        "offres",
        "hausse",
        "territoire",
        note="Offres trouvées par les conseillers départementaux ; les cibles sont fixées par "
        "territoire d'action (§4). Chaque conseiller est élu dans un canton, mais aucun document "
        "ne nomme de canton : échelle territoire.",
    ),
    "A25.1": Choix(
        "flux",
        "contrôles",
        "hausse",
        "departement",
        note="Contrôles sur l'utilisation des fonds (FSE), gérés au niveau départemental. Ce ne "
        "sont pas les contrôles de droits RSA d'A31 : ne pas les additionner.",
    ),
    "A26.1": Choix(
        "stock",
        "personnes",
        "neutre",
        "canton",
        note="Répartition des personnes par type de parcours (professionnel / social) : stock, "
        "neutre (c'est une répartition, pas un résultat à maximiser).",
        definition="Critère du parcours social contradictoire dans la fiche 5.5.1 (« un emploi "
        "d'au-moins 20 heures » contre « un contrat aidé de 20 heures par mois », INC-09).",
    ),
    "A27.1": Choix(
        "taux",
        "%",
        "hausse",
        "departement",
        note="Taux départemental (libellé). Cible déduite : « Un contrat d'engagement pour tout "
        "allocataire du RSA » (§5.5.4). Dénominateur à arrêter et à publier avec le taux.",
        definition="Dénominateur du taux non défini par les documents.",
    ),
    "A27.2": Choix(
        "taux",
        "%",
        "hausse",
        "territoire",
        note="Seul indicateur explicitement décliné « par territoire d'action » ; il ne porte "
        "pas d'astérisque. Même dénominateur qu'A27.1, à arrêter.",
        definition="Dénominateur du taux non défini par les documents.",
    ),
    "A28.1": Choix("jalon", "", "hausse", "departement", note=_JALON),
    "A30.1": Choix(
        "flux",
        "personnes",
        "hausse",
        "canton",
        note="Personnes sollicitées sur la période (événement). Dispositif testé à partir de "
        "janvier 2017 ; 3 098 allocataires seraient concernés (estimation, §5.5.3).",
    ),
    "A30.2": Choix(
        "flux",
        "personnes",
        "hausse",
        "canton",
        note="Mises en jeu de l'obligation alimentaire sur la période (événement).",
    ),
    "A30.3": Choix(
        "montant",
        "€",
        "hausse",
        "departement",
        note="Montants obtenus ; objectif de la fiche 5.5.3 : « Réduction du coût de "
        "l'allocation RSA ».",
    ),
    "A31.1": Choix(
        "flux",
        "contrôles",
        "hausse",
        "canton",
        note="Contrôles de droits RSA (événements, additifs), cumulables vers les 12 000 de "
        "2017-2019. Ne pas confondre avec A25 (contrôles sur les fonds).",
    ),
    "A31.2": Choix(
        "montant",
        "€",
        "hausse",
        "departement",
        note="Impacts financiers des contrôles ; le §2 les présente en indus récupérés et "
        "suspensions d'allocation.",
    ),
    "A32.1": Choix(
        "jalon",
        "",
        "hausse",
        "departement",
        note=_JALON + " Le comité des usagers se réunit une fois par mois (§5.1.5).",
    ),
    "A33.1": Choix(
        "stock",
        "citoyens",
        "hausse",
        "departement",
        note="Citoyens engagés = stock. Ce ne sont pas des allocataires : pas de découpage par "
        "l'outil d'observation, échelle département. Aucune périodicité dans le tableau.",
    ),
    "A34.1": Choix(
        "flux",
        "contrats",
        "hausse",
        "departement",
        note="Contrats à impact social signés (expérimentation départementale).",
    ),
    "A35.1": Choix(
        "stock",
        "personnes",
        "hausse",
        "canton",
        note="Bénéficiaires sur la période (non additif).",
    ),
    "A36.1": Choix("jalon", "", "hausse", "departement", note=_JALON),
    "A37.1": Choix(
        "flux",
        "projets",
        "hausse",
        "territoire",
        note="Projets d'économie sociale et solidaire soutenus, localisés par territoire plutôt "
        "que par domicile (choix).",
    ),
    "A38.1": Choix(
        "flux",
        "propositions",
        "hausse",
        "departement",
        note="Propositions issues des rencontres départementales avec les partenaires caritatifs.",
    ),
}

CHOIX_SYN: dict[str, Choix] = {
    code: Choix(
        "taux",
        "%",
        "hausse",
        "canton",
        note="Périodicité laissée vide : la fiche 5.1.6 n'en donne pas ; le tableau §7 donne un "
        "« Taux de sortie » annuel (FIN-1.1) sans dire qu'il s'agit de ces taux. Hors tableau "
        "§7 (pas de code d'action ; la fiche 5.1.6 correspond à l'action A20, lien déduit). "
        "Déclinable au canton comme FIN-1.1.",
        definition="Non défini : « Un indicateur synthétique » (au singulier) est suivi de deux "
        "taux ; numérateur, dénominateur et cohorte ne sont précisés nulle part. Seule valeur "
        "citée d'un tel taux : Flash emploi (Alpes-Maritimes, 69 % à 12 mois en 2016, 001).",
    )
    for code in ("SYN-1", "SYN-2")
}

# Convention MDE 2020, Article 5 : nature et unité par indicateur.
CHOIX_MDE: dict[str, tuple[str, str, str]] = {
    "MDE-I1": ("stock", "métiers", "Niveau à atteindre (4 → 8) : stock."),
    "MDE-I2": ("stock", "entreprises", "Niveau à atteindre (100 → 200) : stock."),
    "MDE-I3": (
        "taux",
        "%",
        "« Proportion et nombre » : stocké en taux avec son numérateur (nombre de BRSA "
        "intégrés) ; le dénominateur n'est pas précisé.",
    ),
    "MDE-I4": ("flux", "actions", ""),
    "MDE-I5": ("flux", "embauches", ""),
    "MDE-I6": ("flux", "offres", ""),
    "MDE-I7": ("flux", "entreprises", "Entreprises formées sur la période."),
    "MDE-I8": ("flux", "actions", ""),
    "MDE-I9": ("flux", "personnes", "Accès à une activité rémunérée, sortie du RSA : événements."),
    "MDE-I10": ("stock", "personnes", "Participants aux programmes : stock."),
    "MDE-I11": ("stock", "personnes", "Participants au tiers lieu : stock."),
    "MDE-I12": ("stock", "allocataires", "BRSA « à l'emploi » = situation : stock."),
    "MDE-I13": ("stock", "allocataires", "BRSA « au sein des parcours » = situation : stock."),
    "MDE-I14": ("stock", "allocataires", "BRSA « se formant » = situation : stock."),
}

# ---------------------------------------------------------------------------------------------
# Traductions des écarts (inconsistencies) : lieu et description, en français, pour les élus.
# ---------------------------------------------------------------------------------------------

GRAVITE = {"high": "haute", "medium": "moyenne", "low": "faible"}

ECARTS_FR: dict[str, tuple[str, str]] = {
    "INC-01": (
        "§3.1, §4, OO2 / tableau §4",
        "L'objectif phare d'accès à l'emploi est de 10 000 (2017-2019), mais les lignes emploi "
        "des territoires et la ligne TOTAL du tableau §4 totalisent 11 199 (3 733 par an) ; "
        "10 000 correspondrait à environ 3 333 par an.",
    ),
    "INC-02": (
        "préface, §3.1, §3.2, OO2, OO3, indicateur OO2-S",
        "La population visée change selon la page : « 10 000 allocataires du RSA » (préface, "
        "§5.2.2, §5.2.8), « 10 000 personnes » (§3.1), « 10 000 personnes (allocataires du RSA et "
        "jeunes) » (OO2), alors que l'indicateur OO2 ne compte que des allocataires du RSA ; "
        "« 6 000 allocataires du RSA » (§3.2) contre « 6000 allocataires du RSA et jeunes en "
        "situation précaire » (OO3).",
    ),
    "INC-03": (
        "préface / §3 / §7",
        "Trois arborescences stratégiques : 4 orientations fondamentales (préface), 4 objectifs "
        "stratégiques (§3 : emploi, insertion, conditions de réussite, 12 000 contrôles) et 5 OS "
        "/ 12 OO (§7, où les contrôles deviennent l'OO9). Les indicateurs n'existent que dans "
        "l'arborescence du §7.",
    ),
    "INC-04": (
        "§7 (introduction)",
        "Le §7 renvoie à la « fiche 5.1.5 « Evaluer l'impact du Plan départemental pour "
        "l'emploi » » ; cette fiche porte le numéro 5.1.6 (la 5.1.5 traite de la participation "
        "des usagers).",
    ),
    "INC-05": (
        "§3.4 / §5.5.5",
        "12 000 contrôles « de 2017 à 2019 » (environ 4 000 par an) contre « 4200 contrôles pour "
        "2016 soit 12 000 contrôles sur la durée du PDI » (4 200 × 3 = 12 600, et 2016 est hors "
        "de la période du plan).",
    ),
    "INC-06": (
        "§2 / §5.5.5",
        "Contrôleurs : « composée de 15 agents (+ 2 en 2016) » contre « une équipe de 13 "
        "contrôleurs internes ».",
    ),
    "INC-07": (
        "§3.1 / §5.5.5",
        "« plus de 15 M€ … chaque année … dont 4 M€ pour le FSE » (accès à l'emploi) contre une "
        "politique d'insertion de « 20 M€ par an, soit près de 16 % de la dépense d'allocation » : "
        "périmètres différents ; et 20 M€ font 13,4 % des 149 M€ de 2015 (16 % supposerait "
        "environ 125 M€).",
    ),
    "INC-08": (
        "§1.2, §2, §5.3.1 / OO2, §5.2.14",
        "« Emploi durable » = « CDD de plus de 6 mois » ou « + de 6 mois » à certains endroits, "
        "« (de 6 mois et plus) » ou « CDD 6 mois ou plus » ailleurs : un contrat d'exactement "
        "6 mois est compté ou non selon la page. Les « placements » des opérateurs comptent aussi "
        "des emplois de transition (CDDI, CDD courts).",
    ),
    "INC-09": (
        "§5.5.1",
        "Critère du parcours social : incapacité à occuper « un emploi d'au-moins 20 heures » "
        "(par semaine, implicitement) contre « a minima un contrat aidé de 20 heures par mois ».",
    ),
    "INC-10": (
        "§1",
        "« Elle s'appuyait sur 4 axes : » est suivi de cinq sous-parties (1.1 à 1.5).",
    ),
    "INC-11": (
        "§4",
        "L'en-tête du tableau compte des « allocataires domiciliés sur le territoire », alors que "
        "les objectifs d'emploi sont « répartis selon l'implantation des entreprises » : domicile "
        "ou lieu de l'employeur pour rattacher un retour à l'emploi à un territoire ?",
    ),
    "INC-12": (
        "§4, §6.3, passim",
        "Un même territoire est nommé « EMS », « EUROMETROPOLE », « Eurométropole de "
        "Strasbourg » ou « l'eurométropole ».",
    ),
    "INC-13": (
        "§4",
        "Le bloc TOTAL n'a pas de ligne « Total » (elle vaudrait 5 733 par an et 17 199 au total).",
    ),
    "INC-14": (
        "§1, §2",
        "Dépense d'allocation : 130 M€ (2013) + 10,9 % (2014) + 4,5 % (2015) ≈ 150,7 M€, mais "
        "2015 est donné à 149 M€ (le chiffre 2013 était une estimation).",
    ),
    "INC-15": (
        "§7",
        "Les 18 astérisques (après 17 indicateurs, plus un dans la parenthèse d'A13) ne sont "
        "jamais expliqués ; A27.2, explicitement « par territoire d'action », n'en porte pas ; "
        "dans A13, l'astérisque suit « par prestation » à l'intérieur de la parenthèse.",
    ),
    "INC-16": (
        "§7",
        "Défauts du tableau : lignes A6 à A10 décalées d'une colonne ; libellés OS/OO des "
        "cellules fusionnées imprimés au milieu de leur groupe ; lignes « Suivi de l'objectif "
        "opérationnel » d'OO5, OO9 et OO10 imprimées avant leur libellé ; libellés coupés par des "
        "sauts de page (A3, A17, A26, A34, OO4, OO8, OO11).",
    ),
    "INC-17": (
        "§4 / §7",
        "Le §7 indique que « le suivi des résultats du PDE est effectué au niveau départemental » "
        "et renvoie le suivi territorial à chaque UTAMS, alors que le §4 fixe des objectifs par "
        "territoire d'action et que le tableau de bord mensuel va aux Vice-Présidents de "
        "territoire.",
    ),
    "INC-18": (
        "§7",
        "Le FSE apparaît deux fois : A6 (4 M€ par an) sous OS1/OO2, et OO7 « Gérer les crédits et "
        "animer le dispositif FSE » (avec A25, contrôles sur les fonds) sous OS3.",
    ),
    "INC-19": (
        "§5.1.6 / §7",
        "« Un indicateur synthétique » (au singulier) est suivi de deux taux (nouveaux entrants à "
        "12 mois ; global à 12 mois) ; l'indicateur de finalité du tableau est seulement « Taux "
        "de sortie » (annuel) ; numérateur, dénominateur et cohorte ne sont définis nulle part.",
    ),
    "INC-20": (
        "§5.2.15 / 003 partie I",
        "Accompagnement global : objectif de 1 300 « personnes prises en charge par an » (002) "
        "contre 1 860 personnes ayant « pu intégrer le dispositif » en 2019, dont 54 % de BRSA "
        "(003) : des entrées d'un côté, des personnes suivies de l'autre, et pas seulement des "
        "allocataires du RSA (ASS admis). Pas directement comparables.",
    ),
    "INC-21": (
        "articles de la convention",
        "Pas d'article 1 ; deux articles numérotés 6 ; la phrase de financement se termine par le "
        "fragment « pour un montant annuels. » (19 000 € : annuel ou ponctuel ?).",
    ),
    "INC-22": (
        "Stratégies 1.2, 3.1, 4.1",
        "ETP du Département écrits sans unité (« Moyens CD : 1 », « Moyens CD : 0,5 »), sous "
        "forme d'estimation (« peut être estimé à 1,8 ETP »), avec un point décimal (« 0.15 "
        "ETP »), plus « 1 ETP à la thématique de l'emploi transfrontalier » qui inclut ou non les "
        "0,15 ETP de Tremplin sur le Rhin : total du Département de 4,45 ou 5,45 ETP.",
    ),
    "INC-23": (
        "Stratégie 1.1 / Article 5",
        "« augmenter les territoires et les métiers concernés par une GPTEC (passer de 4 à 8) » "
        "contre l'indicateur « nombre de métiers en tension concernés par les plans d'action : "
        "passer de 4 à 8 ».",
    ),
    "INC-24": (
        "divers",
        "Les effectifs RSA n'ont pas le même périmètre et ne forment pas une série : 23 618 "
        "« RSA socle » (24/06/2013), « plus de 25 000 allocataires du RSA » (30/06/2016), "
        "allocataires « payés » (- 1,8 % au 31/01/2016), 1 723 « soumis aux droits et aux "
        "devoirs » (UTAMS Ouest, 15/02/2016), 16 000 « Bénéficiaires du RSA du bassin de "
        "Strasbourg » (2020), 70 % dans l'EMS ; les chiffres nationaux comptent des foyers (001).",
    ),
    "INC-25": (
        "§5.2.5 / §5.2.7",
        "« Suivi de 400 travailleurs indépendants/auto entrepreneurs » (§5.2.5, sans période) et "
        "« 400 travailleurs indépendants par an » (§5.2.7) : peut-être les mêmes 400 comptés deux "
        "fois.",
    ),
    "INC-26": (
        "§5.2.14",
        "« 50 allocataires du RSA soient placés en emploi » par ETP (30 pour les Missions "
        "locales), sans période, alors que la norme de file active (60 ou 70) est mensuelle.",
    ),
    "INC-27": (
        "§5.3.1, §6.4.4, §5.1.6, §5.2.8",
        "Fiches incomplètes : la 5.3.1 n'a pas de lignes Partenaires, Résultats ni Responsable ; "
        "la 6.4.4 n'a pas de Responsable et une ligne « Résultats attendu » ; les 5.1.6 et 5.2.8 "
        "indiquent « - » comme partenaires. Les sigles RETMS et UTAT ne sont jamais définis.",
    ),
    "INC-28": (
        "3e partie 2.a ; 2e partie 2.c ; annexe",
        "Contexte national : 38 % des entreprises ne parviennent pas à recruter (octobre 2017) "
        "contre « plus de la moitié des entreprises … en octobre 2017 » ; IAE : « 65 000 "
        "personnes chaque année » contre « 140 000 personnes sont salariées chaque année » ; "
        "dans l'annexe, la ligne « FRACTURE NUMÉRIQUE » reprend la ligne mobilité.",
    ),
}

# ---------------------------------------------------------------------------------------------
# Repères : chiffres de contexte ou d'historique retenus (id plan.yaml -> territoire, note).
# ---------------------------------------------------------------------------------------------

_SERIE_RSA = (
    "Effectifs RSA de périmètres différents (23 618 RSA socle en 2013, plus de 25 000 en 2016, "
    "16 000 dans le bassin de Strasbourg vers 2020) : ils ne forment pas une série, ne jamais les "
    "tracer sur une même courbe (INC-24)."
)

REPERES: dict[str, tuple[str, str, str]] = {
    # id: (territoire, libellé si celui de plan.yaml ne dit pas le périmètre, note)
    "HF-002-01": ("67", "", ""),
    "HF-002-02": ("67", "", ""),
    "HF-002-04": (
        "67",
        "allocataires du RSA ayant retrouvé un emploi durable (+ de 6 mois), par an, ensemble "
        "des dispositifs",
        "Ordre de grandeur avant le plan, à rapprocher des cibles d'OO2-S.1 ; définition de "
        "l'emploi durable variable (INC-08).",
    ),
    "HF-002-05": ("67", "allocataires du RSA socle", _SERIE_RSA),
    "HF-002-06": ("67", "", ""),
    "HF-002-07": ("67", "", ""),
    "HF-002-08": ("67", "", "Dépense estimée en 2013, « effectivement atteinte » selon le texte."),
    "HF-002-09": ("67", "", ""),
    "HF-002-10": ("67", "", ""),
    "HF-002-11": ("67", "", ""),
    "HF-002-12": (
        "67",
        "mises à l'emploi durable (CDD de plus de 6 mois) réalisées par l'équipe emploi du "
        "Département",
        "Cumul depuis la création de l'équipe emploi en 2005.",
    ),
    "HF-002-14": (
        "67",
        "évolution sur 12 mois des allocataires du RSA payés par le Département",
        "Population « allocataires payés ». " + _SERIE_RSA,
    ),
    "HF-002-15": ("67", "", "Ne recoupe pas 130 M€ × 1,109 × 1,045 ≈ 150,7 M€ (INC-14)."),
    "HF-002-16": ("67", "", ""),
    "HF-002-17": ("67", "", ""),
    "HF-002-18": (
        "67",
        "recrutements d'allocataires du RSA par les SIAE, par an",
        "« près de 1 000 allocataires du RSA par an » pour 2015 et 2016.",
    ),
    "HF-002-19": (
        "67",
        "recrutements d'allocataires du RSA par les SIAE, par an",
        "Année 2016 encore partielle à la rédaction du plan.",
    ),
    "HF-002-21": ("67", "", "Cumul de 2013 au 31/12/2015 ; repère pour A31.1."),
    "HF-002-22": ("67", "", "Cumul de 2013 au 31/12/2015 ; repère pour A31.2."),
    "HF-002-23": ("67", "", "Cumul de 2013 au 31/12/2015 ; repère pour A31.2."),
    "HF-002-24": ("67", "", ""),
    "HF-002-25": ("67", "", ""),
    "HF-002-26": ("67", "", "Non daté dans le texte (document de 2016)."),
    "HF-002-29": ("67", "", "Non daté dans le texte (document de 2016)."),
    "HF-002-30": ("67", "", "Expérimentation de 2012, avant les CAE modulables (A8)."),
    "HF-002-33": ("67", "", "Non daté."),
    "HF-002-35": ("67", "allocataires du RSA (population non précisée)", _SERIE_RSA),
    "HF-002-36": ("67", "", "Non daté."),
    "HF-002-37": (
        "67",
        "part des personnes suivies par les UTAMS pour une problématique de santé",
        "",
    ),
    "HF-002-40": ("67", "", "Non daté ; repère pour A26.1."),
    "HF-002-41": ("67", "", "Estimation avant le test de janvier 2017, pas une cible (A30)."),
    "HF-002-45": (
        "",
        "BRSA soumis aux droits et aux devoirs, périmètre de l'UTAMS Ouest",
        "La correspondance exacte entre l'UTAMS Ouest et le territoire OUEST n'est pas donnée. "
        + _SERIE_RSA,
    ),
    "HF-002-49": ("OUEST", "allocataires du RSA porteurs d'un projet de création d'activité", ""),
    "HF-002-59": (
        "EMS",
        "part des allocataires du rSa du Département présents dans l'Eurométropole",
        "Non daté.",
    ),
    "HF-002-60": (
        "67",
        "part des demandeurs d'emploi de niveau infra-bac",
        "Demandeurs d'emploi, pas seulement allocataires du RSA ; non daté.",
    ),
    "HF-002-61": (
        "SUD",
        "jeunes BRSA des Missions locales concernés, par an",
        "Jeunes BRSA suivis par les Missions locales du SUD.",
    ),
    "HF-000-01": (
        "",
        "bénéficiaires du RSA du bassin de Strasbourg",
        "Le bassin de Strasbourg ne coïncide pas exactement avec l'EMS. Non daté (convention "
        "2020, chiffre Ortenau de novembre 2019). " + _SERIE_RSA,
    ),
    "HF-000-02": (
        "",
        "emplois non pourvus (périmètre non précisé : EMS ou bassin de Strasbourg)",
        "",
    ),
    "HF-000-03": (
        "",
        "emplois potentiels détectés dans les 11 métiers les plus en tension, côté strasbourgeois",
        "",
    ),
    "HF-000-07": (
        "",
        "créations nettes d'emploi, bassin d'emploi de Strasbourg",
        "Période non précisée.",
    ),
    "HF-000-08": ("", "emplois existants, bassin d'emploi de Strasbourg", ""),
    "HF-000-09": ("", "taux de chômage, bassin d'emploi de Strasbourg", "« en baisse »."),
    "HF-000-10": (
        "",
        "entreprises créées, bassin d'emploi de Strasbourg",
        "« ces derniers temps ».",
    ),
    "HF-000-13": ("67", "", ""),
    "HF-003-01": (
        "67",
        "personnes ayant intégré l'accompagnement global (entrées)",
        "Entrées dans le dispositif en 2019, pas des personnes suivies : non comparable à la "
        "cible de 1 300 personnes prises en charge par an (A10.1, INC-20).",
    ),
    "HF-003-02": ("67", "", "Environ 1 004 BRSA (calcul) ; les autres relèvent surtout de l'ASS."),
    "HF-003-03": ("67", "", "« Sortie positive » non définie."),
    "HF-001-BR-03": ("67", "", "Repère pour A18.1 (Pass' Accompagnement)."),
    "HF-001-BR-04": ("67", "", "Repère pour A18.1 (Pass' Accompagnement)."),
    "HF-001-D-09": (
        "",
        "taux de sortie du RSA à 12 mois des bénéficiaires de Flash emploi (Alpes-Maritimes)",
        "Autre département : seule valeur citée d'un taux de sortie à 12 mois ; jamais une "
        "référence pour le Bas-Rhin.",
    ),
    "HF-001-FR-23": (
        "",
        "foyers touchant le RSA en France (Cnaf)",
        "National, compté en foyers et non en allocataires. " + _SERIE_RSA,
    ),
    "HF-001-FR-24": (
        "",
        "foyers touchant le RSA en France",
        "National, compté en foyers et non en allocataires.",
    ),
}

# ---------------------------------------------------------------------------------------------
# Cibles : les chiffres imprimés rattachés aux cibles du tableau §7, dans l'ordre de cibles.csv.
# ---------------------------------------------------------------------------------------------

CHAQUE_ANNEE = "chaque année"  # une ligne par année du plan
DUREE_DU_PLAN = "durée du plan"  # une ligne « 2017-2019 »
FIN_DU_PLAN = "fin du plan"  # une ligne pour la dernière année (échéance « d'ici 2019 »)

TERRITOIRES_S4 = ("NORD", "OUEST", "EMS", "SUD")
NOTE_S4 = "Tableau §4 : « allocataires domiciliés sur le territoire »."

# Nature d'une cible (colonne ``nature`` de cibles.csv) : seules les cibles du plan et les cibles
# dérivées par une règle écrite (colonne ``regle``) reçoivent un statut ; les autres sont des
# repères, montrés sans jugement (voir le README, « Nature des cibles »).
CIBLE_DU_PLAN = "plan"  # chiffre imprimé, que le document rattache lui-même à l'indicateur
CIBLE_DERIVEE = "derivee"  # chiffre calculé ou interprété par nous (``derive = oui``)
LIEN_INFERE = "lien_infere"  # chiffre imprimé, rattaché à l'indicateur par l'extraction
PLAFOND = "plafond"  # enveloppe décrite : à ne pas dépasser, pas un objectif de dépense
VALEUR_DE_REFERENCE = "reference"  # situation ou ordre de grandeur cité pour comparaison
NATURES_CIBLE = (CIBLE_DU_PLAN, CIBLE_DERIVEE, LIEN_INFERE, PLAFOND, VALEUR_DE_REFERENCE)


def nature_de(cible: dict[str, Any], *, derive: str, imposee: str = "") -> str:
    """La nature d'une cible, lue dans ce que disent déjà plan.yaml et la colonne ``derive``.

    Dans l'ordre : une nature ``imposee`` par la table ``CIBLES`` (choix écrit et justifié dans
    la note) ; un budget que l'extraction qualifie d'« enveloppe » (unité « EUR/an
    (enveloppe) ») est un plafond ; un chiffre que nous avons calculé (``derive = oui``) est
    une cible dérivée ; un rattachement que l'extraction a inféré (``inferred: true``) est un
    lien inféré ; sinon, le chiffre est imprimé et rattaché par le document : cible du plan.
    """
    if imposee:
        verifier(imposee in NATURES_CIBLE, f"nature de cible inconnue : {imposee!r}")
        return imposee
    if "enveloppe" in str(cible.get("unite") or ""):
        return PLAFOND
    if derive == "oui":
        return CIBLE_DERIVEE
    if cible.get("inferred"):
        return LIEN_INFERE
    return CIBLE_DU_PLAN


@dataclass(frozen=True)
class Renvoi:
    """Désigne un champ imprimé de plan.yaml : la table ne recopie ni le texte ni le chiffre.

    ``objet`` dit où lire : « cible » (la cible de la ligne du §7 elle-même), « fiche » (fiche
    levier ``ident``), « cible de fiche » (la cible quantifiée de la fiche ``ident`` qui porte la
    valeur de la cible du §7), « budget » (ligne budgétaire ``ident``) ou « ligne » (ligne
    ``ident`` du tableau §7). ``coupe`` arrête le texte avant ce séparateur, quand la cellule
    enchaîne sur autre chose que la cible.
    """

    objet: str
    ident: str = ""
    champ: str = "texte"
    coupe: str = ""


VALEUR_DE_LA_CIBLE = Renvoi("cible", champ="valeur")


@dataclass(frozen=True)
class Cible:
    """Un chiffre imprimé, rattaché à la cible ``ref`` de la ligne ``ligne`` du tableau §7.

    ``periode`` : ``CHAQUE_ANNEE``, ``DUREE_DU_PLAN``, ``FIN_DU_PLAN`` ou une période imprimée
    telle quelle. ``libelle`` : un texte écrit ici, ou un ``Renvoi`` au texte de plan.yaml.
    ``source`` : le préfixe du fichier (« 002 »), puis l'endroit. Le lien (explicite / déduit)
    n'est pas un choix : il vient de plan.yaml, comme la nature (``nature_de``), sauf si
    ``nature`` l'impose. ``regle`` : pour une cible dérivée, la règle de calcul écrite qui la
    tire de chiffres imprimés ; sans elle, la cible dérivée reste un repère, sans statut.
    """

    indicateur: str
    ligne: str
    ref: str
    periode: str
    unite: str
    libelle: str | Renvoi
    source: str
    note: str = ""
    territoire: str = "67"
    valeur: Renvoi = VALEUR_DE_LA_CIBLE
    derive: str = "non"
    nature: str = ""
    regle: str = ""


@dataclass(frozen=True)
class RepartitionS4:
    """Un bloc du tableau §4 (``bloc`` de territorial_targets), rattaché à une cible du §7.

    Chaque territoire puis le TOTAL, par année et sur la durée du plan : les chiffres et les
    libellés sont lus dans plan.yaml ; seules les notes des lignes TOTAL, qui confrontent le
    total imprimé à l'objectif du plan, sont écrites ici.
    """

    indicateur: str
    ligne: str
    ref: str
    bloc: str
    unite: str
    source: str
    note_total_par_an: str
    note_total: str


@dataclass(frozen=True)
class OffresS4:
    """Offres des conseillers départementaux : par territoire (tableau §4), puis le TOTAL.

    Deux cibles du §7 portent ces chiffres (le tableau par territoire, la fiche pour le total) ;
    le script vérifie qu'elles concordent avec le tableau imprimé. ``libelle`` est un modèle où
    ``{valeur}`` reçoit le nombre d'offres.
    """

    indicateur: str
    ligne: str
    ref_tableau: str
    ref_fiche: str
    unite: str
    libelle: str
    source: str
    note: str
    source_total: str
    note_total: str


RegleCible = Cible | RepartitionS4 | OffresS4

CIBLES: tuple[RegleCible, ...] = (
    Cible(
        indicateur="OO1-S.1",
        ligne="OO1-S",
        ref="T-FORMATION-2000",
        periode=CHAQUE_ANNEE,
        unite="allocataires",
        libelle="Objectif du plan (allocataires du RSA en formation)",
        source="002 §3.1, §7 (OO1)",
        note="« à minima … chaque année » : cible minimale d'entrées en formation, alors que "
        "l'indicateur est un stock trimestriel (voir indicateurs.csv).",
    ),
    Cible(
        indicateur="OO2-S.1",
        ligne="OO2-S",
        ref="T-EMPLOI-10000",
        periode=DUREE_DU_PLAN,
        unite="personnes",
        libelle="Objectif du plan (accès à l'emploi durable)",
        source="002 §3.1, §7 (OO2)",
        note="10 000 ≠ 11 199, somme des objectifs territoriaux du tableau §4 : les deux chiffres "
        "sont affichés, jamais recalés (INC-01). « personnes » (§3.1), « allocataires du RSA et "
        "jeunes » (OO2) ; l'indicateur ne compte que des allocataires du RSA (INC-02).",
    ),
    RepartitionS4(
        indicateur="OO2-S.1",
        ligne="OO2-S",
        ref="territorial_targets (Accès à l'emploi)",
        bloc="acces_emploi",
        unite="allocataires",
        source="002 §4",
        note_total_par_an="Ligne TOTAL imprimée ; 3 733 × 3 = 11 199 ≠ 10 000.",
        note_total="Total imprimé du tableau §4. 11 199 ≠ 10 000, objectif du plan (§3.1) : les "
        "deux chiffres sont affichés, jamais recalés (INC-01).",
    ),
    Cible(
        indicateur="OO3-S.1",
        ligne="OO3-S",
        ref="T-INSERTION-6000",
        periode=DUREE_DU_PLAN,
        unite="allocataires",
        libelle="Objectif du plan (voie d'insertion)",
        source="002 §3.2, §7 (OO3)",
        note="Égal à la somme des objectifs territoriaux du tableau §4. L'OO3 élargit aux "
        "« jeunes en situation précaire » (INC-02).",
    ),
    RepartitionS4(
        indicateur="OO3-S.1",
        ligne="OO3-S",
        ref="territorial_targets (Accès à l'insertion)",
        bloc="acces_insertion",
        unite="allocataires",
        source="002 §4",
        note_total_par_an="",
        note_total="Total imprimé ; égal à l'objectif du plan (§3.2).",
    ),
    Cible(
        indicateur="A2.1",
        ligne="A2",
        ref="levier 5.2.12",
        periode=CHAQUE_ANNEE,
        unite="contrats",
        libelle=Renvoi("cible de fiche", "5.2.12"),
        source="002 §5.2.12",
        note="Cible en contrats, l'indicateur compte des placements.",
    ),
    Cible(
        indicateur="A2.1",
        ligne="A2",
        ref="levier 5.2.12",
        periode=DUREE_DU_PLAN,
        unite="contrats",
        libelle=Renvoi("cible de fiche", "5.2.12"),
        source="002 §5.2.12",
        note="Total imprimé sur la durée du PDE.",
        valeur=Renvoi("cible de fiche", "5.2.12", champ="total_plan"),
    ),
    Cible(
        indicateur="A4.1",
        ligne="A4",
        ref="levier 5.2.4",
        periode=CHAQUE_ANNEE,
        unite="recrutements",
        libelle=Renvoi("fiche", "5.2.4", champ="resultats_attendus"),
        source="002 §5.2.4",
        note="Cible départementale ; la cible du SUD (§6.4.1) fait l'objet de lignes à part.",
    ),
    Cible(
        indicateur="A4.1",
        ligne="A4",
        ref="levier 6.4.1 (SUD)",
        periode=CHAQUE_ANNEE,
        unite="mises à l'emploi",
        libelle=Renvoi("cible de fiche", "6.4.1", coupe=". "),
        source="002 §6.4.1",
        territoire="SUD",
        note="Cible minimale, « par année suivante » (après 2016, hors plan) ; fiche territoriale "
        "« Agir pour l'emploi transfrontalier ». Incluse ou non dans les 50 départementaux : le "
        "texte ne le dit pas.",
    ),
    Cible(
        indicateur="A5.1",
        ligne="A5",
        ref="levier 5.2.16",
        periode=FIN_DU_PLAN,
        unite="%",
        libelle=Renvoi("cible"),
        source="002 §5.2.16",
        note="Part (%), alors que l'indicateur compte des contrats : comparaison impossible sans "
        "le total des recrutements des SIAE. La fiche cite aussi « 50 % de BRSA dans les ACI » "
        "(public cible, non repris comme cible).",
    ),
    Cible(
        indicateur="A6.2",
        ligne="A6",
        ref="B-FSE-4M",
        periode=CHAQUE_ANNEE,
        unite="€",
        libelle=Renvoi("ligne", "A6", champ="action_libelle", coupe=" pour "),
        source="002 §7 (libellé A6), §5.4.5",
        note="Libellé de l'action A6 ; crédits gérés « pour la programmation 2015-2020 » (§5.4.5).",
    ),
    Cible(
        indicateur="A6.1",
        ligne="A6",
        ref="B-FSE-PARTICIPANTS",
        periode="2015-2020",
        unite="participants",
        libelle=Renvoi("budget", "B-FSE-PARTICIPANTS"),
        source="002 §5.4.5",
        note="Cumul sur la programmation FSE 2015-2020, qui déborde la période du plan.",
    ),
    Cible(
        indicateur="A7.3",
        ligne="A7",
        ref="levier 5.2.17",
        periode=CHAQUE_ANNEE,
        unite="allocataires",
        libelle=Renvoi("fiche", "5.2.17", champ="resultats_attendus"),
        source="002 §5.2.17",
        note="Aucun indicateur A7 ne compte les bénéficiaires : rattachée à « Affectation » (aides "
        "accordées), faute de mieux ; une personne peut recevoir plusieurs aides.",
    ),
    Cible(
        indicateur="A7.1",
        ligne="A7",
        ref="B-ADE-200K",
        periode=CHAQUE_ANNEE,
        unite="€",
        libelle=Renvoi("budget", "B-ADE-200K"),
        source="002 §5.2.18",
        note="Enveloppe décrite (« représentant 200 000 € par an »), plafond plutôt qu'objectif "
        "de dépense ; sert aussi de dénominateur au taux A7.2.",
    ),
    Cible(
        indicateur="A8.1",
        ligne="A8",
        ref="levier 5.2.15",
        periode=CHAQUE_ANNEE,
        unite="contrats",
        libelle="200 contrats aidés à volume horaire modulable par an",
        source="002 §5.2.15",
    ),
    Cible(
        indicateur="A10.1",
        ligne="A10",
        ref="levier 5.2.15",
        periode=CHAQUE_ANNEE,
        unite="personnes",
        libelle="1 300 personnes prises en charge par an au titre de l'accompagnement global",
        source="002 §5.2.15",
        note="Personnes prises en charge dans l'année ; l'indicateur est un stock semestriel et "
        "le repère 2019 compte des entrées (INC-20).",
    ),
    OffresS4(
        indicateur="A23.1",
        ligne="A23",
        ref_tableau="territorial_targets offres",
        ref_fiche="levier 5.2.9",
        unite="offres",
        libelle="dont {valeur} offres d'emploi par an mobilisées par les conseillers "
        "départementaux",
        source="002 §4",
        note="Ligne « Accès à l'emploi » du tableau §4.",
        source_total="002 §4, §5.2.9",
        note_total="Ligne TOTAL du tableau §4 ; même valeur dans la fiche 5.2.9 (« 400 offres "
        "d'emploi à proposer à des allocataires du RSA /an », lien déduit).",
    ),
    Cible(
        indicateur="A27.1",
        ligne="A27",
        ref="levier 5.5.4",
        periode=DUREE_DU_PLAN,
        unite="%",
        libelle=Renvoi("cible"),
        source="002 §5.5.4",
        note="100 % n'est pas imprimé : traduction de « tout allocataire » (derive = oui). Pas "
        "d'échéance écrite : rattachée à la durée du plan.",
        derive="oui",
    ),
    Cible(
        indicateur="A31.1",
        ligne="A31",
        ref="T-CONTROLES-12000",
        periode=DUREE_DU_PLAN,
        unite="contrôles",
        libelle="Objectif du plan (contrôles des droits)",
        source="002 §3.4, §7 (A31)",
        note="La fiche 5.5.5 écrit « 4200 contrôles pour 2016 soit 12 000 contrôles sur la durée "
        "du PDI » : 4 200 × 3 = 12 600 et 2016 précède le plan (INC-05). Le §3.4 parle de "
        "« 12 000 allocataires du RSA » contrôlés.",
    ),
)


def lien_de(cible: dict[str, Any]) -> str:
    """« déduit » quand l'extraction a inféré le rattachement de la cible à la ligne du §7."""
    return "déduit" if cible.get("inferred") else "explicite"


# ---------------------------------------------------------------------------------------------
# Construction des fichiers
# ---------------------------------------------------------------------------------------------


class Referentiel:
    """Construit les lignes de chaque fichier à partir de plan.yaml."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.src = Sources.depuis(plan)
        self.pdie = plan["pdie"]
        self.rows: list[dict[str, Any]] = plan["pdie_indicators"]["rows"]
        self.annees = list(range(self.pdie["periode"]["debut"], self.pdie["periode"]["fin"] + 1))
        self._cibles_lues: set[tuple[str, str]] = set()

    # -- petites recherches ---------------------------------------------------------------------

    def s7(self, complement: str = "") -> str:
        """Source « tableau du §7 » du PDIE."""
        return self.src("002", f"§7{complement}")

    def ligne_pdie(self, row_id: str) -> dict[str, Any]:
        """Ligne du tableau §7 par son identifiant ; absente = plan.yaml a changé."""
        for row in self.rows:
            if row["id"] == row_id:
                return row
        raise ReferentielError(f"ligne {row_id} absente de pdie_indicators")

    def cible_pdie(self, row_id: str, ref: str) -> dict[str, Any]:
        """Renvoie une cible d'une ligne du §7 et la marque comme reprise dans cibles.csv."""
        for cible in self.ligne_pdie(row_id).get("cibles") or []:
            if cible["ref"] == ref:
                self._cibles_lues.add((row_id, ref))
                return cible
        raise ReferentielError(f"cible {ref!r} absente de la ligne {row_id}")

    def fiche(self, numero: str) -> dict[str, Any]:
        """Fiche levier par son numéro (sections 5 et 6)."""
        for f in self.plan["leviers"]["fiches"]:
            if f["numero"] == numero:
                return f
        raise ReferentielError(f"fiche {numero} absente")

    def budget(self, ident: str) -> dict[str, Any]:
        """Ligne budgétaire du PDIE par son identifiant."""
        for b in self.pdie["budget"]:
            if b["id"] == ident:
                return b
        raise ReferentielError(f"budget {ident} absent")

    def cible_de_fiche(self, numero: str, valeur: float) -> dict[str, Any]:
        """Cible quantifiée d'une fiche levier qui porte la valeur d'une cible du §7."""
        for q in self.fiche(numero).get("cibles_quantifiees") or []:
            if q["valeur"] == valeur:
                return q
        raise ReferentielError(f"fiche {numero} : aucune cible quantifiée valant {valeur}")

    def figure(self, ident: str) -> dict[str, Any]:
        """Chiffre historique par son identifiant (HF-…)."""
        for f in self.plan["historical_figures"]["figures"]:
            if f["id"] == ident:
                return f
        raise ReferentielError(f"chiffre {ident} absent de historical_figures")

    # -- plans ----------------------------------------------------------------------------------

    def plans(self) -> list[Ligne]:
        """Les périodes des plans sont des données : le tableau de bord ne code aucune date."""
        conv = self.plan["convention_mde_2020"]
        ag = self.plan["accompagnement_global"]
        debut, fin = self.pdie["periode"]["debut"], self.pdie["periode"]["fin"]
        annee_mde = conv["duree"]["annee"]
        return [
            {
                "code": PDIE,
                "libelle": self.pdie["titre"],
                "debut": f"{debut}-01",
                "fin": f"{fin}-12",
                "source": self.src("002", "titre, préface"),
            },
            {
                "code": MDE,
                "libelle": f"{conv['titre']} (projet non signé)",
                "debut": f"{annee_mde}-01",
                "fin": f"{annee_mde}-12",
                "source": self.src("000", "titre, Article 2"),
            },
            {
                "code": AG,
                "libelle": nettoyer(ag["objet"]),
                "debut": ag["periode_convention"]["debut"][:7],
                "fin": ag["periode_convention"]["fin"][:7],
                "source": self.src("003", "titre, III"),
            },
        ]

    # -- objectifs ------------------------------------------------------------------------------

    def objectifs(self) -> list[Ligne]:
        """Les trois arborescences du PDIE et celle de la convention MDE, sans fusion (INC-03).

        Les indicateurs pendent à l'arborescence du §7, les objectifs chiffrés phares au §3 :
        garder les deux évite de recoller des cibles sur un arbre qui ne les porte pas.
        """
        lignes: list[Ligne] = []

        def ajouter(
            code: str, plan: str, parent: str, niveau: str, libelle: str, rang: int, source: str
        ) -> None:
            lignes.append(
                {
                    "code": code,
                    "plan": plan,
                    "parent": parent,
                    "niveau": niveau,
                    "libelle": nettoyer(libelle),
                    "rang": str(rang),
                    "source": source,
                }
            )

        s7 = self.pdie["objectifs_section7"]
        ajouter("FIN", PDIE, "", "finalite", self.plan["pdie_indicators"]["finalite"], 1, self.s7())
        for rang, os_ in enumerate(s7["objectifs_strategiques"], 1):
            ajouter(os_["code"], PDIE, "FIN", "os", os_["libelle"], rang, self.s7())
        for rang, oo in enumerate(s7["objectifs_operationnels"], 1):
            ajouter(oo["code"], PDIE, oo["os"], "oo", oo["libelle"], rang, self.s7())
        for o in self.pdie["orientations_fondamentales_preface"]:
            ajouter(
                f"OR{o['n']}",
                PDIE,
                "",
                "orientation",
                o["libelle"],
                o["n"],
                self.src("002", "préface"),
            )
        for rang, o in enumerate(self.pdie["objectifs_strategiques_section3"], 1):
            ajouter(
                o["code"],
                PDIE,
                "",
                "objectif_s3",
                o["libelle"],
                rang,
                self.src("002", f"§{o['section']}"),
            )

        rang_strategie = 0
        for axe in self.plan["convention_mde_2020"]["axes"]:
            code_axe = f"MDE-AXE{axe['numero']}"
            ajouter(
                code_axe,
                MDE,
                "",
                "axe",
                axe["libelle"],
                axe["numero"],
                self.src("000", f"Article 3 (Axe n°{axe['numero']})"),
            )
            for strat in axe["strategies"]:
                rang_strategie += 1
                ajouter(
                    f"MDE-{strat['code']}",
                    MDE,
                    code_axe,
                    "strategie",
                    strat["libelle"],
                    rang_strategie,
                    self.src("000", f"Stratégie {strat['code']}"),
                )
        return lignes

    # -- actions --------------------------------------------------------------------------------

    def actions(self) -> list[Ligne]:
        """Actions du §7 avec leurs fiches levier (liens déduits par l'extraction)."""
        lignes = []
        for row in self.rows:
            if row["ligne"] != "action":
                continue
            levier = row.get("levier") or {}
            lignes.append(
                {
                    "code": row["action"],
                    "objectif": row["oo"],
                    "libelle": nettoyer(row["action_libelle"]),
                    "leviers": ",".join(levier.get("fiches", [])),
                    "source": self.s7(),
                }
            )
        return lignes

    # -- indicateurs ----------------------------------------------------------------------------

    def indicateurs(self) -> list[Ligne]:
        """Indicateurs du §7 (dans l'ordre du tableau), taux synthétiques, indicateurs MDE.

        Les attributs documentaires (libellé, périodicité, astérisque, jalon) viennent de
        plan.yaml ; les choix de modélisation viennent des tables ``CHOIX_*``.
        """
        niveaux = {"suivi_finalite": "finalite", "suivi_oo": "objectif", "action": "action"}
        lignes: list[Ligne] = []
        vus: set[str] = set()
        for row in self.rows:
            for ind in row["indicateurs"]:
                code = ind["id"]
                vus.add(code)
                choix = CHOIX_PDIE.get(code)
                if choix is None:
                    raise ReferentielError(f"aucun choix de modélisation pour {code}")
                est_jalon = ind.get("type") == "jalon"
                verifier(
                    est_jalon == (choix.nature == "jalon"),
                    f"{code}: nature « jalon » incohérente avec plan.yaml",
                )
                etoile = ind.get("etoile")
                lignes.append(
                    self._ligne_indicateur(
                        code=code,
                        plan=PDIE,
                        objectif=row["oo"] or "FIN",
                        action=row["action"] or "",
                        libelle=ind["libelle"],
                        niveau=niveaux[row["ligne"]],
                        periodicite=(row["periodicite"] or "").lower(),
                        prioritaire="oui" if etoile in (True, "partial") else "non",
                        source=self.s7(),
                        choix=choix,
                    )
                )
        verifier(vus == set(CHOIX_PDIE), f"choix sans indicateur : {set(CHOIX_PDIE) - vus}")

        syn = self.plan["governance"]["indicateurs_synthetiques"]
        for ind in syn["liste"]:
            libelle = ind["libelle"].removeprefix("Le ").removeprefix("La ")
            lignes.append(
                self._ligne_indicateur(
                    code=ind["id"],
                    plan=PDIE,
                    objectif="FIN",
                    action="",
                    libelle=libelle[0].upper() + libelle[1:],
                    niveau="finalite",
                    periodicite="",
                    prioritaire="non",
                    source=self.src("002", f"§{syn['section']}"),
                    choix=CHOIX_SYN[ind["id"]],
                )
            )

        conv = self.plan["convention_mde_2020"]
        note_mde = (
            "Périodicité vide : la convention n'en fixe pas par indicateur ; le comité de suivi se "
            "réunit tous les trimestres (Article 6, gouvernance) et l'évaluation a lieu à l'issue "
            "de la convention (Article 5). Échelle territoire : la convention ne couvre que l'EMS. "
            "Pas d'astérisque dans la convention (prioritaire = non). Projet non signé."
        )
        for ind in conv["indicateurs_evaluation"]["liste"]:
            nature, unite, precision = CHOIX_MDE[ind["id"]]
            definition = ""
            if ind["id"] == "MDE-I1":
                definition = (
                    "La Stratégie 1.1 formule « augmenter les territoires et les métiers "
                    "concernés par une GPTEC (passer de 4 à 8) » (INC-23)."
                )
            elif ind["id"] == "MDE-I3":
                definition = "« Proportion et nombre » : dénominateur non précisé."
            choix = Choix(
                nature,
                unite,
                "hausse",
                "territoire",
                note=" ".join(p for p in (precision, note_mde) if p),
                definition=definition,
            )
            lignes.append(
                self._ligne_indicateur(
                    code=ind["id"],
                    plan=MDE,
                    objectif=f"MDE-AXE{ind['axe']}",
                    action="",
                    libelle=ind["libelle"],
                    niveau="strategie",
                    periodicite="",
                    prioritaire="non",
                    source=self.src("000", "Article 5"),
                    choix=choix,
                )
            )
        return lignes

    @staticmethod
    def _ligne_indicateur(
        *,
        code: str,
        plan: str,
        objectif: str,
        action: str,
        libelle: str,
        niveau: str,
        periodicite: str,
        prioritaire: str,
        source: str,
        choix: Choix,
    ) -> Ligne:
        verifier(choix.nature in NATURES, f"{code}: nature {choix.nature}")
        verifier(choix.polarite in POLARITES, f"{code}: polarité {choix.polarite}")
        verifier(choix.echelle in ECHELLES, f"{code}: échelle {choix.echelle}")
        verifier((choix.unite == "") == (choix.nature == "jalon"), f"{code}: unité")
        return {
            "code": code,
            "plan": plan,
            "objectif": objectif,
            "action": action,
            "libelle": nettoyer(libelle),
            "niveau": niveau,
            "nature": choix.nature,
            "unite": choix.unite,
            "periodicite": periodicite,
            "polarite": choix.polarite,
            "prioritaire": prioritaire,
            "echelle": choix.echelle,
            "definition": choix.definition,
            "source": source,
            "note": choix.note,
        }

    # -- cibles ---------------------------------------------------------------------------------

    def cibles(self) -> list[Ligne]:
        """Cibles chiffrées, toutes imprimées dans les documents, avec leur lien à l'indicateur.

        La table ``CIBLES`` dit quoi lire dans plan.yaml et dans quel ordre ; viennent ensuite
        les cibles de la convention MDE. Chaque cible de plan.yaml rattachée à une ligne du §7
        doit être reprise (vérifié à la fin) : un oubli ferait disparaître un objectif du
        tableau de bord.
        """
        lignes = [ligne for regle in CIBLES for ligne in self._lignes_cible(regle)]
        lignes += self._cibles_mde()
        manquantes = {
            (row["id"], c["ref"]) for row in self.rows for c in row.get("cibles") or []
        } - self._cibles_lues
        verifier(not manquantes, f"cibles de plan.yaml non reprises : {sorted(manquantes)}")
        return lignes

    def _lignes_cible(self, regle: RegleCible) -> list[Ligne]:
        """Déplie une entrée de ``CIBLES`` selon sa forme (cible imprimée ou bloc du §4)."""
        if isinstance(regle, RepartitionS4):
            return self._repartition_s4(regle)
        if isinstance(regle, OffresS4):
            return self._offres_s4(regle)
        return self._cible_imprimee(regle)

    def _cible_imprimee(self, regle: Cible) -> list[Ligne]:
        """Une cible du §7, répétée sur chaque période de la règle, avec son texte imprimé."""
        cible = self.cible_pdie(regle.ligne, regle.ref)
        libelle = regle.libelle
        if isinstance(libelle, Renvoi):
            libelle = self.lire(libelle, cible)
        return [
            self._ligne_cible(
                regle.indicateur,
                regle.territoire,
                periode,
                self.lire(regle.valeur, cible),
                regle.unite,
                libelle,
                self.source(regle.source),
                lien_de(cible),
                regle.note,
                derive=regle.derive,
                nature=nature_de(cible, derive=regle.derive, imposee=regle.nature),
                regle=regle.regle,
            )
            for periode in self._periodes(regle.periode)
        ]

    def _repartition_s4(self, regle: RepartitionS4) -> list[Ligne]:
        """Chaque territoire puis le TOTAL du tableau §4, par année et sur la durée du plan."""
        cible = self.cible_pdie(regle.ligne, regle.ref)
        territoires = self._territoires_s4()
        lignes: list[Ligne] = []
        for code in [*TERRITOIRES_S4, "TOTAL"]:
            bloc = territoires[code][regle.bloc]
            if code == "TOTAL":
                territoire, libelle = "67", f"TOTAL — {bloc['libelle']}"
                note_an = " ".join(n for n in (NOTE_S4, regle.note_total_par_an) if n)
                libelle_plage = "Somme des objectifs territoriaux (tableau §4)"
                note_plage = regle.note_total
            else:
                territoire, libelle, note_an = code, bloc["libelle"], NOTE_S4
                libelle_plage, note_plage = libelle, f"{NOTE_S4} Total {self.plage} imprimé."
            periodes = [(str(an), bloc["par_annee"][an], libelle, note_an) for an in self.annees]
            periodes.append((self.plage, bloc["total"], libelle_plage, note_plage))
            lignes += [
                self._ligne_cible(
                    regle.indicateur,
                    territoire,
                    periode,
                    valeur,
                    regle.unite,
                    texte,
                    self.source(regle.source),
                    lien_de(cible),
                    note,
                    nature=nature_de(cible, derive="non"),
                )
                for periode, valeur, texte, note in periodes
            ]
        return lignes

    def _offres_s4(self, regle: OffresS4) -> list[Ligne]:
        """Offres par territoire puis TOTAL, après contrôle des deux cibles contre le tableau §4."""
        par_territoire = self.cible_pdie(regle.ligne, regle.ref_tableau)
        fiche = self.cible_pdie(regle.ligne, regle.ref_fiche)
        imprime = {
            code: t["acces_emploi"]["offres_conseillers_departementaux_par_an"]
            for code, t in self._territoires_s4().items()
        }
        for code in TERRITOIRES_S4:
            verifier(par_territoire["valeurs"][code] == imprime[code], f"offres {code}")
        verifier(imprime["TOTAL"] == fiche["valeur"], f"offres TOTAL ≠ {regle.ref_fiche}")
        blocs = [(code, imprime[code], regle.source, regle.note) for code in TERRITOIRES_S4]
        blocs.append(("67", imprime["TOTAL"], regle.source_total, regle.note_total))
        return [
            self._ligne_cible(
                regle.indicateur,
                territoire,
                str(an),
                valeur,
                regle.unite,
                regle.libelle.format(valeur=valeur),
                self.source(source),
                lien_de(par_territoire),
                note,
                nature=nature_de(par_territoire, derive="non"),
            )
            for territoire, valeur, source, note in blocs
            for an in self.annees
        ]

    def _cibles_mde(self) -> list[Ligne]:
        """Convention MDE 2020 : seuls I1 et I2 ont une référence et une cible, reprises ici."""
        conv = self.plan["convention_mde_2020"]
        lignes: list[Ligne] = []
        for ind in conv["indicateurs_evaluation"]["liste"]:
            if ind["cible"] is None:
                continue
            texte = nettoyer(ind["texte"])
            lignes.append(
                self._ligne_cible(
                    ind["id"],
                    "EMS",
                    str(conv["duree"]["annee"]),
                    ind["cible"],
                    CHOIX_MDE[ind["id"]][1],
                    texte,
                    self.src("000", "Article 5, Stratégie 1.1"),
                    "explicite",
                    "Territoire EMS : la convention couvre l'Eurométropole de Strasbourg. Valeur "
                    f"de référence et cible écrites (« {texte} ») ; projet non signé.",
                    valeur_reference=ind["reference"],
                    nature=nature_de({}, derive="non"),
                )
            )
        return lignes

    @property
    def plage(self) -> str:
        """La durée du plan telle qu'écrite dans cibles.csv (« 2017-2019 »)."""
        return f"{self.annees[0]}-{self.annees[-1]}"

    def _periodes(self, periode: str) -> list[str]:
        """Les périodes d'une règle : les années viennent de plan.yaml, jamais de la table."""
        if periode == CHAQUE_ANNEE:
            return [str(an) for an in self.annees]
        if periode == DUREE_DU_PLAN:
            return [self.plage]
        if periode == FIN_DU_PLAN:
            return [str(self.annees[-1])]
        return [periode]

    def _territoires_s4(self) -> dict[str, dict[str, Any]]:
        """Les blocs du tableau §4 par code de territoire (TOTAL compris)."""
        return {t["code"]: t for t in self.plan["territorial_targets"]["territoires"]}

    def source(self, ou: str) -> str:
        """« 002 §4 » (écriture de la table) devient « 002_….txt §4 » (écriture des CSV)."""
        prefixe, _, endroit = ou.partition(" ")
        return self.src(prefixe, endroit)

    def lire(self, renvoi: Renvoi, cible: dict[str, Any]) -> Any:
        """Le champ de plan.yaml désigné par un ``Renvoi`` de la table ``CIBLES``."""
        match renvoi.objet:
            case "cible":
                objet = cible
            case "fiche":
                objet = self.fiche(renvoi.ident)
            case "cible de fiche":
                objet = self.cible_de_fiche(renvoi.ident, cible["valeur"])
            case "budget":
                objet = self.budget(renvoi.ident)
            case "ligne":
                objet = self.ligne_pdie(renvoi.ident)
            case _:
                raise ReferentielError(f"renvoi inconnu : {renvoi}")
        valeur = objet[renvoi.champ]
        return valeur.split(renvoi.coupe)[0] if renvoi.coupe else valeur

    @staticmethod
    def _ligne_cible(
        indicateur: str,
        territoire: str,
        periode: str,
        valeur: float,
        unite: str,
        libelle: str,
        source: str,
        lien: str,
        note: str = "",
        valeur_reference: float | None = None,
        derive: str = "non",
        nature: str = CIBLE_DU_PLAN,
        regle: str = "",
    ) -> Ligne:
        """Une ligne de cibles.csv ; le libellé perd ses artefacts de cellule (``nettoyer``).

        Une cible dérivée doit l'être par nous (``derive = oui``) et réciproquement ; seule une
        cible dérivée porte une règle : le référentiel n'est pas écrit sinon.
        """
        verifier((nature == CIBLE_DERIVEE) == (derive == "oui"), f"{indicateur} : nature {nature} "
                 f"alors que derive = {derive}")  # fmt: skip
        verifier(not regle or nature == CIBLE_DERIVEE, f"{indicateur} : règle sur {nature}")
        return {
            "indicateur": indicateur,
            "territoire": territoire,
            "periode": periode,
            "valeur": nombre(valeur),
            "valeur_reference": "" if valeur_reference is None else nombre(valeur_reference),
            "unite": unite,
            "libelle": nettoyer(libelle),
            "source": source,
            "derive": derive,
            "lien": lien,
            "nature": nature,
            "regle": regle,
            "note": note,
        }

    # -- ressources -----------------------------------------------------------------------------

    def ressources(self) -> list[Ligne]:
        """Moyens (ETP, effectifs, budgets) avec leur formulation d'origine à côté du nombre."""
        lignes: list[Ligne] = []
        conv = self.plan["convention_mde_2020"]
        annee = str(conv["duree"]["annee"])

        def ajouter(
            code: str,
            type_: str,
            objectif: str,
            partenaire: str,
            territoire: str,
            annee_: str,
            valeur: float,
            unite: str,
            texte: str,
            source: str,
            note: str = "",
        ) -> None:
            lignes.append(
                {
                    "code": code,
                    "type": type_,
                    "objectif": objectif,
                    "partenaire": partenaire,
                    "territoire": territoire,
                    "annee": annee_,
                    "valeur": nombre(valeur),
                    "unite": unite,
                    "texte": texte,
                    "source": source,
                    "note": note,
                }
            )

        notes_cd = {
            "1.2": "« Moyens CD : 1 » sans unité ; le paragraphe suivant précise : « Le temps de "
            "travail consacré à cette thématique sur l'Eurométropole peut être évalué à 1 ETP. »",
            "2.1": "Estimation du temps consolidé (équipe emploi de Strasbourg et chargée de "
            "mission du territoire de l'EMS), pas une affectation.",
            "3.1": "Écrit sans unité ; lu comme des ETP.",
            "4.1": "Écrit avec un point décimal (« 0.15 »), contrairement aux autres chiffres.",
        }
        for axe in conv["axes"]:
            for strat in axe["strategies"]:
                code = strat["code"]
                for cle, partenaire in (("MDE", "MDE"), ("CD", "Département")):
                    etp = strat["etp"][cle]
                    ajouter(
                        f"ETP-{cle}-{code}",
                        "etp",
                        f"MDE-{code}",
                        partenaire,
                        "EMS",
                        annee,
                        etp["valeur"],
                        "ETP",
                        etp["texte"],
                        self.src("000", f"Stratégie {code}"),
                        notes_cd.get(code, "") if cle == "CD" else "",
                    )
                if "etp_complementaire_CD" in strat:
                    etp = strat["etp_complementaire_CD"]
                    totaux = conv["etp_totaux_calcules"]
                    ajouter(
                        "ETP-CD-TRANSFRONTALIER",
                        "etp",
                        f"MDE-AXE{axe['numero']}",
                        "Département",
                        "67",
                        annee,
                        etp["valeur"],
                        "ETP",
                        etp["texte"],
                        self.src("000", f"Stratégie {code} (Axe n°{axe['numero']})"),
                        "« De manière plus globale » : périmètre plus large que l'EMS, d'où le "
                        "territoire 67. Le texte ne dit pas si les 0,15 ETP de Tremplin sur le "
                        f"Rhin y sont inclus : ETP du Département = {decimal_fr(totaux['CD'])} "
                        "sans cette ligne, "
                        f"{decimal_fr(totaux['CD_variante_avec_etp_transfrontalier_global'])} "
                        "avec "
                        "(INC-22). Ne pas additionner sans le dire.",
                    )

        # Effectifs et ETP du PDIE.
        rh = {r["id"]: r for r in self.pdie["moyens_humains"]}
        r = rh["RH-EQUIPE-EMPLOI"]
        ajouter(
            r["id"],
            "effectif",
            "A2",
            "Département",
            "67",
            "",
            r["valeur"],
            r["unite"],
            self.figure("HF-002-13")["texte"],
            self.src("002", f"§{r['section']}"),
            "« actuellement » : document de 2016, année non écrite. Conseillers localisés par "
            "territoire d'action et conseillers spécialisés par secteur (§5.2.12).",
        )
        r = rh["RH-CONTROLEURS-S2"]
        ajouter(
            r["id"],
            "effectif",
            "A31",
            "Département",
            "67",
            "",
            r["valeur"],
            r["unite"],
            r["texte"],
            self.src("002", f"§{r['section']}"),
            "Équipe créée en 2013, renforcée de 2 agents en 2016. Contredit les 13 contrôleurs "
            "internes du §5.5.5 (INC-06) : les deux chiffres sont gardés.",
        )
        r = rh["RH-CONTROLEURS-555"]
        ajouter(
            r["id"],
            "effectif",
            "A31",
            "Département",
            "67",
            "",
            r["valeur"],
            r["unite"],
            r["texte"],
            self.src("002", f"§{r['section']}"),
            "Contredit les « 15 agents (+ 2 en 2016) » du §2 (INC-06) : les deux chiffres sont "
            "gardés.",
        )
        r = rh["RH-PE-AG"]
        ajouter(
            r["id"],
            "effectif",
            "A10",
            "Pôle emploi",
            "67",
            "",
            r["valeur"],
            r["unite"],
            self.figure("HF-002-31")["texte"],
            self.src("002", f"§{r['section']}"),
            "Non daté (document de 2016).",
        )
        r = rh["RH-MEF-SAVERNE"]
        ajouter(
            r["id"],
            "etp",
            "",
            "Maison de l'Emploi et de la Formation de Saverne",
            "OUEST",
            "",
            r["valeur"],
            r["unite"],
            r["texte"],
            self.src("002", f"§{r['section']}"),
            "« environ » ; à compter du 1er juillet 2016. Résultat attendu : "
            f"{r['resultat_attendu']} (fiche 6.2.3, sans indicateur au §7).",
        )

        # Budgets du PDIE.
        b = self.budget("B-EMPLOI-15M")
        ajouter(
            b["id"],
            "budget",
            "OS-S3-1",
            "Département",
            "67",
            "",
            b["valeur"],
            "€/an",
            b["texte"],
            self.src("002", f"§{b['section']}"),
            "Minimum (« plus de ») ; « chaque année » du plan, sans année précise. Dont "
            "4 M€ de FSE (ligne B-FSE-4M). Périmètre différent des 20 M€ de B-INSERTION-20M "
            "(INC-07).",
        )
        b = self.budget("B-FSE-4M")
        ajouter(
            b["id"],
            "budget",
            "A6",
            "Département",
            "67",
            "",
            b["valeur"],
            "€/an",
            b["texte"],
            self.src("002", "§5.4.5, §7 (libellé A6)"),
            "Crédits FSE gérés par le Département (organisme intermédiaire), par an sur la "
            "programmation 2015-2020 ; inclus dans les 15 M€ du §3.1 ; 1,3 M€ par an lors de "
            "la programmation précédente.",
        )
        b = self.budget("B-INSERTION-20M")
        ajouter(
            b["id"],
            "budget",
            "",
            "Département",
            "67",
            "",
            b["valeur"],
            "€/an",
            b["texte"],
            self.src("002", f"§{b['section']}"),
            "Ensemble de la politique d'insertion, par an, sans année précise. 20 M€ / 149 M€ "
            "(dépense 2015) = 13,4 %, pas « près de 16 % » (INC-07).",
        )
        b = self.budget("B-ADE-200K")
        ajouter(
            b["id"],
            "budget",
            "A7",
            "Département",
            "67",
            "",
            b["valeur"],
            "€/an",
            b["texte"],
            self.src("002", f"§{b['section']}"),
            "Par an, sans année précise. Enveloppe de l'ADE (action A7, lien déduit).",
        )
        b = self.budget("B-RESI-65K")
        ajouter(
            b["id"],
            "budget",
            "A11",
            "Département",
            "67",
            str(b["annee"]),
            b["valeur"],
            "€",
            b["texte"],
            self.src("001", b["section"]),
            "Aide au Relais Emploi Santé Insertion (RESI), partenaire de la fiche 5.3.6 : "
            "rattachement à A11 déduit.",
        )
        b = self.budget("B-FONDS-URBAIN")
        ajouter(
            b["id"],
            "budget",
            "MDE-2.1",
            "Département",
            "67",
            "",
            b["valeur"],
            "€",
            b["texte"],
            self.src("000", b["section"]),
            "Fonds de la politique de la ville du Département (contrat de ville 2015/2022), "
            "cité dans la Stratégie 2.1 mais hors financement de la convention ; période non "
            "précisée.",
        )

        # Financement de la convention MDE (second « Article 6 »).
        fin = {ln["objet"]: ln for ln in conv["financement"]["lignes"]}
        ln = fin["programme Tremplin sur le Rhin"]
        ajouter(
            "FIN-MDE-TREMPLIN",
            "budget",
            "MDE-4.1",
            "Département",
            "EMS",
            annee,
            ln["valeur"],
            "€/an",
            ln["texte"],
            self.src("000", "Article 6 (modalités de financement)"),
            "Versé par le Département à la MDE. Avec la ligne QPV : « 48 000 € au total » "
            "(non repris comme ligne pour éviter un double compte).",
        )
        ln = fin["action en direction des Quartiers Prioritaires de la Ville"]
        ajouter(
            "FIN-MDE-QPV",
            "budget",
            "MDE-2.1",
            "Département",
            "EMS",
            annee,
            ln["valeur"],
            "€/an",
            ln["texte"],
            self.src("000", "Article 6 (modalités de financement)"),
            "Versé par le Département à la MDE.",
        )
        ln = fin[
            "création d'outils de pilotage et de suivi du partenariat (indicateurs d'impact "
            "pour les BRSA)"
        ]
        ajouter(
            "FIN-MDE-OUTILS",
            "budget",
            "",
            "Département",
            "EMS",
            annee,
            ln["valeur"],
            "€",
            ln["texte"],
            self.src("000", "Article 6 (modalités de financement)"),
            "Périodicité ambiguë : la phrase se termine par le fragment « pour un montant "
            "annuels. » (annuel ou ponctuel ?, INC-21). Commun aux quatre axes.",
        )
        return lignes

    # -- normes ---------------------------------------------------------------------------------

    def normes(self) -> list[Ligne]:
        """Les seules normes « résultat par ETP » des documents (fiche 5.2.14)."""
        f = self.fiche("5.2.14")
        textes = f["cibles_quantifiees"]
        file_active = next(t for t in textes if "valeurs" in t)
        placements = next(t for t in textes if t.get("valeur") == 50)
        placements_ml = next(t for t in textes if t.get("valeur") == 30)
        normes = {n["id"]: n for n in self.pdie["normes_de_productivite"]}
        source = self.src("002", "§5.2.14")
        lignes: list[Ligne] = []
        fa = normes["N-FILE-ACTIVE"]
        for terr in ("NORD", "OUEST", "SUD"):
            lignes.append(
                {
                    "code": f"N-FILE-ACTIVE-{terr}",
                    "libelle": fa["libelle"],
                    "valeur": nombre(fa["valeurs"]["hors_EMS"]),
                    "unite": "allocataires par mois par ETP",
                    "territoire": terr,
                    "texte": file_active["texte"],
                    "source": source,
                    "note": "« sur le périmètre hors EMS » = NORD, OUEST et SUD (une ligne par "
                    "territoire).",
                }
            )
        lignes.append(
            {
                "code": "N-FILE-ACTIVE-EMS",
                "libelle": fa["libelle"],
                "valeur": nombre(fa["valeurs"]["EMS"]),
                "unite": "allocataires par mois par ETP",
                "territoire": "EMS",
                "texte": file_active["texte"],
                "source": source,
                "note": "",
            }
        )
        note_periode = (
            "Aucune période écrite (INC-26), contrairement à la file active mensuelle. "
            "Placements = emplois de transition (CDDI, CDD courts) ou durables (CDD 6 mois ou "
            "plus). Les mises en formation certifiante ou qualifiante ne comptent pas mais "
            "« permettront de juger de la qualité des parcours ». Ratio descriptif seulement."
        )
        for ident, texte, note in (
            ("N-PLACEMENTS-ETP", placements["texte"], note_periode),
            (
                "N-PLACEMENTS-ETP-ML",
                placements_ml["texte"],
                note_periode + " Cas particulier des Missions locales (public jeune).",
            ),
        ):
            n = normes[ident]
            lignes.append(
                {
                    "code": ident,
                    "libelle": n["libelle"],
                    "valeur": nombre(n["valeur"]),
                    "unite": "placements par ETP",
                    "territoire": "67",
                    "texte": texte,
                    "source": source,
                    "note": note,
                }
            )
        return lignes

    # -- repères --------------------------------------------------------------------------------

    def reperes(self) -> list[Ligne]:
        """Chiffres de contexte retenus dans ``REPERES`` : jamais des cibles ni une série."""
        lignes: list[Ligne] = []
        for ident, (territoire, libelle, note) in REPERES.items():
            fig = self.figure(ident)
            verifier(fig.get("valeur") is not None, f"{ident}: pas de valeur")
            perimetre = fig["perimetre"]
            national = ident.startswith(("HF-001-FR", "HF-001-D"))
            if national:
                nature = "contexte national"
            elif str(fig["nature"]).startswith("estimation"):
                nature = "estimation"
            else:
                nature = "observé"
            perimetre_dit = bool(libelle) or perimetre.startswith("Bas-Rhin")
            verifier(
                perimetre_dit or territoire not in ("67", ""),
                f"{ident}: périmètre « {perimetre} » absent du libellé",
            )
            borne = {"environ": "Environ.", "minimum": "Minimum (« plus de »)."}.get(
                fig.get("borne", ""), ""
            )
            lignes.append(
                {
                    "code": ident,
                    "libelle": libelle or fig["libelle"],
                    "territoire": territoire,
                    "periode": str(fig["date"]),
                    "valeur": nombre(fig["valeur"]),
                    "unite": unite_fr(fig["unite"]),
                    "texte": fig["texte"],
                    "source": self.src(ident[3:6], section_ref(chiffre_romain(fig["section"]))),
                    "nature": nature,
                    "note": " ".join(p for p in (borne, note) if p),
                }
            )
        return lignes

    # -- écarts ---------------------------------------------------------------------------------

    def ecarts(self) -> list[Ligne]:
        """Les incohérences des documents, traduites pour les élus (toutes, sans tri)."""
        incs = self.plan["inconsistencies"]
        verifier({i["id"] for i in incs} == set(ECARTS_FR), "traductions des écarts incomplètes")
        lignes = []
        for inc in incs:
            ou, description = ECARTS_FR[inc["id"]]
            lignes.append(
                {
                    "code": inc["id"],
                    "sources": self.src.liste(inc["source"]),
                    "ou": ou,
                    "gravite": GRAVITE[inc["severity"]],
                    "description": description,
                }
            )
        return lignes

    # -- territoires ----------------------------------------------------------------------------

    def territoires(self) -> list[Ligne]:
        """Département et territoires d'action ; les cantons viennent de config/geographie."""
        terr = self.plan["territories"]
        sections6 = {
            f["territoire"]: f["section"]
            for f in self.plan["leviers"]["fiches"]
            if f.get("territoire")
        }
        libelles = {"NORD": "Nord", "OUEST": "Ouest", "SUD": "Sud"}
        notes = {
            "NORD": "L'« UTAMS Nord » (§6.1.2) relève de ce territoire ; ne pas la confondre "
            "avec les « UTAMS EMS Nord et Sud », sous-unités de l'EMS.",
            "OUEST": "",
            "EMS": "Libellé « EMS » dans le tableau §4, « EUROMETROPOLE » dans le titre du §6.3, "
            "« Eurométropole de Strasbourg » ou « l'eurométropole » dans le texte (INC-12). "
            "Comprend les UTAMS EMS Nord et Sud et les unités territoriales de la Ville de "
            "Strasbourg, qui agit sur délégation.",
            "SUD": "La fiche 6.4.5 mentionne « la fusion du territoire SUD ».",
        }
        lignes = [
            {
                "code": "67",
                "libelle": terr["departement"]["nom"],
                "niveau": "departement",
                "parent": "",
                "source": self.src("002", "préface, §4 (ligne TOTAL)"),
                "note": "Code INSEE du département ; « CD67 / D67 » dans les documents. "
                "Collectivité européenne d'Alsace à partir de 2021-2022 (000, 003). Aucun canton "
                "n'est nommé dans les documents.",
            }
        ]
        tda = terr["territoires_d_action"]
        for t in tda["liste"]:
            code = t["code"]
            lignes.append(
                {
                    "code": code,
                    "libelle": t.get("libelle_long") or libelles[code],
                    "niveau": "territoire_action",
                    "parent": "67",
                    "source": self.src(tda["source"][:3], f"§4, §{sections6[code]}"),
                    "note": notes[code],
                }
            )
        return lignes


# ---------------------------------------------------------------------------------------------
# Contrôles globaux et écriture
# ---------------------------------------------------------------------------------------------


def controler_comptes(plan: dict[str, Any], indicateurs: list[Ligne]) -> None:
    """Compare le référentiel aux comptes de l'extraction (section ``checks``)."""
    checks = plan["checks"]
    s7 = [i for i in indicateurs if i["plan"] == PDIE and not i["code"].startswith("SYN-")]
    verifier(len(s7) == checks["pdie_indicators_indicators"], f"{len(s7)} indicateurs du §7")
    attendu = {
        (k.lower() if k != "aucune" else ""): v
        for k, v in checks["pdie_indicators_by_periodicity"].items()
    }
    obtenu = Counter(i["periodicite"] for i in s7)
    verifier(dict(obtenu) == attendu, f"périodicités {dict(obtenu)} ≠ {attendu}")
    verifier(sum(i["prioritaire"] == "oui" for i in s7) == 18, "18 indicateurs étoilés attendus")
    verifier(sum(i["nature"] == "jalon" for i in s7) == 7, "7 jalons attendus")


FICHIERS: dict[str, list[str]] = {
    "plans.csv": ["code", "libelle", "debut", "fin", "source"],
    "objectifs.csv": ["code", "plan", "parent", "niveau", "libelle", "rang", "source"],
    "actions.csv": ["code", "objectif", "libelle", "leviers", "source"],
    "indicateurs.csv": [
        "code",
        "plan",
        "objectif",
        "action",
        "libelle",
        "niveau",
        "nature",
        "unite",
        "periodicite",
        "polarite",
        "prioritaire",
        "echelle",
        "definition",
        "source",
        "note",
    ],
    "cibles.csv": [
        "indicateur",
        "territoire",
        "periode",
        "valeur",
        "valeur_reference",
        "unite",
        "libelle",
        "source",
        "derive",
        "lien",
        "nature",
        "regle",
        "note",
    ],
    "ressources.csv": [
        "code",
        "type",
        "objectif",
        "partenaire",
        "territoire",
        "annee",
        "valeur",
        "unite",
        "texte",
        "source",
        "note",
    ],
    "normes.csv": ["code", "libelle", "valeur", "unite", "territoire", "texte", "source", "note"],
    "reperes.csv": [
        "code",
        "libelle",
        "territoire",
        "periode",
        "valeur",
        "unite",
        "texte",
        "source",
        "nature",
        "note",
    ],
    "ecarts.csv": ["code", "sources", "ou", "gravite", "description"],
    "territoires.csv": ["code", "libelle", "niveau", "parent", "source", "note"],
}


def construire(plan: dict[str, Any]) -> dict[str, list[Ligne]]:
    """Construit toutes les tables en mémoire, contrôles compris, avant toute écriture."""
    ref = Referentiel(plan)
    tables = {
        "plans.csv": ref.plans(),
        "objectifs.csv": ref.objectifs(),
        "actions.csv": ref.actions(),
        "indicateurs.csv": ref.indicateurs(),
        "cibles.csv": ref.cibles(),
        "ressources.csv": ref.ressources(),
        "normes.csv": ref.normes(),
        "reperes.csv": ref.reperes(),
        "ecarts.csv": ref.ecarts(),
        "territoires.csv": ref.territoires(),
    }
    controler_comptes(plan, tables["indicateurs.csv"])
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--plan",
        type=Path,
        default=PLAN_DEFAUT,
        help="plan.yaml (relatif à la racine du dépôt ; défaut : %(default)s)",
    )
    parser.add_argument(
        "--sortie",
        type=Path,
        default=SORTIE_DEFAUT,
        help="dossier de sortie (relatif à la racine ; défaut : %(default)s)",
    )
    args = parser.parse_args(argv)
    chemin_plan = args.plan if args.plan.is_absolute() else RACINE / args.plan
    sortie = args.sortie if args.sortie.is_absolute() else RACINE / args.sortie
    with chemin_plan.open(encoding="utf-8") as f:
        plan = yaml.safe_load(f)
    try:
        tables = construire(plan)
    except ReferentielError as exc:
        print(f"Référentiel non écrit : {exc}", file=sys.stderr)
        return 1
    for nom, colonnes in FICHIERS.items():
        n = ecrire_csv(sortie / nom, colonnes, tables[nom])
        print(f"{nom}: {n} lignes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
