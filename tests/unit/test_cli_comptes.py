"""`pilotage users` lit le mot de passe sur l'entrée standard ; `pilotage run` refuse sans clé."""

import io
from pathlib import Path

import pytest

from dashboard import cli, utilisateurs


def test_users_add_lit_le_mot_de_passe_sur_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fichier = tmp_path / "comptes.yaml"
    monkeypatch.setenv("PILOTAGE_USERS_FILE", str(fichier))
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-de-passe-de-test\n"))
    cli.main(["users", "add", "vp-sud", "--role", "lecteur", "--perimetre", "SUD"])
    assert "Compte « vp-sud » créé" in capsys.readouterr().out
    assert utilisateurs.list_comptes(fichier)[0].perimetre == "SUD"
    cli.main(["users", "list"])
    assert capsys.readouterr().out == "vp-sud;vp-sud;lecteur;SUD\n"
    with pytest.raises(SystemExit):
        cli.main(["users", "remove", "inconnu"])
    assert "aucun compte « inconnu »" in capsys.readouterr().err


def test_run_refuse_de_demarrer_sans_cle_hors_demonstration(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PILOTAGE_COOKIE_KEY", raising=False)
    monkeypatch.setenv("PILOTAGE_DEMO", "0")
    with pytest.raises(SystemExit) as sortie:
        cli.main(["run", "--port", "1"])
    assert sortie.value.code == 1
    assert "démarrage refusé : la variable PILOTAGE_COOKIE_KEY n'est pas définie" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("cle", ["a" * 32, "changeme" * 4])
def test_run_refuse_une_cle_faible_et_dit_comment_en_tirer_une(
    cle: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PILOTAGE_COOKIE_KEY", cle)
    monkeypatch.setenv("PILOTAGE_DEMO", "0")
    with pytest.raises(SystemExit) as sortie:
        cli.main(["run", "--port", "1"])
    assert sortie.value.code == 1
    erreur = capsys.readouterr().err
    assert erreur.startswith("pilotage : démarrage refusé : la clé PILOTAGE_COOKIE_KEY")
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in erreur
