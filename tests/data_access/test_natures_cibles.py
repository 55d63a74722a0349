"""Cibles dérivées, inférées, plafonds : jamais jugées, jamais bloquantes (SQLite et PostgreSQL).

`pilotage publier 2019-12` sur la démonstration ne refuse que pour des cibles du plan (ou
dérivées par une règle écrite) en retard : la liste qu'il imprime est comparée à un calcul
indépendant, en SQL sur les tables `cible`, `indicateur`, `territoire` et `valeur`. A7.1 (le
budget de l'ADE, un plafond) et A6.1 (participants FSE 2015-2020, lien inféré, plage qui commence
avant toute donnée) se lisent comme des repères, avec leur nature en mots, en direct et dans
l'édition publiée, pour l'administrateur et pour un élu du NORD. Une base créée par la version
précédente reçoit la nature de ses cibles par `pilotage init`, sans perdre une ligne.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, inspect, select, text

from dashboard import cli
from dashboard.exports import fichiers
from dashboard.modeles import objectifs
from dashboard.tableau_de_bord import editions
from dashboard.tableau_de_bord.contenu import LigneIndicateur, TableauDeBord
from data_access import demo, engine, migrations, plan, progression, referentiel, schema
from data_access.droits import administrateur_local
from tests.bases import comme_avant_alembic

RACINE = Path(__file__).resolve().parents[2]
MOIS = "2019-12"
TERRITOIRES = ("67", "NORD", "OUEST", "EMS", "SUD")
REPERES = {"A7.1": "plafond", "A6.1": "lien inféré"}


@pytest.fixture
def base_demo(url_vide: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Une base de démonstration neuve (la commande `pilotage publier` y écrit)."""
    demo.create_base(url_vide)
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    return url_vide


# --- Calcul indépendant des retards : SQL sur les tables, rien du code de progression ----------

CIBLES_JUGEES = text("""
    SELECT c.indicateur, c.territoire, c.periode, c.debut, c.fin, c.valeur, c.source,
           i.nature, i.polarite
    FROM cible c JOIN indicateur i ON i.code = c.indicateur
    WHERE (c.nature = 'plan' OR (c.nature = 'derivee' AND c.regle <> ''))
      AND c.debut <= :mois
      AND i.plan = 'PDIE-2017-2019'
      AND (c.territoire = '67' OR i.echelle IN ('canton', 'territoire'))
    ORDER BY c.indicateur, c.territoire, c.debut, c.fin, c.source
""")
# Valeurs du territoire et de tout ce qu'il contient (territoires d'action, cantons), période
# par période ; la démonstration range chaque indicateur à un seul niveau (vérifié plus bas).
VALEURS = text("""
    SELECT v.periode, v.fin, SUM(v.valeur) AS valeur
    FROM valeur v
    JOIN territoire t ON t.code = v.territoire
    LEFT JOIN territoire p ON p.code = t.parent
    WHERE v.courante = :vrai AND v.indicateur = :indicateur
      AND (t.code = :territoire OR t.parent = :territoire OR p.parent = :territoire)
      AND v.debut >= :debut AND v.fin <= :horizon AND v.valeur IS NOT NULL
    GROUP BY v.periode, v.fin
    ORDER BY v.fin
""")
NIVEAUX_DES_VALEURS = text("""
    SELECT v.indicateur, COUNT(DISTINCT t.niveau)
    FROM valeur v JOIN territoire t ON t.code = v.territoire
    WHERE v.courante = :vrai
    GROUP BY v.indicateur
""")


@dataclass(frozen=True)
class Cible:
    indicateur: str
    territoire: str
    debut: str
    fin: str
    valeur: float
    nature: str
    polarite: str


def _rang(mois: str) -> int:
    annee, numero = mois.split("-")
    return int(annee) * 12 + int(numero)


def _en_retard(conn: Connection, cible: Cible, seuil_retard: float) -> bool | None:
    """Le réalisé face à l'attendu au prorata des mois écoulés (flux, montant) ou à la cible
    (stock) ; None si aucune période close de la plage n'a de valeur."""
    horizon = min(MOIS, cible.fin)
    lignes = conn.execute(VALEURS, {
        "vrai": True, "indicateur": cible.indicateur, "territoire": cible.territoire,
        "debut": cible.debut, "horizon": horizon,
    }).all()  # fmt: skip
    if not lignes:
        return None
    if cible.nature in ("flux", "montant"):
        reel = sum(float(r.valeur) for r in lignes)
        ecoule = _rang(lignes[-1].fin) - _rang(cible.debut) + 1
        attendu = cible.valeur * ecoule / (_rang(cible.fin) - _rang(cible.debut) + 1)
    elif cible.nature == "stock":
        reel, attendu = float(lignes[-1].valeur), cible.valeur
    else:
        pytest.fail(f"calcul indépendant non écrit pour un {cible.nature} ({cible.indicateur})")
    if cible.polarite == "baisse":
        reel, attendu = attendu, reel
    return attendu > 0 and reel / attendu < 1 - seuil_retard


