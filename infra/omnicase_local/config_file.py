"""Read a tenant configuration YAML file into a TenantConfig, with every problem as `file:line: field: message`."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from omnicase.config import ConfigError, FieldPath, config_to_document, format_path, parse_config
from omnicase.domain.tenant_config import TenantConfig


class ConfigFileError(Exception):
    """The file is unreadable, not YAML, or not a valid configuration; nothing was applied."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 scalars: `13:00` stays a string (YAML 1.1 reads it as the base-60 number 780),
    yes/no/on/off stay words, and dates stay text so the schema checks them with the field's path."""


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT, _BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT, re.compile(r"^[-+]?[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?$"), list("-+0123456789"))


def _line_of(root: Node, path: FieldPath) -> int:
    """The 1-based line of the deepest node along `path` that the file has (a missing field: its parent's line)."""
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, MappingNode):
            entry = next(
                ((k, v) for k, v in reversed(node.value) if isinstance(k, ScalarNode) and k.value == str(part)), None
            )
            if entry is None:
                break
            line, node = entry[0].start_mark.line + 1, entry[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _duplicate_keys(node: Node, path: FieldPath, label: str, seen: set[int]) -> list[str]:
    """PyYAML keeps the last of two equal keys without a word; a config with both is ambiguous, so refuse it."""
    if id(node) in seen:  # anchors and aliases share nodes
        return []
    seen.add(id(node))
    problems = []
    if isinstance(node, MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name is not None and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + 1
                if name in first:
                    problems.append(
                        f"{label}:{line}: {format_path((*path, name))}: duplicate key (first at line {first[name]})"
                    )
                first.setdefault(name, line)
            problems += _duplicate_keys(value, (*path, name if name is not None else "?"), label, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*path, i), label, seen)
    return problems


def _compose(text: str, label: str) -> tuple[Node, object]:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise ConfigFileError([f"{label}:1: the file is empty"])
        problems = _duplicate_keys(root, (), label, set())
        if problems:
            raise ConfigFileError(problems)
        return root, loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigFileError([f"{label}:{line}: YAML syntax error: {error.problem or error.context}"]) from None
    except yaml.YAMLError as error:
        raise ConfigFileError([f"{label}: YAML error: {error}"]) from None
    finally:
        loader.dispose()


def load_config_file(path: str | Path, tenant_override: str | None = None) -> TenantConfig:
    """Parse and validate a configuration file; `tenant_override` applies it to another tenant than its `tenant:`.

    Raises ConfigFileError listing every problem as `acme.yaml:14: rules[2].when.patterns[0]: <message>`.
    """
    label = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigFileError([f"{label}: cannot read: {error}"]) from None
    root, document = _compose(text, label)
    if not isinstance(document, dict):
        raise ConfigFileError([f"{label}:1: the configuration must be a mapping of fields, not a single value"])
    if tenant_override:
        document["tenant"] = tenant_override
    tenant_id = document.get("tenant")
    if not isinstance(tenant_id, str) or not tenant_id.strip():
        line = _line_of(root, ("tenant",))
        raise ConfigFileError([f"{label}:{line}: tenant: required (name the tenant in the file or pass --tenant)"])
    try:
        return parse_config(tenant_id, document)
    except ConfigError as error:
        located = sorted(((_line_of(root, p.path), p) for p in error.problems), key=lambda lp: lp[0])
        raise ConfigFileError([f"{label}:{line}: {problem}" for line, problem in located]) from None


class _Dumper(yaml.SafeDumper):
    """Lists of plain values on one line (`mon: [09:00-12:00, 13:00-18:00]`), as people write them."""


def _represent_list(dumper: yaml.SafeDumper, items: list[object]) -> yaml.Node:
    flat = all(not isinstance(item, dict | list) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def dump_config_yaml(config: TenantConfig) -> str:
    """The configuration as YAML that load_config_file reads back to the same configuration."""
    return yaml.dump(config_to_document(config), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
