"""Nature d'une cible : ce qui décide si elle reçoit un statut ou reste un repère.

Une cible n'est jugée (en avance, dans la trajectoire, en retard) que si le plan la fixe
lui-même, ou si nous l'avons calculée à partir de chiffres imprimés par une règle écrite. Un
chiffre rattaché à l'indicateur par notre lecture des documents (lien inféré), une enveloppe à ne
pas dépasser (plafond) ou une valeur citée pour comparaison n'est pas un engagement du plan : le
juger ferait dire « en retard » au tableau de bord sur un objectif que personne n'a fixé, et
bloquerait la publication jusqu'à ce qu'on explique un retard qui n'existe pas. La nature vient
du référentiel (colonne `nature` de `config/referentiel/cibles.csv`, écrite par
`scripts/build_referentiel.py`).
"""

from __future__ import annotations

from enum import StrEnum


class NatureCible(StrEnum):
    """Les cinq natures d'une cible, codes de la colonne `nature` du référentiel."""

    PLAN = "plan"
    DERIVEE = "derivee"
    LIEN_INFERE = "lien_infere"
    PLAFOND = "plafond"
    REFERENCE = "reference"


LIBELLES = {
    NatureCible.PLAN: "cible du plan",
    NatureCible.DERIVEE: "cible dérivée",
    NatureCible.LIEN_INFERE: "lien inféré",
    NatureCible.PLAFOND: "plafond",
    NatureCible.REFERENCE: "valeur de référence",
}

SENS = {
    NatureCible.PLAN: "chiffre écrit dans un document, qui le rattache lui-même à l'indicateur",
    NatureCible.DERIVEE: (
        "chiffre calculé par Pilotage à partir de chiffres écrits, selon une règle énoncée"
    ),
    NatureCible.LIEN_INFERE: (
        "chiffre écrit dans un document, mais rattaché à cet indicateur par notre lecture des "
        "documents, pas par le document lui-même"
    ),
    NatureCible.PLAFOND: "enveloppe à ne pas dépasser, pas un objectif à atteindre",
    NatureCible.REFERENCE: "situation ou ordre de grandeur cité pour comparaison, pas un objectif",
}
SANS_REGLE = "sans règle de calcul écrite"


def donne_un_statut(nature: str, regle: str = "") -> bool:
    """Vrai pour une cible du plan, ou une cible dérivée dont la règle de calcul est écrite."""
    if nature == NatureCible.PLAN:
        return True
    return nature == NatureCible.DERIVEE and bool(regle.strip())


def en_mots(nature: str, regle: str = "") -> str:
    """« plafond », « lien inféré », « cible dérivée sans règle de calcul écrite »… ; une nature
    inconnue (édition publiée avant que la nature existe) est rendue vide."""
    if nature not in LIBELLES:
        return ""
    libelle = LIBELLES[NatureCible(nature)]
    if nature == NatureCible.DERIVEE and not regle.strip():
        return f"{libelle} {SANS_REGLE}"
    return libelle


def explication(nature: str, regle: str = "") -> str:
    """Ce que la nature veut dire, en une phrase : « Plafond : enveloppe à ne pas dépasser… »."""
    if nature not in SENS:
        return ""
    texte = f"{en_mots(nature, regle).capitalize()} : {SENS[NatureCible(nature)]}"
    if nature == NatureCible.DERIVEE and regle.strip():
        texte += f" (règle : {regle.strip()})"
    return texte + "."
