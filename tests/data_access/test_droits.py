"""Droits d'écriture vérifiés dans la fonction qui écrit, sur SQLite et PostgreSQL (ticket 19).

Cacher un bouton ne protège rien : chaque fonction d'écriture est appelée ici directement, comme
le ferait un script ou une page oubliée, par un `lecteur` et par un compte de la mission de
pilotage limité au territoire NORD qui écrit ailleurs. Chaque appel doit être refusé avec son
message français, et la base ne doit pas avoir bougé (nombre de lignes et empreinte de chaque
table). Un cas autorisé par fonction montre que le contrôle ne bloque pas tout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, select

from dashboard.tableau_de_bord import editions
from data_access import annotations, commentaires, imports, publications, schema
from data_access.droits import (
    Acteur,
    ActeurLocal,
    Droit,
    DroitRefuse,
    administrateur_local,
    exiger,
)
from tests.bases import empreinte_base

ADMIN = administrateur_local("admin")
LECTEUR = ActeurLocal("lecteur", "lecteur")
MISSION = ActeurLocal("mission", "pilotage")
NORD = ActeurLocal("pil-nord", "pilotage", "NORD")
CANTON_NORD, CANTON_SUD = "6701", "6704"  # cantons des territoires NORD et SUD
MOIS = "2019-06"
AUJOURDHUI = date(2020, 2, 1)


def _fichier(canton: str, valeur: int = 4321) -> bytes:
    return f"indicateur;territoire;periode;valeur\nOO2-S.1;{canton};2019-T4;{valeur}\n".encode()


def _importer(conn: Connection, acteur: Acteur, canton: str) -> int | None:
    return imports.commit_import(
        conn, nom="droits.csv", contenu=_fichier(canton), acteur=acteur, aujourdhui=AUJOURDHUI
    ).lot


def _lot(conn: Connection, ou: str) -> int:
    """Un lot importé par l'administrateur, à annuler ensuite (hors du NORD, ou dans le NORD)."""
    lot = _importer(conn, ADMIN, CANTON_SUD if ou == "ailleurs" else CANTON_NORD)
    assert lot is not None
    return lot


def _annotation(conn: Connection, territoire: str | None, acteur: Acteur = ADMIN) -> int:
    return annotations.add_annotation(
        conn, mois="2019-03", type="incident", libelle="Panne du flux", indicateurs=None,
        territoire=territoire, acteur=acteur,
    )  # fmt: skip


def _commenter_retards(conn: Connection) -> None:
    """Chaque retard du mois commenté par la mission : la publication est alors possible."""
    for r in editions.a_commenter(conn, mois=MOIS):
        editions.commenter(conn, mois=MOIS, indicateur=r.code, territoire=r.territoire,
                           texte="Expliqué.", acteur=MISSION)  # fmt: skip


@dataclass(frozen=True)
class Ecriture:
    """Une fonction d'écriture : ce qu'il faut avant (`preparer`, fait par l'administrateur, sa
    valeur est passée à `ecrire`), l'écriture hors du territoire NORD (`ailleurs`) et celle que
    le compte NORD peut faire (`chez_soi`, None pour un droit de tout le département)."""

    droit: Droit
    ailleurs: Callable[[Connection, Acteur, Any], object]
    hors: str  # les territoires cités par le refus au compte NORD ; vide : droit départemental
    chez_soi: Callable[[Connection, Acteur, Any], object] | None = None
    preparer: Callable[[Connection, str], Any] = lambda _conn, _ou: None


