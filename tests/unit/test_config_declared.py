"""Settings declared once (config/tenant_settings.py): every one has its default, takes and refuses values with the
problem at its `file:line`, round-trips, and is in the README's Fields table with that default."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from omnicase.config import ConfigError, config_to_document, format_path, parse_config
from omnicase.config.declared import Section, Setting, section_model
from omnicase.config.document import StructuresDoc
from omnicase.config.setting_kinds import BOOL, DURATION_OR_NONE, duration, whole_number
from omnicase.config.shape_problems import problems_from
from omnicase.config.tenant_settings import SECTIONS, TOP
from omnicase.domain.tenant_config import TenantConfig
from omnicase_local.config_file import ConfigFileError, load_config_file

README = Path(__file__).resolve().parents[2] / "README.md"

# Queues and tiers the kinds' example names ("other", "vip") may refer to.
BASE: dict[str, Any] = {
    "tenant": "acme",
    "queues": {name: {} for name in ("general", "other", "vip", "callbacks", "escalations")},
    "tiers": [{"tier": "vip", "match": ["email:*@vip.example"]}, {"tier": "other", "match": ["email:*@o.example"]}],
}
DECLARED = [(section, setting) for section in (TOP, *SECTIONS) for setting in section.settings]
IDS = [format_path(section.path(setting)) for section, setting in DECLARED]


def with_value(section: Section, setting: Setting, value: object) -> dict[str, Any]:
    if section.key is None:
        return {**BASE, setting.name: value}
    return {**BASE, section.key: {setting.name: value}}


def value_of(config: object, section: Section, setting: Setting) -> object:
    part = config if section.key is None else getattr(config, section.key)
    return getattr(part, setting.name)


def written(document: dict[str, Any], section: Section, setting: Setting) -> object:
    part = document if section.key is None else document.get(section.key, {})
    return part.get(setting.name, "(left out)")


@pytest.mark.parametrize(("section", "setting"), DECLARED, ids=IDS)
def test_left_out_it_has_its_default_and_is_not_written(section, setting):
    config = parse_config("acme", BASE)
    assert value_of(config, section, setting) == section.default(setting.name)
    expected = setting.kind.write(section.default(setting.name)) if setting.always_written else "(left out)"
    assert written(config_to_document(config), section, setting) == expected


@pytest.mark.parametrize(("section", "setting"), DECLARED, ids=IDS)
def test_a_value_other_than_the_default_is_written_back_and_parses_unchanged(section, setting):
    # Each value the kind takes is a good value; some clash with another setting's default (a reminder after the
    # survey expired) and are skipped, but each setting must take at least one value that differs from its default.
    changed = 0
    for value in setting.kind.takes:
        TypeAdapter(setting.kind.annotation).validate_python(value)
        try:
            config = parse_config("acme", with_value(section, setting, value))
        except ConfigError:
            continue
        document = config_to_document(config)
        assert parse_config("acme", document) == config
        if value_of(config, section, setting) != section.default(setting.name):
            changed += 1
            assert written(document, section, setting) == setting.kind.write(value_of(config, section, setting))
    assert changed, f"no value in {setting.kind.takes} changes {IDS[DECLARED.index((section, setting))]}"


@pytest.mark.parametrize(("section", "setting"), DECLARED, ids=IDS)
def test_a_bad_value_is_refused_at_its_file_line_and_field(section, setting, tmp_path):
    assert setting.kind.refuses, "each kind names values it refuses"
    head = yaml.safe_dump(BASE, allow_unicode=True, sort_keys=False)
    for value in setting.kind.refuses:
        entry = json.dumps(value, ensure_ascii=False)  # JSON is YAML's flow style
        tail = f"{setting.name}: {entry}\n" if section.key is None else f"{section.key}:\n  {setting.name}: {entry}\n"
        path = tmp_path / "acme.yaml"
        path.write_text(head + tail, encoding="utf-8")
        line = len((head + tail).splitlines())
        with pytest.raises(ConfigFileError) as caught:
            load_config_file(path)
        (problem,) = caught.value.problems
        assert problem.startswith(f"{path}:{line}: {format_path(section.path(setting))}"), problem


BOUNDED = [(section, setting) for section, setting in DECLARED if setting.kind.bound]


# ids from the settings' paths: the same in every xdist worker (an object's str may differ between processes)
@pytest.mark.parametrize(("section", "setting"), BOUNDED, ids=[format_path(s.path(d)) for s, d in BOUNDED])
def test_the_first_refused_value_is_just_past_the_bound(section, setting):
    with pytest.raises(ConfigError) as caught:
        parse_config("acme", with_value(section, setting, setting.kind.refuses[0]))
    (problem,) = caught.value.problems
    assert re.search(r"at most|less than or equal|must be \d\.\.\d", problem.message), problem


# --- the README -------------------------------------------------------------------------------------------------


def _readme_default(section: Section, setting: Setting, cell: str) -> object:
    """The README's Default cell read as the document reads the value ("`24h`", "`[vip]`", "none: the …")."""
    text = re.split(r": | \(", cell.replace("`", "").replace('"', ""), maxsplit=1)[0].strip()
    if text == "none":
        return None if section.default(setting.name) is None else setting.kind.read(())
    return setting.kind.read(TypeAdapter(setting.kind.annotation).validate_python(yaml.safe_load(text)))


