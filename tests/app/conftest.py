"""Base de démonstration et comptes pour les tests AppTest (sans navigateur)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from config.settings import read_settings
from dashboard import auth, utilisateurs
from data_access import demo, engine
from data_access.droits import administrateur_local

RACINE = Path(__file__).resolve().parents[2]
APP = str(RACINE / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def environnement(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Une base de démonstration SQLite et les comptes de démonstration, pour tout le module."""
    dossier = tmp_path_factory.mktemp("app")
    url = f"sqlite:///{dossier / 'pilotage.db'}"
    demo.create_base(url)
    utilisateurs.add_comptes_demo(
        dossier / "utilisateurs.yaml", acteur=administrateur_local("test")
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PILOTAGE_DATA_DIR", str(dossier))
        mp.setenv("PILOTAGE_DATABASE_URL", url)
        mp.setenv("PILOTAGE_DEMO", "1")
        mp.delenv("PILOTAGE_USERS_FILE", raising=False)
        yield dossier


@pytest.fixture(autouse=True)
def caches_vides() -> Iterator[None]:
    """Les caches de Streamlit survivent d'un AppTest à l'autre : on les vide (streamlit#9139)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def session_ouverte(identifiant: str) -> str:
    """Le jeton d'une session ouverte en base pour ce compte (base et comptes de l'environnement
    du module), comme après une connexion réussie."""
    settings = read_settings()
    hache = utilisateurs.read_comptes(settings.users_file)["usernames"][identifiant]["password"]
    moteur = engine.create(settings.database_url)
    try:
        return auth.ouvrir_session(moteur, identifiant, str(hache))
    finally:
        moteur.dispose()


def app_connectee(identifiant: str, params: dict[str, str] | None = None) -> AppTest:
    """L'application avec une session déjà connectée (AppTest ne sait pas poser de cookie) :
    la session existe en base, comme après une connexion réussie."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = identifiant
    at.session_state["name"] = identifiant
    at.session_state[auth.CLE_SESSION] = session_ouverte(identifiant)
    for cle, valeur in (params or {}).items():
        at.query_params[cle] = valeur
    return at.run()


def app_sur_page(identifiant: str, fichier: str, params: dict[str, str] | None = None) -> AppTest:
    """L'application ouverte sur `pages/<fichier>.py` avec ces paramètres d'URL, comme un lien.

    AppTest démarre sur la page par défaut : on passe sur la page, puis on y « ouvre » l'URL, pour
    que ses clés propres (canton, fiche, année…) soient lues par cette page-là.
    """
    at = app_connectee(identifiant)
    at.switch_page(f"../pages/{fichier}.py").run()
    for cle, valeur in (params or {}).items():
        at.query_params[cle] = valeur
    return at.run()
