"""Import des indicateurs, sur SQLite et PostgreSQL : fichiers refusés, bons fichiers, annulation.

Chaque fichier du corpus `tests/fichiers_import/` enfreint une règle : le test vérifie le
message exact, avec sa ligne et sa colonne, et que la base n'a pas bougé (nombre de lignes et
empreinte de la table des valeurs). La date du jour est fixée (15 janvier 2024) pour que la
règle « période dans le futur » ne dépende pas du jour où les tests tournent.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Connection, func, select

from dashboard import cli
from data_access import engine, imports, lots, publications, referentiel, schema, series
from data_access.droits import administrateur_local
from data_access.fichiers_import import ConfigImport, ImportRefuse
from tests.fichiers_import import classeurs

CORPUS = Path(__file__).resolve().parents[1] / "fichiers_import"
AUJOURDHUI = date(2024, 1, 15)
PETIT = ConfigImport(taille_max_octets=512)
ATTENDUS = "67, un territoire d'action (EMS, NORD, OUEST, SUD) ou un canton (6701 à 6723)"
CONSEIL = "enregistrez le fichier en « CSV UTF-8 » (ou « CSV (séparateur : point-virgule) »)"
PUBLIE = (
    "mois publié (2019-09) : cette ligne modifie un chiffre déjà publié ; pour le corriger, "
    "cochez « Correction d'un mois publié » (ligne de commande : --correction)"
)
TRIMESTRE = "attendu AAAA-Tn, par exemple 2019-T3"

# Classeurs fabriqués à la volée (voir tests/fichiers_import/classeurs.py), par nom de fichier.
CLASSEURS: dict[str, Callable[[], bytes]] = {
    "formule.xlsx": classeurs.formule,
    "indicateur_inconnu.xlsx": classeurs.indicateur_inconnu,
    "periodicite.xlsx": classeurs.periodicite,
    "vide.xlsx": classeurs.vide,
    "macros_cachees.xlsx": classeurs.macros_cachees,
    "document.xlsx": classeurs.document_non_classeur,
    "classeur_renomme.csv": classeurs.bon,
    "bon.xlsx": classeurs.bon,
    # Ticket 19 : classeurs hostiles.
    "feuille_cachee.xlsx": classeurs.feuille_cachee,
    "deux_feuilles.xlsx": classeurs.deux_feuilles,
    "valeurs_masquee.xlsx": classeurs.valeurs_masquee,
    "feuille_valeurs.xlsx": classeurs.feuille_valeurs_parmi_d_autres,
    "cellules_fusionnees.xlsx": classeurs.cellules_fusionnees,
    "formule_periode.xlsx": classeurs.formule_periode,
    "nombre_enorme.xlsx": classeurs.nombre_enorme,
    "vingt_six_chiffres.xlsx": classeurs.vingt_six_chiffres,
    "date_serie.xlsx": classeurs.date_serie,
    "nombre_infini.xlsx": classeurs.nombre_infini,
}
NBSP = "\u00a0"
EFFECTIF_MAX = (
    f"moins de 10{NBSP}000{NBSP}000 attendu (réglage plafond de [nombres.flux] dans "
    "config/import.toml)"
)
MONTANT_MAX = (
    f"moins de 1{NBSP}000{NBSP}000{NBSP}000{NBSP}000 attendu (réglage plafond de "
    "[nombres.montant] dans config/import.toml)"
)
ENTIER = "un effectif (contrôles) est un nombre entier"
EXCEL_SERIE = (
    "(attendu AAAA-MM, par exemple 2019-06) ; 43617 ressemble à une date d'Excel écrite "
    "en nombre (le 01/06/2019) : écrivez la période en texte, par exemple 2019-06"
)
REGLES_MILLIERS = "(milliers séparés par une espace ou rien, décimales par une virgule)"

# Une règle par fichier (voir tests/fichiers_import/README.md) : les messages exacts attendus.
REFUS: dict[str, list[str]] = {
    "trop_gros.csv": [
        "trop_gros.csv: fichier trop volumineux : 1 Ko pour 512 octets au plus (réglage "
        "taille_max_mo de config/import.toml) ; découpez-le en plusieurs fichiers"
    ],
    "ancien_format.xls": [
        "ancien_format.xls: format Excel 97-2003 (.xls) non accepté : enregistrez le classeur en "
        ".xlsx ou en CSV"
    ],
    "macros.xlsm": [
        "macros.xlsm: classeur avec macros (.xlsm) refusé : enregistrez-le en « Classeur Excel "
        "(.xlsx) », sans macros"
    ],
    "macros_cachees.xlsx": [
        "macros_cachees.xlsx: classeur avec macros refusé : enregistrez-le en « Classeur Excel "
        "(.xlsx) »"
    ],
    "classeur_renomme.csv": [
        "classeur_renomme.csv: ce fichier .csv n'est pas un CSV : c'est un classeur ou une "
        "archive ZIP (XLSX ?). Enregistrez les données en CSV, ou importez le classeur sous son "
        "extension .xlsx"
    ],
    "pdf_renomme.csv": [
        "pdf_renomme.csv: ce fichier .csv n'est pas un CSV : c'est un document PDF. Enregistrez "
        "les données en CSV, ou importez le classeur sous son extension .xlsx"
    ],
    "binaire.csv": [
        "binaire.csv:ligne 1: ce fichier .csv n'est pas un fichier texte (octet de contrôle "
        "0x00) : exportez les données en CSV depuis le tableur"
    ],
    "texte_renomme.xlsx": [
        "texte_renomme.xlsx: ce fichier .xlsx n'est pas un classeur Excel : c'est un fichier "
        "texte (un CSV renommé ?). Enregistrez-le depuis le tableur au format « Classeur Excel "
        "(.xlsx) » ou en CSV"
    ],
    "document.xlsx": [
        "document.xlsx: ce fichier .xlsx n'est pas un classeur Excel : l'archive ne contient pas "
        "de classeur (document d'un autre logiciel ?). Enregistrez-le au format .xlsx ou en CSV"
    ],
    "utf16.csv": [f"utf16.csv: encodage UTF-16 non accepté : {CONSEIL}"],
    "encodage_inconnu.csv": [
        "encodage_inconnu.csv:ligne 3: encodage non reconnu : l'octet 0x81 n'est ni de l'UTF-8 "
        f"ni du Windows-1252 ; {CONSEIL}"
    ],
    "encodage_melange.csv": [
        "encodage_melange.csv:ligne 3: encodage mélangé : le fichier est en UTF-8 mais l'octet "
        f"0xE9 ne l'est pas (caractère écrit en Windows-1252 ?) ; {CONSEIL}"
    ],
    "tabulations.csv": [
        "tabulations.csv:ligne 1: séparateur non accepté : les colonnes sont séparées par des "
        "tabulations ; séparez-les par « ; » ou « , »"
    ],
    "vide.csv": ["vide.csv: fichier vide : il ne contient aucune ligne"],
    "vide.xlsx": ["vide.xlsx: fichier vide : il ne contient aucune ligne"],
    "entete_seule.csv": [
        "entete_seule.csv:ligne 1: le fichier n'a que sa ligne d'en-tête : aucune ligne de données"
    ],
    "colonne_manquante.csv": [
        "colonne_manquante.csv:ligne 1:valeur: colonne obligatoire absente (en-têtes lus : "
        "indicateur, territoire, periode ; attendus : indicateur;territoire;periode;valeur)"
    ],
    "colonne_double.csv": ["colonne_double.csv:ligne 1:periode: colonne en double dans l'en-tête"],
    "virgule_non_protegee.csv": [
        "virgule_non_protegee.csv:ligne 2: 5 champs pour 4 colonnes d'en-tête (une virgule "
        'décimale dans un fichier séparé par des virgules doit être entre guillemets : "12,5")'
    ],
    "formule.xlsx": [
        "formule.xlsx:ligne 3:valeur: formule refusée (=D2*2) : remplacez les formules par leurs "
        "valeurs (copier, puis collage spécial « valeurs »)"
    ],
    "indicateur_inconnu.csv": [
        "indicateur_inconnu.csv:ligne 3:indicateur: indicateur inconnu : « OO9-S.9 » (codes : "
        "voir le modèle d'import)"
    ],
    "indicateur_inconnu.xlsx": [
        "indicateur_inconnu.xlsx:ligne 3:indicateur: indicateur inconnu : « ZZ-1 » (codes : voir "
        "le modèle d'import)"
    ],
    "territoire_inconnu_cp1252.csv": [
        "territoire_inconnu_cp1252.csv:ligne 3:territoire: territoire inconnu : « Sélestat » "
        f"(attendu {ATTENDUS})"
    ],
    "commune.csv": [
        f"commune.csv:ligne 2:territoire: « 67482 » est une commune : on importe pour {ATTENDUS}"
    ],
    "echelle.csv": [
        "echelle.csv:ligne 2:territoire: l'indicateur A2.2 est suivi pour le département : "
        "attendu 67, pas 6703"
    ],
    "periode_invalide.csv": [
        f"periode_invalide.csv:ligne 2:periode: période invalide : « 2019/06 » ({TRIMESTRE})"
    ],
    "periodicite.csv": [
        "periodicite.csv:ligne 2:periode: période « 2019-06 » mensuelle, mais l'indicateur "
        f"OO2-S.1 est de périodicité trimestrielle : {TRIMESTRE}"
    ],
    "periodicite.xlsx": [
        "periodicite.xlsx:ligne 2:periode: période « 2019-06 » mensuelle, mais l'indicateur "
        f"OO2-S.1 est de périodicité trimestrielle : {TRIMESTRE}"
    ],
    "avant_plan.csv": [
        "avant_plan.csv:ligne 2:periode: période 2016-T4 antérieure au début du plan "
        "PDIE-2017-2019 (2017-01)"
    ],
    "futur.csv": [
        "futur.csv:ligne 2:periode: période 2024-T2 dans le futur (mois en cours : 2024-01)"
    ],
    "non_numerique_cp1252.csv": [
        "non_numerique_cp1252.csv:ligne 2:valeur: valeur non numérique : « douze\u00a0é » "
        "(attendu un nombre, par exemple 12,5)"
    ],
    "negatif.csv": [
        "negatif.csv:ligne 2:valeur: nombre négatif (-3) : un effectif (retours à l'emploi) ne "
        "peut pas être négatif"
    ],
    "taux_hors_bornes.csv": [
        "taux_hors_bornes.csv:ligne 2:valeur: taux hors bornes (120) : attendu de 0 à 100 %"
    ],
    "numerateur_superieur.csv": [
        "numerateur_superieur.csv:ligne 2:numerateur: numérateur (140) supérieur au dénominateur "
        "(100) : un taux ne dépasse pas 100 %"
    ],
    "denominateur_nul.csv": [
        "denominateur_nul.csv:ligne 2:denominateur: dénominateur nul : le taux n'est pas défini"
    ],
    "taux_incoherent.csv": [
        "taux_incoherent.csv:ligne 2:valeur: valeur 45 incohérente avec numérateur / dénominateur "
        "(40 / 100 = 40 %)"
    ],
    "numerateur_hors_taux.csv": [
        "numerateur_hors_taux.csv:ligne 2:numerateur: numérateur et dénominateur ne servent "
        "qu'aux taux : OO2-S.1 est de nature « flux » ; laissez ces colonnes vides"
    ],
    "jalon.csv": ["jalon.csv:ligne 2:valeur: jalon : 1 (réalisé) ou 0 (non réalisé) attendu, lu 2"],
    "statut_inconnu_cp1252.csv": [
        "statut_inconnu_cp1252.csv:ligne 2:statut: statut inconnu : « défini » (provisoire ou "
        "définitif)"
    ],
    "doublon.csv": [
        "doublon.csv:ligne 3:periode: doublon : même indicateur, territoire et période qu'à la "
        "ligne 2"
    ],
    "mois_publie.csv": [f"mois_publie.csv:ligne 2:periode: {PUBLIE}"],
    "plusieurs_erreurs.csv": [
        "plusieurs_erreurs.csv:ligne 3:indicateur: indicateur inconnu : « XX » (codes : voir le "
        "modèle d'import)",
        f"plusieurs_erreurs.csv:ligne 3:territoire: territoire inconnu : « 9999 » (attendu "
        f"{ATTENDUS})",
        "plusieurs_erreurs.csv:ligne 3:valeur: valeur non numérique : « abc » (attendu un nombre, "
        "par exemple 12,5)",
        "plusieurs_erreurs.csv:ligne 4:periode: période 2016-T4 antérieure au début du plan "
        "PDIE-2017-2019 (2017-01)",
        "plusieurs_erreurs.csv:ligne 4:valeur: nombre négatif (-1) : un effectif (retours à "
        "l'emploi) ne peut pas être négatif",
    ],
    # Ticket 19 : fichiers hostiles (voir tests/fichiers_import/README.md).
    "nombre_infini.csv": [
        "nombre_infini.csv:ligne 3:valeur: nombre non fini « 1e309 » : il dépasse ce qu'un "
        "ordinateur représente (environ 1,8 × 10^308)"
    ],
    "nombre_infini.xlsx": [
        "nombre_infini.xlsx:ligne 2:valeur: nombre non fini « inf » : écrivez un nombre ordinaire"
    ],
    "infini_en_texte.csv": [
        "infini_en_texte.csv:ligne 2:valeur: nombre non fini « -inf » : écrivez un nombre ordinaire"
    ],
    "nombre_enorme.csv": [
        f"nombre_enorme.csv:ligne 2:valeur: « 1e308 » trop grand pour un effectif (contrôles) : "
        f"{EFFECTIF_MAX}"
    ],
    "nombre_enorme.xlsx": [
        f"nombre_enorme.xlsx:ligne 3:valeur: « 1e+308 » trop grand pour un effectif (contrôles) "
        f": {EFFECTIF_MAX}"
    ],
    "vingt_six_chiffres.csv": [
        "vingt_six_chiffres.csv:ligne 2:valeur: « 12345678901234567890123456 » a 26 chiffres "
        "significatifs : 15 au plus (un tableur n'en garde pas davantage ; réglage "
        "chiffres_significatifs_max de config/import.toml)"
    ],
    "vingt_six_chiffres.xlsx": [
        f"vingt_six_chiffres.xlsx:ligne 2:valeur: « 1.23456789012346e+25 » trop grand pour un "
        f"montant (€) : {MONTANT_MAX}"
    ],
    "minuscule.csv": [
        "minuscule.csv:ligne 2:valeur: « 1e-320 » a 320 décimales : 6 au plus (réglage "
        "decimales_max de config/import.toml)"
    ],
    "montant_trop_grand.csv": [
        f"montant_trop_grand.csv:ligne 2:valeur: « 1 000 000 000 000 » trop grand pour un montant "
        f"(€) : {MONTANT_MAX}"
    ],
    "montant_negatif.csv": [
        "montant_negatif.csv:ligne 2:valeur: nombre négatif (-5) : un montant (€) ne peut pas "
        "être négatif"
    ],
    "milliers_anglais_compte.csv": [
        f"milliers_anglais_compte.csv:ligne 3:valeur: {ENTIER} : « 1,234 » se lit 1,234 (un "
        "virgule deux cent trente-quatre), avec une virgule décimale ; s'il s'agit de "
        f"1{NBSP}234 (mille deux cent trente-quatre), écrivez 1234 sans séparateur"
    ],
    "compte_decimal.csv": [f"compte_decimal.csv:ligne 2:valeur: {ENTIER} : lu « 1 234,5 »"],
    "montant_ambigu.csv": [
        "montant_ambigu.csv:ligne 2:valeur: séparateur ambigu dans « 12,500 » : la virgule peut "
        f"être décimale, 12,5 (douze virgule cinq), ou séparer les milliers, 12{NBSP}500 (douze "
        "mille cinq cents) ; écrivez 12,5 ou 12500 sans séparateur des milliers"
    ],
    "montant_ambigu_point.csv": [
        "montant_ambigu_point.csv:ligne 2:valeur: séparateur ambigu dans « 12.500 » : le point "
        f"peut être décimal, 12,5 (douze virgule cinq), ou séparer les milliers, 12{NBSP}500 "
        "(douze mille cinq cents) ; écrivez 12,5 ou 12500 sans séparateur des milliers"
    ],
    "milliers_anglais.csv": [
        "milliers_anglais.csv:ligne 2:valeur: séparateur des milliers « , » (convention "
        f"anglaise) non accepté dans « 1,234,567.5 » : s'il s'agit de 1{NBSP}234{NBSP}567,5, "
        f"écrivez 1234567,5 {REGLES_MILLIERS}"
    ],
    "milliers_allemands.csv": [
        "milliers_allemands.csv:ligne 2:valeur: séparateur des milliers « . » (convention "
        f"allemande) non accepté dans « 1.234.567,5 » : s'il s'agit de 1{NBSP}234{NBSP}567,5, "
        f"écrivez 1234567,5 {REGLES_MILLIERS}"
    ],
    "milliers_suisses.csv": [
        "milliers_suisses.csv:ligne 2:valeur: séparateur des milliers « ' » (convention suisse) "
        f"non accepté dans « 1'234'567 » : s'il s'agit de 1{NBSP}234{NBSP}567, écrivez 1234567 "
        f"{REGLES_MILLIERS}"
    ],
    "feuille_valeurs.xlsx": [
        f"feuille_valeurs.xlsx:ligne 2:valeur: {ENTIER} : « 12,500 » se lit 12,5 (douze virgule "
        f"cinq), avec une virgule décimale ; s'il s'agit de 12{NBSP}500 (douze mille cinq "
        "cents), écrivez 12500 sans séparateur"
    ],
    "periode_mois_court.csv": [
        "periode_mois_court.csv:ligne 2:periode: période invalide : « 2019-6 » (attendu AAAA-MM, "
        "par exemple 2019-06) ; pour le mois 6 de 2019, écrivez 2019-06"
    ],
    "periode_mois_annee.csv": [
        "periode_mois_annee.csv:ligne 2:periode: période invalide : « 06/2019 » (attendu "
        "AAAA-MM, par exemple 2019-06) ; pour le mois 6 de 2019, écrivez 2019-06"
    ],
    "periode_serie_excel.csv": [
        f"periode_serie_excel.csv:ligne 2:periode: période invalide : « 43617 » {EXCEL_SERIE}"
    ],
    "date_serie.xlsx": [
        f"date_serie.xlsx:ligne 2:periode: période invalide : « 43617 » {EXCEL_SERIE}"
    ],
    "entete_nfd_insecables.csv": [
        "entete_nfd_insecables.csv:ligne 2:periode: période invalide : « 2019-T9 » (attendu "
        "AAAA, par exemple 2019)"
    ],
    "caractere_invisible.csv": [
        "caractere_invisible.csv:ligne 2:indicateur: indicateur inconnu : « A31.1[U+200B] » "
        "(codes : voir le modèle d'import)"
    ],
    "cellule_multiligne.csv": [
        "cellule_multiligne.csv:ligne 3:valeur: valeur non numérique : « douze » (attendu un "
        "nombre, par exemple 12,5)"
    ],
    "champ_geant.csv": [
        f"champ_geant.csv:ligne 2: cellule de plus de 131{NBSP}072 caractères : ce n'est pas une "
        "valeur d'indicateur (guillemet « \" » jamais fermé ?)"
    ],
    "bom_seul.csv": ["bom_seul.csv: fichier vide : il ne contient aucune ligne"],
    "entete_invisible.csv": [
        "entete_invisible.csv:ligne 1:valeur: colonne obligatoire absente (en-têtes lus : "
        "indicateur, territoire, periode, valeur[U+200B] ; attendus : "
        "indicateur;territoire;periode;valeur)"
    ],
    "feuille_cachee.xlsx": [
        "feuille_cachee.xlsx:ligne 3:valeur: valeur non numérique : « trente » (attendu un "
        "nombre, par exemple 12,5)"
    ],
    "deux_feuilles.xlsx": [
        "deux_feuilles.xlsx: classeur à 2 feuilles visibles (« Feuil1 », « Feuil2 ») : laquelle "
        "importer ? Nommez « Valeurs » la feuille à importer, ou supprimez les autres"
    ],
    "valeurs_masquee.xlsx": [
        "valeurs_masquee.xlsx: la feuille « Valeurs » est masquée : affichez-la (clic droit sur "
        "les onglets, « Afficher… ») pour l'importer"
    ],
    "cellules_fusionnees.xlsx": [
        "cellules_fusionnees.xlsx:ligne 2: cellules fusionnées dans la feuille « Indicateurs » "
        "(A2:A3) : défusionnez-les et écrivez la valeur dans chaque ligne"
    ],
    "formule_periode.xlsx": [
        "formule_periode.xlsx:ligne 2:periode: formule refusée (=DATE(2019,6,1)) : remplacez les "
        "formules par leurs valeurs (copier, puis collage spécial « valeurs »)"
    ],
}


def _contenu(nom: str) -> bytes:
    return CLASSEURS[nom]() if nom in CLASSEURS else (CORPUS / nom).read_bytes()


def _publier(conn: Connection, *mois: str) -> None:
    for m in mois:
        publications.publish(conn, mois=m, acteur=administrateur_local("test"))


def _empreinte(conn: Connection) -> tuple[dict[str, int], str]:
    """Nombre de lignes des tables que l'import touche, et empreinte de toute la table valeur."""
    comptes = {
        t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
        for t in (schema.valeur, schema.lot_import, schema.journal, schema.publication)
    }
    v = schema.valeur
    lignes = conn.execute(select(v).order_by(v.c.id)).all()
    return comptes, hashlib.sha256(repr([tuple(li) for li in lignes]).encode()).hexdigest()


