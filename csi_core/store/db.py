"""The store as the rest of the code sees it: one :class:`Store` made of the store's parts.

Each part is a module of one idea — ``connection`` (opening, schema, transactions),
``imports`` (uploads, archive), ``browse`` (stored rows), ``arrays`` (count arrays),
``branch_counts`` (one branch's count arrays), ``competitors`` (competitor questionnaires'
counts), ``settings`` (settings, scenarios), ``action_log``, ``complaints``, ``assessment``
(the annual assessment's entries), ``reviews`` (meetings, kept reviews), ``audit``, ``users``,
``stats`` (the sums behind the intervals, questionnaires on demand); ``access`` holds the
roles every write checks, ``faults`` names what goes wrong with the file,
``backup`` writes and restores the whole database. Every statement is parameterised;
user text never becomes SQL.
"""
from __future__ import annotations

from csi_core.method.actions import ACTION_STATUSES
from csi_core.store.access import LOCAL, Actor, PermissionDenied
from csi_core.store.action_log import ACTION_FIELDS, ActionLog
from csi_core.store.arrays import Arrays
from csi_core.store.assessment import AssessmentLog
from csi_core.store.audit import Audit
from csi_core.store.branch_counts import BranchCounts
from csi_core.store.browse import Browse
from csi_core.store.competitors import Competitors
from csi_core.store.complaints import ComplaintLog
from csi_core.store.connection import SCHEMA, SCHEMA_VERSION, Connection, StoreError, StoreLocked
from csi_core.store.imports import ImportResult, Imports
from csi_core.store.reviews import Reviews
from csi_core.store.settings import Settings
from csi_core.store.stats import StatsStore
from csi_core.store.users import UserError, Users

__all__ = ["ACTION_FIELDS", "ACTION_STATUSES", "LOCAL", "SCHEMA", "SCHEMA_VERSION", "Actor", "ImportResult",
           "PermissionDenied", "Store", "StoreError", "StoreLocked", "UserError"]


class Store(Imports, Browse, Arrays, BranchCounts, Competitors, StatsStore, Settings, ActionLog, ComplaintLog,
            AssessmentLog, Reviews, Audit, Users, Connection):
    """One DuckDB database: a file (``data/csi.duckdb``) or ``:memory:``."""
