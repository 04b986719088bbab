"""`omnicase config apply|show`, the YAML loader and the config store against the table on moto."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from omnicase.persistence.config_store import ConfigStore, ConfigVersionConflict
from omnicase_local.cli import main
from omnicase_local.config_file import ConfigFileError, load_config_file

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "acme.yaml"

# Line numbers matter in these files: the tests assert them.
BAD_PATTERN = """\
tenant: acme
queues:
  general: {}
  billing: {}
rules:
  - name: billing
    when:
      patterns:
        - "ok"
        - "[unterminated"
    then: {queue: billing}
"""

BAD_REFERENCES = """\
tenant: acme
queues:
  general: {}
  billing: {}
agents:
  li.na: {name: Li Na}
rules:
  - name: billing
    then: {queue: billing}
  - name: vip
    then:
      queue: vipp
      assignee: li.na
  - name: nothing
"""

DUPLICATES = """\
tenant: acme
queues:
  general: {}
  billing: {}
  general: {description: again}
rules:
  - name: billing
    when: {keywords: [invoice]}
    when: {keywords: [refund]}
    then: {queue: billing}
"""

SYNTAX = """\
tenant: acme
queues:
  general: {}
  billing: [one, two
rules: []
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(tenant: str = "acme"):
    return ConfigStore(cache_seconds=0).load(tenant)


def apply(stack, *args: str) -> int:
    return main(["config", "apply", *args, "--table", stack.table])


def without_version(config):
    return replace(config, version=0, applied_at=None)


# --- the loader: every problem with its line ------------------------------------------------------------------


def test_a_bad_pattern_is_reported_with_its_line_and_field(tmp_path):
    path = write(tmp_path, "acme.yaml", BAD_PATTERN)
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    assert caught.value.problems == [
        f"{path}:10: rules[0].when.patterns[1]: bad regular expression: unterminated character set at position 0"
    ]


def test_reference_problems_point_at_the_line_of_the_field_or_of_what_lacks_it(tmp_path):
    path = write(tmp_path, "acme.yaml", BAD_REFERENCES)
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    assert caught.value.problems == [f"{path}:14: rules[2].then: required"]
    fixed = BAD_REFERENCES.replace("  - name: nothing\n", "  - name: nothing\n    then: {}\n")
    path = write(tmp_path, "acme.yaml", fixed)
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    assert caught.value.problems == [
        f'{path}:12: rules[1].then.queue: no queue "vipp" in queues (defined: general, billing)',
        f"{path}:15: rules[2].then: the rule does nothing: set a queue, priority, assignee or tags",
    ]


def test_duplicate_keys_are_errors_with_both_lines(tmp_path):
    path = write(tmp_path, "dup.yaml", DUPLICATES)
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    assert caught.value.problems == [
        f"{path}:5: queues.general: duplicate key (first at line 3)",
        f"{path}:9: rules[0].when: duplicate key (first at line 8)",
    ]


def test_a_yaml_syntax_error_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "broken.yaml", SYNTAX)
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}:5: YAML syntax error: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ":1: the file is empty"),
        ("- a\n- b\n", ":1: the configuration must be a mapping"),
        ("queues: {general: {}}\n", ":1: tenant: required (name the tenant in the file or pass --tenant)"),
        ("tenant: acme\nqueues: {general: {}}\n---\ntenant: other\n", ":3: YAML syntax error: "),
    ],
)
def test_files_that_are_not_a_configuration(tmp_path, text, expected):
    path = write(tmp_path, "x.yaml", text)
    with pytest.raises(ConfigFileError) as caught:
        load_config_file(path)
    assert caught.value.problems[0].startswith(f"{path}{expected}")


def test_unquoted_times_dates_and_words_read_as_written(tmp_path):
    # YAML 1.1 would read 13:00 as 780, 2026-10-01 as a date object and `no` as false.
    text = (
        "tenant: acme\ncalendars:\n  office:\n    hours: {mon: [09:00-12:00, 13:00-18:00]}\n"
        "    holidays: [2026-10-01]\nqueues: {general: {}, no: {}}\n"
    )
    config = load_config_file(write(tmp_path, "plain.yaml", text))
    assert "no" in config.queues
    assert [(i.start.hour, i.end.hour) for i in config.calendars["office"].weekly[0]] == [(9, 12), (13, 18)]


def test_an_unreadable_file(tmp_path):
    with pytest.raises(ConfigFileError, match="cannot read"):
        load_config_file(tmp_path / "missing.yaml")


# --- apply and show ---------------------------------------------------------------------------------------------


def test_apply_the_example_then_load_it_back(stack, capsys):
    assert apply(stack, str(EXAMPLE)) == 0
    out = capsys.readouterr().out
    assert "tenant acme: applied version 1 (3 calendars, 7 queues, 7 agents, 6 rules, 1 key accounts" in out
    config = stored()
    assert config is not None and config.version == 1 and config.applied_at is not None
    assert without_version(config) == load_config_file(EXAMPLE)