ECRITURES = {
    "commit_import": Ecriture(
        Droit.IMPORTER,
        ailleurs=lambda conn, a, _: _importer(conn, a, CANTON_SUD),
        hors=CANTON_SUD,
        chez_soi=lambda conn, a, _: _importer(conn, a, CANTON_NORD),
    ),
    "rollback_lot": Ecriture(
        Droit.ANNULER,
        preparer=_lot,
        ailleurs=lambda conn, a, lot: imports.rollback_lot(conn, lot=lot, acteur=a),
        hors=CANTON_SUD,
        chez_soi=lambda conn, a, lot: imports.rollback_lot(conn, lot=lot, acteur=a),
    ),
    "write_commentaire": Ecriture(
        Droit.COMMENTER,
        ailleurs=lambda conn, a, _: commentaires.write_commentaire(
            conn, mois=MOIS, indicateur="A6.1", territoire="67", texte="Ailleurs.", acteur=a
        ),
        hors="67",
        chez_soi=lambda conn, a, _: commentaires.write_commentaire(
            conn, mois=MOIS, indicateur="A6.1", territoire="NORD", texte="Chez soi.", acteur=a
        ),
    ),
    "editions.commenter": Ecriture(
        Droit.COMMENTER,
        ailleurs=lambda conn, a, _: editions.commenter(
            conn, mois=MOIS, indicateur="A6.1", territoire="SUD", texte="Ailleurs.", acteur=a
        ),
        hors="SUD",
        chez_soi=lambda conn, a, _: editions.commenter(
            conn, mois=MOIS, indicateur="A6.1", territoire="NORD", texte="Chez soi.", acteur=a
        ),
    ),
    "add_annotation": Ecriture(
        Droit.ANNOTER,
        ailleurs=lambda conn, a, _: _annotation(conn, None, a),  # partout : le département
        hors="67",
        chez_soi=lambda conn, a, _: _annotation(conn, CANTON_NORD, a),
    ),
    "delete_annotation": Ecriture(
        Droit.ANNOTER,
        preparer=lambda conn, ou: _annotation(conn, CANTON_SUD if ou == "ailleurs" else "NORD"),
        ailleurs=lambda conn, a, n: annotations.delete_annotation(conn, n, acteur=a),
        hors=CANTON_SUD,
        chez_soi=lambda conn, a, n: annotations.delete_annotation(conn, n, acteur=a),
    ),
    "publications.publish": Ecriture(
        Droit.PUBLIER,
        ailleurs=lambda conn, a, _: publications.publish(conn, mois=MOIS, acteur=a),
        hors="",
    ),
    "editions.publier": Ecriture(
        Droit.PUBLIER,
        preparer=lambda conn, ou: _commenter_retards(conn) if ou == "autorise" else None,
        ailleurs=lambda conn, a, _: editions.publier(conn, mois=MOIS, acteur=a),
        hors="",
    ),
}


def message_attendu(acteur: Acteur, ecriture: Ecriture) -> str:
    if acteur.role == "lecteur":
        return f"Droit refusé : le compte « lecteur » (lecture seule) ne peut pas " \
               f"{ecriture.droit.value}."  # fmt: skip
    debut = (
        "Droit refusé : le compte « pil-nord » (mission de pilotage, périmètre NORD) ne peut pas"
    )
    if not ecriture.hors:
        return (f"{debut} {ecriture.droit.value} : ce droit porte sur tout le département, il est "
                "réservé aux comptes sans périmètre.")  # fmt: skip
    return f"{debut} {ecriture.droit.value} hors de son périmètre ({ecriture.hors})."


@pytest.mark.parametrize("acteur", [LECTEUR, NORD], ids=["lecteur", "perimetre-NORD-ailleurs"])
@pytest.mark.parametrize("nom", list(ECRITURES))
def test_une_ecriture_refusee_le_dit_et_ne_change_rien(
    conn: Connection, nom: str, acteur: Acteur
) -> None:
    ecriture = ECRITURES[nom]
    prepare = ecriture.preparer(conn, "ailleurs")
    avant = empreinte_base(conn)
    with pytest.raises(DroitRefuse) as refus:
        ecriture.ailleurs(conn, acteur, prepare)
    assert str(refus.value) == message_attendu(acteur, ecriture)
    assert empreinte_base(conn) == avant


@pytest.mark.parametrize("nom", list(ECRITURES))
def test_une_ecriture_permise_est_faite(conn: Connection, nom: str) -> None:
    """Le compte NORD chez lui ; la mission sans périmètre pour publier (tout le département)."""
    ecriture = ECRITURES[nom]
    prepare = ecriture.preparer(conn, "autorise")
    avant = empreinte_base(conn)
    if ecriture.chez_soi is None:
        ecriture.ailleurs(conn, MISSION, prepare)
        assert conn.execute(select(schema.publication.c.publie_par)).scalars().all() == ["mission"]
    else:
        ecriture.chez_soi(conn, NORD, prepare)
    assert empreinte_base(conn) != avant


def test_le_lot_et_le_journal_sont_signes_par_l_acteur(conn: Connection) -> None:
    lot = _importer(conn, NORD, CANTON_NORD)
    imports.rollback_lot(conn, lot=int(lot or 0), acteur=NORD)
    journal = imports.read_journal(conn)
    assert journal["qui"].head(2).tolist() == ["pil-nord", "pil-nord"]
    assert imports.read_lots(conn)["auteur"].iloc[0] == "pil-nord"


def test_un_role_inconnu_n_a_aucun_droit() -> None:
    with pytest.raises(DroitRefuse, match="rôle inconnu « chef »"):
        exiger(ActeurLocal("x", "chef"), Droit.COMMENTER)
