"""Le calcul indépendant des chiffres affichés : du SQL sur `valeur`, `cible` et `territoire`.

Aucune fonction de l'application n'est appelée ici : ni ses agrégations, ni ses trajectoires, ni
ses bornes d'édition. Le SQL lit les valeurs telles qu'elles étaient après le lot `lot_max` (la
dernière valeur de chaque clé parmi les lots de numéro au plus `lot_max`) : avec le dernier lot
d'avant la publication, c'est ce que savait l'édition ; sans borne, c'est la lecture du jour.

Les règles, écrites une fois ici d'après le README et le PDIE, et non d'après le code :
- la valeur d'un territoire pour une période est celle saisie pour lui ; sinon, pour le
  département, la somme de ses territoires d'action ; sinon la somme de ses cantons ; un taux
  est la somme des numérateurs sur la somme des dénominateurs, × 100 ;
- le réalisé d'un indicateur à cible est cumulé sur la plage de la cible jusqu'au mois montré
  (somme des périodes pour un flux ou un montant, niveau de la dernière période pour un stock
  ou un taux) ; sans cible, c'est la dernière valeur connue à ce mois.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, text

SOMMES = ("flux", "montant")
SANS_BORNE = 2**31 - 1

VALEURS_CONNUES = """
SELECT v.debut, v.fin, v.periode, v.territoire, t.niveau, t.parent, p.parent AS grand_parent,
       v.valeur, v.numerateur, v.denominateur
FROM valeur v
JOIN territoire t ON t.code = v.territoire
LEFT JOIN territoire p ON p.code = t.parent
WHERE v.indicateur = :indicateur AND v.lot <= :lot_max
  AND NOT EXISTS (
      SELECT 1 FROM valeur w
      WHERE w.indicateur = v.indicateur AND w.territoire = v.territoire
        AND w.periode = v.periode AND w.lot <= :lot_max AND w.lot > v.lot)
