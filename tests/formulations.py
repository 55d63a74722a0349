"""La règle d'écriture d'une période, vérifiée sur ce que lit une personne (ticket 18, point 6).

« Données au juin 2019 », « au année 2018 », « au non renseigné » sont fautifs ; « au 2e
trimestre » se confond avec une date d'arrêté. Toute période s'écrit par
`formats.periode_precedee` / `formats.donnees_de` : aucun texte montré ne doit plus contenir
« au » suivi d'un mois, de « année », de « non renseigné » ou d'un chiffre.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

AU_FAUTIF = re.compile(
    r"\bau (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
    r"|décembre|année|non renseigné|\d)",
    re.IGNORECASE,
)


def fautes(textes: Iterable[str]) -> list[str]:
    """Les textes où une période suit « au » (vide : tout est bien écrit)."""
    return [t for t in textes if AU_FAUTIF.search(t)]


# Caractères qu'un système dessine en émoji (ticket 20) : sur une machine sans police d'émojis,
# ce sont des carrés vides. Les blocs d'émojis, le sélecteur de variante qui force l'émoji
# (U+FE0F), le liant des séquences (U+200D), et les quelques flèches et formes qui ont une forme
# émoji (▶ ◀ ◻ ◼ ↔ ↩…). Les formes géométriques simples des statuts (▲ ● ▼ ○ ◇) n'en sont pas.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\ufe0f\u200d"
    "\u2194-\u2199\u21a9\u21aa\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2934\u2935\u3030\u303d]"
)


def emojis(textes: Iterable[str]) -> list[str]:
    """Les textes qui contiennent un émoji, chacun avec le caractère fautif en U+XXXX."""
    return [f"U+{ord(m[0]):04X} dans {t[:120]!r}" for t in textes if (m := EMOJI.search(t))]
