"""Trajectoire attendue d'une cible à une date, et statut d'un indicateur face à elle.

Modèle (le plan ne donne aucun profil infra-annuel : c'est le nôtre, affiché comme tel) :
- flux et montants : la cible est répartie au prorata des mois de sa plage ; à une date, on
  attend `cible × mois écoulés / mois de la plage`, les mois écoulés s'arrêtant à la fin de la
  dernière période pour laquelle l'indicateur a une valeur (on compare ce qui est comparable : un
  indicateur trimestriel est jugé sur son dernier trimestre connu, jamais sur un mois en cours) ;
- stocks et taux : la cible est un niveau, attendu tel quel ;
- toute nature, quand la cible a une situation de départ (`valeur_reference`, MDE : 4 → 8,
  100 → 200) : on attend `départ + (cible − départ) × part écoulée`, une ligne droite du départ
  à la cible (un flux sans départ écrit est le cas `départ = 0`) ;
- jalon : réalisé quand sa dernière valeur connue vaut 1 ou plus, sans échéance intermédiaire ;
- indicateur sans cible : dernière valeur connue et sens de son évolution, sans statut ;
- cible dont la plage commence avant toute donnée possible (A6.1 : 20 000 participants FSE de
  2015 à 2020, quand aucune valeur antérieure au début du plan, 2017-01, ne s'importe) :
  « non évaluable », sans valeur attendue. La juger à partir de 2017 demanderait de retrancher
  de la cible ce qui a été fait en 2015-2016, que personne ne connaît : on ne la recale pas.
Seuils de statut : `config/trajectoire.toml`. Chaque règle a sa phrase d'explication
(`phrase_modele`), que l'interface affiche partout où elle montre une valeur attendue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from config.settings import Seuils
from data_access import agregation
from data_access.periodes import Mois, Plage

NATURES_PRORATISEES = frozenset({"flux", "montant"})
# En deçà de cet écart relatif entre deux périodes, une évolution est dite « stable ».
SEUIL_STABLE = 0.005


class Statut(StrEnum):
    """Statut affiché : toujours avec une icône et un mot, jamais par la couleur seule."""

    EN_AVANCE = "en avance"
    DANS_LA_TRAJECTOIRE = "dans la trajectoire"
    EN_RETARD = "en retard"
    NON_RENSEIGNE = "non renseigné"
    # Deux états qui ne jugent pas : une cible qui n'est pas un engagement du plan (lien inféré,
    # plafond, valeur de référence : `natures_cibles`), une trajectoire qu'aucune donnée ne peut
    # couvrir depuis son début. Ni l'un ni l'autre n'est une alerte.
    REPERE = "repère"
    NON_EVALUABLE = "non évaluable"


@dataclass(frozen=True)
class Evaluation:
    """Réalisé, attendu et statut d'une cible à une date."""

    cible: float
    reel: float | None
    attendu: float | None
    part_ecoulee: float
    donnees_au: str | None
    statut: Statut
    valeur_reference: float | None = None


@dataclass(frozen=True)
class Derniere:
    """Dernière valeur connue à une date et celle de la période d'avant (pour l'évolution)."""

    valeur: float | None
    periode: str | None
    valeur_precedente: float | None
    periode_precedente: str | None

    @property
    def evolution(self) -> float | None:
        """Écart entre les deux dernières périodes connues, ou None s'il en manque une."""
        if _vide(self.valeur) or _vide(self.valeur_precedente):
            return None
        assert self.valeur is not None and self.valeur_precedente is not None
        return self.valeur - self.valeur_precedente


@dataclass(frozen=True)
class EtatJalon:
    """Un jalon à une date : réalisé ou non (None sans valeur), et la période qui le dit."""

    realise: bool | None
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