def _fields_table() -> dict[str, tuple[str, str]]:
    """Field → (its Type, its Default) from the README's Fields table; a row may list several fields with " / "."""
    text = README.read_text(encoding="utf-8")
    table = text.split("#### Fields", 1)[1].split("\n\n", 2)[1]
    rows: dict[str, tuple[str, str]] = {}
    for line in table.splitlines()[2:]:
        field, kind, default = (cell.strip() for cell in line.strip("|").split(" | ")[:3])
        names = re.findall(r"`([^`]+)`", field)
        kinds, defaults = kind.split(" / "), default.split(" / ")
        for i, name in enumerate(names):
            rows[name] = (
                kinds[i] if len(kinds) == len(names) else kind,
                defaults[i] if len(defaults) == len(names) else default,
            )
    return rows


@pytest.mark.parametrize(("section", "setting"), DECLARED, ids=IDS)
def test_the_readme_lists_it_with_its_default_and_bound(section, setting):
    rows = _fields_table()
    name = format_path(section.path(setting))
    assert name in rows, f"README.md's Fields table has no row for `{name}`"
    kind, default = rows[name]
    assert _readme_default(section, setting, default) == section.default(setting.name), f"`{name}`: README {default}"
    assert setting.kind.bound in kind, f"`{name}`: README's type {kind!r} does not say {setting.kind.bound}"


# --- a setting declared in one place -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TeaPolicy:
    """A test-only section: the dataclass and its declaration are all there is."""

    brew: timedelta = timedelta(minutes=3)
    cups: int = 2
    refill_after: timedelta | None = timedelta(hours=1)
    sugar: bool = False


TEA = Section(
    "tea",
    TeaPolicy,
    (
        Setting("brew", duration(at_most=timedelta(minutes=10))),
        Setting("cups", whole_number(1, 8)),
        Setting("refill_after", DURATION_OR_NONE),
        Setting("sugar", BOOL),
    ),
)


def test_a_declared_section_has_its_document_defaults_checks_and_round_trip():
    doc_model = section_model(TEA)
    assert TeaPolicy(**TEA.read(doc_model())) == TeaPolicy()  # left out: the dataclass's defaults
    assert TEA.write(TeaPolicy()) == {}
    tea = TeaPolicy(**TEA.read(doc_model.model_validate({"brew": "4m30s", "refill_after": "none", "sugar": True})))
    assert tea == TeaPolicy(brew=timedelta(minutes=4, seconds=30), refill_after=None, sugar=True)
    assert TEA.write(tea) == {"brew": "4m30s", "refill_after": "none", "sugar": True}
    assert TeaPolicy(**TEA.read(doc_model.model_validate(TEA.write(tea)))) == tea
    with pytest.raises(ValidationError) as caught:
        doc_model.model_validate({"brew": "11m", "cups": 9, "milk": True})
    *shape, unknown = [str(p) for p in problems_from(caught.value)]
    assert unknown.startswith("milk: unknown field")
    assert shape == [
        "brew: at most 10m, got 11m",
        "cups: Input should be less than or equal to 8",
    ]


def test_a_declaration_must_name_a_field_of_its_dataclass():
    with pytest.raises(TypeError, match="TeaPolicy has no field milk"):
        Section("tea", TeaPolicy, (Setting("milk", BOOL),))


def test_every_field_of_a_declared_section_is_declared():
    for section in SECTIONS:
        assert [f.name for f in dataclasses.fields(section.model)] == [s.name for s in section.settings], section.key


def test_every_field_of_the_configuration_is_declared_or_kept_by_hand():
    declared = {s.name for s in TOP.settings} | {section.key for section in SECTIONS}
    by_hand = set(StructuresDoc.model_fields) - {"tenant"}
    store = {"tenant_id", "applied_at", "version"}  # the tenant is the document's `tenant`; the rest the store's
    assert {f.name for f in dataclasses.fields(TenantConfig)} == declared | by_hand | store
    assert not declared & by_hand
