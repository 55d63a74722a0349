"""Le langage visuel commun (ticket 20) : chaque statut a sa forme, son icône, sa couleur et son
mot ; aucun émoji dans le code de l'interface ni dans les exports."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard import apparence
from dashboard.exports import fichiers
from data_access import trajectoire
from tests.formulations import emojis
from tests.unit import exemple_tableau

RACINE = Path(__file__).resolve().parents[2]


def test_chaque_statut_a_un_style_distinct_sans_emoji() -> None:
    assert set(apparence.STATUTS) == {s.value for s in trajectoire.Statut}
    styles = list(apparence.STATUTS.values())
    juges = (apparence.EN_AVANCE, apparence.DANS_LA_TRAJECTOIRE, apparence.EN_RETARD,
             apparence.NON_RENSEIGNE)  # fmt: skip
    jugeants = [apparence.STATUTS[s] for s in juges]
    assert len({s.forme for s in styles}) == len(styles)
    assert len({s.couleur for s in jugeants}) == len(jugeants)
    assert all(s.icone.startswith(":material/") for s in styles)
    assert not emojis(s.forme for s in styles)


def test_un_statut_s_ecrit_forme_et_mot_et_en_markdown_icone_couleur_et_mot() -> None:
    assert apparence.forme_et_mot("en retard") == "\u25bc en retard"
    assert apparence.forme_et_mot(None) == "\u25cb non renseigné"
    assert apparence.badge("en avance") == (":blue[:material/keyboard_double_arrow_up: en avance]")


def test_aucun_emoji_dans_le_code_de_l_interface() -> None:
    fichiers_py = [*RACINE.glob("dashboard/**/*.py"), *RACINE.glob("pages/*.py")]
    assert len(fichiers_py) > 40
    fautes = [f"{p.relative_to(RACINE)} : {e}" for p in fichiers_py
              for e in emojis(p.read_text(encoding="utf-8").splitlines())]  # fmt: skip
    assert not fautes, "\n".join(fautes)


def test_aucun_emoji_dans_les_exports() -> None:
    tableau = exemple_tableau.tableau()
    octets = {f: fichiers.exporter(tableau, f, demonstration=True) for f in fichiers.FORMATS}
    textes = octets["csv"].decode("utf-8-sig").splitlines()
    textes += [p.extract_text() or "" for p in PdfReader(io.BytesIO(octets["pdf"])).pages]
    for feuille in load_workbook(io.BytesIO(octets["xlsx"])):
        textes += [str(v) for r in feuille.iter_rows(values_only=True) for v in r if v]
    assert not emojis(textes)
