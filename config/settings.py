"""Réglages de Pilotage, lus une fois depuis l'environnement.

Chaque réglage a une valeur par défaut et une aide d'une ligne (listées dans le README), sur le
modèle des `Setting(name, default, help)` de datasette : un réglage non documenté est un piège.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
# Le dossier `config/` (référentiel, démonstration, import.toml…) : un seul calcul du chemin, que
# les modules de data_access/ importent, plutôt que chacun son `parents[1] / "config"`.
DOSSIER_CONFIG = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Reglage:
    """Un réglage lu dans l'environnement : nom de variable, défaut, aide."""

    variable: str
    defaut: str
    aide: str


REGLAGES: tuple[Reglage, ...] = (
    Reglage(
        "PILOTAGE_DATA_DIR",
        "var/ (dans le dépôt)",
        "Dossier des fichiers locaux : base SQLite, comptes utilisateurs, journaux.",
    ),
    Reglage(
        "PILOTAGE_DATABASE_URL",
        "sqlite:///<PILOTAGE_DATA_DIR>/pilotage.db",
        "URL SQLAlchemy de la base (SQLite par défaut, PostgreSQL en production : "
        "postgresql+psycopg://…).",
    ),
    Reglage(
        "PILOTAGE_DEMO",
        "0",
        "1 : mode démonstration (comptes de démonstration, bandeau « Données de démonstration »).",
    ),
    Reglage(
        "PILOTAGE_COOKIE_KEY",
        "(aucun)",
        "Clé secrète qui signe le cookie de connexion ; obligatoire hors démonstration "
        "(32 caractères au moins).",
    ),
    Reglage(
        "PILOTAGE_USERS_FILE",
        "<PILOTAGE_DATA_DIR>/utilisateurs.yaml",
        "Fichier des comptes (mots de passe hachés bcrypt), hors dépôt ; géré par "
        "« pilotage users ».",
    ),
)

# Valeurs qu'une clé de cookie ne doit jamais avoir : celles des exemples et des tutoriels.
CLES_INTERDITES = {"", "changeme", "changethis", "some_key", "secret", "cle", "clé", "demo"}
LONGUEUR_MIN_CLE = 32


@dataclass(frozen=True)
class Seuils:
    """Seuils du statut d'un indicateur face à sa trajectoire (config/trajectoire.toml)."""

    avance: float
    retard: float


@dataclass(frozen=True)
class Settings:
    """Réglages de l'application, immuables une fois lus."""

    data_dir: Path
    database_url: str
    demo: bool
    cookie_key: str | None
    users_file: Path

    def probleme_cle_cookie(self) -> str | None:
        """Pourquoi la clé de cookie ne convient pas (en français), ou None si elle convient.

        Hors démonstration, une clé absente ou d'exemple permettrait de forger des cookies de
        connexion : l'application refuse alors de démarrer et dit pourquoi.
        """
        cle = (self.cookie_key or "").strip()
        if not cle:
            return "la variable PILOTAGE_COOKIE_KEY n'est pas définie"
        if cle.lower() in CLES_INTERDITES or len(cle) < LONGUEUR_MIN_CLE:
            return (
                f"la clé PILOTAGE_COOKIE_KEY est une valeur d'exemple ou fait moins de "
                f"{LONGUEUR_MIN_CLE} caractères"
            )
        return None


def _data_dir(env: dict[str, str]) -> Path:
    brut = env.get("PILOTAGE_DATA_DIR")
    return Path(brut).expanduser().resolve() if brut else RACINE / "var"


def read_settings(env: dict[str, str] | None = None) -> Settings:
    """Lit les réglages depuis `env` (par défaut l'environnement du processus)."""
    env = dict(os.environ) if env is None else env
    data_dir = _data_dir(env)
    url = env.get("PILOTAGE_DATABASE_URL") or f"sqlite:///{data_dir / 'pilotage.db'}"
    users = env.get("PILOTAGE_USERS_FILE")
    return Settings(
        data_dir=data_dir,
        database_url=url,
        demo=env.get("PILOTAGE_DEMO", "0").strip().lower() in {"1", "true", "oui", "yes"},
        cookie_key=env.get("PILOTAGE_COOKIE_KEY") or None,
        users_file=Path(users).expanduser().resolve() if users else data_dir / "utilisateurs.yaml",
    )


def read_seuils(chemin: Path | None = None) -> Seuils:
    """Seuils de statut : ils sont dans un fichier éditable, pas dans le code."""
    chemin = chemin or DOSSIER_CONFIG / "trajectoire.toml"
    with chemin.open("rb") as f:
        brut = tomllib.load(f)["statut"]
    return Seuils(avance=float(brut["seuil_avance"]), retard=float(brut["seuil_retard"]))
