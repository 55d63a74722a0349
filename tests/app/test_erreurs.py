"""Les erreurs arrivent à l'écran en français, sans trace Python."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP


def test_base_injoignable_page_francaise_sans_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "PILOTAGE_DATABASE_URL", "postgresql+psycopg://personne:secret@127.0.0.1:1/x"
    )
    monkeypatch.setenv("PILOTAGE_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input("admin")
    at.text_input[1].input("demo-admin-67")
    at = at.button[0].click().run()  # la connexion interroge la base (verrouillage)
    assert not at.exception
    message = at.error[0].value
    assert "La base de données est injoignable" in message and "PILOTAGE_DATABASE_URL" in message
    assert "Référence" in message and "secret" not in message and "Traceback" not in message


def test_cle_de_cookie_manquante_hors_demonstration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PILOTAGE_DEMO", "0")
    monkeypatch.delenv("PILOTAGE_COOKIE_KEY", raising=False)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "L'application refuse de démarrer : la variable PILOTAGE_COOKIE_KEY" in at.error[0].value
    assert not at.text_input  # pas de formulaire de connexion sans clé
