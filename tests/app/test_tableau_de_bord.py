"""Page « Tableau de bord » (AppTest) : vue provisoire, édition figée par URL, commentaires
exigés avant publication, révision signalée, et ce qu'un lecteur ne peut pas faire.

Chaque test travaille sur un mois différent de la base du module : la publication est
définitive, un test ne doit pas dépendre de l'ordre des autres.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Connection, text

from dashboard import formats
from dashboard.tableau_de_bord import contenu as tableau_bord
from dashboard.tableau_de_bord import editions
from data_access import imports, series
from data_access.droits import administrateur_local
from tests.app.aides import barres_html, comptes_barre, connexion, page

pytestmark = pytest.mark.usefixtures("environnement")


def _metriques(at: object) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}  # type: ignore[attr-defined]


def _attendues(tableau: tableau_bord.TableauDeBord) -> dict[str, str]:
    return {i.titre: formats.valeur(i.reel, i.unite) for i in tableau.synthese}


def _chiffres_sql(conn: Connection, indicateur: str, territoire: str, mois: str) -> tuple[int, int]:
    """Réalisé et attendu à date d'un flux sur la cible 2017-2019 du territoire, en SQL sur
    `valeur` (ses cantons) et `cible` : cumul depuis 2017-01, prorata des mois écoulés jusqu'à
    la dernière période connue (attendu arrondi à l'unité, comme à l'écran)."""
    requete = text(
        "SELECT SUM(v.valeur), MAX(v.fin) FROM valeur v JOIN territoire t ON t.code = v.territoire "
        "WHERE v.indicateur = :i AND v.courante AND t.niveau = 'canton' AND t.parent = :t "
        "AND v.debut >= '2017-01' AND v.fin <= :m"
    )
    reel, fin = conn.execute(requete, {"i": indicateur, "t": territoire, "m": mois}).one()
    cible = conn.execute(
        text("SELECT valeur FROM cible WHERE indicateur = :i AND territoire = :t "
             "AND periode = '2017-2019'"),
        {"i": indicateur, "t": territoire},
    ).scalar_one()  # fmt: skip
    ecoules = (int(fin[:4]) - 2017) * 12 + int(fin[5:])
    return round(reel), round(cible * ecoules / 36)


def _publier(environnement: Path, mois: str) -> None:
    with connexion(environnement, ecriture=True) as conn:
        for retard in editions.a_commenter(conn, mois=mois):
            texte = f"Retard expliqué ({retard.code}, {retard.territoire})."
            editions.commenter(conn, mois=mois, indicateur=retard.code,
                               territoire=retard.territoire, texte=texte,
                               acteur=administrateur_local("pilotage"))  # fmt: skip
        editions.publier(conn, mois=mois, acteur=administrateur_local("pilotage"))
    st.cache_data.clear()


def test_un_mois_non_publie_est_provisoire_avec_les_chiffres_du_mois(environnement: Path) -> None:
    at = page("elu-nord", "tableau_de_bord", {"periode": "2019-05"})
    with connexion(environnement) as conn:
        attendu = editions.construire(conn, mois="2019-05", territoire="NORD")
    assert any("Chiffres provisoires" in w.value for w in at.warning)
    assert _metriques(at) == _attendues(attendu)
    assert not [b for b in at.button if "Publier" in b.label]


def test_une_edition_se_rouvre_par_son_url_avec_ses_chiffres_figes(environnement: Path) -> None:
    _publier(environnement, "2019-04")
    at = page("pilotage", "tableau_de_bord", {"edition": "2019-04"})
    with connexion(environnement) as conn:
        edition = editions.lire_edition(conn, mois="2019-04", territoire="67")
    assert edition is not None
    (bandeau,) = [s.value for s in at.success if "publiée le" in s.value]
    assert "par pilotage" in bandeau
    assert _metriques(at) == _attendues(edition)
    assert "Tableau de bord mensuel — avril 2019" in [h.value for h in at.header]


def test_publication_refusee_puis_acceptee_une_fois_les_retards_commentes(
    environnement: Path,
) -> None:
    at = page("pilotage", "tableau_de_bord", {"periode": "2019-03"})
    assert not [b for b in at.button if b.key == "tdb_publier"], "rien tant qu'on ne prépare pas"
    at.toggle(key="tdb_preparer").set_value(True).run()
    at.button(key="tdb_publier").click().run()
    (erreur,) = [e.value for e in at.error]
    assert "Publication refusée" in erreur
    with connexion(environnement) as conn:
        paires = [(r.code, r.territoire) for r in editions.a_commenter(conn, mois="2019-03")]
        nord = _chiffres_sql(conn, "OO2-S.1", "NORD", "2019-03")
    assert paires and all(code in erreur for code, _ in paires)
    assert ("OO2-S.1", "NORD") in paires, "le NORD est en retard dans la démonstration"
    zone = at.text_area(key="tdb_com_OO2-S.1_NORD")
    assert zone.label.endswith("— Nord"), "la zone nomme le territoire commenté"
    reel, attendu = (formats.nombre(x) for x in nord)
    assert f"Nord : réalisé {reel} · attendu à date {attendu} · ▼ en retard" in [
        c.value for c in at.caption
    ]
    for code, territoire in paires:
        at.text_area(key=f"tdb_com_{code}_{territoire}").input(
            f"Le retard de {code} vient de {territoire}."
        )
    at.button(key="FormSubmitter:tdb_commentaires-Enregistrer les commentaires").click().run()
    assert not at.exception
    at.button(key="tdb_publier").click().run()
    assert not at.error
    assert any("Édition de mars 2019 publiée" in s.value for s in at.success)
    with connexion(environnement) as conn:
        edition = editions.lire_edition(conn, mois="2019-03", territoire="67")
    assert edition is not None and edition.publication is not None
    assert all(i.commentaire == f"Le retard de {i.code} vient de 67." for i in edition.alertes)
    assert not [i for i in edition.indicateurs if "vient de NORD" in i.commentaire]


def test_la_vue_en_direct_signale_une_revision_depuis_la_publication(
    environnement: Path,
) -> None:
    _publier(environnement, "2019-09")
    with connexion(environnement, ecriture=True) as conn:
        avant = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T3")
        valeur = float(avant.loc[avant["canton"] == "6705", "valeur"].iloc[0])
        fichier = f"indicateur;territoire;periode;valeur\nOO2-S.1;6705;2019-T3;{valeur + 9:.0f}\n"
        imports.commit_import(
            conn,
            nom="revision.csv",
            contenu=fichier.encode(),
            acteur=administrateur_local("test"),
            correction=True,
            aujourdhui=date(2019, 10, 15),
        )
    st.cache_data.clear()
    at = page("pilotage", "tableau_de_bord", {"periode": "2019-09"})
    (avis,) = [w.value for w in at.warning if "révisé depuis la publication" in w.value]
    assert "OO2-S.1" in avis
    edition = page("pilotage", "tableau_de_bord", {"edition": "2019-09"})
    with connexion(environnement) as conn:
        publiee = editions.lire_edition(conn, mois="2019-09", territoire="67")
    assert publiee is not None
    assert _metriques(edition) == _attendues(publiee)
    assert _metriques(at) != _metriques(edition)


def test_l_onglet_par_objectif_montre_la_barre_par_statut_de_chaque_os(environnement: Path) -> None:
    at = page("elu-nord", "tableau_de_bord", {"periode": "2019-05"})
    with connexion(environnement) as conn:
        attendu = editions.construire(conn, mois="2019-05", territoire="NORD")
    barres = barres_html(at)
    objectifs = [o.code for o in attendu.objectifs if attendu.par_objectif(o.code)]
    assert objectifs and sorted(barres) == sorted(objectifs)
    for code in objectifs:
        statuts = Counter(i.statut or "sans trajectoire" for i in attendu.par_objectif(code))
        assert comptes_barre(barres[code]) == (statuts, 0), code
