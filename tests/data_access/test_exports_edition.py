"""Exports du tableau de bord (ticket 18, points 8 à 11), sur SQLite et PostgreSQL.

Ce qu'un destinataire lit dans le PDF, le classeur et le CSV de l'édition de démonstration de
juin 2019 et de la vue en direct, pour le département et pour le NORD (et le département vu par
un élu du NORD) : les deux cibles d'OO2-S.1 (10 000 et 11 199) avec leurs sources en noms de
documents, « Données de démonstration » sur chaque page, chaque feuille et en tête du CSV,
aucun nom de fichier source, et des nombres arrondis à la précision de leur unité. Les chiffres
attendus sont relus en SQL dans les tables `cible` et `valeur`, jamais par le code exporté.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Connection, Engine, text

from dashboard.exports import fichiers
from dashboard.tableau_de_bord import editions
from dashboard.tableau_de_bord.contenu import TableauDeBord

MOIS = "2019-06"
FICHIER_SOURCE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
DEMO = "Données de démonstration"
# Le fichier 002 est le PDIE 2017-2019 (DOMAIN.md) : la source lisible remplace son nom.
PDIE = ("002_08888835fc8aebb3.txt ", "PDIE 2017-2019, ")
PRECISION = {"%": 1, "ETP": 2}  # décimales permises ; les comptes et les euros : aucune
NOMBRES = ("Réalisé", "Cible", "Attendu à date", "Autre cible", "Autre cible : attendu à date")


@pytest.fixture(scope="module")
def publie(engine_demo: Engine) -> Iterator[Connection]:
    """La démonstration avec l'édition de juin 2019 publiée (`pilotage demo` la publie), dans
    une transaction annulée à la fin du module."""
    with engine_demo.connect() as conn:
        transaction = conn.begin()
        try:
            editions.publier_demo(conn, debut=MOIS, fin=MOIS)
            yield conn
        finally:
            transaction.rollback()


@dataclass(frozen=True)
class Exports:
    tableau: TableauDeBord
    csv: str
    classeur: bytes
    pages: list[str]


CONTEXTES = {
    "edition-67": ("edition", "67", None),
    "edition-NORD": ("edition", "NORD", None),
    "edition-67-vue-par-NORD": ("edition", "67", "NORD"),
    "direct-67": ("direct", "67", None),
    "direct-NORD": ("direct", "NORD", "NORD"),
}


def _tableau(conn: Connection, contexte: str) -> TableauDeBord:
    genre, territoire, perimetre = CONTEXTES[contexte]
    if genre == "direct":
        return editions.direct(conn, mois=MOIS, territoire=territoire, perimetre=perimetre)
    edition = editions.lire_edition(conn, mois=MOIS, territoire=territoire)
    assert edition is not None and edition.publication is not None
    return editions.restreindre(edition, perimetre)


@pytest.fixture(scope="module", params=list(CONTEXTES))
def exports(request: pytest.FixtureRequest, publie: Connection) -> Exports:
    """Les trois exports d'un contexte ; la vue en direct est celle d'une application en
    démonstration (`demonstration=True`, ce que passent la page et `pilotage exporter`)."""
    tableau = _tableau(publie, request.param)
    octets = {f: fichiers.exporter(tableau, f, demonstration=True) for f in fichiers.FORMATS}
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(octets["pdf"])).pages]
    return Exports(tableau, octets["csv"].decode("utf-8-sig"), octets["xlsx"], pages)


def _lignes_csv(texte: str) -> list[dict[str, str]]:
    """Les lignes du CSV sous son en-tête (la première ligne est la mention de démonstration)."""
    return list(csv.DictReader(io.StringIO(texte.split("\r\n", 1)[1]), delimiter=";"))


def _cibles_sql(conn: Connection, territoire: str) -> list[tuple[float, str]]:
    """Les cibles d'OO2-S.1 sur toute la durée du plan, lues dans la table `cible`."""
    lignes = conn.execute(
        text("SELECT valeur, source FROM cible WHERE indicateur = 'OO2-S.1' "
             "AND territoire = :t AND periode = '2017-2019' ORDER BY valeur"),
        {"t": territoire},
    ).all()  # fmt: skip
    return [(float(v), str(s)) for v, s in lignes]


def _lisible(source: str) -> str:
    assert source.startswith(PDIE[0]), source
    return source.replace(*PDIE)


def _a_la_precision(x: float, decimales: int) -> str:
    """Arrondi commercial, écrit à la française sans zéro inutile (comme le CSV)."""
    arrondi = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    return format(arrondi.normalize(), "f").replace(".", ",")


def _milliers(x: float) -> str:
    """`10000.0` → « 10 000 » (le texte du PDF, espaces ramenées à l'espace simple)."""
    return f"{x:,.0f}".replace(",", " ")


# --- Les deux cibles et leurs sources ----------------------------------------------------------


def test_le_csv_donne_les_cibles_d_oo2_avec_leurs_sources(
    exports: Exports, publie: Connection
) -> None:
    territoire = exports.tableau.territoire
    attendues = _cibles_sql(publie, territoire)
    lignes = [li for li in _lignes_csv(exports.csv) if li["Code"] == "OO2-S.1"]
    assert {li["Section"] for li in lignes} >= {"Synthèse", "Indicateurs"}
    for ligne in lignes:
        if territoire == "67":
            # 10 000 (§3.1) et 11 199 (somme du §4) : les deux, chacune avec son document.
            (principale, source_p), (autre, source_a) = attendues
            assert (principale, autre) == (10000.0, 11199.0)
            assert (ligne["Cible"], ligne["Autre cible"]) == ("10000", "11199")
            assert ligne["Source"] == _lisible(source_p) == "PDIE 2017-2019, §3.1, §7 (OO2)"
            assert ligne["Autre cible : source"] == _lisible(source_a) == "PDIE 2017-2019, §4"
            # Attendu au prorata : 30 mois sur 36 au 2e trimestre 2019, arrondi commercial.
            assert ligne["Autre cible : attendu à date"] == _a_la_precision(11199 * 30 / 36, 0)
        else:
            ((cible, source),) = attendues
            assert ligne["Cible"] == _a_la_precision(cible, 0)
            assert ligne["Source"] == _lisible(source)
            assert ligne["Autre cible"] == ""