def retards_attendus(conn: Connection) -> dict[str, set[str]]:
    """Indicateur → territoires où sa cible principale (jugée, mesurable, en cours, la plus
    longue, puis la première par source) est en retard au mois."""
    seuils = tomllib.loads((RACINE / "config" / "trajectoire.toml").read_text(encoding="utf-8"))
    seuil = float(seuils["statut"]["seuil_retard"])
    niveaux = dict(conn.execute(NIVEAUX_DES_VALEURS, {"vrai": True}).all())
    par_lieu: dict[tuple[str, str], list[tuple[Cible, bool]]] = {}
    for r in conn.execute(CIBLES_JUGEES, {"mois": MOIS}).all():
        if r.territoire not in TERRITOIRES:
            continue
        assert niveaux.get(r.indicateur, 1) == 1, f"{r.indicateur} : valeurs sur deux niveaux"
        cible = Cible(r.indicateur, r.territoire, r.debut, r.fin, float(r.valeur), r.nature,
                      r.polarite)  # fmt: skip
        retard = _en_retard(conn, cible, seuil)
        if retard is not None:  # une cible sans valeur n'est pas mesurable : pas principale
            par_lieu.setdefault((r.indicateur, r.territoire), []).append((cible, retard))
    retards: dict[str, set[str]] = {}
    for (indicateur, territoire), candidates in par_lieu.items():

        def cle(paire: tuple[Cible, bool]) -> tuple[bool, int, int]:
            c = paire[0]
            en_cours = c.debut <= MOIS <= c.fin
            return (en_cours, _rang(c.fin) - _rang(c.debut), _rang(c.fin))

        meilleure = max(cle(p) for p in candidates)
        principale = next(p for p in candidates if cle(p) == meilleure)  # première par source
        if principale[1]:
            retards.setdefault(indicateur, set()).add(territoire)
    return retards


def refus_imprimes(erreur: str) -> dict[str, set[str]]:
    """« - A8.1 (libellé) en retard : Nord (NORD) », une ligne par territoire (ticket 18,
    point 3) → {"A8.1": {"NORD", …}}."""
    lignes = re.findall(r"^- (\S+) \(.*\) en retard : .* \((\S+)\)$", erreur, flags=re.MULTILINE)
    refus: dict[str, set[str]] = {}
    for code, territoire in lignes:
        refus.setdefault(code, set()).add(territoire)
    return refus


