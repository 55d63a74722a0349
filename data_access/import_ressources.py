"""Import des moyens (ETP, effectifs, budgets) : contrôle, aperçu, lot, annulation.

Même déroulé que l'import des indicateurs (`data_access.imports`) : `prepare_import_ressources`
lit et contrôle tout le fichier (`moyens.read_contenu_ressources`, format :
`config/referentiel/FORMAT_RESSOURCES.md`), rassemble **toutes** les erreurs dans un
`ImportRefuse` (le même que pour les indicateurs, donc les mêmes messages `FICHIER:ligne
N:colonne: message` à l'écran et en ligne de commande) et rend l'aperçu sans rien écrire ;
`commit_import_ressources` vérifie le droit de l'acteur, refait le contrôle sous le verrou des
imports et écrit un lot de type `ressources` ; `rollback_ressources` l'annule.

Une ressource n'a qu'une ligne par code, mise à jour en place : pour que l'annulation rétablisse
l'état d'avant à l'identique, chaque ligne touchée par un lot garde son état précédent dans
`ressource_precedente`. Un lot ne s'annule que si aucune de ses lignes n'a été reprise depuis par
un autre lot (comme un lot de valeurs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd
from sqlalchemy import Connection, delete, func, select, update

from data_access import droits, lots, moyens, schema
from data_access.droits import Acteur, Droit
from data_access.fichiers_import import ConfigImport, ErreurImport, ImportRefuse, check_taille
from data_access.lots import Comptes

TYPE_LOT = "ressources"
AJOUTEE, MODIFIEE, IDENTIQUE = "ajoutee", "modifiee", "identique"
# Le verrou consultatif des imports d'indicateurs (`imports.CLE_VERROU`) : un import à la fois,
# de valeurs ou de moyens, et une annulation à la fois.
CLE_VERROU = 6_702_010
_ANCIENNES = ("valeur", "texte", "annee", "territoire", "type", "unite")


class AnnulationRefusee(Exception):
    """Le lot de ressources ne peut pas être annulé ; le message (français) dit pourquoi."""


@dataclass(frozen=True)
class ApercuRessources:
    """Ce que l'import ferait : chaque ligne du fichier face à la ressource de même code.

    `lignes` : colonnes `moyens.COLONNES_FICHIER`, plus `etat` (ajoutee, modifiee, identique) et
    l'état en base `ancien_valeur`, `ancien_texte`… ; indexées par numéro de ligne du fichier.
    """

    fichier: str
    sha256: str
    lignes: pd.DataFrame
    deja_importe: int | None

    @property
    def comptes(self) -> Comptes:
        etats = self.lignes["etat"].value_counts()
        return Comptes(int(etats.get(AJOUTEE, 0)), int(etats.get(MODIFIEE, 0)),
                       int(etats.get(IDENTIQUE, 0)))  # fmt: skip

    @property
    def sans_effet(self) -> bool:
        """Vrai si l'import ne changerait rien : aucun lot ne sera créé."""
        return self.comptes.ajoutees == 0 and self.comptes.modifiees == 0

    def par_etat(self, etat: str) -> pd.DataFrame:
        return self.lignes[self.lignes["etat"] == etat]


@dataclass(frozen=True)
class ResultatRessources:
    """Un import confirmé : son lot (None s'il ne changeait rien), ses comptes, son aperçu."""

    lot: int | None
    comptes: Comptes
    apercu: ApercuRessources


def _existantes(conn: Connection, codes: list[str]) -> dict[str, dict[str, object]]:
    r = schema.ressource
    colonnes = (r.c.id, r.c.lot, *(r.c[c] for c in moyens.COLONNES_FICHIER))
    return {
        str(x["code"]): dict(x)
        for x in conn.execute(select(*colonnes).where(r.c.code.in_(codes))).mappings()
    }


def _etat(ligne: dict[str, object], ancienne: dict[str, object] | None) -> str:
    if ancienne is None:
        return AJOUTEE
    comparees = [c for c in moyens.COLONNES_FICHIER if c != "code"]
    memes = all(moyens._memes(_valeur(ligne[c]), ancienne[c]) for c in comparees)
    return IDENTIQUE if memes else MODIFIEE


def _valeur(x: object) -> object:
    """NA de pandas → None, pour comparer à la base ; note vide ↔ chaîne vide."""
    return None if x is None or x is pd.NA or (isinstance(x, float) and x != x) else x


