"""Progression sur la démonstration : NORD en retard, EMS en avance, deux cibles pour le 67."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
from sqlalchemy import Connection, event, update

from dashboard.modeles import synthese
from dashboard.modeles import territoires as territoires_tableau
from data_access import lots, progression, schema, series, valeurs
from data_access.perimetre import HorsPerimetre


def _en_cours(conn: Connection, territoire: str, periode: str) -> dict[str, object]:
    cadre = progression.read_progression(
        conn, indicateur="OO2-S.1", territoire=territoire, mois="2019-06"
    )
    ligne = cadre[cadre["en_cours"] & (cadre["periode_cible"] == periode)]
    assert len(ligne) == 1
    return ligne.iloc[0].to_dict()


def test_nord_en_retard_ems_en_avance_sur_l_acces_a_l_emploi(conn: Connection) -> None:
    nord = _en_cours(conn, "NORD", "2019")
    assert nord["cible"] == 736 and nord["donnees_au"] == "2019-T2"
    assert nord["attendu"] == 368  # 736 × 6/12, au 2e trimestre connu
    assert nord["statut"] == "en retard"
    assert _en_cours(conn, "EMS", "2019")["statut"] == "en avance"


def test_le_departement_est_juge_contre_10000_et_contre_11199(conn: Connection) -> None:
    cadre = progression.read_progression(
        conn, indicateur="OO2-S.1", territoire="67", mois="2019-06"
    )
    cumul = cadre[cadre["periode_cible"] == "2017-2019"].set_index("cible")
    assert set(cumul.index) == {10000.0, 11199.0}
    assert cumul.loc[10000.0, "attendu"] == 10000 * 30 / 36
    assert cumul.loc[11199.0, "attendu"] == 11199 * 30 / 36
    assert cumul.loc[10000.0, "reel"] == cumul.loc[11199.0, "reel"]
    assert set(cumul["source"]) == {
        "002_08888835fc8aebb3.txt §3.1, §7 (OO2)",
        "002_08888835fc8aebb3.txt §4",
    }


def test_avant_toute_donnee_le_statut_est_non_renseigne(conn: Connection) -> None:
    cadre = progression.read_progression(
        conn, indicateur="OO2-S.1", territoire="NORD", mois="2017-02"
    )
    assert (cadre["statut"] == "non renseigné").all()


# --- Lecture groupée : mêmes chiffres, quelques requêtes -----------------------------------


def _compter_requetes(conn: Connection) -> Iterator[list[str]]:
    requetes: list[str] = []

    def noter(*args: object) -> None:
        requetes.append(str(args[2]))

    event.listen(conn, "before_cursor_execute", noter)
    try:
        yield requetes
    finally:
        event.remove(conn, "before_cursor_execute", noter)


@pytest.mark.parametrize("territoire", ["67", "NORD", "EMS"])
def test_la_lecture_groupee_donne_les_chiffres_de_la_lecture_par_indicateur(
    conn: Connection, territoire: str
) -> None:
    groupee = progression.read_progressions(
        conn, indicateurs=None, territoire=territoire, mois="2019-06"
    )
    cibles = groupee[groupee["suivi"] == "cible"]
    assert cibles["indicateur"].nunique() >= 3
    for code in cibles["indicateur"].unique():
        seule = progression.read_progression(
            conn, indicateur=code, territoire=territoire, mois="2019-06"
        )
        de_la_groupee = cibles[cibles["indicateur"] == code]
        pd.testing.assert_frame_equal(
            de_la_groupee[list(progression.COLONNES_PROGRESSION)].reset_index(drop=True), seule
        )


@pytest.mark.parametrize("territoire", ["67", "NORD"])
def test_les_series_groupees_sont_celles_de_read_serie(conn: Connection, territoire: str) -> None:
    """Même agrégation que la lecture indicateur par indicateur (autre requête SQL), pour les
    indicateurs suivis par canton."""
    codes = ["OO2-S.1", "OO3-S.1", "FIN-1.1", "FIN-2.1", "A31.1", "OO1-S.1"]
    groupees = progression.read_series(conn, indicateurs=codes, territoire=territoire)
    for code in codes:
        une = series.read_serie(conn, indicateur=code, territoire=territoire)
        pd.testing.assert_frame_equal(
            groupees[groupees["indicateur"] == code]
            .drop(columns="indicateur")
            .reset_index(drop=True),
            une,
        )


def test_tous_les_indicateurs_en_cinq_requetes(conn: Connection) -> None:
    with contextmanager(_compter_requetes)(conn) as requetes:
        cadre = progression.read_progressions(
            conn, indicateurs=None, territoire="67", mois="2019-12"
        )
    assert cadre["indicateur"].nunique() == 69
    assert len(requetes) <= 5


def test_le_departement_somme_les_offres_des_quatre_territoires(conn: Connection) -> None:
    """A23.1 n'a de valeurs que par territoire d'action : le total n'est pas vide pour autant."""
    lignes = progression.read_progressions_territoires(
        conn, indicateurs=["A23.1"], territoires=["NORD", "OUEST", "EMS", "SUD", "67"],
        mois="2019-12",
    )  # fmt: skip
    en_2018 = lignes[lignes["periode_cible"] == "2018"].set_index("territoire")
    assert en_2018.loc["67", "cible"] == 400
    assert en_2018.loc["67", "reel"] == en_2018.loc[["NORD", "OUEST", "EMS", "SUD"], "reel"].sum()


