"""Mode présentation du comité : diapositives, choix des lignes, carte et tableaux, sans
navigateur, sur un tableau de bord fait à la main."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dashboard.carte.config import read_geojson
from dashboard.modeles.moyens_resultats import Ratio, Sens, StatutRatio, Terme
from dashboard.tableau_de_bord import comite, moyens_figes
from dashboard.tableau_de_bord.contenu import (
    LigneIndicateur,
    LigneTerritoire,
    Objectif,
    TableauDeBord,
)

FINE = "\u202f"


def _ligne(code: str, objectif: str = "OS1", statut: str = "", **champs: Any) -> LigneIndicateur:
    base: dict[str, Any] = {
        "code": code, "libelle": f"Libellé {code}", "objectif": objectif, "unite": "personnes",
        "nature": "flux", "periodicite": "mensuelle", "definition": f"Définition de {code}",
        "source": "002 §7", "suivi": "cible" if statut else "sans cible", "reel": 100.0,
        "cible": 200.0 if statut else None, "periode_cible": "2019" if statut else "",
        "attendu": 100.0 if statut else None, "statut": statut, "statut_precedent": statut,
        "donnees_au": "2019-06", "source_cible": "002 §4" if statut else "",
    }  # fmt: skip
    base.update(champs)
    return LigneIndicateur(**base)


def _case(territoire: str, libelle: str, statut: str, reel: float, cible: float) -> LigneTerritoire:
    return LigneTerritoire(territoire, libelle, "OO2-S.1", "Accès à l'emploi", "2019", cible,
                           reel, cible / 2, statut, "2019-T2")  # fmt: skip


OBJECTIFS = (Objectif("OS1", "Accès à l'emploi durable"), Objectif("OS2", "Une place à chacun"))
INDICATEURS = (
    _ligne("A1.1", statut="dans la trajectoire"),
    _ligne("A2.1"),
    _ligne("OO2-S.1", statut="en avance"),
    _ligne("A3.1", statut="en retard", commentaire="Retard expliqué", commentaire_auteur="mp"),
    _ligne("A4.1", statut="non renseigné", reel=None),
    _ligne("A5.1", reel=None),
    _ligne("A6.1", statut="en retard"),
    _ligne("A7.1", statut="dans la trajectoire"),
    _ligne("A8.1", objectif="OS2", statut="en avance"),
)
TABLEAU = TableauDeBord(
    mois="2019-06", territoire="67", libelle_territoire="Bas-Rhin", derniere_periode="2019-06",
    objectifs=OBJECTIFS, synthese=(), indicateurs=INDICATEURS,
    territoires=(
        _case("NORD", "Nord", "en retard", 291, 736),
        _case("EMS", "Eurométropole de Strasbourg", "en avance", 1015, 1880),
        _case("67", "Total (département)", "dans la trajectoire", 1854, 3733),
    ),
    evenements=(),
)  # fmt: skip


def test_une_diapositive_par_section_dans_l_ordre_de_la_seance() -> None:
    cles = [d.cle for d in comite.diapos(TABLEAU)]
    assert cles == ["synthese", "OS1", "OS2", "territoires", "carte", "moyens", "alertes"]
    assert comite.diapos(TABLEAU)[1].titre == "OS1 · Accès à l'emploi durable"
    assert comite.numeros(3) == ["1", "2", "3"]


def test_la_liste_des_diapositives_ne_depend_pas_des_chiffres_du_mois() -> None:
    vide = replace(TABLEAU, indicateurs=(), territoires=())
    assert comite.diapos(vide) == comite.diapos(TABLEAU)


def test_un_objectif_montre_d_abord_les_retards_puis_les_objectifs_operationnels() -> None:
    resume = comite.resume_objectif(TABLEAU, "OS1", maximum=4)
    assert [i.code for i in resume.lignes] == ["A3.1", "A6.1", "OO2-S.1", "A1.1"]
    assert resume.autres == 4  # 8 indicateurs dans OS1
    assert comite.texte_autres(resume.autres) == "+ 4 autres indicateurs : page Objectifs"


def test_les_comptes_par_statut_suivent_l_ordre_des_statuts() -> None:
    resume = comite.resume_objectif(TABLEAU, "OS1")
    assert resume.comptes == (
        ("en retard", 2), ("dans la trajectoire", 2), ("en avance", 1), ("non renseigné", 1),
        ("sans trajectoire", 2),
    )  # fmt: skip
    texte = comite.texte_comptes(resume.comptes)
    assert texte.startswith("▼ en retard : 2 · ● dans la trajectoire : 2")
    assert texte.endswith("sans trajectoire : 2")


def test_rien_a_renvoyer_quand_tout_tient() -> None:
    resume = comite.resume_objectif(TABLEAU, "OS2")
    assert [i.code for i in resume.lignes] == ["A8.1"] and resume.autres == 0
    assert comite.texte_autres(0) == ""
    assert comite.texte_autres(1) == "+ 1 autre indicateur : page Objectifs"


def test_les_cellules_d_un_indicateur_sont_en_francais() -> None:
    ligne = _ligne("X.1", statut="en retard", reel=9413.0, cible=10000.0, attendu=8333.33)
    assert comite.lignes_indicateurs([ligne])[0] == [
        "X.1", "Libellé X.1", f"9{FINE}413", f"10{FINE}000", f"8{FINE}333", "▼ en retard",
        "juin 2019",
    ]  # fmt: skip
    sans = comite.lignes_indicateurs([_ligne("Y.1", reel=None, donnees_au="")])[0]
    assert sans[2:] == ["–", "aucune", "–", "sans trajectoire", "Aucune donnée"]


def test_un_jalon_se_lit_realise_ou_non() -> None:
    jalon = _ligne("J.1", statut="dans la trajectoire", suivi="jalon", reel=1.0, cible=None)
    assert comite.lignes_indicateurs([jalon])[0][2] == "réalisé"


def test_la_grille_du_paragraphe_4_a_une_ligne_par_territoire() -> None:
    grille = comite.grille_territoires(TABLEAU)
    assert grille.periode == "2019"
    assert grille.rubriques == (("OO2-S.1", "Accès à l'emploi"),)
    assert [libelle for libelle, _ in grille.lignes] == ["Nord", "Eurométropole de Strasbourg",
                                                         "Total (département)"]  # fmt: skip
    case = grille.lignes[0][1][0]
    assert comite.texte_case(case) == "291 sur 736 (attendu 368)\n▼ en retard"
    assert comite.texte_case(None) == "–"


def _carte(tableau: TableauDeBord) -> dict[str, Any]:
    return comite.build_carte(tableau, read_geojson("territoires_67.geojson")).to_dict()


def test_la_carte_colore_chaque_territoire_par_son_statut_et_l_ecrit() -> None:
    spec = _carte(TABLEAU)
    fond, etiquettes = spec["layer"]
    formes = {f["properties"]["libelle"]: f["properties"] for f in _valeurs(spec, fond)}
    assert formes["Nord"]["statut"] == "en retard"
    assert formes["Nord"]["chiffres"] == "291 sur 736"
    assert formes["Eurométropole de Strasbourg"]["statut"] == "en avance"
    # Absents du contenu (périmètre d'un élu) : dits comme tels, jamais colorés d'un statut.
    assert formes["Ouest"]["statut"] == formes["Sud"]["statut"] == comite.HORS_PERIMETRE
    textes = {tuple(e["texte"]) for e in _valeurs(spec, etiquettes)}
    assert ("Nord", "▼ en retard", "291 sur 736") in textes
    assert ("Sud", comite.HORS_PERIMETRE) in textes
    assert spec["projection"]["type"] == "mercator"
    assert "url" not in str(spec)  # contours embarqués : aucune requête


def _valeurs(spec: dict[str, Any], couche: dict[str, Any]) -> list[dict[str, Any]]:
    donnees = couche["data"]
    return donnees["values"] if "values" in donnees else spec["datasets"][donnees["name"]]


def test_la_couleur_d_un_statut_est_fixe() -> None:
    couleur = _carte(TABLEAU)["layer"][0]["encoding"]["color"]
    domaine, teintes = couleur["scale"]["domain"], couleur["scale"]["range"]
    assert teintes[domaine.index("en retard")] == comite.REMPLISSAGE_STATUT["en retard"]


def test_les_alertes_gardent_leur_commentaire_signe() -> None:
    montrees, autres = comite.alertes(TABLEAU, maximum=1)
    assert [i.code for i in montrees] == ["A3.1"] and autres == 1
    assert comite.commentaire(montrees[0]) == "« Retard expliqué » — mp"
    assert comite.commentaire(INDICATEURS[6]) == "Aucun commentaire."
    demo = replace(montrees[0], commentaire_demo=True)
    assert comite.commentaire(demo).endswith("— mp (démonstration)")


def test_un_long_commentaire_est_coupe_et_le_texte_saisi_echappe() -> None:
    ligne = replace(INDICATEURS[3], commentaire="<b>gras</b> `code` " + "mot " * 200)
    bloc = comite.alerte_html(ligne)
    assert "<b>gras</b>" not in bloc and "&lt;b&gt;gras&lt;/b&gt;" in bloc
    assert "[…] (texte entier : onglet Alertes)" in bloc
    assert "▼ en retard · A3.1 · Libellé A3.1" in bloc


def test_l_aide_d_un_chiffre_dit_sa_definition_sa_date_et_sa_source() -> None:
    aide = comite.aide(INDICATEURS[3])
    assert aide.startswith("**A3.1** · Définition de A3.1")
    assert "Données de juin 2019." in aide and "Source : 002 §4." in aide
    assert comite.definitions(TABLEAU, ["A3.1", "A3.1", "inconnu", "A1.1"]) == [
        comite.aide(INDICATEURS[3]), comite.aide(INDICATEURS[0])
    ]  # fmt: skip


def test_tableau_html_echappe_et_garde_les_retours_a_la_ligne() -> None:
    bloc = comite.table_html(("A", "B"), [["x\ny", "<script>"]], sans_coupure=(0,))
    assert '<td class="nw">x<br>y</td>' in bloc
    assert "&lt;script&gt;" in bloc and "<script>" not in bloc
    assert comite.titre_html("OS1 & co", "Bas-Rhin").startswith(
        '<div class="comite-titre">OS1 &amp; co</div>'
    )


def test_l_annee_des_moyens_est_celle_du_mois_ou_la_precedente() -> None:
    assert moyens_figes.annee_moyens("2019-06", [2017, 2018, 2019, 2020]) == 2019
    assert moyens_figes.annee_moyens("2019-06", [2017, 2018]) == 2018
    # Jamais une année à venir : ses résultats n'étaient pas connus au mois présenté.
    assert moyens_figes.annee_moyens("2016-06", [2017, 2018]) is None
    assert moyens_figes.annee_moyens("2019-06", []) is None


def test_un_ratio_se_lit_avec_ses_deux_termes() -> None:
    moyen = Terme("Département : équipe emploi", 19.0, "conseillers", None, "non daté", "002 §1.2",
                  "19 conseillers emploi")  # fmt: skip
    resultat = Terme("Placements", 1116.0, "placements", 2019, "année 2019", "indicateur A2.1")
    ratio = Ratio(
        "Placements par conseiller", moyen, resultat, Sens.RESULTAT_PAR_MOYEN,
        "placements par conseiller", 1116 / 19, StatutRatio.CALCULE, "Lecture.",
    )  # fmt: skip
    assert comite.lignes_ratios([ratio]) == [[
        "Placements par conseiller", "19 conseillers (non daté)",
        f"1{FINE}116 placements (année 2019)", "58,7 placements par conseiller",
    ]]  # fmt: skip
    assert "« 19 conseillers emploi » (002 §1.2)" in comite.aide_ratio(ratio)


def test_abrege_coupe_au_mot() -> None:
    assert comite.abrege("court") == "court"
    assert comite.abrege("un deux trois quatre", 12) == "un deux…"


def test_la_barre_d_un_objectif_compte_tous_ses_indicateurs_et_additionne_ses_cibles() -> None:
    resume = comite.resume_objectif(TABLEAU, "OS1", maximum=4)
    barre = comite.barre_objectif(TABLEAU, resume)
    assert barre.texte == ("8 indicateurs : 2 en retard, 2 dans la trajectoire, 1 en avance, "
                           "1 non renseigné, 2 sans trajectoire")  # fmt: skip
    assert barre.cible is None  # A4.1 n'a pas de réalisé : une somme ferait croire à un retard
    complet = replace(TABLEAU, indicateurs=tuple(
        replace(i, reel=50.0) if i.code == "A4.1" else i for i in TABLEAU.indicateurs
    ))  # fmt: skip
    barre = comite.barre_objectif(complet, comite.resume_objectif(complet, "OS1"))
    jugees = [i for i in complet.par_objectif("OS1") if i.cible is not None]
    assert barre.cible is not None and barre.cible.nombre == len(jugees) == 6
    assert barre.cible.cible == sum(i.cible for i in jugees if i.cible is not None) == 1200
    assert barre.cible.reel == 550
    # Une cible d'une autre unité : la somme n'a plus de sens, elle n'est pas montrée.
    euros = _ligne("X.1", statut="en retard", unite="€")
    autre = replace(complet, indicateurs=(*complet.indicateurs, euros))
    assert comite.barre_objectif(autre, comite.resume_objectif(autre, "OS1")).cible is None
