"""Ce que la carte montre pour chaque zone dessinée : la mesure choisie, masquée s'il le faut.

Chaîne de calcul, dans cet ordre (pur, sans Streamlit ni base) :
1. les cantons (`series.read_par_canton`) sont regroupés en 18 zones dessinées ; les six cantons
   de Strasbourg forment une zone, agrégée selon la nature de l'indicateur (somme des effectifs,
   taux recomposé par numérateur et dénominateur, jamais additionné ni moyenné). Une zone n'a de
   valeur que si tous ses cantons en ont une : une somme partielle serait fausse ;
2. le secret statistique est appliqué aux zones, niveau publié (`data_access.secret`) ;
3. la mesure est calculée ; la référence départementale (part, écart, évolution, légende) est
   la valeur du département lui-même (`Departement`, lue par l'appelant : saisie à ce niveau,
   sinon tous ses cantons), jamais la somme des zones lues : pour un élu à périmètre, ce ne
   serait que son territoire, nommé « Bas-Rhin ». Elle est exacte, secret ou pas ;
4. une zone masquée garde `masque=True` et perd sa valeur : rien de ce qui sort d'ici ne permet
   de la retrouver (ni valeur brute, ni rang).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from dashboard import formats
from dashboard.carte.config import read_libelles_territoires, read_libelles_zones
from data_access import agregation, periodes, secret

FINE = formats.ESPACE_FINE
SECRET = "secret"  # jamais 0 ni vide : ce qu'on lit à la place d'une valeur masquée
NON_RENSEIGNE = "non renseigné"
STATUTS = {"definitif": "définitif", "provisoire": "provisoire"}
COLONNES_ZONES = {
    "zone": "string",
    "libelle": "string",
    "territoire_action": "string",
    "cantons": "string",
    "population": "Int64",
    "valeur": "float64",
    "masque": "bool",
    "motif": "string",
    "rang": "Int64",
    "statut": "string",
}


class Mesure(StrEnum):
    """Mesures proposées par le sélecteur de la carte, dans les mots affichés."""

    BRUTE = "valeur brute"
    POUR_1000 = "pour 1 000 habitants"
    PART = "part du total départemental"
    ECART = "écart à la moyenne départementale"
    EVOLUTION = "évolution sur 12 mois"


class MesureIndisponible(ValueError):
    """Mesure sans objet pour cet indicateur (un taux pour 1 000 habitants, un jalon…)."""


@dataclass(frozen=True)
class Indicateur:
    """Ce que la carte doit savoir d'un indicateur du référentiel."""

    code: str
    libelle: str
    nature: str
    unite: str


@dataclass(frozen=True)
class Grandeur:
    """Comment écrire une mesure : nom, unité de légende, suffixe, décimales, signe."""

    libelle: str  # « Pour 1 000 habitants »
    colonne: str  # en-tête du tableau
    unite: str  # sous-titre de légende
    suffixe: str = ""  # « 12,3 % », « +1,2 pt »
    complement: str = ""  # « 27 retours à l'emploi »
    decimales: int = 0
    signe: bool = False
    divergente: bool = False

    def court(self, x: float | None, decimales: int | None = None) -> str:
        """Nombre et symbole, pour une légende ou une cellule : `+12,3 %`."""
        if x is None or math.isnan(x):
            return formats.MANQUANT
        d = self.decimales if decimales is None else decimales
        if decimales is None and d == 0 and not float(x).is_integer():
            d = 1
        if x == 0:
            d = 0  # « 0 % », pas « 0,0 % »
        texte = formats.nombre(x, d)
        plus = "+" if self.signe and x > 0 and texte.strip("0,\u202f") else ""
        return f"{plus}{texte}{self.suffixe}"

    def long(self, x: float | None) -> str:
        """Avec l'unité en mots, pour une infobulle : `27 retours à l'emploi`."""
        texte = self.court(x)
        return texte if texte == formats.MANQUANT else texte + self.complement


