"""Outputs: results as the CLI's JSON (``summary``), plotly figures (``charts``) and the
meeting report (``report``) in Excel, PDF and HTML.
"""
