"""Cartes de la synthèse, sur des progressions faites à la main : ce qu'un élu lit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.modeles import synthese
from data_access.progression import COLONNES_PROGRESSIONS

FINE = "\u202f"
SOURCE_31 = "002_08888835fc8aebb3.txt §3.1, §7 (OO2)"
SOURCE_4 = "002_08888835fc8aebb3.txt §4"


def _ligne(**champs: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(COLONNES_PROGRESSIONS)
    base.update(territoire="67", en_cours=False, derive=False, comparable=True, suivi="cible",
                polarite="hausse")  # fmt: skip
    base.update(champs)
    return base


def _cadre(*lignes: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(lignes), columns=list(COLONNES_PROGRESSIONS)).astype(
        COLONNES_PROGRESSIONS
    )


def _oo2(**champs: Any) -> dict[str, Any]:
    communs = {
        "indicateur": "OO2-S.1", "nature": "flux", "unite": "retours à l'emploi",
        "periodicite": "trimestrielle", "derniere_periode": "2019-T2", "derniere_valeur": 919,
        "periode_precedente": "2019-T1", "valeur_precedente": 950, "reel": 9413,
        "donnees_au": "2019-T2",
    }  # fmt: skip
    return _ligne(**{**communs, **champs})


PROGRESSIONS = _cadre(
    _oo2(periode_cible="2019", cible=3733, attendu=1866.5, reel=1854, statut="dans la trajectoire",
         en_cours=True, source=SOURCE_4),
    _oo2(periode_cible="2017-2019", cible=10000, attendu=10000 * 30 / 36, statut="en avance",
         en_cours=True, source=SOURCE_31, libelle_cible="Objectif du plan"),
    _oo2(periode_cible="2017-2019", cible=11199, attendu=11199 * 30 / 36,
         statut="dans la trajectoire", en_cours=True, source=SOURCE_4),
    _ligne(indicateur="OO1-S.1", nature="stock", unite="allocataires", periode_cible="2018",
           cible=2000, reel=2088, attendu=2000, statut="dans la trajectoire",
           donnees_au="2018-T4", derniere_periode="2019-T2", derniere_valeur=2076,
           periode_precedente="2019-T1", valeur_precedente=2082),
    _ligne(indicateur="OO1-S.1", nature="stock", unite="allocataires", periode_cible="2019",
           cible=2000, reel=2076, attendu=2000, statut="dans la trajectoire", en_cours=True,
           donnees_au="2019-T2", derniere_periode="2019-T2", derniere_valeur=2076,
           periode_precedente="2019-T1", valeur_precedente=2082),
    _ligne(indicateur="FIN-2.1", nature="stock", unite="allocataires", suivi="sans cible",
           polarite="baisse", reel=23275, donnees_au="2019-06", derniere_periode="2019-06",
           derniere_valeur=23275, periode_precedente="2019-05", valeur_precedente=23346,
           source_indicateur="002_08888835fc8aebb3.txt §7"),
    _ligne(indicateur="SYN-1", nature="taux", unite="%", suivi="sans cible",
           statut="non renseigné", source_indicateur="002_08888835fc8aebb3.txt §5.1.6"),
)  # fmt: skip


def _cartes() -> dict[str, synthese.Carte]:
    return {c.code: c for c in synthese.build_cartes(PROGRESSIONS, mois="2019-06")}


def test_les_retours_a_l_emploi_montrent_10000_et_11199_et_pourquoi() -> None:
    carte = _cartes()["OO2-S.1"]
    assert carte.titre == "Retours à l'emploi durable"
    assert carte.reel == f"9{FINE}413" and carte.precision == "cumul depuis janvier 2017"
    assert [(c.valeur, c.attendu, c.statut) for c in carte.cibles] == [
        (f"10{FINE}000", f"8{FINE}333", "en avance"),
        (f"11{FINE}199", f"9{FINE}333", "dans la trajectoire"),
    ]
    assert (carte.cible, carte.attendu, carte.statut, carte.icone) == (
        f"10{FINE}000", f"8{FINE}333", "en avance", "▲",
    )  # fmt: skip
    assert carte.explication == (
        "Le plan vise 10 000 retours à l'emploi (§3.1) ; les objectifs des quatre territoires "
        "(§4) totalisent 11 199 : les deux sont montrés, aucun n'est recalculé."
    )
    assert carte.evolution == "+919 au cours du 2e trimestre 2019"
    assert carte.donnees_au == "2e trimestre 2019"
    # La source nomme le document (ticket 18, point 10), plus le fichier « 002_….txt ».
    assert carte.source == "PDIE 2017-2019, §3.1, §7 (OO2)"
    assert [c.source for c in carte.cibles] == ["PDIE 2017-2019, §3.1, §7 (OO2)",
                                                "PDIE 2017-2019, §4"]  # fmt: skip
    assert "prorata" in carte.modele
    assert carte.progression == 0.9413


def test_les_allocataires_en_formation_contre_la_cible_de_l_annee() -> None:
    carte = _cartes()["OO1-S.1"]
    assert (carte.reel, carte.cible, carte.attendu) == (f"2{FINE}076", f"2{FINE}000", f"2{FINE}000")
    assert carte.cibles[0].periode == "2019"
    assert carte.precision == "niveau du 2e trimestre 2019"
    assert carte.evolution == "\u22126 depuis le 1er trimestre 2019"
    assert "cible elle-même" in carte.modele


def test_le_nombre_d_allocataires_sans_cible_montre_son_evolution_mensuelle() -> None:
    carte = _cartes()["FIN-2.1"]
    assert carte.reel == f"23{FINE}275" and carte.precision == "niveau de juin 2019"
    assert carte.cible == "aucune cible" and carte.cibles == ()
    assert carte.evolution == "\u221271 depuis mai 2019"
    assert carte.statut == "non renseigné" and carte.modele == ""
    assert carte.donnees_au == "juin 2019"


def test_les_taux_de_sortie_disent_non_renseigne_honnetement() -> None:
    carte = _cartes()["SYN-1"]
    assert (carte.reel, carte.statut, carte.donnees_au) == (
        "non renseigné", "non renseigné", "non renseigné",
    )  # fmt: skip
    assert carte.icone == "○" and carte.evolution == "–"
    assert "5.1.6" in carte.explication and "Aucune valeur" in carte.explication
    assert carte.source == "PDIE 2017-2019, §5.1.6"


def test_un_indicateur_absent_n_a_pas_de_carte_et_l_ordre_est_celui_du_plan() -> None:
    codes = [c.code for c in synthese.build_cartes(PROGRESSIONS, mois="2019-06")]
    assert codes == ["OO2-S.1", "OO1-S.1", "FIN-2.1", "SYN-1"]


def test_sans_cible_pour_le_territoire_la_carte_le_dit() -> None:
    nord = _ligne(indicateur="A31.1", nature="flux", unite="contrôles", suivi="sans cible",
                  territoire="NORD", reel=31, derniere_periode="2019-12", derniere_valeur=31,
                  donnees_au="2019-12")  # fmt: skip
    cadre = _cadre(nord)
    carte = synthese.build_cartes(cadre, mois="2019-12")[0]
    assert carte.explication == synthese.SANS_CIBLE_ICI
    assert carte.precision == "en décembre 2019"


def test_un_statut_a_toujours_une_icone_et_un_mot() -> None:
    assert synthese.libelle_statut("en retard") == "▼ en retard"
    assert synthese.libelle_statut(None) == "○ non renseigné"
    assert set(synthese.ICONES_STATUT) == {
        "en avance", "dans la trajectoire", "en retard", "non renseigné", "repère",
        "non évaluable",
    }  # fmt: skip
    assert len(set(synthese.ICONES_STATUT.values())) == 6
    # Un repère dit la nature de sa cible en mots, avec sa forme (pas un émoji).
    assert synthese.libelle_statut("repère", "plafond") == "\u25c7 repère (plafond)"
    assert synthese.libelle_statut("repère", "derivee") == (
        "\u25c7 repère (cible dérivée sans règle de calcul écrite)"
    )


def test_quand_dit_la_periode_dans_une_phrase() -> None:
    assert synthese.quand("2019-06") == "en juin 2019"
    assert synthese.quand("2019-S1") == "au cours du 1er semestre 2019"
    assert synthese.quand("2018") == "en 2018"
    assert synthese.quand("2019-T1", depuis=True) == "depuis le 1er trimestre 2019"


def test_une_carte_prefere_la_cible_du_plan_et_montre_un_repere_sans_attendu() -> None:
    """Une cible du plan passe avant un repère de la même plage ; un repère seul se montre sans
    valeur attendue, avec sa nature et sa raison en mots."""
    plan = _oo2(periode_cible="2017-2019", cible=10000, attendu=8333, statut="en avance",
                en_cours=True, source=SOURCE_31, nature_cible="plan",
                trajectoire_evaluable=True, debut_donnees="2017-01")  # fmt: skip
    repere = _oo2(periode_cible="2017-2019", cible=12000, attendu=None, statut="repère",
                  en_cours=True, source=SOURCE_4, nature_cible="lien_infere",
                  trajectoire_evaluable=True, debut_donnees="2017-01")  # fmt: skip
    (carte,) = synthese.build_cartes(_cadre(repere, plan), mois="2019-06")
    assert (carte.cible, carte.statut) == (f"10{FINE}000", "en avance")
    (seul,) = synthese.build_cartes(_cadre(repere), mois="2019-06")
    assert (seul.statut, seul.icone, seul.attendu) == ("repère", "\u25c7", "–")
    assert seul.cibles[0].nature == "lien inféré"
    assert seul.cibles[0].motif.startswith("Repère, sans statut ni valeur attendue. Lien inféré")
