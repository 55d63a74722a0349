"""Lectures en cache : le seul endroit qui tient le moteur SQLAlchemy et les caches Streamlit
(`st.cache_data`, `memo`). Il importe `data_access` et `streamlit`, jamais `vues`."""
