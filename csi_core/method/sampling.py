"""Sample size and response-rate arithmetic (抽样与回收率), METHOD.md formulas 7 and 8.

* Cochran      n0 = z² · p(1−p) / e²                      :func:`cochran`
* finite population correction  n = n0 / (1 + (n0−1)/N)   :func:`finite_population`
* Yamane       n = N / (1 + N·e²)                          :func:`yamane`
* the margin of error a sample gives                       :func:`margin_of_error`
* questionnaires to send for an expected response rate     :func:`to_send`
* proportional allocation over segments (分层抽样)           :func:`allocate`

Sample sizes are rounded *up* (a fraction of a respondent is a whole one more); the
unrounded value is what the next formula uses, so Cochran with correction gives 1056
for N = 100 000 (not 1057 from the rounded 1068).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

METHODS = ("cochran", "yamane")
POPULATION_SOURCES = ("sent", "customers", "returned")  # where a segment's population comes from


def z_of(confidence: float) -> float:
    """The two-sided standard-normal quantile of a confidence level (0.95 → 1.96).

    Examples
    --------
    >>> round(z_of(0.95), 4), round(z_of(0.99), 4)
    (1.96, 2.5758)
    """
    if not 0 < confidence < 1:
        raise ValueError("the confidence level must lie between 0 and 1, e.g. 0.95")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _check(p: float, e: float) -> None:
    if not 0 <= p <= 1:
        raise ValueError("the expected proportion p must lie between 0 and 1")
    if not 0 < e < 1:
        raise ValueError("the margin of error e must lie between 0 and 1, e.g. 0.03")


def cochran_exact(confidence: float = 0.95, p: float = 0.5, e: float = 0.03) -> float:
    """Cochran's n0 = z²·p(1−p)/e², not rounded.

    Examples
    --------
    >>> round(cochran_exact(), 2)
    1067.07
    """
    _check(p, e)
    return z_of(confidence) ** 2 * p * (1 - p) / e**2


def cochran(confidence: float = 0.95, p: float = 0.5, e: float = 0.03) -> int:
    """Sample size for an unlimited population (Cochran), rounded up.

    Examples
    --------
    >>> cochran()
    1068
    >>> cochran(e=0.05), cochran(confidence=0.99)
    (385, 1844)
    """
    return math.ceil(round(cochran_exact(confidence, p, e), 9))


def finite_population(population: int, confidence: float = 0.95, p: float = 0.5, e: float = 0.03) -> int:
    """Cochran with the finite-population correction n = n0/(1+(n0−1)/N), rounded up.

    Examples
    --------
    >>> finite_population(100_000)
    1056
    >>> finite_population(2_000), finite_population(300)
    (697, 235)
    """
    if population < 1:
        raise ValueError("the population N must be at least 1")
    n0 = cochran_exact(confidence, p, e)
    return min(population, math.ceil(round(n0 / (1 + (n0 - 1) / population), 9)))


def yamane(population: int, e: float = 0.03) -> int:
    """Yamane's n = N/(1+N·e²) (95 %, p = 0.5 built in), rounded up.

    Examples
    --------
    >>> yamane(100_000)
    1099
    >>> yamane(2_000)
    715
    """
    if population < 1:
        raise ValueError("the population N must be at least 1")
    _check(0.5, e)
    return math.ceil(round(population / (1 + population * e**2), 9))


def margin_of_error(n: int, population: int | None = None, confidence: float = 0.95, p: float = 0.5) -> float:
    """The margin of error e of a sample of n (with the finite-population correction
    when N is given): Cochran solved for e.

    Examples
    --------
    >>> round(margin_of_error(1068), 4)
    0.03
    >>> round(margin_of_error(400, 2_000), 4)
    0.0438
    """
    if n < 1:
        raise ValueError("the sample n must be at least 1")
    if population is not None and population < n:
        raise ValueError("the sample n cannot be larger than the population N")
    e = z_of(confidence) * math.sqrt(p * (1 - p) / n)
    if population and population > 1:
        e *= math.sqrt((population - n) / (population - 1))
    return e


def to_send(sample: int, expected_response_rate: float) -> int:
    """Questionnaires to send out so that ``sample`` come back (rate in %).

    Examples
    --------
    >>> to_send(1056, 80)
    1320
    """
    if not 0 < expected_response_rate <= 100:
        raise ValueError("the expected response rate must lie between 0 and 100 %")
    return math.ceil(round(sample * 100 / expected_response_rate, 9))


def response_rate(returned: int, sent: int) -> float | None:
    """回收率 = returned / sent · 100; None when nothing was sent.

    Examples
    --------
    >>> response_rate(396, 400), response_rate(3, 0)
    (99.0, None)
    """
    return 100 * returned / sent if sent else None


def valid_rate(valid: int, returned: int) -> float | None:
    """有效率 = valid / returned · 100; None when nothing came back.

    Examples
    --------
    >>> valid_rate(380, 400)
    95.0
    """
    return 100 * valid / returned if returned else None


def allocate(sample: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split a sample over strata in proportion to their size (largest remainders); a
    stratum never gets more than it holds: a sample as large as all strata together asks
    everyone (a census).

    Examples
    --------
    >>> allocate(1056, {"民用户": 90_000, "工商业户": 8_000, "公福用户": 2_000})
    {'民用户': 950, '工商业户': 85, '公福用户': 21}
    >>> allocate(1056, {"民用户": 196, "工商业户": 83})
    {'民用户': 196, '工商业户': 83}
    """
    total = sum(sizes.values())
    if sample < 0 or total <= 0 or any(v < 0 for v in sizes.values()):
        raise ValueError("sizes must be ≥ 0 with a positive total, and the sample ≥ 0")
    if sample >= total:
        return dict(sizes)
    exact = {k: sample * v / total for k, v in sizes.items()}
    out = {k: math.floor(x) for k, x in exact.items()}
    left = sample - sum(out.values())
    for k in sorted(exact, key=lambda k: exact[k] - out[k], reverse=True)[:left]:
        out[k] += 1
    return out


