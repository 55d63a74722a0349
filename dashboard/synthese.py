"""Tableau de synthèse des objectifs phares du plan (§3 du PDIE) à une date."""

from __future__ import annotations

import pandas as pd

from dashboard import formats

# Indicateurs phares : les objectifs chiffrés du §3 du PDIE (002), dans l'ordre du plan.
INDICATEURS_PHARES = ("OO2-S.1", "OO3-S.1", "OO1-S.1", "A31.1")

ICONES = {
    "en avance": "🔵 en avance",
    "dans la trajectoire": "🟢 dans la trajectoire",
    "en retard": "🟠 en retard",
    "non renseigné": "⚪ non renseigné",
}


def build_tableau(progressions: pd.DataFrame, libelles: dict[str, str]) -> pd.DataFrame:
    """Une ligne par cible en cours, formatée en français pour l'affichage."""
    en_cours = progressions[progressions["en_cours"]]
    return pd.DataFrame(
        {
            "Indicateur": en_cours["indicateur"].map(libelles),
            "Cible": [
                f"{formats.nombre(c)} ({p})"
                for c, p in zip(en_cours["cible"], en_cours["periode_cible"], strict=True)
            ],
            "Réalisé": en_cours["reel"].map(formats.nombre),
            "Attendu à la date": en_cours["attendu"].map(formats.nombre),
            "Statut": en_cours["statut"].map(ICONES),
            "Données au": en_cours["donnees_au"].map(formats.periode),
            "Source de la cible": en_cours["source"],
        }
    ).reset_index(drop=True)
