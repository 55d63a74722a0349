"""Secret statistique : ne jamais publier par canton un effectif de personnes sous un seuil.

Pourquoi : un tableau de bord des allocataires du RSA par canton montre des effectifs petits
(3 personnes recrutées en Allemagne dans un canton rural). Un si petit nombre, croisé avec ce
que sait un voisin ou un employeur, désigne des personnes. La règle suit la pratique de la
statistique publique (secret primaire puis secondaire) :

- **secret primaire** : une zone dont l'effectif est sous le seuil (`config/carte.toml`, 5 par
  défaut) n'affiche pas sa valeur ; elle est marquée « secret », jamais 0 ;
- **secret secondaire** : les totaux des territoires d'action et du département restent exacts
  (ils sont publiés ailleurs et servent au pilotage). Si une seule zone d'un territoire était
  masquée, « total du territoire moins les autres zones » la redonnerait : on masque aussi la
  plus petite des autres zones renseignées du même territoire. Deux zones masquées ne laissent
  connaître que leur somme. Le total départemental étant la somme des totaux des territoires, il
  n'apprend rien de plus une fois chaque territoire protégé.

Indicateurs concernés (règle simple et prudente, plutôt qu'une liste d'unités à tenir à jour) :
tout indicateur de **flux ou de stock** (allocataires, personnes, jeunes, familles, retours à
l'emploi, placements, contrats… : ils comptent des personnes ou des événements qui en désignent) ;
un **taux** quand son numérateur ou son dénominateur est sous le seuil. Les montants ne sont pas
masqués (aucun effectif ne leur est attaché). Une mesure calculée à partir d'un effectif masqué
(pour 1 000 habitants, part du total, écart, évolution) est masquée avec lui, par l'appelant.

Limite assumée : un territoire dont une seule zone est renseignée publie, par son total, la
valeur de cette zone ; on ne peut pas la protéger sans masquer le total, que le pilotage veut
exact. La zone reste marquée « secret primaire ».

Module pur (pandas seulement) : il s'applique au niveau publié, les zones dessinées de la carte.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MOTIF_PRIMAIRE = "secret primaire"
MOTIF_SECONDAIRE = "secret secondaire"
NATURES_COMPTAGES = frozenset({"flux", "stock"})


def concerne(nature: str) -> bool:
    """Un indicateur de cette nature peut-il tomber sous le secret ?"""
    return nature in NATURES_COMPTAGES or nature == "taux"


def effectifs(cadre: pd.DataFrame, *, nature: str) -> pd.Series:
    """Effectif qui décide du secret de chaque ligne (NaN : rien à protéger ou inconnu).

    Flux et stock : la valeur elle-même. Taux : le plus petit du numérateur et du dénominateur
    (un taux de 2 sur 3 est aussi parlant qu'un effectif de 2). Autres natures : NaN.
    """
    if nature in NATURES_COMPTAGES:
        return cadre["valeur"].astype("float64")
    if nature == "taux":
        num = cadre["numerateur"].astype("float64")
        den = cadre["denominateur"].astype("float64")
        return pd.concat([num, den], axis=1).min(axis=1, skipna=False)
    return pd.Series(np.nan, index=cadre.index, dtype="float64")


def _secondaires(groupe: pd.DataFrame, colonne_valeur: str) -> list[object]:
    """Index à masquer en plus dans un groupe où une seule ligne renseignée est masquée."""
    renseignes = groupe[groupe[colonne_valeur].notna()]
    if int(renseignes["masque"].sum()) != 1:
        return []
    candidats = renseignes[~renseignes["masque"]]
    if candidats.empty:
        return []
    plus_petit = candidats[colonne_valeur].sort_values(kind="stable").index[0]
    return [plus_petit]


def masquer(
    cadre: pd.DataFrame,
    *,
    seuil: float,
    colonne_valeur: str,
    colonne_groupe: str,
) -> pd.DataFrame:
    """Copie de `cadre` avec `masque` (bool) et `motif` (« secret primaire / secondaire » ou NA).

    `colonne_valeur` : l'effectif qui décide (voir `effectifs`) ; une valeur manquante n'est ni
    masquée ni protectrice (elle ne compte pas dans le total du territoire). `colonne_groupe` :
    le territoire d'action dont le total est publié. Les valeurs ne sont pas effacées ici :
    c'est à l'affichage de remplacer une ligne masquée par « secret ».
    """
    if seuil <= 0:
        raise ValueError("le seuil du secret statistique doit être positif")
    if not cadre.index.is_unique:
        raise ValueError(
            "masquer() demande un index sans doublon (les lignes sont désignées par lui)"
        )
    resultat = cadre.copy()
    valeurs = resultat[colonne_valeur].astype("float64")
    primaire = (valeurs < seuil).fillna(False).astype(bool)
    resultat["masque"] = primaire
    resultat["motif"] = pd.Series(pd.NA, index=resultat.index, dtype="string")
    resultat.loc[primaire, "motif"] = MOTIF_PRIMAIRE
    secondaires: list[object] = []
    for _, groupe in resultat.groupby(colonne_groupe, dropna=False, sort=False):
        secondaires.extend(_secondaires(groupe, colonne_valeur))
    resultat.loc[secondaires, "masque"] = True
    resultat.loc[secondaires, "motif"] = MOTIF_SECONDAIRE
    return resultat
