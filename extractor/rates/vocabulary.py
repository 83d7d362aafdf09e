"""The rate-table vocabulary (clause_rules/vocabulary/rate_tables.yaml), validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from extractor import errors
from extractor.errors import RulesError
from extractor.rules.loader import default_rules_dir

COLUMN_KINDS = ("modifier", "code", "percent", "unit", "amount", "description")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MethodologyRule(_Strict):
    header: str
    methodology: str
    unit: str


class RowUnitRule(_Strict):
    cell: str
    methodology: str
    unit: str


class RowUnits(_Strict):
    unit_cell: list[RowUnitRule]
    description: list[RowUnitRule]
    code: list[RowUnitRule] = []


class BenchmarkRule(_Strict):
    pattern: str
    percent_of: str
    methodology: str = "percent_of_benchmark"


class AmountRule(_Strict):
    pattern: str
    methodology: str
    unit: str


class ProseRules(_Strict):
    pays: str
    benchmarks: list[BenchmarkRule]
    per_service_benchmark: str
    stop_loss: str
    cost_plus: str
    threshold: str
    amounts: list[AmountRule]


class CodeTypeRule(_Strict):
    header: str
    code_type: str


class VocabularyFile(_Strict):
    columns: dict[str, list[str]]
    methodology: list[MethodologyRule]
    row_units: RowUnits
    code_type: list[CodeTypeRule]
    non_priced: dict[str, str]
    prose: ProseRules
    settings: dict[str, str]
    effective_date: str
    exhibit: str

    @field_validator("columns")
    @classmethod
    def _known_kinds(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(COLUMN_KINDS)
        if unknown:
            raise ValueError(f"unknown column kinds {sorted(unknown)}")
        return value


@dataclass(frozen=True)
class Vocabulary:
    columns: tuple[tuple[str, re.Pattern[str]], ...]
    methodology: tuple[tuple[re.Pattern[str], str, str], ...]
    unit_cell: tuple[tuple[re.Pattern[str], str, str], ...]
    description_unit: tuple[tuple[re.Pattern[str], str, str], ...]
    code_unit: tuple[tuple[re.Pattern[str], str, str], ...]
    code_type: tuple[tuple[re.Pattern[str], str], ...]
    non_priced: tuple[tuple[str, re.Pattern[str]], ...]
    pays: re.Pattern[str]
    benchmarks: tuple[tuple[re.Pattern[str], str, str], ...]
    per_service_benchmark: re.Pattern[str]
    stop_loss: re.Pattern[str]
    cost_plus: re.Pattern[str]
    threshold: re.Pattern[str]
    amount_units: tuple[tuple[re.Pattern[str], str, str], ...]
    settings: tuple[tuple[str, re.Pattern[str]], ...]
    effective_date: re.Pattern[str]
    exhibit: re.Pattern[str]

    def column_kind(self, header: str) -> str | None:
        for kind, pattern in self.columns:
            if pattern.search(header):
                return kind
        return None


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    path = path or default_rules_dir() / "vocabulary" / "rate_tables.yaml"
    try:
        raw = VocabularyFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        return Vocabulary(
            columns=tuple(
                (kind, re.compile("|".join(f"(?:{p})" for p in raw.columns[kind]), re.I))
                for kind in COLUMN_KINDS
                if kind in raw.columns
            ),
            methodology=tuple(
                (re.compile(m.header, re.I), m.methodology, m.unit) for m in raw.methodology
            ),
            unit_cell=tuple(
                (re.compile(u.cell, re.I), u.methodology, u.unit) for u in raw.row_units.unit_cell
            ),
            description_unit=tuple(
                (re.compile(u.cell, re.I), u.methodology, u.unit) for u in raw.row_units.description
            ),
            code_unit=tuple(
                (re.compile(u.cell, re.I), u.methodology, u.unit) for u in raw.row_units.code
            ),
            code_type=tuple((re.compile(c.header, re.I), c.code_type) for c in raw.code_type),
            non_priced=tuple((k, re.compile(v, re.I)) for k, v in raw.non_priced.items()),
            pays=re.compile(raw.prose.pays, re.I),
            benchmarks=tuple(
                (re.compile(b.pattern, re.I), b.percent_of, b.methodology)
                for b in raw.prose.benchmarks
            ),
            per_service_benchmark=re.compile(raw.prose.per_service_benchmark, re.I),
            stop_loss=re.compile(raw.prose.stop_loss, re.I),
            cost_plus=re.compile(raw.prose.cost_plus, re.I),
            threshold=re.compile(raw.prose.threshold, re.I),
            amount_units=tuple(
                (re.compile(a.pattern, re.I), a.methodology, a.unit) for a in raw.prose.amounts
            ),
            settings=tuple((k, re.compile(v, re.I)) for k, v in raw.settings.items()),
            effective_date=re.compile(raw.effective_date, re.I),
            exhibit=re.compile(raw.exhibit, re.I),
        )
    except (ValidationError, yaml.YAMLError, re.error) as exc:
        raise RulesError(
            f"Invalid rate vocabulary {path.name}: {exc}", code=errors.RULES_INVALID
        ) from None
