"""Nature des cibles : sa dérivation depuis plan.yaml, le fichier livré, ce qui reçoit un statut.

La nature décide si une cible est jugée (cible du plan, cible dérivée par une règle écrite) ou
montrée comme repère (lien inféré, plafond, valeur de référence, cible dérivée sans règle). Ces
tests la vérifient là où elle naît (`scripts/build_referentiel.py`), dans le fichier livré
(`config/referentiel/cibles.csv`), au chargement (`data_access.referentiel`), et dans les règles
de statut et de trajectoire (`natures_cibles`, `trajectoire`), sur des cas faits main.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from config.settings import Seuils
from dashboard.graphiques import courbes, resumes
from data_access import natures_cibles, referentiel, trajectoire
from data_access.fichiers_config import ErreurReferentiel
from data_access.periodes import Mois, parse_plage
from tests.unit.vega import donnees, marque

RACINE = Path(__file__).resolve().parents[2]
CIBLES_CSV = RACINE / "config" / "referentiel" / "cibles.csv"
SEUILS = Seuils(avance=0.05, retard=0.10)


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """Le script de génération du référentiel, chargé comme module (il n'est pas un paquet)."""
    chemin = RACINE / "scripts" / "build_referentiel.py"
    spec = importlib.util.spec_from_file_location("build_referentiel", chemin)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # les dataclasses du script se résolvent par leur module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cibles() -> pd.DataFrame:
    return pd.read_csv(CIBLES_CSV, sep=";", dtype=str, keep_default_na=False)


# --- Dérivation (scripts/build_referentiel.py) ----------------------------------------------


def test_la_nature_se_lit_dans_plan_yaml_et_la_colonne_derive(build: ModuleType) -> None:
    nature_de = build.nature_de
    # Budget que l'extraction qualifie d'enveloppe (ADE, B-ADE-200K) : un plafond, même inféré.
    ade = {"ref": "B-ADE-200K", "unite": "EUR/an (enveloppe)", "inferred": True}
    assert nature_de(ade, derive="non") == "plafond"
    # 100 % traduit de « tout allocataire » (A27.1) : calculé par nous, donc dérivé.
    contrat = {"ref": "levier 5.5.4", "unite": "%", "inferred": True}
    assert nature_de(contrat, derive="oui") == "derivee"
    # Rattachement fait par l'extraction (participants FSE, A6.1) : lien inféré.
    fse = {"ref": "B-FSE-PARTICIPANTS", "unite": "participants 2015-2020", "inferred": True}
    assert nature_de(fse, derive="non") == "lien_infere"
    # Chiffre imprimé et rattaché par le document (10 000 du §3.1) : cible du plan.
    emploi = {"ref": "T-EMPLOI-10000", "unite": "cumul 2017-2019"}
    assert nature_de(emploi, derive="non") == "plan"
    # Une nature imposée par la table des cibles l'emporte ; une nature inconnue est refusée.
    assert nature_de(emploi, derive="non", imposee="reference") == "reference"
    with pytest.raises(build.ReferentielError, match="nature de cible inconnue"):
        nature_de(emploi, derive="non", imposee="objectif")


def test_le_script_refuse_une_nature_qui_contredit_derive_ou_une_regle_mal_placee(
    build: ModuleType,
) -> None:
    ligne = build.Referentiel._ligne_cible
    commun = {"indicateur": "A27.1", "territoire": "67", "periode": "2017-2019", "valeur": 100,
              "unite": "%", "libelle": "x", "source": "002 §5.5.4", "lien": "déduit"}  # fmt: skip
    assert ligne(**commun, derive="oui", nature="derivee")["nature"] == "derivee"
    regle = "cible annuelle = total 2017-2019 / 3"
    assert ligne(**commun, derive="oui", nature="derivee", regle=regle)["regle"] == regle
    with pytest.raises(build.ReferentielError, match="derive = oui"):
        ligne(**commun, derive="oui", nature="lien_infere")
    with pytest.raises(build.ReferentielError, match="derive = non"):
        ligne(**commun, derive="non", nature="derivee")
    with pytest.raises(build.ReferentielError, match="règle sur plafond"):
        ligne(**commun, derive="non", nature="plafond", regle=regle)


# --- Le fichier livré -------------------------------------------------------------------------


def _natures(cibles: pd.DataFrame, indicateur: str) -> set[str]:
    return set(cibles.loc[cibles["indicateur"] == indicateur, "nature"])


def test_les_trois_cibles_du_ticket_ont_leur_nature(cibles: pd.DataFrame) -> None:
    assert _natures(cibles, "A27.1") == {"derivee"}
    assert set(cibles.loc[cibles["indicateur"] == "A27.1", "regle"]) == {""}  # sans règle écrite
    assert _natures(cibles, "A7.1") == {"plafond"}
    assert _natures(cibles, "A6.1") == {"lien_infere"}
    # Les objectifs chiffrés du plan restent des cibles du plan, sur chaque territoire.
    for code in ("OO1-S.1", "OO2-S.1", "OO3-S.1", "A23.1", "A31.1", "MDE-I1", "MDE-I2"):
        assert _natures(cibles, code) == {"plan"}, code


def test_la_nature_s_accorde_aux_colonnes_derive_et_lien(cibles: pd.DataFrame) -> None:
    assert set(cibles["nature"]) <= {n.value for n in natures_cibles.NatureCible}
    derivees = cibles["nature"] == "derivee"
    assert (derivees == (cibles["derive"] == "oui")).all()
    assert (cibles.loc[cibles["nature"] == "plan", "lien"] == "explicite").all()
    assert (cibles.loc[cibles["nature"] == "lien_infere", "lien"] == "déduit").all()
    assert (cibles.loc[~derivees, "regle"] == "").all()
    # Toute cible rattachée par déduction et non plafond ni dérivée est un lien inféré.
    deduites = cibles[(cibles["lien"] == "déduit") & ~cibles["nature"].isin(["plafond", "derivee"])]
    assert set(deduites["nature"]) == {"lien_infere"}


def _copie_referentiel(tmp_path: Path, remplacer: tuple[str, str]) -> Path:
    """Un dossier de configuration dont cibles.csv porte une retouche (pour tester le refus)."""
    dossier = tmp_path / "config"
    (dossier / "referentiel").mkdir(parents=True)
    chemin = dossier / "referentiel" / "cibles.csv"
    shutil.copy(CIBLES_CSV, chemin)
    texte = chemin.read_text(encoding="utf-8")
    assert remplacer[0] in texte
    chemin.write_text(texte.replace(remplacer[0], remplacer[1], 1), encoding="utf-8")
    return dossier


def test_le_chargement_refuse_un_fichier_qui_ferait_juger_un_repere(tmp_path: Path) -> None:
    # A7.1 déclaré cible du plan alors que son lien est déduit : il serait jugé en retard.
    dossier = _copie_referentiel(tmp_path, (";non;déduit;plafond;;", ";non;déduit;plan;;"))
    with pytest.raises(ErreurReferentiel, match="une cible du plan a un lien explicite"):
        referentiel.read_cibles(dossier)
    assert len(referentiel.read_cibles(RACINE / "config")) == len(pd.read_csv(CIBLES_CSV, sep=";"))


# --- Ce qui reçoit un statut --------------------------------------------------------------------


def test_seules_les_cibles_du_plan_et_les_derivees_avec_regle_recoivent_un_statut() -> None:
    assert natures_cibles.donne_un_statut("plan")
    assert natures_cibles.donne_un_statut("derivee", "total 2017-2019 / 3")
    assert not natures_cibles.donne_un_statut("derivee", "")
    assert not natures_cibles.donne_un_statut("derivee", "   ")
    for nature in ("lien_infere", "plafond", "reference", "inconnue"):
        assert not natures_cibles.donne_un_statut(nature, "une règle"), nature


def test_chaque_nature_se_dit_en_mots() -> None:
    assert natures_cibles.en_mots("plan") == "cible du plan"
    assert natures_cibles.en_mots("lien_infere") == "lien inféré"
    assert natures_cibles.en_mots("plafond") == "plafond"
    assert natures_cibles.en_mots("reference") == "valeur de référence"
    assert natures_cibles.en_mots("derivee") == "cible dérivée sans règle de calcul écrite"
    assert natures_cibles.en_mots("derivee", "x / 3") == "cible dérivée"
    assert natures_cibles.en_mots("") == ""  # édition publiée avant que la nature existe
    assert natures_cibles.explication("plafond").startswith("Plafond : enveloppe à ne pas")
    assert "(règle : x / 3)" in natures_cibles.explication("derivee", "x / 3")


# --- Trajectoire qui commence avant toute donnée possible ---------------------------------------


def _serie(lignes: list[tuple[str, float]]) -> pd.DataFrame:
    """Une série annuelle faite main : (année, valeur)."""
    return pd.DataFrame(
        [(an, f"{an}-01", f"{an}-12", v) for an, v in lignes],
        columns=["periode", "debut", "fin", "valeur"],
    )


def test_une_plage_qui_commence_avant_les_donnees_possibles_est_non_evaluable() -> None:
    """A6.1 : 20 000 participants FSE de 2015 à 2020, aucune valeur avant 2017 importable."""
    serie = _serie([("2017", 3000.0), ("2018", 3300.0), ("2019", 3575.0)])
    ev = trajectoire.evaluer(
        serie, nature="flux", polarite="hausse", cible=20000, plage=parse_plage("2015-2020"),
        mois=Mois.parse("2019-12"), seuils=SEUILS, debut_donnees=Mois.parse("2017-01"),
    )  # fmt: skip
    assert ev.statut is trajectoire.Statut.NON_EVALUABLE
    assert ev.attendu is None
    assert ev.reel == 3000 + 3300 + 3575  # le réalisé connu reste montré
    # Sans données non plus, elle reste non évaluable (jamais « non renseigné » ni en retard).
    vide = trajectoire.evaluer(
        _serie([]), nature="flux", polarite="hausse", cible=20000,
        plage=parse_plage("2015-2020"), mois=Mois.parse("2019-12"), seuils=SEUILS,
        debut_donnees=Mois.parse("2017-01"),
    )  # fmt: skip
    assert vide.statut is trajectoire.Statut.NON_EVALUABLE


def test_une_plage_qui_commence_avec_les_donnees_est_jugee_comme_avant() -> None:
    serie = _serie([("2017", 600.0), ("2018", 600.0)])
    ev = trajectoire.evaluer(
        serie, nature="flux", polarite="hausse", cible=2208, plage=parse_plage("2017-2019"),
        mois=Mois.parse("2018-12"), seuils=SEUILS, debut_donnees=Mois.parse("2017-01"),
    )  # fmt: skip
    assert ev.attendu == pytest.approx(2208 * 24 / 36)
    assert ev.statut is trajectoire.Statut.EN_RETARD  # 1 200 / 1 472 = 0,82 < 0,90


def test_le_graphique_d_un_repere_n_a_ni_trajectoire_attendue_ni_modele() -> None:
    """Le plafond de l'ADE (A7.1) tracé sur la fiche : son trait, étiqueté « Repère », sans la
    droite attendue ni la phrase du modèle (rien n'est « attendu » d'un plafond)."""
    serie = _serie([("2019", 177_816.0)])
    repere = pd.DataFrame({"periode_cible": ["2019"], "cible": [200_000.0],
                           "valeur_reference": [None], "source": ["002 §5.2.18"],
                           "statut": ["repère"]})  # fmt: skip
    spec = courbes.build_serie(serie, repere, nature="montant", unite="€").to_dict()

    def trajectoires(spec: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for c in spec["layer"] if "attendu" in (donnees(spec, c) or [{}])[0]]

    assert not trajectoires(spec)
    textes = [c for c in spec["layer"] if marque(c) == "text" and "libelle" in donnees(spec, c)[0]]
    assert [donnees(spec, t)[0]["libelle"] for t in textes] == ["Repère 200\u202f000\u202f€ (2019)"]
    # Au dernier point, le statut dit « repère » (forme et mot), jamais un jugement.
    statuts = {donnees(spec, c)[0]["statut"] for c in spec["layer"] if marque(c) == "text"
               and "statut" in donnees(spec, c)[0]}  # fmt: skip
    assert statuts == {"\u25c7 repère"}
    assert spec["title"]["subtitle"] == ""
    assert resumes.cibles(repere, "€") == "Repère : 200\u202f000\u202f€ (2019)."
    # La même cible jugée garde sa trajectoire et sa phrase.
    jugee = courbes.build_serie(serie, repere.assign(statut="en retard"), nature="montant",
                                unite="€").to_dict()  # fmt: skip
    assert trajectoires(jugee)
    assert "prorata" in " ".join(jugee["title"]["subtitle"])
