"""Éditions du tableau de bord, sur SQLite et PostgreSQL : commentaires exigés, contenu figé.

Les deux règles d'acceptation du ticket 9 : une publication est refusée tant qu'un indicateur
« en retard » n'a pas de commentaire ; une édition publiée ne change pas quand un import révise
une valeur de son mois (son CSV est identique octet pour octet), alors que la vue en direct
signale la révision.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pypdf
import pytest
import time_machine
from sqlalchemy import Connection, func, select

from dashboard.exports import en_pdf, fichiers, tables
from dashboard.tableau_de_bord import contenu as tableau_bord
from dashboard.tableau_de_bord import editions
from data_access import annotations, commentaires, imports, publications, schema, series
from data_access.droits import administrateur_local

MOIS = "2019-06"
QUAND = datetime(2019, 7, 3, 10, 0, tzinfo=UTC)


def _commenter_tout(
    conn: Connection, mois: str = MOIS, sauf: tuple[str, str] | None = None
) -> list[tuple[str, str]]:
    """Commente chaque retard (indicateur, territoire) du mois, sauf `sauf` ; rend les paires."""
    paires = [(r.code, r.territoire) for r in editions.a_commenter(conn, mois=mois)]
    for code, territoire in paires:
        if (code, territoire) != sauf:
            texte = f"Explication du retard de {code} ({territoire})."
            editions.commenter(conn, mois=mois, indicateur=code, territoire=territoire,
                               texte=texte, acteur=administrateur_local("pilotage"))  # fmt: skip
    return paires


def _nb_publications(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(schema.publication)).scalar_one()


def test_publication_refusee_tant_qu_un_indicateur_en_retard_n_a_pas_de_commentaire(
    conn: Connection,
) -> None:
    paires = [(r.code, r.territoire) for r in editions.a_commenter(conn, mois=MOIS)]
    assert paires, "la démonstration a des indicateurs en retard en juin 2019 (NORD à 0,80)"
    with pytest.raises(editions.PublicationRefusee) as refus:
        editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"))
    assert {(m.code, m.territoire) for m in refus.value.manquants} == set(paires)
    assert "Publication refusée" in str(refus.value)
    assert all(code in str(refus.value) for code, _ in paires)
    assert _nb_publications(conn) == 0

    _commenter_tout(conn, sauf=paires[0])
    with pytest.raises(editions.PublicationRefusee) as refus:
        editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"))
    assert [(m.code, m.territoire) for m in refus.value.manquants] == [paires[0]]
    assert _nb_publications(conn) == 0

    _commenter_tout(conn)
    figes = editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"), quand=QUAND)
    assert set(figes) == set(editions.TERRITOIRES_EDITION)
    (publie,) = publications.read_publications(conn)
    assert (publie.mois, publie.publie_par, publie.publie_le) == (MOIS, "pilotage", QUAND)
    # Les retards de juin 2019 sont ceux du NORD (au département, les seuls « retards »
    # étaient des repères : lien inféré, plafond, cible dérivée sans règle, qui ne sont plus
    # jugés) : c'est l'édition du NORD qui porte les alertes commentées.
    relue = editions.lire_edition(conn, mois=MOIS, territoire="NORD")
    assert relue is not None and relue.publication is not None
    assert relue.publication.publie_par == "pilotage"
    commentees = [i for i in relue.alertes if i.commentaire]
    assert commentees and len(commentees) == len(relue.alertes)


def test_un_mois_publie_ne_se_republie_pas_et_ses_commentaires_sont_figes(
    conn: Connection,
) -> None:
    ((code, territoire), *_) = _commenter_tout(conn)
    editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"), quand=QUAND)
    with pytest.raises(editions.PublicationRefusee, match="déjà publié"):
        editions.publier(conn, mois=MOIS, acteur=administrateur_local("autre"))
    with pytest.raises(commentaires.CommentaireInvalide, match="publié"):
        editions.commenter(conn, mois=MOIS, indicateur=code, territoire=territoire,
                           texte="après coup", acteur=administrateur_local("pilotage"))  # fmt: skip


def test_une_revision_ne_change_pas_l_edition_et_la_vue_en_direct_la_signale(
    conn: Connection,
) -> None:
    _commenter_tout(conn)
    editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"), quand=QUAND)
    edition = editions.lire_edition(conn, mois=MOIS, territoire="67")
    assert edition is not None
    csv_avant = fichiers.to_csv(edition)
    avant = {i.code: i.reel for i in edition.synthese}

    ancienne = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T2")
    valeur = float(ancienne.loc[ancienne["canton"] == "6705", "valeur"].iloc[0])
    fichier = f"indicateur;territoire;periode;valeur\nOO2-S.1;6705;2019-T2;{valeur + 50:.0f}\n"
    imports.commit_import(
        conn,
        nom="revision.csv",
        contenu=fichier.encode(),
        acteur=administrateur_local("test"),
        correction=True,
        aujourdhui=date(2019, 7, 15),
    )

    relue = editions.lire_edition(conn, mois=MOIS, territoire="67")
    assert relue is not None
    assert fichiers.to_csv(relue) == csv_avant
    assert {i.code: i.reel for i in relue.synthese} == avant

    direct = editions.direct(conn, mois=MOIS, territoire="67")
    assert "OO2-S.1" in direct.revises
    reel = next(i.reel for i in direct.synthese if i.code == "OO2-S.1")
    assert reel == avant["OO2-S.1"] + 50
    texte = fichiers.to_csv(direct).decode("utf-8-sig")
    ligne = next(li for li in texte.splitlines() if li.startswith("Synthèse") and "OO2-S.1" in li)
    assert ligne.endswith(tables.REVISE)


def _exports(conn: Connection) -> dict[tuple[str, str], bytes]:
    """Chaque export de l'édition publiée du mois, pour le département et le NORD."""
    resultat = {}
    for territoire in ("67", "NORD"):
        edition = editions.lire_edition(conn, mois=MOIS, territoire=territoire)
        assert edition is not None
        for extension in fichiers.FORMATS:
            resultat[territoire, extension] = fichiers.exporter(edition, extension)
    return resultat


