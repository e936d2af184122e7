"""The app side of the dashboard: session state, caching and drawing helpers.

``ui.state`` is the glue between Streamlit and ``csi_core`` (the store, the count arrays,
the language, the weights in force); ``ui.widgets`` draws the pieces pages share. Pages
in ``pages/`` only lay out widgets and call these two and ``csi_core``.
"""
