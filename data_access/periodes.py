"""Périodes des indicateurs : mois, trimestre, semestre, année, et plages de cibles.

Les indicateurs du plan ont leur propre périodicité (§7 du PDIE : 6 mensuels, 7 trimestriels,
23 semestriels, 9 annuels). Une valeur trimestrielle n'est jamais additionnée comme si elle était
mensuelle : tout calcul passe par ce module, qui connaît le premier et le dernier mois de chaque
période. Formats : `2019-06`, `2019-T2`, `2019-S1`, `2019` ; cibles : `2019` ou `2017-2019`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Periodicite(StrEnum):
    """Périodicités du tableau §7, dans les mots du référentiel."""

    MENSUELLE = "mensuelle"
    TRIMESTRIELLE = "trimestrielle"
    SEMESTRIELLE = "semestrielle"
    ANNUELLE = "annuelle"

    @property
    def mois(self) -> int:
        """Nombre de mois d'une période."""
        return {"mensuelle": 1, "trimestrielle": 3, "semestrielle": 6, "annuelle": 12}[self.value]


class PeriodeInvalide(ValueError):
    """Une chaîne qui n'est pas une période reconnue."""


@dataclass(frozen=True, order=True)
class Mois:
    """Un mois civil ; ordonné, et convertible en rang pour les calculs de durée."""

    annee: int
    mois: int

    @classmethod
    def depuis_rang(cls, rang: int) -> Mois:
        return cls(rang // 12, rang % 12 + 1)

    @classmethod
    def parse(cls, texte: str) -> Mois:
        m = re.fullmatch(r"(\d{4})-(\d{2})", texte.strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise PeriodeInvalide(f"mois invalide : « {texte} » (attendu AAAA-MM)")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def rang(self) -> int:
        return self.annee * 12 + self.mois - 1

    def decale(self, n: int) -> Mois:
        return Mois.depuis_rang(self.rang + n)

    def __str__(self) -> str:
        return f"{self.annee:04d}-{self.mois:02d}"


@dataclass(frozen=True)
class Periode:
    """Une période d'indicateur : son code canonique, sa périodicité, ses mois de début et fin."""

    code: str
    periodicite: Periodicite
    debut: Mois
    fin: Mois


_MOTIFS: tuple[tuple[str, Periodicite], ...] = (
    (r"(\d{4})-(\d{2})", Periodicite.MENSUELLE),
    (r"(\d{4})-T([1-4])", Periodicite.TRIMESTRIELLE),
    (r"(\d{4})-S([12])", Periodicite.SEMESTRIELLE),
    (r"(\d{4})", Periodicite.ANNUELLE),
)


def parse(code: str) -> Periode:
    """Période d'un code (`2019-06`, `2019-T2`, `2019-S1`, `2019`) ; lève PeriodeInvalide."""
    texte = code.strip().upper()
    for motif, periodicite in _MOTIFS:
        m = re.fullmatch(motif, texte)
        if not m:
            continue
        annee = int(m.group(1))
        rang = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
        if periodicite is Periodicite.MENSUELLE and not 1 <= rang <= 12:
            break
        debut = Mois(annee, (rang - 1) * periodicite.mois + 1)
        return Periode(
            _code(debut, periodicite), periodicite, debut, debut.decale(periodicite.mois - 1)
        )
    raise PeriodeInvalide(
        f"période invalide : « {code} » (attendu 2019-06, 2019-T2, 2019-S1 ou 2019)"
    )


def _code(debut: Mois, periodicite: Periodicite) -> str:
    rang = (debut.mois - 1) // periodicite.mois + 1
    return {
        Periodicite.MENSUELLE: f"{debut}",
        Periodicite.TRIMESTRIELLE: f"{debut.annee}-T{rang}",
        Periodicite.SEMESTRIELLE: f"{debut.annee}-S{rang}",
        Periodicite.ANNUELLE: f"{debut.annee}",
    }[periodicite]


def contenant(mois: Mois, periodicite: Periodicite) -> Periode:
    """La période de cette périodicité qui contient `mois`."""
    debut_rang = (mois.mois - 1) // periodicite.mois * periodicite.mois + 1
    return parse(_code(Mois(mois.annee, debut_rang), periodicite))


def derniere_close(mois: Mois, periodicite: Periodicite) -> Periode:
    """La dernière période entièrement écoulée à la fin de `mois` (elle peut finir en `mois`)."""
    courante = contenant(mois, periodicite)
    if courante.fin == mois:
        return courante
    return contenant(courante.debut.decale(-1), periodicite)


def suivante(periode: Periode, n: int = 1) -> Periode:
    """La période `n` rangs après `periode` (n négatif : avant)."""
    return contenant(periode.debut.decale(n * periode.periodicite.mois), periode.periodicite)


def entre(debut: Mois, fin: Mois, periodicite: Periodicite) -> list[Periode]:
    """Les périodes entières de cette périodicité comprises entre deux mois inclus."""
    resultat: list[Periode] = []
    courante = contenant(debut, periodicite)
    if courante.debut < debut:
        courante = suivante(courante)
    while courante.fin <= fin:
        resultat.append(courante)
        courante = suivante(courante)
    return resultat


@dataclass(frozen=True)
class Plage:
    """La plage d'une cible : une année (`2019`) ou des années cumulées (`2017-2019`)."""

    code: str
    debut: Mois
    fin: Mois

    @property
    def nb_mois(self) -> int:
        return self.fin.rang - self.debut.rang + 1


def parse_plage(code: str) -> Plage:
    """Plage d'une cible ; lève PeriodeInvalide."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", code.strip())
    if not m:
        raise PeriodeInvalide(f"plage de cible invalide : « {code} » (attendu 2019 ou 2017-2019)")
    premiere, derniere = int(m.group(1)), int(m.group(2) or m.group(1))
    if derniere < premiere:
        raise PeriodeInvalide(f"plage de cible à l'envers : « {code} »")
    return Plage(code.strip(), Mois(premiere, 1), Mois(derniere, 12))
