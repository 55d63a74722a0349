"""Rendu Streamlit : une vue par page (`pages/carte.py` appelle `vues.carte`), plus l'en-tête et
les blocs communs (graphiques, événements datés). Seul paquet de constructeurs à appeler `st.*` ;
il lit par `donnees` et construit par les paquets purs, jamais par `data_access` en direct."""
