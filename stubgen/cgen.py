# SPDX-License-Identifier: BSD-2-Clause
"""C declarations and marshalling code for IDL types (the logic the templates lay out).

Wire format (idl/README.md "Wire format"): every value starts on a 32-bit message word;
8..32-bit integers, bool and enums take one word, 64-bit integers two (low word first),
a buffer handle three; structs are their members in order; arrays and sequences of 8- and
16-bit integers are packed bytewise, other elements take whole words each; a sequence or
string is a count word followed by its elements.
"""

from .idltypes import (AliasT, ArrayT, BufT, EnumT, PrimT, SeqT, StrT, StructT,
                       packed_size, wire_words)


# ---------------------------------------------------------------- declarations

def emits_typedef(alias):
    return isinstance(alias.unalias(), (PrimT, ArrayT, StrT))


def cdecl(t, name):
    """The C declaration of `name` with IDL type `t`."""
    if isinstance(t, AliasT):
        if emits_typedef(t):
            return f'{t.decl.cname} {name}'
        return cdecl(t.target, name)
    if isinstance(t, PrimT):
        return f'{t.ctype} {name}'
    if isinstance(t, EnumT):
        return f'enum {t.decl.cname} {name}'
    if isinstance(t, StructT):
        return f'struct {t.decl.cname} {name}'
    if isinstance(t, BufT):
        return f'struct l4e_buffer {name}'
    if isinstance(t, SeqT):
        return f'struct {seq_cname(t)} {name}'
    if isinstance(t, StrT):
        return f'char {name}[{t.bound + 1}]'
    if isinstance(t, ArrayT):
        return cdecl(t.elem, f'{name}[{t.size}]')
    raise AssertionError(t)


def type_key(t):
    t = t.unalias() if not (isinstance(t, AliasT) and emits_typedef(t)) else t
    if isinstance(t, AliasT):
        return t.decl.cname
    if isinstance(t, PrimT):
        return t.name
    if isinstance(t, (EnumT, StructT)):
        return t.decl.cname
    if isinstance(t, BufT):
        return 'buffer'
    if isinstance(t, SeqT):
        return seq_cname(t)
    if isinstance(t, ArrayT):
        return f'{type_key(t.elem)}_a{t.size}'
    return f'string{t.bound}'


def seq_cname(t):
    return t.cname or f'l4e_seq_{type_key(t.elem)}_{t.bound}'


def is_scalar(t):
    return isinstance(t.unalias(), (PrimT, EnumT))


def param_decl(p):
    """C parameter of an IDL parameter: scalars by value when `in`, strings and arrays as
    their first element, everything else through a pointer (const when `in`)."""
    u = p.type.unalias()
    if p.dir == 'in':
        if is_scalar(p.type):
            return cdecl(p.type, p.name)
        if isinstance(u, StrT):
            return f'const char *{p.name}'
        if isinstance(u, ArrayT):
            return 'const ' + cdecl(p.type, p.name)
        return 'const ' + cdecl(p.type, '*' + p.name)
    if isinstance(u, StrT):
        return f'char *{p.name}'
    if isinstance(u, ArrayT):
        return cdecl(p.type, p.name)
    return cdecl(p.type, '*' + p.name)


def param_expr(p):
    """The C lvalue of the parameter's value inside a client stub."""
    u = p.type.unalias()
    if isinstance(u, (StrT, ArrayT)) or (p.dir == 'in' and is_scalar(p.type)):
        return p.name
    return f'(*{p.name})'


def param_arg(p):
    """How a server passes its local copy of the parameter to the implementation."""
    u = p.type.unalias()
    if isinstance(u, (StrT, ArrayT)) or (p.dir == 'in' and is_scalar(p.type)):
        return p.name
    return '&' + p.name


def c_literal(value, t):
    t = t.unalias()
    if t.name == 'bool':
        return 'true' if value else 'false'
    if t.bytes == 8:
        if t.signed:
            return '(-INT64_C(9223372036854775807) - 1)' if value == -(1 << 63) \
                else f'INT64_C({value})'
        return f'UINT64_C({value})'
    if t.signed:
        return '(-2147483647 - 1)' if value == -(1 << 31) else f'(({t.ctype}){value})'
    return f'(({t.ctype}){value}u)'


def comment(doc, indent=''):
    """A doc comment as a C comment block (empty when there is none)."""
    if not doc:
        return ''
    lines = doc.replace('*/', '* /').split('\n')
    if len(lines) == 1:
        return f'{indent}/** {lines[0]} */\n'
    body = ''.join(f'{indent} *{" " + ln if ln else ""}\n' for ln in lines)
    return f'{indent}/**\n{body}{indent} */\n'


# ---------------------------------------------------------------- marshalling

