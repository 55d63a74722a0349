"""Schéma de la base, identique sur SQLite et PostgreSQL.

Les noms de contraintes viennent d'une convention de nommage, pour que les deux bases aient les
mêmes noms (et que les migrations puissent les viser). Tout changement ici est aussi une
révision de `data_access/migrations/versions/` (`python -m data_access.migrations nouvelle
"message"`) : `tests/data_access/test_migrations.py` compare ce schéma à celui des révisions.
Les périodes sont stockées sous leur code canonique (`2019-06`, `2019-T2`…) avec leurs mois de
début et de fin en `AAAA-MM`, qui se trient comme des chaînes : les filtres par date restent de
simples comparaisons indexables.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s__%(column_0_N_name)s",
        "uq": "uq_%(table_name)s__%(column_0_N_name)s",
        "ck": "ck_%(table_name)s__%(constraint_name)s",
        "fk": "fk_%(table_name)s__%(column_0_name)s__%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

MOIS = String(7)  # AAAA-MM

meta = Table(
    "meta",
    metadata,
    Column("cle", String(64), primary_key=True),
    Column("valeur", Text, nullable=False),
)

plan = Table(
    "plan",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("libelle", Text, nullable=False),
    Column("debut", MOIS, nullable=False),
    Column("fin", MOIS, nullable=False),
    Column("source", Text, nullable=False),
)

objectif = Table(
    "objectif",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("plan", ForeignKey("plan.code"), nullable=False),
    Column("parent", ForeignKey("objectif.code"), nullable=True),
    Column("niveau", String(16), nullable=False),
    Column("libelle", Text, nullable=False),
    Column("rang", Integer, nullable=False),
    Column("source", Text, nullable=False),
)

action = Table(
    "action",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("objectif", ForeignKey("objectif.code"), nullable=False),
    Column("libelle", Text, nullable=False),
    Column("leviers", Text, nullable=False, default=""),
    Column("source", Text, nullable=False),
)

indicateur = Table(
    "indicateur",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("plan", ForeignKey("plan.code"), nullable=False),
    Column("objectif", ForeignKey("objectif.code"), nullable=True),
    Column("action", ForeignKey("action.code"), nullable=True),
    Column("libelle", Text, nullable=False),
    Column("niveau", String(16), nullable=False),
    Column("nature", String(16), nullable=False),
    Column("unite", String(32), nullable=False, default=""),
    Column("periodicite", String(16), nullable=True),
    Column("polarite", String(8), nullable=False),
    Column("prioritaire", Boolean, nullable=False),
    Column("echelle", String(16), nullable=False),
    Column("definition", Text, nullable=False, default=""),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("rang", Integer, nullable=False),
)

zone_carte = Table(
    "zone_carte",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("libelle", Text, nullable=False),
    Column("population", Integer, nullable=True),
    Column("geometrie", Text, nullable=False),  # GeoJSON, lon/lat, simplifiée
)

territoire = Table(
    "territoire",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("libelle", Text, nullable=False),
    Column("niveau", String(20), nullable=False),  # departement, territoire_action, canton, commune
    Column("parent", ForeignKey("territoire.code"), nullable=True),
    Column("population", Integer, nullable=True),
    Column("zone_carte", ForeignKey("zone_carte.code"), nullable=True),
    Column("source", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Index(None, "parent"),
)

cible = Table(
    "cible",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicateur", ForeignKey("indicateur.code"), nullable=False),
    Column("territoire", ForeignKey("territoire.code"), nullable=False),
    Column("periode", String(9), nullable=False),  # 2019 ou 2017-2019
    Column("debut", MOIS, nullable=False),
    Column("fin", MOIS, nullable=False),
    Column("valeur", Float, nullable=False),
    Column("valeur_reference", Float, nullable=True),
    Column("unite", Text, nullable=False, default=""),
    Column("libelle", Text, nullable=False, default=""),
    Column("source", Text, nullable=False),
    Column("derive", Boolean, nullable=False),
    Column("lien", String(16), nullable=False),
    # Nature de la cible (`natures_cibles`) et règle d'une cible dérivée ; ajoutées par la
    # révision 0002 avec des valeurs par défaut, que le rechargement du référentiel remplace.
    Column("nature", String(16), nullable=False, server_default="plan"),
    Column("regle", Text, nullable=False, server_default=""),
    Column("note", Text, nullable=False, default=""),
    UniqueConstraint("indicateur", "territoire", "periode", "source"),
)

lot_import = Table(
    "lot_import",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("libelle", Text, nullable=False),
    Column("type", String(16), nullable=False),  # indicateurs, ressources, demo
    Column("fichier", Text, nullable=False, default=""),
    Column("sha256", String(64), nullable=False, default=""),
    Column("auteur", Text, nullable=False),
    Column("cree_le", DateTime(timezone=True), nullable=False),
    Column("lignes_ajoutees", Integer, nullable=False, default=0),
    Column("lignes_modifiees", Integer, nullable=False, default=0),
    Column("lignes_identiques", Integer, nullable=False, default=0),
    Column("statut", String(16), nullable=False),  # valide, annule
    Column("demonstration", Boolean, nullable=False, default=False),
)

valeur = Table(
    "valeur",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicateur", ForeignKey("indicateur.code"), nullable=False),
    Column("territoire", ForeignKey("territoire.code"), nullable=False),
    Column("periode", String(7), nullable=False),
    Column("debut", MOIS, nullable=False),
    Column("fin", MOIS, nullable=False),
    Column("valeur", Float, nullable=True),
    Column("numerateur", Float, nullable=True),
    Column("denominateur", Float, nullable=True),
    Column("statut", String(12), nullable=False),  # provisoire, definitif
    Column("lot", ForeignKey("lot_import.id"), nullable=False),
    # Historique : un lot plus récent remplace une valeur sans l'effacer ; `courante` marque la
    # version en vigueur, pour que les lectures n'aient pas à chercher le dernier lot par clé.
    Column("courante", Boolean, nullable=False),
    Index(None, "indicateur", "periode", "courante"),
    Index(None, "indicateur", "territoire", "courante"),
    Index(None, "lot"),
    # Étendue des données (en-tête de chaque page : premier et dernier mois) : sans ces index,
    # min(debut) et max(fin) parcourent toute la table (2 s à 24 M valeurs, bench/NOTES_ECHELLE.md).
    Index(None, "debut"),
    Index(None, "fin"),
)

# Sommes des valeurs en vigueur des cantons, par territoire d'action et par département (parent
# des territoires d'action), indicateur et période : ce que `progression` agrégeait à chaque
# lecture (330 000 valeurs pour un département à l'échelle de la France, 0,6 s). Table dérivée de
# `valeur`, tenue par `data_access.sommes` dans la transaction de chaque écriture de valeurs ;
# sans clé étrangère : elle se reconstruit entièrement (`sommes.rebuild`).
somme_cantons = Table(
    "somme_cantons",
    metadata,
    # Clé dans l'ordre des lectures : un lieu (ou quelques-uns), tous ses indicateurs.
    Column("lieu", String(16), primary_key=True),
    Column("indicateur", String(32), primary_key=True),
    Column("periode", String(7), primary_key=True),
    Column("debut", MOIS, nullable=False),
    Column("fin", MOIS, nullable=False),
    Column("somme_valeur", Float, nullable=True),
    Column("somme_numerateur", Float, nullable=True),
    Column("somme_denominateur", Float, nullable=True),
    Column("statut", String(12), nullable=False),
    Column("nb_cantons", Integer, nullable=False),
)

ressource = Table(
    "ressource",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(48), nullable=False, unique=True),
    Column("type", String(12), nullable=False),  # etp, effectif, budget
    Column("objectif", Text, nullable=False, default=""),  # stratégie, OO ou action concernée
    Column("partenaire", Text, nullable=False),
    Column("territoire", ForeignKey("territoire.code"), nullable=False),
    Column("annee", Integer, nullable=True),
    Column("valeur", Float, nullable=True),
    Column("unite", Text, nullable=False),
    Column("texte", Text, nullable=False),  # la formulation exacte du document
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("lot", ForeignKey("lot_import.id"), nullable=True),
)

# Une ressource n'a qu'une ligne par code (l'import met à jour en place) : pour qu'un lot de
# ressources s'annule comme un lot de valeurs, chaque ligne qu'il touche garde ici son état d'avant
# (`etat` « ajoutee » : elle n'existait pas ; « modifiee » : les colonnes d'avant, lot compris).
ressource_precedente = Table(
    "ressource_precedente",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lot", ForeignKey("lot_import.id"), nullable=False, index=True),
    Column("code", String(48), nullable=False),
    Column("etat", String(12), nullable=False),  # ajoutee, modifiee
    Column("type", String(12), nullable=True),
    Column("objectif", Text, nullable=True),
    Column("partenaire", Text, nullable=True),
    Column("territoire", Text, nullable=True),
    Column("annee", Integer, nullable=True),
    Column("valeur", Float, nullable=True),
    Column("unite", Text, nullable=True),
    Column("texte", Text, nullable=True),
    Column("source", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("lot_precedent", Integer, nullable=True),
)

norme = Table(
    "norme",
    metadata,
    Column("code", String(48), primary_key=True),
    Column("libelle", Text, nullable=False),
    Column("valeur", Float, nullable=True),
    Column("unite", Text, nullable=False, default=""),
    Column("territoire", Text, nullable=False, default=""),
    Column("texte", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

repere = Table(
    "repere",
    metadata,
    Column("code", String(48), primary_key=True),
    Column("libelle", Text, nullable=False),
    Column("territoire", Text, nullable=False, default=""),
    Column("periode", Text, nullable=False, default=""),
    Column("valeur", Float, nullable=True),
    Column("unite", Text, nullable=False, default=""),
    Column("texte", Text, nullable=False, default=""),
    Column("source", Text, nullable=False),
    Column("nature", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
)

ecart = Table(
    "ecart",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("sources", Text, nullable=False),
    Column("ou", Text, nullable=False),
    Column("gravite", String(16), nullable=False),
    Column("description", Text, nullable=False),
)

journal = Table(
    "journal",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quand", DateTime(timezone=True), nullable=False),
    Column("qui", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("objet", Text, nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
)

echec_connexion = Table(
    "echec_connexion",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identifiant", String(64), nullable=False),
    Column("quand", DateTime(timezone=True), nullable=False),
    Index(None, "identifiant", "quand"),
)

# Session de connexion, tenue côté serveur : le cookie signé ne porte qu'un identifiant de
# session tiré au hasard, dont la base garde l'empreinte SHA-256 (`id`), jamais la valeur (une
# copie de la base ne suffit pas à fabriquer un cookie). La base est la seule vérité partagée
# entre les processus : une session révoquée (`revoquee_le`) l'est pour tous, aussitôt.
# `empreinte_mdp` : empreinte du haché du mot de passe à la connexion (un mot de passe changé
# ferme la session même sans révocation écrite).
session_connexion = Table(
    "session_connexion",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("identifiant", String(64), nullable=False),
    Column("empreinte_mdp", String(64), nullable=False),
    Column("cree_le", DateTime(timezone=True), nullable=False),
    Column("vue_le", DateTime(timezone=True), nullable=False),
    Column("revoquee_le", DateTime(timezone=True), nullable=True),
    Column("motif", String(32), nullable=True),
    Index(None, "identifiant"),
)

# Mois publiés (tableaux de bord diffusés) : une valeur qui touche un mois publié ne change
# qu'avec une correction explicite (import avec l'option de correction).
publication = Table(
    "publication",
    metadata,
    Column("mois", MOIS, primary_key=True),
    Column("publie_le", DateTime(timezone=True), nullable=False),
    Column("publie_par", Text, nullable=False),
)

# Contenu figé d'une édition publiée : le tableau de bord tel qu'il a été diffusé, pour le
# département et pour chaque territoire d'action, en JSON. Rien ne le recalcule : une révision
# ultérieure des valeurs ne change pas ce qui a été publié.
edition = Table(
    "edition",
    metadata,
    Column("mois", ForeignKey("publication.mois"), primary_key=True),
    Column("territoire", ForeignKey("territoire.code"), primary_key=True),
    Column("contenu", Text, nullable=False),
)

# Commentaire de la mission de pilotage sur un indicateur, pour un mois et un territoire (le
# département ou un territoire d'action) : obligatoire avant de publier un mois où l'indicateur
# est « en retard » dans ce territoire, et imprimé dans le seul tableau de ce territoire (un
# retard du Nord n'explique rien au Bas-Rhin « en avance »). Les bases d'avant le territoire
# sont migrées par la révision 0002 et `data_access.commentaires.migrate_sans_territoire`.
commentaire = Table(
    "commentaire",
    metadata,
    Column("mois", MOIS, primary_key=True),
    Column("indicateur", ForeignKey("indicateur.code"), primary_key=True),
    Column("territoire", ForeignKey("territoire.code"), primary_key=True),
    Column("texte", Text, nullable=False),
    Column("auteur", Text, nullable=False),
    Column("modifie_le", DateTime(timezone=True), nullable=False),
    Column("demonstration", Boolean, nullable=False, default=False),
)

# Événement daté (convention, changement de définition, fermeture d'un service, incident de
# données) : tracé sur les courbes des indicateurs qu'il concerne. `tous_indicateurs` vrai :
# il les concerne tous ; sinon la liste est dans `annotation_indicateur`. `territoire` NULL :
# partout.
annotation = Table(
    "annotation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mois", MOIS, nullable=False),
    Column("type", String(16), nullable=False),  # convention, definition, fermeture, incident
    Column("libelle", Text, nullable=False),
    Column("territoire", ForeignKey("territoire.code"), nullable=True),
    Column("tous_indicateurs", Boolean, nullable=False),
    Column("auteur", Text, nullable=False),
    Column("cree_le", DateTime(timezone=True), nullable=False),
    Column("demonstration", Boolean, nullable=False, default=False),
    Index(None, "mois"),
)

annotation_indicateur = Table(
    "annotation_indicateur",
    metadata,
    Column("annotation", ForeignKey("annotation.id", ondelete="CASCADE"), primary_key=True),
    Column("indicateur", ForeignKey("indicateur.code"), primary_key=True),
)
