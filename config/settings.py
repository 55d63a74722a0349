"""Réglages de Pilotage, lus une fois depuis l'environnement.

Chaque réglage a une valeur par défaut et une aide d'une ligne (listées dans le README), sur le
modèle des `Setting(name, default, help)` de datasette : un réglage non documenté est un piège.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import tomllib
from collections import Counter
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
# Mots qui trahissent une clé d'exemple, où qu'ils soient dans la clé (« changeme-changeme… »).
MOTS_INTERDITS = ("changeme", "changethis", "change_me", "change-me", "some_key",
                  "signature_key", "example", "exemple", "secret", "password", "motdepasse",
                  "mot-de-passe")  # fmt: skip
LONGUEUR_MIN_CLE = 32
# Entropie estimée (Shannon, sur les caractères de la clé) exigée : 32 caractères tirés par
# `secrets.token_urlsafe` en donnent environ 145 bits, 32 chiffres hexadécimaux (openssl rand
# -hex 16) environ 115 ; « aaaa… » 0, une courte phrase répétée bien moins de 100.
ENTROPIE_MIN_BITS = 100
CARACTERES_DIFFERENTS_MIN = 10
COMMANDE_CLE = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
CONSEIL_CLE = (
    "Tirez une clé au hasard (32 caractères au moins) avec la commande "
    f"{COMMANDE_CLE}, mettez-la dans PILOTAGE_COOKIE_KEY, puis relancez"
)


def entropie_bits(cle: str) -> float:
    """Entropie de Shannon de la clé, en bits (fréquence de chaque caractère dans la clé)."""
    if not cle:
        return 0.0
    n = len(cle)
    return -n * sum(c / n * math.log2(c / n) for c in Counter(cle).values())


def _en_suite(cle: str) -> bool:
    """Vrai si la clé est surtout faite de caractères qui se suivent (« abcdef… », « 123… »,
    « aaab… ») : une suite a beaucoup de caractères différents et pourtant rien d'imprévisible."""
    proches = sum(abs(ord(a) - ord(b)) <= 1 for a, b in itertools.pairwise(cle))
    return proches * 2 > len(cle)


def _repetee(cle: str) -> bool:
    """Vrai si la clé répète un même motif (« Pilotage2024Pilotage2024… »)."""
    return any(
        cle == (cle[:periode] * (len(cle) // periode + 1))[: len(cle)]
        for periode in range(1, len(cle) // 2 + 1)
    )


@functools.lru_cache(maxsize=4)
def _texte(readme: Path) -> str:
    try:
        return readme.read_text(encoding="utf-8")
    except OSError:
        return ""


def probleme_cle(cle: str, *, readme: Path = RACINE / "README.md") -> str | None:
    """Pourquoi cette clé de cookie est faible (en français), ou None si elle convient."""
    if not cle:
        return "la variable PILOTAGE_COOKIE_KEY n'est pas définie"
    minuscule = cle.lower()
    if minuscule in CLES_INTERDITES or any(mot in minuscule for mot in MOTS_INTERDITS):
        return "la clé PILOTAGE_COOKIE_KEY est une valeur d'exemple"
    if len(cle) < LONGUEUR_MIN_CLE:
        return f"la clé PILOTAGE_COOKIE_KEY fait moins de {LONGUEUR_MIN_CLE} caractères"
    if cle in _texte(readme):  # recopiée d'une documentation : pas secrète
        return "la clé PILOTAGE_COOKIE_KEY est citée dans le README (elle n'est pas secrète)"
    if (
        len(set(cle)) < CARACTERES_DIFFERENTS_MIN
        or entropie_bits(cle) < ENTROPIE_MIN_BITS
        or _en_suite(cle)
        or _repetee(cle)
    ):
        return (
            "la clé PILOTAGE_COOKIE_KEY est trop prévisible (motif répété, suite de caractères "
            "ou trop peu de caractères différents) : elle doit être tirée au hasard"
        )
    return None


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

        Hors démonstration, une clé absente, d'exemple ou prévisible permettrait de forger des
        cookies de connexion : l'application refuse alors de démarrer et dit pourquoi (le
        message complet, avec la commande qui tire une clé, est `message_cle_refusee`).
        """
        return probleme_cle((self.cookie_key or "").strip())


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
