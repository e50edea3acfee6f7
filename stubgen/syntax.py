# SPDX-License-Identifier: BSD-2-Clause
"""Syntax tree of one IDL file, as the parser builds it (names not yet resolved)."""


class Node:
    def __init__(self, loc, **kw):
        self.loc = loc
        self.doc = None
        self.__dict__.update(kw)


class File(Node):
    """imports: [Import]; defs: [definition]."""


class Import(Node):
    """path: the string as written."""


class Module(Node):
    """name, defs."""


class Const(Node):
    """name, type (TypeRef), expr."""


class Enum(Node):
    """name, items: [Enumerator]."""


class Enumerator(Node):
    """name, expr (or None)."""


class Struct(Node):
    """name, members: [Member]."""


class Member(Node):
    """name, type (TypeRef)."""


class Typedef(Node):
    """name, type (TypeRef)."""


class Interface(Node):
    """name, bases: [ScopedName], errors (ScopedName or None), ops: [Operation],
    reserved: [(lo, hi, loc)], annots."""


class Operation(Node):
    """name, ret (TypeRef or None), params, raises: [ScopedName], oneway, annots."""


class Param(Node):
    """name, direction ('in', 'out', 'inout'), type (TypeRef)."""


class Annotation(Node):
    """name, expr (or None)."""


class TypeRef(Node):
    """kind: 'prim' (name), 'named' (name: ScopedName), 'sequence' (elem, bound),
    'string' (bound), 'buffer' (rights), 'array' (elem, size)."""


class ScopedName(Node):
    """parts: [str]."""

    def __str__(self):
        return '::'.join(self.parts)


class Expr(Node):
    """op: 'num' (value), 'bool' (value), 'name' (name), 'neg'/'not' (a), binary (a, b)."""
