"""Ce qu'une cible est, dit en mots à côté de son statut : cible du plan, repère, non évaluable.

Une cible qui n'est pas un engagement du plan (lien inféré, plafond, valeur de référence, cible
dérivée sans règle écrite) est montrée comme « repère », avec sa nature, jamais comme un retard
(`data_access.natures_cibles`) ; une cible dont la plage commence avant toute donnée possible est
« non évaluable », avec la raison. Ces phrases servent partout où un statut s'affiche : cartes,
page Objectifs, tableau de bord, comité, exports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard import formats
from data_access import natures_cibles, periodes
from data_access.trajectoire import Statut

REPERE = Statut.REPERE.value
NON_EVALUABLE = Statut.NON_EVALUABLE.value
NON_JUGES = frozenset({REPERE, NON_EVALUABLE})


def mot_statut(statut: str, nature: str = "", regle: str = "") -> str:
    """Le statut en mots, avec la nature de la cible pour un repère : « repère (plafond) »."""
    nom = natures_cibles.en_mots(nature, regle)
    return f"{statut} ({nom})" if statut == REPERE and nom else statut


def _texte(ligne: Mapping[str, Any], colonne: str) -> str:
    return formats.texte_ou_vide(ligne.get(colonne))


def nature(ligne: Mapping[str, Any]) -> str:
    """La nature d'une cible de progression en mots (« lien inféré »), vide sans cible."""
    return natures_cibles.en_mots(_texte(ligne, "nature_cible"), _texte(ligne, "regle_cible"))


def raison_non_evaluable(periode_cible: str, debut_donnees: str) -> str:
    """« Trajectoire non évaluable : la cible court depuis janvier 2015, mais aucune valeur
    antérieure à janvier 2017 (début du plan) ne peut être importée… »."""
    debut = periodes.parse_plage(periode_cible).debut
    return (
        f"Trajectoire non évaluable : la cible ({periode_cible}) court depuis "
        f"{formats.periode(str(debut))}, mais aucune valeur antérieure à "
        f"{formats.periode(debut_donnees)} (début du plan) ne peut être importée. Le réalisé "
        "ne couvre qu'une partie de la plage : il n'est comparé à aucune valeur attendue."
    )


def motif(ligne: Mapping[str, Any]) -> str:
    """Pourquoi une cible de progression (ligne de `read_progressions`) n'est pas jugée : sa
    nature, sa trajectoire non évaluable, ou les deux ; vide pour une cible jugée."""
    if _texte(ligne, "suivi") != "cible":
        return ""
    phrases = []
    if _texte(ligne, "statut") == REPERE:
        sens = natures_cibles.explication(_texte(ligne, "nature_cible"),
                                          _texte(ligne, "regle_cible"))  # fmt: skip
        phrases.append(f"Repère, sans statut ni valeur attendue. {sens}".strip())
    debut_donnees = _texte(ligne, "debut_donnees")
    if debut_donnees and not bool(ligne.get("trajectoire_evaluable")):
        phrases.append(raison_non_evaluable(_texte(ligne, "periode_cible"), debut_donnees))
    return " ".join(phrases)
