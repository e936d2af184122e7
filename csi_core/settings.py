"""Every setting, declared once: name, default and help — used by the app's settings
screen, the command line and the README.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB = "data/csi.duckdb"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    zh: str
    en: str


SETTINGS: tuple[Setting, ...] = (
    Setting("segment_weights", None, "客户类型权重（权重1），如 民用户 70、工商业户 30；未设定时等权",
            "segment weights (权重1), e.g. residential 70, commercial 30; equal when not set"),
    Setting("scale", "default", "答案系数：default 1/0.8/0.5/0.2/0，100-80-60-30-0，20-16-12-8-4，likert，0-10，0-100",
            "answer coefficients: default 1/0.8/0.5/0.2/0, 100-80-60-30-0, 20-16-12-8-4, likert, 0-10, 0-100"),
    Setting("min_answered_share", 0.5, "作答题目少于此比例的问卷无效", "a questionnaire answering fewer than this share of items is invalid"),
    Setting("response_rate_target", 95.0, "回收率目标（%）", "response-rate target (%)"),
    Setting("valid_rate_target", 95.0, "有效率目标（%）", "valid-rate target (%)"),
    Setting("max_upload_mb", 300, "上传文件大小上限（MB）", "largest upload (MB)"),
    Setting("session_idle_minutes", 30, "登录后闲置多少分钟需重新登录", "minutes of inactivity after which a signed-in user signs in again"),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def default(name: str):
    """The default value of a setting."""
    return SETTING_BY_NAME[name].default


def db_path() -> str:
    """The database file: ``CSI_DB`` or ``data/csi.duckdb``."""
    return os.environ.get("CSI_DB", DEFAULT_DB)