class Emitter:
    """Writes C statements that move values to or from the message words `_w`.

    The current word index is `base + off`: `base` is None (a constant index), `_n` after
    a variable-length item, or a loop expression inside an array or sequence.
    """

    def __init__(self, fails, indent=1):
        self.lines, self.indent = [], indent
        self.base, self.off, self.depth = None, 0, 0
        self.fails = fails  # {'bound': 'goto ...;', ...}: what a failed check does
        self.used = set()   # fail kinds referred to
        self.uses_n = self.uses_len = False
        self.rest = 0          # minimum words still to come (unmarshal: set to the minimum)
        self.in_loop = False

    def at(self, k=0):
        o = self.off + k
        if self.base is None:
            return str(o)
        return f'{self.base} + {o}' if o else self.base

    def line(self, s):
        self.lines.append('\t' * self.indent + s)

    def fail(self, kind):
        self.used.add(kind)
        return self.fails[kind]

    def check(self, cond, kind):
        self.line(f'if ({cond})')
        self.line('\t' + self.fail(kind))

    def skip(self, words_expr):
        """Move past a variable number of words: the index becomes `_n`."""
        self.uses_n = True
        self.line(f'_n = {self.at()} + {words_expr};')
        self.base, self.off = '_n', 0

    def end(self):
        """The index after the last word (a C expression)."""
        return self.at()

    def loop(self, count, ew, body):
        var = f'_i{self.depth}'
        in_loop, self.in_loop = self.in_loop, True
        self.line(f'for (uint32_t {var} = 0; {var} < {count}; {var}++) {{')
        saved = (self.base, self.off)
        self.base = f'{self.at()} + {var}' if ew == 1 else f'{self.at()} + {ew}u * {var}'
        self.off = 0
        self.indent += 1
        self.depth += 1
        body(f'[{var}]')
        self.depth -= 1
        self.indent -= 1
        self.base, self.off = saved
        self.in_loop = in_loop
        self.line('}')


def marshal(t, x, em):
    """Statements that write the value `x` of type `t` at the emitter's index; a value
    that breaks its bound takes em.fail('bound')."""
    u = t.unalias()
    if isinstance(u, PrimT):
        if u.bytes == 8:
            em.line(f'_w[{em.at()}] = (l4_word_t){x};')
            em.line(f'_w[{em.at(1)}] = (l4_word_t)((uint64_t){x} >> 32);')
            em.off += 2
        else:
            em.line(f'_w[{em.at()}] = (l4_word_t){x};')
            em.off += 1
    elif isinstance(u, EnumT):
        em.line(f'_w[{em.at()}] = (l4_word_t){x};')
        em.off += 1
    elif isinstance(u, BufT):
        for i, f in enumerate(('pool', 'offset', 'length')):
            em.line(f'_w[{em.at(i)}] = {x}.{f};')
        em.off += 3
    elif isinstance(u, StructT):
        for m in u.decl.members:
            marshal(m.type, f'{x}.{m.name}', em)
    elif isinstance(u, ArrayT):
        ps = packed_size(u.elem)
        if ps:
            nbytes = u.size * ps
            words = (nbytes + 3) // 4
            if nbytes % 4:
                em.line(f'_w[{em.at(words - 1)}] = 0;')
            em.line(f'memcpy(&_w[{em.at()}], {x}, {nbytes});')
            em.off += words
        else:
            ew = wire_words(u.elem)[0]
            em.loop(f'{u.size}u', ew, lambda i: marshal(u.elem, f'{x}{i}', em))
            em.off += ew * u.size
    elif isinstance(u, SeqT):
        em.check(f'{x}.len > {u.bound}u', 'bound')
        em.line(f'_w[{em.at()}] = {x}.len;')
        ps = packed_size(u.elem)
        if ps:
            nb = f'{x}.len' if ps == 1 else f'{x}.len * {ps}u'
            em.line(f'if ({x}.len)')
            em.line(f'\t_w[{em.at(1)} + ({nb} - 1) / 4] = 0;')
            em.line(f'memcpy(&_w[{em.at(1)}], {x}.data, {nb});')
            em.skip(f'1 + ({nb} + 3) / 4')
        else:
            ew = wire_words(u.elem)[0]
            em.off += 1
            em.loop(f'{x}.len', ew, lambda i: marshal(u.elem, f'{x}.data{i}', em))
            em.off -= 1
            em.skip(f'1 + {x}.len' if ew == 1 else f'1 + {x}.len * {ew}u')
    elif isinstance(u, StrT):
        em.uses_len = True
        em.line(f'_len = l4e_strnlen({x}, {u.bound + 1}u);')
        em.check(f'_len > {u.bound}u', 'bound')
        em.line(f'_w[{em.at()}] = _len;')
        em.line('if (_len)')
        em.line(f'\t_w[{em.at(1)} + (_len - 1) / 4] = 0;')
        em.line(f'memcpy(&_w[{em.at(1)}], {x}, _len);')
        em.skip('1 + (_len + 3) / 4')
    else:
        raise AssertionError(t)