@dataclass(frozen=True)
class Mesures:
    """La mesure par zone (`zones`, colonnes `COLONNES_ZONES`) et sa référence départementale."""

    indicateur: Indicateur
    mesure: Mesure
    periode: str
    periode_precedente: str | None
    grandeur: Grandeur
    zones: pd.DataFrame
    reference: float
    reference_texte: str
    seuil: int
    etendue: str  # les zones entre lesquelles le rang se compte (`etendue_rang`)

    @property
    def nb_classees(self) -> int:
        """Zones qui ont une valeur affichée (ni masquées, ni non renseignées)."""
        return int(self.zones["valeur"].notna().sum())


def mesures_disponibles(nature: str) -> tuple[Mesure, ...]:
    """Un taux ne se rapporte pas à la population ni ne se partage ; un jalon n'a pas de carte."""
    if nature in agregation.ADDITIVES:
        return tuple(Mesure)
    if nature == "taux":
        return (Mesure.BRUTE, Mesure.ECART, Mesure.EVOLUTION)
    return ()


def un_an_avant(periode: str) -> str:
    """Code de la période de même périodicité douze mois plus tôt : `2019-T2` → `2018-T2`."""
    p = periodes.parse(periode)
    return periodes.contenant(p.debut.decale(-12), p.periodicite).code


def _textes(cantons: pd.DataFrame, libelles_zones: Mapping[str, str]) -> pd.DataFrame:
    """Libellé, cantons, territoire et statut de chaque zone (boucle simple : 23 lignes)."""
    groupes: dict[str, list[dict[str, Any]]] = {}
    for ligne in cantons[
        ["canton", "libelle", "territoire_action", "zone_carte", "statut"]
    ].to_dict("records"):
        groupes.setdefault(str(ligne["zone_carte"]), []).append(ligne)
    lignes = []
    for zone, membres in groupes.items():
        noms = [str(m["libelle"]) for m in membres]
        territoires = {
            m["territoire_action"] for m in membres if isinstance(m["territoire_action"], str)
        }
        statuts = [m["statut"] for m in membres if isinstance(m["statut"], str)]
        lignes.append({
            "zone": zone,
            "libelle": noms[0] if len(noms) == 1 else libelles_zones.get(zone) or " + ".join(noms),
            "cantons": " ".join(str(m["canton"]) for m in membres),
            "territoire_action": " / ".join(sorted(territoires)),
            "statut": max(statuts) if statuts else None,  # « provisoire » > « definitif »
        })  # fmt: skip
    return pd.DataFrame(lignes).set_index("zone")


def _sommes(cantons: pd.DataFrame) -> pd.DataFrame:
    """Sommes et comptes par zone (sommes vectorisées), dans l'ordre des cantons."""
    g = cantons.groupby("zone_carte", sort=False)
    return pd.DataFrame({
        "nb": g.size(), "n_val": g["valeur"].count(), "n_num": g["numerateur"].count(),
        "n_den": g["denominateur"].count(), "somme_valeur": g["valeur"].sum(),
        "somme_numerateur": g["numerateur"].sum(),
        "somme_denominateur": g["denominateur"].sum(),
        "population": g["population"].sum(min_count=1),
    })  # fmt: skip


def _valeurs(z: pd.DataFrame, nature: str, unite: str) -> pd.DataFrame:
    """Valeur, numérateur, dénominateur de chaque zone ; NaN si un de ses cantons manque.

    Un taux se recompose par numérateur et dénominateur ; un canton seul saisi sans eux garde
    son taux, une zone de plusieurs cantons sans eux n'en a pas (on ne moyenne pas des taux).
    """
    complet = z["n_val"] == z["nb"]
    vide = pd.Series(np.nan, index=z.index, dtype="float64")
    if nature != "taux":
        return pd.DataFrame({"valeur": z["somme_valeur"].where(complet), "numerateur": vide,
                             "denominateur": vide})  # fmt: skip
    recomposable = (z["n_num"] == z["nb"]) & (z["n_den"] == z["nb"])
    recompose = agregation.recombine(z, nature=nature, unite=unite)
    seul = z["somme_valeur"].where(complet & (z["nb"] == 1))
    return pd.DataFrame({
        "valeur": recompose.where(recomposable, seul),
        "numerateur": z["somme_numerateur"].where(recomposable),
        "denominateur": z["somme_denominateur"].where(recomposable),
    })  # fmt: skip


