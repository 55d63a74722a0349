"""`pilotage init` migre les commentaires d'une base de la version précédente (sans territoire),
sur SQLite et PostgreSQL : aucun n'est perdu, chacun va au territoire où son indicateur était en
retard ce mois-là (au département s'il ne l'était nulle part), les éditions publiées ne bougent pas.

La base est faite comme la version précédente la laissait : toutes les tables d'aujourd'hui, sauf
`commentaire`, recréée telle qu'elle était (clé mois × indicateur), et sans la table
`alembic_version` (les migrations versionnées sont venues après) ; `pilotage init` la monte par
la révision 0002, puis recopie les commentaires. Les retards viennent de valeurs
importées par le test : le Nord presque à zéro, les trois autres territoires très au-dessus de
leurs cibles ; seul OO2-S.1 a des valeurs. Tout est relu en SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

from dashboard import cli
from dashboard.tableau_de_bord import editions
from data_access import engine, imports, referentiel, schema
from data_access.droits import administrateur_local
from tests.bases import comme_avant_alembic

PUBLIE, EN_COURS = "2019-05", "2019-06"
QUAND = datetime(2019, 7, 1, 9, 30, tzinfo=UTC)


def _commentaire_de_la_version_precedente() -> Table:
    """La table `commentaire` telle que la version précédente la créait."""
    ancienne = MetaData(naming_convention=schema.metadata.naming_convention)
    Table("indicateur", ancienne, Column("code", String(32), primary_key=True))
    return Table(
        "commentaire",
        ancienne,
        Column("mois", String(7), primary_key=True),
        Column("indicateur", ForeignKey("indicateur.code"), primary_key=True),
        Column("texte", Text, nullable=False),
        Column("auteur", Text, nullable=False),
        Column("modifie_le", DateTime(timezone=True), nullable=False),
        Column("demonstration", Boolean, nullable=False, default=False),
    )


def _valeurs(eng: Engine) -> None:
    """OO2-S.1 en 2019-T1 et 2019-T2 : 1 par canton du Nord, 5 000 par canton ailleurs."""
    with eng.begin() as conn:
        cantons = conn.execute(
            text("SELECT code, parent FROM territoire WHERE niveau = 'canton' ORDER BY code")
        ).all()
        lignes = ["indicateur;territoire;periode;valeur"] + [
            f"OO2-S.1;{code};{trimestre};{1 if parent == 'NORD' else 5000}"
            for code, parent in cantons
            for trimestre in ("2019-T1", "2019-T2")
        ]
        contenu = ("\n".join(lignes) + "\n").encode()
        imports.commit_import(
            conn, nom="migration.csv", contenu=contenu, acteur=administrateur_local("test")
        )


def _publier_mai(eng: Engine) -> None:
    with eng.begin() as conn:
        for r in editions.a_commenter(conn, mois=PUBLIE):
            editions.commenter(
                conn,
                mois=PUBLIE,
                indicateur=r.code,
                territoire=r.territoire,
                texte="Commentaire publié.",
                acteur=administrateur_local("pilotage"),
            )
        editions.publier(conn, mois=PUBLIE, acteur=administrateur_local("pilotage"), quand=QUAND)


# (mois, indicateur, texte, auteur, demonstration) → territoires attendus après la migration.
ANCIENS = {
    (PUBLIE, "OO2-S.1", "Mai : le Nord recrute moins.", "mp", False): {"NORD"},
    (EN_COURS, "OO2-S.1", "Juin : le Nord recrute toujours moins.", "mp", True): {"NORD"},
    (EN_COURS, "OO3-S.1", "Juin : écrit d'avance, sans retard.", "mp", False): {"67"},
}


def _version_precedente(eng: Engine) -> None:
    """Remplace `commentaire` par la table de la version précédente et y met `ANCIENS` ; retire
    `alembic_version`, que la version précédente ne connaissait pas."""
    with eng.begin() as conn:
        comme_avant_alembic(conn)
        schema.commentaire.drop(conn)
        ancienne = _commentaire_de_la_version_precedente()
        ancienne.create(conn)
        conn.execute(
            ancienne.insert(),
            [{"mois": m, "indicateur": i, "texte": t, "auteur": a, "demonstration": d,
              "modifie_le": QUAND} for m, i, t, a, d in ANCIENS],
        )  # fmt: skip


def _commentaires(eng: Engine) -> set[tuple[object, ...]]:
    with eng.connect() as conn:
        lignes = conn.execute(
            text("SELECT mois, indicateur, texte, auteur, demonstration, territoire, modifie_le "
                 "FROM commentaire")
        ).all()  # fmt: skip
    return {(m, i, t, a, bool(d), ter, _utc(q)) for m, i, t, a, d, ter, q in lignes}


def _utc(quand: datetime | str) -> datetime:
    """SQLite rend la date en texte ou sans fuseau (écrite en UTC)."""
    lu = datetime.fromisoformat(quand) if isinstance(quand, str) else quand
    return lu if lu.tzinfo else lu.replace(tzinfo=UTC)


def _editions(eng: Engine) -> list[tuple[object, ...]]:
    with eng.connect() as conn:
        return sorted(conn.execute(select(schema.edition)).all(), key=repr)


@pytest.fixture
def base_de_la_version_precedente(url_vide: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    eng = engine.create(url_vide)
    with eng.begin() as conn:
        referentiel.init(conn)
    _valeurs(eng)
    _publier_mai(eng)
    _version_precedente(eng)
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    return eng


def test_pilotage_init_garde_chaque_commentaire_et_le_rattache_a_son_territoire(
    base_de_la_version_precedente: Engine,
) -> None:
    eng = base_de_la_version_precedente
    publiees = _editions(eng)
    assert {e.territoire for e in publiees} == set(editions.TERRITOIRES_EDITION)

    cli.main(["init"])

    attendus = {
        (m, i, t, a, d, territoire, QUAND)
        for (m, i, t, a, d), territoires in ANCIENS.items()
        for territoire in territoires
    }
    assert _commentaires(eng) == attendus
    assert not inspect(eng).has_table("commentaire_sans_territoire")
    assert _editions(eng) == publiees, "les éditions publiées gardent ce qu'elles ont publié"
    with eng.connect() as conn:
        nord = editions.construire(conn, mois=EN_COURS, territoire="NORD")
        departement = editions.construire(conn, mois=EN_COURS, territoire="67")
    (ligne,) = [i for i in nord.indicateurs if i.code == "OO2-S.1"]
    assert ligne.statut == "en retard"
    assert ligne.commentaire == "Juin : le Nord recrute toujours moins."
    assert ligne.commentaire_demo
    assert {i.commentaire for i in departement.indicateurs if i.code == "OO2-S.1"} == {""}

    cli.main(["init"])
    assert _commentaires(eng) == attendus, "un second init ne change rien"
    eng.dispose()
