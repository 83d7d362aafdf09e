"""The rule-file schema: pydantic models that reject unknown keys, so a typo is an error."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractor.model import Severity

TokenPattern = list[dict[str, Any]]
Unit = Literal["sentence", "clause", "section"]
FieldType = Literal["days", "months", "percent", "money", "date", "flag"]
Op = Literal["lt", "le", "gt", "ge", "eq", "ne", "is_null", "not_null"]

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """How to read one field from the text around a match.

    ``days``/``months`` take a DURATION entity, ``percent``/``money``/``date`` their entity, all
    only where the ``cue`` regex occurs within ``window`` characters on the given ``side`` of the
    entity; ``flag`` is true when the ``cue`` occurs anywhere in the scope.
    """

    type: FieldType
    cue: str
    side: Literal["before", "after", "any"] = "any"
    window: int = Field(default=90, ge=5, le=400)
    pick: Literal["first", "last", "max", "min"] = "first"
    scope: Unit = "clause"
    # A value is ignored when this regex matches within 40 characters of it (60 of a flag's cue),
    # e.g. "retain records for ten (10) years" is a retention period, not an audit lookback.
    unless: str | None = None

    @field_validator("cue", "unless")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad regex {value!r}: {exc}") from None
        return value


class Condition(_Strict):
    """``field op value``; all conditions of a ``when`` must hold."""

    lt: float | None = None
    le: float | None = None
    gt: float | None = None
    ge: float | None = None
    eq: Any = None
    ne: Any = None
    is_null: bool | None = None
    not_null: bool | None = None


class SeverityRule(_Strict):
    when: dict[str, Condition]
    severity: Severity


class Examples(_Strict):
    positive: list[str | PositiveExample] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)
    # Known misses: listed so they stay visible, run as expected failures that must still fail.
    todo: list[str] = Field(default_factory=list)


class PositiveExample(_Strict):
    text: str
    fields: dict[str, Any] = Field(default_factory=dict)
    severity: Severity | None = None


class Rule(_Strict):
    id: str
    version: int = Field(ge=1)
    severity: Severity
    confidence: float = Field(default=0.9, gt=0, le=1)
    description: str
    unit: Unit = "sentence"
    patterns: list[TokenPattern] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    require: list[list[TokenPattern]] = Field(default_factory=list)
    exclude: list[TokenPattern] = Field(default_factory=list)
    exclude_scope: Unit = "sentence"
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    fixed_fields: dict[str, Any] = Field(default_factory=dict)
    severity_when: list[SeverityRule] = Field(default_factory=list)
    explanation: str
    examples: Examples

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if not self.patterns and not self.phrases:
            raise ValueError("a rule needs at least one pattern or phrase")
        if not self.explanation.strip():
            raise ValueError("explanation is empty")
        for name in [*self.fields, *self.fixed_fields]:
            if not FIELD_NAME.match(name):
                raise ValueError(f"bad field name {name!r}")
        known = {*self.fields, *self.fixed_fields}
        for sev in self.severity_when:
            unknown = set(sev.when) - known
            if unknown:
                raise ValueError(f"severity_when names unknown fields {sorted(unknown)}")
        return self


class RuleFile(_Strict):
    category: str
    description: str
    # A cheap regex every clause of this category contains; the spaCy matcher runs only on
    # paragraphs where it matches (a speed hint: a test checks every positive example passes it).
    prefilter: str
    # Hits in one clause merge into one finding unless they differ in one of these fields
    # (e.g. two sentences paying different services on different ``basis``).
    distinct_by: list[str] = Field(default_factory=list)
    # Whether ``distinct_by`` splits hits within one paragraph ("sentence") or only hits in
    # different paragraphs of a section ("paragraph").
    distinct_between: Literal["sentence", "paragraph"] = "sentence"
    rules: list[Rule] = Field(min_length=1)

    @field_validator("prefilter")
    @classmethod
    def _prefilter_compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad prefilter regex {value!r}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _ids_in_namespace(self) -> RuleFile:
        for rule in self.rules:
            if not rule.id.startswith(f"{self.category}."):
                raise ValueError(f"rule id {rule.id!r} must start with '{self.category}.'")
        return self


Examples.model_rebuild()
