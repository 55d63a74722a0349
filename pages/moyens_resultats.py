"""Moyens et résultats (page en construction)."""

import streamlit as st

st.header("Moyens et résultats")
st.info("Page en construction : elle arrive avec son ticket.", icon="🚧")