def _en_vigueur(conn: Connection) -> str:
    """Empreinte des valeurs en vigueur (clé, valeurs, statut, lot) : ce que les pages lisent."""
    v = schema.valeur
    colonnes = [v.c.indicateur, v.c.territoire, v.c.periode, v.c.valeur, v.c.numerateur,
                v.c.denominateur, v.c.statut, v.c.lot]  # fmt: skip
    lignes = conn.execute(select(*colonnes).where(v.c.courante).order_by(*colonnes[:3])).all()
    return hashlib.sha256(repr([tuple(li) for li in lignes]).encode()).hexdigest()


def _importer(conn: Connection, nom: str, contenu: bytes | None = None, **options: object):  # type: ignore[no-untyped-def]
    return imports.commit_import(
        conn,
        nom=nom,
        contenu=_contenu(nom) if contenu is None else contenu,
        acteur=administrateur_local("test"),
        aujourdhui=AUJOURDHUI,
        **options,  # type: ignore[arg-type]
    )


def _valeur(conn: Connection, indicateur: str, canton: str, periode: str) -> float | None:
    cadre = series.read_par_canton(conn, indicateur=indicateur, periode=periode)
    return float(cadre.loc[cadre["canton"] == canton, "valeur"].iloc[0])


# Les fichiers hostiles du ticket 19, en plus du corpus d'origine (au moins 25).
HOSTILES_19 = {n for n in REFUS if n in {
    "nombre_infini.csv", "nombre_infini.xlsx", "infini_en_texte.csv", "nombre_enorme.csv",
    "nombre_enorme.xlsx", "vingt_six_chiffres.csv", "vingt_six_chiffres.xlsx", "minuscule.csv",
    "montant_trop_grand.csv", "montant_negatif.csv", "milliers_anglais_compte.csv",
    "compte_decimal.csv", "montant_ambigu.csv", "montant_ambigu_point.csv",
    "milliers_anglais.csv", "milliers_allemands.csv", "milliers_suisses.csv",
    "feuille_valeurs.xlsx", "periode_mois_court.csv", "periode_mois_annee.csv",
    "periode_serie_excel.csv", "date_serie.xlsx", "entete_nfd_insecables.csv",
    "caractere_invisible.csv", "entete_invisible.csv", "cellule_multiligne.csv",
    "champ_geant.csv", "bom_seul.csv",
    "feuille_cachee.xlsx", "deux_feuilles.xlsx", "valeurs_masquee.xlsx",
    "cellules_fusionnees.xlsx", "formule_periode.xlsx",
}}  # fmt: skip


