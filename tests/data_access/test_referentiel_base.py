"""Le référentiel tel qu'il est en base : territoires, ressources de la convention."""

from __future__ import annotations

from sqlalchemy import Connection, select

from data_access import schema, territoires


def test_23_cantons_chacun_dans_un_territoire_d_action(conn: Connection) -> None:
    cadre = territoires.read_territoires(conn)
    cantons = cadre[cadre["niveau"] == "canton"]
    assert sorted(cantons["code"]) == [str(c) for c in range(6701, 6724)]
    assert set(cantons["parent"]) == {"NORD", "OUEST", "EMS", "SUD"}
    assert cantons["note"].str.contains("à confirmer par le Département").all()
    par_territoire = {t: territoires.cantons_de(cadre, t) for t in ("NORD", "OUEST", "EMS", "SUD")}
    assert sorted(sum(par_territoire.values(), [])) == sorted(cantons["code"])
    departement = cadre.set_index("code").loc["67", "population"]
    assert departement == cantons["population"].sum()


def test_etp_de_la_convention_tels_qu_ecrits(conn: Connection) -> None:
    r = schema.ressource
    lignes = conn.execute(
        select(r.c.objectif, r.c.partenaire, r.c.valeur, r.c.texte)
        .where(r.c.type == "etp", r.c.objectif.like("MDE-_._"))
        .order_by(r.c.objectif)
    ).all()
    mde = [li.valeur for li in lignes if li.partenaire == "MDE"]
    departement = [li.valeur for li in lignes if li.partenaire != "MDE"]
    assert mde == [1.4, 0.25, 2.0, 1.05, 2.7]
    assert departement == [1.0, 1.0, 1.8, 0.5, 0.15]
    textes = " ".join(li.texte for li in lignes)
    assert "estimé à 1,8 ETP" in textes and "0.15 ETP" in textes