def test_les_exports_d_une_edition_sont_identiques_une_minute_et_un_import_plus_tard(
    conn: Connection,
) -> None:
    """Ticket 19 : le classeur datait sa modification et chaque membre de son archive de l'heure
    de l'export ; l'horloge est avancée d'une minute (pas d'attente), un import révise le mois."""
    _commenter_tout(conn)
    editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"), quand=QUAND)
    with time_machine.travel(datetime(2019, 7, 15, 9, 0, 0, tzinfo=UTC), tick=False):
        avant = _exports(conn)
    with time_machine.travel(datetime(2019, 7, 15, 9, 1, 0, tzinfo=UTC), tick=False):
        fichier = "indicateur;territoire;periode;valeur\nOO2-S.1;6701;2019-T2;4321\n"
        lot = imports.commit_import(conn, nom="revision.csv", contenu=fichier.encode(),
                                    acteur=administrateur_local("test"), correction=True,
                                    aujourdhui=date(2019, 7, 15)).lot  # fmt: skip
        assert lot is not None
        apres = _exports(conn)
    assert sorted(avant) == sorted(apres) and len(avant) == 6
    differents = [cle for cle, octets in avant.items() if apres[cle] != octets]
    assert differents == []
    with zipfile.ZipFile(io.BytesIO(avant["67", "xlsx"])) as archive:
        assert {m.date_time for m in archive.infolist()} == {(2019, 7, 3, 10, 0, 0)}
        proprietes = archive.read("docProps/core.xml").decode()
    assert ">2019-07-03T10:00:00Z</dcterms:created>" in proprietes
    assert ">2019-07-03T10:00:00Z</dcterms:modified>" in proprietes
    pdf = pypdf.PdfReader(io.BytesIO(avant["67", "pdf"]))
    assert pdf.metadata is not None
    assert pdf.metadata["/CreationDate"] == pdf.metadata["/ModDate"] == "D:20190703100000+00'00'"


def test_le_contenu_relu_est_identique_au_contenu_publie(conn: Connection) -> None:
    tableau = editions.construire(conn, mois=MOIS, territoire="NORD")
    assert tableau_bord.from_json(tableau_bord.to_json(tableau)) == tableau
    assert tableau.alertes, "le NORD est en retard dans la démonstration"
    assert all(t.territoire in {"NORD", "OUEST", "EMS", "SUD", "67"} for t in tableau.territoires)


def test_publier_un_mois_sans_donnees_est_refuse(conn: Connection) -> None:
    with pytest.raises(editions.PublicationRefusee, match="Aucune donnée pour 2016-01"):
        editions.publier(conn, mois="2016-01", acteur=administrateur_local("pilotage"))


def test_un_evenement_de_2018_09_est_dans_le_pdf_de_l_edition_de_2018_09(conn: Connection) -> None:
    libelle = "Convention avec les groupements d'employeurs (essai)"
    annotations.add_annotation(
        conn, mois="2018-09", type="convention", libelle=libelle, indicateurs=["OO2-S.1"],
        territoire=None, acteur=administrateur_local("pilotage"),
    )  # fmt: skip
    _commenter_tout(conn, mois="2018-09")
    editions.publier(conn, mois="2018-09", acteur=administrateur_local("pilotage"), quand=QUAND)
    edition = editions.lire_edition(conn, mois="2018-09", territoire="67")
    assert edition is not None
    assert [e.libelle for e in edition.evenements] == [libelle]
    (courbe,) = [c for c in edition.courbes if c.code == "OO2-S.1"]
    assert [e.libelle for e in courbe.evenements] == [libelle]
    lecteur = pypdf.PdfReader(io.BytesIO(en_pdf.to_pdf(edition)))
    texte = " ".join(" ".join((p.extract_text() or "").split()) for p in lecteur.pages)
    assert libelle in texte
    assert "septembre 2018" in texte
