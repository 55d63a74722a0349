"""Événements datés sur les courbes : trait, libellé, infobulle, coupure d'un changement de
définition, sur la fiche d'un indicateur et sur celle d'une zone."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.carte import fiche_canton
from dashboard.graphiques import annotations as graphiques_annotations
from dashboard.graphiques import courbes as graphiques
from dashboard.vues import annotations as vue_annotations
from data_access.annotations import COLONNES_ANNOTATIONS, TYPES
from tests.unit.vega import donnees, marque


def _serie_mensuelle(debut: str, n: int) -> pd.DataFrame:
    mois = pd.period_range(debut, periods=n, freq="M").strftime("%Y-%m")
    return pd.DataFrame(
        {"periode": mois, "debut": mois, "fin": mois, "valeur": [100.0 + i for i in range(n)]}
    )


SERIE = _serie_mensuelle("2018-01", 18)  # janvier 2018 → juin 2019


def _annotations(*evenements: tuple[str, str, str]) -> pd.DataFrame:
    """Des événements au format de `read_annotations` : (mois, type, libellé)."""
    lignes = [
        {"id": i, "mois": mois, "type": type_, "libelle_type": TYPES[type_], "libelle": libelle,
         "territoire": None, "libelle_territoire": "Partout", "tous_indicateurs": False,
         "indicateurs": "OO2-S.1", "auteur": "pilotage",
         "cree_le": pd.Timestamp("2019-07-01", tz="UTC"), "demonstration": False}
        for i, (mois, type_, libelle) in enumerate(evenements, start=1)
    ]  # fmt: skip
    return pd.DataFrame(lignes, columns=list(COLONNES_ANNOTATIONS)).astype(COLONNES_ANNOTATIONS)


def _couches(spec: dict[str, Any], type_: str, champ: str) -> list[dict[str, Any]]:
    """Les couches de cette marque dont les données ont ce champ."""
    return [
        c
        for c in spec["layer"]
        if marque(c) == type_ and donnees(spec, c) and champ in donnees(spec, c)[0]
    ]


def test_un_evenement_est_un_trait_en_tirets_numerote_et_liste_en_entier() -> None:
    libelle = "Convention avec les employeurs du territoire de Haguenau et de Wissembourg"
    annotations = _annotations(("2018-09", "convention", libelle), ("2019-02", "incident", "B"))
    spec = graphiques.build_serie(SERIE, None, nature="stock", annotations=annotations).to_dict()
    (regle,) = _couches(spec, "rule", "libelle_type")
    premier, second = donnees(spec, regle)
    assert (premier["numero"], premier["mois"], second["numero"]) == (1, "2018-09", 2)
    assert premier["date"].startswith("2018-09-01")
    assert premier["libelle"] == libelle and premier["quand"] == "septembre 2018"
    assert regle["mark"]["strokeDash"]  # en tirets : lisible sans couleur
    assert regle["encoding"]["x"]["field"] == "date"
    infobulle = {t["field"]: t["title"] for t in regle["encoding"]["tooltip"]}
    assert infobulle == {"numero": "Repère", "quand": "Date", "libelle_type": "Type d'événement",
                         "libelle": "Événement", "libelle_territoire": "Territoire"}  # fmt: skip
    # Sur la courbe : le numéro seul, droit (plus d'étiquette tournée ni coupée).
    (numeros,) = _couches(spec, "text", "numero_texte")
    assert numeros["encoding"]["text"]["field"] == "numero_texte"
    assert "angle" not in numeros["mark"]
    assert [d["numero_texte"] for d in donnees(spec, numeros)] == ["1", "2"]
    (carres,) = _couches(spec, "point", "numero_texte")
    assert carres["mark"]["shape"] == "square"
    # À côté du graphique : la liste numérotée, libellés entiers.
    evenements = graphiques_annotations.build_evenements(annotations, debut="2018-01",
                                                         fin="2019-06")  # fmt: skip
    assert graphiques_annotations.lignes(evenements) == [
        f"1. septembre 2018 — Nouvelle convention : {libelle}",
        "2. février 2019 — Incident de données : B",
    ]


def test_l_axe_des_dates_reste_en_francais() -> None:
    annotations = _annotations(("2018-09", "incident", "Incident"))
    spec = graphiques.build_serie(SERIE, None, nature="stock", annotations=annotations).to_dict()
    (regle,) = _couches(spec, "rule", "libelle_type")
    axe = regle["encoding"]["x"]["axis"]
    assert axe["labelExpr"] == graphiques.EXPR_MOIS
    assert axe["title"] == "Fin de période"


def test_sans_evenement_le_graphique_ne_change_pas() -> None:
    sans = graphiques.build_serie(SERIE, None, nature="stock").to_dict()
    vide = graphiques.build_serie(SERIE, None, nature="stock", annotations=_annotations()).to_dict()
    assert len(sans["layer"]) == len(vide["layer"]) == 1
    assert {p["segment"] for p in donnees(sans, sans["layer"][0])} == {0}


def test_un_evenement_hors_de_la_courbe_n_est_pas_trace() -> None:
    annotations = _annotations(("2016-05", "incident", "Avant"), ("2019-09", "incident", "Après"))
    spec = graphiques.build_serie(SERIE, None, nature="stock", annotations=annotations).to_dict()
    assert _couches(spec, "rule", "libelle_type") == []


def test_un_changement_de_definition_coupe_la_courbe() -> None:
    annotations = _annotations(("2019-01", "definition", "Nouveau comptage"))
    spec = graphiques.build_serie(SERIE, None, nature="stock", annotations=annotations).to_dict()
    ligne = spec["layer"][0]
    assert marque(ligne) == "line"
    assert ligne["encoding"]["detail"]["field"] == "segment"
    points = pd.DataFrame(donnees(spec, ligne))
    assert set(points.loc[points["fin"] < "2019-01", "segment"]) == {0}
    assert set(points.loc[points["fin"] >= "2019-01", "segment"]) == {1}
    (regle,) = _couches(spec, "rule", "libelle_type")
    assert donnees(spec, regle)[0]["libelle_type"] == "Changement de définition"


def test_un_autre_evenement_ne_coupe_pas_la_courbe() -> None:
    annotations = _annotations(("2019-01", "fermeture", "Fermeture"))
    spec = graphiques.build_serie(SERIE, None, nature="stock", annotations=annotations).to_dict()
    assert {p["segment"] for p in donnees(spec, spec["layer"][0])} == {0}


def test_une_periode_qui_touche_la_nouvelle_definition_est_du_cote_nouveau() -> None:
    annotations = _annotations(("2018-08", "definition", "A"), ("2019-02", "definition", "B"))
    fins = ["2018-06", "2018-09", "2018-12", "2019-03"]  # fins de trimestres
    assert graphiques_annotations.segments(fins, annotations) == [0, 1, 1, 2]
    assert graphiques_annotations.segments(fins, None) == [0, 0, 0, 0]


def test_deux_evenements_du_meme_mois_ont_des_reperes_empiles() -> None:
    annotations = _annotations(("2018-09", "convention", "A"), ("2018-09", "incident", "B"))
    spec = graphiques.build_serie(SERIE, None, nature="stock", annotations=annotations).to_dict()
    textes = _couches(spec, "text", "numero_texte")
    assert len(textes) == 2
    assert len({t["encoding"]["y"]["value"] for t in textes}) == 2
    assert sorted(donnees(spec, t)[0]["numero_texte"] for t in textes) == ["1", "2"]


def test_la_fiche_d_une_zone_porte_les_evenements() -> None:
    courbe = SERIE[["periode", "fin", "valeur"]]
    annotations = _annotations(("2019-01", "definition", "Nouveau comptage"))
    spec = fiche_canton.build_comparaison(
        {"Haguenau": courbe, "Nord": courbe, "Bas-Rhin": courbe},
        titre_axe="pour 1 000 habitants",
        annotations=annotations,
    ).to_dict()
    lignes = spec["layer"][0]
    assert lignes["encoding"]["detail"]["field"] == "segment"
    points = pd.DataFrame(donnees(spec, lignes))
    assert points.groupby("courbe")["segment"].nunique().to_dict() == {
        "Haguenau": 2, "Nord": 2, "Bas-Rhin": 2,
    }  # fmt: skip
    (regle,) = _couches(spec, "rule", "libelle_type")
    assert donnees(spec, regle)[0]["mois"] == "2019-01"
    assert regle["encoding"]["x"]["axis"]["format"] == "%m/%Y"


def test_la_ligne_de_la_liste_ne_laisse_pas_passer_de_markdown() -> None:
    (evenement,) = _annotations(("2018-09", "convention", "**gras** [lien](x)")).to_dict("records")
    ligne = vue_annotations.build_ligne(evenement)
    assert ligne.startswith("**septembre 2018** · Nouvelle convention · ")
    assert "\\*\\*gras\\*\\* \\[lien\\](x)" in ligne
    assert "territoire : Partout" in ligne


def test_territoires_proposes() -> None:
    territoires = {"67": "Bas-Rhin", "NORD": "Territoire Nord", "6705": "Canton Haguenau"}
    assert list(vue_annotations.options_territoires(territoires, None)) == ["", "NORD", "6705"]
    assert list(vue_annotations.options_territoires(territoires, "NORD")) == ["NORD", "6705"]
