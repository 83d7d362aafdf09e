"""Rule files are validated on load; every broken file gives one error naming file and rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.errors import RulesError
from extractor.rules.loader import default_rules_dir, load_rules

GOOD_RULE = """
category: demo
description: A demo category.
prefilter: "renew"
rules:
  - id: demo.first
    version: 1
    severity: medium
    description: Finds the word renew.
    patterns:
      - [{LOWER: "renew"}]
    explanation: It renews.
    examples:
      positive: ["It will renew."]
      negative: ["It ends."]
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_shipped_rules_load_and_are_versioned() -> None:
    rules = load_rules()
    assert {
        "evergreen_renewal",
        "vague_reimbursement",
        "audit_provision",
        "recoupment_offset",
    } <= set(rules.categories)
    assert rules.version.startswith("rules-")
    assert all(rule.explanation.strip() and rule.examples.negative for rule in rules.rules)


def test_version_changes_when_a_rule_changes(tmp_path: Path) -> None:
    shutil.copytree(default_rules_dir(), tmp_path / "r", ignore=shutil.ignore_patterns("*.py"))
    before = load_rules(tmp_path / "r").version
    path = tmp_path / "r" / "audit_provision.yaml"
    path.write_text(path.read_text() + "\n# changed\n")
    assert load_rules(tmp_path / "r").version != before


def test_good_file_loads(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, "demo.yaml", GOOD_RULE))
    assert [r.id for r in rules.rules] == ["demo.first"]


@pytest.mark.parametrize(
    ("mutation", "needle"),
    [
        (("severity: medium", "severity: medium\n    colour: red"), "colour"),
        (("severity: medium", "severity: catastrophic"), "severity"),
        (('[{LOWER: "renew"}]', '[{LOWR: "renew"}]'), "bad spaCy pattern"),
        (('[{LOWER: "renew"}]', '[{LOWER: "renew", OP: "!!"}]'), "bad spaCy pattern"),
        (("id: demo.first", "id: other.first"), "must start with 'demo.'"),
        (("explanation: It renews.", "explanation: '  '"), "explanation"),
        (('negative: ["It ends."]', "negative: []"), "negative"),
    ],
)
def test_broken_rule_is_one_clear_error(
    tmp_path: Path, mutation: tuple[str, str], needle: str
) -> None:
    old, new = mutation
    assert old in GOOD_RULE
    _write(tmp_path, "demo.yaml", GOOD_RULE.replace(old, new))
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path)
    message = str(info.value)
    assert info.value.code == "rules.invalid"
    assert "demo.yaml" in message and needle in message
    if "id: other" not in new:
        assert "demo.first" in message


def test_duplicate_rule_id_is_named(tmp_path: Path) -> None:
    _write(tmp_path, "demo.yaml", GOOD_RULE + GOOD_RULE.split("rules:\n", 1)[1])
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path)
    assert "duplicate rule id" in str(info.value) and "demo.first" in str(info.value)


def test_category_must_match_file_name(tmp_path: Path) -> None:
    _write(tmp_path, "other.yaml", GOOD_RULE)
    with pytest.raises(RulesError, match="does not match the file name"):
        load_rules(tmp_path)


def test_yaml_syntax_error(tmp_path: Path) -> None:
    _write(tmp_path, "demo.yaml", "category: [unclosed\n")
    with pytest.raises(RulesError, match="not valid YAML"):
        load_rules(tmp_path)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="No rule files"):
        load_rules(tmp_path)
