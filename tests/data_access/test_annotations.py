"""Événements datés : écriture, lecture par indicateur et par territoire, suppression, refus."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

import pandas as pd
import pytest
from sqlalchemy import Connection, delete, func, select

from data_access import annotations, schema
from data_access.annotations import AnnotationInvalide
from data_access.droits import administrateur_local


@pytest.fixture
def base(conn: Connection) -> Connection:
    """La base de démonstration sans aucun événement (dans la transaction annulée du test)."""
    conn.execute(delete(schema.annotation_indicateur))
    conn.execute(delete(schema.annotation))
    return conn


def _ajouter(
    conn: Connection,
    libelle: str,
    *,
    mois: str = "2018-09",
    type_: str = "convention",
    indicateurs: Sequence[str] | None = ("OO2-S.1",),
    territoire: str | None = None,
) -> int:
    return annotations.add_annotation(
        conn,
        mois=mois,
        type=type_,
        libelle=libelle,
        acteur=administrateur_local("pilotage"),
        territoire=territoire,
        indicateurs=None if indicateurs is None else list(indicateurs),
    )


def _libelles(conn: Connection, **filtres: object) -> set[str]:
    return set(annotations.read_annotations(conn, **filtres)["libelle"])  # type: ignore[arg-type]


def test_un_evenement_enregistre_se_relit_avec_ses_colonnes(base: Connection) -> None:
    numero = _ajouter(base, "  Nouvelle convention de retour à l'emploi  ")
    lues = annotations.read_annotations(base, indicateur="OO2-S.1")
    assert len(lues) == 1
    ligne = lues.iloc[0]
    assert ligne["id"] == numero
    assert ligne["mois"] == "2018-09"
    assert ligne["type"] == "convention"
    assert ligne["libelle_type"] == "Nouvelle convention"
    assert ligne["libelle"] == "Nouvelle convention de retour à l'emploi"
    assert pd.isna(ligne["territoire"])
    assert ligne["libelle_territoire"] == "Partout"
    assert ligne["indicateurs"] == "OO2-S.1"
    assert ligne["auteur"] == "pilotage"
    assert not ligne["demonstration"]
    assert ligne["cree_le"].tzinfo is not None
    assert lues.dtypes.astype(str).to_dict() == annotations.COLONNES_ANNOTATIONS
    assert annotations.read_annotations(base, indicateur="FIN-2.1").empty


def test_lecture_vide_garde_ses_colonnes(base: Connection) -> None:
    vide = annotations.read_annotations(base)
    assert vide.empty
    assert vide.dtypes.astype(str).to_dict() == annotations.COLONNES_ANNOTATIONS


def test_un_evenement_de_tous_les_indicateurs_concerne_chacun(base: Connection) -> None:
    _ajouter(base, "Incident de transmission", type_="incident", indicateurs=None)
    _ajouter(base, "Deux indicateurs", indicateurs=["OO2-S.1", "OO1-S.1", "OO2-S.1"])
    lues = annotations.read_annotations(base).set_index("libelle")
    assert lues.loc["Incident de transmission", "indicateurs"] == annotations.TOUS
    assert lues.loc["Deux indicateurs", "indicateurs"] == "OO1-S.1, OO2-S.1"
    assert _libelles(base, indicateur="FIN-2.1") == {"Incident de transmission"}
    assert _libelles(base, indicateur="OO1-S.1") == {"Incident de transmission", "Deux indicateurs"}


def test_regle_des_territoires(base: Connection) -> None:
    for territoire in (None, "67", "NORD", "6705", "EMS", "6717"):
        _ajouter(base, f"événement {territoire or 'partout'}", territoire=territoire)
    attendus = {
        "67": {"partout", "67"},
        "NORD": {"partout", "67", "NORD"},
        "6705": {"partout", "67", "NORD", "6705"},
        "6701": {"partout", "67", "NORD"},
        "EMS": {"partout", "67", "EMS"},
    }
    for vue, codes in attendus.items():
        assert _libelles(base, territoire=vue) == {f"événement {c}" for c in codes}, vue
    # Une zone de la carte faite de plusieurs cantons : les événements de l'un d'eux au moins.
    strasbourg = _libelles(base, territoire=["6717", "6718"])
    assert strasbourg == {f"événement {c}" for c in ("partout", "67", "EMS", "6717")}
    lues = annotations.read_annotations(base, territoire="6705").set_index("libelle")
    assert lues.loc["événement NORD", "libelle_territoire"] == "Territoire Nord"
    assert lues.loc["événement 6705", "libelle_territoire"] == "Canton Haguenau"


def test_tri_par_mois_et_bornes(base: Connection) -> None:
    for mois in ("2019-03", "2017-06", "2018-09"):
        _ajouter(base, f"au {mois}", mois=mois)
    assert list(annotations.read_annotations(base)["mois"]) == ["2017-06", "2018-09", "2019-03"]
    bornees = annotations.read_annotations(base, debut="2018-01", fin="2018-09")
    assert list(bornees["libelle"]) == ["au 2018-09"]


def test_suppression(base: Connection) -> None:
    numero = _ajouter(base, "à supprimer", indicateurs=["OO2-S.1", "OO1-S.1"])
    _ajouter(base, "à garder")
    annotations.delete_annotation(base, numero, acteur=administrateur_local("test"))
    assert _libelles(base) == {"à garder"}
    liens = select(func.count()).select_from(schema.annotation_indicateur)
    assert (
        base.execute(liens.where(schema.annotation_indicateur.c.annotation == numero)).scalar() == 0
    )
    with pytest.raises(AnnotationInvalide, match="introuvable"):
        annotations.delete_annotation(base, numero, acteur=administrateur_local("test"))


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"mois": "2018-13"}, "mois invalide"),
        ({"mois": "septembre 2018"}, "mois invalide"),
        ({"type_": "autre"}, "type d'événement inconnu"),
        ({"libelle": "   "}, "libellé de l'événement est vide"),
        ({"libelle": "x" * 201}, "201 caractères"),
        ({"indicateurs": ["OO2-S.1", "XXX-9"]}, "indicateur\\(s\\) inconnu\\(s\\) : XXX-9"),
        ({"indicateurs": []}, "au moins un indicateur"),
        ({"territoire": "ATLANTIDE"}, "territoire inconnu"),
    ],
)
def test_refus_en_francais_sans_rien_ecrire(
    base: Connection, champs: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"libelle": "Un événement", **champs}
    with pytest.raises(AnnotationInvalide, match=message):
        _ajouter(base, **arguments)  # type: ignore[arg-type]
    assert annotations.read_annotations(base).empty


def test_un_libelle_de_200_caracteres_passe(base: Connection) -> None:
    _ajouter(base, "x" * 200)
    assert _libelles(base) == {"x" * 200}


def test_une_commune_n_est_pas_un_territoire_d_evenement(base: Connection) -> None:
    t = schema.territoire
    commune = base.execute(select(t.c.code).where(t.c.niveau == "commune").limit(1)).scalar()
    assert commune is not None
    with pytest.raises(AnnotationInvalide, match="territoire inconnu"):
        _ajouter(base, "Dans une commune", territoire=commune)


def test_evenements_de_demonstration(base: Connection) -> None:
    with annotations.FICHIER_DEMO.open("rb") as f:
        prevus = tomllib.load(f)["evenement"]
    assert annotations.add_annotations_demo(base) == len(prevus)
    assert annotations.add_annotations_demo(base) == len(prevus)  # relancer ne double pas
    lues = annotations.read_annotations(base)
    assert len(lues) == len(prevus)
    assert lues["demonstration"].all()
    assert all("(démonstration)" in libelle for libelle in lues["libelle"])
    sept_2018 = annotations.read_annotations(base, indicateur="OO2-S.1", territoire="67")
    assert "2018-09" in set(sept_2018["mois"])
    assert "definition" in set(lues["type"])


def test_les_evenements_de_demonstration_ne_touchent_pas_les_autres(base: Connection) -> None:
    _ajouter(base, "Saisi par la mission")
    annotations.add_annotations_demo(base)
    annotations.add_annotations_demo(base)
    assert "Saisi par la mission" in _libelles(base)
