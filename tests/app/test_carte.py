"""Page « Carte des cantons » (AppTest) : chiffres du tableau et cellules masquées."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import create_engine, text

from dashboard import formats
from data_access import series
from tests.app.aides import connexion, page
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
    principaux = next(
        d.value for d in at.dataframe if "Rang parmi les zones du Bas-Rhin" in d.value.columns
    )
    assert "Nombre total de retours à l'emploi" in principaux.iloc[0, 0]


def test_un_indicateur_departemental_n_a_pas_de_carte() -> None:
    at = _carte({"indicateur": "A6.2", "periode": "2019-06"})
    assert "n'a pas de valeurs par canton" in at.info[0].value


# --- La référence départementale est le Bas-Rhin lui-même, pour tout périmètre ---------------

SOMME_CANTONS = (
    "SELECT SUM(v.valeur) FROM valeur v JOIN territoire t ON t.code = v.territoire "
    "WHERE v.courante AND t.niveau = 'canton' AND v.indicateur = :i AND v.periode = :p"
)


def _sql(environnement, requete: str, **params: object) -> float:  # type: ignore[no-untyped-def]
    with connexion(environnement) as conn:
        valeur = conn.execute(text(requete), params).scalar()
    assert valeur is not None
    return float(valeur)


def _legende(at) -> str:  # type: ignore[no-untyped-def]
    (legende,) = [h.proto.body for h in at.get("html") if "Bas-Rhin :" in h.proto.body]
    return html.unescape(re.sub(r"<[^>]+>", "\n", legende))


@pytest.mark.parametrize("identifiant", ["admin", "elu-nord"])
def test_la_legende_nomme_le_bas_rhin_avec_son_total(environnement, identifiant: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 18 : « Bas-Rhin : 142 » chez l'élu du Nord était le total du Nord."""
    at = page(identifiant, "carte", {"indicateur": "OO2-S.1", "periode": "2019-06"})
    total = _sql(environnement, SOMME_CANTONS, i="OO2-S.1", p="2019-T2")
    nord = _sql(environnement, SOMME_CANTONS + " AND t.parent = 'NORD'", i="OO2-S.1", p="2019-T2")
    legende = _legende(at)
    assert f"Bas-Rhin : {formats.nombre(total)} retours à l'emploi" in legende
    assert f"Bas-Rhin : {formats.nombre(nord)} " not in legende


def test_la_part_d_un_canton_du_nord_est_sa_part_du_bas_rhin(environnement) -> None:  # type: ignore[no-untyped-def]
    at = page("elu-nord", "carte", {"indicateur": "OO2-S.1", "periode": "2019-06",
                                    "mesure": "part du total départemental"})  # fmt: skip
    total = _sql(environnement, SOMME_CANTONS, i="OO2-S.1", p="2019-T2")
    haguenau = _sql(environnement, SOMME_CANTONS + " AND t.code = '6705'", i="OO2-S.1", p="2019-T2")
    tableau = at.dataframe[-1].value.set_index("Zone")
    assert list(tableau.columns)[3] == "Rang parmi les zones du territoire Nord"
    part = formats.nombre(haguenau / total * 100, 1) + f"{formats.ESPACE_FINE}%"
    assert tableau.loc["Haguenau", tableau.columns[2]] == part
    assert f"Bas-Rhin : 100{formats.ESPACE_FINE}% = {formats.nombre(total)}" in _legende(at)


def test_la_fiche_d_un_canton_compare_au_vrai_bas_rhin(environnement) -> None:  # type: ignore[no-untyped-def]
    at = page("elu-nord", "carte", {"indicateur": "OO2-S.1", "periode": "2019-06",
                                    "canton": "6705"})  # fmt: skip
    total = _sql(environnement, SOMME_CANTONS, i="OO2-S.1", p="2019-T2")
    population = _sql(environnement, "SELECT population FROM territoire WHERE code = '67'")
    courbes = next(d.value for d in at.dataframe if "Bas-Rhin" in d.value.columns)
    t2 = courbes.set_index("Période").loc["2e trimestre 2019"]
    assert t2["Bas-Rhin"] == formats.nombre(total / population * 1000, 1)
    principaux = next(d.value for d in at.dataframe if "Indicateur" in d.value.columns)
    assert "Rang parmi les zones du territoire Nord" in principaux.columns
