"""Secret statistique : ce qu'un lecteur malintentionné pourrait recalculer, il ne le peut pas."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data_access import secret

SEUIL = 5


def cadre(*lignes: tuple[str, str, float | None]) -> pd.DataFrame:
    """Zones (code, territoire, effectif) dans l'ordre donné."""
    return pd.DataFrame(lignes, columns=["zone", "territoire", "valeur"]).astype(
        {"valeur": "float64"}
    )


def masquer(zones: pd.DataFrame) -> pd.DataFrame:
    return secret.masquer(zones, seuil=SEUIL, colonne_valeur="valeur", colonne_groupe="territoire")


def masquees(resultat: pd.DataFrame) -> set[str]:
    return set(resultat.loc[resultat["masque"], "zone"])


def recalculables(resultat: pd.DataFrame) -> set[str]:
    """Zones masquées qu'on retrouve par « total du territoire − zones visibles »."""
    trouvees = set()
    for _, groupe in resultat.groupby("territoire"):
        caches = groupe[groupe["masque"] & groupe["valeur"].notna()]
        if len(caches) == 1:
            trouvees.add(caches["zone"].iloc[0])
    return trouvees


def test_un_effectif_sous_le_seuil_est_masque_le_seuil_lui_meme_est_publie() -> None:
    resultat = masquer(
        cadre(("A", "NORD", 3), ("B", "NORD", 4), ("C", "NORD", 5), ("D", "NORD", 40))
    )
    assert masquees(resultat) == {"A", "B"}
    assert set(resultat.loc[resultat["masque"], "motif"]) == {secret.MOTIF_PRIMAIRE}
    assert not resultat.set_index("zone").loc["C", "masque"]


def test_zero_est_un_effectif_sous_le_seuil() -> None:
    resultat = masquer(cadre(("A", "SUD", 0), ("B", "SUD", 0), ("C", "SUD", 12)))
    assert masquees(resultat) == {"A", "B"}


def test_une_zone_seule_masquee_entraine_le_masquage_de_la_plus_petite_voisine() -> None:
    zones = cadre(
        ("A", "NORD", 2), ("B", "NORD", 30), ("C", "NORD", 11), ("D", "NORD", 50),
        ("E", "SUD", 8),  # plus petite au total, mais d'un autre territoire
        ("F", "SUD", 90),
    )  # fmt: skip
    resultat = masquer(zones).set_index("zone")
    assert resultat.loc["A", "motif"] == secret.MOTIF_PRIMAIRE
    assert resultat.loc["C", "motif"] == secret.MOTIF_SECONDAIRE
    assert not resultat.loc[["B", "D", "E", "F"], "masque"].any()
    assert recalculables(resultat.reset_index()) == set()


def test_sans_secret_secondaire_la_zone_serait_recalculable() -> None:
    """Le test ci-dessus prouve quelque chose : le seul secret primaire laisserait A exposée."""
    zones = cadre(("A", "NORD", 2), ("B", "NORD", 30), ("C", "NORD", 11))
    primaire = zones.assign(masque=zones["valeur"] < SEUIL)
    total = zones["valeur"].sum()
    visible = zones.loc[~primaire["masque"], "valeur"].sum()
    assert total - visible == 2
    assert recalculables(primaire) == {"A"}
    assert recalculables(masquer(zones)) == set()


def test_territoire_dont_toutes_les_zones_sont_sous_le_seuil() -> None:
    zones = cadre(("A", "OUEST", 1), ("B", "OUEST", 2), ("C", "OUEST", 4), ("D", "EMS", 300))
    resultat = masquer(zones).set_index("zone")
    assert resultat.loc[["A", "B", "C"], "masque"].all()
    assert set(resultat.loc[["A", "B", "C"], "motif"]) == {secret.MOTIF_PRIMAIRE}
    assert not resultat.loc["D", "masque"]


def test_les_totaux_des_territoires_et_du_departement_restent_exacts() -> None:
    zones = cadre(("A", "NORD", 2), ("B", "NORD", 30), ("C", "SUD", 3), ("D", "SUD", 7))
    resultat = masquer(zones)
    assert resultat.groupby("territoire")["valeur"].sum().to_dict() == {"NORD": 32, "SUD": 10}
    assert resultat["valeur"].sum() == zones["valeur"].sum()
    assert len(resultat) == len(zones)


def test_une_zone_non_renseignee_n_est_ni_masquee_ni_protectrice() -> None:
    zones = cadre(("A", "NORD", 2), ("B", "NORD", None), ("C", "NORD", 20), ("D", "NORD", 60))
    resultat = masquer(zones).set_index("zone")
    assert not resultat.loc["B", "masque"]
    assert resultat.loc["C", "motif"] == secret.MOTIF_SECONDAIRE


def test_un_taux_est_masque_quand_son_numerateur_ou_son_denominateur_est_sous_le_seuil() -> None:
    taux = pd.DataFrame(
        {
            "zone": ["A", "B", "C", "D"],
            "territoire": ["NORD", "NORD", "SUD", "SUD"],
            "numerateur": [3.0, 40.0, 50.0, 60.0],
            "denominateur": [90.0, 4.0, 100.0, 200.0],
        }
    )
    taux["effectif"] = secret.effectifs(taux, nature="taux")
    resultat = secret.masquer(
        taux, seuil=SEUIL, colonne_valeur="effectif", colonne_groupe="territoire"
    ).set_index("zone")
    assert resultat.loc[["A", "B"], "masque"].all()
    assert not resultat.loc[["C", "D"], "masque"].any()


def test_montants_et_jalons_ne_tombent_pas_sous_le_secret() -> None:
    zones = cadre(("A", "NORD", 2.0))
    assert math.isnan(secret.effectifs(zones, nature="montant").iloc[0])
    assert secret.concerne("flux") and secret.concerne("stock") and secret.concerne("taux")
    assert not secret.concerne("montant") and not secret.concerne("jalon")


def test_seuil_nul_refuse() -> None:
    with pytest.raises(ValueError, match="seuil"):
        secret.masquer(cadre(("A", "NORD", 1)), seuil=0, colonne_valeur="valeur",
                       colonne_groupe="territoire")  # fmt: skip
