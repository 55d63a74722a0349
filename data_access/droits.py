"""Droits d'écriture : qui peut importer, annuler, commenter, publier, annoter, gérer les comptes.

Cacher un bouton ne protège rien : chaque fonction qui écrit reçoit l'`Acteur` qui agit et
appelle `exiger` avant toute écriture, quel que soit son appelant (page, commande, script). Un
refus lève `DroitRefuse`, dont le message français (« Droit refusé : … ») est affiché tel quel.

Les règles sont celles que l'interface appliquait déjà en cachant ses boutons :

- `admin` : tout, y compris les comptes ; `pilotage` : tout sauf les comptes ; `lecteur` : rien ;
- un compte à périmètre (un territoire d'action) n'écrit que pour son territoire et ses cantons :
  ni le département, ni un autre territoire, ni « partout » ; publier une édition et gérer les
  comptes portent sur tout le département, donc sont réservés aux comptes sans périmètre.

La commande `pilotage` agit comme un administrateur local (`administrateur_local`) : qui a le
shell du serveur et le fichier de la base a déjà tous les droits sur les données.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from sqlalchemy import Connection

from data_access import territoires

ROLES = {
    "admin": "administrateur",
    "pilotage": "mission de pilotage",
    "lecteur": "lecture seule",
}
"""Les rôles d'un compte et leur libellé."""


class Droit(Enum):
    """Une écriture ; la valeur est ce qu'elle fait, dit dans le message d'un refus."""

    IMPORTER = "importer des valeurs"
    IMPORTER_MOYENS = "importer des moyens (ETP, effectifs, budgets)"
    ANNULER = "annuler un lot d'import"
    COMMENTER = "commenter un indicateur"
    PUBLIER = "publier une édition"
    ANNOTER = "saisir ou supprimer un événement daté"
    GERER_COMPTES = "gérer les comptes"


_GESTION = frozenset(
    {Droit.IMPORTER, Droit.IMPORTER_MOYENS, Droit.ANNULER, Droit.COMMENTER, Droit.PUBLIER,
     Droit.ANNOTER}
)  # fmt: skip
DROITS_PAR_ROLE: dict[str, frozenset[Droit]] = {
    "admin": _GESTION | {Droit.GERER_COMPTES},
    "pilotage": _GESTION,
    "lecteur": frozenset(),
}
DROITS_DEPARTEMENT = frozenset({Droit.PUBLIER, Droit.GERER_COMPTES})
"""Droits qui portent sur tout le département : jamais pour un compte à périmètre."""


class DroitRefuse(PermissionError):
    """Écriture refusée à cet acteur ; le message (français) est affiché tel quel."""


class Acteur(Protocol):
    """Qui agit : l'utilisateur connecté (`dashboard.auth.Utilisateur`) ou un `ActeurLocal`."""

    @property
    def identifiant(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def perimetre(self) -> str | None: ...


@dataclass(frozen=True)
class ActeurLocal:
    """Un acteur nommé hors de l'application : la commande `pilotage`, un script, un test."""

    identifiant: str
    role: str
    perimetre: str | None = None


def administrateur_local(nom: str) -> ActeurLocal:
    """L'acteur de la commande `pilotage` : administrateur, sans périmètre, sous ce nom (noté
    dans les lots, le journal, les commentaires et les éditions)."""
    return ActeurLocal(nom, "admin", None)


def peut(acteur: Acteur, droit: Droit) -> bool:
    """Vrai si le rôle de l'acteur a ce droit (quelque part) : ce que l'interface montre."""
    if droit in DROITS_DEPARTEMENT and acteur.perimetre is not None:
        return False
    return droit in DROITS_PAR_ROLE.get(acteur.role, frozenset())


def roles_ayant(droit: Droit) -> frozenset[str]:
    """Les rôles qui ont ce droit (la page Import est montrée à ceux qui peuvent importer)."""
    return frozenset(r for r, droits in DROITS_PAR_ROLE.items() if droit in droits)


def _qui(acteur: Acteur) -> str:
    role = ROLES.get(acteur.role, f"rôle inconnu « {acteur.role} »")
    perimetre = f", périmètre {acteur.perimetre}" if acteur.perimetre else ""
    return f"le compte « {acteur.identifiant} » ({role}{perimetre})"


def ecriture_permise(conn: Connection, perimetre: str) -> set[str]:
    """Les territoires où un compte à périmètre écrit : le sien et ses cantons (pas le total
    départemental, qu'il lit mais qui agrège les autres territoires)."""
    arbre = territoires.read_territoires(conn)
    return {perimetre, *territoires.cantons_de(arbre, perimetre)}


def exiger(
    acteur: Acteur,
    droit: Droit,
    *,
    conn: Connection | None = None,
    lieux: Iterable[str] = (),
) -> None:
    """Lève `DroitRefuse` si `acteur` ne peut pas exercer `droit` sur ces territoires.

    À appeler en tête de chaque fonction qui écrit, avant toute écriture. `lieux` : les
    codes touchés (le département pour « partout ») ; `conn` sert à lire les cantons du
    périmètre, seulement pour un compte à périmètre.
    """
    if droit not in DROITS_PAR_ROLE.get(acteur.role, frozenset()):
        raise DroitRefuse(f"Droit refusé : {_qui(acteur)} ne peut pas {droit.value}.")
    if acteur.perimetre is None:
        return
    if droit in DROITS_DEPARTEMENT:
        raise DroitRefuse(
            f"Droit refusé : {_qui(acteur)} ne peut pas {droit.value} : ce droit porte sur tout "
            "le département, il est réservé aux comptes sans périmètre."
        )
    codes = sorted(set(lieux))
    if not codes:
        return
    if conn is None:
        raise ValueError("exiger : une connexion est nécessaire pour un compte à périmètre")
    hors = [c for c in codes if c not in ecriture_permise(conn, acteur.perimetre)]
    if hors:
        raise DroitRefuse(
            f"Droit refusé : {_qui(acteur)} ne peut pas {droit.value} hors de son périmètre "
            f"({', '.join(hors)})."
        )