def unmarshal(t, x, em, buffer_check):
    """Statements that validate the words at the emitter's index and store them in `x`.
    `buffer_check` is the C call that checks handle {x} for {rights} (None: no check)."""
    u = t.unalias()
    w = f'_w[{em.at()}]'
    if isinstance(u, (PrimT, EnumT, BufT, ArrayT)) and not em.in_loop:
        em.rest -= wire_words(u)[0]
    if isinstance(u, PrimT):
        if u.bytes == 8:
            em.line(f'{x} = ({u.ctype})((uint64_t){w} | (uint64_t)_w[{em.at(1)}] << 32);')
            em.off += 2
            return
        if u.name == 'bool':
            em.check(f'{w} > 1', 'value')
            em.line(f'{x} = {w} != 0;')
        elif u.bytes < 4 and u.signed:
            lo, hi = u.range()
            em.check(f'(int32_t){w} < {lo} || (int32_t){w} > {hi}', 'value')
            em.line(f'{x} = ({u.ctype})(int32_t){w};')
        elif u.bytes < 4:
            em.check(f'{w} > {u.range()[1]}u', 'value')
            em.line(f'{x} = ({u.ctype}){w};')
        else:
            em.line(f'{x} = ({u.ctype}){w};')
        em.off += 1
    elif isinstance(u, EnumT):
        em.check(f'!{u.decl.cname}_valid((int32_t){w})', 'value')
        em.line(f'{x} = (enum {u.decl.cname})(int32_t){w};')
        em.off += 1
    elif isinstance(u, BufT):
        for i, f in enumerate(('pool', 'offset', 'length')):
            em.line(f'{x}.{f} = _w[{em.at(i)}];')
        em.off += 3
        if buffer_check:
            rights = ' | '.join(f'L4E_BUF_{r.upper()}' for r in u.rights)
            em.check('!' + buffer_check.format(x=x, rights=rights), 'buffer')
    elif isinstance(u, StructT):
        for m in u.decl.members:
            unmarshal(m.type, f'{x}.{m.name}', em, buffer_check)
    elif isinstance(u, ArrayT):
        ps = packed_size(u.elem)
        if ps:
            nbytes = u.size * ps
            em.line(f'memcpy({x}, &{w}, {nbytes});')
            em.off += (nbytes + 3) // 4
        else:
            ew = wire_words(u.elem)[0]
            em.loop(f'{u.size}u', ew, lambda i: unmarshal(u.elem, f'{x}{i}', em, buffer_check))
            em.off += ew * u.size
    elif isinstance(u, SeqT):
        em.check(f'{w} > {u.bound}u', 'bound')
        em.line(f'{x}.len = {w};')
        ps = packed_size(u.elem)
        if ps:
            nb = f'{x}.len' if ps == 1 else f'{x}.len * {ps}u'
            words = f'({nb} + 3) / 4'
        else:
            ew = wire_words(u.elem)[0]
            words = f'{x}.len' if ew == 1 else f'{x}.len * {ew}u'
        _skip_checked(em, words)
        if ps:
            em.line(f'memcpy({x}.data, &_w[_n - {words}], {nb});')
        else:
            em.base = f'_n - {words}'
            em.loop(f'{x}.len', ew,
                    lambda i: unmarshal(u.elem, f'{x}.data{i}', em, buffer_check))
            em.base = '_n'
    elif isinstance(u, StrT):
        em.uses_len = True
        em.line(f'_len = {w};')
        em.check(f'_len > {u.bound}u', 'bound')
        _skip_checked(em, '(_len + 3) / 4')
        em.line(f'memcpy({x}, &_w[_n - (_len + 3) / 4], _len);')
        em.line(f'{x}[_len] = 0;')
        em.check(f'l4e_has_nul({x}, _len)', 'string')
    else:
        raise AssertionError(t)


def _skip_checked(em, words):
    """Past a count word and `words` of data: the index becomes `_n`, and the message
    must still hold the minimum of everything after (so no word past its length is read)."""
    em.uses_n = True
    em.rest -= 1
    em.line(f'_n = {em.at(1)} + {words};')
    em.base, em.off = '_n', 0
    rest = f'_n + {em.rest}' if em.rest else '_n'
    em.check(f'{rest} > l4_tag_len(_tag)', 'length')


def check_bounds(t, x, em):
    """Statements that check the sequence and string bounds of `x` (collocated calls,
    where nothing is marshalled). Elements of arrays and sequences have fixed sizes, so
    bounds only occur in parameters and struct members."""
    u = t.unalias()
    if isinstance(u, StructT):
        for m in u.decl.members:
            check_bounds(m.type, f'{x}.{m.name}', em)
    elif isinstance(u, SeqT):
        em.check(f'{x}.len > {u.bound}u', 'bound')
    elif isinstance(u, StrT):
        em.check(f'l4e_strnlen({x}, {u.bound + 1}u) > {u.bound}u', 'bound')
