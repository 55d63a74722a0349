"""Une édition ne dit que ce qu'on savait à la fin de son mois (ticket 18, point 2), sur SQLite et
PostgreSQL.

La démonstration a des valeurs jusqu'en décembre 2019 ; l'édition de juin 2019 y est publiée comme
`pilotage demo` la publie. Chaque chiffre de l'édition (cartes, indicateurs, tableau du §4, moyens
et résultats de la diapositive du comité) et de ses exports est recalculé ici en SQL sur la table
`valeur`, sur les seules périodes closes en juin 2019 au plus tard ; le même calcul sur toutes les
périodes (ce que donnerait une lecture du jour) ne doit jamais s'y lire. Vu par l'administration
et par un élu du NORD ; puis un import qui change une valeur de mai 2019 ne change rien à
l'édition, à sa diapositive ni à ses exports.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pypdf
import pytest
from sqlalchemy import Connection, select

from dashboard import formats
from dashboard.exports import fichiers
from dashboard.modeles import moyens_resultats as calc
from dashboard.tableau_de_bord import comite, editions, moyens_figes
from dashboard.tableau_de_bord import contenu as tableau_bord
from dashboard.tableau_de_bord.contenu import LigneIndicateur, TableauDeBord
from data_access import imports, periodes, schema
from data_access.droits import administrateur_local

MOIS = "2019-06"
TOUJOURS = "9999-12"  # borne d'une lecture du jour : toutes les périodes connues
LECTEURS = (None, "NORD")  # l'administration, un élu du NORD
SOMMES = ("flux", "montant")


def _publier(conn: Connection) -> None:
    editions.publier_demo(conn, debut=MOIS, fin=MOIS)


def _edition(conn: Connection, territoire: str, perimetre: str | None) -> TableauDeBord:
    publiee = editions.lire_edition(conn, mois=MOIS, territoire=territoire)
    assert publiee is not None
    return editions.restreindre(publiee, perimetre)


# --- Le calcul indépendant, en SQL sur `valeur` ------------------------------------------------


def _par_periode(
    conn: Connection, indicateur: str, territoire: str
) -> dict[tuple[str, str], float]:
    """(début, fin) → valeur du territoire : celle saisie pour lui, sinon la somme de ses
    territoires d'action, sinon celle de ses cantons (valeurs en vigueur seulement)."""
    v, t = schema.valeur, schema.territoire
    parents = {str(c): p for c, p in conn.execute(select(t.c.code, t.c.parent))}
    requete = (
        select(v.c.debut, v.c.fin, v.c.territoire, t.c.niveau, t.c.parent, v.c.valeur)
        .join(t, t.c.code == v.c.territoire)
        .where(v.c.courante, v.c.indicateur == indicateur, v.c.valeur.is_not(None))
    )
    sommes: dict[tuple[str, str], dict[str, float]] = {}
    for debut, fin, code, niveau, parent, valeur in conn.execute(requete):
        if code == territoire:
            source = "saisie"
        elif niveau == "territoire_action" and parent == territoire:
            source = "territoires"
        elif niveau == "canton" and territoire in (parent, parents.get(parent)):
            source = "cantons"
        else:
            continue
        par_source = sommes.setdefault((str(debut), str(fin)), {})
        par_source[source] = par_source.get(source, 0.0) + float(valeur)
    return {
        cle: s.get("saisie", s.get("territoires", s.get("cantons", math.nan)))
        for cle, s in sommes.items()
    }


def _plage(conn: Connection, indicateur: str, territoire: str, periode: str) -> tuple[str, str]:
    c = schema.cible
    return conn.execute(
        select(c.c.debut, c.c.fin).where(c.c.indicateur == indicateur,
                                         c.c.territoire == territoire, c.c.periode == periode)
    ).first()  # type: ignore[return-value]  # fmt: skip


def _cumul(
    valeurs: dict[tuple[str, str], float], nature: str, debut: str, fin: str
) -> float | None:
    """Somme des périodes (flux, montant) ou niveau de la dernière (stock), de `debut` à `fin`."""
    gardees = sorted((f, x) for (d, f), x in valeurs.items() if d >= debut and f <= fin)
    if not gardees:
        return None
    return sum(x for _, x in gardees) if nature in SOMMES else gardees[-1][1]


@dataclass(frozen=True)
class Attendu:
    """Un chiffre de l'édition recalculé : borné à juin 2019, et lu aujourd'hui."""

    code: str
    periode_cible: str
    borne: float | None
    du_jour: float | None


