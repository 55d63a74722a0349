"""Moyens et résultats d'une édition du tableau de bord : figés à la publication, bornés au mois.

La diapositive « Moyens et résultats » du comité rapproche les moyens de l'année (ETP, effectifs,
budgets) de résultats (placements, contrôles, aides). Dans une édition, ces chiffres sont figés
comme tous les autres, et ne disent que ce qu'on savait à la fin du mois de l'édition : moyens
de l'année du mois, résultats des seules périodes closes ce mois-là au plus tard (janvier à juin
pour l'édition de juin, « 6 mois sur 12 » et « ratio partiel »). Sans cela, l'édition de juin
projetée en décembre montrait l'année entière sous « Ses chiffres ne changent plus ».

Les moyens d'un territoire dépendent du périmètre de qui les lit (un élu du NORD ne lit pas les
moyens de l'Eurométropole, même au département) : une édition garde une version par périmètre
qui peut l'ouvrir, choisie à la lecture (`pour`). Module pur : la lecture en base est dans
`dashboard.tableau_de_bord.editions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from dashboard.modeles import moyens_resultats as calc
from dashboard.modeles.moyens_resultats import Part, Ratio, Sens, StatutRatio, Terme

TOUT = ""  # la version sans périmètre (administration, mission de pilotage)


@dataclass(frozen=True)
class EtpPartenaire:
    """Le total des ETP d'un partenaire sur les stratégies de la convention."""

    partenaire: str
    etp: float


@dataclass(frozen=True)
class MoyensEdition:
    """Les moyens et résultats d'un territoire à la fin d'un mois, lus dans un périmètre.

    `perimetre` : `TOUT`, ou le territoire d'action de l'élu. `annee` : l'année des moyens (None
    sans moyen ni valeur à cette date). `jusqu_a` : le dernier mois dont les résultats comptent.
    """

    perimetre: str
    annee: int | None
    jusqu_a: str
    parts: tuple[Part, ...] = ()
    etp: tuple[EtpPartenaire, ...] = ()
    ratios: tuple[Ratio, ...] = ()


def annee_moyens(mois: str, annees: Sequence[int]) -> int | None:
    """L'année des moyens montrés : celle du mois présenté si elle a des moyens ou des valeurs,
    sinon la plus récente qui la précède ; None s'il n'y en a pas (jamais une année à venir, dont
    les résultats n'étaient pas connus au mois présenté)."""
    avant = [a for a in annees if a <= int(mois[:4])]
    return max(avant) if avant else None


def build(
    *, annee: int, mois: str, ressources: pd.DataFrame, resultats: pd.DataFrame,
    perimetre: str | None = None,
) -> MoyensEdition:  # fmt: skip
    """Les chiffres de la diapositive : parts d'enveloppe, ETP par partenaire, ratios de l'année.

    `ressources` : les moyens lus dans le périmètre ; `resultats` : les résultats annuels déjà
    bornés à `mois`, avec le territoire où chacun est lu (colonne `territoire`).
    """
    lignes_etp = calc.lignes_etp_convention(ressources)
    etp = () if lignes_etp.empty else tuple(
        EtpPartenaire(str(t.partenaire), float(t.etp))
        for t in calc.totaux_par_partenaire(lignes_etp).itertuples()
    )  # fmt: skip
    return MoyensEdition(
        perimetre=perimetre or TOUT, annee=annee, jusqu_a=mois,
        parts=tuple(calc.build_parts(ressources)), etp=etp,
        ratios=tuple(r for _, _, r in calc.build_ratios(ressources, resultats, annee)),
    )  # fmt: skip


def pour(versions: Sequence[MoyensEdition], perimetre: str | None) -> MoyensEdition | None:
    """La version lisible par ce périmètre, ou None (édition publiée sans ses moyens)."""
    return next((m for m in versions if m.perimetre == (perimetre or TOUT)), None)


# --- Relecture du JSON ----------------------------------------------------------------------


def _garder(classe: type, brut: Mapping[str, Any]) -> dict[str, Any]:
    """Les champs connus de `classe` : un contenu plus récent se relit sans erreur."""
    noms = {f.name for f in fields(classe)}
    return {k: v for k, v in brut.items() if k in noms}


def _terme(brut: Mapping[str, Any]) -> Terme:
    return Terme(**_garder(Terme, brut))


def _ratio(brut: Mapping[str, Any]) -> Ratio:
    d = _garder(Ratio, brut)
    return Ratio(**{**d, "moyen": _terme(d["moyen"]), "resultat": _terme(d["resultat"]),
                    "sens": Sens(d["sens"]), "statut": StatutRatio(d["statut"])})  # fmt: skip


def _part(brut: Mapping[str, Any]) -> Part:
    d = _garder(Part, brut)
    return Part(**{**d, "partie": _terme(d["partie"]), "tout": _terme(d["tout"])})


def from_dict(brut: Mapping[str, Any]) -> MoyensEdition:
    """Relit une version figée (`dataclasses.asdict` passé par JSON)."""
    return MoyensEdition(
        perimetre=str(brut["perimetre"]), annee=brut["annee"], jusqu_a=str(brut["jusqu_a"]),
        parts=tuple(_part(p) for p in brut.get("parts", [])),
        etp=tuple(EtpPartenaire(**_garder(EtpPartenaire, e)) for e in brut.get("etp", [])),
        ratios=tuple(_ratio(r) for r in brut.get("ratios", [])),
    )  # fmt: skip
