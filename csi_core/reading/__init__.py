"""Reading: an uploaded ``.xlsx`` becomes typed columns and a validation report.

``workbook`` opens the bytes within bounds and gives each header its role (``bigsheet``
reads very large sheets in chunks), ``scales`` and ``periods`` turn cell text into answer
codes and period names, ``validate`` applies METHOD.md's invalid-questionnaire rules and
names every refused cell, ``parsed`` holds what is handed on to the store.
"""
