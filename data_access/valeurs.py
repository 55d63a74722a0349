"""Écriture des valeurs d'indicateurs avec historique : une version nouvelle remplace, sans effacer.

Une valeur est identifiée par (indicateur, territoire, période). Un lot qui apporte une valeur
différente pour une clé existante crée une nouvelle ligne `courante` et retire ce drapeau à
l'ancienne ; une valeur identique n'écrit rien. Les lectures ne regardent que les lignes courantes.
La comparaison (`compare_valeurs`) sert aussi l'aperçu d'un import : ce que l'aperçu annonce est
exactement ce que l'écriture fera.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Connection, select, update

from data_access import periodes, schema, sommes
from data_access.cadres import lire
from data_access.lots import Comptes

CLE = ["indicateur", "territoire", "periode"]
COLONNES_ENTREE = CLE + ["valeur", "numerateur", "denominateur", "statut"]
_COMPAREES = ["valeur", "numerateur", "denominateur", "statut"]
_NOMBRES = ["valeur", "numerateur", "denominateur"]
_LOT_ECRITURE = 5000
_LOT_IDS = 900  # sous la limite de paramètres d'une requête SQLite
AJOUTEE, MODIFIEE, IDENTIQUE = "ajoutee", "modifiee", "identique"


def _courantes(conn: Connection, indicateurs: list[str]) -> pd.DataFrame:
    v = schema.valeur
    requete = select(v.c.id, *(v.c[c] for c in CLE + _COMPAREES)).where(
        v.c.courante, v.c.indicateur.in_(indicateurs)
    )
    colonnes = ["id_ancienne", *CLE, *(f"ancien_{c}" for c in _COMPAREES)]
    return lire(conn, requete, colonnes)


def _periodes_canoniques(lignes: pd.DataFrame) -> pd.DataFrame:
    """Code canonique, premier et dernier mois de chaque période (une analyse par code distinct)."""
    connues = {p: periodes.parse(str(p)) for p in lignes["periode"].unique()}
    return lignes.assign(
        periode=lignes["periode"].map({p: v.code for p, v in connues.items()}),
        debut=lignes["periode"].map({p: str(v.debut) for p, v in connues.items()}),
        fin=lignes["periode"].map({p: str(v.fin) for p, v in connues.items()}),
    )


def _memes_nombres(a: pd.Series, b: pd.Series) -> npt.NDArray[np.bool_]:
    """Égalité de nombres lus ou écrits : NULL = NaN, flottants à 1e-9 près."""
    x: npt.NDArray[np.float64] = pd.to_numeric(a, errors="coerce").astype("float64").to_numpy()
    y: npt.NDArray[np.float64] = pd.to_numeric(b, errors="coerce").astype("float64").to_numpy()
    return (np.isnan(x) & np.isnan(y)) | np.isclose(x, y, rtol=1e-9, atol=1e-9)


def compare_valeurs(conn: Connection, *, lignes: pd.DataFrame) -> pd.DataFrame:
    """Chaque ligne face à la version en vigueur de sa clé : ajoutée, modifiée ou identique.

    Rend `lignes` (période sous son code canonique, `debut`, `fin`) plus `etat`, `id_ancienne`
    et les valeurs en vigueur (`ancien_valeur`, `ancien_numerateur`, `ancien_denominateur`,
    `ancien_statut`), dans l'ordre d'entrée. Lève ValueError si une clé est en double.
    """
    if lignes.empty:
        colonnes = [*COLONNES_ENTREE, "debut", "fin", "id_ancienne",
                    *(f"ancien_{c}" for c in _COMPAREES), "etat"]  # fmt: skip
        return pd.DataFrame(columns=colonnes, index=lignes.index, dtype=object)
    entree = _periodes_canoniques(lignes[COLONNES_ENTREE].reset_index(drop=True))
    if entree.duplicated(CLE).any():
        raise ValueError("clé (indicateur, territoire, période) en double dans les lignes")
    anciennes = _courantes(conn, sorted(entree["indicateur"].unique()))
    cadre = entree.merge(anciennes, on=CLE, how="left", sort=False)
    memes = np.ones(len(cadre), dtype=bool)
    for c in _NOMBRES:
        memes &= _memes_nombres(cadre[c], cadre[f"ancien_{c}"])
    memes &= (cadre["statut"] == cadre["ancien_statut"]).fillna(False).to_numpy(dtype=bool)
    existe = cadre["id_ancienne"].notna().to_numpy()
    cadre["etat"] = np.where(~existe, AJOUTEE, np.where(memes, IDENTIQUE, MODIFIEE))
    cadre.index = lignes.index
    return cadre


def write_valeurs(conn: Connection, *, lot: int, lignes: pd.DataFrame) -> Comptes:
    """Écrit `lignes` (colonnes de COLONNES_ENTREE, déjà validées) dans le lot `lot`, et les
    sommes des cantons qu'elles changent, dans la même transaction."""
    if lignes.empty:
        return Comptes()
    cadre = compare_valeurs(conn, lignes=lignes)
    nouvelles = cadre[cadre["etat"] != IDENTIQUE]
    remplacees = [int(i) for i in nouvelles["id_ancienne"].dropna()]
    _retirer(conn, remplacees)
    a_inserer = (
        nouvelles[[*COLONNES_ENTREE, "debut", "fin"]]
        .astype(object)
        .where(nouvelles[[*COLONNES_ENTREE, "debut", "fin"]].notna(), None)
        .assign(lot=lot, courante=True)
        .to_dict("records")
    )
    for debut in range(0, len(a_inserer), _LOT_ECRITURE):
        conn.execute(schema.valeur.insert(), a_inserer[debut : debut + _LOT_ECRITURE])
    sommes.refresh(
        conn,
        indicateurs=set(nouvelles["indicateur"]),
        territoires=set(nouvelles["territoire"]),
        periodes=set(nouvelles["periode"]),
    )
    return Comptes(len(a_inserer) - len(remplacees), len(remplacees), len(cadre) - len(a_inserer))


def _retirer(conn: Connection, ids: list[int]) -> None:
    """Retire le drapeau `courante` des versions remplacées (elles restent dans l'historique)."""
    v = schema.valeur
    for debut in range(0, len(ids), _LOT_IDS):
        paquet = ids[debut : debut + _LOT_IDS]
        conn.execute(update(v).where(v.c.id.in_(paquet)).values(courante=False))
