"""A tiny app that only proves the browser fixtures work (tests/browser/test_fixtures.py)."""
import streamlit as st

st.title("客户满意度 CSI")
st.caption("浏览器测试夹具自检 · fixture self-check")
weight = st.slider("weight", 0, 100, 50)
st.metric("total", weight * 2)
up = st.file_uploader("上传文件 upload")
if up is not None:
    st.write(f"size: {up.size} bytes")