def build_zones(
    cantons: pd.DataFrame,
    *,
    nature: str,
    unite: str,
    libelles_zones: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Les cantons de `read_par_canton` regroupés en zones dessinées, agrégés selon la nature."""
    libelles_zones = read_libelles_zones() if libelles_zones is None else libelles_zones
    z = _sommes(cantons)
    zones = pd.concat([z, _valeurs(z, nature, unite), _textes(cantons, libelles_zones)], axis=1)
    zones = zones.rename_axis("zone").reset_index()
    colonnes = ["zone", "libelle", "territoire_action", "cantons", "population", "valeur",
                "numerateur", "denominateur", "statut"]  # fmt: skip
    return zones[colonnes]


def _masquees(zones: pd.DataFrame, nature: str, seuil: int) -> pd.DataFrame:
    zones = zones.assign(effectif=secret.effectifs(zones, nature=nature)).reset_index(drop=True)
    return secret.masquer(
        zones, seuil=seuil, colonne_valeur="effectif", colonne_groupe="territoire_action"
    )


@dataclass(frozen=True)
class Departement:
    """La référence de la carte : le département lui-même, pas les zones lues.

    Pourquoi une valeur lue à part : les cantons qu'un utilisateur lit sont ceux de son
    périmètre ; leur somme serait, pour un élu du Nord, le total du Nord présenté comme celui du
    Bas-Rhin. `valeur` est le total d'un effectif ou d'un montant, le taux d'un taux
    (`series.read_valeur_departement`) ; `population` celle du département ;
    `valeur_un_an_avant` sert à l'évolution sur 12 mois. None : inconnu (rien n'est inventé).
    """

    valeur: float | None
    population: float | None
    valeur_un_an_avant: float | None = None

    @property
    def nombre(self) -> float:
        """`valeur` en nombre, NaN si elle manque : une mesure sans référence reste vide."""
        return _nombre(self.valeur)

    @property
    def par_habitant(self) -> float:
        """Valeur rapportée à la population du département (NaN sans population)."""
        population = _nombre(self.population)
        return self.nombre / population if population else np.nan


def _nombre(x: float | None) -> float:
    return np.nan if x is None or pd.isna(x) else float(x)


def _grandeur_brute(ind: Indicateur) -> Grandeur:
    symboles = {"%": (f"{FINE}%", 1), "€": (f"{FINE}€", 0), "ETP": (f"{FINE}ETP", 1)}
    if ind.unite in symboles:
        suffixe, decimales = symboles[ind.unite]
        return Grandeur("Valeur", f"Valeur ({ind.unite})", ind.unite, suffixe, "", decimales)
    decimales = 2 if ind.nature == "taux" else 0
    return Grandeur(
        "Valeur", f"Valeur ({ind.unite})", ind.unite, "", f" {ind.unite}".rstrip(), decimales
    )


def _grandeur_ecart_evolution(ind: Indicateur, mesure: Mesure) -> Grandeur:
    ecart = mesure is Mesure.ECART
    libelle = "Écart à la moyenne départementale" if ecart else "Évolution sur 12 mois"
    fin = " par rapport au Bas-Rhin" if ecart else " en 12 mois"
    if ind.nature != "taux":
        unite = "% d'écart au Bas-Rhin, par habitant" if ecart else "% d'évolution en 12 mois"
        complement = " par habitant" + fin if ecart else fin
        return Grandeur(libelle, f"{libelle} (%)", unite, f"{FINE}%", complement, 1, True, True)
    if ind.unite == "%":
        unite = "points d'écart au taux du Bas-Rhin" if ecart else "points d'évolution en 12 mois"
        return Grandeur(libelle, f"{libelle} (points)", unite, f"{FINE}pt", fin, 1, True, True)
    unite = f"{ind.unite}, " + ("écart au Bas-Rhin" if ecart else "évolution en 12 mois")
    return Grandeur(libelle, f"{libelle} ({ind.unite})", unite, "", fin, 2, True, True)


def build_grandeur(ind: Indicateur, mesure: Mesure) -> Grandeur:
    """La façon d'écrire la mesure choisie pour cet indicateur."""
    if mesure is Mesure.BRUTE:
        return _grandeur_brute(ind)
    if mesure is Mesure.POUR_1000:
        unite = f"{ind.unite} pour 1 000 habitants".replace("  ", " ")
        return Grandeur("Pour 1 000 habitants", unite[:1].upper() + unite[1:], unite, "",
                        f" {ind.unite} pour 1{FINE}000 hab.", 2)  # fmt: skip
    if mesure is Mesure.PART:
        libelle = "Part du total départemental"
        return Grandeur(libelle, f"{libelle} (%)", "% du total du Bas-Rhin", f"{FINE}%",
                        " du total du Bas-Rhin", 1)  # fmt: skip
    return _grandeur_ecart_evolution(ind, mesure)