def segment_populations(counts, p: int) -> dict[str, tuple[int, str]]:
    """What the data knows of each segment's population in period ``p`` (the segments
    with questionnaires): the questionnaires sent (``sent``) when the sent sheet gives
    them, else the named customers who answered (``customers``), else the questionnaires
    returned (``returned``) — never fewer than came back.

    ``counts`` is a :class:`csi_core.method.counts.Counts`. Returns segment → (size, source).
    """
    named: dict[int, int] = {}
    for c in counts.customers.valid_in(p):
        if str(counts.customers.names[c]).strip():
            s = int(counts.customers.segment[c])
            named[s] = named.get(s, 0) + 1
    out = {}
    for s, segment in enumerate(counts.segments):
        returned = int(counts.returned[p, s])
        if not returned:
            continue
        sent = counts.sent_segment[p, s]
        if not math.isnan(sent) and sent >= returned:
            out[segment] = (int(sent), "sent")
        elif named.get(s):
            out[segment] = (named[s], "customers")
        else:
            out[segment] = (returned, "returned")
    return out


@dataclass(frozen=True)
class SamplePlan:
    """A sample size with how it was found: the method and its inputs, for the screen."""

    method: str
    population: int | None
    confidence: float
    p: float
    e: float
    n0: int
    n: int


def plan(population: int | None, method: str = "cochran", confidence: float = 0.95,
         p: float = 0.5, e: float = 0.03) -> SamplePlan:
    """The sample size by ``method`` ("cochran": with the correction when N is known;
    "yamane": needs N), with Cochran's n0 alongside for comparison.

    Examples
    --------
    >>> plan(100_000).n, plan(100_000, "yamane").n, plan(None).n
    (1056, 1099, 1068)
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    n0 = cochran(confidence, p, e)
    if method == "yamane":
        if not population:
            raise ValueError("Yamane's formula needs the population N")
        n = yamane(population, e)
    else:
        n = finite_population(population, confidence, p, e) if population else n0
    return SamplePlan(method, population, confidence, p, e, n0, n)
