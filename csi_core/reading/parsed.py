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
    branch: np.ndarray | None = None  # "" = headquarters; None (no column) reads as all ""
    competitor: np.ndarray | None = None  # "" = ours; a name = that competitor's questionnaire

    def __post_init__(self):
        for name in ("branch", "competitor"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.full(len(self.row), "", dtype=object))

    @property
    def ours(self) -> np.ndarray:
        """bool: the questionnaires about us (not a competitor's)."""
        return self.competitor == ""

    @property
    def n(self) -> int:
        return len(self.row)
