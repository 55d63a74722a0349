"""Tableau de bord (page en construction)."""

import streamlit as st

st.header("Tableau de bord")
st.info("Page en construction : elle arrive avec son ticket.", icon="🚧")
