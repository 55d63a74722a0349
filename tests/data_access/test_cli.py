"""La commande `pilotage` contre une vraie base : init idempotent et référentiel vérifiable."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from dashboard import cli

SECTION7 = "002_08888835fc8aebb3.txt §7"


def _sortie(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    capsys.readouterr()
    cli.main(["referentiel", *args])
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out), delimiter=";"))


@pytest.fixture
def base_initialisee(url_vide: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    cli.main(["init"])
    cli.main(["init"])
    return url_vide


@pytest.mark.usefixtures("base_initialisee")
def test_referentiel_donne_les_53_indicateurs_du_tableau_7(
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    cli.main(["referentiel"])
    sortie = capsys.readouterr().out
    assert sortie.splitlines()[0] == (
        "code;libelle;niveau;nature;unite;periodicite;polarite;prioritaire;source"
    )
    lignes = list(csv.DictReader(io.StringIO(sortie), delimiter=";"))
    section7 = [li for li in lignes if li["source"].startswith(SECTION7)]
    assert len(section7) == 53
    assert Counter(li["periodicite"] for li in section7) == {
        "mensuelle": 6, "trimestrielle": 7, "semestrielle": 23, "annuelle": 9, "": 8,
    }  # fmt: skip
    assert {li["prioritaire"] for li in section7} == {"oui", "non"}


@pytest.mark.usefixtures("base_initialisee")
def test_cibles_du_paragraphe_4_et_objectif_du_plan(capsys: pytest.CaptureFixture[str]) -> None:
    cibles = _sortie(capsys, "--cibles")
    emploi = [c for c in cibles if c["indicateur"] == "OO2-S.1"]
    cumul_67 = {
        float(c["valeur"]) for c in emploi if (c["territoire"], c["periode"]) == ("67", "2017-2019")
    }
    assert cumul_67 == {10000.0, 11199.0}
    territoires = ("NORD", "OUEST", "EMS", "SUD")
    for annee in ("2017", "2018", "2019"):
        par_an = [
            float(c["valeur"])
            for c in emploi
            if c["periode"] == annee and c["territoire"] in territoires
        ]
        assert sum(par_an) == 3733
    insertion = [c for c in cibles if c["indicateur"] == "OO3-S.1" and c["periode"] == "2017-2019"]
    assert sum(float(c["valeur"]) for c in insertion if c["territoire"] in territoires) == 6000
    assert all(c["source"].startswith("00") and c["derive"] in {"oui", "non"} for c in cibles)


def test_referentiel_sur_base_vierge_refuse_en_francais(
    url_vide: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    with pytest.raises(SystemExit) as sortie:
        cli.main(["referentiel"])
    assert sortie.value.code == 1
    assert "lancez d'abord « pilotage init »" in capsys.readouterr().err


def test_base_injoignable_message_sans_trace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "PILOTAGE_DATABASE_URL", "postgresql+psycopg://personne:secret@127.0.0.1:1/rien"
    )
    with pytest.raises(SystemExit):
        cli.main(["init"])
    erreur = capsys.readouterr().err
    assert "base de données injoignable" in erreur and "PILOTAGE_DATABASE_URL" in erreur
    assert "secret" not in erreur and "Traceback" not in erreur
