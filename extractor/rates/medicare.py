"""Rate rows against the Medicare Physician Fee Schedule ("what percent of Medicare is this?").

``load_benchmark(locality)`` reads one shipped CMS extract (``extractor/reference/cms``, see its
SOURCES.md) once per process; ``with_medicare(rows, schedule)`` fills ``RateRow.medicare``:

* CPT/HCPCS ``fee_schedule`` rows with an amount: Medicare's amount for the same code, modifier
  and site of service, and the row as a percent of it (DOMAIN.md §7.1, "% of Medicare").
* CPT/HCPCS ``percent_of_benchmark`` rows of Medicare with a code: Medicare's amount, and the
  contract's own percent as ``percent_of_medicare``. The row's ``amount`` stays null: it is what
  the contract prints, and the implied price is simply percent × Medicare amount.

Modifiers: a 26 / TC / 53 row is priced against Medicare's own 26 / TC / 53 line; a modifier that
marks a distinct or lateral service without changing Medicare's payment (DOMAIN.md §5.2) is priced
against the global line; any other modifier (50 bilateral, 80 assistant, ...) changes the payment
in ways this benchmark does not model, so the row gets no benchmark. No match leaves ``medicare``
None. MPFS prices professional services only: lab (CLFS), drugs (ASP) and DME have no line here.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

from extractor.model import MedicareBenchmark, RateRow

# locality label -> (shipped file, how its amounts are made)
_SOURCES = {
    "OH-2020": ("mpfs_2020_oh.csv", "amounts"),  # Ohio, carrier 15202 locality 00, CY2020
    "national-2024": ("pprrvu_2024_national.csv", "rvus"),  # national, unadjusted, CY2024 Jan
}
KNOWN_LOCALITIES: tuple[str, ...] = tuple(_SOURCES)
SITES = ("non_facility", "facility")

# The band of "% of Medicare" an analyst would not question. Commercial professional rates are
# quoted a little above Medicare (DOMAIN.md §4.2: 115 %, E/M 120 %, surgery 105 %), Medicaid and
# some MA rates a little below; the shipped contracts' fee rows sit at 76-182 % of OH-2020. Under
# half or over four times Medicare is rare enough to deserve a look; DOMAIN.md §6 calls < 20 % or
# > 1,000 % "usually a column shift", so this flag means "check", not "wrong".
SUSPICIOUS_BELOW_PERCENT = Decimal(50)
SUSPICIOUS_ABOVE_PERCENT = Decimal(400)

# Status codes with a Medicare amount (DOMAIN.md §7.1: only A/R/T have one nationally).
PRICED_STATUS = frozenset({"A", "R", "T"})
# Modifiers with a line of their own in the CMS files.
OWN_LINE_MODIFIERS = frozenset({"26", "TC", "53"})
# Distinct-service and anatomical modifiers: edit logic only, Medicare pays the global line.
GLOBAL_LINE_MODIFIERS = frozenset({"25", "59", "XE", "XP", "XS", "XU", "LT", "RT"})
PRICED_CODE_TYPES = frozenset({"CPT", "HCPCS"})
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MedicareSchedule:
    """One locality's Medicare amounts: (code, modifier or "") -> (non-facility, facility)."""

    locality: str
    prices: Mapping[tuple[str, str], tuple[Decimal, Decimal]] = field(repr=False)

    def amount(self, code: str, modifier: str | None, site: str = "non_facility") -> Decimal | None:
        if site not in SITES:
            raise ValueError(f"unknown site {site!r}; known: {', '.join(SITES)}")
        mod = (modifier or "").strip().upper()
        if mod in GLOBAL_LINE_MODIFIERS:
            mod = ""
        elif mod and mod not in OWN_LINE_MODIFIERS:
            return None
        pair = self.prices.get((code.strip().upper(), mod))
        if pair is None:
            return None
        value = pair[0] if site == "non_facility" else pair[1]
        return value if value > 0 else None


@functools.lru_cache(maxsize=len(KNOWN_LOCALITIES))
def load_benchmark(locality: str) -> MedicareSchedule:
    """The schedule for ``locality`` (one of KNOWN_LOCALITIES), read once per process."""
    if locality not in _SOURCES:
        raise ValueError(f"unknown locality {locality!r}; known: {', '.join(KNOWN_LOCALITIES)}")
    name, kind = _SOURCES[locality]
    text = resources.files("extractor.reference.cms").joinpath(name).read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    prices = _from_amounts(rows) if kind == "amounts" else _from_rvus(rows)
    return MedicareSchedule(locality, prices)


def _from_amounts(
    rows: Iterable[dict[str, str]],
) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    return {
        (r["code"], r["modifier"]): (Decimal(r["non_facility"]), Decimal(r["facility"]))
        for r in rows
    }


def _from_rvus(
    rows: Iterable[dict[str, str]],
) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """National unadjusted amount = total RVUs × conversion factor, to the cent (the GPCIs of a
    national price are all 1.0)."""
    prices: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for r in rows:
        if r["status"] not in PRICED_STATUS:
            continue
        cf = Decimal(r["conversion_factor"])
        prices[(r["code"], r["modifier"])] = (
            (Decimal(r["non_facility_rvu"]) * cf).quantize(CENT, ROUND_HALF_UP),
            (Decimal(r["facility_rvu"]) * cf).quantize(CENT, ROUND_HALF_UP),
        )
    return prices


def with_medicare(
    rows: Sequence[RateRow], schedule: MedicareSchedule, site: str = "non_facility"
) -> list[RateRow]:
    """Rows with ``medicare`` filled where the schedule prices them; every row is kept."""
    if site not in SITES:
        raise ValueError(f"unknown site {site!r}; known: {', '.join(SITES)}")
    return [_benchmarked(row, schedule, site) for row in rows]


def _benchmarked(row: RateRow, schedule: MedicareSchedule, site: str) -> RateRow:
    if row.code is None or row.code_type not in PRICED_CODE_TYPES:
        return row
    priced = row.methodology == "fee_schedule" and row.amount is not None
    stated = row.methodology == "percent_of_benchmark" and row.percent_of == "medicare"
    if not (priced or (stated and row.percent is not None)):
        return row
    medicare = schedule.amount(row.code, row.modifier, site)
    if medicare is None:
        return row
    if priced and row.amount is not None:
        ratio = row.amount / medicare * 100
    else:
        ratio = Decimal(str(row.percent))
    benchmark = MedicareBenchmark(
        locality=schedule.locality,
        amount=medicare,
        percent_of_medicare=float(ratio.quantize(CENT, ROUND_HALF_UP)),
        suspicious=not SUSPICIOUS_BELOW_PERCENT <= ratio <= SUSPICIOUS_ABOVE_PERCENT,
    )
    return replace(row, medicare=benchmark)