def _deja_importe(conn: Connection, sha256: str) -> int | None:
    lot = schema.lot_import
    return conn.execute(
        select(func.max(lot.c.id)).where(
            lot.c.sha256 == sha256, lot.c.statut == "valide", lot.c.type == TYPE_LOT
        )
    ).scalar()


def prepare_import_ressources(
    conn: Connection, *, nom: str, contenu: bytes, config: ConfigImport | None = None
) -> ApercuRessources:
    """Contrôle tout le fichier et rend l'aperçu ; lève `ImportRefuse` avec TOUTES les erreurs.

    N'écrit rien. La taille maximale est celle des indicateurs (`config/import.toml`).
    """
    fichier = PurePath(nom).name
    check_taille(fichier, len(contenu), config=config)
    lues, erreurs = moyens.read_contenu_ressources(fichier, contenu, conn=conn)
    if erreurs:
        raise ImportRefuse([ErreurImport(e.fichier, e.ligne, e.colonne, e.message)
                            for e in erreurs])  # fmt: skip
    lues = lues.assign(note=lues["note"].fillna(""))
    existantes = _existantes(conn, [str(c) for c in lues["code"]])
    etats, anciennes = [], {f"ancien_{c}": [] for c in _ANCIENNES}  # type: ignore[var-annotated]
    for ligne in lues.to_dict("records"):
        ancienne = existantes.get(str(ligne["code"]))
        etats.append(_etat(ligne, ancienne))
        for c in _ANCIENNES:
            anciennes[f"ancien_{c}"].append(None if ancienne is None else ancienne[c])
    lignes = lues.assign(etat=etats, **anciennes)
    sha256 = hashlib.sha256(contenu).hexdigest()
    return ApercuRessources(fichier, sha256, lignes, _deja_importe(conn, sha256))


