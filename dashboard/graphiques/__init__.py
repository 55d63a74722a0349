"""Graphiques Altair et leurs phrases (résumés accessibles), sans Streamlit : des spécifications
construites depuis des valeurs. N'importe ni `streamlit`, ni `vues`, ni `donnees`."""