def test_le_corpus_couvre_au_moins_25_fichiers_dans_les_deux_encodages_et_en_xlsx() -> None:
    assert len(REFUS) >= 25 and len(HOSTILES_19) >= 25
    assert any(n.endswith("_cp1252.csv") for n in REFUS) and any(n.endswith(".xlsx") for n in REFUS)
    assert all(n in CLASSEURS or (CORPUS / n).exists() for n in REFUS)


@pytest.mark.parametrize("nom", sorted(REFUS))
def test_un_fichier_refuse_dit_chaque_erreur_et_ne_change_rien(conn: Connection, nom: str) -> None:
    if nom == "mois_publie.csv":
        _publier(conn, "2019-06", "2019-09")
    avant = _empreinte(conn)
    config = PETIT if nom == "trop_gros.csv" else None
    with pytest.raises(ImportRefuse) as refus:
        _importer(conn, nom, config=config)
    assert [str(e) for e in refus.value.erreurs] == REFUS[nom]
    assert _empreinte(conn) == avant


@pytest.mark.parametrize(
    ("nom", "comptes"),
    [
        ("bon.csv", lots.Comptes(ajoutees=1, modifiees=2)),
        ("bon_cp1252.csv", lots.Comptes(ajoutees=1, modifiees=2)),
        ("bon.xlsx", lots.Comptes(ajoutees=1, modifiees=2)),
    ],
)
def test_un_bon_fichier_s_importe_en_un_lot_puis_le_reimport_ne_change_rien(
    conn: Connection, nom: str, comptes: lots.Comptes
) -> None:
    contenu = _contenu(nom)  # un classeur refait porterait une autre date d'enregistrement
    apercu = imports.prepare_import(conn, nom=nom, contenu=contenu, aujourdhui=AUJOURDHUI)
    assert apercu.comptes == comptes
    modifiee = apercu.par_etat("modifiee").loc[2]
    assert (modifiee["periode"], modifiee["ancien_valeur"], modifiee["valeur"]) == (
        "2019-T3", 26.0, 777.0)  # fmt: skip
    resultat = _importer(conn, nom, contenu, attendu=apercu.comptes)
    assert resultat.lot is not None and resultat.comptes == comptes
    assert _valeur(conn, "OO2-S.1", "6705", "2019-T3") == 777.0
    lot = conn.execute(
        select(schema.lot_import).where(schema.lot_import.c.id == resultat.lot)
    ).one()
    sha256 = hashlib.sha256(contenu).hexdigest()
    assert (lot.fichier, lot.sha256, lot.auteur, lot.type, lot.statut) == (
        nom, sha256, "test", "indicateurs", "valide")  # fmt: skip
    assert (lot.lignes_ajoutees, lot.lignes_modifiees, lot.lignes_identiques) == (1, 2, 0)
    journal = imports.read_journal(conn)
    assert (journal.loc[0, "action"], journal.loc[0, "objet"]) == ("import", f"lot {resultat.lot}")

    avant = _empreinte(conn)
    encore = _importer(conn, nom, contenu)
    assert encore.lot is None and encore.comptes == lots.Comptes(identiques=3)
    assert encore.apercu.deja_importe == resultat.lot
    assert _empreinte(conn) == avant


