"""Périodes : codes canoniques, périodes closes, plages de cibles."""

import pytest

from data_access import periodes as p
from data_access.periodes import Mois, Periodicite


@pytest.mark.parametrize(
    ("code", "canonique", "debut", "fin"),
    [
        ("2019-06", "2019-06", "2019-06", "2019-06"),
        ("2019-t2", "2019-T2", "2019-04", "2019-06"),
        ("2019-S2", "2019-S2", "2019-07", "2019-12"),
        ("2018", "2018", "2018-01", "2018-12"),
    ],
)
def test_parse_donne_les_mois_de_la_periode(
    code: str, canonique: str, debut: str, fin: str
) -> None:
    periode = p.parse(code)
    assert (periode.code, str(periode.debut), str(periode.fin)) == (canonique, debut, fin)


@pytest.mark.parametrize("code", ["2019-13", "2019-T5", "2019-S3", "19", "juin 2019", ""])
def test_parse_refuse_un_code_invalide_en_francais(code: str) -> None:
    with pytest.raises(p.PeriodeInvalide, match="invalide"):
        p.parse(code)


def test_derniere_periode_close_ne_prend_pas_la_periode_en_cours() -> None:
    assert p.derniere_close(Mois(2019, 5), Periodicite.TRIMESTRIELLE).code == "2019-T1"
    assert p.derniere_close(Mois(2019, 6), Periodicite.TRIMESTRIELLE).code == "2019-T2"
    assert p.derniere_close(Mois(2019, 11), Periodicite.ANNUELLE).code == "2018"


def test_entre_ne_garde_que_les_periodes_entieres() -> None:
    codes = [x.code for x in p.entre(Mois(2017, 2), Mois(2018, 1), Periodicite.TRIMESTRIELLE)]
    assert codes == ["2017-T2", "2017-T3", "2017-T4"]
    assert len(p.entre(Mois(2017, 1), Mois(2019, 12), Periodicite.MENSUELLE)) == 36


def test_plage_de_cible_cumulee_sur_trois_ans() -> None:
    plage = p.parse_plage("2017-2019")
    assert (str(plage.debut), str(plage.fin), plage.nb_mois) == ("2017-01", "2019-12", 36)
    with pytest.raises(p.PeriodeInvalide):
        p.parse_plage("2019-2017")
