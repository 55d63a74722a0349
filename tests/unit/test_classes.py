"""Classes de la carte : ce qu'on lit dans la légende et la couleur de chaque zone."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from dashboard import formats
from dashboard.carte import classes as k

FINE = formats.ESPACE_FINE


def texte(x: float, decimales: int) -> str:
    return formats.nombre(x, decimales)


def classer(valeurs: list[float | None], **options: object) -> k.Classes:
    reglages: dict[str, object] = {
        "nb_classes": 5,
        "methode": k.Methode.QUANTILES,
        "palette": "YlGnBu",
    }
    reglages.update(options)
    return k.build_classes(valeurs, **reglages)  # type: ignore[arg-type]


DIX_HUIT = [25, 33, 29, 30, 25, 52, 58, 27, 51, 42, 32, 30, 31, 34, 57, 41, 292, 28]


def test_quantiles_repartissent_les_zones_a_parts_presque_egales() -> None:
    c = classer(DIX_HUIT)
    effectifs = Counter(c.index(v) for v in DIX_HUIT)
    assert len(c.couleurs) == 5
    assert sum(effectifs.values()) == len(DIX_HUIT)
    assert max(effectifs.values()) - min(effectifs.values()) <= 2


def test_chaque_valeur_tombe_dans_la_classe_que_dit_sa_legende() -> None:
    c = classer(DIX_HUIT)
    for v in DIX_HUIT:
        i = c.index(v)
        assert i is not None
        bas, haut = c.bornes[i], c.bornes[i + 1]
        derniere = i == len(c.couleurs) - 1
        assert bas <= v and (v < haut or (derniere and v == haut))


def test_effectifs_entiers_bornes_entieres_dans_la_legende() -> None:
    c = classer(DIX_HUIT)
    libelles = k.libelles_classes(c, texte)
    assert libelles[0].startswith("de 25 à moins de ")
    assert libelles[-1].endswith("à 292")
    assert not any("," in li for li in libelles)


def test_intervalles_egaux_de_meme_largeur() -> None:
    valeurs = [0.5, 1.7, 2.2, 3.9, 4.1, 6.3, 10.5]
    c = classer(valeurs, methode=k.Methode.INTERVALLES_EGAUX)
    largeurs = {round(b - a, 9) for a, b in zip(c.bornes, c.bornes[1:], strict=False)}
    assert largeurs == {2.0}
    assert c.bornes[0] == 0.5 and c.bornes[-1] == 10.5


def test_ex_aequo_fusionnent_les_classes_sans_libelle_double() -> None:
    valeurs = [10.0] * 12 + [11.0, 12.0, 13.0, 20.0, 30.0, 40.0]
    c = classer(valeurs)
    libelles = k.libelles_classes(c, texte)
    assert len(set(libelles)) == len(libelles)
    assert all(c.index(v) is not None for v in valeurs)
    assert len(c.couleurs) < 5


def test_moins_de_valeurs_distinctes_que_de_classes_une_classe_par_valeur() -> None:
    c = classer([12, 12, 40, 40, 40, 7])
    assert k.libelles_classes(c, texte) == ["7", "12", "40"]
    assert len({c.couleur(7), c.couleur(12), c.couleur(40)}) == 3


def test_une_seule_valeur() -> None:
    c = classer([3.5, 3.5, None])
    assert k.libelles_classes(c, texte) == ["3,5"]
    assert c.couleur(3.5) is not None


def test_aucune_valeur_aucune_classe() -> None:
    c = classer([None, math.nan, None])
    assert c.couleurs == () and c.bornes == ()
    assert c.couleur(1.0) is None
    assert k.build_entrees(c, [None, math.nan], texte) == []


def test_bornes_decimales_juste_assez_de_chiffres() -> None:
    valeurs = [0.51, 0.52, 0.55, 0.58, 0.61, 0.64, 0.70, 0.75, 0.80, 0.93]
    libelles = k.libelles_classes(classer(valeurs), texte)
    assert libelles[0].startswith("de 0,51 à moins de 0,")
    assert len(set(libelles)) == len(libelles)


def test_grands_nombres_avec_espace_fine() -> None:
    valeurs = [1200.0, 5400.0, 9800.0, 12345.0, 15000.0, 21000.0]
    libelles = k.libelles_classes(classer(valeurs, nb_classes=3), texte)
    assert libelles[-1].endswith(f"21{FINE}000")


def test_divergente_symetrique_autour_de_zero() -> None:
    valeurs = [-12.0, -7.5, -3.0, -1.0, 0.5, 2.0, 4.0, 9.0, 15.0]
    c = classer(valeurs, divergente=True, nb_classes=6, palette="PuOr")
    assert 0.0 in c.bornes
    assert c.bornes[0] == -c.bornes[-1] == -15.0
    assert [-b for b in reversed(c.bornes)] == list(c.bornes)
    palette = k.PALETTES_DIVERGENTES["PuOr"]
    negatives = {c.couleur(v) for v in valeurs if v < 0}
    positives = {c.couleur(v) for v in valeurs if v > 0}
    assert negatives <= set(palette[:5]) and positives <= set(palette[6:])


def test_divergente_toutes_nulles_couleur_neutre() -> None:
    c = classer([0.0, 0.0], divergente=True, nb_classes=6, palette="BrBG")
    assert c.couleur(0.0) == k.PALETTES_DIVERGENTES["BrBG"][5]


def test_entrees_comptent_les_zones_par_classe() -> None:
    c = classer(DIX_HUIT)
    entrees = k.build_entrees(c, DIX_HUIT, texte)
    assert sum(e.nb_zones for e in entrees) == len(DIX_HUIT)
    assert [e.couleur for e in entrees] == list(c.couleurs)


@pytest.mark.parametrize("palette", [*k.PALETTES_SEQUENTIELLES, *k.PALETTES_DIVERGENTES])
def test_palettes_sans_gris_reserve_aux_zones_non_renseignees(palette: str) -> None:
    couleurs = {**k.PALETTES_SEQUENTIELLES, **k.PALETTES_DIVERGENTES}[palette]
    for couleur in couleurs:
        assert re.fullmatch(r"#[0-9a-f]{6}", couleur)
    milieu = len(couleurs) // 2
    utilisees = [c for i, c in enumerate(couleurs) if palette not in k.PALETTES_DIVERGENTES
                 or i != milieu]  # fmt: skip
    for couleur in utilisees:
        r, g, b = (int(couleur[i : i + 2], 16) for i in (1, 3, 5))
        assert max(r, g, b) - min(r, g, b) > 8, f"{couleur} est un gris"


def test_nombre_de_couleurs_demande_respecte() -> None:
    for nb in range(1, k.MAX_CLASSES + 1):
        assert len(set(k.couleurs_sequentielles("viridis", nb))) == nb
    for nb in range(2, k.MAX_CLASSES_DIVERGENTES + 1, 2):
        assert len(set(k.couleurs_divergentes("PuOr", nb))) == nb
