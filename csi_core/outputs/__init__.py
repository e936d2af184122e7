"""Outputs: results as the CLI's JSON (``summary``), plotly figures (``charts``), number
formats and colours shared by pages and reports (``formats``), and the meeting report:
its data (``report``, the only part that reads the store), its display tables
(``report_tables``), its PNG charts (``report_charts``) and one writer per format
(``report_xlsx``, ``report_pdf``, ``report_html`` with ``templates/``; ``report_files``
picks one), plus CSV exports (``csv_export``).
"""
