"""Nombres importés : lectures en lettres, taux, cellules de classeur, réglages des bornes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from data_access.fichiers_import import (
    BornesNombre,
    ConfigImport,
    ConfigImportInvalide,
    montrer_invisibles,
    read_config_import,
)
from data_access.nombres_import import NombreRefuse, en_lettres, en_lettres_entier, lire_nombre

CONFIG = ConfigImport()


@pytest.mark.parametrize(
    ("n", "lettres"),
    [
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (97, "quatre-vingt-dix-sept"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1234, "mille deux cent trente-quatre"),
        (12500, "douze mille cinq cents"),
        (200_000, "deux cent mille"),
        (2_000_000, "deux millions"),
        (1_000_000_000, "un milliard"),
    ],
)
def test_un_entier_en_toutes_lettres(n: int, lettres: str) -> None:
    assert en_lettres_entier(n) == lettres


def test_un_decimal_en_toutes_lettres() -> None:
    assert en_lettres(Decimal("12.500")) == "douze virgule cinq"
    assert en_lettres(Decimal("1.05")) == "un virgule zéro cinq"


def test_un_taux_en_pourcent_n_est_pas_ambigu_quand_la_lecture_milliers_est_impossible() -> None:
    """12,500 % ne peut pas valoir 12 500 % : il se lit 12,5."""
    assert lire_nombre("12,500", config=CONFIG, nature="taux", unite="%", pourcent=True) == 12.5


def test_une_cellule_nombre_de_classeur_n_a_pas_de_separateur_a_interpreter() -> None:
    assert lire_nombre("12.5", config=CONFIG, nature="montant", type_nombre=True) == 12.5
    with pytest.raises(NombreRefuse, match="séparateur ambigu"):
        lire_nombre("12.500", config=CONFIG, nature="montant")


def test_espaces_des_milliers_acceptees() -> None:
    texte = "1\u202f234\u00a0567"
    assert lire_nombre(texte, config=CONFIG, nature="stock", unite="allocataires") == 1234567


def test_un_caractere_invisible_est_nomme_mais_pas_l_espace_insecable() -> None:
    assert montrer_invisibles("A\u200bB\u00a0C\tD") == "A[U+200B]B\u00a0C[U+0009]D"


def test_les_bornes_se_reglent_dans_import_toml(tmp_path: Path) -> None:
    reglage = tmp_path / "import.toml"
    reglage.write_text(
        "[fichier]\nlignes_max = 10\n[nombres.flux]\nentier = true\nminimum = 0\nplafond = 100\n",
        encoding="utf-8",
    )
    config = read_config_import(reglage)
    assert config.lignes_max == 10
    assert config.bornes["flux"] == BornesNombre(entier=True, minimum=0, plafond=100)
    with pytest.raises(NombreRefuse, match="moins de 100 attendu"):
        lire_nombre("100", config=config, nature="flux", unite="contrôles")
    reglage.write_text("[nombres.flux]\nplafond = 'beaucoup'\n", encoding="utf-8")
    with pytest.raises(ConfigImportInvalide, match=r"\[nombres.flux\] plafond doit être un nombre"):
        read_config_import(reglage)


def test_le_fichier_de_reglage_du_depot_est_lu() -> None:
    config = read_config_import()
    assert (config.lignes_max, config.decompresse_max_octets) == (200_000, 100 * 1024 * 1024)
    assert config.bornes["montant"].plafond == 1e12