def test_un_taux_donne_par_numerateur_et_denominateur_est_range_exact(conn: Connection) -> None:
    _importer(conn, "bon.csv")
    v = schema.valeur
    ligne = conn.execute(
        select(v.c.valeur, v.c.numerateur, v.c.denominateur, v.c.statut)
        .where(v.c.courante, v.c.indicateur == "FIN-1.1", v.c.territoire == "6701",
               v.c.periode == "2019")
    ).one()  # fmt: skip
    assert tuple(ligne) == (40.0, 40.0, 100.0, "definitif")


def test_l_annulation_rend_exactement_les_valeurs_d_avant(conn: Connection) -> None:
    avant = _en_vigueur(conn)
    resultat = _importer(conn, "bon.csv")
    assert _en_vigueur(conn) != avant
    annulation = imports.rollback_lot(
        conn, lot=int(resultat.lot or 0), acteur=administrateur_local("test")
    )
    assert annulation == imports.Annulation(int(resultat.lot or 0), retirees=3, retablies=2)
    assert _en_vigueur(conn) == avant
    assert _valeur(conn, "OO2-S.1", "6705", "2019-T3") == 26.0
    lot = imports.read_lots(conn).iloc[0]
    assert (lot["statut"], bool(lot["annulable"]), lot["motif"]) == ("annule", False, "déjà annulé")
    assert imports.read_journal(conn).loc[0, "action"] == "annulation"
    with pytest.raises(imports.AnnulationImpossible, match="déjà annulé"):
        imports.rollback_lot(conn, lot=int(resultat.lot or 0), acteur=administrateur_local("test"))


