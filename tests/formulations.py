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
