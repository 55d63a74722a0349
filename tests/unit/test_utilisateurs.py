"""Comptes : hachage, validation, et clé du cookie refusée hors démonstration."""

from pathlib import Path

import bcrypt
import pytest

from config.settings import read_settings
from dashboard import utilisateurs as u


def test_un_compte_est_stocke_hache_et_jamais_en_clair(tmp_path: Path) -> None:
    fichier = tmp_path / "comptes.yaml"
    u.add_compte(
        fichier, "Marie.Dupont", role="lecteur", perimetre="SUD", mot_de_passe="un-long-secret"
    )
    texte = fichier.read_text(encoding="utf-8")
    assert "un-long-secret" not in texte
    haché = u.read_comptes(fichier)["usernames"]["marie.dupont"]["password"]
    assert bcrypt.checkpw(b"un-long-secret", haché.encode())
    assert u.list_comptes(fichier) == [u.Compte("marie.dupont", "marie.dupont", "lecteur", "SUD")]
    assert fichier.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("identifiant", "role", "perimetre", "mot_de_passe", "message"),
    [
        ("x", "lecteur", None, "un-long-secret", "identifiant « x » invalide"),
        ("jean", "chef", None, "un-long-secret", "rôle « chef » inconnu"),
        ("jean", "lecteur", "EST", "un-long-secret", "périmètre « EST » inconnu"),
        ("jean", "lecteur", None, "court", "mot de passe trop court"),
    ],
)
def test_demandes_invalides_refusees_en_francais(
    tmp_path: Path,
    identifiant: str,
    role: str,
    perimetre: str | None,
    mot_de_passe: str,
    message: str,
) -> None:
    with pytest.raises(u.ErreurCompte, match=message):
        u.add_compte(tmp_path / "c.yaml", identifiant, role=role, perimetre=perimetre,
                     mot_de_passe=mot_de_passe)  # fmt: skip


def test_cle_de_cookie_absente_ou_d_exemple_refusee() -> None:
    assert "n'est pas définie" in (read_settings({}).probleme_cle_cookie() or "")
    exemple = read_settings({"PILOTAGE_COOKIE_KEY": "some_key"}).probleme_cle_cookie()
    assert exemple and "valeur d'exemple" in exemple
    assert read_settings({"PILOTAGE_COOKIE_KEY": "k" * 40}).probleme_cle_cookie() is None
