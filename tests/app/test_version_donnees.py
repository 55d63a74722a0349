"""Un import enregistré ailleurs (un autre processus, la ligne de commande) se voit à la page
suivante, sans attendre l'expiration des caches : ils sont vidés quand la version change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from data_access import imports, series
from data_access.droits import administrateur_local
from tests.app.aides import connexion, page

pytestmark = pytest.mark.usefixtures("environnement")


def _retours(at: object) -> str:
    (valeur,) = [m.value for m in at.metric if m.label == "Réalisé"][:1]  # type: ignore[attr-defined]
    return valeur


def test_un_import_d_un_autre_processus_se_voit_a_la_relance(environnement: Path) -> None:
    at = page("admin", "synthese", {"periode": "2019-12", "territoire": "67"})
    avant = _retours(at)
    with connexion(environnement, ecriture=True) as conn:
        cadre = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T4")
        ancienne = float(cadre.loc[cadre["canton"] == "6705", "valeur"].iloc[0])
        ligne = f"OO2-S.1;6705;2019-T4;{ancienne + 1000:.0f}"
        fichier = f"indicateur;territoire;periode;valeur\n{ligne}\n"
        imports.commit_import(
            conn,
            nom="ailleurs.csv",
            contenu=fichier.encode(),
            acteur=administrateur_local("cli"),
            aujourdhui=date(2020, 2, 1),
        )
    at.run()
    apres = _retours(at)
    assert _nombre(apres) == _nombre(avant) + 1000, (avant, apres)


def _nombre(texte: str) -> float:
    """« 11 276 » → 11276."""
    return float(texte.replace("\u202f", "").replace(",", "."))