def _realise(
    conn: Connection, ligne: LigneIndicateur, territoire: str, *, periode: str, borne: str
) -> float | None:
    valeurs = _par_periode(conn, ligne.code, territoire)
    if ligne.suivi != "cible":  # sans cible : la dernière valeur connue
        dernieres = sorted((f, x) for (_, f), x in valeurs.items() if f <= borne)
        return dernieres[-1][1] if dernieres else None
    debut, fin = _plage(conn, ligne.code, territoire, periode)
    return _cumul(valeurs, ligne.nature, debut, min(fin, borne))


def _attendus(conn: Connection, tableau: TableauDeBord) -> list[Attendu]:
    """Les réalisés des cartes et des indicateurs (flux, montants, stocks) recalculés."""
    lignes = {(i.code, i.periode_cible): i for i in (*tableau.synthese, *tableau.indicateurs)}
    return [
        Attendu(
            ligne.code,
            periode,
            _realise(conn, ligne, tableau.territoire, periode=periode, borne=MOIS),
            _realise(conn, ligne, tableau.territoire, periode=periode, borne=TOUJOURS),
        )
        for (_, periode), ligne in lignes.items()
        if ligne.nature in (*SOMMES, "stock") and ligne.suivi in ("cible", "sans cible")
    ]


def _proche(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.5)


def _annee_sql(conn: Connection, indicateur: str, borne: str) -> float | None:
    """Le résultat 2019 du département (somme, ou niveau de fin pour un stock) jusqu'à `borne`."""
    i = schema.indicateur
    nature = conn.execute(select(i.c.nature).where(i.c.code == indicateur)).scalar_one()
    return _cumul(_par_periode(conn, indicateur, "67"), nature, "2019-01", min("2019-12", borne))


def _ressource_sql(conn: Connection, code: str) -> float:
    r = schema.ressource
    return float(conn.execute(select(r.c.valeur).where(r.c.code == code)).scalar_one())


# --- Le contenu de l'édition --------------------------------------------------------------------


@pytest.mark.parametrize("perimetre", LECTEURS)
def test_les_chiffres_de_l_edition_sont_ceux_des_periodes_closes_a_son_mois(
    conn: Connection, perimetre: str | None
) -> None:
    _publier(conn)
    for territoire in ("67", perimetre or "SUD"):
        edition = _edition(conn, territoire, perimetre)
        attendus = _attendus(conn, edition)
        reels = {(i.code, i.periode_cible): i.reel for i in (*edition.synthese,
                                                               *edition.indicateurs)}  # fmt: skip
        faux = [(a, reels[a.code, a.periode_cible]) for a in attendus
                if not _proche(reels[a.code, a.periode_cible], a.borne)]  # fmt: skip
        assert attendus and faux == []
        tardifs = [a for a in attendus if not _proche(a.borne, a.du_jour)]
        assert len(tardifs) >= 5, "la démonstration a des valeurs après juin 2019"
        assert not [a for a in tardifs if _proche(reels[a.code, a.periode_cible], a.du_jour)]
        _verifier_section4(conn, edition)
        _verifier_dates(edition)


def _verifier_section4(conn: Connection, edition: TableauDeBord) -> None:
    assert edition.territoires
    for case in edition.territoires:
        valeurs = _par_periode(conn, case.indicateur, case.territoire)
        debut, fin = _plage(conn, case.indicateur, case.territoire, case.periode)
        nature = conn.execute(
            select(schema.indicateur.c.nature).where(schema.indicateur.c.code == case.indicateur)
        ).scalar_one()
        assert _proche(case.reel, _cumul(valeurs, nature, debut, min(fin, MOIS))), case


def _verifier_dates(edition: TableauDeBord) -> None:
    """Aucune période citée par l'édition ne se termine après son mois."""
    dates = [i.donnees_au for i in (*edition.synthese, *edition.indicateurs)]
    dates += [t.donnees_au for t in edition.territoires]
    dates += [p.fin for c in edition.courbes for p in c.points]
    assert [d for d in dates if d and _fin(d) > MOIS] == []
    assert edition.derniere_periode <= MOIS


def _fin(periode: str) -> str:
    return str(periodes.parse(periode).fin)


