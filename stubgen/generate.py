# SPDX-License-Identifier: BSD-2-Clause
"""Builds the template context from the checked model and renders the output files."""

import os

import jinja2

from .cgen import (Emitter, c_literal, cdecl, check_bounds, comment, emits_typedef, is_scalar,
                   marshal, param_arg, param_decl, param_expr, seq_cname, unmarshal)
from .idltypes import AliasT, ArrayT, EnumT, SeqT, StrT, StructT, c_size_align
from .model import MSG_REGS

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')
FILES = {'types': ('{}.h', 'types.h.j2'), 'client': ('{}_client.c', 'client.c.j2'),
         'server': ('{}_server.c', 'server.c.j2'), 'collocated': ('{}_colo.c', 'colo.c.j2')}
SERVER_FAILS = {k: f'goto _bad_{k};' for k in
                ('length', 'value', 'bound', 'string', 'buffer', 'impl')}
BUFFER_CHECK = 'l4e_buffer_check(_srv->pools, _srv->npools, _badge, &{x}, {rights})'


def _env():
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                              trim_blocks=True, lstrip_blocks=True, autoescape=False)


# ---------------------------------------------------------------- type definitions

class _Defs:
    """The unit's C type definitions in dependency order (C needs them before use)."""

    def __init__(self, unit):
        self.unit, self.out, self.done, self.seqs = unit, [], set(), set()

    def visit_type(self, t):
        if isinstance(t, AliasT):
            if t.decl.unit is self.unit:
                self.visit_decl(t.decl)
            return
        if isinstance(t, (StructT, EnumT)):
            if t.decl.unit is self.unit:
                self.visit_decl(t.decl)
        elif isinstance(t, ArrayT):
            self.visit_type(t.elem)
        elif isinstance(t, SeqT):
            self.visit_type(t.elem)
            if t.cname is None and seq_cname(t) not in self.seqs:
                self.seqs.add(seq_cname(t))
                self.out.append(_seq_def(t, guarded=True))

    def visit_decl(self, d):
        if d in self.done:
            return
        self.done.add(d)
        if d.kind == 'struct':
            for m in d.members:
                self.visit_type(m.type)
            self.out.append(_struct_def(d))
        elif d.kind == 'typedef':
            tgt = d.alias.target
            if isinstance(tgt, SeqT) and tgt.cname == d.cname:
                self.visit_type(tgt.elem)
                self.out.append(_seq_def(tgt, guarded=False, doc=d.doc))
            else:
                self.visit_type(tgt)
                if emits_typedef(d.alias):
                    self.out.append({'kind': 'typedef', 'comment': comment(d.doc),
                                     'decl': cdecl(tgt, d.cname)})
        elif d.kind == 'enum':
            self.out.append(_enum_def(d))
        elif d.kind == 'const':
            self.out.append({'kind': 'const', 'comment': comment(d.doc), 'macro': d.macro,
                             'value': c_literal(d.value, d.type)})
        elif d.kind == 'interface':
            for op in d.all_ops:
                for p in op.params:
                    self.visit_type(p.type)


def _enum_def(d):
    """An enum; one that lists an interface's errors has their codes as its C values."""
    def value(i):
        return f'-0x{-i.code:04x}' if d.owner is not None else i.value

    errors = None
    if d.owner is not None:
        errors = {'iface': _qname(d.owner), 'iid': d.owner.iid}
    return {'kind': 'enum', 'comment': comment(d.doc), 'cname': d.cname,
            'sentinel': d.sentinel, 'errors': errors,
            'cases': [f'-0x{-c:04x}' for c in sorted(i.code for i in d.items)]
            if d.owner is not None else d.values,
            'enumerators': [{'comment': comment(i.doc, '\t'), 'macro': i.macro,
                             'value': value(i)} for i in d.items]}


def _seq_def(t, guarded, doc=None):
    size, _ = c_size_align(t)
    return {'kind': 'sequence', 'comment': comment(doc), 'cname': seq_cname(t),
            'guard': f'{seq_cname(t).upper()}_DEFINED' if guarded else '',
            'bound': t.bound, 'elem': cdecl(t.elem, f'data[{t.bound}]'), 'size': size}


