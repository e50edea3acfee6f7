# SPDX-License-Identifier: BSD-2-Clause
"""Diagnostics of stubgen and sysgen: source locations and the one report format,
`file:line[:col]: kind: message` (with the source line and a caret when the column is
known, then `file:line: note: ...` lines)."""

from dataclasses import dataclass, field
from typing import List, Optional, Tuple


class Loc:
    """A position in an IDL source (1-based line and column)."""
    __slots__ = ('path', 'line', 'col', 'text')

    def __init__(self, path, line, col, text):
        self.path, self.line, self.col, self.text = path, line, col, text

    def __str__(self):
        return f'{self.path}:{self.line}:{self.col}'

    def source_line(self):
        lines = self.text.split('\n')
        return lines[self.line - 1] if 0 < self.line <= len(lines) else ''


class IdlError(Exception):
    """A fatal problem in the IDL, reported at `loc`."""

    def __init__(self, loc, msg):
        super().__init__(f'{loc}: error: {msg}')
        self.loc, self.msg = loc, msg


@dataclass
class Diagnostic:
    """One report. Found in another file than the one being checked (sysgen meeting an IDL
    error), it leads with its own place and `notes` say which line led there; `order` is
    the line it sorts by (its own line by default)."""
    path: str
    line: int
    kind: str  # 'error' or 'warning'
    msg: str
    col: Optional[int] = None
    source: Optional[str] = None  # the source line, for the caret
    notes: List[Tuple[str, int, str]] = field(default_factory=list)
    order: Optional[int] = None

    def __post_init__(self):
        self.notes = list(self.notes)
        if self.order is None:
            self.order = self.line

    def __str__(self):
        where = f'{self.path}:{self.line}' + (f':{self.col}' if self.col else '')
        out = f'{where}: {self.kind}: {self.msg}'
        if self.col and self.source is not None:
            out += '\n' + self.source.replace('\t', ' ') + '\n' + ' ' * (self.col - 1) + '^'
        for path, line, msg in self.notes:
            out += f'\n{path}:{line}: note: {msg}'
        return out


def render(loc, kind, msg):
    """The full report: `file:line:col: kind: msg`, the source line and a caret."""
    return str(Diagnostic(loc.path, loc.line, kind, msg, col=loc.col,
                          source=loc.source_line())) + '\n'


class Diagnostics:
    """Collects warnings; errors are raised as IdlError."""

    def __init__(self):
        self.warnings = []

    def warn(self, loc, msg):
        self.warnings.append((loc, msg))