def test_un_semestriel_vu_en_octobre_montre_son_1er_semestre(conn: Connection) -> None:
    cadre = progression.read_progressions(
        conn, indicateurs=["OO3-S.1"], territoire="NORD", mois="2019-10"
    )
    annee = cadre[cadre["periode_cible"] == "2019"].iloc[0]
    assert annee["donnees_au"] == "2019-S1" and annee["derniere_periode"] == "2019-S1"
    assert annee["attendu"] == 236 / 2


def test_une_cible_en_pourcentage_ne_se_compare_pas_a_un_nombre(conn: Connection) -> None:
    """A5.1 compte des contrats ; sa cible « 60 % de BRSA » n'est pas dans la même unité.

    Son lien à l'indicateur est inféré : c'est un repère. Rendue cible du plan (dans la
    transaction du test), elle reste non comparée : ni attendu, ni statut.
    """
    ligne = progression.read_progression(
        conn, indicateur="A5.1", territoire="67", mois="2019-12"
    ).iloc[0]
    assert ligne["cible"] == 60 and ligne["reel"] > 60
    assert pd.isna(ligne["attendu"]) and ligne["statut"] == "repère"
    c = schema.cible
    conn.execute(update(c).where(c.c.indicateur == "A5.1").values(nature="plan", lien="explicite"))
    ligne = progression.read_progression(
        conn, indicateur="A5.1", territoire="67", mois="2019-12"
    ).iloc[0]
    assert pd.isna(ligne["attendu"]) and ligne["statut"] == "non renseigné"


def test_sans_cible_et_jalon(conn: Connection) -> None:
    lot = lots.create_lot(conn, libelle="essai", type_="indicateurs", auteur="test")
    jalon = pd.DataFrame([("A3.1", "67", "2018", 1, None, None, "definitif")],
                         columns=valeurs.COLONNES_ENTREE)  # fmt: skip
    valeurs.write_valeurs(conn, lot=lot, lignes=jalon)
    cadre = progression.read_progressions(
        conn, indicateurs=["FIN-2.1", "A3.1", "A19.1", "SYN-1"], territoire="67", mois="2019-06"
    ).set_index("indicateur")
    assert cadre.loc["FIN-2.1", "suivi"] == "sans cible"
    assert cadre.loc["FIN-2.1", "derniere_periode"] == "2019-06"
    assert cadre.loc["FIN-2.1", "periode_precedente"] == "2019-05"
    assert pd.isna(cadre.loc["FIN-2.1", "statut"])  # une tendance, pas de trajectoire
    assert (cadre.loc["A3.1", "suivi"], cadre.loc["A3.1", "realise"]) == ("jalon", True)
    assert cadre.loc["A3.1", "statut"] == "dans la trajectoire"
    assert cadre.loc["A19.1", "statut"] == "non renseigné" and pd.isna(
        cadre.loc["A19.1", "realise"]
    )
    assert cadre.loc["SYN-1", "statut"] == "non renseigné" and pd.isna(cadre.loc["SYN-1", "reel"])


