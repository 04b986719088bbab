"""The tenant configuration document (YAML for ops, JSON in DynamoDB) ⇄ TenantConfig.

Shape is checked by pydantic models (unknown fields are errors), references between sections by hand; every
problem names its field path, e.g. `rules[2].when.patterns[0]`, so the file loader can add the line.

- `values`: scalar values as written by hand (durations, hours, dates, names) and field paths;
- `problems`: ConfigProblem / ConfigError;
- `tenant_settings`: the scalar settings, one line each (`setting_kinds`: how each kind is written; `declared`:
  their document fields, defaults and round trip follow from it);
- `document`: the document's shape (pydantic models): the hand-kept structures plus the declared settings;
- `shape_problems`: pydantic's errors → problems;
- `checks`: references between sections;
- `from_document`: document → TenantConfig (`parse_config`);
- `to_document`: TenantConfig → document (`config_to_document`).
"""

from omnicase.config.from_document import parse_config
from omnicase.config.problems import ConfigError, ConfigProblem, FieldPath
from omnicase.config.to_document import config_to_document
from omnicase.config.values import (
    format_duration,
    format_interval,
    format_path,
    parse_duration,
    parse_holiday,
    parse_interval,
)

__all__ = [
    "ConfigError",
    "ConfigProblem",
    "FieldPath",
    "config_to_document",
    "format_duration",
    "format_interval",
    "format_path",
    "parse_config",
    "parse_duration",
    "parse_holiday",
    "parse_interval",
]
