"""Page « Tableau de bord » (AppTest) : vue provisoire, édition figée par URL, commentaires
exigés avant publication, révision signalée, et ce qu'un lecteur ne peut pas faire.

Chaque test travaille sur un mois différent de la base du module : la publication est
définitive, un test ne doit pas dépendre de l'ordre des autres.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from dashboard import formats
from dashboard.tableau_de_bord import contenu as tableau_bord
from dashboard.tableau_de_bord import editions
from data_access import imports, series
from tests.app.aides import connexion, page

pytestmark = pytest.mark.usefixtures("environnement")


def _metriques(at: object) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}  # type: ignore[attr-defined]


def _attendues(tableau: tableau_bord.TableauDeBord) -> dict[str, str]:
    return {i.titre: formats.valeur(i.reel, i.unite) for i in tableau.synthese}


def _publier(environnement: Path, mois: str) -> None:
    with connexion(environnement, ecriture=True) as conn:
        for ligne in editions.a_commenter(conn, mois=mois):
            texte = f"Retard expliqué ({ligne.code})."
            editions.commenter(conn, mois=mois, indicateur=ligne.code, texte=texte,
                               auteur="pilotage")  # fmt: skip
        editions.publier(conn, mois=mois, par="pilotage")
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
        a_commenter = [ligne.code for ligne in editions.a_commenter(conn, mois="2019-03")]
    assert a_commenter and all(code in erreur for code in a_commenter)
    for code in a_commenter:
        at.text_area(key=f"tdb_com_{code}").input(f"Le retard de {code} vient du NORD.")
    at.button(key="FormSubmitter:tdb_commentaires-Enregistrer les commentaires").click().run()
    assert not at.exception
    at.button(key="tdb_publier").click().run()
    assert not at.error
    assert any("Édition de mars 2019 publiée" in s.value for s in at.success)
    with connexion(environnement) as conn:
        edition = editions.lire_edition(conn, mois="2019-03", territoire="67")
    assert edition is not None and edition.publication is not None
    assert all(i.commentaire.startswith("Le retard de") for i in edition.alertes)


def test_la_vue_en_direct_signale_une_revision_depuis_la_publication(
    environnement: Path,
) -> None:
    _publier(environnement, "2019-09")
    with connexion(environnement, ecriture=True) as conn:
        avant = series.read_par_canton(conn, indicateur="OO2-S.1", periode="2019-T3")
        valeur = float(avant.loc[avant["canton"] == "6705", "valeur"].iloc[0])
        fichier = f"indicateur;territoire;periode;valeur\nOO2-S.1;6705;2019-T3;{valeur + 9:.0f}\n"
        imports.commit_import(conn, nom="revision.csv", contenu=fichier.encode(), auteur="test",
                              correction=True, aujourdhui=date(2019, 10, 15))  # fmt: skip
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
