"""Territoires (page en construction)."""

import streamlit as st

st.header("Territoires")
st.info("Page en construction : elle arrive avec son ticket.", icon="🚧")
