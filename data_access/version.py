"""Version des données : ce qui change à chaque écriture qui compte pour l'affichage.

Plusieurs processus `pilotage run` servent l'application (derrière un proxy) : un import
enregistré par l'un doit se voir aussitôt dans les autres, dont les caches ne savent rien. Chaque
exécution de page lit donc cette version (une requête de quelques index) et, si elle a changé,
les caches du processus sont vidés. La version résume les écritures qui changent ce que les pages
montrent : lots (créés ou annulés), publications, commentaires, événements datés.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from data_access import schema


def read_version(conn: Connection) -> str:
    """Une empreinte courte de l'état des données ; deux lectures sans écriture entre elles
    rendent la même chaîne."""
    lot, pub, com, ann = (schema.lot_import, schema.publication, schema.commentaire,
                          schema.annotation)  # fmt: skip
    requete = select(
        select(func.max(lot.c.id)).scalar_subquery(),
        select(func.count()).where(lot.c.statut != "valide").select_from(lot).scalar_subquery(),
        select(func.count()).select_from(pub).scalar_subquery(),
        select(func.count()).select_from(com).scalar_subquery(),
        select(func.max(com.c.modifie_le)).scalar_subquery(),
        select(func.count()).select_from(ann).scalar_subquery(),
        select(func.max(ann.c.id)).scalar_subquery(),
    )
    return "|".join("" if v is None else str(v) for v in conn.execute(requete).one())
