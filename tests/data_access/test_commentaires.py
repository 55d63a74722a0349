"""Commentaires par mois, indicateur et territoire, sur SQLite et PostgreSQL (ticket 18, point 3).

Un commentaire écrit parce que le Nord est en retard ne doit se lire que dans le tableau du Nord :
jamais dans celui du Bas-Rhin, à côté de son statut « en avance ». Les commentaires attendus sont
relus en SQL dans la table `commentaire`, pas par le code qui construit les tableaux.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from sqlalchemy import Connection, text

from dashboard.exports import en_pdf, fichiers
from dashboard.tableau_de_bord import editions
from dashboard.tableau_de_bord.contenu import TableauDeBord
from data_access import commentaires
from data_access.droits import administrateur_local

MOIS = "2019-06"
NORD = "Retard propre au Nord : moins de recrutements dans les entreprises du Nord."
DEPARTEMENT = "Au département, les retours à l'emploi suivent la trajectoire."


def _en_base(conn: Connection, mois: str = MOIS) -> dict[str, dict[str, str]]:
    """Les commentaires du mois par territoire puis indicateur, lus en SQL."""
    lignes = conn.execute(
        text("SELECT territoire, indicateur, texte FROM commentaire WHERE mois = :m"), {"m": mois}
    )
    par_territoire: dict[str, dict[str, str]] = {}
    for territoire, indicateur, texte in lignes:
        par_territoire.setdefault(territoire, {})[indicateur] = texte
    return par_territoire


def _commentaires_affiches(tableau: TableauDeBord) -> dict[str, set[str]]:
    """Pour chaque indicateur du tableau (synthèse et sections), les commentaires qu'il porte."""
    vus: dict[str, set[str]] = {}
    for ligne in (*tableau.synthese, *tableau.indicateurs):
        vus.setdefault(ligne.code, set()).add(ligne.commentaire)
    return vus


def _seulement_les_siens(tableau: TableauDeBord, en_base: dict[str, dict[str, str]]) -> None:
    propres = en_base.get(tableau.territoire, {})
    for code, textes in _commentaires_affiches(tableau).items():
        assert textes == {propres.get(code, "")}, (tableau.territoire, code, textes)


def _commenter(conn: Connection, code: str, territoire: str, texte: str) -> None:
    editions.commenter(conn, mois=MOIS, indicateur=code, territoire=territoire, texte=texte,
                       acteur=administrateur_local("pilotage"))  # fmt: skip


def _retard_du_nord(conn: Connection) -> None:
    retards = {(r.code, r.territoire) for r in editions.a_commenter(conn, mois=MOIS)}
    assert ("OO2-S.1", "NORD") in retards, "la démonstration met le NORD en retard (0,80)"
    assert ("OO2-S.1", "67") not in retards, "le département ne l'est pas sur OO2-S.1"


def test_chaque_tableau_ne_porte_que_les_commentaires_de_son_territoire(conn: Connection) -> None:
    _retard_du_nord(conn)
    _commenter(conn, "OO2-S.1", "NORD", NORD)
    _commenter(conn, "OO2-S.1", "67", DEPARTEMENT)
    _commenter(conn, "OO3-S.1", "NORD", "Insertion : retard du Nord.")
    en_base = _en_base(conn)
    assert en_base["NORD"]["OO2-S.1"] == NORD and en_base["67"]["OO2-S.1"] == DEPARTEMENT

    nord = editions.construire(conn, mois=MOIS, territoire="NORD")
    departement = editions.construire(conn, mois=MOIS, territoire="67")
    assert _commentaires_affiches(nord)["OO2-S.1"] == {NORD}
    assert _commentaires_affiches(departement)["OO2-S.1"] == {DEPARTEMENT}
    for tableau in (nord, departement, editions.construire(conn, mois=MOIS, territoire="OUEST")):
        _seulement_les_siens(tableau, en_base)
    # L'élu du Nord voit le tableau du département avec les commentaires du département.
    for territoire in ("67", "NORD"):
        vu = editions.direct(conn, mois=MOIS, territoire=territoire, perimetre="NORD")
        _seulement_les_siens(vu, en_base)


