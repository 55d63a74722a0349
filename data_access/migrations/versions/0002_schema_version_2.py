"""Cibles avec nature et règle ; commentaires par territoire (version 2).

Révision 0002, après 0001. Les deux changements du ticket 18, que `pilotage init` faisait à la
main avant Alembic :

- `cible.nature` et `cible.regle`, avec leurs valeurs par défaut dans la base (« plan », vide) :
  les lignes existantes les reçoivent, puis le rechargement du référentiel qui suit la montée
  (`referentiel.init`) leur donne leur vraie valeur ;
- le territoire entre dans la clé de `commentaire`. Une table qui a des lignes est mise de côté
  (`commentaire_sans_territoire`) : ses lignes sont recopiées après le rechargement du
  référentiel par `commentaires.migrate_sans_territoire`, chacune vers les territoires où son
  indicateur était en retard ce mois-là, ce que juge la règle de publication (`dashboard`), hors
  de portée d'une révision ; jusque-là rien n'est effacé. Une table vide est simplement remplacée.

Chaque pas ne se fait que s'il manque : une base laissée à mi-chemin par l'ancienne migration à
la main (SQLite validait chaque ALTER TABLE) reprend là où elle s'était arrêtée.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _colonnes(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _ajouter_nature_et_regle() -> None:
    presentes = _colonnes("cible")
    nouvelles = [
        sa.Column("nature", sa.String(length=16), nullable=False, server_default="plan"),
        sa.Column("regle", sa.Text(), nullable=False, server_default=""),
    ]
    manquantes = [c for c in nouvelles if c.name not in presentes]
    if manquantes:
        with op.batch_alter_table("cible") as table:
            for colonne in manquantes:
                table.add_column(colonne)


def _mettre_de_cote_les_commentaires() -> None:
    """Retire l'ancienne table `commentaire` (clé mois × indicateur) : effacée si elle est vide,
    renommée sinon. Sur PostgreSQL, l'index de la clé primaire porte son nom dans tout le
    schéma : il est renommé avec la table, pour que la nouvelle prenne `pk_commentaire`."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM commentaire LIMIT 1")).first() is None:
        op.drop_table("commentaire")
        return
    cle = sa.inspect(bind).get_pk_constraint("commentaire").get("name")
    op.rename_table("commentaire", "commentaire_sans_territoire")
    if bind.dialect.name == "postgresql" and cle == "pk_commentaire":
        op.execute(
            "ALTER TABLE commentaire_sans_territoire "
            "RENAME CONSTRAINT pk_commentaire TO pk_commentaire_sans_territoire"
        )


def upgrade() -> None:
    _ajouter_nature_et_regle()
    if "territoire" in _colonnes("commentaire"):
        return
    _mettre_de_cote_les_commentaires()
    op.create_table(
        "commentaire",
        sa.Column("mois", sa.String(length=7), nullable=False),
        sa.Column("indicateur", sa.String(length=32), nullable=False),
        sa.Column("territoire", sa.String(length=16), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("auteur", sa.Text(), nullable=False),
        sa.Column("modifie_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demonstration", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicateur"], ["indicateur.code"], name="fk_commentaire__indicateur__indicateur"
        ),
        sa.ForeignKeyConstraint(
            ["territoire"], ["territoire.code"], name="fk_commentaire__territoire__territoire"
        ),
        sa.PrimaryKeyConstraint("mois", "indicateur", "territoire", name="pk_commentaire"),
    )


def downgrade() -> None:
    # Une base ne redescend pas : on revient en arrière en restaurant la sauvegarde faite avant
    # la mise à jour (README, « Mise en production »).
    raise NotImplementedError("retour arrière : restaurer la sauvegarde d'avant la mise à jour")
