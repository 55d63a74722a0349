"""Page « Carte des cantons » (AppTest) : chiffres du tableau et cellules masquées."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from dashboard import formats
from data_access import series
from tests.app.conftest import app_sur_page

pytestmark = pytest.mark.usefixtures("environnement")


def _carte(params: dict[str, str]):  # type: ignore[no-untyped-def]
    at = app_sur_page("admin", "carte", params)
    assert not at.exception
    return at


def test_le_tableau_reprend_les_valeurs_de_la_base(environnement) -> None:  # type: ignore[no-untyped-def]
    at = _carte({"indicateur": "OO2-S.1", "periode": "2019-06"})
    tableau = at.dataframe[-1].value.set_index("Zone")
    eng = create_engine(f"sqlite:///{environnement / 'pilotage.db'}")
    with eng.connect() as conn:
        cantons = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T2")
    eng.dispose()
    haguenau = cantons.set_index("canton").loc["6705", "valeur"]
    colonne = tableau.columns[2]  # en-tête de la grandeur, par exemple « Retours à l'emploi »
    assert tableau.loc["Haguenau", colonne].startswith(formats.nombre(haguenau))
    strasbourg = cantons[cantons["zone_carte"] == "67-STRASBOURG"]["valeur"].sum()
    assert tableau.loc["Strasbourg (cantons 1 à 6)", colonne].startswith(formats.nombre(strasbourg))
    assert len(tableau) == 18
    assert "2e trimestre 2019" in " ".join(c.value for c in at.main.caption)


def test_les_petits_effectifs_sont_secrets_jamais_zero() -> None:
    at = _carte({"indicateur": "A4.1", "periode": "2019-06"})
    valeurs = list(at.dataframe[-1].value.iloc[:, 3])
    assert "secret" in valeurs
    assert "0" not in valeurs


def test_une_zone_dans_l_url_ouvre_sa_fiche() -> None:
    at = _carte({"indicateur": "OO2-S.1", "periode": "2019-06", "canton": "6705"})
    assert [s.value for s in at.main.subheader] == ["Haguenau"]
    principaux = next(d.value for d in at.dataframe if "Rang parmi les zones" in d.value.columns)
    assert "Nombre total de retours à l'emploi" in principaux.iloc[0, 0]


def test_un_indicateur_departemental_n_a_pas_de_carte() -> None:
    at = _carte({"indicateur": "A6.2", "periode": "2019-06"})
    assert "n'a pas de valeurs par canton" in at.info[0].value