@pytest.mark.parametrize("perimetre", LECTEURS)
def test_les_moyens_et_resultats_de_l_edition_s_arretent_a_son_mois(
    conn: Connection, perimetre: str | None
) -> None:
    _publier(conn)
    for territoire in ("67", perimetre or "SUD"):
        moyens = moyens_figes.pour(_edition(conn, territoire, perimetre).moyens, perimetre)
        assert moyens is not None and (moyens.annee, moyens.jusqu_a) == (2019, MOIS)
        ratios = {r.libelle: r for r in moyens.ratios}
        assert {r.libelle for r in calc.RAPPROCHEMENTS} == set(ratios)
        for rapprochement in calc.RAPPROCHEMENTS:
            ratio = ratios[rapprochement.libelle]
            borne = _annee_sql(conn, rapprochement.indicateur, MOIS)
            annee_entiere = _annee_sql(conn, rapprochement.indicateur, TOUJOURS)
            assert _proche(ratio.resultat.valeur, borne), (rapprochement, ratio.resultat)
            assert annee_entiere is not None and not _proche(borne, annee_entiere)
            if borne is None:  # A6.1, annuel : l'année 2019 n'est pas close en juin
                assert ratio.valeur is None and ratio.resultat.periode == "2019 : aucune valeur"
                continue
            moyen = _ressource_sql(conn, rapprochement.ressource)
            quotient = (
                borne / moyen if ratio.sens is calc.Sens.RESULTAT_PAR_MOYEN else moyen / borne
            )
            assert ratio.valeur is not None and math.isclose(ratio.valeur, quotient)
            assert not ratio.resultat.complet and "ratio partiel" in ratio.mention


# --- Les exports ------------------------------------------------------------------------------


def _csv_realises(octets: bytes) -> dict[str, set[str]]:
    """Code → réalisés écrits dans le CSV (toutes sections)."""
    lignes = octets.decode("utf-8-sig").splitlines()
    debut = next(n for n, ligne in enumerate(lignes) if ligne.startswith("Section;"))
    realises: dict[str, set[str]] = {}
    for rang in csv.DictReader(lignes[debut:], delimiter=";"):
        if rang.get("Code"):
            realises.setdefault(rang["Code"], set()).add(rang["Réalisé"])
    return realises


def _xlsx_realises(octets: bytes) -> dict[str, set[float | None]]:
    classeur = openpyxl.load_workbook(io.BytesIO(octets), read_only=True)
    realises: dict[str, set[float | None]] = {}
    for feuille in classeur.worksheets:
        rangs = list(feuille.iter_rows(values_only=True))
        tete = next((n for n, r in enumerate(rangs) if "Code" in r and "Réalisé" in r), None)
        if tete is None:
            continue
        code, realise = rangs[tete].index("Code"), rangs[tete].index("Réalisé")
        for rang in rangs[tete + 1 :]:
            if rang[code]:
                realises.setdefault(str(rang[code]), set()).add(rang[realise])  # type: ignore[arg-type]
    return realises


def _cellules_pdf(octets: bytes) -> set[str]:
    """Les lignes de texte du PDF, espaces normalisés : une cellule de tableau par ligne."""
    lecteur = pypdf.PdfReader(io.BytesIO(octets))
    texte = "\n".join(page.extract_text() or "" for page in lecteur.pages)
    return {_espaces(ligne) for ligne in texte.splitlines()}


def _espaces(texte: str) -> str:
    return re.sub(r"[ \u202f\u00a0]+", " ", texte).strip()


def _nombre_csv(x: float | None) -> str:
    if x is None:
        return ""  # aucune valeur : cellule vide, jamais 0
    return str(int(x)) if float(x).is_integer() else repr(float(x)).replace(".", ",")


def _arrondi_export(x: float | None, unite: str) -> float | None:
    """Un nombre tel que l'exporte la forme 2 (ticket 18, point 11) : au dixième pour un taux, au
    centième pour des ETP, sinon à l'unité ; arrondi commercial (0,5 vers le haut)."""
    if x is None:
        return None
    pas = Decimal(1).scaleb(-{"%": 1, "ETP": 2}.get(unite, 0))
    return float(Decimal(repr(float(x))).quantize(pas, rounding=ROUND_HALF_UP))


def _unites(conn: Connection) -> dict[str, str]:
    i = schema.indicateur
    return {str(c): str(u) for c, u in conn.execute(select(i.c.code, i.c.unite))}


@pytest.mark.parametrize("perimetre", LECTEURS)
def test_les_exports_de_l_edition_n_ont_que_des_chiffres_de_son_mois(
    conn: Connection, perimetre: str | None
) -> None:
    _publier(conn)
    for territoire in ("67", perimetre or "SUD"):
        edition = _edition(conn, territoire, perimetre)
        attendus = _attendus(conn, edition)
        dans_csv = _csv_realises(fichiers.exporter(edition, "csv"))
        dans_xlsx = _xlsx_realises(fichiers.exporter(edition, "xlsx"))
        pdf = _cellules_pdf(fichiers.exporter(edition, "pdf"))
        unites = _unites(conn)
        bornes: dict[str, set[float | None]] = {}
        for a in attendus:
            bornes.setdefault(a.code, set()).add(a.borne)
        for code, valeurs in bornes.items():
            exportes = {_nombre_csv(_arrondi_export(x, unites[code])) for x in valeurs}
            assert dans_csv[code] == exportes, code
            assert all(any(_proche(x, b) for b in valeurs) for x in dans_xlsx[code]), code
        tardifs = [a for a in attendus if a.du_jour is not None and not _proche(a.borne, a.du_jour)]
        synthese = {i.code: i.unite for i in edition.synthese}
        assert [a for a in tardifs if a.code in synthese], "des cartes ont bougé après juin"
        for a in tardifs:
            if a.code in synthese:  # les cartes : en tête du PDF, en gros chiffres
                assert a.borne is not None and a.du_jour is not None
                assert _espaces(formats.valeur(a.borne, synthese[a.code])) in pdf, a
                assert _espaces(formats.valeur(a.du_jour, synthese[a.code])) not in pdf, a


