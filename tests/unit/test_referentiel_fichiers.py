"""Contrôles des fichiers du référentiel versionnés (produits par scripts/build_referentiel.py).

Ces tests ne lisent que les CSV livrés dans ``config/referentiel/`` : ils protègent les chiffres
que les élus verront (cibles territoriales, ETP de la convention MDE, comptes du tableau §7) et
les liens entre fichiers contre une régénération ou une retouche qui les casserait.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
REF_DIR = ROOT / "config" / "referentiel"

SEEDS = (
    "000_114ffa306b4fe5c3.txt",
    "001_7cbea70ff70dd1df.txt",
    "002_08888835fc8aebb3.txt",
    "003_ae35ec8acbc9bebf.txt",
    "004_daf4b7801c8372b1.txt",
)
FICHIERS = (
    "plans",
    "objectifs",
    "actions",
    "indicateurs",
    "cibles",
    "ressources",
    "normes",
    "reperes",
    "ecarts",
    "territoires",
)
TERRITOIRES_ACTION = ["NORD", "OUEST", "EMS", "SUD"]


def lire(nom: str) -> pd.DataFrame:
    """Un fichier du référentiel, tout en texte (les codes comme « 67 » restent des chaînes)."""
    return pd.read_csv(REF_DIR / f"{nom}.csv", sep=";", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def indicateurs() -> pd.DataFrame:
    return lire("indicateurs")


@pytest.fixture(scope="module")
def cibles() -> pd.DataFrame:
    cadre = lire("cibles")
    cadre["valeur_num"] = cadre["valeur"].astype(float)
    return cadre


@pytest.fixture(scope="module")
def section7(indicateurs: pd.DataFrame) -> pd.DataFrame:
    """Les indicateurs du tableau §7 du PDIE (ni convention MDE ni taux synthétiques)."""
    pdie = indicateurs[indicateurs["plan"] == "PDIE-2017-2019"]
    return pdie[~pdie["code"].str.startswith(("MDE-", "SYN-"))]


def test_tableau_section7_compte_53_indicateurs(section7: pd.DataFrame) -> None:
    assert len(section7) == 53
    assert section7["code"].is_unique


def test_periodicites_du_tableau_section7(section7: pd.DataFrame) -> None:
    assert Counter(section7["periodicite"]) == {
        "mensuelle": 6,
        "trimestrielle": 7,
        "semestrielle": 23,
        "annuelle": 9,
        "": 8,
    }


def test_indicateurs_etoiles(section7: pd.DataFrame) -> None:
    # 18 astérisques : 17 indicateurs pleinement étoilés, plus A13.1 dont l'astérisque est dans
    # la parenthèse (« par prestation* ») et que le référentiel marque « oui » par prudence.
    prioritaires = set(section7.loc[section7["prioritaire"] == "oui", "code"])
    assert len(prioritaires) == 18
    assert "A13.1" in prioritaires
    assert "A27.2" not in prioritaires  # le seul indicateur « par territoire » n'a pas d'étoile


def test_sept_jalons_sans_unite(section7: pd.DataFrame) -> None:
    jalons = section7[section7["nature"] == "jalon"]
    assert set(jalons["code"]) == {"A3.1", "A19.1", "A21.1", "A22.1", "A28.1", "A32.1", "A36.1"}
    assert (jalons["unite"] == "").all()


def test_valeurs_permises(indicateurs: pd.DataFrame) -> None:
    assert set(indicateurs["nature"]) <= {"flux", "stock", "taux", "montant", "jalon"}
    assert set(indicateurs["polarite"]) <= {"hausse", "baisse", "neutre"}
    assert set(indicateurs["echelle"]) <= {"canton", "territoire", "departement"}
    assert set(indicateurs["prioritaire"]) <= {"oui", "non"}
    assert set(indicateurs["periodicite"]) <= {
        "", "mensuelle", "trimestrielle", "semestrielle", "annuelle",
    }  # fmt: skip


def test_indicateurs_hors_tableau(indicateurs: pd.DataFrame) -> None:
    mde = indicateurs[indicateurs["plan"] == "MDE-2020"]
    assert list(mde["code"]) == [f"MDE-I{n}" for n in range(1, 15)]
    assert (mde["periodicite"] == "").all()
    syn = indicateurs.set_index("code").loc[["SYN-1", "SYN-2"]]
    assert (syn["objectif"] == "FIN").all()
    assert (syn["nature"] == "taux").all()


@pytest.mark.parametrize("nom", FICHIERS)
def test_chaque_ligne_cite_un_document_source(nom: str) -> None:
    cadre = lire(nom)
    colonne = "sources" if nom == "ecarts" else "source"
    assert len(cadre) > 0
    sans_source = cadre[~cadre[colonne].str.startswith(SEEDS)]
    assert sans_source.empty, sans_source.head().to_dict("records")


def cible(cibles: pd.DataFrame, indicateur: str, periode: str) -> pd.DataFrame:
    return cibles[(cibles["indicateur"] == indicateur) & (cibles["periode"] == periode)]


@pytest.mark.parametrize("annee", ["2017", "2018", "2019"])
def test_acces_emploi_par_territoire_et_par_an(cibles: pd.DataFrame, annee: str) -> None:
    lignes = cible(cibles, "OO2-S.1", annee).set_index("territoire")["valeur_num"]
    attendu = {"NORD": 736, "OUEST": 395, "EMS": 1880, "SUD": 722}
    assert lignes[TERRITOIRES_ACTION].to_dict() == attendu
    assert lignes[TERRITOIRES_ACTION].sum() == 3733
    assert lignes["67"] == 3733  # ligne TOTAL imprimée


def test_acces_emploi_10000_et_11199_coexistent(cibles: pd.DataFrame) -> None:
    lignes = cible(cibles, "OO2-S.1", "2017-2019")
    territoires = lignes[lignes["territoire"].isin(TERRITOIRES_ACTION)]
    assert territoires["valeur_num"].sum() == 11199
    departement = lignes[lignes["territoire"] == "67"]
    # Les deux chiffres sont imprimés et affichés côte à côte, jamais recalés.
    assert sorted(departement["valeur_num"]) == [10000, 11199]
    assert set(departement["derive"]) == {"non"}
    assert departement["source"].str.contains("§3.1").any()
    assert departement["source"].str.contains("§4").any()


def test_acces_insertion_somme_a_6000(cibles: pd.DataFrame) -> None:
    lignes = cible(cibles, "OO3-S.1", "2017-2019")
    territoires = lignes[lignes["territoire"].isin(TERRITOIRES_ACTION)]
    assert territoires.set_index("territoire")["valeur_num"].to_dict() == {
        "NORD": 708, "OUEST": 348, "EMS": 4227, "SUD": 717,
    }  # fmt: skip
    assert territoires["valeur_num"].sum() == 6000
    assert set(lignes.loc[lignes["territoire"] == "67", "valeur_num"]) == {6000}


def test_offres_des_conseillers_departementaux(cibles: pd.DataFrame) -> None:
    lignes = cible(cibles, "A23.1", "2018").set_index("territoire")["valeur_num"]
    assert lignes[TERRITOIRES_ACTION].to_dict() == {"NORD": 75, "OUEST": 42, "EMS": 206, "SUD": 77}
    assert lignes["67"] == 400


def test_cibles_derivees_et_liens(cibles: pd.DataFrame) -> None:
    assert set(cibles["derive"]) <= {"oui", "non"}
    assert set(cibles["lien"]) <= {"explicite", "déduit"}
    assert set(cibles["territoire"]) <= {"67", *TERRITOIRES_ACTION}
    assert cibles["periode"].str.fullmatch(r"\d{4}(-\d{4})?").all()
    cle = ["indicateur", "territoire", "periode", "source"]
    assert not cibles.duplicated(cle).any()  # clé naturelle du chargement en base


def test_cible_des_controles(cibles: pd.DataFrame) -> None:
    controles = cible(cibles, "A31.1", "2017-2019")
    assert list(controles["valeur_num"]) == [12000]
    assert controles["note"].str.contains("12 600").all()


def test_etp_de_la_convention_mde() -> None:
    ressources = lire("ressources").set_index("code")
    strategies = ["1.1", "1.2", "2.1", "3.1", "4.1"]
    mde = ressources.loc[[f"ETP-MDE-{s}" for s in strategies]]
    cd = ressources.loc[[f"ETP-CD-{s}" for s in strategies]]
    assert list(mde["valeur"].astype(float)) == [1.4, 0.25, 2, 1.05, 2.7]
    assert list(cd["valeur"].astype(float)) == [1, 1, 1.8, 0.5, 0.15]
    assert list(mde["objectif"]) == [f"MDE-{s}" for s in strategies]
    assert set(mde["partenaire"]) == {"MDE"}
    assert set(cd["partenaire"]) == {"Département"}
    # La formulation d'origine est conservée à côté du nombre.
    estime = "Le temps de travail consolidé peut être estimé à 1,8 ETP."
    assert cd.loc["ETP-CD-2.1", "texte"] == estime
    assert cd.loc["ETP-CD-4.1", "texte"].startswith("Moyens CD : 0.15 ETP")
    assert cd.loc["ETP-CD-1.2", "texte"] == "Moyens CD : 1"
    assert mde.loc["ETP-MDE-1.1", "texte"].endswith("l'équivalent de 1,4 ETP")
    transfrontalier = ressources.loc["ETP-CD-TRANSFRONTALIER"]
    assert float(transfrontalier["valeur"]) == 1
    assert "5,45" in transfrontalier["note"]


def test_references_entre_fichiers(indicateurs: pd.DataFrame, cibles: pd.DataFrame) -> None:
    plans = set(lire("plans")["code"])
    objectifs = lire("objectifs")
    actions = lire("actions")
    territoires = lire("territoires")
    codes_objectifs = set(objectifs["code"])
    codes_actions = set(actions["code"])
    codes_territoires = set(territoires["code"])

    assert set(objectifs["plan"]) <= plans
    assert set(objectifs["parent"]) - {""} <= codes_objectifs
    assert set(actions["objectif"]) <= codes_objectifs
    assert set(indicateurs["plan"]) <= plans
    assert set(indicateurs["objectif"]) <= codes_objectifs
    assert set(indicateurs["action"]) - {""} <= codes_actions
    assert set(cibles["indicateur"]) <= set(indicateurs["code"])
    assert set(cibles["territoire"]) <= codes_territoires
    assert set(territoires["parent"]) - {""} <= codes_territoires

    ressources = lire("ressources")
    assert set(ressources["objectif"]) - {""} <= codes_objectifs | codes_actions
    assert set(ressources["territoire"]) <= codes_territoires
    assert set(lire("normes")["territoire"]) <= codes_territoires
    assert set(lire("reperes")["territoire"]) - {""} <= codes_territoires


def test_codes_uniques() -> None:
    for nom in FICHIERS:
        if nom == "cibles":
            continue
        cadre = lire(nom)
        assert cadre["code"].is_unique, nom


def test_ecarts_complets() -> None:
    ecarts = lire("ecarts")
    assert list(ecarts["code"]) == [f"INC-{n:02d}" for n in range(1, 29)]
    assert set(ecarts["gravite"]) <= {"haute", "moyenne", "faible"}
