"""Calculs de page en cache : une fois par arguments, et de nouveau dès que les caches sont
vidés (ce que fait `donnees.suivre_version` quand les données changent)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.donnees import memo

APPELS: list[tuple[str, int]] = []


@memo.memoise
def _total(territoire: str, annee: int) -> pd.DataFrame:
    APPELS.append((territoire, annee))
    return pd.DataFrame({"territoire": [territoire], "total": [annee * 2]})


@memo.memoise
def _double(cadre: pd.DataFrame) -> int:
    APPELS.append(("cadre", len(cadre)))
    return int(cadre["total"].sum())


def test_un_calcul_est_fait_une_fois_par_arguments_puis_refait_apres_vidage() -> None:
    st.cache_data.clear()
    APPELS.clear()
    assert _total("NORD", 2019)["total"].iloc[0] == 4038
    assert _total("NORD", 2019)["total"].iloc[0] == 4038
    assert _total("SUD", 2019)["territoire"].iloc[0] == "SUD"
    assert APPELS == [("NORD", 2019), ("SUD", 2019)]
    st.cache_data.clear()
    _total("NORD", 2019)
    assert APPELS[-1] == ("NORD", 2019) and len(APPELS) == 3


def test_un_cadre_egal_est_reconnu_et_pas_un_cadre_different() -> None:
    st.cache_data.clear()
    APPELS.clear()
    cadre = pd.DataFrame({"total": [1, 2]})
    assert _double(cadre) == 3
    assert _double(cadre.copy()) == 3
    assert _double(pd.DataFrame({"total": [1, 5]})) == 6
    assert APPELS == [("cadre", 2), ("cadre", 2)]
