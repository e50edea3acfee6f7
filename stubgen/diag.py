# SPDX-License-Identifier: BSD-2-Clause
"""Diagnostics: source locations and the `file:line:col: error: message` report."""


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


def render(loc, kind, msg):
    """The full report: `file:line:col: kind: msg`, the source line and a caret."""
    line = loc.source_line().replace('\t', ' ')
    return f'{loc}: {kind}: {msg}\n{line}\n{" " * (loc.col - 1)}^\n'


class Diagnostics:
    """Collects warnings; errors are raised as IdlError."""

    def __init__(self):
        self.warnings = []

    def warn(self, loc, msg):
        self.warnings.append((loc, msg))