def _sans_infini(serie: pd.Series) -> pd.Series:
    return serie.astype("float64").replace([np.inf, -np.inf], np.nan)


def _propre(zones: pd.DataFrame, mesure: Mesure) -> pd.Series:
    """Brute ou pour 1 000 habitants : la mesure d'une zone ne dépend que d'elle."""
    v, pop = zones["valeur"], zones["population"].astype("float64")
    return v if mesure is Mesure.BRUTE else _sans_infini(v / pop * 1000)


def _calcul(zones: pd.DataFrame, dep: Departement, mesure: Mesure, nature: str) -> pd.Series:
    """La mesure de chaque zone à une période (hors évolution)."""
    v, pop = zones["valeur"], zones["population"].astype("float64")
    if mesure in (Mesure.BRUTE, Mesure.POUR_1000):
        return _propre(zones, mesure)
    if mesure is Mesure.PART:
        return _sans_infini(v / dep.nombre * 100)
    if nature == "taux":
        return v - dep.nombre
    return _sans_infini((v / pop) / dep.par_habitant * 100 - 100)


def _reference(dep: Departement, mesure: Mesure) -> float:
    if mesure is Mesure.BRUTE:
        return dep.nombre
    if mesure is Mesure.POUR_1000:
        return dep.par_habitant * 1000
    return 100.0 if mesure is Mesure.PART else 0.0


def _reference_texte(ind: Indicateur, mesure: Mesure, dep: Departement, ref: float) -> str:
    brute = _grandeur_brute(ind)
    if mesure is Mesure.PART:
        return f"Bas-Rhin : 100{FINE}% = {brute.long(dep.nombre)}"
    if mesure is Mesure.ECART and ind.nature == "taux":
        return f"0 = taux du Bas-Rhin, {brute.long(dep.nombre)}"
    if mesure is Mesure.ECART:
        pour_1000 = build_grandeur(ind, Mesure.POUR_1000)
        return f"0 = moyenne du Bas-Rhin, {pour_1000.long(dep.par_habitant * 1000)}"
    return f"Bas-Rhin : {build_grandeur(ind, mesure).long(ref)}"


def _evolution(t: pd.DataFrame, avant: pd.DataFrame, nature: str) -> pd.Series:
    precedente = t["zone"].map(avant.set_index("zone")["valeur"])
    if nature == "taux":
        return t["valeur"] - precedente
    return _sans_infini((t["valeur"] / precedente - 1) * 100)


def _evolution_departement(dep: Departement, nature: str) -> float:
    avant = _nombre(dep.valeur_un_an_avant)
    if nature == "taux":
        return dep.nombre - avant
    return (dep.nombre / avant - 1) * 100 if avant else np.nan


