"""La version des données change à chaque écriture qui compte pour l'affichage, et seulement
alors (SQLite et PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from dashboard.tableau_de_bord import editions
from data_access import annotations, imports, version
from data_access.droits import administrateur_local

FICHIER = b"indicateur;territoire;periode;valeur\nOO2-S.1;6705;2019-T4;4321\n"


def test_la_version_suit_imports_annulations_commentaires_evenements_et_publications(
    conn: Connection,
) -> None:
    vues = [version.read_version(conn)]
    assert version.read_version(conn) == vues[-1], "une lecture ne change pas la version"

    resultat = imports.commit_import(
        conn,
        nom="v.csv",
        contenu=FICHIER,
        acteur=administrateur_local("test"),
        aujourdhui=date(2020, 2, 1),
    )
    vues.append(version.read_version(conn))
    assert resultat.lot is not None
    imports.rollback_lot(conn, lot=resultat.lot, acteur=administrateur_local("test"))
    vues.append(version.read_version(conn))
    editions.commenter(conn, mois="2019-06", indicateur="A6.1", territoire="67", texte="Un.",
                       acteur=administrateur_local("p"))  # fmt: skip
    vues.append(version.read_version(conn))
    editions.commenter(conn, mois="2019-06", indicateur="A6.1", territoire="67", texte="Deux.",
                       acteur=administrateur_local("p"))  # fmt: skip
    vues.append(version.read_version(conn))
    annotations.add_annotation(
        conn,
        mois="2019-01",
        type="incident",
        libelle="Panne",
        indicateurs=None,
        territoire=None,
        acteur=administrateur_local("p"),
    )
    vues.append(version.read_version(conn))
    for retard in editions.a_commenter(conn, mois="2019-06"):
        editions.commenter(
            conn,
            mois="2019-06",
            indicateur=retard.code,
            territoire=retard.territoire,
            texte="Vu.",
            acteur=administrateur_local("p"),
        )
    editions.publier(conn, mois="2019-06", acteur=administrateur_local("p"))
    vues.append(version.read_version(conn))
    assert len(set(vues)) == len(vues), vues
