"""Objectifs (page en construction)."""

import streamlit as st

st.header("Objectifs")
st.info("Page en construction : elle arrive avec son ticket.", icon="🚧")
