"""Comptes : hachage, validation, et clé du cookie refusée hors démonstration."""

from pathlib import Path

import bcrypt
import pytest

from config.settings import read_settings
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
    assert read_settings({"PILOTAGE_COOKIE_KEY": "k" * 40}).probleme_cle_cookie() is None


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
