"""Couche d'accès aux données : SQLAlchemy Core, DataFrames en sortie, jamais de Streamlit."""
