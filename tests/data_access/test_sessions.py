"""Sessions en base et verrouillage (SQLite et PostgreSQL) : ce qui ouvre, garde et ferme une
session ; la commande `pilotage users` ferme celles d'un compte changé, supprimé ou désactivé."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboard import cli, utilisateurs
from data_access import connexions, engine, schema, sessions
from data_access.droits import administrateur_local

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def eng(url_vide: str) -> Iterator[Engine]:
    moteur = engine.create(url_vide)
    with moteur.begin() as conn:
        schema.metadata.create_all(conn)
    yield moteur
    moteur.dispose()


def _ouvrir(eng: Engine, identifiant: str = "admin", quand: datetime = T0) -> str:
    with eng.begin() as conn:
        return sessions.create_session(
            conn, identifiant=identifiant, empreinte_mdp="e1", maintenant=quand
        )


def _verifier(eng: Engine, jeton: str, quand: datetime) -> sessions.Session | None:
    with eng.begin() as conn:
        return sessions.verify_session(conn, jeton=jeton, maintenant=quand)


def test_une_session_vit_un_jour_et_la_base_ne_garde_que_l_empreinte(eng: Engine) -> None:
    jeton = _ouvrir(eng)
    assert _verifier(eng, jeton, T0 + timedelta(hours=23)) == sessions.Session("admin", "e1")
    assert _verifier(eng, jeton, T0 + sessions.DUREE) is None
    assert _verifier(eng, "jeton-inconnu", T0) is None
    with eng.connect() as conn:
        ids = conn.execute(select(schema.session_connexion.c.id)).scalars().all()
    assert ids == [sessions.empreinte_jeton(jeton)] and jeton not in ids


def test_l_activite_est_notee_au_plus_une_fois_par_minute(eng: Engine) -> None:
    jeton = _ouvrir(eng)
    s = schema.session_connexion
    for secondes in (10, 50, 70):
        _verifier(eng, jeton, T0 + timedelta(seconds=secondes))
    with eng.connect() as conn:
        vue_le = conn.execute(select(s.c.vue_le)).scalar_one()
    assert vue_le.replace(tzinfo=UTC) == T0 + timedelta(seconds=70)


def test_deconnexion_revoque_cette_session_seulement(eng: Engine) -> None:
    premiere, seconde = _ouvrir(eng), _ouvrir(eng)
    with eng.begin() as conn:
        assert sessions.revoke_session(conn, jeton=premiere, motif="deconnexion")
        assert not sessions.revoke_session(conn, jeton=premiere, motif="deconnexion")
    assert _verifier(eng, premiere, T0) is None
    assert _verifier(eng, seconde, T0) is not None


def test_revoquer_un_compte_ferme_toutes_ses_sessions_et_pas_celles_des_autres(
    eng: Engine,
) -> None:
    a, b, autre = _ouvrir(eng), _ouvrir(eng), _ouvrir(eng, "pilotage")
    with eng.begin() as conn:
        n = sessions.revoke_sessions_utilisateur(
            conn, identifiant="ADMIN", motif="suppression", maintenant=T0
        )
    assert n == 2
    assert _verifier(eng, a, T0) is None and _verifier(eng, b, T0) is None
    assert _verifier(eng, autre, T0) is not None
    with eng.connect() as conn:
        motifs = conn.execute(select(schema.session_connexion.c.motif)).scalars().all()
    assert sorted(m or "" for m in motifs) == ["", "suppression", "suppression"]


def test_les_tentatives_pendant_le_verrou_ne_le_prolongent_pas(eng: Engine) -> None:
    with eng.begin() as conn:
        for minute in range(5):
            connexions.record_echec(conn, identifiant="admin", quand=T0 + timedelta(minutes=minute))
    fin = T0 + timedelta(minutes=4) + connexions.DUREE_VERROU
    with eng.connect() as conn:
        assert connexions.read_fin_verrou(conn, identifiant="admin") == fin
        assert connexions.est_verrouille(
            conn, identifiant="admin", maintenant=fin - timedelta(seconds=1)
        )
        assert not connexions.est_verrouille(conn, identifiant="admin", maintenant=fin)
    with eng.begin() as conn:  # un échec après la fin du verrou : quatre essais restent
        connexions.record_echec(conn, identifiant="admin", quand=fin + timedelta(seconds=1))
        assert connexions.read_fin_verrou(conn, identifiant="admin") is None


@pytest.fixture
def comptes(url_vide: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fichier = tmp_path / "comptes.yaml"
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    monkeypatch.setenv("PILOTAGE_USERS_FILE", str(fichier))
    utilisateurs.add_comptes_demo(fichier, acteur=administrateur_local("test"))
    return fichier


@pytest.mark.usefixtures("comptes")
@pytest.mark.parametrize(
    ("commande", "motif"),
    [
        (["passwd", "admin"], "mot_de_passe"),
        (["remove", "admin"], "suppression"),
        (["disable", "admin"], "desactivation"),
    ],  # fmt: skip
)
def test_pilotage_users_ferme_les_sessions_du_compte(
    eng: Engine, commande: list[str], motif: str,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    maintenant = datetime.now(UTC)
    jeton, autre = _ouvrir(eng, quand=maintenant), _ouvrir(eng, "pilotage", quand=maintenant)
    monkeypatch.setattr("sys.stdin", io.StringIO("nouveau-mot-de-passe\n"))
    cli.main(["users", *commande])
    assert "1 session(s) ouverte(s) fermée(s)" in capsys.readouterr().out
    assert _verifier(eng, jeton, maintenant) is None
    assert _verifier(eng, autre, maintenant) is not None
    with eng.connect() as conn:
        s = schema.session_connexion
        lu = conn.execute(select(s.c.motif).where(s.c.identifiant == "admin")).scalar_one()
    assert lu == motif
