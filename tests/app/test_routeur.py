"""Le routeur : porte d'entrée, pages par rôle, vue dans l'URL (AppTest, sans navigateur)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboard import auth
from data_access import engine, schema
from tests.app.conftest import APP, app_connectee

pytestmark = pytest.mark.usefixtures("environnement")


def _connexion(identifiant: str, mot_de_passe: str, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=30).run()
    at.text_input[0].input(identifiant)
    at.text_input[1].input(mot_de_passe)
    return at.button[0].click().run()


def test_sans_connexion_le_formulaire_et_aucun_chiffre() -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Identifiant", "Mot de passe"]
    assert at.button[0].label == "Se connecter"
    assert not at.dataframe and not at.metric
    assert not any("Données de" in c.value for c in at.caption)


def test_mauvais_mot_de_passe_message_francais() -> None:
    at = _connexion("admin", "pas-le-bon-mot")
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    assert not at.dataframe


def _synthese_affichee(at: AppTest) -> bool:
    return bool(at.metric) and any("Données de décembre 2019" in c.value for c in at.caption)


def test_connexion_reussie_montre_la_synthese_une_fois_le_cookie_ecrit() -> None:
    at = _connexion("pilotage", "demo-pilotage-67")
    assert not at.exception
    assert at.session_state["authentication_status"] is True
    # Tant que le navigateur n'a pas écrit le cookie, la page attend : un rechargement à ce
    # moment redemanderait le mot de passe.
    assert [i.value for i in at.info] == [auth.MESSAGE_ATTENTE]
    assert not _synthese_affichee(at)
    at.session_state[auth.CLE_ECRITURE] = True  # le composant des cookies confirme l'écriture
    at.run()
    assert not at.exception
    assert _synthese_affichee(at), "la synthèse affiche ses cartes après la connexion"
    assert auth.MESSAGE_ATTENTE not in [i.value for i in at.info]


def test_sans_reponse_du_navigateur_la_page_vient_apres_l_attente_maximale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = _connexion("pilotage", "demo-pilotage-67")
    assert [i.value for i in at.info] == [auth.MESSAGE_ATTENTE]
    plus_tard = time.monotonic() + auth.ATTENTE_COOKIE_MAX_S + 1
    monkeypatch.setattr(auth.time, "monotonic", lambda: plus_tard)
    at.run()
    assert not at.exception
    assert _synthese_affichee(at)


def test_six_essais_verrouillent_le_compte(environnement: Path) -> None:
    at = None
    for _ in range(5):
        at = _connexion("admin", "mauvais-mot-de-passe", at)
    at = _connexion("admin", "demo-admin-67", at)
    assert "verrouillé" in at.error[0].value
    assert at.session_state["authentication_status"] is not True
    eng = engine.create(f"sqlite:///{environnement / 'pilotage.db'}")
    with eng.begin() as conn:
        nombre = conn.execute(select(func.count()).select_from(schema.echec_connexion)).scalar_one()
        conn.execute(schema.echec_connexion.delete())
    eng.dispose()
    assert nombre == 5  # la sixième tentative, pendant le verrou, n'est pas notée


def test_un_lecteur_n_a_pas_la_page_import() -> None:
    at = app_connectee("elu-nord")
    with pytest.raises(ValueError):
        at.switch_page("../pages/import_donnees.py").run()


def test_la_mission_pilotage_a_la_page_import() -> None:
    at = app_connectee("pilotage")
    at.switch_page("../pages/import_donnees.py").run()
    assert not at.exception
    assert at.header[0].value == "Import des indicateurs"


def test_l_url_impose_la_vue() -> None:
    at = app_connectee(
        "admin", {"periode": "2018-06", "territoire": "EMS", "indicateur": "FIN-2.1"}
    )
    assert not at.exception
    assert at.selectbox(key="vue_periode").value == "2018-06"
    assert at.selectbox(key="vue_territoire").value == "EMS"
    assert at.selectbox(key="vue_indicateur").value == "FIN-2.1"
    assert at.query_params["periode"] == "2018-06"


def test_parametres_invalides_avis_francais_et_valeurs_par_defaut() -> None:
    at = app_connectee("admin", {"periode": "2031-13", "territoire": "<script>", "indicateur": "X"})
    assert not at.exception
    avis = " ".join(w.value for w in at.warning)
    assert "Période « 2031-13 » inconnu(e)" in avis and "Indicateur « X » inconnu(e)" in avis
    assert at.selectbox(key="vue_periode").value == "2019-12"
    assert at.selectbox(key="vue_territoire").value == "67"


def test_un_elu_nord_ne_voit_que_son_territoire() -> None:
    at = app_connectee("elu-nord", {"territoire": "EMS"})
    assert "hors de votre périmètre" in " ".join(w.value for w in at.warning)
    territoire = at.selectbox(key="vue_territoire")
    assert territoire.value == "NORD"
    assert set(territoire.options) >= {"Bas-Rhin", "Territoire Nord"}
    assert not any("Eurométropole" in o or "Strasbourg" in o for o in territoire.options)


def test_changer_de_page_garde_la_vue() -> None:
    at = app_connectee("admin", {"periode": "2018-06", "territoire": "SUD", "indicateur": "A8.1"})
    at.switch_page("../pages/carte.py").run()
    assert at.selectbox(key="vue_periode").value == "2018-06"
    assert at.query_params["territoire"] == "SUD"
    at.switch_page("../pages/synthese.py").run()
    assert at.selectbox(key="vue_indicateur").value == "A8.1"


def test_les_cles_d_une_page_ne_suivent_pas_sur_une_autre() -> None:
    at = app_connectee("admin", {"periode": "2019-06", "indicateur": "OO2-S.1"})
    at.switch_page("../pages/carte.py").run()
    at.query_params["canton"] = "6705"
    at.run()
    at.switch_page("../pages/objectifs.py").run()
    assert "canton" not in at.query_params
    at.switch_page("../pages/carte.py").run()
    assert at.query_params["canton"] == "6705"
