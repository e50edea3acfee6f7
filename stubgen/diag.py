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
    """A fatal problem in the IDL, reported at `loc`; `notes` are (Loc, message) pairs
    naming other places involved (the first definition a duplicate collides with)."""

    def __init__(self, loc, msg, notes=()):
        super().__init__(f'{loc}: error: {msg}' +
                         ''.join(f'\n{n}: note: {m}' for n, m in notes))
        self.loc, self.msg, self.notes = loc, msg, list(notes)

    def note_tuples(self):
        """The notes as `Diagnostic.notes` entries."""
        return [(n.path, n.line, n.col, m) for n, m in self.notes]


@dataclass
class Diagnostic:
    """One report. Found in another file than the one being checked (sysgen meeting an IDL
    error), it leads with its own place and `notes` say which line led there; a note is
    (path, line, message) or (path, line, column, message). `order` is the line it sorts
    by (its own line by default)."""
    path: str
    line: int
    kind: str  # 'error' or 'warning'
    msg: str
    col: Optional[int] = None
    source: Optional[str] = None  # the source line, for the caret
    notes: List[Tuple] = field(default_factory=list)
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
        for note in self.notes:
            path, line, *col, msg = note
            where = f'{path}:{line}' + ''.join(f':{c}' for c in col if c)
            out += f'\n{where}: note: {msg}'
        return out


def render(loc, kind, msg, notes=()):
    """The full report: `file:line:col: kind: msg`, the source line and a caret, then a
    `file:line:col: note: ...` line per (Loc, message) of `notes`."""
    return str(Diagnostic(loc.path, loc.line, kind, msg, col=loc.col,
                          source=loc.source_line(),
                          notes=[(n.path, n.line, n.col, m) for n, m in notes])) + '\n'


class Diagnostics:
    """Collects warnings; errors are raised as IdlError."""

    def __init__(self):
        self.warnings = []

    def warn(self, loc, msg):
        self.warnings.append((loc, msg))
