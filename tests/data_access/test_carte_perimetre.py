"""La référence départementale de la carte est le département lui-même, pour tout périmètre.

Sur SQLite et PostgreSQL, pour l'administrateur et pour un élu du Nord : la référence, la part
du total départemental et l'écart à la moyenne départementale de quelques cantons, la légende et
l'export CSV, face à un calcul indépendant en SQL sur `valeur` et `territoire`. Le chemin de la
carte est celui de la page : cantons lus dans le périmètre, département lu à part.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from dashboard import formats
from dashboard.carte import config as carte_config
from dashboard.carte import dessin
from dashboard.carte import mesures as mc
from dashboard.exports import en_csv
from data_access import indicateurs, series, territoires

PERIMETRES = [None, "NORD"]
CANTONS_NORD = ("6701", "6705", "6723")  # Bischwiller, Haguenau, Wissembourg : une zone chacun


def _un(conn: Connection, requete: str, **params: object) -> float | None:
    valeur = conn.execute(text(requete), params).scalar()
    return None if valeur is None else float(valeur)


SAISIE_67 = (
    "SELECT valeur FROM valeur WHERE courante AND indicateur = :i AND periode = :p "
    "AND territoire = '67'"
)
DES_CANTONS = (
    "FROM valeur v JOIN territoire t ON t.code = v.territoire WHERE v.courante "
    "AND t.niveau = 'canton' AND v.indicateur = :i AND v.periode = :p"
)
TAUX_CANTONS = (
    f"SELECT SUM(v.numerateur) * 100.0 / SUM(v.denominateur) {DES_CANTONS} "
    "AND (SELECT nature FROM indicateur WHERE code = :i) = 'taux'"
)


def departement_sql(conn: Connection, code: str, periode: str) -> float:
    """Le Bas-Rhin en SQL : sa valeur saisie, sinon la somme de tous ses cantons (le taux
    recomposé par numérateur et dénominateur pour un taux)."""
    cle = {"i": code, "p": periode}
    for requete in (SAISIE_67, TAUX_CANTONS, f"SELECT SUM(v.valeur) {DES_CANTONS}"):
        valeur = _un(conn, requete, **cle)
        if valeur is not None:
            return valeur
    raise AssertionError(f"{code} {periode} : pas de valeur départementale")


def canton_sql(conn: Connection, code: str, periode: str, canton: str) -> tuple[float, float]:
    """(valeur, population) d'un canton en SQL ; un taux recomposé quand il a ses deux termes."""
    valeur = _un(conn, "SELECT COALESCE(numerateur * 100.0 / denominateur, valeur) FROM valeur "
                       "WHERE courante AND indicateur = :i AND periode = :p AND territoire = :c",
                 i=code, p=periode, c=canton)  # fmt: skip
    population = _un(conn, "SELECT population FROM territoire WHERE code = :c", c=canton)
    assert valeur is not None and population is not None
    return valeur, population


def population_sql(conn: Connection) -> float:
    population = _un(conn, "SELECT population FROM territoire WHERE code = '67'")
    assert population is not None
    return population


def carte(
    conn: Connection, code: str, periode: str, mesure: mc.Mesure, perimetre: str | None
) -> mc.Mesures:
    """Les mesures comme la page les construit (vues.carte.build) : lectures dans le périmètre."""
    fiche = indicateurs.read_referentiel(conn).set_index("code").loc[code]
    avant = mc.un_an_avant(periode)
    lus = {"indicateur": code, "perimetre": perimetre}
    population = territoires.read_territoires(conn, niveaux=("departement",))["population"]
    departement = mc.Departement(
        series.read_valeur_departement(conn, periode=periode, **lus),
        float(population.iloc[0]),
        series.read_valeur_departement(conn, periode=avant, **lus),
    )
    return mc.build_mesures(
        series.read_par_canton(conn, periode=periode, **lus),
        indicateur=mc.Indicateur(code, fiche["libelle"], fiche["nature"], fiche["unite"]),
        periode=periode,
        mesure=mesure,
        seuil=carte_config.read_config_carte().seuil_secret,
        departement=departement,
        precedent=series.read_par_canton(conn, periode=avant, **lus),
    )


def _zone(mesures: mc.Mesures, zone: str) -> float:
    ligne = mesures.zones.set_index("zone").loc[zone]
    assert not ligne["masque"], f"{zone} masquée : choisir un autre canton pour ce test"
    return float(ligne["valeur"])


@pytest.mark.parametrize("perimetre", PERIMETRES)
def test_reference_brute_et_legende_disent_le_total_du_bas_rhin(
    conn: Connection, perimetre: str | None
) -> None:
    total = departement_sql(conn, "OO2-S.1", "2019-T2")
    mesures = carte(conn, "OO2-S.1", "2019-T2", mc.Mesure.BRUTE, perimetre)
    assert mesures.reference == pytest.approx(total)
    legende = dessin.build_legende(mesures, carte_config.read_config_carte())
    assert legende.reference == f"Bas-Rhin : {formats.nombre(total)} retours à l'emploi"
    nord = _un(conn, "SELECT SUM(v.valeur) FROM valeur v JOIN territoire t ON t.code = "
                     "v.territoire WHERE v.courante AND t.parent = 'NORD' AND "
                     "v.indicateur = 'OO2-S.1' AND v.periode = '2019-T2'")  # fmt: skip
    assert nord is not None and total > nord  # le Nord seul n'est pas le Bas-Rhin


