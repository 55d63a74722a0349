"""Page « Objectifs » (AppTest) : barres de progression, bilans, filtre territorial, fiche."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import formats
from data_access import plan, progression
from tests.app.aides import bloc, connexion, entier, jeux_graphique, page, textes, valeur_barre

pytestmark = pytest.mark.usefixtures("environnement")


def _cibles(environnement: Path, code: str, territoire: str, mois: str) -> pd.DataFrame:
    with connexion(environnement) as conn:
        lignes = progression.read_progressions(
            conn, indicateurs=[code], territoire=territoire, mois=mois
        )
    return lignes[lignes["suivi"] == "cible"]


def test_la_barre_des_retours_a_l_emploi(environnement: Path) -> None:
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67"})
    cibles = _cibles(environnement, "OO2-S.1", "67", "2019-06")
    plan31 = cibles[cibles["source"].str.contains("§3.1")].iloc[0]
    ligne = bloc(at.main, "indicateur_OO2-S-1")
    barre = ligne.get("progress")[0].proto
    assert barre.value == valeur_barre(plan31["reel"], plan31["cible"])
    assert barre.text == (
        f"Réalisé {formats.nombre(plan31['reel'])} sur une cible de "
        f"{formats.nombre(plan31['cible'])} (2017-2019) · attendu à la date : "
        f"{entier(plan31['attendu'])} · ▲ {plan31['statut']}"
    )
    # Le modèle de la valeur attendue est dit sous la barre, avec la période jugée.
    legende = " ".join(textes(ligne))
    assert "Valeur attendue : la cible répartie au prorata" in legende
    assert f"Jugé sur : {formats.periode(plan31['donnees_au'])} (trimestrielle)" in legende


def test_tous_les_indicateurs_sont_dans_l_arbre_et_chaque_statut_est_ecrit(
    environnement: Path,
) -> None:
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67"})
    with connexion(environnement) as conn:
        arbre = plan.read_arbre(conn)
    codes = arbre.loc[arbre["type"] == "indicateur", "code"]
    assert len(codes) > 60
    for code in codes:
        assert bloc(at.main, f"indicateur_{code.replace('.', '-')}") is not None, code
    lus = " ".join(textes(at.main))
    # Au département, les « retards » de juin 2019 étaient des repères (lien inféré, plafond,
    # cible dérivée sans règle) : ils sont écrits comme tels ; le retard du NORD est vérifié
    # par `test_au_territoire_un_indicateur_departemental_est_non_decline`.
    for statut in ("▲ en avance", "● dans la trajectoire", "○ non renseigné",
                   "\u25c7 repère (plafond)", "\u25c7 repère (lien inféré)"):  # fmt: skip
        assert statut in lus


def test_un_semestriel_est_juge_sur_son_dernier_semestre(environnement: Path) -> None:
    at = page("pilotage", "objectifs", {"periode": "2019-08", "territoire": "67"})
    cibles = _cibles(environnement, "OO3-S.1", "67", "2019-08")
    assert set(cibles.loc[cibles["en_cours"], "donnees_au"]) == {"2019-S1"}
    ligne = bloc(at.main, "indicateur_OO3-S-1")
    assert "Jugé sur : 1er semestre 2019 (semestrielle)" in " ".join(textes(ligne))


COLONNES_BILAN = ("Sur la trajectoire", "En retard", "Non renseignés", "Repères",
                  "Non évaluables", "Sans cible")  # fmt: skip
REPERES_OO2 = text("""
    SELECT COUNT(*) FROM (
        SELECT c.indicateur
        FROM cible c JOIN indicateur i ON i.code = c.indicateur
        LEFT JOIN action a ON a.code = i.action
        WHERE c.territoire = '67' AND c.debut <= :mois
          AND (i.objectif = 'OO2' OR a.objectif = 'OO2')
        GROUP BY c.indicateur
        HAVING SUM(CASE WHEN c.nature = 'plan' OR (c.nature = 'derivee' AND c.regle <> '')
                        THEN 1 ELSE 0 END) = 0
    ) reperes