def _struct_def(d):
    return {'kind': 'struct', 'comment': comment(d.doc), 'cname': d.cname, 'size': d.size,
            'members': [{'comment': comment(m.doc, '\t'), 'decl': cdecl(m.type, m.name)}
                        for m in d.members]}


# ---------------------------------------------------------------- operations

def _window(lines, to_utcb, end):
    """A long request is marshalled in the UTCB; its first words go in the registers
    (and the registers past its end are zeroed)."""
    if to_utcb:
        lines.append('\tfor (unsigned _i = 0; _i < L4_MSG_REGS; _i++)')
        lines.append(f'\t\t_mr[_i] = _i < {end} ? _w[_i] : 0;')


def _length_check(op_min, op_max, fail):
    if op_min == op_max:
        return [f'\tif (l4_tag_len(_tag) != {op_min})', f'\t\t{fail}']
    return [f'\tif (l4_tag_len(_tag) < {op_min} || l4_tag_len(_tag) > {op_max})', f'\t\t{fail}']


def _status_check(op, rc):
    """Condition under which `rc` (negative) is one of the op's declared error codes."""
    if not op.raises:
        return None
    conds = [f'{e.cname}_valid({rc})' for e in op.raises]
    return conds[0] if len(conds) == 1 else '(' + ' || '.join(conds) + ')'


def _client_body(op, qname):
    req = Emitter({'bound': 'return -L4E_STUB_EARG;'})
    for p in op.req:
        marshal(p.type, param_expr(p), req)
    rep = Emitter({k: 'return -L4E_STUB_EPROTO;' for k in ('value', 'bound', 'string',
                                                             'length')})
    rep.rest = op.rep_min
    for p in op.rep:
        unmarshal(p.type, param_expr(p), rep, None)
    req_utcb, rep_utcb = op.req_max > MSG_REGS, op.rep_max > MSG_REGS
    body = ['\tl4_word_t _mr[L4_MSG_REGS];']
    if op.req_max or op.rep_max:
        body.append('\tl4_word_t *_w = ' + ('l4_utcb()->mr;' if req_utcb else '_mr;'))
    if not op.oneway:
        body.append('\tl4_tag_t _tag;')
    body.append('\tint _err;')
    if req.uses_n or rep.uses_n:
        body.append('\tuint32_t _n;')
    if req.uses_len or rep.uses_len:
        body.append('\tuint32_t _len;')
    body.append('')
    if not req_utcb:
        # Registers the message does not use are still handed to the kernel: never
        # pass stack garbage (and possibly secrets) to the server.
        body += [f'\t_mr[{i}] = 0;' for i in range(op.req_min, MSG_REGS)]
    body += req.lines
    _window(body, req_utcb, req.end())
    if op.oneway:
        body.append(f'\t_err = l4_send(_ep, l4_tag({op.label_macro}, 0, {req.end()}), _mr);')
        body.append('\tif (_err < 0)')
        body.append(f'\t\treturn l4e_stub_ipc_error(_ep, "{qname}", _err);')
        body.append('\treturn 0;')
        return body
    body.append(f'\t_tag = l4_tag({op.label_macro}, 0, {req.end()});')
    body.append('\t_err = l4_call(_ep, &_tag, _mr);')
    body.append('\tif (_err < 0)')
    body.append(f'\t\treturn l4e_stub_ipc_error(_ep, "{qname}", _err);')
    body.append('\tif (l4_tag_label(_tag) != L4E_REPLY_OK) {')
    cond = _status_check(op, '-(int)l4_tag_label(_tag)')
    if cond:
        body.append(f'\t\tif ({cond})')
        body.append('\t\t\treturn -(int)l4_tag_label(_tag);')
    body.append(f'\t\treturn l4e_stub_reply_status(_ep, "{qname}", l4_tag_label(_tag));')
    body.append('\t}')
    body += _length_check(op.rep_min, op.rep_max, 'return -L4E_STUB_EPROTO;')
    if rep_utcb:
        body.append('\t_w = l4_utcb()->mr;')
        body.append('\tfor (unsigned _i = 0; _i < L4_MSG_REGS && _i < l4_tag_len(_tag); _i++)')
        body.append('\t\t_w[_i] = _mr[_i];')
    elif req_utcb and op.rep_max:
        body.append('\t_w = _mr;')
    body += rep.lines
    if op.rep_min != op.rep_max:
        body.append(f'\tif ({rep.end()} != l4_tag_len(_tag))')
        body.append('\t\treturn -L4E_STUB_EPROTO;')
    body.append('\treturn 0;')
    return body