def _une_ligne(canton: str, valeur: int) -> bytes:
    return f"indicateur;territoire;periode;valeur\nOO2-S.1;{canton};2019-T3;{valeur}\n".encode()


def test_un_lot_ancien_s_annule_si_ses_valeurs_n_ont_pas_ete_remplacees(conn: Connection) -> None:
    premier = _importer(conn, "a.csv", _une_ligne("6705", 777)).lot
    _importer(conn, "b.csv", _une_ligne("6701", 555))
    imports.rollback_lot(conn, lot=int(premier or 0), acteur=administrateur_local("test"))
    assert _valeur(conn, "OO2-S.1", "6705", "2019-T3") == 26.0
    assert _valeur(conn, "OO2-S.1", "6701", "2019-T3") == 555.0


def test_un_lot_remplace_depuis_ne_s_annule_qu_apres_le_lot_suivant(conn: Connection) -> None:
    avant = _en_vigueur(conn)
    premier = int(_importer(conn, "a.csv", _une_ligne("6705", 777)).lot or 0)
    second = int(_importer(conn, "b.csv", _une_ligne("6705", 778)).lot or 0)
    annulables = imports.read_lots(conn).set_index("lot")["annulable"]
    assert (bool(annulables[premier]), bool(annulables[second])) == (False, True)
    with pytest.raises(imports.AnnulationImpossible) as refus:
        imports.rollback_lot(conn, lot=premier, acteur=administrateur_local("test"))
    assert str(refus.value) == (
        f"des valeurs du lot {premier} ont été remplacées depuis par le lot {second} : annulez "
        f"d'abord le lot {second}"
    )
    imports.rollback_lot(conn, lot=second, acteur=administrateur_local("test"))
    assert _valeur(conn, "OO2-S.1", "6705", "2019-T3") == 777.0
    imports.rollback_lot(conn, lot=premier, acteur=administrateur_local("test"))
    assert _en_vigueur(conn) == avant


