# SPDX-License-Identifier: BSD-2-Clause
"""Checked semantic model: loads IDL files and imports, resolves names, checks every rule
of idl/README.md, and computes C and wire layouts."""

import enum
import os
from dataclasses import dataclass, field
from typing import Any, List, Optional

from . import syntax as ast
from .diag import Diagnostics, IdlError, Loc
from .idltypes import (AliasT, ArrayT, BufT, EnumT, PrimT, SeqT, StrT, StructT, c_size_align,
                       is_fixed, wire_words)
from .parser import parse

MSG_REGS = 8    # L4_MSG_REGS in kernel/include/uapi/l4/abi.h
MSG_WORDS = 64  # L4_MSG_WORDS
IFACE_ID_MAX = 254   # label[15:8]; 255 would let label 0xffff (L4_LABEL_FAULT) occur
OP_ID_MAX = 255      # label[7:0]
ERROR_CODE_MAX = 0xfeff  # reply labels 0xff00.. are the stubs' own status codes
ERRORS_PER_IFACE = 255   # interface i owns the codes -(i << 8 | 1) .. -(i << 8 | 255)
C_KEYWORDS = {
    'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else',
    'enum', 'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register',
    'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch',
    'typedef', 'union', 'unsigned', 'volatile', 'while', 'bool', 'true', 'false', 'NULL',
}


class State(enum.Enum):
    """Where a declaration is in name resolution (BUSY: being resolved, so a reference
    back to it is a cycle)."""
    UNRESOLVED = 0
    BUSY = 1
    DONE = 2


class Decl:
    def __init__(self, kind, node, scope, unit):
        self.kind, self.node, self.scope, self.unit = kind, node, scope, unit
        self.name, self.loc, self.doc = node.name, node.loc, node.doc
        self.cname = '_'.join(scope + (node.name,))
        self.state = State.UNRESOLVED
        self.owner = None  # an enum: the interface whose application errors it lists


class Unit:
    """One IDL file: its syntax tree, its declarations in source order, its imports."""

    def __init__(self, path, tree):
        self.path, self.tree = path, tree
        self.decls, self.imports, self.import_locs = [], [], []
        self.used = set()  # units whose definitions this unit refers to
        base = os.path.splitext(os.path.basename(path))[0]
        self.base = base


@dataclass
class Enumerator:
    name: str
    value: int       # as declared; an error enum's C value is `code`
    loc: Loc
    doc: Optional[str]
    macro: str
    code: Optional[int] = None  # an error enum's: -(interface id << 8 | value)


@dataclass
class Member:
    name: str
    type: Any
    loc: Loc
    doc: Optional[str]


@dataclass
class Param:
    name: str
    dir: str  # 'in', 'out' or 'inout'
    loc: Loc
    type: Any


@dataclass
class Operation:
    name: str
    oid: int
    id_loc: Loc
    fastpath: bool
    oneway: bool
    iface: Decl
    loc: Loc
    doc: Optional[str]
    label: int
    cname: str
    params: List[Param] = field(default_factory=list)
    raises: List[Decl] = field(default_factory=list)  # error enums, each owned by an interface
    raises_locs: List[Loc] = field(default_factory=list)
    # wire layout, set by the whole-program check
    req: List[Param] = field(default_factory=list)
    rep: List[Param] = field(default_factory=list)
    req_min: int = 0
    req_max: int = 0
    rep_min: int = 0
    rep_max: int = 0
    label_macro: str = ''  # set by the generator


def interface_id_clash(d, first):
    """The error for interface `d` taking the id of `first`, seen before it: one id is one
    label range and one range of application error codes, so it names one interface."""
    a, b = '::'.join(d.scope + (d.name,)), '::'.join(first.scope + (first.name,))
    return IdlError(d.iid_loc, f"interface id {d.iid} of '{a}' is also the id of '{b}': "
                               'every interface needs an id of its own (its labels and '
                               'application error codes derive from it)',
                    [(first.iid_loc, f"'{b}' takes interface id {first.iid} here")])


