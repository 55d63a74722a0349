"""Comptes des utilisateurs : un fichier YAML hors dépôt, mots de passe hachés en bcrypt.

Le fichier est celui que lit streamlit-authenticator (clé `usernames`), complété d'un
`perimetre` (territoire d'action) facultatif. Il est géré par `pilotage users …`, jamais édité
par l'application elle-même : la bibliothèque réécrit le fichier qu'on lui donne par chemin, on
lui passe donc un dictionnaire.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from data_access import droits
from data_access.droits import Acteur, Droit

ROLES = droits.ROLES
PERIMETRES = ("NORD", "OUEST", "EMS", "SUD")
LONGUEUR_MIN_MOT_DE_PASSE = 10
_IDENTIFIANT = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")


class ErreurCompte(ValueError):
    """Demande invalide sur les comptes ; le message est affiché tel quel (français)."""


@dataclass(frozen=True)
class Compte:
    """Un compte tel qu'on le montre : jamais de mot de passe."""

    identifiant: str
    nom: str
    role: str
    perimetre: str | None
    actif: bool = True


@dataclass(frozen=True)
class CompteDemo:
    """Compte de démonstration, créé par `pilotage demo` et listé dans le README."""

    identifiant: str
    nom: str
    role: str
    perimetre: str | None
    mot_de_passe: str


COMPTES_DEMO = (
    CompteDemo("admin", "Administrateur (démonstration)", "admin", None, "demo-admin-67"),
    CompteDemo(
        "pilotage", "Mission pilotage (démonstration)", "pilotage", None, "demo-pilotage-67"
    ),
    CompteDemo(
        "elu-nord", "Vice-président NORD (démonstration)", "lecteur", "NORD", "demo-nord-67"
    ),
)


def read_comptes(chemin: Path) -> dict[str, Any]:
    """Le contenu du fichier (dictionnaire `usernames` vide s'il n'existe pas encore).

    L'application le lit deux fois par exécution de page : l'analyse YAML est gardée tant que
    le fichier ne change pas (même taille, même date de modification ; `pilotage users`
    l'écrit par remplacement atomique). Chaque appel reçoit sa propre copie.
    """
    try:
        etat = chemin.stat()
    except FileNotFoundError:
        return {"usernames": {}}
    return copy.deepcopy(_analyser(str(chemin), etat.st_mtime_ns, etat.st_size, etat.st_ino))


@functools.lru_cache(maxsize=8)
def _analyser(chemin: str, _mtime_ns: int, _taille: int, _inode: int) -> dict[str, Any]:
    contenu = yaml.safe_load(Path(chemin).read_text(encoding="utf-8")) or {}
    contenu.setdefault("usernames", {})
    return contenu


