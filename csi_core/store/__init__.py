"""The store: one DuckDB file and the only SQL of the project.

``db.Store`` is the one class the rest of the code uses; it is made of modules of one idea
each: ``connection`` (open, schema and migrations, the transaction), ``imports`` (atomic
imports with the original file, the archive of replaced rows, upload history),
``browse`` (stored questionnaires and comments), ``arrays`` (the count arrays), ``settings``
(settings and scenarios), ``action_log``, ``reviews`` (management reviews and their
decisions) and ``audit``. ``ingest`` runs an upload from
bytes through reading and validation into the store (nothing stored on a refusal).
"""