def _server_body(op):
    req = Emitter(SERVER_FAILS)
    req.rest = op.req_min
    for p in op.req:
        unmarshal(p.type, p.name, req, BUFFER_CHECK)
    rep = Emitter(dict(SERVER_FAILS, bound='goto _bad_impl;'))
    for p in op.rep:
        marshal(p.type, p.name, rep)
    req_utcb, rep_utcb = op.req_max > MSG_REGS, op.rep_max > MSG_REGS
    body = []
    if op.req_max or op.rep_max:
        body.append('\tl4_word_t *_w = ' + ('l4_utcb()->mr;' if req_utcb else '_mr;'))
    if req.uses_n or rep.uses_n:
        body.append('\tuint32_t _n;')
    if req.uses_len or rep.uses_len:
        body.append('\tuint32_t _len;')
    for p in op.params:
        body.append(f'\t{cdecl(p.type, p.name)} = {{0}};')
    body.append('\tint _rc;')
    body.append('')
    if not (op.req_max or op.rep_max):
        body.append('\t(void)_mr;')
    body.append(f'\tif (!_srv->ops->{op.name}) {{')
    body.append('\t\t_srv->stats.bad_label++;')
    body.append('\t\treturn l4_tag(L4E_REPLY_NOOP, 0, 0);')
    body.append('\t}')
    used = {'impl', 'length', 'kind'}
    # The kernel marks calls (L4_TAG_F_CALL): a two-way operation must be called, a
    # oneway one only sent, or the client would wait forever or the reply go nowhere.
    body.append('\tif (' + ('' if op.oneway else '!') +
                '(l4_tag_flags(_tag) & L4_TAG_F_CALL))')
    body.append('\t\tgoto _bad_kind;')
    body += _length_check(op.req_min, op.req_max, 'goto _bad_length;')
    if req_utcb:
        body.append('\tfor (unsigned _i = 0; _i < L4_MSG_REGS && _i < l4_tag_len(_tag); _i++)')
        body.append('\t\t_w[_i] = _mr[_i];')
    body += req.lines
    if op.req_min != op.req_max:
        body.append(f'\tif ({req.end()} != l4_tag_len(_tag))')
        body.append('\t\tgoto _bad_length;')
    body.append('\t_srv->stats.requests++;')
    args = ', '.join(['_srv->ctx', '_badge'] + [param_arg(p) for p in op.params])
    body.append(f'\t_rc = _srv->ops->{op.name}({args});')
    body.append('\tif (_rc != 0) {')
    cond = _status_check(op, '_rc')
    if cond:
        body.append(f'\t\tif ({cond})')
        body.append('\t\t\treturn l4_tag((unsigned)-_rc, 0, 0);')
    body.append('\t\tgoto _bad_impl;')
    body.append('\t}')
    if rep_utcb and not req_utcb:
        body.append('\t_w = l4_utcb()->mr;')
    elif req_utcb and not rep_utcb and op.rep_max:
        body.append('\t_w = _mr;')
    body += rep.lines
    if rep_utcb:
        body.append(f'\tfor (unsigned _i = 0; _i < L4_MSG_REGS && _i < {rep.end()}; _i++)')
        body.append('\t\t_mr[_i] = _w[_i];')
    body.append(f'\treturn l4_tag(L4E_REPLY_OK, 0, {rep.end()});')
    used |= req.used  # the reply's failures all go to _bad_impl
    stat = {'kind': 'bad_kind', 'length': 'bad_length', 'value': 'bad_value',
            'bound': 'bad_bound', 'string': 'bad_string', 'buffer': 'bad_buffer',
            'impl': 'impl_errors'}
    for kind in ('kind', 'length', 'value', 'bound', 'string', 'buffer', 'impl'):
        if kind in used:
            body.append(f'_bad_{kind}:')
            body.append(f'\t_srv->stats.{stat[kind]}++;')
            code = 'L4E_REPLY_ESERVER' if kind == 'impl' else 'L4E_REPLY_BADMSG'
            body.append(f'\treturn l4_tag({code}, 0, 0);')
    return body


