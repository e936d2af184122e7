"""What reading hands on: the typed content of an upload, read by validation and the store."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ItemInfo:
    """An item of the workbook: its name, dimension (维度) and focus option letter."""

    name: str
    dimension: str = ""
    option: str = ""


@dataclass(frozen=True)
class Parsed:
    """The typed content of an upload, one entry per returned questionnaire."""

    items: tuple[str, ...]
    item_info: tuple[ItemInfo, ...]
    row: np.ndarray  # Excel row numbers
    period: np.ndarray  # canonical period names (object)
    segment: np.ndarray
    customer: np.ndarray  # "" when none
    respondent_id: np.ndarray
    date: np.ndarray
    comment: np.ndarray
    codes: np.ndarray  # int16 [rows, items]; NOT_ANSWERED where blank
    focus: np.ndarray  # bool [rows, items]
    valid: np.ndarray  # bool
    reason: np.ndarray  # "" or one of REASONS
    sent: tuple[tuple[str, str, str, int], ...] = ()  # (period, segment, customer, sent)
    scale: str = "default"
    overall: np.ndarray | None = None  # int16 codes of the overall-satisfaction column; None without one

    @property
    def n(self) -> int:
        return len(self.row)
