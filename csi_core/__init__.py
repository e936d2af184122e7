"""The CSI engine: every rule of ../shared/METHOD.md, no Streamlit.

The sub-packages follow the data flow, and imports only go down it:

- :mod:`csi_core.reading` — workbook bytes → bounded checks → typed columns → validation;
- :mod:`csi_core.method` — answer codes → count arrays → scores, weights, grades, actions;
- :mod:`csi_core.store` — the DuckDB file: atomic imports, count arrays, the action log;
- :mod:`csi_core.outputs` — results → the CLI's JSON, charts, the meeting report.

Beside them: :mod:`csi_core.i18n` (every string), :mod:`csi_core.settings` (every setting),
:mod:`csi_core.demo` and :mod:`csi_core.template` (the demo workbook and the empty template),
and ``python -m csi_core`` (the command line of CONTRACTS.md §2).
"""
