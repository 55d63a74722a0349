"""Un lecteur dans un vrai navigateur : aucun bouton d'écriture ; et la base du même serveur
refuse ses écritures appelées directement, sans passer par une page (ticket 19).

Le navigateur ne peut demander que ce que les pages proposent : le refus « au niveau de la
fonction » se prouve en appelant les fonctions qui écrivent, sur la base que sert le serveur,
avec le compte tel que le fichier des comptes le décrit.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from dashboard import utilisateurs
from dashboard.tableau_de_bord import editions
from data_access import annotations, engine, imports
from data_access.droits import DroitRefuse
from tests.bases import empreinte_base
from tests.e2e.conftest import Serveur, attendre, ouvrir_connecte

FICHIER = b"indicateur;territoire;periode;valeur\nOO2-S.1;6701;2019-T3;777\n"


def test_un_lecteur_n_a_aucun_bouton_d_ecriture(page: Page, serveur: Serveur) -> None:
    """Tableau de bord et fiche d'un indicateur (la page Import : `test_import`)."""
    ouvrir_connecte(page, serveur, "/tableau-de-bord?periode=2019-12", "elu-nord")
    expect(page.get_by_text("Chiffres provisoires").first).to_be_visible()
    expect(page.get_by_text("Préparer la publication")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Publier|Enregistrer"))).to_have_count(0)
    page.goto(f"{serveur.url}/objectifs?periode=2019-06&fiche=OO2-S.1")
    attendre(page)
    expect(page.get_by_text("Événements datés").first).to_be_visible()
    expect(page.get_by_text("Ajouter un événement")).to_have_count(0)
    expect(page.get_by_role("button", name="Supprimer")).to_have_count(0)


def test_un_appel_direct_d_un_lecteur_est_refuse_sans_rien_ecrire(serveur: Serveur) -> None:
    (lecteur,) = [c for c in utilisateurs.list_comptes(serveur.dossier / "utilisateurs.yaml")
                  if c.identifiant == "elu-nord"]  # fmt: skip
    assert lecteur.role == "lecteur"
    ecritures = [
        lambda conn: imports.commit_import(conn, nom="nord.csv", contenu=FICHIER, acteur=lecteur),
        lambda conn: imports.rollback_lot(conn, lot=1, acteur=lecteur),
        lambda conn: editions.commenter(conn, mois="2019-12", indicateur="OO2-S.1",
                                        territoire="NORD", texte="Vu.", acteur=lecteur),
        lambda conn: editions.publier(conn, mois="2019-12", acteur=lecteur),
        lambda conn: annotations.add_annotation(conn, mois="2019-12", type="incident",
                                                libelle="Panne", indicateurs=None,
                                                territoire="NORD", acteur=lecteur),
    ]  # fmt: skip
    moteur = engine.create(f"sqlite:///{serveur.dossier / 'pilotage.db'}")
    try:
        with moteur.connect() as conn:
            avant = empreinte_base(conn)
        for ecrire in ecritures:
            with moteur.begin() as conn, pytest.raises(DroitRefuse, match="^Droit refusé : "):
                ecrire(conn)
        with moteur.connect() as conn:
            assert empreinte_base(conn) == avant
    finally:
        moteur.dispose()
