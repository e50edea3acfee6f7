# SPDX-License-Identifier: BSD-2-Clause
"""Recursive-descent parser for the IDL grammar in idl/README.md."""

from . import syntax as ast
from .diag import IdlError
from .lexer import tokenize

PRIMS = ('bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64')
_BINARY = [('|',), ('&',), ('<<', '>>'), ('+', '-'), ('*', '/', '%')]


def _describe(tok):
    if tok.kind == 'eof':
        return 'end of file'
    if tok.kind == 'str':
        return f'"{tok.value}"'
    return f"'{tok.value}'"


def _spelling(tok):
    """The token as written in the source."""
    if tok.end.line != tok.loc.line:
        return _describe(tok)
    return "'" + tok.loc.source_line()[tok.loc.col - 1:tok.end.col - 1] + "'"


class Parser:
    def __init__(self, path, text):
        self.toks = tokenize(path, text)
        self.pos = 0

    @property
    def tok(self):
        return self.toks[self.pos]

    def advance(self):
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def at(self, value, kind=None):
        t = self.tok
        return t.value == value and t.kind in ((kind,) if kind else ('kw', 'punct'))

    def accept(self, value):
        if self.at(value):
            return self.advance()
        return None

    def error(self, what):
        raise IdlError(self.tok.loc, f'expected {what}, found {_describe(self.tok)}')

    def expect(self, value):
        if not self.at(value):
            if value == ';' and self.pos > 0:
                # A missing terminator belongs right after what it should end, not at
                # the next token (often on a later line).
                prev = self.toks[self.pos - 1]
                raise IdlError(prev.end, f"expected ';' after {_spelling(prev)}, "
                                         f"found {_describe(self.tok)}")
            self.error(f"'{value}'")
        return self.advance()

    def ident(self, what='identifier'):
        if self.tok.kind != 'ident':
            if self.tok.kind == 'kw':
                raise IdlError(self.tok.loc, f"'{self.tok.value}' is a keyword, not a name")
            self.error(what)
        return self.advance()

    # ------------------------------------------------------------ file level

    def parse_file(self):
        f = ast.File(self.tok.loc, imports=[], defs=[])
        while self.at('import'):
            t = self.advance()
            if self.tok.kind != 'str':
                self.error('a file name in double quotes')
            f.imports.append(ast.Import(t.loc, path=self.advance().value,
                                        path_loc=self.toks[self.pos - 1].loc))
            self.expect(';')
        while self.tok.kind != 'eof':
            if self.at('import'):
                raise IdlError(self.tok.loc, 'import must come before all definitions')
            f.defs.append(self.definition())
        return f

    def annotations(self):
        annots = []
        while self.at('@'):
            at = self.advance()
            name = self.ident('annotation name')
            expr = None
            if self.accept('('):
                expr = self.expr()
                self.expect(')')
            annots.append(ast.Annotation(at.loc, name=name.value, expr=expr))
        return annots

    def definition(self):
        doc = self.tok.doc
        annots = self.annotations()
        t = self.tok
        if t.kind != 'kw' or t.value not in ('module', 'const', 'enum', 'struct', 'typedef',
                                             'interface'):
            self.error('a definition (module, const, enum, struct, typedef or interface)')
        if t.value != 'interface' and annots:
            raise IdlError(annots[0].loc, f"annotation '@{annots[0].name}' is not allowed "
                                          f"on {t.value}")
        node = getattr(self, 'def_' + t.value)()
        node.doc = doc
        if t.value == 'interface':
            node.annots = annots
        self.expect(';')
        return node

    def def_module(self):
        t = self.advance()
        name = self.ident().value
        self.expect('{')
        defs = []
        while not self.at('}'):
            if self.tok.kind == 'eof':
                self.error("'}'")
            defs.append(self.definition())
        self.advance()
        return ast.Module(t.loc, name=name, defs=defs)

    def def_const(self):
        self.advance()
        typ = self.type_spec()
        name = self.ident()
        self.expect('=')
        return ast.Const(name.loc, name=name.value, type=typ, expr=self.expr())

    def def_enum(self):
        self.advance()
        name = self.ident()
        self.expect('{')
        items = []
        while True:
            doc = self.tok.doc
            it = self.ident('enumerator name')
            expr = self.expr() if self.accept('=') else None
            e = ast.Enumerator(it.loc, name=it.value, expr=expr)
            e.doc = doc
            items.append(e)
            if not self.accept(','):
                break
            if self.at('}'):
                break
        self.expect('}')
        return ast.Enum(name.loc, name=name.value, items=items)

    def def_struct(self):
        self.advance()
        name = self.ident()
        self.expect('{')
        members = []
        while not self.at('}'):
            doc = self.tok.doc
            typ = self.type_spec()
            mname = self.ident('member name')
            typ = self.array_suffix(typ)
            self.expect(';')
            m = ast.Member(mname.loc, name=mname.value, type=typ)
            m.doc = doc
            members.append(m)
        self.advance()
        return ast.Struct(name.loc, name=name.value, members=members)

    def def_typedef(self):
        self.advance()
        typ = self.type_spec()
        name = self.ident()
        return ast.Typedef(name.loc, name=name.value, type=self.array_suffix(typ))

    def def_interface(self):
        self.advance()
        name = self.ident()
        bases = []
        if self.accept(':'):
            bases.append(self.scoped_name())
            while self.accept(','):
                bases.append(self.scoped_name())
        errors = None
        if self.accept('raises'):
            self.expect('(')
            errors = self.scoped_name()
            self.expect(')')
        self.expect('{')
        ops, reserved = [], []
        while not self.at('}'):
            if self.at('reserved'):
                self.advance()
                while True:
                    lo = self.expr()
                    hi = self.expr() if self.accept('..') else lo
                    reserved.append((lo, hi))
                    if not self.accept(','):
                        break
                self.expect(';')
            else:
                ops.append(self.operation())
        self.advance()
        return ast.Interface(name.loc, name=name.value, bases=bases, errors=errors, ops=ops,
                             reserved=reserved, annots=[])

    def operation(self):
        doc = self.tok.doc
        annots = self.annotations()
        oneway = self.accept('oneway')
        if self.at('void'):
            self.advance()
            ret = None
        else:
            ret = self.type_spec()
        name = self.ident('operation name')
        self.expect('(')
        params = []
        if not self.at(')'):
            while True:
                params.append(self.param())
                if not self.accept(','):
                    break
        self.expect(')')
        raises = []
        if self.accept('raises'):
            self.expect('(')
            raises.append(self.scoped_name())
            while self.accept(','):
                raises.append(self.scoped_name())
            self.expect(')')
        self.expect(';')
        op = ast.Operation(name.loc, name=name.value, ret=ret, params=params, raises=raises,
                           oneway=bool(oneway), annots=annots)
        op.doc = doc
        return op

    def param(self):
        t = self.tok
        if not (t.kind == 'kw' and t.value in ('in', 'out', 'inout')):
            self.error("a parameter direction ('in', 'out' or 'inout')")
        self.advance()
        if self.at('void'):
            raise IdlError(self.tok.loc, "a parameter cannot have type 'void'")
        typ = self.type_spec()
        name = self.ident('parameter name')
        return ast.Param(name.loc, name=name.value, direction=t.value,
                         type=self.array_suffix(typ))

    # ------------------------------------------------------------ types

    def array_suffix(self, typ):
        if self.at('['):
            t = self.advance()
            size = self.expr()
            self.expect(']')
            if self.at('['):
                raise IdlError(self.tok.loc, 'multi-dimensional arrays are not supported; '
                                             'use a typedef for the inner array')
            return ast.TypeRef(t.loc, kind='array', elem=typ, size=size)
        return typ

    def type_spec(self):
        t = self.tok
        if t.kind == 'kw' and t.value in PRIMS:
            self.advance()
            return ast.TypeRef(t.loc, kind='prim', name=t.value)
        if self.at('sequence'):
            self.advance()
            self.expect('<')
            elem = self.type_spec()
            if not self.accept(','):
                raise IdlError(self.tok.loc, 'unbounded sequence: write sequence<T, N> '
                                             'with a maximum length N')
            bound = self.expr(no_gt=True)
            self.expect('>')
            return ast.TypeRef(t.loc, kind='sequence', elem=elem, bound=bound)
        if self.at('string'):
            self.advance()
            if not self.accept('<'):
                raise IdlError(self.tok.loc, 'unbounded string: write string<N> with a '
                                             'maximum length N')
            bound = self.expr(no_gt=True)
            self.expect('>')
            return ast.TypeRef(t.loc, kind='string', bound=bound)
        if self.at('buffer'):
            self.advance()
            rights = 'r'
            if self.accept('<'):
                r = self.ident("buffer rights ('r', 'w' or 'rw')")
                if r.value not in ('r', 'w', 'rw'):
                    raise IdlError(r.loc, f"unknown buffer rights '{r.value}' "
                                          "(expected 'r', 'w' or 'rw')")
                rights = r.value
                self.expect('>')
            return ast.TypeRef(t.loc, kind='buffer', rights=rights)
        if t.kind == 'ident' or self.at('::'):
            return ast.TypeRef(t.loc, kind='named', name=self.scoped_name())
        self.error('a type')

    def scoped_name(self):
        t = self.tok
        parts = []
        if self.accept('::'):
            parts.append('')
        parts.append(self.ident('a name').value)
        while self.accept('::'):
            parts.append(self.ident('a name').value)
        return ast.ScopedName(t.loc, parts=parts)

    # ------------------------------------------------------------ expressions

    def expr(self, level=0, no_gt=False):
        if level == len(_BINARY):
            return self.unary(no_gt)
        a = self.expr(level + 1, no_gt)
        while self.tok.kind == 'punct' and self.tok.value in _BINARY[level] and \
                not (no_gt and self.tok.value == '>>'):
            op = self.advance()
            b = self.expr(level + 1, no_gt)
            a = ast.Expr(op.loc, op=op.value, a=a, b=b)
        return a

    def unary(self, no_gt):
        t = self.tok
        if self.accept('-'):
            return ast.Expr(t.loc, op='neg', a=self.unary(no_gt))
        if self.accept('~'):
            return ast.Expr(t.loc, op='not', a=self.unary(no_gt))
        if self.accept('('):
            e = self.expr()
            self.expect(')')
            return e
        if t.kind == 'num':
            self.advance()
            return ast.Expr(t.loc, op='num', value=t.value)
        if self.at('true') or self.at('false'):
            self.advance()
            return ast.Expr(t.loc, op='bool', value=t.value == 'true')
        if t.kind == 'ident' or self.at('::'):
            return ast.Expr(t.loc, op='name', name=self.scoped_name())
        self.error('an expression')


def parse(path, text):
    return Parser(path, text).parse_file()
