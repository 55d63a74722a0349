"""Événements datés (AppTest) : tracés sur la courbe de la fiche d'un indicateur et de la fiche
d'une zone, listés dessous ; ajoutés et supprimés par la mission de pilotage, lus seulement par
un lecteur."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access import annotations
from data_access.droits import administrateur_local
from tests.app.aides import bloc, connexion, page, textes

pytestmark = pytest.mark.usefixtures("environnement")

FICHE = {"periode": "2019-06", "territoire": "67", "fiche": "OO2-S.1"}
CLE = "0_OO2-S-1"  # génération du formulaire et code de la fiche, dans les clés des champs


@pytest.fixture(autouse=True)
def sans_evenement(environnement: Path) -> Iterator[None]:
    """Chaque test part d'une base sans événement, et n'en laisse aucun."""
    _vider(environnement)
    yield
    _vider(environnement)


def _vider(environnement: Path) -> None:
    with connexion(environnement, ecriture=True) as conn:
        for numero in annotations.read_annotations(conn)["id"]:
            annotations.delete_annotation(conn, int(numero), acteur=administrateur_local("test"))


def _ajouter(
    environnement: Path,
    libelle: str,
    *,
    mois: str = "2018-09",
    indicateurs: Sequence[str] | None = ("OO2-S.1",),
    territoire: str | None = None,
    type_: str = "convention",
) -> int:
    with connexion(environnement, ecriture=True) as conn:
        return annotations.add_annotation(
            conn,
            mois=mois,
            type=type_,
            libelle=libelle,
            territoire=territoire,
            indicateurs=None if indicateurs is None else list(indicateurs),
            acteur=administrateur_local("test"),
        )


def _jeux_par_couche(graphique: Any) -> list[tuple[str, pd.DataFrame]]:
    """(marque, données) de chaque couche d'un graphique Altair rendu : la spécification nomme
    le jeu de chaque couche, les jeux voyagent à part au format Arrow."""
    import pyarrow as pa

    jeux = {
        d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas()
        for d in graphique.proto.datasets
    }
    spec = json.loads(graphique.proto.spec)
    couches = []
    for couche in spec.get("layer", [spec]):
        marque = couche["mark"]["type"] if isinstance(couche["mark"], dict) else couche["mark"]
        nom = (couche.get("data") or spec.get("data") or {}).get("name")
        couches.append((marque, jeux.get(nom, pd.DataFrame())))
    return couches


def _evenements_traces(graphique: Any) -> pd.DataFrame:
    """Les événements que porte le trait vertical (couche « rule » qui a un type d'événement)."""
    for marque, donnees in _jeux_par_couche(graphique):
        if marque == "rule" and "libelle_type" in donnees.columns:
            return donnees
    return pd.DataFrame(columns=["mois", "date", "libelle"])


def _fiche(identifiant: str, params: dict[str, str] = FICHE) -> tuple[AppTest, Any]:
    at = page(identifiant, "objectifs", params)
    fiche = bloc(at.main, "fiche_ouverte")
    assert fiche is not None
    return at, fiche


def _liste(fiche: Any) -> str:
    return " ".join(textes(bloc(fiche, "evenements")))


def test_un_evenement_de_septembre_2018_est_sur_la_courbe_de_sa_fiche(
    environnement: Path,
) -> None:
    _ajouter(environnement, "Convention de retour à l'emploi avec les employeurs")
    _, fiche = _fiche("pilotage")
    traces = _evenements_traces(fiche.get("vega_lite_chart")[0])
    assert list(traces["mois"]) == ["2018-09"]
    assert list(traces["libelle"]) == ["Convention de retour à l'emploi avec les employeurs"]
    assert pd.Timestamp(traces["date"].iloc[0]) == pd.Timestamp("2018-09-01")
    assert list(traces["quand"]) == ["septembre 2018"]
    liste = _liste(fiche)
    assert "**septembre 2018** · Nouvelle convention" in liste
    assert "Convention de retour à l'emploi avec les employeurs" in liste


def test_un_evenement_d_un_autre_indicateur_ou_territoire_n_y_est_pas(
    environnement: Path,
) -> None:
    _ajouter(environnement, "Pour un autre indicateur", indicateurs=["FIN-2.1"])
    _ajouter(environnement, "Seulement au Nord", territoire="NORD")
    _, fiche = _fiche("pilotage")
    assert _evenements_traces(fiche.get("vega_lite_chart")[0]).empty
    assert "Aucun événement daté" in _liste(fiche)
    _, fiche_nord = _fiche("pilotage", {**FICHE, "territoire": "NORD"})
    assert list(_evenements_traces(fiche_nord.get("vega_lite_chart")[0])["libelle"]) == [
        "Seulement au Nord"
    ]


def test_un_lecteur_voit_la_liste_sans_formulaire_ni_suppression(environnement: Path) -> None:
    _ajouter(environnement, "Fermeture d'une antenne", territoire="NORD", type_="fermeture")
    at, fiche = _fiche("elu-nord", {**FICHE, "territoire": "NORD"})
    assert "Fermeture d'une antenne" in _liste(fiche)
    assert "territoire : Territoire Nord" in _liste(fiche)
    assert list(_evenements_traces(fiche.get("vega_lite_chart")[0])["mois"]) == ["2018-09"]
    assert [e.label for e in at.expander if e.label == "Ajouter un événement"] == []
    assert not [b for b in at.button if str(b.key or "").startswith("annotation_")]
    assert not [t for t in at.text_input if str(t.key or "").startswith("annotation_")]


def test_la_mission_de_pilotage_ajoute_puis_supprime_un_evenement(environnement: Path) -> None:
    at, fiche = _fiche("pilotage")
    assert "Ajouter un événement" in [e.label for e in at.expander]
    at.selectbox(key=f"annotation_type_{CLE}").set_value("definition")
    at.selectbox(key=f"annotation_mois_{CLE}").set_value("2018-09")
    at.text_input(key=f"annotation_libelle_{CLE}").input("Nouveau mode de comptage")
    at.button(key=f"annotation_enregistrer_{CLE}").click().run()
    assert not at.exception, at.exception
    assert "Événement enregistré : « Nouveau mode de comptage » (septembre 2018)." in [
        s.value for s in at.success
    ]
    fiche = bloc(at.main, "fiche_ouverte")
    graphique = fiche.get("vega_lite_chart")[0]
    traces = _evenements_traces(graphique)
    assert list(traces["libelle"]) == ["Nouveau mode de comptage"]
    assert list(traces["libelle_type"]) == ["Changement de définition"]
    points = _jeux_par_couche(graphique)[0][1]  # la courbe, coupée au changement de définition
    assert set(points.loc[points["fin"] < "2018-09", "segment"]) == {0}
    assert set(points.loc[points["fin"] >= "2018-09", "segment"]) == {1}
    with connexion(environnement) as conn:
        lues = annotations.read_annotations(conn)
    assert list(lues["auteur"]) == ["pilotage"]
    assert list(lues["indicateurs"]) == ["OO2-S.1"]
    assert lues["territoire"].isna().all()  # fiche du département : partout
    # Le formulaire est vidé pour le suivant.
    assert at.text_input(key=f"annotation_libelle_{CLE.replace('0_', '1_')}").value == ""

    numero = int(lues["id"].iloc[0])
    at.button(key=f"annotation_supprimer_{numero}").click().run()
    assert "Supprimer l'événement « Nouveau mode de comptage » ?" in [w.value for w in at.warning]
    at.button(key="annotation_confirmer").click().run()
    assert not at.exception, at.exception
    fiche = bloc(at.main, "fiche_ouverte")
    assert _evenements_traces(fiche.get("vega_lite_chart")[0]).empty
    assert "Aucun événement daté" in _liste(fiche)
    with connexion(environnement) as conn:
        assert annotations.read_annotations(conn).empty


def test_un_evenement_de_tous_les_indicateurs_se_voit_sur_une_autre_fiche(
    environnement: Path,
) -> None:
    at, _ = _fiche("pilotage")
    at.radio(key=f"annotation_portee_{CLE}").set_value("tous")
    at.text_input(key=f"annotation_libelle_{CLE}").input("Incident de transmission")
    at.selectbox(key=f"annotation_type_{CLE}").set_value("incident")
    at.button(key=f"annotation_enregistrer_{CLE}").click().run()
    assert not at.exception, at.exception
    _, autre = _fiche("pilotage", {**FICHE, "fiche": "A31.1"})
    assert "Incident de transmission" in _liste(autre)
    assert "indicateurs : tous les indicateurs" in _liste(autre)
    with connexion(environnement) as conn:
        assert list(annotations.read_annotations(conn)["tous_indicateurs"]) == [True]


def test_un_refus_est_dit_en_francais_sans_rien_ecrire(environnement: Path) -> None:
    at, _ = _fiche("pilotage")
    at.text_input(key=f"annotation_libelle_{CLE}").input("   ")
    at.button(key=f"annotation_enregistrer_{CLE}").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Événement non enregistré : le libellé de l'événement est vide."
    ]
    with connexion(environnement) as conn:
        assert annotations.read_annotations(conn).empty


