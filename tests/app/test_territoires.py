"""Page « Territoires » (AppTest) : le §4 en barres, le classement, les cantons sous secret."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import formats
from dashboard.modeles.territoires import INDICATEURS_SECTION4, TERRITOIRES_SECTION4
from data_access import progression, territoires
from tests.app.aides import bloc, connexion, entier, page, textes, valeur_barre

pytestmark = pytest.mark.usefixtures("environnement")

PERIODES = ("2017", "2018", "2019", "2017-2019")
ICONES = {"en avance": "▲", "dans la trajectoire": "●", "en retard": "▼"}


def _section4(environnement: Path, mois: str) -> pd.DataFrame:
    """Les cibles du §4 (source « §4 », pas « §3.1 ») lues dans la base, par territoire et an."""
    with connexion(environnement) as conn:
        lignes = progression.read_progressions_territoires(
            conn, indicateurs=INDICATEURS_SECTION4, territoires=TERRITOIRES_SECTION4, mois=mois
        )
    lignes = lignes[(lignes["suivi"] == "cible") & lignes["source"].str.endswith("§4")]
    return lignes.set_index(["territoire", "indicateur", "periode_cible"])


def _cle(indicateur: str, territoire: str) -> str:
    return f"s4_{indicateur.replace('.', '-')}_{territoire}"


def test_le_tableau_du_paragraphe_4_pour_chaque_territoire_et_chaque_annee(
    environnement: Path,
) -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "territoire": "67"})
    attendu = _section4(environnement, "2019-12")
    for territoire in TERRITOIRES_SECTION4:
        for indicateur in ("OO2-S.1", "OO3-S.1"):
            barres = bloc(at.main, _cle(indicateur, territoire)).get("progress")
            assert len(barres) == len(PERIODES), (territoire, indicateur)
            for barre, periode in zip(barres, PERIODES, strict=True):
                ligne = attendu.loc[(territoire, indicateur, periode)]
                statut = f"{ICONES[ligne['statut']]} {ligne['statut']}"
                assert barre.proto.value == valeur_barre(ligne["reel"], ligne["cible"])
                assert barre.proto.text == (
                    f"{entier(ligne['reel'])} / {entier(ligne['cible'])} · {statut}"
                ), (territoire, indicateur, periode)


def test_nord_2019_acces_a_l_emploi_en_retard_sur_736(environnement: Path) -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "territoire": "NORD"})
    ligne = _section4(environnement, "2019-12").loc[("NORD", "OO2-S.1", "2019")]
    assert ligne["cible"] == 736  # la cible écrite au §4 pour le Nord, chaque année
    barre = bloc(at.main, _cle("OO2-S.1", "NORD")).get("progress")[2].proto
    assert barre.text == f"{formats.nombre(ligne['reel'])} / 736 · ▼ en retard"
    assert ligne["statut"] == "en retard"


def test_en_cours_d_annee_l_attendu_est_ecrit_et_un_annuel_n_est_pas_zero(
    environnement: Path,
) -> None:
    at = page("pilotage", "territoires", {"periode": "2019-06", "territoire": "67"})
    attendu = _section4(environnement, "2019-06")
    ligne = attendu.loc[("EMS", "OO2-S.1", "2019")]
    barre = bloc(at.main, _cle("OO2-S.1", "EMS")).get("progress")[2].proto
    assert barre.text == (
        f"{entier(ligne['reel'])} / {entier(ligne['cible'])} · attendu "
        f"{entier(ligne['attendu'])} · {ICONES[ligne['statut']]} {ligne['statut']}"
    )
    # Offres A23.1, annuelles : 2019 n'est pas close en juin, la case dit « non renseigné ».
    offres = attendu.loc[("SUD", "A23.1", "2019")]
    assert pd.isna(offres["reel"])
    cases = textes(bloc(at.main, _cle("A23.1", "SUD")))
    assert f"cible {entier(offres['cible'])} · ○ non renseigné (aucune période close)" in cases
    assert any(t.startswith("pas de cible A23.1") for t in cases)  # pas de total 2017-2019


def test_les_offres_des_conseillers_departementaux_face_a_leur_cible(environnement: Path) -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "territoire": "67"})
    attendu = _section4(environnement, "2019-12")
    for territoire in ("NORD", "OUEST", "EMS", "SUD"):
        barres = bloc(at.main, _cle("A23.1", territoire)).get("progress")
        for barre, periode in zip(barres, PERIODES[:3], strict=True):
            cible = attendu.loc[(territoire, "A23.1", periode), "cible"]
            assert f" / {entier(cible)} · " in barre.proto.text


def test_le_classement_des_territoires(environnement: Path) -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "territoire": "67"})
    attendu = _section4(environnement, "2019-12").xs(("OO2-S.1", "2019"), level=[1, 2])
    attendu = attendu.drop(index=territoires.DEPARTEMENT)
    ordre = (attendu["reel"] / attendu["attendu"]).sort_values(ascending=False).index
    with connexion(environnement) as conn:
        libelles = territoires.read_territoires(conn).set_index("code")["libelle"]
    classement = at.dataframe[1].value
    assert list(classement["Territoire"]) == [libelles[t] for t in ordre]
    assert list(classement["Rang"]) == [1, 2, 3, 4]
    assert at.get("vega_lite_chart")


def test_le_departement_montre_les_cantons_des_quatre_territoires(environnement: Path) -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "territoire": "67"})
    for territoire in ("NORD", "OUEST", "EMS", "SUD"):
        with connexion(environnement) as conn:
            brutes = progression.read_contributions_cantons(
                conn, indicateur="OO2-S.1", territoire=territoire, periode_cible="2019",
                mois="2019-12",
            )  # fmt: skip
        cantons = bloc(at.main, f"cantons_{territoire}").get("dataframe")[0].value
        lues = dict(zip(cantons["Canton"], cantons["Réalisé"], strict=True))
        assert set(lues) == set(brutes["libelle"])
        for libelle, valeur in zip(brutes["libelle"], brutes["valeur"], strict=True):
            assert lues[libelle] in (formats.nombre(valeur), "secret")


def test_un_elu_du_nord_ne_voit_que_le_nord_et_ses_cantons(environnement: Path) -> None:
    at = page("elu-nord", "territoires", {"periode": "2019-12", "territoire": "EMS"})
    assert at.selectbox(key="vue_territoire").value == "NORD"
    assert bloc(at.main, _cle("OO2-S.1", "NORD")) is not None
    assert bloc(at.main, _cle("OO2-S.1", territoires.DEPARTEMENT)) is not None
    for autre in ("OUEST", "EMS", "SUD"):
        assert bloc(at.main, _cle("OO2-S.1", autre)) is None
        assert bloc(at.main, f"cantons_{autre}") is None
    with connexion(environnement) as conn:
        tous = territoires.read_territoires(conn)
    du_nord = set(tous.loc[tous["code"].isin(territoires.cantons_de(tous, "NORD")), "libelle"])
    autres = set(tous.loc[tous["niveau"] == "canton", "libelle"]) - du_nord
    cantons = set(bloc(at.main, "cantons_NORD").get("dataframe")[0].value["Canton"])
    assert cantons == du_nord
    lus = " ".join(textes(at.main))
    tableaux = [d.value for d in at.dataframe]
    for nom in autres:
        assert nom not in lus
        assert not any(t.isin([nom]).any().any() for t in tableaux), nom


def test_un_canton_choisi_montre_les_cantons_de_son_territoire() -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "territoire": "6705"})
    assert bloc(at.main, "cantons_NORD") is not None
    assert bloc(at.main, "cantons_SUD") is None


def test_les_offres_n_ont_pas_de_contribution_de_canton() -> None:
    at = page("pilotage", "territoires", {"periode": "2019-12", "rubrique": "A23.1"})
    assert at.selectbox(key="territoires_rubrique").value == "A23.1"
    assert any("pas par canton" in i.value for i in at.info)
    assert bloc(at.main, "cantons_NORD") is None