def _verrouiller(conn: Connection) -> None:
    """Le verrou des imports (voir `imports._verrouiller`) : PostgreSQL, verrou consultatif
    jusqu'à la fin de la transaction ; SQLite, une écriture vide qui prend le verrou de la base."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(CLE_VERROU)))
    else:
        lot = schema.lot_import
        conn.execute(update(lot).where(lot.c.id == -1).values(statut=lot.c.statut))


def _garder_precedentes(conn: Connection, lot: int, apercu: ApercuRessources) -> None:
    """L'état d'avant de chaque ligne que le lot va ajouter ou modifier."""
    touchees = apercu.lignes[apercu.lignes["etat"] != IDENTIQUE]
    existantes = _existantes(conn, [str(c) for c in touchees["code"]])
    lignes = []
    for code, etat in zip(touchees["code"], touchees["etat"], strict=True):
        ancienne = existantes.get(str(code))
        # Toutes les colonnes sur chaque ligne : une insertion groupée prend celles de la première.
        avant = {
            c: ancienne[c] if ancienne else None for c in moyens.COLONNES_FICHIER if c != "code"
        }
        lignes.append({"lot": lot, "code": str(code), "etat": etat, **avant,
                       "lot_precedent": ancienne["lot"] if ancienne else None})  # fmt: skip
    if lignes:
        conn.execute(schema.ressource_precedente.insert(), lignes)


def commit_import_ressources(
    conn: Connection,
    *,
    nom: str,
    contenu: bytes,
    acteur: Acteur,
    attendu: Comptes | None = None,
    config: ConfigImport | None = None,
) -> ResultatRessources:
    """Contrôle de nouveau puis écrit le fichier en un lot, dans la transaction de l'appelant.

    `acteur` doit pouvoir importer des moyens (`DroitRefuse` sinon, avant toute lecture du
    fichier), et un compte à périmètre seulement pour son territoire et ses cantons. `attendu` :
    les comptes de l'aperçu confirmé ; si la base a changé depuis, l'import est refusé. Un fichier
    qui ne change rien ne crée pas de lot.
    """
    droits.exiger(acteur, Droit.IMPORTER_MOYENS)
    _verrouiller(conn)
    apercu = prepare_import_ressources(conn, nom=nom, contenu=contenu, config=config)
    lieux = apercu.lignes["territoire"].dropna().astype(str).unique()
    droits.exiger(acteur, Droit.IMPORTER_MOYENS, conn=conn, lieux=lieux)
    if attendu is not None and apercu.comptes != attendu:
        raise ImportRefuse([ErreurImport(apercu.fichier, None, None, "les moyens en base ont "
                                         "changé depuis l'aperçu (un autre import ?) : revoyez "
                                         "l'aperçu, puis confirmez de nouveau")])  # fmt: skip
    if apercu.sans_effet:
        return ResultatRessources(None, apercu.comptes, apercu)
    auteur = acteur.identifiant
    lot = lots.create_lot(conn, libelle=f"Moyens : {apercu.fichier}", type_=TYPE_LOT,
                          auteur=auteur, fichier=apercu.fichier, sha256=apercu.sha256)  # fmt: skip
    _garder_precedentes(conn, lot, apercu)
    entree = apercu.lignes[list(moyens.COLONNES_FICHIER)]
    comptes = moyens.write_ressources(conn, lot=lot, lignes=entree)
    lots.close_lot(conn, lot=lot, comptes=comptes)
    lots.write_journal(conn, qui=auteur, action="import ressources", objet=f"lot {lot}",
                       detail=f"{apercu.fichier} (sha256 {apercu.sha256[:12]}…) : "
                       f"{comptes.ajoutees} ajoutée(s), {comptes.modifiees} modifiée(s), "
                       f"{comptes.identiques} identique(s)")  # fmt: skip
    return ResultatRessources(lot, comptes, apercu)


def lots_repris(conn: Connection) -> dict[int, int]:
    """Lot de ressources → premier lot qui a repris une de ses lignes depuis (il faut annuler
    celui-là d'abord). Une ligne reprise a, en base, un autre lot que celui qui l'a écrite."""
    p, r = schema.ressource_precedente, schema.ressource
    requete = (
        select(p.c.lot, func.min(r.c.lot))
        .select_from(p.join(r, r.c.code == p.c.code))
        # Seul un lot plus récent reprend une ligne : après l'annulation d'un lot, ses lignes
        # modifiées reviennent à un lot plus ancien, qui n'a rien repris.
        .where(r.c.lot > p.c.lot)
        .group_by(p.c.lot)
    )
    return {int(lot): int(par) for lot, par in conn.execute(requete)}


def rollback_ressources(conn: Connection, *, lot: int, acteur: Acteur) -> tuple[int, int]:
    """Annule un lot de ressources : ses ajouts sont retirés, ses modifications rendues à leur
    état d'avant (lot compris). Rend (retirées, rétablies). Lève `AnnulationRefusee` si une de
    ses lignes a été reprise depuis par un autre lot, ou s'il est déjà annulé. `acteur` doit
    pouvoir annuler, et pour un compte à périmètre sur chaque territoire que le lot touche.
    """
    droits.exiger(acteur, Droit.ANNULER)
    _verrouiller(conn)
    p, r, lt = schema.ressource_precedente, schema.ressource, schema.lot_import
    fiche = conn.execute(select(lt.c.type, lt.c.statut).where(lt.c.id == lot)).first()
    if fiche is None or fiche.type != TYPE_LOT:
        raise AnnulationRefusee(f"le lot {lot} n'est pas un import de moyens")
    avant = [dict(x) for x in conn.execute(select(p).where(p.c.lot == lot)).mappings()]
    lieux = {str(x["territoire"]) for x in avant if x["territoire"]}
    lieux |= set(conn.execute(select(r.c.territoire).where(r.c.lot == lot)).scalars())
    droits.exiger(acteur, Droit.ANNULER, conn=conn, lieux=lieux)
    if fiche.statut != "valide":
        raise AnnulationRefusee(f"le lot {lot} est déjà annulé")
    if lot in (repris := lots_repris(conn)):
        par = repris[lot]
        raise AnnulationRefusee(
            f"des moyens du lot {lot} ont été repris depuis par le lot {par} : annulez d'abord "
            f"le lot {par}"
        )
    retirees = retablies = 0
    for x in avant:
        if x["etat"] == AJOUTEE:
            retirees += conn.execute(
                delete(r).where(r.c.code == x["code"], r.c.lot == lot)
            ).rowcount
        else:
            colonnes = {c: x[c] for c in moyens.COLONNES_FICHIER if c != "code"}
            retablies += conn.execute(
                update(r).where(r.c.code == x["code"], r.c.lot == lot)
                .values(**colonnes, lot=x["lot_precedent"])
            ).rowcount  # fmt: skip
    conn.execute(update(lt).where(lt.c.id == lot).values(statut="annule"))
    lots.write_journal(conn, qui=acteur.identifiant, action="annulation", objet=f"lot {lot}",
                       detail=f"{retirees} moyen(s) retiré(s), {retablies} version(s) "
                       "précédente(s) rétablie(s)")  # fmt: skip
    return retirees, retablies