def test_publier_2019_12_ne_refuse_que_pour_des_cibles_du_plan_en_retard(
    base_demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as sortie:
        cli.main(["publier", MOIS, "--auteur", "mission"])
    assert sortie.value.code == 1
    refuses = refus_imprimes(capsys.readouterr().err)
    eng = engine.create(base_demo)
    with eng.connect() as conn:
        attendus = retards_attendus(conn)
        reperes = set(conn.execute(text(
            "SELECT DISTINCT indicateur FROM cible WHERE NOT (nature = 'plan' "
            "OR (nature = 'derivee' AND regle <> ''))"
        )).scalars())  # fmt: skip
    eng.dispose()
    assert attendus, "la démonstration a des retards en décembre 2019 (NORD à 0,80)"
    assert refuses == attendus
    # Aucun repère parmi les refus : ni A27.1 (dérivée sans règle), ni A7.1 (plafond), ni A6.1,
    # A8.1, A4.1 (liens inférés), que la version précédente disait en retard.
    assert {"A27.1", "A7.1", "A6.1", "A8.1", "A4.1"} <= reperes
    assert not set(refuses) & reperes


# --- A7.1 et A6.1 : des repères, en direct et dans l'édition -----------------------------------


def _ligne(tableau: TableauDeBord, code: str) -> LigneIndicateur:
    return next(i for i in tableau.indicateurs if i.code == code)


def _verifier_reperes(tableau: TableauDeBord) -> None:
    """A7.1 et A6.1 : statut « repère », nature en mots, sans valeur attendue ni alerte."""
    assert not {i.code for i in tableau.alertes} & set(REPERES)
    csv = fichiers.to_csv(tableau).decode("utf-8-sig")
    for code, nature in REPERES.items():
        ligne = _ligne(tableau, code)
        assert (ligne.statut, ligne.attendu) == ("repère", None), code
        assert ligne.motif.startswith("Repère, sans statut ni valeur attendue."), code
        lignes_csv = [li for li in csv.splitlines() if f";{code};" in li]
        assert lignes_csv and all(f"repère ({nature})" in li for li in lignes_csv), code
        assert not any("en retard" in li for li in lignes_csv), code
    assert "Plafond : enveloppe à ne pas dépasser" in _ligne(tableau, "A7.1").motif
    a61 = _ligne(tableau, "A6.1").motif
    assert "Lien inféré : chiffre écrit dans un document, mais rattaché" in a61
    assert "Trajectoire non évaluable : la cible (2015-2020) court depuis janvier 2015" in a61


def _commenter(conn: Connection) -> None:
    for retard in editions.a_commenter(conn, mois=MOIS):
        editions.commenter(conn, mois=MOIS, indicateur=retard.ligne.code,
                           territoire=retard.territoire, texte="Expliqué.",
                           acteur=administrateur_local("mission"))  # fmt: skip


@pytest.mark.parametrize("perimetre", [None, "NORD"], ids=["admin", "NORD"])
def test_a7_1_et_a6_1_se_lisent_comme_des_reperes(conn: Connection, perimetre: str | None) -> None:
    direct = editions.direct(conn, mois=MOIS, territoire="67", perimetre=perimetre)
    _verifier_reperes(direct)
    _commenter(conn)
    editions.publier(conn, mois=MOIS, acteur=administrateur_local("mission"))
    edition = editions.lire_edition(conn, mois=MOIS, territoire="67")
    assert edition is not None and edition.publication is not None
    _verifier_reperes(editions.restreindre(edition, perimetre))
    # La page Objectifs dit la même chose que le tableau de bord.
    progressions = progression.read_progressions(
        conn, indicateurs=None, territoire="67", mois=MOIS, perimetre=perimetre
    )
    lignes = objectifs.build_indicateurs(
        plan.read_arbre(conn), progressions, territoire="67", mois=MOIS
    ).set_index("code")
    for code, nature in REPERES.items():
        assert lignes.loc[code, "categorie"] == "repère"
        assert lignes.loc[code, "statut_affiche"] == f"\u25c7 repère ({nature})"
        assert lignes.loc[code, "attendu"] == "–"


# --- `pilotage init` sur une base de la version précédente ------------------------------------


def _comptes(eng: Engine) -> dict[str, int]:
    """Les lignes de chaque table présente (une base d'une version précédente n'a pas toutes
    celles du schéma déclaré)."""
    presentes = set(inspect(eng).get_table_names())
    with eng.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in schema.metadata.sorted_tables
            if t.name in presentes
        }


def test_init_donne_leur_nature_aux_cibles_d_une_base_existante(url_vide: str) -> None:
    demo.create_base(url_vide)
    eng = engine.create(url_vide)
    with eng.begin() as conn:  # la base telle que la version précédente l'a créée
        conn.execute(text("ALTER TABLE cible DROP COLUMN nature"))
        conn.execute(text("ALTER TABLE cible DROP COLUMN regle"))
        comme_avant_alembic(conn)
    avant = _comptes(eng)
    with eng.begin() as conn, pytest.raises(migrations.MigrationImpossible):
        referentiel.init(conn)  # la montée d'une base existante passe par `pilotage init`
    assert "0002" in [r.revision for r in migrations.upgrade(eng).appliquees]
    with eng.begin() as conn:
        referentiel.init(conn)
    apres = _comptes(eng)  # les tables des révisions suivantes sont là, vides
    assert {t: apres[t] for t in avant} == avant  # aucune ligne perdue (valeurs, cibles, lots…)
    attendues = {
        (c["indicateur"], c["territoire"], c["periode"], c["source"]): (c["nature"], c["regle"])
        for c in referentiel.read_cibles(RACINE / "config")
    }
    with eng.connect() as conn:
        c = schema.cible
        lues = {
            (r.indicateur, r.territoire, r.periode, r.source): (r.nature, r.regle)
            for r in conn.execute(select(c.c.indicateur, c.c.territoire, c.c.periode,
                                         c.c.source, c.c.nature, c.c.regle))
        }  # fmt: skip
        assert migrations.revision_actuelle(conn) == migrations.tete()
        # Et la progression lue sur la base migrée ne juge plus le plafond.
        a71 = progression.read_progression(conn, indicateur="A7.1", territoire="67", mois=MOIS)
    eng.dispose()
    assert lues == attendues
    assert {n for cle, (n, _) in lues.items() if cle[0] == "A7.1"} == {"plafond"}
    assert set(a71["statut"]) == {"repère"}
