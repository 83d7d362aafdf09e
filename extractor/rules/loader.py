"""Load and validate the rule files: one YAML file per category, each error naming file and rule."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn

import spacy
import yaml
from pydantic import ValidationError
from spacy.matcher import Matcher

from extractor import errors
from extractor.errors import RulesError
from extractor.rules.schema import Rule, RuleFile


@dataclass(frozen=True)
class RuleSet:
    files: tuple[RuleFile, ...]
    version: str

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for f in self.files for rule in f.rules)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(f.category for f in self.files)


def default_rules_dir() -> Path:
    return Path(str(resources.files("clause_rules")))


def load_rules(directory: Path | None = None) -> RuleSet:
    directory = directory or default_rules_dir()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise RulesError(f"No rule files (*.yaml) in {directory}.", code=errors.RULES_INVALID)
    files: list[RuleFile] = []
    seen: dict[str, Path] = {}
    digest = hashlib.sha256()
    checker = Matcher(spacy.blank("en").vocab, validate=True)
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        rule_file = _parse(path, raw)
        if rule_file.category != path.stem:
            _fail(path, None, f"category {rule_file.category!r} does not match the file name")
        for rule in rule_file.rules:
            if rule.id in seen:
                _fail(path, rule.id, f"duplicate rule id (also in {seen[rule.id].name})")
            seen[rule.id] = path
            _check_patterns(checker, path, rule)
        files.append(rule_file)
    return RuleSet(files=tuple(files), version=f"rules-{digest.hexdigest()[:12]}")


def _parse(path: Path, raw: bytes) -> RuleFile:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        _fail(path, None, f"not valid YAML: {exc}")
    try:
        return RuleFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        rule_id = _rule_id_at(data, first["loc"])
        _fail(path, rule_id, f"{where}: {first['msg']}")


def _rule_id_at(data: object, loc: tuple[object, ...]) -> str | None:
    if isinstance(data, dict) and len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules")
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            return str(rules[loc[1]].get("id"))
    return None


# spaCy expands "{0,N}" into N optional tokens; wide ranges make matching slow, and "*" (bounded
# by the sentence the matcher runs on) says the same thing cheaply.
MAX_RANGE = 12
_RANGE = re.compile(r"^\{(\d*),(\d+)\}$")


def _check_patterns(checker: Matcher, path: Path, rule: Rule) -> None:
    groups = [rule.patterns, rule.exclude, *rule.require]
    for group in groups:
        for pattern in group:
            for token in pattern:
                op = token.get("OP") if isinstance(token, dict) else None
                m = _RANGE.match(op) if isinstance(op, str) else None
                if m and int(m.group(2)) > MAX_RANGE:
                    _fail(
                        path, rule.id, f'quantifier {op} is wider than {{0,{MAX_RANGE}}}; use "*"'
                    )
            try:
                checker.add("check", [pattern])
            except Exception as exc:  # spaCy raises ValueError/MatchPatternError with details
                _fail(path, rule.id, f"bad spaCy pattern {pattern!r}: {exc}")
            finally:
                if "check" in checker:
                    checker.remove("check")


def _fail(path: Path, rule_id: str | None, message: str) -> NoReturn:
    where = f"{path.name}" + (f", rule {rule_id}" if rule_id else "")
    raise RulesError(f"Invalid rule file {where}: {message}", code=errors.RULES_INVALID)