def test_indicateur_inconnu_dans_la_liste(conn: Connection) -> None:
    with pytest.raises(series.IndicateurInconnu, match="XX-9"):
        progression.read_progressions(conn, indicateurs=["OO2-S.1", "XX-9"], territoire="67",
                                      mois="2019-06")  # fmt: skip


# --- Tableau du §4 et contributions des cantons sur la démonstration ---------------------


def _tableau(conn: Connection, mois: str) -> pd.DataFrame:
    lignes = progression.read_progressions_territoires(
        conn, indicateurs=territoires_tableau.INDICATEURS_SECTION4,
        territoires=territoires_tableau.TERRITOIRES_SECTION4, mois=mois,
    )  # fmt: skip
    return territoires_tableau.build_tableau(lignes)


def test_tableau_section4_nord_2019(conn: Connection) -> None:
    tableau = _tableau(conn, "2019-12")
    nord = tableau[(tableau["territoire"] == "NORD")].set_index(["rubrique", "periode"])
    emploi = nord.loc[("Accès à l'emploi", "2019")]
    assert (emploi["cible"], emploi["reel"], emploi["attendu"]) == (736, 578, 736)
    assert emploi["statut_affiche"] == "▼ en retard"
    assert emploi["donnees_au_affichee"] == "4e trimestre 2019"
    insertion = nord.loc[("Accès à l'insertion", "2019")]
    assert (insertion["cible"], insertion["reel"], insertion["statut"]) == (236, 184, "en retard")
    offres = nord.loc[("Offres mobilisées par les conseillers départementaux", "2019")]
    assert (offres["cible"], offres["reel"], offres["statut"]) == (75, 79, "en avance")
    cumul = nord.loc[("Accès à l'emploi", "2017-2019")]
    assert (cumul["cible"], cumul["reel"]) == (2208, 1765)
    total = tableau[(tableau["territoire"] == "67") & (tableau["periode"] == "2017-2019")]
    assert set(total["cible"]) == {11_199, 6_000}  # le §4, pas les 10 000 du §3.1


def test_classement_nord_dernier_ems_premier(conn: Connection) -> None:
    classement = territoires_tableau.build_classement(
        _tableau(conn, "2019-12"), indicateur="OO3-S.1", periode="2019"
    )
    assert list(classement["territoire"]) == ["EMS", "OUEST", "SUD", "NORD"]
    assert list(classement["rang"]) == [1, 2, 3, 4]


def test_les_cantons_du_nord_font_son_total(conn: Connection) -> None:
    cantons = progression.read_contributions_cantons(
        conn, indicateur="OO2-S.1", territoire="NORD", periode_cible="2019", mois="2019-12"
    )
    assert len(cantons) == 5
    assert cantons["valeur"].sum() == 578
    assert cantons["part"].sum() == pytest.approx(1.0)
    assert set(cantons["donnees_au"]) == {"2019-T4"}


def test_cartes_de_la_synthese_sur_la_demonstration(conn: Connection) -> None:
    lignes = progression.read_progressions(
        conn, indicateurs=synthese.INDICATEURS_CARTES, territoire="67", mois="2019-06"
    )
    cartes = {c.code: c for c in synthese.build_cartes(lignes, mois="2019-06")}
    emploi = cartes["OO2-S.1"]
    assert [c.valeur for c in emploi.cibles] == ["10\u202f000", "11\u202f199"]
    assert emploi.reel == "9\u202f413" and emploi.attendu == "8\u202f333"
    assert emploi.explication == synthese.EXPLICATION_OO2
    assert cartes["SYN-1"].statut == "non renseigné" and cartes["SYN-1"].reel == "non renseigné"


