"""Import des indicateurs (page en construction)."""

import streamlit as st

st.header("Import des indicateurs")
st.info("Page en construction : elle arrive avec son ticket.", icon="🚧")