def _masque_union(t: pd.DataFrame, avant: pd.DataFrame) -> pd.DataFrame:
    """Évolution : une zone masquée à l'une ou l'autre période l'est (sinon l'écart la révèle)."""
    precedent = t["zone"].map(avant.set_index("zone")["masque"]).fillna(False).astype(bool)
    motif_avant = t["zone"].map(avant.set_index("zone")["motif"])
    t = t.copy()
    t["motif"] = t["motif"].where(t["masque"], motif_avant.where(precedent))
    t["masque"] = t["masque"] | precedent
    return t


def texte_rang(rang: object, nb: int) -> str:
    """`1` → « 1er sur 16 », `3` → « 3e sur 16 » ; sans rang : « – »."""
    if rang is None or pd.isna(rang):  # type: ignore[call-overload]
        return formats.MANQUANT
    r = int(rang)  # type: ignore[call-overload]
    return f"{r}{'er' if r == 1 else 'e'} sur {nb}"


def etendue_rang(zones: pd.DataFrame, libelles_territoires: Mapping[str, str]) -> str:
    """Les zones entre lesquelles un rang se compte, en mots : « zones du Bas-Rhin » quand toutes
    sont lues, « zones du territoire Nord » pour un élu à périmètre. Son rang ne se compte que
    parmi les zones qu'il peut lire (un rang parmi les autres dirait leur ordre) : le dire évite
    de lire « 1er sur 5 » comme un rang dans le département."""
    lus = {t for ts in zones["territoire_action"].dropna() for t in str(ts).split(" / ") if t}
    if not lus or lus >= set(libelles_territoires):
        return "zones du Bas-Rhin"
    noms = [libelles_territoires.get(t, t) for t in sorted(lus)]
    return "zones du territoire " + " et du territoire ".join(noms)


def libelle_rang(etendue: str) -> str:
    """En-tête de colonne et début de l'infobulle : « Rang parmi les zones du territoire Nord »."""
    return f"Rang parmi les {etendue}"


def _finir(zones: pd.DataFrame, valeurs: pd.Series) -> pd.DataFrame:
    """Efface les valeurs masquées, classe les autres (1 = la plus élevée)."""
    zones = zones.assign(valeur=valeurs.where(~zones["masque"]).astype("float64"))
    zones["rang"] = zones["valeur"].rank(ascending=False, method="min").astype("Int64")
    return zones.reindex(columns=list(COLONNES_ZONES)).astype(COLONNES_ZONES)


def _zones_masquees(
    cantons: pd.DataFrame, ind: Indicateur, seuil: int, libelles_zones: Mapping[str, str] | None
) -> pd.DataFrame:
    zones = build_zones(cantons, nature=ind.nature, unite=ind.unite, libelles_zones=libelles_zones)
    return _masquees(zones, ind.nature, seuil)


def _par_evolution(
    zones: pd.DataFrame, avant: pd.DataFrame, dep: Departement, ind: Indicateur
) -> tuple[pd.DataFrame, pd.Series, float]:
    """Zones (masque des deux périodes), évolution par zone, évolution du Bas-Rhin."""
    reference = _evolution_departement(dep, ind.nature)
    return _masque_union(zones, avant), _evolution(zones, avant, ind.nature), reference


def _verifier(ind: Indicateur, mesure: Mesure) -> None:
    if mesure not in mesures_disponibles(ind.nature):
        raise MesureIndisponible(
            f"« {mesure} » n'a pas de sens pour un indicateur « {ind.nature} »"
        )