def test_le_lot_de_demonstration_ne_s_annule_pas(conn: Connection) -> None:
    with pytest.raises(imports.AnnulationImpossible, match="n'est pas un import d'indicateurs"):
        imports.rollback_lot(conn, lot=1, acteur=administrateur_local("test"))
    with pytest.raises(imports.AnnulationImpossible, match="lot 999 inconnu"):
        imports.rollback_lot(conn, lot=999, acteur=administrateur_local("test"))


def test_un_mois_publie_ne_se_corrige_qu_avec_l_option(conn: Connection) -> None:
    _publier(conn, "2019-06", "2019-09")
    with pytest.raises(ImportRefuse):
        _importer(conn, "mois_publie.csv")
    resultat = _importer(conn, "mois_publie.csv", correction=True)
    assert resultat.comptes == lots.Comptes(modifiees=1, identiques=1)
    assert resultat.apercu.mois_publies == ("2019-09",)
    assert (
        imports.read_journal(conn).loc[0, "detail"].endswith("correction des mois publiés 2019-09")
    )
    assert _valeur(conn, "OO2-S.1", "6705", "2019-T3") == 777.0


def test_l_import_refuse_si_la_base_a_change_depuis_l_apercu(conn: Connection) -> None:
    apercu = imports.prepare_import(conn, nom="a.csv", contenu=_une_ligne("6705", 777),
                                    aujourdhui=AUJOURDHUI)  # fmt: skip
    _importer(conn, "b.csv", _une_ligne("6705", 777))
    avant = _empreinte(conn)
    with pytest.raises(ImportRefuse, match="ont changé depuis l'aperçu"):
        _importer(conn, "a.csv", _une_ligne("6705", 777), attendu=apercu.comptes)
    assert _empreinte(conn) == avant


def _fichier_cantons(cantons: list[str], valeur: int, extra: int) -> bytes:
    """OO2-S.1 2019-T3 à `valeur` pour chaque canton, plus `extra` lignes mensuelles ailleurs."""
    lignes = ["indicateur;territoire;periode;valeur"]
    lignes += [f"OO2-S.1;{c};2019-T3;{valeur}" for c in cantons]
    mois = [f"{a}-{m:02d}" for a in range(2017, 2024) for m in range(1, 13)]
    autres = [f"{i};{c};{p};{valeur}" for i in ("FIN-2.1", "A2.1", "A8.1", "A31.1")
              for c in cantons for p in mois]  # fmt: skip
    return ("\n".join(lignes + autres[:extra]) + "\n").encode()