""")


def test_bilans_par_os_et_oo(environnement: Path) -> None:
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67"})
    bilans = at.dataframe[0].value.set_index("Objectif")
    oo2 = next(i for i in bilans.index if i.startswith("OO2 · "))
    lignes = [bloc(at.main, f"indicateur_{c}") for c in ("OO2-S-1", "A2-1", "A4-1", "A6-1")]
    assert all(lignes)
    assert bilans.loc[oo2, "Niveau"] == "OO"
    nb = int(bilans.loc[oo2, "Indicateurs suivis"])
    comptes = {c: int(str(bilans.loc[oo2, c]).split(" ")[0]) for c in COLONNES_BILAN}
    assert nb == 12 and sum(comptes.values()) == nb
    # Les indicateurs de l'OO2 dont toutes les cibles commencées ne sont que des repères sont
    # comptés « Repères », jamais « En retard » (la version précédente en comptait en retard).
    with connexion(environnement) as conn:
        reperes = conn.execute(REPERES_OO2, {"mois": "2019-06"}).scalar_one()
    assert reperes >= 5 and comptes["Repères"] == reperes
    assert any(e.label.startswith("**OO2** ·") and f"{nb} indicateurs" in e.label
               for e in at.expander)  # fmt: skip


def test_au_territoire_un_indicateur_departemental_est_non_decline(environnement: Path) -> None:
    with connexion(environnement) as conn:
        arbre = plan.read_arbre(conn, racines=("finalite",))
    departementaux = arbre[(arbre["type"] == "indicateur") & (arbre["echelle"] == "departement")]
    code = str(departementaux["code"].iloc[0])
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "NORD"})
    ligne = bloc(at.main, f"indicateur_{code.replace('.', '-')}")
    assert any(t.startswith("**non décliné**") for t in textes(ligne))
    assert not ligne.get("progress")
    # Au Nord, les retours à l'emploi sont jugés sur la cible du §4 du territoire.
    cible = _cibles(environnement, "OO2-S.1", "NORD", "2019-06")
    cible = cible[cible["periode_cible"] == "2017-2019"].iloc[0]
    barre = bloc(at.main, "indicateur_OO2-S-1").get("progress")[0].proto
    assert f"sur une cible de {formats.nombre(cible['cible'])} (2017-2019)" in barre.text
    assert barre.text.endswith("▼ en retard") and cible["statut"] == "en retard"


def test_la_convention_mde_montre_depart_et_cible(environnement: Path) -> None:
    at = page("admin", "objectifs", {"periode": "2019-06"})
    with connexion(environnement) as conn:
        mde = progression.read_progressions(
            conn, indicateurs=["MDE-I2"], territoire="EMS", mois="2019-06", cibles_a_venir=True
        ).iloc[0]
    attendu = f"{formats.nombre(mde['valeur_reference'])} → {formats.nombre(mde['cible'])}"
    ligne = bloc(at.main, "indicateur_MDE-I2")
    assert any(f"Cible **{attendu}** ({mde['periode_cible']})" in t for t in textes(ligne))
    assert "pas encore commencée" in " ".join(textes(ligne))


def test_la_fiche_s_ouvre_depuis_l_url(environnement: Path) -> None:
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67",
                                        "fiche": "OO2-S.1"})  # fmt: skip
    fiche = bloc(at.main, "fiche_ouverte")
    assert fiche is not None
    assert fiche.get("subheader")[0].value.startswith("Fiche OO2-S.1 · ")
    lus = " ".join(textes(fiche))
    for rubrique in ("Définition", "Unité", "Nature", "Périodicité", "Polarité", "Source"):
        assert f"**{rubrique}**" in lus
    assert "**Source** : PDIE 2017-2019, §7" in lus  # le document…
    assert "**Fichier source** : 002_08888835fc8aebb3.txt §7" in lus  # …et son fichier
    with connexion(environnement) as conn:
        serie = progression.read_series(conn, indicateurs=["OO2-S.1"], territoire="67")
    serie = serie[serie["fin"] <= "2019-06"].sort_values("fin")
    valeurs = fiche.get("dataframe")[0].value
    assert len(valeurs) == len(serie)
    assert valeurs.iloc[0]["Période"] == formats.periode(serie["periode"].iloc[-1])
    assert valeurs.iloc[0]["Valeur"] == formats.nombre(serie["valeur"].iloc[-1])
    # Le graphique : le cumul depuis janvier 2017 jusqu'au réalisé, et les droites attendues
    # vers chacune des deux cibles du plan (10 000 et 11 199).
    cibles = _cibles(environnement, "OO2-S.1", "67", "2019-06")
    cibles = cibles[cibles["periode_cible"] == "2017-2019"]
    jeux = jeux_graphique(fiche.get("vega_lite_chart")[0])
    assert jeux[0]["y"].iloc[-1] == cibles["reel"].iloc[0]
    droites = {
        float(t["attendu"].max())
        for j in jeux
        if "attendu" in j.columns
        for _, t in j.groupby("serie")  # une série par trajectoire, dans la même couche
    }
    assert droites == set(cibles["cible"])
    assert at.query_params["fiche"] == "OO2-S.1"


def test_le_bouton_fiche_ouvre_puis_ferme_la_fiche() -> None:
    at = page("pilotage", "objectifs", {"periode": "2019-06", "territoire": "67"})
    assert bloc(at.main, "fiche_ouverte") is None
    at.button(key="fiche_A31-1").click().run()
    assert not at.exception
    fiche = bloc(at.main, "fiche_ouverte")
    assert fiche.get("subheader")[0].value.startswith("Fiche A31.1 · ")
    assert at.query_params["fiche"] == "A31.1"
    at.button(key="fiche_A31-1").click().run()
    assert bloc(at.main, "fiche_ouverte") is None
    assert "fiche" not in at.query_params


def test_un_elu_du_nord_ne_voit_pas_la_convention_mde() -> None:
    at = page("elu-nord", "objectifs", {"periode": "2019-06"})
    assert bloc(at.main, "indicateur_OO2-S-1") is not None
    assert bloc(at.main, "indicateur_MDE-I2") is None
    assert "hors de votre périmètre" in at.info[-1].value


def test_un_trait_marque_la_valeur_attendue_sous_la_barre(environnement: Path) -> None:
    at = page("admin", "objectifs", {"periode": "2019-06"})
    reperes = [h.proto.body for h in at.get("html") if "▲ attendu" in h.proto.body]
    assert reperes, "chaque barre avec une cible porte son repère « attendu »"
    with connexion(environnement) as conn:
        cadre = progression.read_progressions(
            conn, indicateurs=["OO2-S.1"], territoire="67", mois="2019-06"
        )
    cadre = cadre.dropna(subset=["attendu", "cible"])
    rapports = cadre["attendu"] / cadre["cible"] * 100
    positions = {f"left:{r:.1f}%" for r in rapports}
    assert any(p in r for p in positions for r in reperes)


@pytest.mark.parametrize("identifiant", ["pilotage", "elu-nord"])
def test_le_plafond_et_le_lien_infere_sont_des_reperes_sans_retard(
    environnement: Path, identifiant: str
) -> None:
    """A7.1 (budget de l'ADE, un plafond) et A6.1 (participants FSE 2015-2020, lien inféré) :
    leur nature en mots, aucun « en retard », aucune valeur attendue ; pour l'élu du NORD aussi,
    au département (dans tout périmètre)."""
    at = page(identifiant, "objectifs", {"periode": "2019-12", "territoire": "67"})
    with connexion(environnement) as conn:
        natures = dict(conn.execute(text(
            "SELECT indicateur, MIN(nature) FROM cible WHERE indicateur IN ('A7.1', 'A6.1') "
            "GROUP BY indicateur HAVING COUNT(DISTINCT nature) = 1"
        )).all())  # fmt: skip
        reel = progression.read_progression(conn, indicateur="A7.1", territoire="67",
                                            mois="2019-12")  # fmt: skip
    assert natures == {"A7.1": "plafond", "A6.1": "lien_infere"}
    for code, mots in (("A7.1", "plafond"), ("A6.1", "lien inféré")):
        lus = " ".join(textes(bloc(at.main, f"indicateur_{code.replace('.', '-')}")))
        assert f"\u25c7 repère ({mots})" in lus, code
        assert "en retard" not in lus and "attendu à la date" not in lus, code
    a71 = bloc(at.main, "indicateur_A7-1")
    barre = a71.get("progress")[0].proto
    derniere = reel[reel["periode_cible"] == "2019"].iloc[0]
    assert barre.text.startswith(
        f"Réalisé {formats.valeur(derniere['reel'], '€')} face à un repère de "
        f"{formats.valeur(derniere['cible'], '€')} (2019), sans valeur attendue"
    )
    assert "Plafond : enveloppe à ne pas dépasser" in " ".join(textes(a71))
    a61 = " ".join(textes(bloc(at.main, "indicateur_A6-1")))
    assert "Trajectoire non évaluable : la cible (2015-2020) court depuis janvier 2015" in a61