def build_zones_propres(
    cantons: pd.DataFrame,
    *,
    indicateur: Indicateur,
    mesure: Mesure,
    seuil: int,
    libelles_zones: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Valeur brute ou pour 1 000 habitants de chaque zone, masquée et classée comme sur la
    carte, sans référence départementale : la fiche d'une zone la calcule à chaque période, et
    la compare à la courbe du département lue à part (colonnes `COLONNES_ZONES`)."""
    _verifier(indicateur, mesure)
    if mesure not in (Mesure.BRUTE, Mesure.POUR_1000):
        raise MesureIndisponible(f"« {mesure} » se rapporte au département : `build_mesures`")
    zones = _zones_masquees(cantons, indicateur, seuil, libelles_zones)
    return _finir(zones, _propre(zones, mesure))


def build_mesures(
    cantons: pd.DataFrame,
    *,
    indicateur: Indicateur,
    periode: str,
    mesure: Mesure,
    seuil: int,
    departement: Departement,
    precedent: pd.DataFrame | None = None,
    libelles_zones: Mapping[str, str] | None = None,
    libelles_territoires: Mapping[str, str] | None = None,
) -> Mesures:
    """Mesure par zone dessinée ; `departement` : la valeur du département lui-même (jamais
    déduite des cantons passés, qui peuvent n'être que ceux d'un périmètre) ; `precedent` :
    `read_par_canton` 12 mois plus tôt (évolution)."""
    ind = indicateur
    _verifier(ind, mesure)
    if mesure is Mesure.EVOLUTION and precedent is None:
        raise MesureIndisponible("l'évolution sur 12 mois demande la période précédente")
    if libelles_territoires is None:
        libelles_territoires = read_libelles_territoires()
    zones = _zones_masquees(cantons, ind, seuil, libelles_zones)
    dep = departement
    if mesure is Mesure.EVOLUTION:
        avant = _zones_masquees(precedent, ind, seuil, libelles_zones)  # type: ignore[arg-type]
        zones, valeurs, reference = _par_evolution(zones, avant, dep, ind)
    else:
        valeurs, reference = _calcul(zones, dep, mesure, ind.nature), _reference(dep, mesure)
    return Mesures(
        indicateur=ind,
        mesure=mesure,
        periode=periode,
        periode_precedente=un_an_avant(periode) if mesure is Mesure.EVOLUTION else None,
        grandeur=build_grandeur(ind, mesure),
        zones=_finir(zones, valeurs),
        reference=float(reference),
        reference_texte=_reference_texte(ind, mesure, dep, float(reference)),
        seuil=seuil,
        etendue=etendue_rang(zones, libelles_territoires),
    )


def remarque(ligne: Mapping[str, object]) -> str:
    """« secret » pour une zone masquée, « non renseigné » sans valeur, sinon rien."""
    if ligne["masque"]:
        return SECRET
    valeur = ligne["valeur"]
    return NON_RENSEIGNE if valeur is None or pd.isna(valeur) else ""  # type: ignore[call-overload]


def build_tableau(
    mesures: Mesures,
    *,
    libelles_territoires: Mapping[str, str] | None = None,
    pour_csv: bool = False,
) -> pd.DataFrame:
    """Les chiffres de la carte en tableau : textes français à l'écran, nombres pour le CSV.

    Une zone masquée porte « secret » dans la colonne de la valeur (jamais 0 ni vide), une zone
    sans valeur « non renseigné » : la même lecture que l'infobulle.
    """
    g, zones = mesures.grandeur, mesures.zones
    if libelles_territoires is None:
        libelles_territoires = read_libelles_territoires()
    remarques = [remarque(li) for li in zones.to_dict("records")]
    if pour_csv:
        valeurs = [
            r or round(float(v), g.decimales)
            for r, v in zip(remarques, zones["valeur"], strict=True)
        ]
        rangs: list[object] = [None if pd.isna(r) else int(r) for r in zones["rang"]]
    else:
        valeurs = [r or g.court(float(v)) for r, v in zip(remarques, zones["valeur"], strict=True)]
        rangs = [texte_rang(r, mesures.nb_classees) for r in zones["rang"]]
    return pd.DataFrame({
        "Zone": zones["libelle"],
        "Cantons": zones["cantons"],
        "Territoire d'action": [libelles_territoires.get(t, t) for t in zones["territoire_action"]],
        g.colonne: valeurs,
        libelle_rang(mesures.etendue): rangs,
        "Statut": [STATUTS.get(s, "") if isinstance(s, str) else "" for s in zones["statut"]],
    })  # fmt: skip
