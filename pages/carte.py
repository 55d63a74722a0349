"""Carte des cantons (page en construction)."""

import streamlit as st

st.header("Carte des cantons")
st.info("Page en construction : elle arrive avec son ticket.", icon="🚧")