class Program:
    def __init__(self, include_dirs=()):
        self.include_dirs = list(include_dirs)
        self.units = {}
        self.order = []
        self.symbols = {}
        self.diag = Diagnostics()
        self.root = None
        self._units = []  # the units whose declarations are being resolved, innermost last

    # ------------------------------------------------------------ loading

    def load(self, path, display=None):
        root = self.root = self._load(os.path.abspath(path), display or path, [])
        for unit in self.order:
            self._resolve_unit(unit)
        self._check_program()
        self._check_imports_used(root)
        return root

    def _load(self, abspath, display, stack):
        if abspath in self.units:
            return self.units[abspath]
        with open(abspath, 'rb') as f:
            raw = f.read()
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            line = raw.count(b'\n', 0, e.start) + 1
            col = e.start - (raw.rfind(b'\n', 0, e.start) + 1) + 1
            text = raw.decode('utf-8', errors='replace')
            raise IdlError(Loc(display, line, col, text),
                           f'invalid UTF-8 byte 0x{raw[e.start]:02x}') from None
        tree = parse(display, text)
        unit = Unit(display, tree)
        stack = stack + [(abspath, display)]
        for imp in tree.imports:
            found = self._find(imp.path, os.path.dirname(abspath))
            if found is None:
                raise IdlError(imp.path_loc, f"cannot find imported file '{imp.path}' "
                                             f"(searched {self._searched(abspath)})")
            if any(found == p for p, _ in stack):
                chain = [d for p, d in stack[[p for p, _ in stack].index(found):]]
                names = ' -> '.join(os.path.basename(d) for d in chain + [chain[0]])
                raise IdlError(imp.path_loc, f'import cycle: {names}')
            rel = os.path.relpath(found)
            unit.imports.append(self._load(found, rel if not rel.startswith('..') else found,
                                           stack))
            unit.import_locs.append(imp.path_loc)
        self.units[abspath] = unit
        self.order.append(unit)
        self._collect(unit, tree.defs, ())
        return unit

    def _find(self, name, here):
        for d in [here] + self.include_dirs:
            p = os.path.abspath(os.path.join(d, name))
            if os.path.isfile(p):
                return p
        return None

    def _searched(self, abspath):
        dirs = [os.path.dirname(abspath)] + self.include_dirs
        return ', '.join(os.path.relpath(d) for d in dirs)

    def _check_name(self, name, loc):
        if name.startswith('_'):
            raise IdlError(loc, f"name '{name}' starts with '_': reserved for generated code")
        if name in C_KEYWORDS:
            raise IdlError(loc, f"name '{name}' is a C keyword")

    def _collect(self, unit, defs, scope):
        for d in defs:
            self._check_name(d.name, d.loc)
            if isinstance(d, ast.Module):
                self._collect(unit, d.defs, scope + (d.name,))
                continue
            kind = type(d).__name__.lower()
            key = scope + (d.name,)
            if key in self.symbols:
                first = self.symbols[key]
                raise IdlError(d.loc, f"duplicate definition of '{'::'.join(key)}' "
                                      f'(first defined at {first.loc})')
            decl = Decl(kind, d, scope, unit)
            self.symbols[key] = decl
            unit.decls.append(decl)

    # ------------------------------------------------------------ names

    def lookup(self, sname, scope):
        parts = tuple(sname.parts)
        d = None
        if parts[0] == '':
            d = self.symbols.get(parts[1:])
        else:
            for i in range(len(scope), -1, -1):
                d = self.symbols.get(scope[:i] + parts)
                if d:
                    break
        if d and self._units:
            cur = self._units[-1]
            if d.unit is not cur and d.unit not in self.imported(cur):
                raise IdlError(sname.loc, f"'{sname}' is defined in {d.unit.path}, which "
                                          f'{cur.path} does not import')
            cur.used.add(d.unit)
        return d

    def imported(self, unit):
        """Every unit `unit` imports, directly or through other imports."""
        seen, todo = set(), list(unit.imports)
        while todo:
            u = todo.pop()
            if u not in seen:
                seen.add(u)
                todo.extend(u.imports)
        return seen

    def warn(self, unit, loc, msg):
        """Warnings are for the file being compiled; an imported file gets its own when
        it is compiled itself."""
        if unit is self.root:
            self.diag.warn(loc, msg)

    def _check_imports_used(self, unit):
        for imp, loc in zip(unit.imports, unit.import_locs):
            if not ({imp} | self.imported(imp)) & unit.used:
                self.warn(unit, loc, f"nothing from imported file '{os.path.basename(imp.path)}'"
                                     ' is used')

    # ------------------------------------------------------------ constant expressions

    def eval(self, e, scope):
        if e.op == 'num':
            return e.value
        if e.op == 'bool':
            return int(e.value)
        if e.op == 'name':
            d = self.lookup(e.name, scope)
            if d is None:
                raise IdlError(e.loc, f"unknown constant '{e.name}'")
            if d.kind != 'const':
                raise IdlError(e.loc, f"'{e.name}' is {_article(d.kind)}, not a constant")
            self._resolve(d)
            return d.value
        if e.op == 'neg':
            return -self.eval(e.a, scope)
        if e.op == 'not':
            return ~self.eval(e.a, scope)
        a, b = self.eval(e.a, scope), self.eval(e.b, scope)
        if e.op in ('/', '%') and b == 0:
            raise IdlError(e.loc, 'division by zero in a constant expression')
        if e.op in ('<<', '>>') and not 0 <= b < 64:
            raise IdlError(e.loc, f'shift count {b} out of range 0..63')
        return {'+': lambda: a + b, '-': lambda: a - b, '*': lambda: a * b,
                '/': lambda: int(a / b), '%': lambda: a - int(a / b) * b,
                '<<': lambda: a << b, '>>': lambda: a >> b, '|': lambda: a | b,
                '&': lambda: a & b}[e.op]()

    def bound(self, e, scope, what, lo=1, hi=1 << 20):
        v = self.eval(e, scope)
        if not lo <= v <= hi:
            raise IdlError(e.loc, f'{what} must be between {lo} and {hi}, not {v}')
        return v

    # ------------------------------------------------------------ types

    def type(self, t, scope):
        if t.kind == 'prim':
            return PrimT(t.name)
        if t.kind == 'buffer':
            return BufT(t.rights)
        if t.kind == 'string':
            return StrT(self.bound(t.bound, scope, 'string bound'))
        if t.kind == 'sequence':
            elem = self.type(t.elem, scope)
            n = self.bound(t.bound, scope, 'sequence bound')
            return SeqT(elem, n, None)
        if t.kind == 'array':
            elem = self.type(t.elem, scope)
            n = self.bound(t.size, scope, 'array size')
            return ArrayT(elem, n)
        d = self.lookup(t.name, scope)
        if d is None:
            raise IdlError(t.loc, f"unknown type '{t.name}'")
        if d.kind == 'struct':
            return StructT(d)
        if d.kind == 'enum':
            return EnumT(d)
        if d.kind == 'typedef':
            if d.state is State.BUSY:
                raise IdlError(t.loc, f"recursive typedef '{d.name}'")
            self._resolve(d)
            return d.alias
        if d.kind == 'interface':
            raise IdlError(t.loc, f"interface '{t.name}' is not a data type")
        raise IdlError(t.loc, f"'{t.name}' is {_article(d.kind)}, not a type")

    # ------------------------------------------------------------ declarations

    def _resolve_unit(self, unit):
        for d in unit.decls:
            self._resolve(d)

    def _resolve(self, d):
        if d.state is State.DONE:
            return
        if d.state is State.BUSY:
            raise IdlError(d.loc, f"constant '{d.name}' is defined in terms of itself")
        d.state = State.BUSY
        self._units.append(d.unit)
        getattr(self, '_resolve_' + d.kind)(d, d.node)
        self._units.pop()
        d.state = State.DONE

    def _resolve_const(self, d, n):
        d.type = self.type(n.type, d.scope)
        t = d.type.unalias()
        if not isinstance(t, PrimT):
            raise IdlError(n.type.loc, f"constant '{d.name}' must have an integer or bool "
                                       f'type, not {t}')
        v = self.eval(n.expr, d.scope)
        lo, hi = t.range()
        if not lo <= v <= hi:
            raise IdlError(n.expr.loc, f'value {v} of constant \'{d.name}\' does not fit '
                                       f'{t.name} ({lo}..{hi})')
        d.value = v
        d.macro = d.cname.upper()

    def _resolve_enum(self, d, n):
        d.items, seen, values = [], {}, {}
        nxt = 0
        for it in n.items:
            self._check_name(it.name, it.loc)
            if it.name in seen:
                raise IdlError(it.loc, f"duplicate enumerator '{it.name}' in enum '{d.name}'")
            v = self.eval(it.expr, d.scope) if it.expr else nxt
            if not -(1 << 31) <= v < (1 << 31) - 1:
                raise IdlError((it.expr or it).loc, f"value {v} of enumerator '{it.name}' is "
                                                    'outside -2147483648..2147483646')
            if v in values:
                raise IdlError((it.expr or it).loc, f"enumerator '{it.name}' has the same "
                                                    f"value {v} as '{values[v]}'")
            seen[it.name] = v
            values[v] = it.name
            d.items.append(Enumerator(name=it.name, value=v, loc=it.loc, doc=it.doc,
                                      macro=f'{d.cname}_{it.name}'.upper()))
            nxt = v + 1
        d.sentinel = f'{d.cname}__FORCE_INT32'.upper()
        d.values = sorted(values)

    def _resolve_struct(self, d, n):
        d.members = []
        if not n.members:
            raise IdlError(n.loc, f"struct '{d.name}' has no members")
        names = set()
        for m in n.members:
            self._check_name(m.name, m.loc)
            if m.name in names:
                raise IdlError(m.loc, f"duplicate member '{m.name}' in struct '{d.name}'")
            names.add(m.name)
            d.members.append(Member(name=m.name, type=self.type(m.type, d.scope), loc=m.loc,
                                    doc=m.doc))

    def _resolve_typedef(self, d, n):
        target = self.type(n.type, d.scope)
        d.alias = AliasT(d, target)
        if isinstance(target, SeqT) and target.cname is None and target.alias is None:
            target.cname = d.cname
        if target.alias is None:
            target.alias = d.alias

    def _resolve_interface(self, d, n):
        a = self._annots(n.annots, 'interface', d.name, n.loc, d.scope)
        d.iid, d.iid_loc = a['id'], a['id_loc']
        d.errors = None
        if n.errors is not None:
            d.errors = self._own_errors(d, n.errors)
        d.bases = []
        for b in n.bases:
            bd = self.lookup(b, d.scope)
            if bd is None:
                raise IdlError(b.loc, f"unknown interface '{b}'")
            if bd.kind != 'interface':
                raise IdlError(b.loc, f"'{b}' is {_article(bd.kind)}, not an interface")
            if bd.state is State.BUSY:
                raise IdlError(b.loc, f"interface inheritance cycle: '{d.name}' inherits "
                                      f"from '{b}', which inherits from '{d.name}'")
            self._resolve(bd)
            d.bases.append(bd)
        d.reserved = set()
        for lo_e, hi_e in n.reserved:
            lo = self.bound(lo_e, d.scope, 'a reserved id', 1, OP_ID_MAX)
            hi = self.bound(hi_e, d.scope, 'a reserved id', 1, OP_ID_MAX)
            if hi < lo:
                raise IdlError(hi_e.loc, f'empty reserved range {lo}..{hi}')
            d.reserved.update(range(lo, hi + 1))
        d.ops, ids = [], {}
        for o in n.ops:
            op = self._operation(d, o)
            if op.oid in d.reserved:
                raise IdlError(op.id_loc, f"operation '{op.name}' uses reserved id {op.oid}")
            if op.oid in ids:
                raise IdlError(op.id_loc, f"operation id {op.oid} of '{op.name}' collides "
                                          f"with '{ids[op.oid].name}' ({ids[op.oid].loc})")
            ids[op.oid] = op
            d.ops.append(op)
        d.all_ops, names = [], {}
        for src in [b.all_ops for b in d.bases] + [d.ops]:
            for op in src:
                if op.name in names:
                    if names[op.name] is op:
                        continue
                    other = names[op.name]
                    raise IdlError(op.loc if op.iface is d else n.loc,
                                   f"operation '{op.name}' of '{op.iface.name}' clashes with "
                                   f"'{other.name}' of '{other.iface.name}' in interface "
                                   f"'{d.name}'")
                names[op.name] = op
                d.all_ops.append(op)
        if not d.all_ops:
            self.warn(d.unit, n.loc, f"interface '{d.name}' has no operations")

    def _own_errors(self, iface, sname):
        """`interface i raises (e)`: enum `e` lists the application errors of `i`, which
        become the codes -(id << 8 | value)."""
        e = self.lookup(sname, iface.scope)
        if e is None:
            raise IdlError(sname.loc, f"unknown error type '{sname}'")
        if e.kind != 'enum':
            raise IdlError(sname.loc, f"an interface's errors must be an enum; '{sname}' is "
                                      f'{_article(e.kind)}')
        if e.unit is not iface.unit:
            raise IdlError(sname.loc, f"enum '{sname}' is defined in {e.unit.path}: an "
                                      "interface's errors must be defined in its own file")
        if e.owner is not None and e.owner is not iface:
            raise IdlError(sname.loc, f"enum '{sname}' already lists the errors of interface "
                                      f"'{e.owner.name}' ({e.owner.loc})")
        self._resolve(e)
        for it in e.items:
            if not 1 <= it.value <= ERRORS_PER_IFACE:
                raise IdlError(it.loc, f"error code '{it.name}' = {it.value} of '{e.name}' must "
                                       f'be between 1 and {ERRORS_PER_IFACE} (0 means success; '
                                       f"interface '{iface.name}' owns the codes "
                                       f'-{iface.iid << 8 | 1:#06x}..-{iface.iid << 8 | 255:#06x})')
            it.code = -(iface.iid << 8 | it.value)
        e.owner = iface
        return e

    def _annots(self, annots, where, name, loc, scope):
        allowed = {'interface': ('id',), 'operation': ('id', 'fastpath')}[where]
        out = {}
        for a in annots:
            if a.name not in ('id', 'fastpath'):
                raise IdlError(a.loc, f"unknown annotation '@{a.name}'")
            if a.name not in allowed:
                raise IdlError(a.loc, f"annotation '@{a.name}' is not allowed on {where}")
            if a.name in out:
                raise IdlError(a.loc, f"duplicate annotation '@{a.name}'")
            if a.name == 'id':
                if a.expr is None:
                    raise IdlError(a.loc, "'@id' needs a value: @id(N)")
                top = IFACE_ID_MAX if where == 'interface' else OP_ID_MAX
                out['id'] = self.bound(a.expr, scope, f'{where} id', 1, top)
                out['id_loc'] = a.loc
            else:
                if a.expr is not None:
                    raise IdlError(a.expr.loc, "'@fastpath' takes no value")
                out['fastpath'] = True
        if 'id' not in out:
            raise IdlError(loc, f"{where} '{name}' has no '@id(N)': ids are explicit so "
                                'they never change silently')
        return out

    def _operation(self, iface, o):
        self._check_name(o.name, o.loc)
        a = self._annots(o.annots, 'operation', o.name, o.loc, iface.scope)
        op = Operation(name=o.name, oid=a['id'], id_loc=a['id_loc'], fastpath='fastpath' in a,
                       oneway=o.oneway, iface=iface, loc=o.loc, doc=o.doc,
                       label=(iface.iid << 8) | a['id'], cname=f'{iface.cname}_{o.name}')
        names = {}
        for p in o.params:
            self._check_name(p.name, p.loc)
            if p.name in names:
                raise IdlError(p.loc, f"duplicate parameter '{p.name}' in operation "
                                      f"'{o.name}'")
            names[p.name] = p
            op.params.append(Param(name=p.name, dir=p.direction, loc=p.loc,
                                   type=self.type(p.type, iface.scope)))
        if o.ret is not None:
            if 'result' in names:
                raise IdlError(names['result'].loc, "parameter 'result' clashes with the "
                                                    "operation's return value")
            op.params.append(Param(name='result', dir='out', loc=o.ret.loc,
                                   type=self.type(o.ret, iface.scope)))
        for r in o.raises:
            e = self.lookup(r, iface.scope)
            if e is None:
                raise IdlError(r.loc, f"unknown error type '{r}'")
            if e.kind != 'enum':
                raise IdlError(r.loc, f"raises needs an enum of error codes; '{r}'"
                                      f' is {_article(e.kind)}')
            if e in op.raises:
                raise IdlError(r.loc, f"'{r}' is named twice in the raises of '{o.name}'")
            self._resolve(e)
            op.raises.append(e)
            op.raises_locs.append(r.loc)
        if o.oneway:
            if o.ret is not None:
                raise IdlError(o.ret.loc, f"oneway operation '{o.name}' cannot return a value")
            for p in op.params:
                if p.dir != 'in':
                    raise IdlError(p.loc, f"oneway operation '{o.name}' cannot have "
                                          f"{p.dir} parameter '{p.name}'")
            if o.raises:
                raise IdlError(o.raises[0].loc, f"oneway operation '{o.name}' cannot raise "
                                                'errors')
        return op

    # ------------------------------------------------------------ whole-program checks

    def _check_program(self):
        decls = [d for u in self.order for d in u.decls]
        for d in decls:
            if d.kind == 'struct':
                self._check_recursion(d, [])
        for d in decls:
            if d.kind == 'struct':
                for m in d.members:
                    self._check_elems(m.type, m.loc)
                d.size, d.align = c_size_align(StructT(d))
            elif d.kind == 'typedef':
                self._check_elems(d.alias.target, d.loc)
        self._check_c_names(decls)
        ids = {}
        for d in decls:
            if d.kind != 'interface':
                continue
            if d.iid in ids:
                raise interface_id_clash(d, ids[d.iid])
            ids[d.iid] = d
            for op in d.ops:
                self._check_sizes(op)
                self._check_raises(op)

    def _check_raises(self, op):
        """Every enum an operation raises lists some interface's errors (its own, or one it
        passes up from a server it calls): their codes are then distinct from every other
        interface's and from the transport's."""
        for e, loc in zip(op.raises, op.raises_locs):
            if e.owner is None:
                which = f"'interface {op.iface.name} raises ({e.name})'" \
                    if e.unit is op.iface.unit else f'an interface of {e.unit.path}'
                raise IdlError(loc, f"enum '{e.name}' lists no interface's errors: declare it "
                                    f'as the errors of its interface, {which}, first')

    def _check_c_names(self, decls):
        """Two IDL names must not map to one C name (`a::b_c` and `a_b::c` are both
        `a_b_c`), nor collide with what stubgen generates for an interface."""
        seen = {}

        def claim(cname, what, loc):
            if cname in seen and seen[cname][1] is not loc:
                other, oloc = seen[cname]
                raise IdlError(loc, f"{what} and {other} ({oloc}) both become '{cname}' in C")
            seen.setdefault(cname, (what, loc))

        for d in decls:
            if d.kind == 'const':
                claim(d.macro, f"constant '{d.name}'", d.loc)
            elif d.kind == 'enum':
                claim(d.cname, f"enum '{d.name}'", d.loc)
                claim(d.cname + '_valid', f"enum '{d.name}'", d.loc)
                claim(d.sentinel, f"enum '{d.name}'", d.loc)
                for it in d.items:
                    claim(it.macro, f"enumerator '{it.name}'", it.loc)
            elif d.kind in ('struct', 'typedef'):
                claim(d.cname, f"{d.kind} '{d.name}'", d.loc)
            elif d.kind == 'interface':
                what = f"interface '{d.name}'"
                for suffix in ('ops', 'server', 'dispatch', 'serve', 'colo_bind', 'colo'):
                    claim(f'{d.cname}_{suffix}', what, d.loc)
                claim(f'{d.cname}_ID'.upper(), what, d.loc)
                if d.errors is not None:
                    for suffix in ('ERROR_MIN', 'ERROR_MAX'):
                        claim(f'{d.cname}_{suffix}'.upper(), what, d.loc)
                for op in d.all_ops:
                    claim(f'{d.cname}_{op.name}', f"operation '{op.name}'", op.loc)
                    claim(f'{d.cname}_{op.name}_LABEL'.upper(), f"operation '{op.name}'",
                          op.loc)

    def _check_recursion(self, d, stack):
        if d in stack:
            chain = ' -> '.join(s.name for s in stack[stack.index(d):] + [d])
            raise IdlError(stack[-1].rec_loc, f'recursive struct: {chain} (a struct cannot '
                                              'contain itself)')
        if getattr(d, 'acyclic', False):
            return
        for m in d.members:
            t = m.type.unalias()
            while isinstance(t, (ArrayT, SeqT)):
                t = t.elem.unalias()
            if isinstance(t, StructT):
                d.rec_loc = m.loc
                self._check_recursion(t.decl, stack + [d])
        d.acyclic = True

    def _check_elems(self, t, loc):
        t = t.unalias()
        if isinstance(t, (ArrayT, SeqT)):
            if not is_fixed(t.elem):
                raise IdlError(loc, f'element type {t.elem} of {t} has a variable size; '
                                    'elements of arrays and sequences must have a fixed size')
            self._check_elems(t.elem, loc)

    def _check_sizes(self, op):
        for p in op.params:
            self._check_elems(p.type, p.loc)
        op.req = [p for p in op.params if p.dir in ('in', 'inout')]
        op.rep = [p for p in op.params if p.dir in ('out', 'inout')]
        op.req_min = sum(wire_words(p.type)[0] for p in op.req)
        op.req_max = sum(wire_words(p.type)[1] for p in op.req)
        op.rep_min = sum(wire_words(p.type)[0] for p in op.rep)
        op.rep_max = sum(wire_words(p.type)[1] for p in op.rep)
        for what, n in (('request', op.req_max), ('reply', op.rep_max)):
            if n > MSG_WORDS:
                raise IdlError(op.loc, f"{what} of '{op.name}' needs up to {n} words, more than "
                                       f'the {MSG_WORDS} of a message (L4_MSG_WORDS)')
            if op.fastpath and n > MSG_REGS:
                raise IdlError(op.loc, f"@fastpath operation '{op.name}': {what} needs up to "
                                       f'{n} words, more than the {MSG_REGS} message registers')


def _article(kind):
    return ('an ' if kind[0] in 'aeiou' else 'a ') + kind
