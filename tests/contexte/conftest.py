"""Le monde des tests de contexte : la démonstration, son édition de juin 2019, puis un import.

Une base par moteur (SQLite et PostgreSQL), pour tout le module : les valeurs de démonstration,
les comptes, l'édition de juin 2019 publiée comme `pilotage demo` la publie, puis un import de
correction qui change, après la publication, deux valeurs de mai et du 2e trimestre 2019 d'un
canton du Nord. La vue en direct de juin 2019 montre donc d'autres chiffres que l'édition : un
chiffre de l'édition relu dans les valeurs du jour serait faux, et le test le verrait.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from dashboard import utilisateurs
from dashboard.tableau_de_bord import editions
from data_access import demo, engine, imports
from data_access.droits import administrateur_local
from tests.app.conftest import caches_vides  # noqa: F401  (fixture automatique)
from tests.bases import BACKENDS, schema_pg
from tests.contexte.calcul import Lecture

MOIS = "2019-06"
# Après la publication : +40 retours à l'emploi (T2) et +25 placements (mai) à Haguenau (Nord).
CORRECTIONS = (("OO2-S.1", "6705", "2019-T2", 40), ("A2.1", "6705", "2019-05", 25))


@dataclass(frozen=True)
class Monde:
    """Une base de démonstration publiée puis corrigée, et de quoi la relire en SQL."""

    url: str
    dossier: Path
    lot_publication: int  # dernier lot connu à la publication de juin 2019

    def lire(self, conn: Connection, *, edition: bool) -> Lecture:
        """La lecture indépendante : à la publication (édition) ou du jour (en direct)."""
        return Lecture(conn, self.lot_publication) if edition else Lecture(conn)


def _corriger(conn: Connection) -> None:
    lignes = ["indicateur;territoire;periode;valeur"]
    for indicateur, canton, periode, ecart in CORRECTIONS:
        ancienne = conn.execute(
            text("SELECT valeur FROM valeur WHERE courante AND indicateur = :i "
                 "AND territoire = :t AND periode = :p"),
            {"i": indicateur, "t": canton, "p": periode},
        ).scalar_one()  # fmt: skip
        lignes.append(f"{indicateur};{canton};{periode};{ancienne + ecart:.0f}")
    imports.commit_import(conn, nom="correction.csv", contenu="\n".join(lignes).encode(),
                          acteur=administrateur_local("test"), correction=True,
                          aujourdhui=date(2019, 12, 15))  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def monde(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Monde]:
    dossier = tmp_path_factory.mktemp(f"contexte-{request.param}")
    with ExitStack() as pile:
        if request.param == "sqlite":
            url = f"sqlite:///{dossier / 'pilotage.db'}"
        else:
            url = pile.enter_context(schema_pg())
        demo.create_base(url)
        utilisateurs.add_comptes_demo(
            dossier / "utilisateurs.yaml", acteur=administrateur_local("test")
        )
        eng = engine.create(url)
        pile.callback(eng.dispose)
        with eng.begin() as conn:
            editions.publier_demo(conn, debut=MOIS, fin=MOIS)
        with eng.connect() as conn:
            lot = int(conn.execute(text("SELECT MAX(id) FROM lot_import")).scalar_one())
        with eng.begin() as conn:
            _corriger(conn)
        mp = pile.enter_context(pytest.MonkeyPatch.context())
        mp.setenv("PILOTAGE_DATA_DIR", str(dossier))
        mp.setenv("PILOTAGE_DATABASE_URL", url)
        mp.setenv("PILOTAGE_DEMO", "1")
        mp.delenv("PILOTAGE_USERS_FILE", raising=False)
        yield Monde(url, dossier, lot)


@pytest.fixture
def conn(monde: Monde) -> Iterator[Connection]:
    """Une connexion de lecture à la base du monde, pour le calcul indépendant."""
    eng = engine.create(monde.url)
    try:
        with eng.connect() as c:
            yield c
    finally:
        eng.dispose()
