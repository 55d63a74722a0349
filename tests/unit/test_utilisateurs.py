"""Comptes : hachage, validation, et clé du cookie refusée hors démonstration."""

import secrets
from collections.abc import Callable
from pathlib import Path

import bcrypt
import pytest

from config.settings import probleme_cle, read_settings
from dashboard import utilisateurs as u
from data_access.droits import ActeurLocal, DroitRefuse, administrateur_local

ADMIN = administrateur_local("admin")


def test_un_compte_est_stocke_hache_et_jamais_en_clair(tmp_path: Path) -> None:
    fichier = tmp_path / "comptes.yaml"
    u.add_compte(
        fichier, "Marie.Dupont", acteur=ADMIN, role="lecteur", perimetre="SUD",
        mot_de_passe="un-long-secret",
    )  # fmt: skip
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
        u.add_compte(tmp_path / "c.yaml", identifiant, acteur=ADMIN, role=role,
                     perimetre=perimetre, mot_de_passe=mot_de_passe)  # fmt: skip


def test_cle_de_cookie_absente_ou_d_exemple_refusee() -> None:
    assert "n'est pas définie" in (read_settings({}).probleme_cle_cookie() or "")
    exemple = read_settings({"PILOTAGE_COOKIE_KEY": "some_key"}).probleme_cle_cookie()
    assert exemple and "valeur d'exemple" in exemple
    tiree = secrets.token_urlsafe(48)
    assert read_settings({"PILOTAGE_COOKIE_KEY": tiree}).probleme_cle_cookie() is None


@pytest.mark.parametrize(
    ("cle", "raison"),
    [
        ("a" * 32, "trop prévisible"),
        ("k" * 40, "trop prévisible"),
        ("changeme" * 4, "valeur d'exemple"),
        ("changeme-0f3b9c1e7a2d4f6b8e0c1a3d5f7b9e1", "valeur d'exemple"),
        ("Pilotage2024Pilotage2024Pilotage", "trop prévisible"),
        ("abcdefghijklmnopqrstuvwxyz0123456789", "trop prévisible"),
        ("0123456701234567012345670123456701", "trop prévisible"),
        ("X7q!mP2z", "moins de 32 caractères"),
    ],
)
def test_cle_de_cookie_faible_refusee(cle: str, raison: str) -> None:
    probleme = read_settings({"PILOTAGE_COOKIE_KEY": cle}).probleme_cle_cookie()
    assert probleme and raison in probleme


def test_cle_citee_dans_le_readme_refusee(tmp_path: Path) -> None:
    cle = secrets.token_urlsafe(48)
    readme = tmp_path / "README.md"
    readme.write_text(f"Exemple :\n\n    export PILOTAGE_COOKIE_KEY={cle}\n", encoding="utf-8")
    assert probleme_cle(cle, readme=readme) == (
        "la clé PILOTAGE_COOKIE_KEY est citée dans le README (elle n'est pas secrète)"
    )
    assert probleme_cle(secrets.token_urlsafe(48), readme=readme) is None


@pytest.mark.parametrize(
    "tirage", [lambda: secrets.token_urlsafe(32), lambda: secrets.token_hex(32)]
)
def test_une_cle_tiree_au_hasard_est_acceptee(tirage: Callable[[], str]) -> None:
    assert all(probleme_cle(tirage()) is None for _ in range(200))


LECTEUR = ActeurLocal("elu-nord", "lecteur", "NORD")
ADMIN_NORD = ActeurLocal("admin-nord", "admin", "NORD")
ECRITURES_COMPTES = {
    "add_compte": lambda f, a: u.add_compte(f, "nouveau", acteur=a, role="admin",
                                            mot_de_passe="un-long-secret"),
    "set_mot_de_passe": lambda f, a: u.set_mot_de_passe(f, "marie", "autre-long-secret", acteur=a),
    "remove_compte": lambda f, a: u.remove_compte(f, "marie", acteur=a),
    "add_comptes_demo": lambda f, a: u.add_comptes_demo(f, acteur=a),
}  # fmt: skip


@pytest.mark.parametrize(
    ("acteur", "message"),
    [
        (LECTEUR, "Droit refusé : le compte « elu-nord » (lecture seule, périmètre NORD) ne peut "
                  "pas gérer les comptes."),
        (ADMIN_NORD, "Droit refusé : le compte « admin-nord » (administrateur, périmètre NORD) ne "
                     "peut pas gérer les comptes : ce droit porte sur tout le département, il est "
                     "réservé aux comptes sans périmètre."),
    ],
    ids=["lecteur", "admin-a-perimetre"],
)  # fmt: skip
@pytest.mark.parametrize("nom", list(ECRITURES_COMPTES))
def test_seul_un_administrateur_sans_perimetre_change_les_comptes(
    tmp_path: Path, nom: str, acteur: ActeurLocal, message: str
) -> None:
    fichier = tmp_path / "comptes.yaml"
    u.add_compte(fichier, "marie", acteur=ADMIN, role="lecteur", mot_de_passe="un-long-secret")
    avant = fichier.read_bytes()
    with pytest.raises(DroitRefuse) as refus:
        ECRITURES_COMPTES[nom](fichier, acteur)
    assert str(refus.value) == message
    assert fichier.read_bytes() == avant
    ECRITURES_COMPTES[nom](fichier, ADMIN)
    assert fichier.read_bytes() != avant
