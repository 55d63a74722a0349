"""Lecture des fichiers de référence de `config/` (CSV `;` en UTF-8), avec erreurs localisées.

Ces fichiers sont édités à la main (rattachement des cantons) ou régénérés par les scripts de
`scripts/` ; une erreur doit donc nommer le fichier, la ligne et la colonne, en français.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ErreurLocalisee(Exception):
    """Une donnée refusée, localisée pour que la personne qui l'a saisie la retrouve :
    `FICHIER:ligne N:colonne: message` (ligne et colonne absentes quand tout le fichier est en
    cause). Sert au référentiel et aux imports."""

    fichier: str
    ligne: int | None
    colonne: str | None
    message: str

    def __str__(self) -> str:
        lieu = self.fichier
        if self.ligne is not None:
            lieu += f":ligne {self.ligne}"
        if self.colonne:
            lieu += f":{self.colonne}"
        return f"{lieu}: {self.message}"


class ErreurReferentiel(ErreurLocalisee):
    """Une donnée de référence invalide (fichiers de `config/`)."""


@dataclass(frozen=True)
class Ligne:
    """Une ligne de CSV avec sa position, pour localiser les erreurs de conversion."""

    fichier: str
    numero: int
    champs: dict[str, str]

    def texte(self, colonne: str) -> str:
        return self.champs.get(colonne, "").strip()

    def entier(self, colonne: str) -> int | None:
        brut = self.texte(colonne)
        try:
            return int(brut) if brut else None
        except ValueError:
            raise self.erreur(colonne, f"nombre entier attendu, lu « {brut} »") from None

    def nombre(self, colonne: str) -> float | None:
        brut = self.texte(colonne).replace(",", ".").replace("\u202f", "").replace(" ", "")
        try:
            return float(brut) if brut else None
        except ValueError:
            raise self.erreur(colonne, f"nombre attendu, lu « {self.texte(colonne)} »") from None

    def booleen(self, colonne: str) -> bool:
        brut = self.texte(colonne).lower()
        if brut not in {"oui", "non"}:
            raise self.erreur(colonne, f"« oui » ou « non » attendu, lu « {brut} »")
        return brut == "oui"

    def erreur(self, colonne: str | None, message: str) -> ErreurReferentiel:
        return ErreurReferentiel(self.fichier, self.numero, colonne, message)


def read_csv(chemin: Path, colonnes: tuple[str, ...]) -> Iterator[Ligne]:
    """Lignes d'un CSV de référence ; vérifie que l'en-tête porte au moins `colonnes`."""
    nom = f"{chemin.parent.name}/{chemin.name}"
    if not chemin.exists():
        raise ErreurReferentiel(nom, None, None, "fichier introuvable")
    with chemin.open(encoding="utf-8", newline="") as f:
        lecteur = csv.DictReader(f, delimiter=";")
        manquantes = [c for c in colonnes if c not in (lecteur.fieldnames or [])]
        if manquantes:
            raise ErreurReferentiel(nom, 1, manquantes[0], "colonne manquante dans l'en-tête")
        for numero, champs in enumerate(lecteur, start=2):
            yield Ligne(nom, numero, {k: (v or "") for k, v in champs.items() if k})
