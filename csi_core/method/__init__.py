"""The method of METHOD.md on count arrays: no I/O, numpy only.

``counts`` (the arrays), ``csi`` (item scores, focus weights, segment, total and customer
CSI), ``grades`` (half-up rounding, bands, thresholds), ``actions`` (what needs a
corrective action, the action log's verification), ``trends`` (run-chart series and
falls), ``sampling`` (sample size and response rates).
"""
