"""Trajectoire attendue d'une cible à une date, et statut d'un indicateur face à elle.

Modèle (le plan ne donne aucun profil infra-annuel : c'est le nôtre, affiché comme tel) :
- flux et montants : la cible est répartie au prorata des mois de sa plage ; à une date, on
  attend `cible × mois écoulés / mois de la plage`, les mois écoulés s'arrêtant à la fin de la
  dernière période pour laquelle l'indicateur a une valeur (on compare ce qui est comparable : un
  indicateur trimestriel est jugé sur son dernier trimestre connu, jamais sur un mois en cours) ;
- stocks, taux et jalons : la cible est un niveau, attendu tel quel.
Seuils de statut : `config/trajectoire.toml`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from config.settings import Seuils
from data_access import agregation
from data_access.periodes import Mois, Plage


class Statut(StrEnum):
    """Statut affiché : toujours avec une icône et un mot, jamais par la couleur seule."""

    EN_AVANCE = "en avance"
    DANS_LA_TRAJECTOIRE = "dans la trajectoire"
    EN_RETARD = "en retard"
    NON_RENSEIGNE = "non renseigné"


@dataclass(frozen=True)
class Evaluation:
    """Réalisé, attendu et statut d'une cible à une date."""

    cible: float
    reel: float | None
    attendu: float | None
    part_ecoulee: float
    donnees_au: str | None
    statut: Statut


def _vide(x: float | None) -> bool:
    return x is None or math.isnan(x)


def statut(reel: float | None, attendu: float | None, *, polarite: str, seuils: Seuils) -> Statut:
    """Statut selon le rapport réalisé / attendu, inversé pour un indicateur à la baisse."""
    if _vide(reel) or _vide(attendu):
        return Statut.NON_RENSEIGNE
    assert reel is not None and attendu is not None
    if polarite == "baisse":
        reel, attendu = attendu, reel
    if attendu <= 0:
        return Statut.EN_AVANCE if reel > 0 else Statut.DANS_LA_TRAJECTOIRE
    rapport = reel / attendu
    if rapport >= 1 + seuils.avance:
        return Statut.EN_AVANCE
    if rapport >= 1 - seuils.retard:
        return Statut.DANS_LA_TRAJECTOIRE
    return Statut.EN_RETARD


def evaluer(
    serie: pd.DataFrame,
    *,
    nature: str,
    polarite: str,
    cible: float,
    plage: Plage,
    mois: Mois,
    seuils: Seuils,
) -> Evaluation:
    """Évalue une cible à la fin de `mois` à partir de la série (colonnes debut, fin, valeur)."""
    horizon = min(mois, plage.fin)
    dans_plage = serie[
        (serie["debut"] >= str(plage.debut))
        & (serie["fin"] <= str(horizon))
        & serie["valeur"].notna()
    ].sort_values("fin")
    if dans_plage.empty:
        return Evaluation(cible, None, None, 0.0, None, Statut.NON_RENSEIGNE)
    derniere = Mois.parse(str(dans_plage["fin"].iloc[-1]))
    part = (derniere.rang - plage.debut.rang + 1) / plage.nb_mois
    reel = agregation.cumule(dans_plage["valeur"], nature=nature)
    attendu = cible * part if nature in {"flux", "montant"} else cible
    return Evaluation(
        cible=cible,
        reel=reel,
        attendu=attendu,
        part_ecoulee=part,
        donnees_au=str(dans_plage["periode"].iloc[-1]),
        statut=statut(reel, attendu, polarite=polarite, seuils=seuils),
    )
