"""Une édition projetée en comité ne montre que ce qu'on savait à la fin de son mois (AppTest,
ticket 18, point 2).

L'édition de juin 2019 est publiée comme `pilotage demo` la publie, dans une base dont les valeurs
vont jusqu'en décembre 2019. Chaque diapositive, et chaque onglet de la page, est relu comme
l'administration et comme un élu du NORD : aucune période postérieure à juin 2019 n'y est nommée,
et la diapositive « Moyens et résultats » montre les résultats de janvier à juin 2019, recalculés
ici en SQL sur `valeur`, jamais l'année entière. Un import qui change une valeur de mai 2019 ne
change ensuite aucun texte de la présentation ; la vue en direct, elle, le montre, dite « en
direct ».
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Connection, select

from dashboard import formats
from dashboard.modeles import moyens_resultats as calc
from dashboard.tableau_de_bord import editions
from data_access import imports, schema
from data_access.droits import administrateur_local
from tests.app.aides import bloc, connexion, page

MOIS = "2019-06"
TITRE_MOYENS = '<div class="comite-titre">Moyens et résultats</div>'
LECTEURS = (("admin", "67"), ("elu-nord", "NORD"), ("elu-nord", "67"))


@pytest.fixture(scope="module")
def publiee(environnement: Path) -> Iterator[Path]:
    """L'édition de juin 2019, publiée une fois pour le module."""
    with connexion(environnement, ecriture=True) as conn:
        editions.publier_demo(conn, debut=MOIS, fin=MOIS)
    yield environnement


def _contenu(noeud: Any) -> str:
    """Tout ce qu'on lit sous `noeud` : HTML posé, textes, métriques, tableaux de données."""
    morceaux: list[str] = []

    def lire(n: Any) -> None:
        genre = getattr(n, "type", "")
        if genre == "html":
            morceaux.append(n.proto.body)
        elif genre == "metric":
            morceaux.append(f"{n.label} {n.value}")
        elif genre == "dataframe":
            morceaux.append(n.value.to_csv())
        elif isinstance(getattr(n, "value", None), str):
            morceaux.append(n.value)
        for enfant in getattr(n, "children", {}).values():
            lire(enfant)

    lire(noeud)
    return "\n".join(morceaux).replace("&#x27;", "'")


def _diapo(at: Any) -> str:
    """La diapositive projetée : le conteneur de la présentation (le reste est masqué)."""
    conteneur = bloc(at.main, "comite")
    assert conteneur is not None
    return _contenu(conteneur)


def _presentation(identifiant: str, territoire: str) -> list[str]:
    """Le contenu de chaque diapositive de l'édition, de la première à la dernière."""
    at = page(identifiant, "tableau_de_bord",
              {"mode": "comite", "edition": MOIS, "territoire": territoire})  # fmt: skip
    diapos = [_diapo(at)]
    while not at.button(key="comite_suivante").disabled:
        at.button(key="comite_suivante").click().run()
        assert not at.exception, at.exception
        diapos.append(_diapo(at))
    return diapos


def _periodes_apres(conn: Connection) -> set[str]:
    """Les périodes des valeurs qui commencent après le mois de l'édition, en mots."""
    v = schema.valeur
    codes = conn.execute(select(v.c.periode).distinct().where(v.c.debut > MOIS)).scalars()
    return {formats.periode(str(c)) for c in codes}


def _annee_sql(conn: Connection, indicateur: str, borne: str) -> float | None:
    """Le résultat 2019 du département recalculé en SQL sur les valeurs des cantons (ou du
    département, s'il est saisi à ce niveau) : somme des périodes, niveau de fin pour un stock."""
    v, t, i = schema.valeur, schema.territoire, schema.indicateur
    nature, echelle = conn.execute(
        select(i.c.nature, i.c.echelle).where(i.c.code == indicateur)
    ).one()
    niveau = "canton" if echelle == "canton" else "departement"
    lignes = conn.execute(
        select(v.c.fin, v.c.valeur).join(t, t.c.code == v.c.territoire)
        .where(v.c.courante, v.c.indicateur == indicateur, t.c.niveau == niveau,
               v.c.debut >= "2019-01", v.c.fin <= borne, v.c.valeur.is_not(None))
    ).all()  # fmt: skip
    if not lignes:
        return None
    if nature == "stock":
        derniere = max(f for f, _ in lignes)
        return sum(float(x) for f, x in lignes if f == derniere)
    return sum(float(x) for _, x in lignes)