def test_les_petits_effectifs_des_cantons_restent_secrets(conn: Connection) -> None:
    """A4.1 (recrutements en Allemagne) : quelques unités par canton du NORD, jamais affichées."""
    brutes = progression.read_contributions_cantons(
        conn, indicateur="A4.1", territoire="NORD", periode_cible="2019", mois="2019-12"
    )
    assert (brutes["valeur"] < 5).all()
    publiees = territoires_tableau.build_contributions(brutes, nature="flux", seuil=5)
    assert publiees["masque"].all() and publiees["valeur"].isna().all()
    assert set(publiees["valeur_affichee"]) == {"secret"} == set(publiees["part_affichee"])
    grandes = territoires_tableau.build_contributions(
        progression.read_contributions_cantons(
            conn, indicateur="OO2-S.1", territoire="NORD", periode_cible="2019", mois="2019-12"
        ),
        nature="flux", seuil=5,
    )  # fmt: skip
    assert not grandes["masque"].any()
    assert list(grandes["valeur_affichee"][:2]) == ["120", "120"]


def test_le_perimetre_de_l_utilisateur_s_applique_aux_lectures(conn: Connection) -> None:
    with pytest.raises(HorsPerimetre):
        progression.read_progressions(
            conn, indicateurs=None, territoire="EMS", mois="2019-06", perimetre="NORD"
        )
    with pytest.raises(HorsPerimetre):
        progression.read_contributions_cantons(
            conn, indicateur="OO2-S.1", territoire="EMS", periode_cible="2019", mois="2019-12",
            perimetre="NORD",
        )  # fmt: skip
    lignes = progression.read_progressions_territoires(
        conn, indicateurs=["OO2-S.1"], territoires=territoires_tableau.TERRITOIRES_SECTION4,
        mois="2019-06", perimetre="NORD",
    )  # fmt: skip
    assert set(lignes["territoire"]) == {"NORD", "67"}


def test_les_cibles_a_venir_de_la_convention_mde(conn: Connection) -> None:
    """Fin 2019, la convention 2020 n'a pas commencé : ses cibles se lisent sur demande."""
    sans = progression.read_progressions(
        conn, indicateurs=["MDE-I2"], territoire="EMS", mois="2019-12"
    )
    assert list(sans["suivi"]) == ["sans cible"]
    avec = progression.read_progressions(
        conn, indicateurs=["MDE-I1", "MDE-I2"], territoire="EMS", mois="2019-12",
        cibles_a_venir=True,
    ).set_index("indicateur")  # fmt: skip
    assert (avec.loc["MDE-I2", "valeur_reference"], avec.loc["MDE-I2", "cible"]) == (100, 200)
    assert (avec.loc["MDE-I1", "valeur_reference"], avec.loc["MDE-I1", "cible"]) == (4, 8)
    assert not avec["en_cours"].any() and (avec["statut"] == "non renseigné").all()


def test_plusieurs_territoires_lus_ensemble_donnent_les_chiffres_de_chacun(
    conn: Connection,
) -> None:
    """Le §4 lit ses cinq territoires en une passe ; chacun doit garder les chiffres qu'il a
    seul, département compris (somme de ses territoires d'action, valeurs saisies prioritaires)."""
    ensemble = progression.read_progressions_territoires(
        conn, indicateurs=None, territoires=["NORD", "EMS", "67", "6701"], mois="2019-06"
    )  # fmt: skip
    for territoire in ("NORD", "EMS", "67", "6701"):
        seul = progression.read_progressions(
            conn, indicateurs=None, territoire=territoire, mois="2019-06"
        )
        lu = ensemble[ensemble["territoire"] == territoire].reset_index(drop=True)
        assert len(seul) > 50
        pd.testing.assert_frame_equal(lu, seul)
