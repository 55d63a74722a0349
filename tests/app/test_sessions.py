"""Sessions tenues en base (AppTest) : une session révoquée, un compte supprimé, désactivé ou
dont le mot de passe a changé, un cookie forgé ou périmé ramènent au formulaire de connexion,
jamais à une page d'erreur ; la déconnexion révoque la session ; le verrou est journalisé.

AppTest ne sait pas poser de cookie : le cookie que le navigateur enverrait est substitué à la
lecture de `st.context.cookies` (`auth._cookie_du_navigateur`). Le vrai navigateur est dans
tests/e2e/test_sessions.py.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from config.settings import read_settings
from dashboard import auth, utilisateurs
from data_access import connexions, engine, schema, sessions
from data_access.droits import administrateur_local
from tests.app.conftest import APP, app_connectee, session_ouverte

pytestmark = pytest.mark.usefixtures("environnement")
ADMIN = administrateur_local("test")


@pytest.fixture
def comptes_remis(environnement: Path) -> Iterator[Path]:
    """Les comptes de démonstration, remis en état après un test qui les change."""
    fichier = environnement / "utilisateurs.yaml"
    yield fichier
    utilisateurs.add_comptes_demo(fichier, acteur=ADMIN)


def _formulaire(at: AppTest) -> None:
    """Ce que voit une personne non connectée : le formulaire, aucun chiffre, aucune erreur."""
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Identifiant", "Mot de passe"]
    assert not at.metric and not at.dataframe
    assert not [e.value for e in at.error], [e.value for e in at.error]


def _connecte(at: AppTest) -> bool:
    return bool(at.metric) and not at.text_input


def _revoquer(identifiant: str) -> None:
    eng = engine.create(read_settings().database_url)
    with eng.begin() as conn:
        sessions.revoke_sessions_utilisateur(conn, identifiant=identifiant, motif="test")
    eng.dispose()


def test_session_revoquee_par_un_autre_processus_formulaire_au_clic_suivant() -> None:
    at = app_connectee("pilotage")
    assert _connecte(at)
    _revoquer("pilotage")  # ce qu'écrit l'autre processus, ou `pilotage users`
    at.run()
    _formulaire(at)


def test_compte_supprime_pendant_la_session_formulaire(comptes_remis: Path) -> None:
    at = app_connectee("elu-nord")
    assert _connecte(at)
    utilisateurs.remove_compte(comptes_remis, "elu-nord", acteur=ADMIN)
    at.run()
    _formulaire(at)


def test_mot_de_passe_change_ferme_la_session_meme_sans_revocation_ecrite(
    comptes_remis: Path,
) -> None:
    at = app_connectee("pilotage")
    utilisateurs.set_mot_de_passe(comptes_remis, "pilotage", "un-tout-nouveau-mot", acteur=ADMIN)
    at.run()
    _formulaire(at)


def test_compte_desactive_session_fermee_et_connexion_refusee(comptes_remis: Path) -> None:
    at = app_connectee("pilotage")
    utilisateurs.set_actif(comptes_remis, "pilotage", False, acteur=ADMIN)
    at.run()
    _formulaire(at)
    at.text_input[0].input("pilotage")
    at.text_input[1].input("demo-pilotage-67")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [auth.MESSAGE_ECHEC]
    assert at.session_state["authentication_status"] is not True


def test_la_deconnexion_revoque_la_session_en_base(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_connectee("admin")
    jeton = at.session_state[auth.CLE_SESSION]
    at.sidebar.button(key="bouton_deconnexion").click().run()
    assert not at.exception
    s = schema.session_connexion
    eng = engine.create(read_settings().database_url)
    with eng.connect() as conn:
        motif = conn.execute(
            select(s.c.motif).where(s.c.id == sessions.empreinte_jeton(jeton))
        ).scalar_one()
    eng.dispose()
    assert motif == "deconnexion"
    # Une copie du cookie prise avant la déconnexion n'ouvre plus rien.
    _formulaire(_ouvrir_avec_cookie(monkeypatch, _cookie("admin", jeton)))


def _cle() -> str:
    return auth.cle_cookie(read_settings())


def _cookie(identifiant: str, jeton: str | None, cle: str | None = None) -> str:
    contenu: dict[str, object] = {"username": identifiant, "exp_date": time.time() + 3600}
    if jeton is not None:
        contenu["sid"] = jeton
    return jwt.encode(contenu, cle or _cle(), algorithm="HS256")


def _alg_none(identifiant: str, jeton: str) -> str:
    def b64(d: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    contenu = {"username": identifiant, "sid": jeton, "exp_date": time.time() + 3600}
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(contenu)}."


def _ouvrir_avec_cookie(monkeypatch: pytest.MonkeyPatch, cookie: str) -> AppTest:
    monkeypatch.setattr(auth, "_cookie_du_navigateur", lambda: cookie)
    return AppTest.from_file(APP, default_timeout=30).run()


def test_un_cookie_valide_ouvre_la_session(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _ouvrir_avec_cookie(monkeypatch, _cookie("pilotage", session_ouverte("pilotage")))
    assert not at.exception
    assert _connecte(at)


@pytest.mark.parametrize(
    "fabrique",
    [
        pytest.param(lambda j: _alg_none("admin", j), id="alg-none"),
        pytest.param(lambda j: _cookie("admin", j, cle="x" + _cle()), id="signature-fausse"),
        pytest.param(lambda _j: _cookie("admin", None), id="sans-session-format-d-avant"),
        pytest.param(lambda _j: _cookie("admin", "jeton-jamais-ouvert"), id="session-inconnue"),
        pytest.param(lambda j: _cookie("pilotage", j), id="session-d-un-autre-compte"),
        pytest.param(lambda j: _cookie("admin", j)[:-4] + "AAAA", id="signature-tronquee"),
        pytest.param(lambda _j: "n'importe quoi", id="illisible"),
    ],
)
def test_un_cookie_forge_mene_au_formulaire(monkeypatch: pytest.MonkeyPatch, fabrique) -> None:  # type: ignore[no-untyped-def]
    at = _ouvrir_avec_cookie(monkeypatch, fabrique(session_ouverte("admin")))
    _formulaire(at)


def test_un_cookie_revoque_mene_au_formulaire(monkeypatch: pytest.MonkeyPatch) -> None:
    jeton = session_ouverte("admin")
    _revoquer("admin")
    _formulaire(_ouvrir_avec_cookie(monkeypatch, _cookie("admin", jeton)))


def test_cookie_d_un_compte_supprime_formulaire_et_pas_d_erreur(
    monkeypatch: pytest.MonkeyPatch, comptes_remis: Path
) -> None:
    cookie = _cookie("elu-nord", session_ouverte("elu-nord"))
    utilisateurs.remove_compte(comptes_remis, "elu-nord", acteur=ADMIN)
    _formulaire(_ouvrir_avec_cookie(monkeypatch, cookie))


def _essai(at: AppTest, mot_de_passe: str) -> AppTest:
    at.text_input[0].input("admin")
    at.text_input[1].input(mot_de_passe)
    return at.button[0].click().run()


def test_le_verrou_et_sa_fin_sont_journalises(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pilotage.connexion")
    at = AppTest.from_file(APP, default_timeout=30).run()
    for _ in range(connexions.ECHECS_MAX):
        at = _essai(at, "mauvais-mot-de-passe")
    assert any("« admin » verrouillé jusqu'à" in m for m in caplog.messages)
    at = _essai(at, "demo-admin-67")
    assert "verrouillé" in at.error[0].value
    assert any("connexion refusée : « admin » est verrouillé" in m for m in caplog.messages)
    depart = auth._maintenant()
    monkeypatch.setattr(auth, "_maintenant", lambda: depart + timedelta(minutes=16))
    at = _essai(at, "demo-admin-67")
    assert any("fin du verrou de « admin »" in m for m in caplog.messages)
    assert at.session_state["authentication_status"] is True
