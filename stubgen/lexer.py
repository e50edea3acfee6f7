# SPDX-License-Identifier: BSD-2-Clause
"""IDL lexer: source text to tokens, with doc comments attached to the next token."""

import re

from .diag import IdlError, Loc

KEYWORDS = {
    'module', 'import', 'const', 'enum', 'struct', 'typedef', 'interface', 'oneway',
    'void', 'in', 'out', 'inout', 'raises', 'reserved', 'sequence', 'string', 'buffer',
    'bool', 'true', 'false', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32',
    'uint64',
}
PUNCT = ['::', '..', '<<', '>>', '{', '}', '(', ')', '[', ']', '<', '>', ';', ',', ':', '=',
         '@', '+', '-', '*', '/', '%', '|', '&', '~']

_TOKEN = re.compile(r'''
    (?P<ws>[ \t\r\n]+)
  | (?P<doc>/\*\*(?!/).*?\*/|///[^\n]*)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<badcomment>/\*)
  | (?P<num>0[xX][0-9a-fA-F]+|[0-9]+)(?P<numtail>[A-Za-z_0-9]*)
  | (?P<ident>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<str>"[^"\n]*")
  | (?P<badstr>")
  | (?P<punct>::|\.\.|<<|>>|[{}()\[\]<>;,:=@+\-*/%|&~])
''', re.S | re.X)


class Token:
    """A token at `loc`; `end` is the position just past its last character (where a
    missing terminator after it belongs)."""
    __slots__ = ('kind', 'value', 'loc', 'doc', 'end')

    def __init__(self, kind, value, loc, doc=None):
        self.kind, self.value, self.loc, self.doc = kind, value, loc, doc
        self.end = loc

    def __repr__(self):
        return f'Token({self.kind}, {self.value!r})'


def _doc_text(raw):
    if raw.startswith('///'):
        return raw[3:].strip()
    body = raw[3:-2]
    lines = [re.sub(r'^\s*\*? ?', '', ln).rstrip() for ln in body.split('\n')]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return '\n'.join(lines)


def tokenize(path, text):
    """Return the tokens of `text`; kinds: kw, ident, num, str, punct, eof."""
    toks, pos, line, line_start = [], 0, 1, 0
    doc = []

    def loc_at(p):
        return Loc(path, line, p - line_start + 1, text)

    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise IdlError(loc_at(pos), f"unexpected character '{text[pos]}'")
        kind = m.lastgroup if m.lastgroup != 'numtail' else 'num'
        loc = loc_at(pos)
        raw = m.group(0)
        if kind == 'badcomment':
            raise IdlError(loc, 'unterminated comment')
        if kind == 'badstr':
            raise IdlError(loc, 'unterminated string')
        if kind == 'num':
            if m.group('numtail'):
                raise IdlError(loc, f"invalid number '{raw}'")
            toks.append(Token('num', int(raw, 0), loc, '\n'.join(doc) or None))
            doc = []
        elif kind == 'ident':
            toks.append(Token('kw' if raw in KEYWORDS else 'ident', raw, loc,
                              '\n'.join(doc) or None))
            doc = []
        elif kind == 'str':
            toks.append(Token('str', raw[1:-1], loc, None))
        elif kind == 'punct':
            toks.append(Token('punct', raw, loc, '\n'.join(doc) or None))
            doc = []
        elif kind == 'doc':
            doc.append(_doc_text(raw))
        if toks and toks[-1].loc is loc:
            toks[-1].end = Loc(path, line, loc.col + len(raw), text)
        nl = raw.count('\n')
        if nl:
            line += nl
            line_start = pos + raw.rindex('\n') + 1
        pos = m.end()
    toks.append(Token('eof', None, loc_at(pos)))
    return toks