def _write_comptes(chemin: Path, contenu: dict[str, Any]) -> None:
    """Écriture atomique, lisible du seul propriétaire (le fichier contient des hachés)."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    fd, temporaire = tempfile.mkstemp(dir=chemin.parent, prefix=".utilisateurs-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(contenu, f, allow_unicode=True, sort_keys=True)
    os.chmod(temporaire, 0o600)
    os.replace(temporaire, chemin)


def _valider(identifiant: str, role: str, perimetre: str | None) -> str:
    identifiant = identifiant.strip().lower()
    if not _IDENTIFIANT.fullmatch(identifiant):
        raise ErreurCompte(
            f"identifiant « {identifiant} » invalide : 2 à 32 caractères parmi a-z, 0-9, . _ -"
        )
    if role not in ROLES:
        raise ErreurCompte(f"rôle « {role} » inconnu (permis : {', '.join(ROLES)})")
    if perimetre is not None and perimetre not in PERIMETRES:
        raise ErreurCompte(f"périmètre « {perimetre} » inconnu (permis : {', '.join(PERIMETRES)})")
    return identifiant


def _hacher(mot_de_passe: str) -> str:
    if len(mot_de_passe) < LONGUEUR_MIN_MOT_DE_PASSE:
        raise ErreurCompte(
            f"mot de passe trop court : {LONGUEUR_MIN_MOT_DE_PASSE} caractères au moins"
        )
    return bcrypt.hashpw(mot_de_passe.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def add_compte(
    chemin: Path,
    identifiant: str,
    *,
    acteur: Acteur,
    role: str,
    mot_de_passe: str,
    nom: str | None = None,
    perimetre: str | None = None,
    remplacer: bool = False,
) -> Compte:
    """Crée un compte (refuse un identifiant existant, sauf `remplacer`) ; seul un
    administrateur sans périmètre gère les comptes (DroitRefuse sinon)."""
    droits.exiger(acteur, Droit.GERER_COMPTES)
    identifiant = _valider(identifiant, role, perimetre)
    contenu = read_comptes(chemin)
    if identifiant in contenu["usernames"] and not remplacer:
        raise ErreurCompte(f"le compte « {identifiant} » existe déjà")
    contenu["usernames"][identifiant] = {
        "name": nom or identifiant,
        "password": _hacher(mot_de_passe),
        "roles": [role],
        "perimetre": perimetre,
    }
    _write_comptes(chemin, contenu)
    return Compte(identifiant, nom or identifiant, role, perimetre)


def set_mot_de_passe(chemin: Path, identifiant: str, mot_de_passe: str, *, acteur: Acteur) -> None:
    """Change le mot de passe d'un compte existant (administrateur seulement)."""
    droits.exiger(acteur, Droit.GERER_COMPTES)
    contenu = read_comptes(chemin)
    compte = contenu["usernames"].get(identifiant.strip().lower())
    if compte is None:
        raise ErreurCompte(f"aucun compte « {identifiant} »")
    compte["password"] = _hacher(mot_de_passe)
    _write_comptes(chemin, contenu)


def remove_compte(chemin: Path, identifiant: str, *, acteur: Acteur) -> None:
    """Supprime un compte (administrateur seulement)."""
    droits.exiger(acteur, Droit.GERER_COMPTES)
    contenu = read_comptes(chemin)
    if contenu["usernames"].pop(identifiant.strip().lower(), None) is None:
        raise ErreurCompte(f"aucun compte « {identifiant} »")
    _write_comptes(chemin, contenu)


def set_actif(chemin: Path, identifiant: str, actif: bool, *, acteur: Acteur) -> None:
    """Désactive un compte (il ne peut plus se connecter, ses sessions sont refusées) ou le
    réactive ; le compte et son mot de passe restent dans le fichier (administrateur seulement)."""
    droits.exiger(acteur, Droit.GERER_COMPTES)
    contenu = read_comptes(chemin)
    compte = contenu["usernames"].get(identifiant.strip().lower())
    if compte is None:
        raise ErreurCompte(f"aucun compte « {identifiant} »")
    if actif:
        compte.pop("desactive", None)
    else:
        compte["desactive"] = True
    _write_comptes(chemin, contenu)


def list_comptes(chemin: Path) -> list[Compte]:
    """Les comptes, triés par identifiant."""
    return [
        Compte(
            ident,
            str(c.get("name", ident)),
            (c.get("roles") or ["lecteur"])[0],
            c.get("perimetre"),
            not c.get("desactive"),
        )  # fmt: skip
        for ident, c in sorted(read_comptes(chemin)["usernames"].items())
    ]


def add_comptes_demo(chemin: Path, *, acteur: Acteur) -> list[CompteDemo]:
    """Crée (ou remet à zéro) les trois comptes de démonstration."""
    for c in COMPTES_DEMO:
        add_compte(chemin, c.identifiant, acteur=acteur, role=c.role, mot_de_passe=c.mot_de_passe,
                   nom=c.nom, perimetre=c.perimetre, remplacer=True)  # fmt: skip
    return list(COMPTES_DEMO)
