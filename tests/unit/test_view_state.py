"""Lecture de la vue dans l'URL : les entrées invalides donnent un avis et le défaut."""

from dashboard.view_state import Choix, parse

CHOIX = Choix(
    periodes=["2019-10", "2019-11", "2019-12"],
    territoires={"67": "Bas-Rhin", "NORD": "Territoire Nord", "6705": "Canton Haguenau"},
    indicateurs={"OO2-S.1": "Retours à l'emploi", "FIN-2.1": "Allocataires"},
)


def test_une_url_valide_donne_sa_vue_et_garde_les_cles_de_page() -> None:
    vue, avis = parse({"periode": "2019-11", "territoire": "6705", "canton": "6705"}, CHOIX)
    assert (vue.periode, vue.territoire, vue.indicateur) == ("2019-11", "6705", "OO2-S.1")
    assert vue.extras == {"canton": "6705"} and avis == []


def test_sans_parametre_la_derniere_periode_et_le_departement() -> None:
    vue, avis = parse({}, CHOIX)
    assert (vue.periode, vue.territoire) == ("2019-12", "67") and avis == []


def test_parametres_invalides_avis_en_francais() -> None:
    vue, avis = parse({"periode": "'; DROP TABLE valeur;--", "indicateur": "<b>x</b>"}, CHOIX)
    assert (vue.periode, vue.indicateur) == ("2019-12", "OO2-S.1")
    assert avis == [
        "Période « '; DROP TABLE valeur;-- » inconnu(e) : valeur par défaut affichée.",
        "Indicateur « <b>x</b> » inconnu(e) : valeur par défaut affichée.",
    ]


def test_hors_perimetre_ramene_au_territoire_de_l_utilisateur() -> None:
    choix = Choix(CHOIX.periodes, {"67": "Bas-Rhin", "NORD": "Territoire Nord"}, CHOIX.indicateurs,
                  perimetre="NORD")  # fmt: skip
    vue, avis = parse({"territoire": "EMS"}, choix)
    assert vue.territoire == "NORD"
    assert avis == [
        "Territoire « EMS » hors de votre périmètre (NORD) : affichage de Territoire Nord."
    ]


def test_sans_parametre_la_periode_par_defaut_et_non_la_derniere_importee() -> None:
    """Une ligne importée pour 2020 allonge la liste des périodes sans déplacer l'ouverture."""
    choix = Choix([*CHOIX.periodes, "2020-01", "2020-02", "2020-03"], CHOIX.territoires,
                  CHOIX.indicateurs, periode_defaut="2019-12")  # fmt: skip
    vue, avis = parse({}, choix)
    assert vue.periode == "2019-12" and avis == []
    vue, _ = parse({"periode": "2020-03"}, choix)
    assert vue.periode == "2020-03"  # choisie explicitement, elle reste permise


def test_une_periode_par_defaut_hors_des_periodes_ramene_a_la_derniere() -> None:
    choix = Choix(CHOIX.periodes, CHOIX.territoires, CHOIX.indicateurs, periode_defaut="2017-01")
    assert parse({}, choix)[0].periode == "2019-12"