def test_une_lecture_concurrente_voit_tout_le_lot_ou_rien(url_vide: str) -> None:
    eng = engine.create(url_vide)
    with eng.begin() as conn:
        referentiel.init(conn)
    with eng.connect() as conn:
        cantons = sorted(series.read_par_canton(conn, indicateur="OO2-S.1", periode="")["canton"])
    with eng.begin() as conn:
        _importer(conn, "base.csv", _fichier_cantons(cantons, 10, 0))
    vus: list[float] = []
    instants: list[float] = []
    fini = threading.Event()

    def lire() -> None:
        """Lit en boucle pendant l'import, puis encore trois fois après sa validation."""
        apres = 0
        with eng.connect() as conn:
            while apres < 3:
                apres += fini.is_set()
                debut = time.monotonic()
                cadre = series.read_par_territoire(conn, indicateur="OO2-S.1", periode="2019-T3")
                vus.append(float(cadre.loc[cadre["territoire"] == "67", "valeur"].iloc[0]))
                instants.append(debut)
                conn.rollback()  # chaque lecture dans sa propre transaction

    lecteurs = [threading.Thread(target=lire) for _ in range(3)]
    for t in lecteurs:
        t.start()
    try:
        ecriture = time.monotonic()
        with eng.begin() as conn:
            _importer(conn, "suite.csv", _fichier_cantons(cantons, 20, 6000))
        validation = time.monotonic()
    finally:
        fini.set()
        for t in lecteurs:
            t.join(timeout=60)
    eng.dispose()
    avant, apres = 10.0 * len(cantons), 20.0 * len(cantons)
    assert any(ecriture < t < validation for t in instants), "aucune lecture pendant l'import"
    assert set(vus) == {avant, apres}, "une lecture a vu un lot à moitié écrit"