"""


@dataclass(frozen=True)
class Lecture:
    """Une connexion et la borne des lots : ce qu'on savait à un moment donné."""

    conn: Connection
    lot_max: int = SANS_BORNE

    def scalaire(self, requete: str, **params: object) -> object:
        return self.conn.execute(text(requete), params).scalar()

    def nature(self, indicateur: str) -> str:
        return str(self.scalaire("SELECT nature FROM indicateur WHERE code = :c", c=indicateur))

    def unite(self, indicateur: str) -> str:
        return str(self.scalaire("SELECT unite FROM indicateur WHERE code = :c", c=indicateur))

    def par_periode(self, indicateur: str, territoire: str) -> dict[tuple[str, str, str], float]:
        """(début, fin, code de période) → valeur du territoire, selon la règle du module."""
        nature = self.nature(indicateur)
        rangees = self.conn.execute(
            text(VALEURS_CONNUES), {"indicateur": indicateur, "lot_max": self.lot_max}
        )
        sources: dict[tuple[str, str, str], dict[str, list[tuple[float, float, float]]]] = {}
        for debut, fin, periode, code, niveau, parent, grand_parent, valeur, num, den in rangees:
            if code == territoire:
                source = "saisie"
            elif niveau == "territoire_action" and parent == territoire:
                source = "territoires"
            elif niveau == "canton" and territoire in (parent, grand_parent):
                source = "cantons"
            else:
                continue
            triplet = (_nombre(valeur), _nombre(num), _nombre(den))
            sources.setdefault((str(debut), str(fin), str(periode)), {}).setdefault(
                source, []
            ).append(triplet)
        resultat: dict[tuple[str, str, str], float] = {}
        for cle, par_source in sources.items():
            for source in ("saisie", "territoires", "cantons"):
                if source in par_source:
                    x = _agreger(par_source[source], nature, source == "saisie")
                    if not math.isnan(x):
                        resultat[cle] = x
                    break
        return resultat

    def derniere_periode(self, indicateur: str, territoire: str, mois: str) -> str | None:
        """Le code de la dernière période connue du territoire, close au plus tard au mois."""
        connues = sorted(
            (f, p) for (_, f, p) in self.par_periode(indicateur, territoire) if f <= mois
        )
        return connues[-1][1] if connues else None

    def realise(
        self, indicateur: str, territoire: str, mois: str, cible: float | None
    ) -> float | None:
        """Le réalisé montré au mois `mois` : la dernière valeur connue ; avec une cible, cumulé
        depuis le début de la plage de cette cible (de ce territoire, de cette valeur) qui
        contient la dernière période connue."""
        valeurs = self.par_periode(indicateur, territoire)
        connues = sorted((f, d, x) for (d, f, _), x in valeurs.items() if f <= mois)
        if not connues:
            return None
        derniere = connues[-1][0]
        if cible is None:
            return connues[-1][2]
        debut, _ = self.plage_cible(indicateur, territoire, derniere, cible)
        gardees = [x for f, d, x in connues if d >= debut]
        if self.nature(indicateur) in SOMMES:
            return sum(gardees)
        return gardees[-1]

    def realise_sur(
        self, indicateur: str, territoire: str, periode_cible: str, mois: str
    ) -> float | None:
        """Le réalisé d'une case du §4 : cumulé sur la plage de la cible de période
        `periode_cible` (« 2019 »), jusqu'au mois montré."""
        debut, fin = self.conn.execute(
            text("SELECT debut, fin FROM cible WHERE indicateur = :i AND territoire = :t "
                 "AND periode = :p"),
            {"i": indicateur, "t": territoire, "p": periode_cible},
        ).first() or (None, None)  # fmt: skip
        assert debut is not None, (indicateur, territoire, periode_cible)
        borne = min(str(fin), mois)
        gardees = sorted(
            (f, x) for (d, f, _), x in self.par_periode(indicateur, territoire).items()
            if d >= str(debut) and f <= borne
        )  # fmt: skip
        if not gardees:
            return None
        if self.nature(indicateur) in SOMMES:
            return sum(x for _, x in gardees)
        return gardees[-1][1]

    def plage_cible(
        self, indicateur: str, territoire: str, mois: str, cible: float
    ) -> tuple[str, str]:
        plages = self.conn.execute(
            text("SELECT DISTINCT debut, fin FROM cible WHERE indicateur = :i AND territoire = :t "
                 "AND debut <= :m AND fin >= :m AND ABS(valeur - :v) < 0.5"),
            {"i": indicateur, "t": territoire, "m": mois, "v": cible},
        ).all()  # fmt: skip
        assert len(plages) == 1, (indicateur, territoire, mois, cible, plages)
        return str(plages[0][0]), str(plages[0][1])

    def fin(self, indicateur: str, territoire: str, periode: str) -> str:
        """Le mois de fin d'une période connue de ce territoire."""
        return next(f for (_, f, p) in self.par_periode(indicateur, territoire) if p == periode)

    def cibles(self, indicateur: str, territoire: str, mois: str) -> set[float]:
        """Les valeurs des cibles de ce territoire dont la plage contient le mois."""
        return {
            float(x)
            for (x,) in self.conn.execute(
                text("SELECT valeur FROM cible WHERE indicateur = :i AND territoire = :t "
                     "AND debut <= :m AND fin >= :m"),
                {"i": indicateur, "t": territoire, "m": mois},
            )
        }  # fmt: skip

    def zones(self, indicateur: str, periode: str) -> dict[str, float]:
        """Zone de la carte → somme de ses cantons pour cette période (codes de période)."""
        rangees = self.conn.execute(
            text(VALEURS_CONNUES.replace("WHERE v.indicateur", "WHERE v.periode = :periode AND "
                                         "v.indicateur") + " AND t.niveau = 'canton'"),
            {"indicateur": indicateur, "lot_max": self.lot_max, "periode": periode},
        ).all()  # fmt: skip
        zone_de = dict(
            self.conn.execute(
                text("SELECT code, zone_carte FROM territoire WHERE niveau = 'canton'")
            ).all()
        )
        sommes: dict[str, float] = {}
        for _, _, _, code, _, _, _, valeur, _, _ in rangees:
            if valeur is not None:
                zone = str(zone_de[code])
                sommes[zone] = sommes.get(zone, 0.0) + float(valeur)
        return sommes

    def libelle(self, territoire: str) -> str:
        return str(self.scalaire("SELECT libelle FROM territoire WHERE code = :c", c=territoire))

    def code_territoire(self, libelle: str) -> str:
        return str(self.scalaire("SELECT code FROM territoire WHERE libelle = :l", l=libelle))


def _nombre(x: object) -> float:
    return math.nan if x is None else float(x)  # type: ignore[arg-type]


def _agreger(triplets: list[tuple[float, float, float]], nature: str, saisie: bool) -> float:
    if saisie or nature != "taux":
        connues = [v for v, _, _ in triplets if not math.isnan(v)]
        return sum(connues) if connues else math.nan
    paires = [(n, d) for _, n, d in triplets if not (math.isnan(n) or math.isnan(d))]
    numerateur = sum(n for n, _ in paires)
    denominateur = sum(d for _, d in paires)
    return numerateur / denominateur * 100 if denominateur else math.nan
