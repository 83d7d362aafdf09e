"""A table's cell grid to rate rows: columns recognised by their headers (the vocabulary in
clause_rules/vocabulary/rate_tables.yaml), each row's code, modifier, amount or percent parsed,
and the methodology taken from the header of the column that prices it. Tables that price
nothing (addresses, product lists) yield no rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractor.model import BBox, RateRow, Table
from extractor.rates.cells import (
    cell_to_amount,
    cell_to_code,
    cell_to_number,
    cell_to_percent,
    code_type_of,
)
from extractor.rates.vocabulary import Vocabulary


@dataclass(frozen=True)
class _Columns:
    code: int | None
    modifier: int | None
    unit: int | None
    description: int | None
    price: int  # the amount or percent column
    price_is_percent: bool
    code_header: str
    price_header: str


def _columns(header: list[str], vocab: Vocabulary) -> _Columns | None:
    kinds: dict[str, int] = {}
    for index, text in enumerate(header):
        kind = vocab.column_kind(text)
        if kind and kind not in kinds:
            kinds[kind] = index
    price_kind = "amount" if "amount" in kinds else "percent" if "percent" in kinds else None
    if price_kind is None:
        return None
    if "modifier" in kinds and "code" not in kinds:
        return None  # "Modifier | % of allowed": payment adjustments, not prices
    if "code" not in kinds and "description" not in kinds:
        if kinds[price_kind] == 0:
            return None
        kinds["description"] = 0  # "Product | Conversion Factor": the first column names the row
    code = kinds.get("code")
    return _Columns(
        code=code,
        modifier=kinds.get("modifier"),
        unit=kinds.get("unit"),
        description=kinds.get("description"),
        price=kinds[price_kind],
        price_is_percent=price_kind == "percent",
        code_header=header[code] if code is not None else "",
        price_header=header[kinds[price_kind]],
    )


def tables_to_rate_rows(tables: Sequence[Table], vocab: Vocabulary) -> list[RateRow]:
    """Rows of every table. A table that runs over several pages is one table: the next page's
    part, with its header repeated or without one (then read with the previous part's columns),
    gets the first part's table index and continues its row numbers; page and bbox stay those
    of the printed row. A "phone-book" table (code and fee columns repeated side by side) is
    read one column group at a time, down each group."""
    rows: list[RateRow] = []
    previous: tuple[Table, _Columns] | None = None
    logical = (0, 0)  # the current table's first index, and the rows numbered so far
    for index, table in enumerate(tables):
        grid = table.grid()
        groups = _column_groups(grid[0], vocab) if grid else []
        if len(groups) > 1:
            for group in groups:
                rows += table_to_rate_rows(_sub_table(table, group), vocab, table_index=index)
            previous = None
            continue
        cols = _columns(grid[0], vocab) if grid else None
        part: list[RateRow]
        if cols is not None:
            repeated = (
                previous is not None
                and table.page == previous[0].page + 1
                and grid[0] == previous[0].grid()[0]
            )
            part = table_to_rate_rows(table, vocab, table_index=index, columns=cols)
            previous = (table, cols)
        else:
            continued = _continuation(table, previous[0]) if previous is not None else None
            if previous is None or continued is None:
                previous = None
                continue
            repeated = True
            part = table_to_rate_rows(
                continued, vocab, table_index=index, columns=previous[1], has_header=False
            )
            previous = (continued, previous[1])
        if not repeated:
            logical = (index, 0)
        first, numbered = logical
        rows += [replace(r, table=first, row=numbered + (r.row or 0)) for r in part]
        logical = (first, numbered + len(grid))
    return rows


def _column_groups(header: list[str], vocab: Vocabulary) -> list[list[int]]:
    """Split a header whose column kinds repeat ("CPT | Fee | CPT | Fee") into its groups."""
    kinds = [vocab.column_kind(text) for text in header]
    starts = [i for i, kind in enumerate(kinds) if kind is not None and kind == kinds[0]]
    if kinds[0] is None or len(starts) < 2:
        return []
    bounds = [*starts, len(header)]
    groups = [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False)]
    shape = [kinds[i] for i in groups[0]]
    if any([kinds[i] for i in g][: len(shape)] != shape[: len(g)] for g in groups[1:]):
        return []
    return groups


def _sub_table(table: Table, columns: list[int]) -> Table:
    index = {col: new for new, col in enumerate(columns)}
    cells = tuple(replace(c, col=index[c.col]) for c in table.cells if c.col in index)
    return replace(table, n_cols=len(columns), cells=cells)


def _continuation(table: Table, previous: Table) -> Table | None:
    """``table`` read as the next page's part of ``previous``: the same number of columns, or
    (tables without rules, where an empty column leaves no trace) columns matched by position."""
    if table.page != previous.page + 1:
        return None
    if table.n_cols == previous.n_cols:
        return table
    spans = _column_spans(previous)
    if len(spans) != previous.n_cols or table.n_cols > previous.n_cols:
        return None
    mine = _column_spans(table)
    if len(mine) != table.n_cols:
        return None
    mapping: dict[int, int] = {}
    for col, (x0, x1) in mine.items():
        best = max(spans, key=lambda p: min(x1, spans[p][1]) - max(x0, spans[p][0]))
        if min(x1, spans[best][1]) - max(x0, spans[best][0]) <= 0 or best in mapping.values():
            return None
        mapping[col] = best
    cells = tuple(replace(c, col=mapping[c.col]) for c in table.cells)
    return replace(table, n_cols=previous.n_cols, cells=cells)


def _column_spans(table: Table) -> dict[int, tuple[float, float]]:
    spans: dict[int, tuple[float, float]] = {}
    for cell in table.cells:
        if cell.bbox is None or not cell.text:
            continue
        x0, x1 = cell.bbox[0], cell.bbox[2]
        old = spans.get(cell.col)
        spans[cell.col] = (min(old[0], x0), max(old[1], x1)) if old else (x0, x1)
    return spans


def table_to_rate_rows(
    table: Table,
    vocab: Vocabulary,
    product_line: str | None = None,
    table_index: int | None = None,
    columns: _Columns | None = None,
    has_header: bool = True,
) -> list[RateRow]:
    grid = table.grid()
    if len(grid) < (2 if has_header else 1):
        return []
    cols = columns or _columns(grid[0], vocab)
    if cols is None:
        return []
    methodology, unit = next(
        ((m, u) for pattern, m, u in vocab.methodology if pattern.search(cols.price_header)),
        ("fee_schedule", "per_service"),
    )
    header_code_type = next(
        (t for pattern, t in vocab.code_type if pattern.search(cols.code_header)), None
    )
    rows: list[RateRow] = []
    first = 1 if has_header else 0
    boxes = _row_boxes(table)
    for index, cells in enumerate(grid[first:], start=first):
        row = _row(cells, cols, vocab, methodology, unit, header_code_type, product_line)
        if row is not None:
            rows.append(
                replace(row, page=table.page, table=table_index, row=index, bbox=boxes.get(index))
            )
    return rows


def _row_boxes(table: Table) -> dict[int, BBox]:
    boxes: dict[int, BBox] = {}
    for cell in table.cells:
        if cell.bbox is None:
            continue
        old = boxes.get(cell.row)
        b = cell.bbox
        boxes[cell.row] = (
            (min(old[0], b[0]), min(old[1], b[1]), max(old[2], b[2]), max(old[3], b[3]))
            if old
            else b
        )
    return boxes


def _row(
    cells: list[str],
    cols: _Columns,
    vocab: Vocabulary,
    methodology: str,
    unit: str | None,
    header_code_type: str | None,
    product_line: str | None,
) -> RateRow | None:
    price_text = cells[cols.price] if cols.price < len(cells) else ""
    description = cells[cols.description] if cols.description is not None else None
    amount = percent = None
    if cols.price_is_percent:
        # Under a "% of Medicare" header a bare "118" is a percent.
        percent = cell_to_percent(price_text) or cell_to_number(price_text)
    else:
        amount = cell_to_amount(price_text)
        percent = cell_to_percent(price_text) if amount is None else None
    non_priced = next((k for k, p in vocab.non_priced if p.match(price_text.strip())), None)
    if amount is None and percent is None and non_priced is None:
        return None  # a section row ("Radiology") or an empty line
    code = modifier = None
    code_type = header_code_type
    if cols.code is not None:
        parsed = cell_to_code(cells[cols.code])
        if parsed is None and not description:
            return None
        if parsed is not None:
            code = parsed.code
            modifier = parsed.modifier
            if code is not None and header_code_type == "REV":
                if re.fullmatch(r"[0-9]{3,4}", code):
                    code = code.zfill(4)
                else:  # a "Rev. / CPT" column also holds procedure codes
                    code_type = code_type_of(code)
            if code is not None and code_type is None:
                code_type = code_type_of(code)
    if cols.modifier is not None and cols.modifier < len(cells) and cells[cols.modifier].strip():
        modifier = cells[cols.modifier].strip().upper()
    unit_text = cells[cols.unit].strip() if cols.unit is not None and cols.unit < len(cells) else ""
    own = (
        _row_unit(vocab.unit_cell, unit_text)
        or _row_unit(vocab.description_unit, description or "")
        or _row_unit(vocab.code_unit, code or "")
    )
    if own is not None:
        methodology, unit = own
    row_methodology = "percent_of_benchmark" if percent is not None else methodology
    percent_of = None
    if percent is not None:
        # "115% of Medicare" in the cell, else "% of Medicare" in the column header.
        for text in (price_text, cols.price_header, description or ""):
            found = next(((of, m) for pat, of, m in vocab.benchmarks if pat.search(text)), None)
            if found is not None:
                percent_of, row_methodology = found
                break
        if percent_of in ("billed_charges", "other"):
            unit = None  # a share of charges or cost, not a per-service price
    return RateRow(
        code=code,
        code_type=code_type,
        modifier=modifier,
        description=description or None,
        methodology=row_methodology,
        amount=amount,
        percent=percent,
        percent_of=percent_of,
        unit=unit,
        product_line=product_line,
        page=0,
        note=non_priced,
    )


def _row_unit(
    rules: tuple[tuple[re.Pattern[str], str, str], ...], text: str
) -> tuple[str, str] | None:
    if not text:
        return None
    return next(((m, u) for pattern, m, u in rules if pattern.search(text)), None)
