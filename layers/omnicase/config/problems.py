"""What is wrong with a configuration document: each problem names its field path, e.g. `rules[2].when.patterns[0]`."""

from __future__ import annotations

from dataclasses import dataclass

from omnicase.config.values import format_path

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ConfigProblem:
    path: FieldPath
    message: str

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}" if self.path else self.message


class ConfigError(ValueError):
    """The document is not a valid configuration; `problems` lists every reason found."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