def test_le_classeur_donne_les_cibles_d_oo2_avec_leurs_sources(
    exports: Exports, publie: Connection
) -> None:
    classeur = load_workbook(io.BytesIO(exports.classeur))
    feuille = classeur["Synthèse"]
    entete = [c.value for c in feuille[2]]
    (ligne,) = [
        dict(zip(entete, (c.value for c in rang), strict=True))
        for rang in feuille.iter_rows(min_row=3)
        if rang[0].value == "OO2-S.1"
    ]
    attendues = _cibles_sql(publie, exports.tableau.territoire)
    assert (ligne["Cible"], ligne["Source"]) == (attendues[0][0], _lisible(attendues[0][1]))
    if exports.tableau.territoire == "67":
        assert (ligne["Autre cible"], ligne["Autre cible : source"]) == (
            attendues[1][0], _lisible(attendues[1][1]),
        )  # fmt: skip


def test_le_pdf_donne_les_cibles_d_oo2_avec_leurs_sources_et_une_ligne_sources(
    exports: Exports, publie: Connection
) -> None:
    texte = " ".join(" ".join(exports.pages).replace("\xa0", " ").split())
    assert "Sources : PDIE 2017-2019 (Plan départemental pour l'emploi" in texte
    if exports.tableau.territoire == "67":
        ((principale, source_p), (autre, source_a)) = _cibles_sql(publie, "67")
        assert _milliers(principale) in texte
        assert f"autre cible : {_milliers(autre)}" in texte
        assert _lisible(source_p) in texte and _lisible(source_a) in texte


# --- Données de démonstration, noms de fichiers --------------------------------------------------


def test_chaque_page_feuille_et_le_csv_disent_donnees_de_demonstration(exports: Exports) -> None:
    assert exports.pages and all(DEMO in page for page in exports.pages)
    assert exports.csv.splitlines()[0].startswith(DEMO)
    classeur = load_workbook(io.BytesIO(exports.classeur))
    for feuille in classeur.worksheets:
        assert str(feuille["A1"].value).startswith(DEMO), feuille.title
        assert feuille.oddHeader.center.text == DEMO


def test_aucun_nom_de_fichier_source_dans_les_exports(exports: Exports) -> None:
    classeur = load_workbook(io.BytesIO(exports.classeur))
    cellules = [str(c) for f in classeur.worksheets for r in f.iter_rows(values_only=True)
                for c in r if c is not None]  # fmt: skip
    for texte in (exports.csv, *exports.pages, *cellules):
        assert not FICHIER_SOURCE.search(texte), FICHIER_SOURCE.search(texte)


def test_hors_demonstration_la_vue_en_direct_n_a_pas_la_mention(publie: Connection) -> None:
    direct = editions.direct(publie, mois=MOIS, territoire="67")
    csv_reel = fichiers.exporter(direct, "csv", demonstration=False).decode("utf-8-sig")
    assert csv_reel.startswith("Section;")
    assert DEMO not in csv_reel


# --- Nombres arrondis ------------------------------------------------------------------------


def _decimales(cellule: str) -> int:
    return len(cellule.split(",", 1)[1]) if "," in cellule else 0


def test_aucun_nombre_du_csv_n_a_plus_de_decimales_que_son_unite(exports: Exports) -> None:
    lus = 0
    for ligne in _lignes_csv(exports.csv):
        for colonne in NOMBRES:
            if ligne.get(colonne):
                lus += 1
                permis = PRECISION.get(ligne.get("Unité") or "", 0)
                assert _decimales(ligne[colonne]) <= permis, (ligne["Code"], colonne, ligne)
    assert lus > 50


def test_le_taux_de_contractualisation_est_celui_de_la_base_au_dixieme(
    exports: Exports, publie: Connection
) -> None:
    numerateur, denominateur = publie.execute(
        text("SELECT numerateur, denominateur FROM valeur WHERE indicateur = 'A27.1' "
             "AND territoire = '67' AND periode = '2019-S1' AND courante")
    ).one()  # fmt: skip
    attendu = _a_la_precision(float(numerateur) / float(denominateur) * 100, 1)
    lignes = [li for li in _lignes_csv(exports.csv) if li["Code"] == "A27.1"]
    if exports.tableau.territoire != "67":
        return  # le taux départemental n'est pas décliné dans le tableau d'un territoire
    assert lignes and {li["Réalisé"] for li in lignes} == {attendu}
    assert attendu == "77,3"


def test_le_realise_d_oo2_est_la_somme_des_cantons(exports: Exports, publie: Connection) -> None:
    (somme,) = publie.execute(
        text("SELECT SUM(v.valeur) FROM valeur v JOIN territoire t ON t.code = v.territoire "
             "WHERE v.indicateur = 'OO2-S.1' AND v.courante AND t.niveau = 'canton' "
             "AND v.debut >= '2017-01' AND v.fin <= :mois AND (:t = '67' OR t.parent = :t)"),
        {"mois": MOIS, "t": exports.tableau.territoire},
    ).one()  # fmt: skip
    (ligne, *_) = [li for li in _lignes_csv(exports.csv) if li["Code"] == "OO2-S.1"]
    assert ligne["Réalisé"] == _a_la_precision(float(somme), 0)
