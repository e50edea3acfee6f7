# SPDX-License-Identifier: BSD-2-Clause
"""Source positions for a TOML file: tomllib gives none, so scan the text for table
headers and keys and remember on which lines they (and their values) are."""

import re

_HEADER = re.compile(r'^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?')
_KEY = re.compile(r'^\s*([A-Za-z0-9_\-]+|"[^"]*")\s*[.=]')


def _depth_change(text, in_str):
    """Bracket depth change of `text` outside strings, and whether a string is still open
    (only multi-line strings stay open across lines; not needed here)."""
    depth, i, quote = 0, 0, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == '\\' and quote == '"':
                i += 1
            elif c == quote:
                quote = None
        elif c in '"\'':
            quote = c
        elif c == '#':
            break
        elif c in '[{':
            depth += 1
        elif c in ']}':
            depth -= 1
        i += 1
    return depth


class Locator:
    """Lines of tables and keys. A table is named by a path: ('system',), ('pool', 0),
    ('task', 2), ('task', 2, 'thread', 1) (array-of-tables entries counted from 0)."""

    def __init__(self, text):
        self.lines = text.split('\n')
        self.tables = {}  # path -> header line
        self.keys = {}    # (path, key) -> (first line, last line) of the key and its value
        counts = {}
        path = ()
        depth, key_at = 0, None
        for n, line in enumerate(self.lines, 1):
            if depth > 0:  # inside a multi-line value
                depth += _depth_change(line, None)
                if depth <= 0:
                    self.keys[key_at] = (self.keys[key_at][0], n)
                continue
            m = _HEADER.match(line)
            if m:
                names = m.group(2).split('.')
                if m.group(1) == '[[':
                    parent = self._parent_path(path, names[:-1])
                    ckey = parent + (names[-1],)
                    counts[ckey] = counts.get(ckey, -1) + 1
                    path = ckey + (counts[ckey],)
                else:
                    path = self._parent_path(path, names[:-1]) + (names[-1],)
                self.tables.setdefault(path, n)
                continue
            m = _KEY.match(line)
            if m:
                key = m.group(1).strip('"')
                key_at = (path, key)
                self.keys.setdefault(key_at, (n, n))
                eq = line.find('=')
                depth = _depth_change(line[eq + 1:], None) if eq >= 0 else 0
                if depth < 0:
                    depth = 0

    def _parent_path(self, current, names):
        """The path of the enclosing array entry for a header like [[task.thread]]: the
        latest entry of each named array."""
        path = ()
        for name in names:
            i = 0
            while i < len(current) and current[i] != name:
                i += 1
            if i < len(current) and i + 1 < len(current) and isinstance(current[i + 1], int):
                path = current[:i + 2]
            else:
                path = path + (name,)
        return path

    def line(self, path, key=None, needle=None, nth=0):
        """The line of `key` in table `path` (of the table if no key), narrowed to the
        line of its value holding the `nth` occurrence of `needle`; falls back to
        enclosing tables."""
        if key is not None and (path, key) in self.keys:
            first, last = self.keys[(path, key)]
            if needle is not None:
                seen = 0
                for n in range(first, last + 1):
                    text = self.lines[n - 1]
                    if n == first:
                        text = text[text.find('=') + 1:]
                    seen += text.count(needle)
                    if seen > nth:
                        return n
            return first
        while path:
            if path in self.tables:
                return self.tables[path]
            path = path[:-1]
        return 1