def test_a_wrong_file_changes_nothing(stack, tmp_path, capsys):
    assert apply(stack, str(EXAMPLE)) == 0
    before = stored()
    path = write(tmp_path, "acme.yaml", BAD_PATTERN)
    capsys.readouterr()
    assert apply(stack, str(path)) == 2
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0]
        == f"{path}:10: rules[0].when.patterns[1]: bad regular expression: unterminated character set at position 0"
    )
    assert err[-1] == f"{path}: 1 problem(s); nothing was applied"
    assert stored() == before and before.version == 1


def test_dry_run_validates_without_storing(stack, capsys):
    assert apply(stack, str(EXAMPLE), "--dry-run") == 0
    assert "tenant acme: valid (3 calendars" in capsys.readouterr().out
    assert stored() is None


def test_apply_to_another_tenant(stack, capsys):
    assert apply(stack, str(EXAMPLE), "--tenant", "globex") == 0
    config = stored("globex")
    assert config is not None and config.tenant_id == "globex"
    assert stored("acme") is None


def test_reapplying_bumps_the_version_only_when_something_changed(stack, tmp_path, capsys):
    assert apply(stack, str(EXAMPLE)) == 0
    assert apply(stack, str(EXAMPLE)) == 0
    assert "tenant acme: unchanged at version 1" in capsys.readouterr().out
    changed = write(
        tmp_path, "acme.yaml", EXAMPLE.read_text(encoding="utf-8").replace("warning_before: 15m", "warning_before: 20m")
    )
    assert apply(stack, str(changed)) == 0
    config = stored()
    assert config.version == 2 and config.sla.warning_before.total_seconds() == 20 * 60


def test_show_prints_yaml_that_applies_back_to_the_same_config(stack, tmp_path, capsys):
    assert apply(stack, str(EXAMPLE)) == 0
    capsys.readouterr()
    assert main(["config", "show", "--tenant", "acme", "--table", stack.table]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("# tenant acme: version 1, applied ")
    assert "发票" in shown  # readable, not \\u escapes
    path = write(tmp_path, "shown.yaml", shown)
    assert load_config_file(path) == load_config_file(EXAMPLE)
    assert apply(stack, str(path)) == 0
    assert "unchanged at version 1" in capsys.readouterr().out


def test_show_without_a_config(stack, capsys):
    assert main(["config", "show", "--tenant", "acme", "--table", stack.table]) == 1
    assert "no configuration applied yet" in capsys.readouterr().err


# --- concurrent applies -----------------------------------------------------------------------------------------


def test_a_stale_expected_version_fails_and_keeps_the_winner(stack):
    config = load_config_file(EXAMPLE)
    first, second = ConfigStore(), ConfigStore()
    assert first.save(config, expected_version=None).version == 1
    winner = replace(config, default_queue="billing")
    assert second.save(winner, expected_version=1).version == 2
    with pytest.raises(ConfigVersionConflict) as caught:
        first.save(config, expected_version=1)
    assert caught.value.actual == 2
    assert "expected version 1 but version 2 is stored" in str(caught.value)
    assert without_version(stored()) == winner and stored().version == 2
    with pytest.raises(ConfigVersionConflict):  # "nothing stored yet" is stale too
        first.save(config, expected_version=None)


def test_the_cli_refuses_a_stale_expected_version(stack, tmp_path, capsys):
    assert apply(stack, str(EXAMPLE)) == 0
    changed = write(
        tmp_path,
        "acme.yaml",
        EXAMPLE.read_text(encoding="utf-8").replace("assignment_timeout: 30m", "assignment_timeout: 45m"),
    )
    assert apply(stack, str(changed), "--expected-version", "1") == 0
    capsys.readouterr()
    assert apply(stack, str(EXAMPLE), "--expected-version", "1") == 1
    assert "expected version 1 but version 2 is stored" in capsys.readouterr().err
    config = stored()
    assert config.version == 2 and config.assignment_timeout.total_seconds() == 45 * 60


# --- the cache ----------------------------------------------------------------------------------------------------


def test_loads_are_cached_for_a_short_while(stack):
    now = [1000.0]
    reader = ConfigStore(cache_seconds=30, clock=lambda: now[0])
    assert reader.load("acme") is None
    ConfigStore().save(load_config_file(EXAMPLE), expected_version=None)
    now[0] += 29
    assert reader.load("acme") is None  # still the cached answer
    assert reader.load("acme", cached=False).version == 1
    ConfigStore().save(replace(load_config_file(EXAMPLE), default_queue="billing"), expected_version=1)
    now[0] += 31
    assert reader.load("acme").default_queue == "billing"


def test_a_store_sees_its_own_save_at_once(stack):
    store = ConfigStore(cache_seconds=300)
    assert store.load("acme") is None
    saved = store.save(load_config_file(EXAMPLE), expected_version=None)
    assert store.load("acme") == saved
