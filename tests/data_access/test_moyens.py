"""Moyens sur les deux bases : lectures (ETP, normes, résultats annuels) et fichier de ressources.

Le fichier de ressources se valide sans rien écrire : un fichier faux rend toutes ses erreurs,
localisées (fichier, ligne, colonne), et la table des ressources reste identique.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Connection, func, select

from data_access import lots, moyens, progression, schema
from data_access.fichiers_config import ErreurReferentiel
from data_access.perimetre import HorsPerimetre

ENTETE = "code;type;objectif;partenaire;territoire;annee;valeur;unite;texte;source;note"
BON = f"""{ENTETE}
ETP-MDE-1.1-2021;etp;MDE-1.1;MDE;EMS;2021;1,5;ETP;La MDE mobilisera 1,5 ETP;Convention 2021 S1.1;
B-ADE-2021;budget;A7;Département;67;2021;210 000;€;Enveloppe ADE : 210 000 €;BP 2021;Voté
RH-EMPLOI-2021;effectif;A2;Département;67;;20;conseillers;20 conseillers emploi;Organigramme;
"""


def _ecrire(
    tmp_path: Path, texte: str, nom: str = "ressources.csv", encodage: str = "utf-8"
) -> Path:
    chemin = tmp_path / nom
    chemin.write_bytes(texte.encode(encodage))
    return chemin


def _etat(conn: Connection) -> tuple[int, float]:
    r = schema.ressource
    return tuple(conn.execute(select(func.count(), func.sum(r.c.valeur))).one())  # type: ignore[return-value]


def _lieux(erreurs: list[ErreurReferentiel]) -> list[tuple[int | None, str | None]]:
    return [(e.ligne, e.colonne) for e in erreurs]


# --- Lectures -------------------------------------------------------------------------------


def test_etp_de_la_convention_2020(conn: Connection) -> None:
    cadre = moyens.read_ressources(conn, types=("etp",), annee=2020)
    assert dict(cadre.dtypes.astype(str)) == moyens.COLONNES_RESSOURCES
    strategies = cadre[cadre["objectif_niveau"] == "strategie"]
    par_partenaire = strategies.groupby("partenaire")["valeur"].sum().round(6).to_dict()
    assert par_partenaire == {"MDE": 7.4, "Département": 4.45}
    transfrontalier = cadre.set_index("code").loc["ETP-CD-TRANSFRONTALIER"]
    assert (transfrontalier["objectif_niveau"], transfrontalier["territoire"]) == ("axe", "67")
    cd = cadre.set_index("code").loc["ETP-CD-2.1"]
    assert cd["texte"] == "Le temps de travail consolidé peut être estimé à 1,8 ETP."
    assert (cd["axe"], cd["plan"], cd["annee"]) == ("MDE-AXE2", "MDE-2020", 2020)
    # Dans l'ordre du document : la MDE avant le Département pour chaque stratégie.
    assert list(strategies["code"][:2]) == ["ETP-MDE-1.1", "ETP-CD-1.1"]


def test_une_annee_garde_les_moyens_non_dates(conn: Connection) -> None:
    codes = set(moyens.read_ressources(conn, annee=2019)["code"])
    assert {"RH-EQUIPE-EMPLOI", "B-FSE-4M", "B-EMPLOI-15M"} <= codes  # « par an », « actuellement »
    assert "ETP-MDE-1.1" not in codes and "B-RESI-65K" not in codes  # 2020 et 2017


def test_territoire_et_perimetre(conn: Connection) -> None:
    nord = moyens.read_ressources(conn, annee=2020, territoire="NORD").set_index("code")
    assert not nord.index.str.startswith("ETP-MDE").any()  # EMS : ni propre ni englobant
    assert nord.loc["ETP-CD-TRANSFRONTALIER", "portee"] == moyens.PORTEE_ENGLOBANT
    ems = moyens.read_ressources(conn, annee=2020, territoire="EMS").set_index("code")
    assert ems.loc["ETP-MDE-1.1", "portee"] == moyens.PORTEE_PROPRE
    elu = moyens.read_ressources(conn, annee=2020, territoire="67", perimetre="NORD")
    assert not (elu["territoire"] == "EMS").any()
    with pytest.raises(HorsPerimetre):
        moyens.read_ressources(conn, territoire="EMS", perimetre="NORD")


def test_normes_selon_le_territoire(conn: Connection) -> None:
    ems = moyens.read_normes(conn, territoire="EMS")
    assert dict(ems.dtypes.astype(str)) == moyens.COLONNES_NORMES
    assert ems.set_index("code")["valeur"].to_dict() == {
        "N-FILE-ACTIVE-EMS": 70.0, "N-PLACEMENTS-ETP": 50.0, "N-PLACEMENTS-ETP-ML": 30.0,
    }  # fmt: skip
    assert len(moyens.read_normes(conn)) == 6  # le département : toutes


def test_annees_proposees(conn: Connection) -> None:
    assert moyens.read_annees(conn) == [2017, 2018, 2019, 2020]


def test_resultats_annuels_selon_la_nature(conn: Connection) -> None:
    cadre = moyens.read_resultats_annuels(
        conn, indicateurs=["A2.1", "A10.1", "MDE-I2"], territoire="67", annees=[2019, 2020]
    )
    assert dict(cadre.dtypes.astype(str)) == moyens.COLONNES_RESULTATS
    lignes = cadre.set_index(["indicateur", "annee"])
    series = progression.read_series(conn, indicateurs=["A2.1", "A10.1"], territoire="67")
    de_2019 = series[series["debut"].str.startswith("2019")]
    placements = de_2019[de_2019["indicateur"] == "A2.1"]["valeur"].sum()
    assert lignes.loc[("A2.1", 2019), "valeur"] == placements  # flux : somme des 12 mois
    assert lignes.loc[("A2.1", 2019), "nb_periodes"] == 12
    assert lignes.loc[("A2.1", 2019), "lots"] == "Données de démonstration"
    accompagnes = de_2019[de_2019["indicateur"] == "A10.1"].sort_values("debut")["valeur"]
    assert lignes.loc[("A10.1", 2019), "valeur"] == accompagnes.iloc[-1]  # stock : fin d'année
    assert lignes.loc[("A10.1", 2019), "derniere"] == "2019-S2"
    assert pd_na(lignes.loc[("A2.1", 2020), "valeur"])  # rien en 2020 : vide, jamais 0
    assert lignes.loc[("A2.1", 2020), "nb_periodes"] == 0
    assert pd_na(lignes.loc[("MDE-I2", 2020), "valeur"])
    assert pd_na(lignes.loc[("MDE-I2", 2020), "nb_attendues"])  # sans périodicité écrite


def pd_na(x: object) -> bool:
    return bool(pd.isna(x))


def test_indicateurs_de_la_convention_avec_leur_cible(conn: Connection) -> None:
    cadre = moyens.read_indicateurs_objectifs(
        conn, objectifs=["MDE-AXE1"], territoire="EMS", annee=2020
    )
    assert list(cadre["code"]) == ["MDE-I1", "MDE-I2", "MDE-I3", "MDE-I4", "MDE-I5", "MDE-I6"]
    i2 = cadre.set_index("code").loc["MDE-I2"]
    assert (i2["cible"], i2["valeur_reference"], i2["libelle_cible"]) == (
        200.0, 100.0, "passer de 100 à 200",
    )  # fmt: skip


# --- Fichier de ressources ------------------------------------------------------------------


def test_un_bon_fichier_se_lit_puis_s_ecrit_dans_un_lot(conn: Connection, tmp_path: Path) -> None:
    avant = _etat(conn)
    cadre, erreurs = moyens.read_fichier_ressources(_ecrire(tmp_path, BON), conn=conn)
    assert erreurs == []
    assert _etat(conn) == avant  # la lecture n'écrit rien
    assert dict(cadre.dtypes.astype(str)) == moyens.COLONNES_FICHIER
    assert cadre["valeur"].tolist() == [1.5, 210_000.0, 20.0]
    assert cadre["annee"].tolist()[:2] == [2021, 2021] and pd_na(cadre["annee"].iloc[2])
    lot = lots.create_lot(conn, libelle="Ressources 2021", type_="ressources", auteur="test")
    assert moyens.write_ressources(conn, lot=lot, lignes=cadre) == lots.Comptes(3, 0, 0)
    lues = moyens.read_ressources(conn, annee=2021, territoire="EMS").set_index("code")
    assert lues.loc["ETP-MDE-1.1-2021", "lot"] == lot
    assert lues.loc["ETP-MDE-1.1-2021", "objectif_libelle"].startswith("programmes inter-")
    assert lues.loc["B-ADE-2021", "portee"] == moyens.PORTEE_ENGLOBANT
    # Réimport : rien ne change ; une valeur corrigée : une ligne modifiée, passée au lot.
    assert moyens.write_ressources(conn, lot=lot, lignes=cadre) == lots.Comptes(0, 0, 3)
    corrige = cadre.copy()
    corrige.loc[0, "valeur"] = 1.6
    lot2 = lots.create_lot(conn, libelle="Correction", type_="ressources", auteur="test")
    assert moyens.write_ressources(conn, lot=lot2, lignes=corrige) == lots.Comptes(0, 1, 2)
    relues = moyens.read_ressources(conn, annee=2021).set_index("code")
    assert (relues.loc["ETP-MDE-1.1-2021", "valeur"], relues.loc["ETP-MDE-1.1-2021", "lot"]) == (
        1.6, lot2,
    )  # fmt: skip


def test_un_fichier_faux_rend_toutes_ses_erreurs_et_n_ecrit_rien(
    conn: Connection, tmp_path: Path
) -> None:
    texte = f"""{ENTETE}
