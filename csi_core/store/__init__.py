"""The store: one DuckDB file and the only SQL of the project.

``db`` holds the schema, atomic imports with the original file, the archive of replaced
rows, the count arrays, settings, scenarios and the action log; ``ingest`` runs an upload
from bytes through reading and validation into ``db`` (nothing stored on a refusal).
"""
