"""Exports du tableau de bord (CSV, XLSX, PDF) : en direct et de l'édition de juin 2019, pour
l'administration et pour un élu du Nord, sur SQLite et PostgreSQL.

Le tableau exporté est celui que charge la page (`vues.tableau_de_bord.charger` : l'édition
restreinte au périmètre, ou la vue en direct du mois) ; chaque réalisé de chaque section du CSV,
de chaque feuille du classeur et de chaque tableau d'indicateurs du PDF est recalculé en SQL.
Chaque export nomme le territoire et le mois montrés.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Connection

from dashboard import formats
from dashboard.exports import fichiers
from dashboard.tableau_de_bord import editions
from dashboard.tableau_de_bord.contenu import TableauDeBord
from tests.contexte import lecture as lu
from tests.contexte.calcul import Lecture
from tests.contexte.conftest import MOIS, Monde

LECTEURS = ((None, "67"), ("NORD", "NORD"), ("NORD", "67"))  # (périmètre, tableau)
CELLULE_NOMBRE = re.compile(r"^ (–|-?\d[\d\s]*(?:,\d+)?(?: ?%| ?€| M€)?)$")


def tableau(
    conn: Connection, perimetre: str | None, territoire: str, edition: bool
) -> TableauDeBord:
    """Ce que la page exporte : l'édition restreinte au périmètre, ou la vue en direct."""
    if edition:
        publie = editions.lire_edition(conn, mois=MOIS, territoire=territoire)
        assert publie is not None
        return editions.restreindre(publie, perimetre)
    return editions.direct(conn, mois=MOIS, territoire=territoire, perimetre=perimetre)


# Une cellule vide d'un export (CSV, XLSX) est « Aucune donnée » à l'écran : un tableur lit mieux
# le vide qu'une phrase dans une colonne de périodes.


def _ecrit(valeur: object, unite: str) -> str:
    """Un nombre brut d'un export (« 1478 », « 77,3 », 1478.0) écrit comme à l'écran."""
    if valeur in (None, ""):
        return formats.MANQUANT
    return formats.valeur(float(str(valeur).replace(",", ".")), unite)


def lignes_csv(texte: str, lecture: Lecture, territoire: str) -> list[lu.Ligne]:
    corps = texte.split("\r\n", 1)[1]
    lignes = []
    for r in csv.DictReader(io.StringIO(corps), delimiter=";"):
        if r["Code"]:
            unite = lecture.unite(r["Code"])
            lignes.append(lu.Ligne(f"CSV {r['Section']}", r["Code"], territoire,
                                   _ecrit(r["Réalisé"], unite), r["Cible"] or None,
                                   r["Période des données"] or formats.AUCUNE_DONNEE))  # fmt: skip
        elif r["Territoire"]:
            code = lu.RUBRIQUES_P4[r["Rubrique"]]
            lignes.append(lu.Ligne("CSV Territoires", code,
                                   lu.territoire_ecrit(r["Territoire"], lecture),
                                   _ecrit(r["Réalisé"], ""), r["Cible"] or None,
                                   periode_cible=r["Période"]))  # fmt: skip
    return lignes


def lignes_xlsx(octets: bytes, lecture: Lecture, territoire: str) -> list[lu.Ligne]:
    classeur = load_workbook(io.BytesIO(octets))
    lignes = []
    for feuille in classeur:
        rangees = list(feuille.iter_rows(values_only=True))
        assert str(rangees[0][0]).startswith("Données de démonstration"), feuille.title
        entetes = [str(x) for x in rangees[1]]
        for rangee in rangees[2:]:
            r = dict(zip(entetes, rangee, strict=False))
            if r.get("Code") and "Réalisé" in r:
                code = str(r["Code"])
                periode = r.get("Période des données") or formats.AUCUNE_DONNEE
                lignes.append(lu.Ligne(f"XLSX {feuille.title}", code, territoire,
                                       _ecrit(r["Réalisé"], lecture.unite(code)),
                                       None if r["Cible"] is None else str(r["Cible"]),
                                       periode))  # fmt: skip
            elif r.get("Rubrique") in lu.RUBRIQUES_P4 and r.get("Territoire"):
                lignes.append(lu.Ligne(f"XLSX {feuille.title}", lu.RUBRIQUES_P4[r["Rubrique"]],
                                       lu.territoire_ecrit(str(r["Territoire"]), lecture),
                                       _ecrit(r["Réalisé"], ""),
                                       None if r["Cible"] is None else str(r["Cible"]),
                                       periode_cible=str(r["Période"])))  # fmt: skip
    return lignes


def lignes_pdf(pages: list[str], codes: set[str], territoire: str) -> list[lu.Ligne]:
    """Les tableaux d'indicateurs du PDF : après la ligne du code, la première cellule
    numérique est le réalisé, la suivante la cible."""
    lignes = []
    for numero, page in enumerate(pages, start=1):
        texte = page.splitlines()
        debuts = [i for i, ligne in enumerate(texte) if ligne.strip() in codes]
        for i, fin in zip(debuts, [*debuts[1:], len(texte)], strict=False):
            nombres = [m[1] for t in texte[i + 1 : fin] if (m := CELLULE_NOMBRE.match(t))]
            if nombres:
                cible = nombres[1] if len(nombres) > 1 and nombres[1] != "–" else None
                lignes.append(lu.Ligne(f"PDF page {numero}", texte[i].strip(), territoire,
                                       nombres[0], cible))  # fmt: skip
    return lignes


@pytest.mark.parametrize("edition", [False, True], ids=["en-direct", "edition"])
@pytest.mark.parametrize(("perimetre", "territoire"), LECTEURS)
def test_chaque_export_montre_les_chiffres_du_sql(
    monde: Monde, conn: Connection, perimetre: str | None, territoire: str, edition: bool
) -> None:
    lecture = monde.lire(conn, edition=edition)
    montre = tableau(conn, perimetre, territoire, edition)
    octets = {f: fichiers.exporter(montre, f, demonstration=True) for f in fichiers.FORMATS}
    libelle = lecture.libelle(territoire)
    mois = formats.periode(MOIS)

    texte = octets["csv"].decode("utf-8-sig")
    csv_lu = lignes_csv(texte, lecture, territoire)
    assert {"OO2-S.1", "OO3-S.1"} <= {x.code for x in csv_lu}
    assert f";{mois};{libelle};" in texte
    lu.verifier(lecture, csv_lu, MOIS)

    xlsx_lu = lignes_xlsx(octets["xlsx"], lecture, territoire)
    assert {x.ou for x in xlsx_lu} >= {"XLSX Synthèse", "XLSX Indicateurs", "XLSX Territoires"}
    lu.verifier(lecture, xlsx_lu, MOIS)

    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(octets["pdf"])).pages]
    codes = {str(c) for (c,) in conn.exec_driver_sql("SELECT code FROM indicateur")}
    pdf_lu = lignes_pdf(pages, codes, territoire)
    assert len({x.code for x in pdf_lu}) >= 20
    lu.verifier(lecture, pdf_lu, MOIS)
    for page in pages:
        assert f"Tableau de bord mensuel — {mois} — {libelle}" in page
