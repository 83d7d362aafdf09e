"""Rebuild the shipped Medicare extracts from the CMS conversions in ``../shared/data/cms``.

    python -m extractor.reference.cms.build /work/shared/data/cms

Only the columns the benchmark needs are kept, so the files stay small and diff well; the output
is deterministic (sorted, fixed number formats), so a rebuild from the same inputs is
byte-identical. CPT descriptors are not in the inputs and never written.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
OHIO_2020 = "mpfs_2020_oh.csv"
NATIONAL_2024 = "pprrvu_2024_national.csv"
OHIO_HEADER = ("code", "modifier", "non_facility", "facility")
NATIONAL_HEADER = (
    "code", "modifier", "status", "non_facility_rvu", "facility_rvu", "conversion_factor",
)  # fmt: skip


def _cents(text: str) -> str:
    return str(Decimal(text).quantize(Decimal("0.01")))


def _exact(text: str, places: int) -> str:
    """A float the R-to-CSV conversion wrote as '0.43000000000000005' back to its published
    value ('0.43'); refuses to round away a real digit."""
    value = Decimal(text)
    rounded = round(value, places)
    if abs(value - rounded) > Decimal("1e-9"):
        raise ValueError(f"{text} has more than {places} decimal places")
    return str(rounded)


def _modifier(text: str) -> str:
    # The Ohio file writes "none" where the national file leaves the cell empty.
    return "" if text.strip().lower() in ("", "none") else text.strip().upper()


def build_ohio_2020(source: Path) -> list[tuple[str, ...]]:
    rows = []
    with source.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if (r["Carrier Number"], r["Locality"], r["Year"]) != ("15202", "00", "2020.0"):
                raise ValueError(f"unexpected locality or year in {source}: {r}")
            rows.append(
                (
                    r["HCPCS Code"].strip().upper(),
                    _modifier(r["Modifier"]),
                    _cents(r["Non-Facility Fee"]),
                    _cents(r["Facility Fee"]),
                )
            )
    return sorted(rows)


def build_national_2024(source: Path) -> list[tuple[str, ...]]:
    rows = []
    with source.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["source_file"] != "rvu24a_jan":
                raise ValueError(f"unexpected release in {source}: {r['source_file']}")
            non_facility = _exact(r["non_facility_total"], 2)
            facility = _exact(r["facility_total"], 2)
            # A line without RVUs can never be priced (carrier-priced, bundled, excluded...):
            # leaving it out halves the file and changes no benchmark.
            if Decimal(non_facility) == 0 and Decimal(facility) == 0:
                continue
            rows.append(
                (
                    r["hcpcs"].strip().upper(),
                    _modifier(r["mod"]),
                    r["status_code"].strip().upper(),
                    non_facility,
                    facility,
                    _exact(r["conv_factor"], 4),
                )
            )
    return sorted(rows)


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    keys = [(r[0], r[1]) for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate code + modifier in {path.name}")
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(data_dir: Path, out_dir: Path = HERE) -> None:
    _write(
        out_dir / OHIO_2020,
        OHIO_HEADER,
        build_ohio_2020(data_dir / "mpfs_2020_ohio" / "mpfs20_oh.csv"),
    )
    _write(
        out_dir / NATIONAL_2024,
        NATIONAL_HEADER,
        build_national_2024(data_dir / "pprrvu_2024" / "pprrvu_2024_jan_national_nodesc.csv"),
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m extractor.reference.cms.build DATA_DIR", file=sys.stderr)
        return 2
    build(Path(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
