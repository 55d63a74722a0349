"""CSV téléchargé : il s'ouvre juste dans Excel en français et n'exécute aucune formule."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from dashboard.exports.en_csv import to_csv_bytes


def relire(octets: bytes) -> list[list[str]]:
    """Ce que lit un tableur : UTF-8 avec BOM, `;` pour séparateur."""
    texte = octets.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))


def test_bom_separateur_point_virgule_et_accents() -> None:
    octets = to_csv_bytes(pd.DataFrame({"Territoire d'action": ["Eurométropole de Strasbourg"]}))
    assert octets.startswith(b"\xef\xbb\xbf")
    assert relire(octets) == [["Territoire d'action"], ["Eurométropole de Strasbourg"]]


def test_decimales_a_la_francaise_sans_separateur_de_milliers() -> None:
    cadre = pd.DataFrame({"taux": [24.5, 0.125], "effectif": [12345.0, 3.0], "n": [7, 8]})
    assert relire(to_csv_bytes(cadre))[1:] == [["24,5", "12345", "7"], ["0,125", "3", "8"]]


def test_valeurs_manquantes_vides_jamais_nan() -> None:
    cadre = pd.DataFrame(
        {
            "valeur": [np.nan, 1.0],
            "rang": pd.array([None, 2], dtype="Int64"),
            "statut": pd.array([None, "définitif"], dtype="string"),
        }
    )
    lignes = relire(to_csv_bytes(cadre))
    assert lignes[1] == ["", "", ""]
    assert "nan" not in to_csv_bytes(cadre).decode("utf-8-sig").lower()


def test_formules_neutralisees_par_une_apostrophe() -> None:
    cadre = pd.DataFrame(
        {
            "libelle": ['=HYPERLINK("http://x")', "+33 3 88", "-2+3", "@SOMME(A1)", "Saverne"],
            "valeur": [1.0, 2.0, -2.5, 4.0, 5.0],
        }
    )
    lignes = relire(to_csv_bytes(cadre))[1:]
    assert [li[0] for li in lignes] == [
        '\'=HYPERLINK("http://x")',
        "'+33 3 88",
        "'-2+3",
        "'@SOMME(A1)",
        "Saverne",
    ]
    assert lignes[2][1] == "-2,5", "un nombre négatif reste un nombre"


def test_en_tete_neutralise_et_texte_avec_point_virgule_protege() -> None:
    cadre = pd.DataFrame({"=colonne": ["Sud ; Nord"]})
    assert relire(to_csv_bytes(cadre)) == [["'=colonne"], ["Sud ; Nord"]]


def test_secret_reste_le_mot_secret() -> None:
    cadre = pd.DataFrame({"Zone": ["Ingwiller", "Saverne"], "Valeur": ["secret", 90]})
    assert relire(to_csv_bytes(cadre))[1:] == [["Ingwiller", "secret"], ["Saverne", "90"]]
