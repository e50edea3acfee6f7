# SPDX-License-Identifier: BSD-2-Clause
"""Resolved IDL types: C layout (size, alignment) and wire layout (32-bit message words)."""

PRIM_INFO = {  # name: (bytes, signed, C type)
    'bool': (1, False, 'bool'),
    'int8': (1, True, 'int8_t'), 'int16': (2, True, 'int16_t'),
    'int32': (4, True, 'int32_t'), 'int64': (8, True, 'int64_t'),
    'uint8': (1, False, 'uint8_t'), 'uint16': (2, False, 'uint16_t'),
    'uint32': (4, False, 'uint32_t'), 'uint64': (8, False, 'uint64_t'),
}


def _round(x, a):
    return (x + a - 1) // a * a


class Type:
    alias = None  # AliasT through which this type was named, if any

    def unalias(self):
        return self


class PrimT(Type):
    def __init__(self, name):
        self.name = name
        self.bytes, self.signed, self.ctype = PRIM_INFO[name]

    def __str__(self):
        return self.name

    def range(self):
        if self.name == 'bool':
            return 0, 1
        bits = self.bytes * 8
        return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if self.signed else (0, (1 << bits) - 1)


class EnumT(Type):
    def __init__(self, decl):
        self.decl = decl

    def __str__(self):
        return self.decl.name


class StructT(Type):
    def __init__(self, decl):
        self.decl = decl

    def __str__(self):
        return self.decl.name


class ArrayT(Type):
    def __init__(self, elem, size):
        self.elem, self.size = elem, size

    def __str__(self):
        return f'{self.elem}[{self.size}]'


class SeqT(Type):
    def __init__(self, elem, bound, cname):
        self.elem, self.bound, self.cname = elem, bound, cname

    def __str__(self):
        return f'sequence<{self.elem}, {self.bound}>'


class StrT(Type):
    def __init__(self, bound):
        self.bound = bound

    def __str__(self):
        return f'string<{self.bound}>'


class BufT(Type):
    def __init__(self, rights):
        self.rights = rights

    def __str__(self):
        return f'buffer<{self.rights}>'


class AliasT(Type):
    """A typedef: `cname` is the C typedef name when one is emitted."""

    def __init__(self, decl, target):
        self.decl, self.target = decl, target

    def unalias(self):
        return self.target.unalias()

    def __str__(self):
        return self.decl.name


# ---------------------------------------------------------------- C layout

def c_size_align(t):
    t = t.unalias()
    if isinstance(t, PrimT):
        return t.bytes, t.bytes
    if isinstance(t, EnumT):
        return 4, 4  # the enum carries a 0x7fffffff sentinel: int-sized even with -fshort-enums
    if isinstance(t, BufT):
        return 12, 4
    if isinstance(t, StrT):
        return t.bound + 1, 1
    if isinstance(t, ArrayT):
        s, a = c_size_align(t.elem)
        return s * t.size, a
    if isinstance(t, SeqT):
        s, ea = c_size_align(t.elem)
        a = max(ea, 4)
        return _round(_round(4, ea) + s * t.bound, a), a
    if isinstance(t, StructT):
        off, align = 0, 1
        for m in t.decl.members:
            s, a = c_size_align(m.type)
            off = _round(off, a) + s
            align = max(align, a)
        return _round(max(off, 1), align), align
    raise AssertionError(t)


def seq_data_offset(t):
    """Offset of `data` in the C struct of a sequence (after the uint32_t len)."""
    return _round(4, c_size_align(t.elem)[1])


# ---------------------------------------------------------------- wire layout

def packed_size(t):
    """Element byte size when an array or sequence of `t` is packed bytewise (1- and
    2-byte integers), else None (one or more whole words per element)."""
    t = t.unalias()
    if isinstance(t, PrimT) and t.name != 'bool' and t.bytes < 4:
        return t.bytes
    return None


def wire_words(t):
    """(min, max) message words of `t`."""
    t = t.unalias()
    if isinstance(t, (PrimT, EnumT)):
        return (2, 2) if isinstance(t, PrimT) and t.bytes == 8 else (1, 1)
    if isinstance(t, BufT):
        return 3, 3
    if isinstance(t, StrT):
        return 1, 1 + (t.bound + 3) // 4
    if isinstance(t, ArrayT):
        ps = packed_size(t.elem)
        if ps:
            n = (t.size * ps + 3) // 4
            return n, n
        lo, hi = wire_words(t.elem)
        return lo * t.size, hi * t.size
    if isinstance(t, SeqT):
        ps = packed_size(t.elem)
        if ps:
            return 1, 1 + (t.bound * ps + 3) // 4
        return 1, 1 + wire_words(t.elem)[1] * t.bound
    if isinstance(t, StructT):
        lo = sum(wire_words(m.type)[0] for m in t.decl.members)
        hi = sum(wire_words(m.type)[1] for m in t.decl.members)
        return lo, hi
    raise AssertionError(t)


def is_fixed(t):
    lo, hi = wire_words(t)
    return lo == hi
