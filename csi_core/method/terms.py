"""What customers wrote (意见建议): the terms of the comments, counted per period.

Chinese text is cut into words by ``jieba`` (its dictionary ships inside the package);
Latin text is split into words. Stop words, single Chinese characters, numbers and
punctuation are left out; English words are lower-cased.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

import pandas as pd

_LATIN = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")

STOP_ZH = frozenset("""
的 了 是 在 和 也 就 都 而 及 与 或 一个 没有 我们 你们 他们 我 你 他 她 它 这 那 这个 那个 这些 那些 有 很 太 非常
比较 还 又 再 把 被 让 给 对 从 向 等 但 但是 因为 所以 如果 希望 建议 可以 能够 能 会 要 需要 进一步 一些 一下
不 没 请 吧 啊 呢 吗 哦 嗯 已经 以及 还是 总体 整体 方面 问题 有些 什么 怎么 多 少 更 最 好 谢谢 感谢 无 暂无 没什么
""".split())
STOP_EN = frozenset("""
a an the and or but if of to in on at for with by from as is are was were be been being it its this that these those
i we you he she they me us my our your their them there here not no very too so more most much many some any all
can could would should will shall may might must do does did have has had please thanks thank also just than then
""".split())


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # imported on first use: loading its dictionary takes about a second

    jieba.setLogLevel(60)
    return jieba


def terms(text: str) -> list[str]:
    """The terms of one comment, in order.

    Examples
    --------
    >>> terms("抄表不准确，希望改进。Billing is too SLOW, billing!")
    ['抄表', '准确', '改进', 'billing', 'slow', 'billing']
    """
    out: list[str] = []
    latin = " ".join(_LATIN.findall(text or ""))
    han = _LATIN.sub(" ", text or "")
    if _HAN.search(han):
        for word in _jieba().lcut(han):
            word = word.strip()
            if len(word) >= 2 and _HAN.search(word) and word not in STOP_ZH:
                out.append(word)
    out += [w for w in (w.lower() for w in latin.split()) if w not in STOP_EN]
    return out


def low_codes(scale) -> list[int]:
    """Answer codes that mean 不满意 or worse: levels 2 and 1 on the five-level scales;
    on the numeric scales the answers below the middle (coefficient under 0.5).

    Examples
    --------
    >>> from csi_core.reading.scales import get_scale
    >>> low_codes(get_scale("default")), low_codes(get_scale("0-10"))
    ([1, 2], [0, 1, 2, 3, 4])
    """
    if not scale.numeric:
        return [1, 2]
    return [c for c in sorted(scale.codes) if scale.coefficients[c] < 0.5]


def count_terms(texts: Iterable[str]) -> Counter:
    """How many comments mention each term (a term counts once per comment)."""
    found: Counter = Counter()
    for text in texts:
        found.update(set(terms(text)))
    return found


def top_terms(periods: Sequence[str], texts: Sequence[Sequence[str]], period: str, top: int = 15) -> pd.DataFrame:
    """The most mentioned terms of ``period`` with their count and the change from the
    previous period that has comments (``previous`` NaN when there is none).

    Columns: ``term``, ``count``, ``previous``, ``change``; most frequent first, then by term.
    """
    k = list(periods).index(period)
    now = count_terms(texts[k])
    before = next((count_terms(texts[q]) for q in range(k - 1, -1, -1) if len(texts[q])), None)
    rows = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    table = pd.DataFrame(rows, columns=["term", "count"])
    table["previous"] = [float(before.get(t, 0)) if before is not None else float("nan") for t in table.term]
    table["change"] = table["count"] - table["previous"]
    return table