@pytest.fixture
def base_cli(url_vide: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Une base initialisée (référentiel seul) pour la commande `pilotage`."""
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", url_vide)
    cli.main(["init"])
    return url_vide


def _commande(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Code de sortie, sortie standard et sortie d'erreur de `pilotage args…`."""
    capsys.readouterr()
    try:
        cli.main(list(args))
        code = 0
    except SystemExit as sortie:
        code = int(sortie.code or 0)
    capture = capsys.readouterr()
    return code, capture.out, capture.err


@pytest.mark.usefixtures("base_cli")
def test_pilotage_import_ecrit_chaque_erreur_sur_sa_ligne_et_sort_en_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chemin = CORPUS / "plusieurs_erreurs.csv"
    code, sortie, erreurs = _commande(capsys, "import", str(chemin))
    attendues = [e.replace("plusieurs_erreurs.csv", str(chemin), 1)
                 for e in REFUS["plusieurs_erreurs.csv"]]  # fmt: skip
    assert code == 1 and sortie == ""
    assert erreurs.splitlines() == [
        *attendues,
        "pilotage : fichier refusé (5 erreur(s)) ; rien n'a été écrit.",
    ]
    assert _commande(capsys, "lots")[1].splitlines() == [
        "lot;cree_le;auteur;fichier;ajoutees;modifiees;identiques;statut;annulable"
    ]


@pytest.mark.usefixtures("base_cli")
def test_pilotage_import_simulation_puis_import_reimport_et_annulation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chemin = str(CORPUS / "bon.csv")
    code, sortie, _ = _commande(capsys, "import", chemin, "--simulation")
    assert code == 0 and sortie.startswith(f"Simulation : aucune erreur dans {chemin} (CSV UTF-8")
    assert "L'import donnerait : 3 ligne(s) ajoutée(s), 0 modifiée(s)" in sortie
    assert len(_commande(capsys, "lots")[1].splitlines()) == 1
    code, sortie, _ = _commande(capsys, "import", chemin, "--auteur", "steward")
    assert (code, sortie) == (
        0, "Lot 1 créé : 3 ligne(s) ajoutée(s), 0 modifiée(s), 0 identique(s).\n")  # fmt: skip
    code, sortie, _ = _commande(capsys, "import", chemin)
    assert (code, sortie) == (0, "Aucune modification : les 3 ligne(s) sont identiques aux "
                              "valeurs en vigueur ; aucun lot créé (ce contenu a déjà été "
                              "importé : lot 1).\n")  # fmt: skip
    lignes = _commande(capsys, "lots")[1].splitlines()
    assert len(lignes) == 2 and lignes[1].split(";")[2:] == [
        "steward", "bon.csv", "3", "0", "0", "valide", "oui"]  # fmt: skip
    code, sortie, _ = _commande(capsys, "annuler", "1")
    assert (code, sortie) == (0, "Lot 1 annulé : 3 valeur(s) retirée(s), 0 version(s) "
                              "précédente(s) rétablie(s).\n")  # fmt: skip
    code, _, erreurs = _commande(capsys, "annuler", "1")
    assert (code, erreurs) == (1, "pilotage : le lot 1 est déjà annulé\n")


@pytest.mark.usefixtures("base_cli")
def test_pilotage_modele_propose_les_lignes_a_remplir_et_un_modele_en_partie_rempli_s_importe(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chemin = tmp_path / "modele.csv"
    code, sortie, _ = _commande(capsys, "modele", str(chemin))
    modele = chemin.read_text(encoding="utf-8-sig").splitlines()
    lignes = [li.split(";") for li in modele[1:]]
    assert code == 0 and sortie.startswith(f"Modèle écrit : {chemin} ({len(lignes)} lignes, 69 "
                                           "indicateurs)")  # fmt: skip
    territoires = (tmp_path / "modele_territoires.csv").read_text(encoding="utf-8-sig")
    assert territoires.splitlines()[:2] == ["territoire;libelle;niveau;rattachement",
                                            "67;Bas-Rhin;departement;"]  # fmt: skip
    assert len(territoires.splitlines()) == 1 + 1 + 4 + 23
    assert modele[0] == (
        "indicateur;territoire;periode;valeur;numerateur;denominateur;statut;libelle;periodicite"
    )
    # Un indicateur suivi au canton : une ligne par canton ; par territoire : une par territoire
    # d'action ; au département : 67. Période : la dernière close du plan (achevé en 2019).
    assert sorted(li[1] for li in lignes if li[0] == "A31.1") == [f"67{n:02d}" for n in
                                                                  range(1, 24)]  # fmt: skip
    assert {li[2] for li in lignes if li[0] == "A31.1"} == {"2019-12"}
    assert sorted(li[1] for li in lignes if li[0] == "A27.2") == ["EMS", "NORD", "OUEST", "SUD"]
    assert [li[1:3] for li in lignes if li[0] == "A25.1"] == [["67", "2019"]]
    # Un agent ne remplit que trois lignes : les autres sont « non fournies », pas des erreurs.
    remplies = dict.fromkeys(range(3), "12")
    rempli = [";".join([*li[:3], remplies.get(i, ""), *li[4:]]) for i, li in enumerate(lignes)]
    (tmp_path / "rempli.csv").write_text("\n".join([modele[0], *rempli]), encoding="utf-8")
    code, sortie, erreurs = _commande(capsys, "import", str(tmp_path / "rempli.csv"))
    assert (code, erreurs) == (0, "")
    premiere, non_fournies = sortie.splitlines()[:2]
    assert premiere == "Lot 1 créé : 3 ligne(s) ajoutée(s), 0 modifiée(s), 0 identique(s)."
    assert non_fournies.startswith(f"{len(lignes) - 3} ligne(s) non fournie(s) (valeur vide), "
                                   "ignorée(s) : ligne(s) 5, 6, 7,")  # fmt: skip
    assert _commande(capsys, "modele")[1].splitlines()[0] == modele[0]
    assert (
        _commande(capsys, "modele", "--territoires")[1].splitlines()[1]
        == "67;Bas-Rhin;departement;"
    )


@pytest.mark.usefixtures("base_cli")
def test_pilotage_modele_xlsx_a_sa_feuille_valeurs_et_s_importe_une_fois_en_partie_rempli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chemin = tmp_path / "modele.xlsx"
    code, sortie, _ = _commande(capsys, "modele", str(chemin))
    assert code == 0 and "feuille « Valeurs »" in sortie
    classeur = openpyxl.load_workbook(chemin)
    assert classeur.sheetnames == ["Valeurs", "Territoires"]
    feuille = classeur["Valeurs"]
    ligne = next(r for r in feuille.iter_rows(min_row=2) if r[0].value == "A31.1")
    assert [c.value for c in ligne[:4]] == ["A31.1", "6701", "2019-12", None]
    ligne[3].value = 42
    chemin_rempli = tmp_path / "rempli.xlsx"
    classeur.save(chemin_rempli)
    code, sortie, erreurs = _commande(capsys, "import", str(chemin_rempli))
    assert (code, erreurs) == (0, "")
    assert sortie.splitlines()[0] == (
        "Lot 1 créé : 1 ligne(s) ajoutée(s), 0 modifiée(s), 0 identique(s)."
    )
    assert _commande(capsys, "lots")[1].splitlines()[1].split(";")[3:5] == ["rempli.xlsx", "1"]


def test_une_ligne_sans_valeur_est_non_fournie_listee_et_ignoree(conn: Connection) -> None:
    avant = _empreinte(conn)
    apercu = imports.prepare_import(conn, nom="valeur_manquante.csv", aujourdhui=AUJOURDHUI,
                                    contenu=_contenu("valeur_manquante.csv"))  # fmt: skip
    assert apercu.comptes == lots.Comptes() and apercu.sans_effet
    assert apercu.non_fournies.values.tolist() == [[2, "OO2-S.1", "6705", "2019-T3"]]
    assert _importer(conn, "valeur_manquante.csv").lot is None
    assert _empreinte(conn) == avant


def test_la_feuille_masquee_n_est_jamais_importee(conn: Connection) -> None:
    """Le cas du ticket : 999 999 dans la première feuille, masquée ; 31 dans la visible."""
    _importer(conn, "cachee.xlsx", classeurs.feuille_cachee_seule_valide())
    assert _valeur(conn, "A31.1", "6701", "2019-06") == 31.0


TROP_LONG = (
    f"ligne 200001: fichier trop long : plus de 200{NBSP}000 lignes (réglage lignes_max de "
    "config/import.toml) ; découpez-le en plusieurs fichiers"
)


def test_un_classeur_de_400_000_lignes_est_refuse_en_flux_sans_rien_changer(
    conn: Connection, tmp_path: Path
) -> None:
    """236 Ko compressés, 61 Mo de feuille : refusé pendant le comptage des lignes, avant que
    le classeur soit ouvert (temps et mémoire de pointe : `bench/import_hostile.py`)."""
    chemin = tmp_path / "quatre_cent_mille.xlsx"
    chemin.write_bytes(classeurs.quatre_cent_mille_lignes())
    assert chemin.stat().st_size < 300 * 1024
    avant = _empreinte(conn)
    with pytest.raises(ImportRefuse) as refus:
        _importer(conn, chemin.name, chemin.read_bytes())
    assert [str(e) for e in refus.value.erreurs] == [f"quatre_cent_mille.xlsx:{TROP_LONG}"]
    assert _empreinte(conn) == avant


@pytest.mark.usefixtures("base_cli")
def test_pilotage_import_refuse_le_classeur_de_400_000_lignes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chemin = tmp_path / "quatre_cent_mille.xlsx"
    chemin.write_bytes(classeurs.quatre_cent_mille_lignes())
    code, sortie, erreurs = _commande(capsys, "import", str(chemin))
    assert (code, sortie) == (1, "")
    assert erreurs.splitlines() == [
        f"{chemin}:{TROP_LONG}",
        "pilotage : fichier refusé (1 erreur(s)) ; rien n'a été écrit.",
    ]