def _colo_body(op, iface):
    em = Emitter({'bound': 'return -L4E_STUB_EARG;'})
    for p in op.req:
        check_bounds(p.type, param_expr(p), em)
    out = Emitter({'bound': 'return -L4E_STUB_ESERVER;'})
    for p in op.rep:
        check_bounds(p.type, param_expr(p), out)
    b = f'{iface.cname}_colo'
    body = ['\tint _rc, _was;', '',
            f'\tif (!{b}.ops || _ep != {b}.ep)', '\t\treturn -L4_ECAP;',
            f'\tif (!{b}.ops->{op.name})', '\t\treturn -L4E_STUB_ENOOP;']
    body += em.lines
    args = ', '.join([f'{b}.ctx', f'{b}.badge'] + [p.name for p in op.params])
    if op.oneway:
        # Sent while another collocated operation runs: queued with a copy of its
        # arguments, run when the outermost one returns (l4e/colo.h).
        body.append(f'\tif (l4e_colo_busy({b}.prio, &{b}.active)) {{')
        if op.params:
            body.append(f'\t\tstruct {iface.cname}_{op.name}_args _a;')
            body.append('')
            body.append('\t\tmemset(&_a, 0, sizeof(_a));')
            for p in op.params:
                body.append('\t\t' + _colo_copy(p))
            body.append(f'\t\treturn l4e_colo_defer({iface.cname}_{op.name}_run, &_a, '
                        f'sizeof(_a), {b}.prio, &{b}.active) ? -L4_EAGAIN : 0;')
        else:
            body.append(f'\t\treturn l4e_colo_defer({iface.cname}_{op.name}_run, NULL, 0, '
                        f'{b}.prio, &{b}.active) ? -L4_EAGAIN : 0;')
        body.append('\t}')
    body.append(f'\t_was = l4e_colo_enter({b}.prio, &{b}.active);')
    body.append(f'\t_rc = {b}.ops->{op.name}({args});')
    body.append(f'\tl4e_colo_leave(_was, &{b}.active);')
    if op.oneway:
        body.append('\t(void)_rc;')
        body.append('\treturn 0;')
        return body
    body.append('\tif (_rc != 0) {')
    cond = _status_check(op, '_rc')
    if cond:
        body.append(f'\t\tif ({cond})')
        body.append('\t\t\treturn _rc;')
    body.append('\t\treturn -L4E_STUB_ESERVER;')
    body.append('\t}')
    body += out.lines
    body.append('\treturn 0;')
    return body


def _colo_copy(p):
    """Copies an `in` parameter of a oneway operation into its queued argument block."""
    u = p.type.unalias()
    if isinstance(u, StrT):
        return (f'for (uint32_t _i = 0; _i + 1 < sizeof(_a.{p.name}) && {p.name}[_i]; _i++) '
                f'_a.{p.name}[_i] = {p.name}[_i];')
    if isinstance(u, ArrayT):
        return f'memcpy(_a.{p.name}, {p.name}, sizeof(_a.{p.name}));'
    if is_scalar(p.type):
        return f'_a.{p.name} = {p.name};'
    return f'_a.{p.name} = *{p.name};'