def valeur_attendue(
    *, nature: str, cible: float, part: float, valeur_reference: float | None = None
) -> float:
    """Valeur attendue après une part `part` (0 à 1) de la plage de la cible.

    Avec une situation de départ, ligne droite du départ à la cible, quelle que soit la nature ;
    sinon un flux ou un montant se proratise, un stock ou un taux est attendu à son niveau cible.
    """
    if not _vide(valeur_reference):
        assert valeur_reference is not None
        return valeur_reference + (cible - valeur_reference) * part
    return cible * part if nature in NATURES_PRORATISEES else cible


@dataclass(frozen=True)
class _Connues:
    """Périodes closes et renseignées d'une série, triées par fin, en tableaux numpy."""

    debut: np.ndarray
    fin: np.ndarray
    periode: np.ndarray
    valeur: np.ndarray


def _connues(serie: pd.DataFrame, mois: Mois) -> _Connues:
    """Périodes closes à la fin de `mois` (la période en cours n'est jamais jugée), triées.

    En tableaux numpy plutôt qu'en DataFrame : la page Objectifs l'appelle pour chacun de ~70
    indicateurs et de leurs cibles, un département à l'échelle de la France pour 150, et filtrer
    un petit DataFrame coûte dix fois plus que le calcul qui suit.
    """
    fin = serie["fin"].to_numpy(dtype=object)
    valeur = serie["valeur"].to_numpy(dtype="float64", na_value=np.nan)
    garde = (fin <= str(mois)) & ~np.isnan(valeur)
    connues = _Connues(
        debut=serie["debut"].to_numpy(dtype=object)[garde], fin=fin[garde],
        periode=serie["periode"].to_numpy(dtype=object)[garde], valeur=valeur[garde],
    )  # fmt: skip
    if connues.fin.size < 2 or bool(np.all(connues.fin[:-1] <= connues.fin[1:])):
        return connues
    ordre = np.argsort(connues.fin, kind="stable")
    return _Connues(connues.debut[ordre], connues.fin[ordre], connues.periode[ordre],
                    connues.valeur[ordre])  # fmt: skip


def evaluer(
    serie: pd.DataFrame,
    *,
    nature: str,
    polarite: str,
    cible: float,
    plage: Plage,
    mois: Mois,
    seuils: Seuils,
    valeur_reference: float | None = None,
    debut_donnees: Mois | None = None,
) -> Evaluation:
    """Évalue une cible à la fin de `mois` à partir de la série (colonnes debut, fin, valeur).

    `debut_donnees` : le premier mois qui peut porter une valeur (début du plan de
    l'indicateur) ; une plage qui commence avant est « non évaluable » : le réalisé connu est
    rendu, mais ni valeur attendue ni jugement.
    """
    horizon = min(mois, plage.fin)
    connues = _connues(serie, horizon)
    dans_plage = connues.debut >= str(plage.debut)
    evaluable = debut_donnees is None or plage.debut >= debut_donnees
    if not dans_plage.any():
        statut_vide = Statut.NON_RENSEIGNE if evaluable else Statut.NON_EVALUABLE
        return Evaluation(cible, None, None, 0.0, None, statut_vide, valeur_reference)
    fins, codes = connues.fin[dans_plage], connues.periode[dans_plage]
    derniere = Mois.parse(str(fins[-1]))
    part = (derniere.rang - plage.debut.rang + 1) / plage.nb_mois
    reel = agregation.cumule(connues.valeur[dans_plage], nature=nature)
    if not evaluable:
        return Evaluation(cible, reel, None, part, str(codes[-1]), Statut.NON_EVALUABLE,
                          valeur_reference)  # fmt: skip
    attendu = valeur_attendue(
        nature=nature, cible=cible, part=part, valeur_reference=valeur_reference
    )
    return Evaluation(
        cible=cible,
        reel=reel,
        attendu=attendu,
        part_ecoulee=part,
        donnees_au=str(codes[-1]),
        statut=statut(reel, attendu, polarite=polarite, seuils=seuils),
        valeur_reference=valeur_reference,
    )


