"""Commandes `pilotage publier` et `pilotage exporter` : le tableau de bord sans navigateur.

Pour l'envoi programmé (cron) de l'édition du mois aux conseillers départementaux : l'export
d'un mois publié est celui de son édition figée, identique à ce que montre la page ; celui d'un
mois non publié est la vue en direct, marquée « provisoire » dans le fichier et dans son nom.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Connection

from config.settings import read_settings
from dashboard.exports import fichiers, tables
from dashboard.tableau_de_bord import editions
from dashboard.tableau_de_bord.contenu import TableauDeBord
from data_access import lots, periodes, territoires


class ErreurEdition(Exception):
    """Demande impossible (territoire inconnu, mois invalide) : message affiché tel quel."""


def _mois(texte: str) -> str:
    try:
        return str(periodes.Mois.parse(texte))
    except periodes.PeriodeInvalide as exc:
        message = f"mois invalide « {texte} » : attendu AAAA-MM, par exemple 2019-06"
        raise ErreurEdition(message) from exc


def tableau_a_exporter(conn: Connection, *, mois: str, territoire: str) -> TableauDeBord:
    """L'édition publiée du mois si elle existe, sinon la vue en direct (provisoire)."""
    if territoire not in editions.TERRITOIRES_EDITION:
        permis = ", ".join(editions.TERRITOIRES_EDITION)
        raise ErreurEdition(f"territoire « {territoire} » sans tableau de bord (permis : {permis})")
    publie = editions.lire_edition(conn, mois=mois, territoire=territoire)
    return publie or editions.direct(conn, mois=mois, territoire=territoire)


def demonstration(conn: Connection) -> bool:
    """Des données de démonstration ? Le réglage `PILOTAGE_DEMO` ou un lot de démonstration en
    base, la même règle que le bandeau des pages (`donnees.lectures.demonstration`)."""
    return read_settings().demo or lots.read_etat_donnees(conn)[1]


def cmd_publier(args: argparse.Namespace, conn: Connection) -> None:
    mois = _mois(args.mois)
    figes = editions.publier(conn, mois=mois, acteur=args.acteur,
                             demonstration=demonstration(conn))  # fmt: skip
    tableau = figes[territoires.DEPARTEMENT]
    print(f"Édition de {mois} {tables.etat_edition(tableau)} : "
          f"{len(figes)} tableaux figés ({', '.join(figes)}), {len(tableau.alertes)} alerte(s) "
          f"au département. Lien : /tableau-de-bord?edition={mois}")  # fmt: skip


def cmd_exporter(args: argparse.Namespace, conn: Connection) -> None:
    tableau = tableau_a_exporter(conn, mois=_mois(args.mois), territoire=args.territoire)
    octets = fichiers.exporter(tableau, args.format, demonstration=demonstration(conn))
    sortie = Path(args.sortie)
    sortie.write_bytes(octets)
    print(f"{sortie} écrit ({len(octets)} octets) : tableau de bord de {tableau.mois}, "
          f"{tableau.libelle_territoire}, {tables.etat_edition(tableau)}.")  # fmt: skip


def ajouter(sous: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Déclare `publier` et `exporter` ; leur `func` reçoit (args, conn)."""
    p_pub = sous.add_parser("publier", help="publie l'édition d'un mois (AAAA-MM)")
    p_pub.add_argument("mois", metavar="MOIS")
    p_pub.add_argument("--auteur", default=None, help="nom noté dans l'édition (défaut : $USER)")
    p_pub.set_defaults(edition=cmd_publier, transaction=True)
    p_exp = sous.add_parser("exporter", help="exporte le tableau de bord d'un mois")
    p_exp.add_argument("mois", metavar="MOIS")
    p_exp.add_argument("--format", choices=fichiers.FORMATS, required=True)
    p_exp.add_argument("--sortie", required=True, metavar="FICHIER")
    p_exp.add_argument(
        "--territoire", default=territoires.DEPARTEMENT,
        help="67 (défaut) ou un territoire d'action : NORD, OUEST, EMS, SUD",
    )  # fmt: skip
    p_exp.set_defaults(edition=cmd_exporter, transaction=False)
