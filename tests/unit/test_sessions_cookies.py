"""Cookie de connexion : seul un jeton signé par notre clé, en HS256, avec un jeton de session et
une date future, est lu ; tout le reste (forgé, `alg: none`, mal signé, expiré, d'avant les
sessions en base) est refusé sans lever d'exception (`auth.lire_jeton`)."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from dashboard import auth

CLE = "t6VqgG1o0mPj1e0yN3rZk9wQb7cX2aHfLd5sUeR4iT8"
AUTRE_CLE = "Zp2Lx9Qe4Wr7Ty1Ui3Op5As8Df0Gh6Jk2Lz4Xc7Vb9N"


def _jeton(contenu: dict[str, object], cle: str = CLE, algorithme: str = "HS256") -> str:
    return jwt.encode(contenu, cle, algorithm=algorithme)


def _sans_signature(contenu: dict[str, object]) -> str:
    """Un JWT `alg: none`, tel qu'un attaquant l'écrit à la main (PyJWT refuse d'en fabriquer
    un avec une clé)."""

    def b64(donnees: dict[str, object]) -> str:
        brut = json.dumps(donnees, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(brut).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(contenu)}."


def _valide(**autres: object) -> dict[str, object]:
    return {"username": "admin", "sid": "jeton-de-session", "exp_date": time.time() + 3600,
            **autres}  # fmt: skip


def test_un_cookie_bien_forme_est_lu() -> None:
    lu = auth.lire_jeton(_jeton(_valide()), CLE)
    assert lu is not None and (lu.identifiant, lu.session) == ("admin", "jeton-de-session")


@pytest.mark.parametrize(
    "brut",
    [
        pytest.param(_sans_signature(_valide()), id="alg-none"),
        pytest.param(_jeton(_valide(), cle=AUTRE_CLE), id="signature-fausse"),
        pytest.param(_jeton(_valide(), algorithme="HS512"), id="autre-algorithme"),
        pytest.param(_jeton(_valide(exp_date=time.time() - 1)), id="expire"),
        pytest.param(_jeton(_valide(exp_date="demain")), id="date-illisible"),
        pytest.param(
            _jeton({"username": "admin", "exp_date": time.time() + 3600}),
            id="sans-session-format-d-avant",
        ),  # fmt: skip
        pytest.param(_jeton(_valide(username=["admin"])), id="identifiant-liste"),
        pytest.param("pas-un-jwt", id="illisible"),
        pytest.param("", id="vide"),
        pytest.param(_jeton(_valide())[:-3] + "AAA", id="signature-tronquee"),
    ],
)
def test_un_cookie_forge_ou_perime_est_refuse_sans_exception(brut: str) -> None:
    assert auth.lire_jeton(brut, CLE) is None