def _verifier_moyens(conn: Connection, diapo: str) -> None:
    """Le résultat de chaque rapprochement : celui de janvier à juin, pas celui de l'année."""
    assert "Chiffres figés à la publication de l'édition" in diapo
    assert "en direct" not in diapo
    i = schema.indicateur
    for rapprochement in calc.RAPPROCHEMENTS:
        unite = conn.execute(
            select(i.c.unite).where(i.c.code == rapprochement.indicateur)
        ).scalar_one()
        juin = _annee_sql(conn, rapprochement.indicateur, MOIS)
        annee = _annee_sql(conn, rapprochement.indicateur, "2019-12")
        assert annee is not None and annee != juin
        assert f"{calc.texte_valeur(annee, unite)} (" not in diapo, rapprochement
        if juin is not None:
            assert f"{calc.texte_valeur(juin, unite)} (année 2019" in diapo or (
                f"{calc.texte_valeur(juin, unite)} (niveau de fin d'année" in diapo
            ), rapprochement


def _changer_mai(environnement: Path) -> None:
    """Un import corrige le nombre de placements (A2.1) d'un canton en mai 2019."""
    v = schema.valeur
    with connexion(environnement, ecriture=True) as conn:
        ancienne = conn.execute(
            select(v.c.valeur).where(v.c.courante, v.c.indicateur == "A2.1",
                                     v.c.territoire == "6705", v.c.periode == "2019-05")
        ).scalar_one()  # fmt: skip
        fichier = f"indicateur;territoire;periode;valeur\nA2.1;6705;2019-05;{ancienne + 50:.0f}\n"
        imports.commit_import(conn, nom="correction.csv", contenu=fichier.encode(),
                              acteur=administrateur_local("test"), correction=True,
                              aujourdhui=date(2019, 12, 15))  # fmt: skip
    st.cache_data.clear()


def test_la_presentation_de_l_edition_ne_dit_rien_d_apres_son_mois_meme_apres_un_import(
    publiee: Path,
) -> None:
    avant = {lecteur: _presentation(*lecteur) for lecteur in LECTEURS}
    with connexion(publiee) as conn:
        apres_juin = _periodes_apres(conn)
        assert "juillet 2019" in apres_juin and "2e semestre 2019" in apres_juin
        for lecteur, diapos in avant.items():
            for numero, diapo in enumerate(diapos, start=1):
                nommees = [p for p in apres_juin if p in diapo]
                assert nommees == [], (lecteur, numero, nommees)
            (moyens,) = [d for d in diapos if TITRE_MOYENS in d]
            _verifier_moyens(conn, moyens)

    _changer_mai(publiee)

    assert {lecteur: _presentation(*lecteur) for lecteur in LECTEURS} == avant


def test_la_page_de_l_edition_ne_nomme_aucune_periode_d_apres_son_mois(publiee: Path) -> None:
    with connexion(publiee) as conn:
        apres_juin = _periodes_apres(conn)
    for identifiant, territoire in LECTEURS:
        at = page(identifiant, "tableau_de_bord", {"edition": MOIS, "territoire": territoire})
        contenu = _edition_sur_la_page(_contenu(at.main))
        assert "Ses chiffres ne changent plus" in contenu
        assert [p for p in apres_juin if p in contenu] == []


def _edition_sur_la_page(contenu: str) -> str:
    """L'édition sur la page : de son titre à ses exports, sans l'en-tête commun de
    l'application ni la liste des éditions publiées, qui sont hors de l'édition."""
    debut = contenu.index(f"Tableau de bord mensuel — {formats.periode(MOIS)}")
    return contenu[debut : contenu.index("Éditions publiées", debut)]


def test_la_vue_en_direct_dit_ses_moyens_en_direct_bornes_au_mois(publiee: Path) -> None:
    at = page("admin", "tableau_de_bord", {"mode": "comite", "periode": MOIS})
    while TITRE_MOYENS not in _diapo(at):
        at.button(key="comite_suivante").click().run()
    diapo = _diapo(at)
    assert "Données en direct, lues le" in diapo and "non figées" in diapo
    with connexion(publiee) as conn:
        juin = _annee_sql(conn, "A2.1", MOIS)
    assert juin is not None and f"{calc.texte_valeur(juin, 'placements')} (année 2019" in diapo