def test_publication_refusee_pour_chaque_retard_sans_le_commentaire_de_son_territoire(
    conn: Connection,
) -> None:
    _retard_du_nord(conn)
    retards = [(r.code, r.territoire) for r in editions.a_commenter(conn, mois=MOIS)]
    for code, territoire in retards:
        if (code, territoire) != ("OO2-S.1", "NORD"):
            _commenter(conn, code, territoire, f"Retard de {code} expliqué ({territoire}).")
    # Le commentaire du département sur OO2-S.1 n'explique pas le retard du Nord.
    _commenter(conn, "OO2-S.1", "67", DEPARTEMENT)
    en_base = _en_base(conn)
    sans = [(c, t) for c, t in retards if c not in en_base.get(t, {})]
    assert sans == [("OO2-S.1", "NORD")]

    with pytest.raises(editions.PublicationRefusee) as refus:
        editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"))
    assert [(m.code, m.territoire) for m in refus.value.manquants] == sans
    assert "- OO2-S.1 (" in str(refus.value) and "en retard : Nord (NORD)" in str(refus.value)
    assert "1 retard(s) sans le commentaire de leur territoire" in str(refus.value)


def _texte_pdf(tableau: TableauDeBord) -> str:
    lecteur = pypdf.PdfReader(io.BytesIO(en_pdf.to_pdf(tableau)))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in lecteur.pages)


def test_l_edition_du_departement_ne_contient_pas_le_commentaire_du_nord(
    conn: Connection,
) -> None:
    _retard_du_nord(conn)
    for retard in editions.a_commenter(conn, mois=MOIS):
        texte = NORD if retard.territoire == "NORD" and retard.code == "OO2-S.1" else (
            f"Retard de {retard.code} expliqué ({retard.territoire})."
        )  # fmt: skip
        _commenter(conn, retard.code, retard.territoire, texte)
    editions.publier(conn, mois=MOIS, acteur=administrateur_local("pilotage"))
    en_base = _en_base(conn)
    publies = {t: editions.lire_edition(conn, mois=MOIS, territoire=t) for t in ("67", "NORD")}
    departement, nord = publies["67"], publies["NORD"]
    assert departement is not None and nord is not None
    for tableau in (departement, nord):
        _seulement_les_siens(tableau, en_base)

    assert NORD in _texte_pdf(nord), "le PDF du Nord porte son commentaire"
    assert NORD not in _texte_pdf(departement)
    assert NORD not in fichiers.to_csv(departement).decode("utf-8-sig")
    ligne = next(i for i in departement.indicateurs if i.code == "OO2-S.1")
    assert ligne.statut != "en retard" and ligne.commentaire == ""


def test_un_commentaire_se_rattache_au_departement_ou_a_un_territoire_d_action(
    conn: Connection,
) -> None:
    with pytest.raises(commentaires.CommentaireInvalide, match="« 6705 » sans tableau de bord"):
        _commenter(conn, "OO2-S.1", "6705", "Un canton n'a pas de tableau de bord.")
    assert _en_base(conn) == {}


def test_la_demonstration_commente_chaque_retard_dans_son_territoire(conn: Connection) -> None:
    _retard_du_nord(conn)
    assert editions.publier_demo(conn, debut=MOIS, fin=MOIS) == 1
    en_base = _en_base(conn)
    assert "OO2-S.1" not in en_base.get("67", {})
    assert en_base["NORD"]["OO2-S.1"].startswith("(démonstration) OO2-S.1 en retard, Nord :")
    demonstration = conn.execute(
        text("SELECT DISTINCT demonstration FROM commentaire WHERE mois = :m"), {"m": MOIS}
    ).scalars()
    assert {bool(d) for d in demonstration} == {True}
    for territoire in editions.TERRITOIRES_EDITION:
        edition = editions.lire_edition(conn, mois=MOIS, territoire=territoire)
        assert edition is not None
        _seulement_les_siens(edition, en_base)
        assert all(i.commentaire and i.commentaire_demo for i in edition.alertes)
        assert {i.code for i in edition.alertes} == set(en_base.get(territoire, {}))
