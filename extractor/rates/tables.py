"""A table's cell grid to rate rows: columns recognised by their headers (the vocabulary in
clause_rules/vocabulary/rate_tables.yaml), each row's code, modifier, amount or percent parsed,
and the methodology taken from the header of the column that prices it. Tables that price
nothing (addresses, product lists) yield no rows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from extractor.key_terms import products_in
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
    # The columns that price a row: one usually; several when a schedule gives one column per
    # product or site ("HMO | PPO | EPO"), each then its own rate row.
    prices: tuple[int, ...]
    percent_columns: frozenset[int]
    code_header: str
    headers: tuple[str, ...]

    @property
    def price(self) -> int:
        return self.prices[0]


def _columns(
    header: list[str], vocab: Vocabulary, body: Sequence[list[str]] = ()
) -> _Columns | None:
    kinds: dict[str, int] = {}
    column_kinds = [vocab.column_kind(text) for text in header]
    for index, kind in enumerate(column_kinds):
        if kind and kind not in kinds:
            kinds[kind] = index
    if not kinds or any(cell_to_amount(text) is not None for text in header):
        return None  # a row of data (a table continued without its header), not a header
    if "modifier" in kinds and "code" not in kinds:
        return None  # "Modifier | % of allowed": payment adjustments, not prices
    keys = {kinds.get(k) for k in ("code", "modifier", "unit", "description")} - {None}
    prices = [
        i
        for i, kind in enumerate(column_kinds)
        if i not in keys
        and (kind in ("amount", "percent") or (kind is None and _mostly_prices(body, i, vocab)))
    ]
    if not prices:
        return None
    if "code" not in kinds and "description" not in kinds:
        if prices[0] == 0:
            return None
        kinds["description"] = 0  # "Product | Conversion Factor": the first column names the row
    code = kinds.get("code")
    percent_columns = frozenset(
        i
        for i in prices
        if column_kinds[i] == "percent"
        or (column_kinds[i] is None and _mostly_prices(body, i, vocab, percent=True))
    )
    return _Columns(
        code=code,
        modifier=kinds.get("modifier"),
        unit=kinds.get("unit"),
        description=kinds.get("description"),
        prices=tuple(prices),
        percent_columns=percent_columns,
        code_header=header[code] if code is not None else "",
        headers=tuple(header),
    )


def _mostly_prices(
    body: Sequence[list[str]], col: int, vocab: Vocabulary, percent: bool = False
) -> bool:
    """A column without a price word in its header ("Select EPO") still prices the rows when
    most of its filled cells are amounts (or unpriced marks like "Not covered")."""
    cells = [row[col].strip() for row in body if col < len(row) and row[col].strip()]
    if len(cells) < 2:
        return False
    if percent:
        hits = sum(cell_to_percent(c) is not None for c in cells)
    else:
        # Money as money looks ("$1,050.00", "410.00"): a bare integer may be an NPI or a count.
        hits = sum(
            (cell_to_amount(c) is not None and ("$" in c or re.search(r"\.\d{2}\b", c) is not None))
            or cell_to_percent(c) is not None
            or any(p.match(c) for _, p in vocab.non_priced)
            for c in cells
        )
    return hits >= 0.6 * len(cells)


def tables_to_rate_rows(
    tables: Sequence[Table], vocab: Vocabulary, captions: Mapping[int, str] | None = None
) -> list[RateRow]:
    """Rows of every table. A table that runs over several pages is one table: the next page's
    part, with its header repeated or without one (then read with the previous part's columns),
    gets the first part's table index and continues its row numbers; page and bbox stay those
    of the printed row. A "phone-book" table (code and fee columns repeated side by side) is
    read one column group at a time, down each group. ``captions`` (table index -> the title
    and headings above it) supply the methodology when no column header states it."""
    captions = captions or {}
    rows: list[RateRow] = []
    previous: tuple[Table, _Columns] | None = None
    logical = (0, 0)  # the current table's first index, and the rows numbered so far
    for index, table in enumerate(tables):
        grid = table.grid()
        groups = _column_groups(grid[0], vocab) if grid else []
        if len(groups) > 1:
            for group in groups:
                part_table = _sub_table(table, group)
                rows += table_to_rate_rows(
                    part_table, vocab, table_index=index, caption=captions.get(index, "")
                )
            previous = None
            continue
        cols = _columns(grid[0], vocab, grid[1:]) if grid else None
        part: list[RateRow]
        if cols is not None:
            repeated = (
                previous is not None
                and table.page == previous[0].page + 1
                and grid[0] == previous[0].grid()[0]
            )
            part = table_to_rate_rows(
                table, vocab, table_index=index, columns=cols, caption=captions.get(index, "")
            )
            previous = (table, cols)
        else:
            continued = _continuation(table, previous[0]) if previous is not None else None
            if previous is None or continued is None:
                previous = None
                continue
            repeated = True
            part = table_to_rate_rows(
                continued,
                vocab,
                table_index=index,
                columns=previous[1],
                has_header=False,
                caption=captions.get(index, ""),
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
    caption: str = "",
) -> list[RateRow]:
    grid = table.grid()
    if len(grid) < (2 if has_header else 1):
        return []
    cols = columns or _columns(grid[0], vocab, grid[1:])
    if cols is None:
        return []
    header_code_type = next(
        (t for pattern, t in vocab.code_type if pattern.search(cols.code_header)), None
    )
    rows: list[RateRow] = []
    first = 1 if has_header else 0
    boxes = _row_boxes(table)
    for price in cols.prices:
        header = cols.headers[price] if price < len(cols.headers) else ""
        methodology, unit = _methodology(header, caption, vocab)
        # One column per product: the column's header names the product it prices.
        products = products_in(header) if len(cols.prices) > 1 else set()
        line = next(iter(products)) if len(products) == 1 else product_line
        for index, cells in enumerate(grid[first:], start=first):
            row = _row(cells, cols, price, vocab, methodology, unit, header_code_type, line)
            if row is not None:
                rows.append(
                    replace(
                        row, page=table.page, table=table_index, row=index, bbox=boxes.get(index)
                    )
                )
    rows.sort(key=lambda r: r.row or 0)
    return rows


def _methodology(header: str, caption: str, vocab: Vocabulary) -> tuple[str, str]:
    """From the pricing column's header; a header that says nothing of the method ("Rate",
    "Select EPO") takes it from the table's caption ("Schedule of Case Rates")."""
    *specific, (_, default_methodology, default_unit) = vocab.methodology
    for text in (header, caption):
        found = next(((m, u) for pattern, m, u in specific if pattern.search(text)), None)
        if found is not None:
            return found
    return default_methodology, default_unit


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
    price: int,
    vocab: Vocabulary,
    methodology: str,
    unit: str | None,
    header_code_type: str | None,
    product_line: str | None,
) -> RateRow | None:
    price_text = cells[price] if price < len(cells) else ""
    price_header = cols.headers[price] if price < len(cols.headers) else ""
    description = cells[cols.description] if cols.description is not None else None
    amount = percent = None
    if price in cols.percent_columns:
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
        for text in (price_text, price_header, description or ""):
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