# --- Un import après la publication -----------------------------------------------------------


def _changer_mai(conn: Connection) -> None:
    """Un import ajoute 50 placements (A2.1) à un canton en mai 2019, comme une correction."""
    v = schema.valeur
    ancienne = conn.execute(
        select(v.c.valeur).where(v.c.courante, v.c.indicateur == "A2.1", v.c.territoire == "6705",
                                 v.c.periode == "2019-05")
    ).scalar_one()  # fmt: skip
    fichier = f"indicateur;territoire;periode;valeur\nA2.1;6705;2019-05;{ancienne + 50:.0f}\n"
    imports.commit_import(
        conn,
        nom="correction.csv",
        contenu=fichier.encode(),
        acteur=administrateur_local("test"),
        correction=True,
        aujourdhui=date(2019, 12, 15),
    )


def _empreinte(conn: Connection, perimetre: str | None) -> dict[str, object]:
    """Ce que montrent l'édition, sa diapositive « Moyens et résultats » et ses exports."""
    sortie: dict[str, object] = {}
    for territoire in ("67", perimetre or "SUD"):
        edition = _edition(conn, territoire, perimetre)
        moyens = moyens_figes.pour(edition.moyens, perimetre)
        assert moyens is not None
        sortie[territoire] = (
            tableau_bord.to_json(edition),
            comite.lignes_ratios(moyens.ratios),
            [comite.aide_ratio(r) for r in moyens.ratios],
            fichiers.exporter(edition, "pdf"),
            fichiers.exporter(edition, "csv"),
            _cellules_xlsx(fichiers.exporter(edition, "xlsx")),
        )
    return sortie


def _cellules_xlsx(octets: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Les cellules de chaque feuille : openpyxl date lui-même l'enregistrement du classeur, si
    bien que deux XLSX d'une même édition ne sont pas identiques à l'octet (voir `en_xlsx`)."""
    classeur = openpyxl.load_workbook(io.BytesIO(octets), read_only=True)
    return {f.title: list(f.iter_rows(values_only=True)) for f in classeur.worksheets}


@pytest.mark.parametrize("perimetre", LECTEURS)
def test_un_import_apres_publication_ne_change_ni_l_edition_ni_ses_exports(
    conn: Connection, perimetre: str | None
) -> None:
    _publier(conn)
    avant = _empreinte(conn, perimetre)
    placements = "Placements de l'équipe emploi par conseiller emploi"
    (direct_avant,) = editions.lire_moyens(conn, mois=MOIS, lecteurs={"67": (perimetre,)})["67"]

    _changer_mai(conn)

    assert _empreinte(conn, perimetre) == avant
    (direct,) = editions.lire_moyens(conn, mois=MOIS, lecteurs={"67": (perimetre,)})["67"]
    en_direct = {r.libelle: r.resultat.valeur for r in direct.ratios}
    publie = {r.libelle: r.resultat.valeur for r in direct_avant.ratios}
    assert en_direct[placements] == publie[placements] + 50  # le direct, lui, a changé
    assert en_direct[placements] == _annee_sql(conn, "A2.1", MOIS)


def test_une_edition_publiee_avant_les_moyens_figes_se_relit_et_s_exporte_a_l_identique(
    conn: Connection,
) -> None:
    _publier(conn)
    edition = _edition(conn, "67", None)
    assert edition.moyens and tableau_bord.from_json(tableau_bord.to_json(edition)) == edition
    brut = json.loads(tableau_bord.to_json(edition))
    del brut["moyens"]  # le JSON d'une édition publiée par la version précédente
    ancienne = tableau_bord.from_json(json.dumps(brut, ensure_ascii=False, sort_keys=True))
    assert ancienne.moyens == () and moyens_figes.pour(ancienne.moyens, None) is None
    for format_ in ("csv", "pdf"):
        assert fichiers.exporter(ancienne, format_) == fichiers.exporter(edition, format_)
    assert _cellules_xlsx(fichiers.exporter(ancienne, "xlsx")) == _cellules_xlsx(
        fichiers.exporter(edition, "xlsx")
    )
