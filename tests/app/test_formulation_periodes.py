"""Une période s'écrit sans « au » fautif partout où on la lit (ticket 18, point 6).

Synthèse (AppTest), chaque diapositive du comité (en direct et sur l'édition publiée de juin
2019), et les exports PDF, XLSX et CSV de cette édition : aucun texte ne contient « au » suivi
d'un mois, de « année », de « non renseigné » ou d'un chiffre (`tests/formulations.py`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.exports import fichiers
from dashboard.tableau_de_bord import comite, editions
from tests.app.aides import connexion, page, textes
from tests.formulations import fautes

EDITION = "2019-06"  # une des éditions que publie `pilotage demo` (2018-12 … 2019-11)


@pytest.fixture(scope="module", autouse=True)
def edition_de_juin(environnement: Path) -> None:
    """L'édition de juin 2019 publiée comme le fait `pilotage demo`."""
    with connexion(environnement, ecriture=True) as conn:
        editions.publier_demo(conn, debut=EDITION, fin=EDITION)


def _lus(at: Any) -> list[str]:
    """Ce qu'une personne lit : textes, HTML des diapositives, aides des chiffres, hors en-tête."""
    lus = textes(at.main)
    lus += [h.proto.body for h in at.get("html")]
    lus += [m.proto.help for m in at.metric]
    return lus


@pytest.mark.parametrize("identifiant", ["admin", "elu-nord"])
@pytest.mark.parametrize("periode", [None, "2019-06", "2018-03"])
def test_la_synthese_ecrit_ses_periodes_sans_au(identifiant: str, periode: str | None) -> None:
    at = page(identifiant, "synthese", {"periode": periode} if periode else {})
    lus = _lus(at)
    assert any("Dernière période connue" in t for t in lus)  # les cartes sont bien là
    assert fautes(lus) == []


@pytest.mark.parametrize("edition", [None, EDITION])
def test_chaque_diapositive_du_comite_ecrit_ses_periodes_sans_au(
    environnement: Path, edition: str | None
) -> None:
    with connexion(environnement) as conn:
        tableau = (
            editions.lire_edition(conn, mois=EDITION, territoire="67")
            if edition
            else editions.direct(conn, mois=EDITION, territoire="67")
        )
    assert tableau is not None
    params = {"mode": "comite", "periode": EDITION, **({"edition": edition} if edition else {})}
    lus: list[str] = []
    for numero in range(1, len(comite.diapos(tableau)) + 1):
        at = page("pilotage", "tableau_de_bord", {**params, "diapo": str(numero)})
        lus += _lus(at)
    assert any("données de juin 2019" in t for t in lus)
    assert fautes(lus) == []


def _pdf(octets: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(octets)).pages)


def _xlsx(octets: bytes) -> str:
    classeur = load_workbook(io.BytesIO(octets), read_only=True)
    return "\n".join(
        " | ".join(str(c) for c in ligne if c is not None)
        for feuille in classeur.worksheets
        for ligne in feuille.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("territoire", ["67", "NORD"])
def test_les_exports_de_l_edition_de_juin_2019_ecrivent_leurs_periodes_sans_au(
    environnement: Path, territoire: str
) -> None:
    with connexion(environnement) as conn:
        tableau = editions.lire_edition(conn, mois=EDITION, territoire=territoire)
    assert tableau is not None
    pdf = _pdf(fichiers.exporter(tableau, "pdf"))
    assert "Données de " in " ".join(pdf.split())
    assert fautes([" ".join(pdf.split())]) == []
    assert fautes(_xlsx(fichiers.exporter(tableau, "xlsx")).splitlines()) == []
    assert fautes(fichiers.exporter(tableau, "csv").decode("utf-8-sig").splitlines()) == []
