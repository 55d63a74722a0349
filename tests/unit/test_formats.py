"""Formats français : ce qu'un élu lit à l'écran."""

import math

import pytest

from dashboard import formats as f
from data_access import periodes
from tests.formulations import fautes

FINE = "\u202f"


@pytest.mark.parametrize(
    ("x", "decimales", "attendu"),
    [
        (12345, 0, f"12{FINE}345"),
        (1234567.891, 1, f"1{FINE}234{FINE}567,9"),
        (-1234.5, 1, f"-1{FINE}234,5"),
        (0, 0, "0"),
        (-0.01, 0, "0"),
        (None, 0, "–"),
        (math.nan, 0, "–"),
    ],
)
def test_nombre(x: float | None, decimales: int, attendu: str) -> None:
    assert f.nombre(x, decimales) == attendu


def test_pourcentage_etp_euros() -> None:
    assert f.pourcentage(45.2) == f"45,2{FINE}%"
    assert f.pourcentage(None) == "–"
    assert f.etp(1.4) == f"1,4{FINE}ETP"
    assert f.etp(0.15) == f"0,15{FINE}ETP"
    assert f.etp(2) == f"2{FINE}ETP"
    assert f.euros(15_000_000) == f"15{FINE}M€"
    assert f.euros(24_000) == f"24{FINE}000{FINE}€"


def test_periodes_en_francais() -> None:
    assert f.periode("2019-06") == "juin 2019"
    assert f.periode("2019-T2") == "2e trimestre 2019"
    assert f.periode("2019-S1") == "1er semestre 2019"
    assert f.periode("2018") == "année 2018"
    assert f.periode(None) == "–"


@pytest.mark.parametrize(
    ("code", "de", "en", "depuis"),
    [
        ("2019-06", "de juin 2019", "en juin 2019", "depuis juin 2019"),
        ("2019-04", "d'avril 2019", "en avril 2019", "depuis avril 2019"),
        ("2019-08", "d'août 2019", "en août 2019", "depuis août 2019"),
        ("2018-10", "d'octobre 2018", "en octobre 2018", "depuis octobre 2018"),
        ("2019-T2", "du 2e trimestre 2019", "au cours du 2e trimestre 2019",
         "depuis le 2e trimestre 2019"),
        ("2019-T1", "du 1er trimestre 2019", "au cours du 1er trimestre 2019",
         "depuis le 1er trimestre 2019"),
        ("2019-S1", "du 1er semestre 2019", "au cours du 1er semestre 2019",
         "depuis le 1er semestre 2019"),
        ("2018-S2", "du 2e semestre 2018", "au cours du 2e semestre 2018",
         "depuis le 2e semestre 2018"),
        ("2018", "de l'année 2018", "en 2018", "depuis 2018"),
    ],
)  # fmt: skip
def test_une_periode_dans_une_phrase_pour_chaque_periodicite(
    code: str, de: str, en: str, depuis: str
) -> None:
    assert f.periode_precedee(code) == de
    assert f.periode_precedee(code, "en") == en
    assert f.periode_precedee(code, "depuis") == depuis
    assert f.donnees_de(code) == f"Données {de}"
    assert f.donnees_de(code, majuscule=False) == f"données {de}"


@pytest.mark.parametrize("code", [None, ""])
def test_sans_periode_aucune_donnee(code: str | None) -> None:
    assert f.donnees_de(code) == "Aucune donnée"
    assert f.donnees_de(code, majuscule=False) == "aucune donnée"


def test_toutes_les_periodicites_sont_couvertes() -> None:
    """Une périodicité ajoutée sans sa tournure ferait échouer ce test, pas l'écran."""
    for periodicite in periodes.Periodicite:
        code = periodes.contenant(periodes.Mois(2019, 6), periodicite).code
        textes = [f.periode_precedee(code, p) for p in ("de", "en", "depuis")]
        assert all(t.endswith("2019") for t in textes)
        assert fautes([*textes, f.donnees_de(code), f.donnees_de(None)]) == []


def test_dates_relatives() -> None:
    from datetime import datetime, timedelta

    maintenant = datetime(2026, 11, 24, 10, 0)
    assert f.date_relative(maintenant - timedelta(seconds=20), maintenant) == "à l'instant"
    assert f.date_relative(maintenant - timedelta(minutes=5), maintenant) == "il y a 5 minutes"
    assert f.date_relative(maintenant - timedelta(hours=1), maintenant) == "il y a 1 heure"
    assert f.date_relative(maintenant - timedelta(days=1), maintenant) == "hier"
    assert f.date_relative(maintenant - timedelta(days=3), maintenant) == "il y a 3 jours"
    assert f.date_relative(datetime(2026, 6, 2, 9, 0), maintenant) == "le 2 juin 2026"


@pytest.mark.parametrize(
    ("x", "unite", "attendu"),
    [
        (77.27916666666667, "%", 77.3),  # le CSV écrivait 77,27916666666667 (ticket 18)
        (77.25, "%", 77.3),  # arrondi commercial, pas au pair
        (8333.333333, "retours à l'emploi", 8333.0),
        (9332.5, "retours à l'emploi", 9333.0),  # 11 199 × 30 / 36
        (1866.5, "", 1867.0),  # 3 733 / 2 : le `round` de Python donnait 1 866
        (0.155, "ETP", 0.16),
        (1.4, "ETP", 1.4),
        (24_123.45, "€", 24_123.0),
        (None, "%", None),
        (math.nan, "", None),
    ],
)
def test_arrondi_a_la_precision_de_l_unite(x: float | None, unite: str, attendu: float) -> None:
    assert f.arrondi(x, unite) == attendu


@pytest.mark.parametrize("unite", ["%", "ETP", "€", "personnes", ""])
@pytest.mark.parametrize("x", [77.27916666666667, 77.25, 9332.5, 1866.5, 0.155, 12.45, 3.0])
def test_l_ecran_montre_le_nombre_exporte(x: float, unite: str) -> None:
    """Une règle pour l'écran et l'export : le texte affiché est celui du nombre arrondi."""
    exporte = f.arrondi(x, unite)
    assert f.valeur(x, unite) == f.valeur(exporte, unite) == f.valeur_arrondie(x, unite)
    assert exporte is not None and round(exporte, f.decimales(unite)) == exporte


G = f.GLUON  # invisible : sépare ce que Streamlit transformerait après l'analyse du Markdown


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("[lien](http://exemple.fr).csv", f"\\[lien\\](http:{G}//exemple.fr).csv"),
        ("![image](p.png)", "!\\[image\\](p.png)"),
        ("**gras** _penche_ `code` ~~barre~~",
         "\\*\\*gras\\*\\* \\_penche\\_ \\`code\\` \\~\\~barre\\~\\~"),
        ("<b>html</b> &lt; $x$", "\\<b\\>html\\</b\\> \\&lt; \\$x\\$"),
        ("# Titre", "\\# Titre"),
        ("1. liste", "1\\. liste"),
        ("ligne\n- seconde", "ligne - seconde"),
        (":red[rouge] :material/home: :smile:",
         f":{G}red\\[rouge\\] :{G}material/home: :{G}smile:"),
        ("www.exemple.fr a@b.fr", f"www{G}.exemple.fr a{G}@b.fr"),
        ("Données 2019-T2 (juin).csv", "Données 2019-T2 (juin).csv"),
        ("Remarque : en retard", "Remarque : en retard"),
    ],
)  # fmt: skip
def test_texte_brut_neutralise_le_markdown_d_une_saisie(saisi: str, attendu: str) -> None:
    assert f.texte_brut(saisi) == attendu
