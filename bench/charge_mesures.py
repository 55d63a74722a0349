"""Ce que partagent les deux pilotes du banc de charge (protocole et Chromium) : le parcours
d'une session, ses constantes, et le relevé des mesures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

PAGES = ("/synthese", "/objectifs", "/territoires", "/tableau-de-bord", "/carte")
# Libellé affiché dans le sélecteur « Période » -> valeur écrite dans l'adresse.
PERIODES = {"juin 2019": "2019-06", "mars 2019": "2019-03", "décembre 2018": "2018-12"}
VUE_SONDE = "periode=2019-12&territoire=67"
CLE_SONDE = "carte_OO2-S-1"  # carte « Retours à l'emploi durable » de la Synthèse
IDENTIFIANT, MOT_DE_PASSE = "pilotage", "demo-pilotage-67"
AJOUT_PAR_CANTON = 10
OBJECTIF_P95_S = 1.0


@dataclass
class Mesures:
    """Durées (secondes), erreurs vues, lectures de la sonde de cohérence."""

    affichages: list[float] = field(default_factory=list)
    changements: list[float] = field(default_factory=list)
    connexions: list[float] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    sonde: list[float] = field(default_factory=list)
    reprises: int = 0
    par_page: dict[str, list[float]] = field(default_factory=dict)  # changements, par page

    def changement(self, chemin: str, duree: float) -> None:
        self.changements.append(duree)
        self.par_page.setdefault(chemin, []).append(duree)


def nombre(texte: str) -> float:
    """« 12 345 » ou « 45,2 » (espaces fines et insécables comprises) en nombre."""
    for blanc in ("\u202f", "\xa0", " "):
        texte = texte.replace(blanc, "")
    return float(texte.replace(",", "."))


def centile(valeurs: list[float], q: int) -> float:
    if len(valeurs) == 1:
        return valeurs[0]
    return statistics.quantiles(valeurs, n=100, method="inclusive")[q - 1]
