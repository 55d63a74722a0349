"""Périmètre d'un utilisateur : un territoire d'action, ses cantons et le total départemental.

Appliqué dans les lectures elles-mêmes (pas seulement en cachant des sélecteurs) : une lecture
hors périmètre lève `HorsPerimetre`, une lecture par canton ne rend que les cantons permis.
"""

from __future__ import annotations

import pandas as pd

from data_access import territoires


class HorsPerimetre(PermissionError):
    """Lecture d'un territoire en dehors du périmètre de l'utilisateur."""


def autorises(territoires_: pd.DataFrame, perimetre: str | None) -> set[str]:
    """Codes lisibles : tout sans périmètre ; sinon le département, le territoire et ses cantons."""
    if perimetre is None:
        return set(territoires_["code"])
    return {territoires.DEPARTEMENT, perimetre, *territoires.cantons_de(territoires_, perimetre)}


def verifier(territoires_: pd.DataFrame, territoire: str, perimetre: str | None) -> None:
    """Lève HorsPerimetre si `territoire` n'est pas lisible avec ce périmètre."""
    if territoire not in autorises(territoires_, perimetre):
        raise HorsPerimetre(f"le territoire {territoire} est hors du périmètre {perimetre}")