@pytest.mark.parametrize("perimetre", PERIMETRES)
def test_part_du_total_departemental_de_cantons_du_nord(
    conn: Connection, perimetre: str | None
) -> None:
    total = departement_sql(conn, "OO2-S.1", "2019-T2")
    mesures = carte(conn, "OO2-S.1", "2019-T2", mc.Mesure.PART, perimetre)
    csv = en_csv.to_csv_bytes(mc.build_tableau(mesures, pour_csv=True)).decode("utf-8-sig")
    lignes = {li.split(";")[0]: li.split(";") for li in csv.splitlines()}
    libelles = carte_config.read_libelles_zones()
    for canton in CANTONS_NORD:
        valeur, _ = canton_sql(conn, "OO2-S.1", "2019-T2", canton)
        assert _zone(mesures, canton) == pytest.approx(valeur / total * 100)
        cellule = lignes[libelles[canton]][3].replace(",", ".")  # CSV à la française
        assert float(cellule) == round(valeur / total * 100, 1)
    assert mesures.reference_texte.startswith("Bas-Rhin : 100")
    assert formats.nombre(total) in mesures.reference_texte


@pytest.mark.parametrize("perimetre", PERIMETRES)
def test_ecart_a_la_moyenne_departementale_par_habitant(
    conn: Connection, perimetre: str | None
) -> None:
    moyenne = departement_sql(conn, "OO2-S.1", "2019-T2") / population_sql(conn)
    mesures = carte(conn, "OO2-S.1", "2019-T2", mc.Mesure.ECART, perimetre)
    for canton in CANTONS_NORD:
        valeur, population = canton_sql(conn, "OO2-S.1", "2019-T2", canton)
        attendu = valeur / population / moyenne * 100 - 100
        assert _zone(mesures, canton) == pytest.approx(attendu)
    pour_1000 = formats.nombre(moyenne * 1000, 2)
    assert mesures.reference_texte.startswith(f"0 = moyenne du Bas-Rhin, {pour_1000}")


@pytest.mark.parametrize("perimetre", PERIMETRES)
def test_ecart_au_taux_du_bas_rhin_pour_un_taux(conn: Connection, perimetre: str | None) -> None:
    taux = departement_sql(conn, "FIN-1.1", "2019")
    mesures = carte(conn, "FIN-1.1", "2019", mc.Mesure.ECART, perimetre)
    for canton in CANTONS_NORD:
        valeur, _ = canton_sql(conn, "FIN-1.1", "2019", canton)
        assert _zone(mesures, canton) == pytest.approx(valeur - taux)
    assert mesures.reference_texte == f"0 = taux du Bas-Rhin, {formats.nombre(taux, 1)}\u202f%"


@pytest.mark.parametrize("perimetre", PERIMETRES)
def test_evolution_du_bas_rhin(conn: Connection, perimetre: str | None) -> None:
    maintenant = departement_sql(conn, "OO2-S.1", "2019-T2")
    avant = departement_sql(conn, "OO2-S.1", "2018-T2")
    mesures = carte(conn, "OO2-S.1", "2019-T2", mc.Mesure.EVOLUTION, perimetre)
    assert mesures.reference == pytest.approx((maintenant / avant - 1) * 100)


@pytest.mark.parametrize("perimetre", PERIMETRES)
def test_le_total_departemental_reste_exact_sous_secret(
    conn: Connection, perimetre: str | None
) -> None:
    """A4.1 : des zones masquées (secret), mais le Bas-Rhin de la légende est le vrai total."""
    mesures = carte(conn, "A4.1", "2019-S1", mc.Mesure.BRUTE, perimetre)
    assert mesures.zones["masque"].any()
    assert mesures.reference == pytest.approx(departement_sql(conn, "A4.1", "2019-S1"))


def test_le_rang_dit_entre_quelles_zones_il_se_compte(conn: Connection) -> None:
    admin = carte(conn, "OO2-S.1", "2019-T2", mc.Mesure.BRUTE, None)
    nord = carte(conn, "OO2-S.1", "2019-T2", mc.Mesure.BRUTE, "NORD")
    assert "Rang parmi les zones du Bas-Rhin" in mc.build_tableau(admin).columns
    assert "Rang parmi les zones du territoire Nord" in mc.build_tableau(nord).columns
    haguenau = nord.zones.set_index("zone").loc["6705", "rang"]
    plus_grands = _un(conn, "SELECT COUNT(*) FROM valeur v JOIN territoire t ON t.code = "
                            "v.territoire WHERE v.courante AND t.parent = 'NORD' AND "
                            "v.indicateur = 'OO2-S.1' AND v.periode = '2019-T2' AND v.valeur > "
                            "(SELECT valeur FROM valeur WHERE courante AND territoire = '6705' "
                            "AND indicateur = 'OO2-S.1' AND periode = '2019-T2')")  # fmt: skip
    assert haguenau == (plus_grands or 0) + 1
