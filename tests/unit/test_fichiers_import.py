"""Lecture des fichiers importés, sans base : encodages, séparateurs, en-têtes, classeurs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from data_access import imports
from data_access.fichiers_import import (
    ConfigImport,
    ConfigImportInvalide,
    ErreurImport,
    ImportRefuse,
    check_taille,
    normaliser_entete,
    read_config_import,
    read_fichier,
    texte_cellule,
)
from tests.fichiers_import import classeurs

CORPUS = Path(__file__).resolve().parents[1] / "fichiers_import"


def _refus(nom: str, contenu: bytes, config: ConfigImport | None = None) -> list[str]:
    with pytest.raises(ImportRefuse) as refus:
        read_fichier(nom, contenu, config=config)
    assert refus.value.lu is None
    return [str(e) for e in refus.value.erreurs]


def test_une_erreur_se_lit_fichier_ligne_colonne_message() -> None:
    assert str(ErreurImport("f.csv", 3, "valeur", "valeur manquante")) == (
        "f.csv:ligne 3:valeur: valeur manquante"
    )
    assert str(ErreurImport("f.csv", 1, None, "fichier vide")) == "f.csv:ligne 1: fichier vide"
    assert str(ErreurImport("f.csv", None, None, "trop gros")) == "f.csv: trop gros"


def test_csv_utf8_avec_bom_point_virgule_et_virgule_decimale() -> None:
    lu = read_fichier("bon.csv", (CORPUS / "bon.csv").read_bytes())
    assert lu.format == "CSV UTF-8 avec BOM, séparateur « ; »"
    assert lu.entetes[0] == "indicateur" and lu.ignorees == ()
    assert list(lu.lignes.index) == [2, 3, 4]
    assert lu.colonne("valeur").tolist() == ["777", "1 250", ""]
    assert lu.colonne("statut").tolist() == ["provisoire", "", "définitif"]


def test_csv_windows_1252_separe_par_des_virgules_avec_guillemets() -> None:
    lu = read_fichier("bon_cp1252.csv", (CORPUS / "bon_cp1252.csv").read_bytes())
    assert lu.format == "CSV Windows-1252, séparateur « , »"
    assert lu.ignorees == ("commentaire",)
    assert lu.lignes["commentaire"].tolist() == ["corrigé", "", "vérifié, ok"]
    assert lu.colonne("valeur").tolist() == ["777", "1250", ""]


def test_en_tetes_sans_casse_ni_accents_lignes_vides_sautees_numeros_du_tableur() -> None:
    texte = (
        "Indicateur ; Territoire;Période;Valeur;Numérateur;\n\n"
        'OO2-S.1;6705;2019-T3;"1 234,5";\n;;;;\n"A2.1";67;2019-06;"multi\nligne"\nFIN-2.1;67\n'
    )
    lu = read_fichier("entetes.csv", texte.encode())
    assert set(lu.colonnes) == {"indicateur", "territoire", "periode", "valeur", "numerateur"}
    assert list(lu.lignes.index) == [3, 5, 6]
    assert lu.colonne("valeur").tolist() == ["1 234,5", "multi\nligne", ""]
    assert lu.colonne("periode").tolist() == ["2019-T3", "2019-06", ""]


def test_normaliser_entete() -> None:
    assert normaliser_entete("\ufeffPériode ") == "periode"
    assert normaliser_entete("Dénominateur") == "denominateur"
    assert normaliser_entete("Code indicateur") == "code_indicateur"


@pytest.mark.parametrize(
    ("valeur", "texte"),
    [
        (None, ""),
        (6705, "6705"),
        (2019.0, "2019"),
        (12.5, "12.5"),
        (1e-07, "1e-07"),
        (True, "VRAI"),
        (datetime(2019, 6, 1), "2019-06"),
        (datetime(2019, 6, 15, 10, 30), "2019-06-15 10:30:00"),
        (date(2019, 6, 1), "2019-06"),
        ("2019-T3", "2019-T3"),
    ],
)
def test_texte_d_une_cellule_de_classeur(valeur: object, texte: str) -> None:
    assert texte_cellule(valeur) == texte


def test_classeur_lu_comme_un_csv_aurait_ete_ecrit() -> None:
    lu = read_fichier("bon.xlsx", classeurs.bon())
    assert lu.format == "XLSX, feuille « Indicateurs »"
    assert lu.colonne("territoire").tolist() == ["6705", "6705", "6705"]
    assert lu.colonne("periode").tolist() == ["2019-T3", "2019-06", "2020-T1"]
    assert lu.colonne("valeur").tolist() == ["777", "1234", "12"]


def test_une_formule_est_signalee_a_sa_case_sans_arreter_la_lecture() -> None:
    lu = read_fichier("formule.xlsx", classeurs.formule())
    assert [(e.ligne, e.colonne) for e in lu.erreurs] == [(3, "valeur")]
    assert list(lu.lignes.index) == [2, 3]


def test_taille_limite_lue_dans_la_configuration(tmp_path: Path) -> None:
    assert read_config_import().taille_max_octets == 20 * 1024 * 1024
    assert read_config_import(tmp_path / "absent.toml") == ConfigImport()
    reglage = tmp_path / "import.toml"
    reglage.write_text("[fichier]\ntaille_max_mo = 0.5\n", encoding="utf-8")
    assert read_config_import(reglage).taille_max_octets == 512 * 1024
    reglage.write_text("[fichier]\ntaille_max_mo = 0\n", encoding="utf-8")
    with pytest.raises(ConfigImportInvalide, match="taille_max_mo doit être un nombre"):
        read_config_import(reglage)


def test_trop_gros_refuse_avant_lecture() -> None:
    with pytest.raises(ImportRefuse, match="25 Mo pour 20 Mo au plus"):
        check_taille("gros.csv", 25 * 1024 * 1024)
    assert _refus("x.csv", b"a" * 2000, ConfigImport(1024)) == [
        "x.csv: fichier trop volumineux : 2 Ko pour 1 Ko au plus (réglage taille_max_mo de "
        "config/import.toml) ; découpez-le en plusieurs fichiers"
    ]


def test_extension_inconnue_refusee() -> None:
    assert _refus("donnees.ods", b"x") == [
        "donnees.ods: extension « .ods » non acceptée : fichier .csv ou .xlsx attendu"
    ]


def test_fichier_fait_d_espaces_est_vide() -> None:
    assert _refus("blanc.csv", b"  \n\n ") == [
        "blanc.csv: fichier vide : il ne contient aucune ligne"
    ]


def test_rapport_d_erreurs_lignes_d_origine_et_colonne_erreur() -> None:
    texte = (
        "indicateur;territoire;periode;valeur;erreur\nOO2-S.1;6705;2019-T3;1;ancienne\nX;1;2;3;\n"
    )
    lu = read_fichier("r.csv", texte.encode())
    erreurs = [
        ErreurImport("r.csv", 3, "indicateur", "indicateur inconnu"),
        ErreurImport("r.csv", 3, "territoire", "territoire inconnu"),
    ]
    rapport = imports.build_rapport_erreurs(erreurs, lu)
    assert list(rapport.columns) == ["ligne", "indicateur", "territoire", "periode", "valeur",
                                     "erreur"]  # fmt: skip
    assert rapport["ligne"].tolist() == [2, 3]
    assert rapport["erreur"].tolist() == [
        "",
        "indicateur : indicateur inconnu ; territoire : territoire inconnu",
    ]


def test_rapport_d_un_fichier_illisible_une_ligne_par_erreur() -> None:
    rapport = imports.build_rapport_erreurs(
        [ErreurImport("v.csv", None, None, "fichier vide")], None
    )
    assert rapport.to_dict("records") == [{"ligne": None, "colonne": "", "erreur": "fichier vide"}]


def test_un_classeur_trop_gros_une_fois_decompresse_est_refuse_avant_d_etre_ouvert() -> None:
    config = ConfigImport(decompresse_max_octets=1024 * 1024)
    assert _refus("q.xlsx", classeurs.quatre_cent_mille_lignes(), config) == [
        "q.xlsx: classeur trop volumineux une fois décompressé : 58,4 Mo pour 1 Mo au plus "
        "(réglage decompresse_max_mo de config/import.toml) ; découpez-le en plusieurs fichiers"
    ]