def derniere(serie: pd.DataFrame, *, mois: Mois) -> Derniere:
    """Dernière valeur d'une période close à la fin de `mois`, et la valeur connue d'avant.

    Chaque indicateur reste dans sa périodicité : un semestriel vu en août 2019 montre son
    1er semestre 2019, étiqueté comme tel, jamais un zéro pour le mois en cours.
    """
    connues = _connues(serie, mois)
    if connues.valeur.size == 0:
        return Derniere(None, None, None, None)
    valeurs, codes = connues.valeur, connues.periode
    avant = len(valeurs) > 1
    return Derniere(
        valeur=float(valeurs[-1]),
        periode=str(codes[-1]),
        valeur_precedente=float(valeurs[-2]) if avant else None,
        periode_precedente=str(codes[-2]) if avant else None,
    )


def tendance(d: Derniere) -> str | None:
    """« en hausse », « en baisse » ou « stable » entre les deux dernières périodes connues."""
    ecart = d.evolution
    if ecart is None:
        return None
    assert d.valeur_precedente is not None
    reference = abs(d.valeur_precedente) or 1.0
    if abs(ecart) / reference < SEUIL_STABLE:
        return "stable"
    return "en hausse" if ecart > 0 else "en baisse"


def evaluer_jalon(serie: pd.DataFrame, *, mois: Mois) -> EtatJalon:
    """Réalisé si la dernière valeur connue vaut 1 ou plus ; sans valeur : non renseigné.

    Le plan ne fixe aucune échéance aux jalons : un jalon non réalisé compte comme « en retard »
    (le plan l'attend), ce que `phrase_modele("jalon")` dit à l'écran.
    """
    d = derniere(serie, mois=mois)
    if d.valeur is None:
        return EtatJalon(None, None, Statut.NON_RENSEIGNE)
    realise = d.valeur >= 1
    return EtatJalon(
        realise, d.periode, Statut.DANS_LA_TRAJECTOIRE if realise else Statut.EN_RETARD
    )


_PHRASES = {
    "flux": (
        "Valeur attendue : la cible répartie au prorata des mois écoulés de sa période, arrêtée "
        "à la dernière période connue de l'indicateur (modèle de Pilotage : le plan ne donne "
        "aucun profil infra-annuel)."
    ),
    "montant": (
        "Valeur attendue : le montant cible réparti au prorata des mois écoulés de sa période, "
        "arrêté à la dernière période connue de l'indicateur (modèle de Pilotage : le plan ne "
        "donne aucun profil infra-annuel)."
    ),
    "stock": (
        "Valeur attendue : la cible elle-même, un niveau comparé au dernier niveau connu, sans "
        "cumul dans le temps."
    ),
    "taux": (
        "Valeur attendue : le taux cible lui-même, comparé au dernier taux connu, recomposé à "
        "partir des numérateurs et dénominateurs."
    ),
    "jalon": (
        "Un jalon est réalisé quand sa dernière valeur connue vaut 1 ou plus ; non réalisé, il "
        "compte comme en retard (le plan ne lui fixe pas d'échéance) ; sans valeur, il est non "
        "renseigné."
    ),
}
_PHRASE_REFERENCE = (
    "Valeur attendue : une ligne droite de la situation de départ à la cible, au prorata des "
    "mois écoulés de sa période, arrêtée à la dernière période connue (modèle de Pilotage)."
)


def phrase_modele(nature: str, *, reference: bool = False) -> str:
    """La phrase qui explique à l'écran comment la valeur attendue est calculée.

    `reference` : la cible a une situation de départ écrite (la ligne droite s'applique alors à
    toute nature). Lève ValueError pour une nature inconnue, pour qu'aucune valeur attendue ne
    s'affiche sans son explication.
    """
    if nature not in _PHRASES:
        raise ValueError(f"nature d'indicateur inconnue : « {nature} »")
    if reference and nature != "jalon":
        return _PHRASE_REFERENCE
    return _PHRASES[nature]