def test_la_fiche_d_une_zone_porte_ses_evenements(environnement: Path) -> None:
    _ajouter(environnement, "Fermeture à Haguenau", territoire="6705", type_="fermeture")
    params = {"indicateur": "OO2-S.1", "periode": "2019-06"}
    at = page("admin", "carte", {**params, "canton": "6705"})
    traces = _evenements_traces(at.get("vega_lite_chart")[0])
    assert list(traces["libelle"]) == ["Fermeture à Haguenau"]
    assert "Fermeture à Haguenau" in " ".join(textes(bloc(at.main, "evenements_zone")))
    autre = page("admin", "carte", {**params, "canton": "6723"})
    assert _evenements_traces(autre.get("vega_lite_chart")[0]).empty


def _numeros(graphique: Any) -> list[str]:
    """Les numéros écrits sur les repères de la courbe (couche de texte `numero_texte`)."""
    return [
        str(n)
        for marque, donnees in _jeux_par_couche(graphique)
        if marque == "text" and "numero_texte" in donnees.columns
        for n in donnees["numero_texte"]
    ]


def test_les_evenements_sont_des_reperes_numerotes_listes_a_cote(environnement: Path) -> None:
    long = "Convention de retour à l'emploi avec les employeurs du territoire, signée en mairie"
    _ajouter(environnement, long)
    _ajouter(environnement, "Nouveau comptage", mois="2019-01", type_="definition")
    _ajouter(environnement, "Avant la courbe", mois="2016-06", type_="incident")
    _, fiche = _fiche("pilotage")
    graphique = fiche.get("vega_lite_chart")[0]
    assert sorted(_numeros(graphique)) == ["1", "2"]
    assert list(_evenements_traces(graphique)["numero"]) == [1, 2]
    liste = _liste(fiche)
    # Le libellé entier dans la liste, précédé du numéro de son repère ; hors de la courbe, sans.
    assert f"**1.** **septembre 2018** · Nouvelle convention · {long}" in liste
    assert "**2.** **janvier 2019** · Changement de définition" in liste
    assert "**juin 2016** · Incident" in liste and "**3.**" not in liste

    # Le tableau de bord : les mêmes repères sur la courbe, la liste écrite sous elle.
    at = page("pilotage", "tableau_de_bord", {"periode": "2019-06"})
    retours = next(
        g
        for g in at.get("vega_lite_chart")
        if "Retours" in json.loads(g.proto.spec)["title"]["text"]
    )
    assert sorted(_numeros(retours)) == ["1", "2"]
    listes = [m.value for m in at.markdown if m.value.startswith("**Événements sur la courbe**")]
    assert any(
        f"1. septembre 2018 — Nouvelle convention : {long}" in li
        and "2. janvier 2019 — Changement de définition : Nouveau comptage" in li
        for li in listes
    )
