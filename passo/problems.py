"""Problems are values: each names a file, a line and what is wrong, and a run reports them all together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, pointing at the place a person has to fix."""

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    severity: Severity = field(default="error", compare=False)
    source_line: str = field(default="", compare=False)

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.source_line.strip():
            text += "\n    " + self.source_line.rstrip()
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def source_line(path: Path | str, line: int) -> str:
    """The text of `line` (1-based) in `path`, or '' when it cannot be read; shown under a problem."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def problem_at(path: Path | str, line: int, message: str, *, column: int = 0,
               severity: Severity = "error", display_path: str | None = None) -> Problem:
    """A problem with the offending source line filled in from the file itself."""
    return Problem(display_path or str(path), line, column, message, severity, source_line(path, line))


class BuildFailed(Exception):
    """Raised by the pipeline when any error was found; carries every problem of the run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))
