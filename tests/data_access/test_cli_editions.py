"""`pilotage publier` et `pilotage exporter` contre une vraie base (SQLite et PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import cli
from dashboard.exports import fichiers
from dashboard.tableau_de_bord import editions
from data_access import demo, engine
from data_access.droits import administrateur_local


@pytest.fixture
def base_demo(url_vide: str, monkeypatch: pytest.MonkeyPatch) -> str:
    demo.create_base(url_vide)
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    return url_vide


def test_publier_refuse_en_francais_puis_publie_une_fois_les_retards_commentes(
    base_demo: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as sortie:
        cli.main(["publier", "2019-06", "--auteur", "mission"])
    assert sortie.value.code == 1
    erreur = capsys.readouterr().err
    assert erreur.startswith("pilotage : Publication refusée")
    assert "Traceback" not in erreur
    eng = engine.create(base_demo)
    with eng.begin() as conn:
        manquants = editions.a_commenter(conn, mois="2019-06")
        assert manquants
        for m in manquants:  # chaque retard nommé avec son territoire
            assert (f"- {m.code} ({m.ligne.libelle}) en retard : {m.libelle_territoire} "
                    f"({m.territoire})") in erreur  # fmt: skip
        for m in manquants:
            editions.commenter(
                conn,
                mois="2019-06",
                indicateur=m.code,
                territoire=m.territoire,
                texte="Expliqué.",
                acteur=administrateur_local("mission"),
            )
    cli.main(["publier", "2019-06", "--auteur", "mission"])
    assert "Édition de 2019-06 publiée le" in capsys.readouterr().out

    fichier = tmp_path / "edition.csv"
    cli.main(["exporter", "2019-06", "--format", "csv", "--sortie", str(fichier)])
    with eng.connect() as conn:
        edition = editions.lire_edition(conn, mois="2019-06", territoire="67")
    eng.dispose()
    assert edition is not None
    assert fichier.read_bytes() == fichiers.to_csv(edition)
    assert "par mission" in fichier.read_bytes().decode("utf-8-sig")


@pytest.mark.usefixtures("base_demo")
def test_exporter_un_mois_non_publie_est_provisoire_et_un_territoire_inconnu_refuse(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fichier = tmp_path / "nord.csv"
    cli.main(["exporter", "2019-05", "--format", "csv", "--sortie", str(fichier),
              "--territoire", "NORD"])  # fmt: skip
    texte = fichier.read_bytes().decode("utf-8-sig")
    mention, _entete, premiere, *_ = texte.splitlines()
    assert mention.startswith("Données de démonstration")  # base de démonstration
    assert ";Nord;provisoire;" in premiere
    assert "provisoire" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["exporter", "2019-05", "--format", "csv", "--sortie", str(fichier),
                  "--territoire", "6705"])  # fmt: skip
    assert "territoire « 6705 » sans tableau de bord" in capsys.readouterr().err