def _colo_deferred(op, iface):
    """The queued form of a oneway operation: its argument block and the function that
    runs it from there (l4e/colo.h)."""
    if not op.oneway:
        return []
    b = f'{iface.cname}_colo'
    name = f'{iface.cname}_{op.name}'
    out = []
    if op.params:
        out.append(f'struct {name}_args {{')
        out += [f'\t{cdecl(p.type, p.name)};' for p in op.params]
        out.append('};')
        out.append('')
    out.append(f'static void {name}_run(const void *_p)')
    out.append('{')
    if op.params:
        out.append(f'\tconst struct {name}_args *_d = _p;')
        out.append('')
        args = [f'_d->{p.name}' if (isinstance(p.type.unalias(), (StrT, ArrayT)) or
                                    is_scalar(p.type)) else f'&_d->{p.name}'
                for p in op.params]
    else:
        out.append('\t(void)_p;')
        args = []
    out.append(f'\t(void){b}.ops->{op.name}(' + ', '.join([f'{b}.ctx', f'{b}.badge'] + args)
               + ');')
    out.append('}')
    out.append('')
    return out


def _op_ctx(op, iface):
    macro = f'{iface.cname}_{op.name}_LABEL'.upper()
    op.label_macro = macro
    params = [param_decl(p) for p in op.params]
    return {
        'name': op.name, 'cname': f'{iface.cname}_{op.name}', 'comment': comment(op.doc),
        'label_macro': macro, 'label': f'0x{op.label:04x}u', 'iid': op.iface.iid,
        'oid': op.oid, 'oneway': op.oneway, 'fastpath': op.fastpath,
        'reply_due': 'false' if op.oneway else 'true',
        'inherited': op.iface is not iface, 'from': op.iface.name,
        'req_words': _range(op.req_min, op.req_max), 'rep_words': _range(op.rep_min, op.rep_max),
        'path': 'registers' if max(op.req_max, op.rep_max) <= MSG_REGS else 'UTCB',
        'client_params': ', '.join(['l4_cap_t _ep'] + params),
        'impl_params': ', '.join(['void *ctx', 'l4_word_t badge'] + params),
        'client_body': _client_body(op, _qname(iface)), 'server_body': _server_body(op),
        'colo_body': _colo_body(op, iface), 'colo_deferred': _colo_deferred(op, iface),
    }


def _qname(d):
    """An interface as the system description names it: module::interface."""
    return '::'.join(tuple(d.scope) + (d.name,))


def _range(lo, hi):
    return str(lo) if lo == hi else f'{lo}..{hi}'


def context(prog, unit):
    defs = _Defs(unit)
    for d in unit.decls:
        defs.visit_decl(d)
    ifaces = []
    for d in unit.decls:
        if d.kind != 'interface':
            continue
        errors = None
        if d.errors is not None:
            errors = {'enum': d.errors.cname, 'min': f'-0x{d.iid << 8 | 0xff:04x}',
                      'max': f'-0x{d.iid << 8 | 1:04x}'}
        ifaces.append({'name': d.name, 'qname': _qname(d), 'cname': d.cname,
                       'macro': d.cname.upper(), 'errors': errors,
                       'iid': d.iid, 'comment': comment(d.doc),
                       'bases': ', '.join(b.name for b in d.bases),
                       'ops': [_op_ctx(op, d) for op in d.all_ops]})
    return {
        'banner': f'generated from {unit.path} by stubgen \u2014 do not edit',
        'base': unit.base, 'header': unit.base + '.h',
        'includes': [u.base + '.h' for u in unit.imports],
        'defs': defs.out, 'interfaces': ifaces,
    }


def outputs(prog, unit, kinds):
    """{file name: text} for the requested kinds."""
    env = _env()
    ctx = context(prog, unit)
    out = {}
    for k in kinds:
        name, tmpl = FILES[k]
        out[name.format(unit.base)] = env.get_template(tmpl).render(**ctx)
    return out


def output_names(base):
    return [FILES[k][0].format(base) for k in FILES]