A;etps;MDE-1.1;MDE;EMS;2021;1,4 ETP;ETP;texte;source;
B;budget;MDE-9.9;Département;LUNE;21;-3;ETP;texte;source;
A;effectif;;Département;67;;;agents;;source;

C D;etp;;MDE;EMS;2021;1;ETP;texte;;
ETP-MDE-1.1;etp;MDE-1.1;MDE;EMS;2020;1.4;ETP;texte;source;
"""
    avant = _etat(conn)
    cadre, erreurs = moyens.read_fichier_ressources(_ecrire(tmp_path, texte), conn=conn)
    assert cadre.empty and list(cadre.columns) == list(moyens.COLONNES_FICHIER)
    assert _etat(conn) == avant
    assert _lieux(erreurs) == [
        (2, "type"), (2, "valeur"),
        (3, "unite"), (3, "territoire"), (3, "objectif"), (3, "annee"), (3, "valeur"),
        (4, "valeur"), (4, "texte"), (4, "code"),
        (6, "source"), (6, "code"),
        (7, "code"),
    ]  # fmt: skip
    messages = [str(e) for e in erreurs]
    assert (
        messages[0]
        == "ressources.csv:ligne 2:type: « etps » inconnu (permis : etp, effectif, budget)"
    )
    assert messages[1] == "ressources.csv:ligne 2:valeur: nombre attendu, lu « 1,4 ETP »"
    assert "ressources.csv:ligne 3:territoire: territoire inconnu « LUNE »" in messages[3]
    assert messages[5] == (
        "ressources.csv:ligne 3:annee: année sur quatre chiffres attendue (2020), lu « 21 »"
    )
    assert messages[6] == "ressources.csv:ligne 3:valeur: nombre positif ou nul attendu, lu « -3 »"
    assert messages[7] == "ressources.csv:ligne 4:valeur: valeur obligatoire manquante"
    assert messages[9] == "ressources.csv:ligne 4:code: code « A » déjà présent ligne 2"
    assert "code invalide « C D »" in messages[11]
    assert messages[12] == (
        "ressources.csv:ligne 7:code: le code « ETP-MDE-1.1 » appartient au référentiel "
        "(ressources.csv)"
    )


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("code;type;valeur\nA;etp;1\n", "ressources.csv:ligne 1:objectif: colonne obligatoire"),
        (f"{ENTETE};couleur\n", "ressources.csv:ligne 1:couleur: colonne inconnue"),
        (ENTETE.replace(";", ",") + "\n", "ressources.csv:ligne 1: séparateur « ; » attendu"),
        (f"{ENTETE}\n;;;;;;;;;;\n", "ressources.csv: fichier vide : aucune ligne de données"),
    ],
)
def test_erreurs_de_fichier(conn: Connection, tmp_path: Path, texte: str, attendu: str) -> None:
    cadre, erreurs = moyens.read_fichier_ressources(_ecrire(tmp_path, texte), conn=conn)
    assert cadre.empty
    assert str(erreurs[0]).startswith(attendu)


def test_un_export_excel_en_windows_1252_se_lit(tmp_path: Path) -> None:
    cadre, erreurs = moyens.read_fichier_ressources(_ecrire(tmp_path, BON, encodage="cp1252"))
    assert erreurs == []
    assert cadre["partenaire"].tolist()[1] == "Département"


def test_une_ressource_du_referentiel_ne_se_remplace_pas(conn: Connection) -> None:
    cadre, _ = moyens.read_fichier_ressources(Path("/inexistant.csv"))
    assert cadre.empty
    ligne = moyens.read_ressources(conn, annee=2020).set_index("code").loc[["ETP-MDE-1.1"]]
    entree = ligne.reset_index()[list(moyens.COLONNES_FICHIER)].assign(valeur=9.0)
    avant = _etat(conn)
    lot = lots.create_lot(conn, libelle="Essai", type_="ressources", auteur="test")
    with pytest.raises(moyens.ConflitReferentiel, match="ETP-MDE-1.1"):
        moyens.write_ressources(conn, lot=lot, lignes=entree)
    assert _etat(conn) == avant
