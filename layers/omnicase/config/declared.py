"""Settings declared once: the document's fields, their defaults, checks and both directions of the round trip.

A setting is a field of a domain dataclass (its type and default live there, where the code that uses it reads
them) plus one `Setting` naming how it is written (its Kind). A `Section` groups the settings of one dataclass
under one key of the document (`surveys`, `report`, …) or at its top level.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, create_model

from omnicase.config.setting_kinds import Kind


def empty_mapping(value: object) -> object:
    # `surveys:` or `general:` with nothing after it reads as null in YAML; it means "no settings": the defaults
    return {} if value is None else value


@dataclass(frozen=True)
class Setting:
    name: str  # the dataclass field, and the document's key
    kind: Kind
    always_written: bool = False  # written even at its default (the head of `config show`: time_zone, …)


@dataclass(frozen=True)
class Section:
    """Settings of the dataclass `model`, at `key` in the document (None: the document's top level)."""

    key: str | None
    model: type
    settings: tuple[Setting, ...]

    def __post_init__(self) -> None:
        fields = {f.name for f in dataclasses.fields(self.model)}
        stray = [s.name for s in self.settings if s.name not in fields]
        if stray:
            raise TypeError(f"{self.model.__name__} has no field {', '.join(stray)}")

    def default(self, name: str) -> Any:
        found = next(f for f in dataclasses.fields(self.model) if f.name == name)
        if found.default_factory is not dataclasses.MISSING:
            return found.default_factory()
        return found.default

    def path(self, setting: Setting) -> tuple[str, ...]:
        return (setting.name,) if self.key is None else (self.key, setting.name)

    def fields(self) -> dict[str, Any]:
        """The document fields, as pydantic's create_model takes them."""
        return {s.name: (s.kind.annotation, self.default(s.name)) for s in self.settings}

    def read(self, doc: BaseModel) -> dict[str, Any]:
        """The model's keyword arguments from the parsed document part."""
        return {s.name: s.kind.read(getattr(doc, s.name)) for s in self.settings}

    def write(self, value: Any) -> dict[str, Any]:
        """The settings that differ from their defaults (or are always written), as a person writes them."""
        return {
            s.name: s.kind.write(getattr(value, s.name))
            for s in self.settings
            if s.always_written or getattr(value, s.name) != self.default(s.name)
        }


def section_model(section: Section) -> type[BaseModel]:
    """The document part of a keyed section, e.g. SurveyPolicy → SurveyPolicyDoc."""
    strict = ConfigDict(extra="forbid")  # unknown fields are errors, as everywhere in the document
    return create_model(f"{section.model.__name__}Doc", __config__=strict, **section.fields())


def document_model(name: str, base: type[BaseModel], top: Section, sections: tuple[Section, ...]) -> type[BaseModel]:
    """`base` (the hand-written parts) with the declared top-level settings and sections added; a section left
    out or empty means its defaults."""
    fields = top.fields()
    for section in sections:
        part = section_model(section)
        fields[section.key] = (Annotated[part, BeforeValidator(empty_mapping)], part())
    return create_model(name, __base__=base, **fields)


def read_sections(doc: BaseModel, top: Section, sections: tuple[Section, ...]) -> dict[str, Any]:
    """The declared part of the top model's keyword arguments."""
    values = top.read(doc)
    for section in sections:
        values[section.key] = section.model(**section.read(getattr(doc, section.key)))
    return values


def write_sections(value: Any, sections: tuple[Section, ...]) -> dict[str, Any]:
    """The keyed sections that differ from their defaults, each with only its fields that differ."""
    written = {section.key: section.write(getattr(value, section.key)) for section in sections}
    return {key: part for key, part in written.items() if part}
