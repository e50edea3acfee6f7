# SPDX-License-Identifier: BSD-2-Clause
"""stubgen: lexer, parser and checked model on good IDL (tokens, docs, ids, layouts)."""

import os
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, ROOT)

from stubgen.generate import outputs  # noqa: E402
from stubgen.idltypes import c_size_align, wire_words  # noqa: E402
from stubgen.lexer import tokenize  # noqa: E402
from stubgen.model import Program  # noqa: E402


def load(text, extra=None):
    tmp = tempfile.TemporaryDirectory()
    for name, body in dict({'a.idl': text}, **(extra or {})).items():
        with open(os.path.join(tmp.name, name), 'w') as f:
            f.write(body)
    prog = Program()
    unit = prog.load(os.path.join(tmp.name, 'a.idl'))
    tmp.cleanup()
    return prog, unit


def decl(unit, name):
    return next(d for d in unit.decls if d.name == name)


class Lexer(unittest.TestCase):
    def test_tokens_and_positions(self):
        toks = tokenize('x.idl', 'module m {\n  const uint8 X = 0x1f; // c\n};')
        kinds = [(t.kind, t.value) for t in toks]
        self.assertEqual(kinds[:8], [('kw', 'module'), ('ident', 'm'), ('punct', '{'),
                                     ('kw', 'const'), ('kw', 'uint8'), ('ident', 'X'),
                                     ('punct', '='), ('num', 31)])
        self.assertEqual((toks[5].loc.line, toks[5].loc.col), (2, 15))
        self.assertEqual(toks[-1].kind, 'eof')

    def test_doc_comments_attach_to_next_token(self):
        toks = tokenize('x.idl', '/** one\n * two */\n/// three\nstruct /* plain */ s')
        self.assertEqual(toks[0].doc, 'one\ntwo\nthree')
        self.assertIsNone(toks[1].doc)


class Model(unittest.TestCase):
    def test_labels_inheritance_and_reserved(self):
        _, unit = load('module m {\n@id(2) interface b { @id(1) void f(); };\n'
                       '@id(3) interface c { @id(1) void g(); };\n'
                       '@id(4) interface d : b, c { reserved 1..3; @id(4) void h(); };\n};')
        d = decl(unit, 'd')
        self.assertEqual([(op.name, hex(op.label)) for op in d.all_ops],
                         [('f', '0x201'), ('g', '0x301'), ('h', '0x404')])
        self.assertEqual(d.reserved, {1, 2, 3})

    def test_diamond_inheritance_counts_once(self):
        _, unit = load('@id(1) interface a { @id(1) void f(); };\n'
                       '@id(2) interface b : a { @id(1) void g(); };\n'
                       '@id(3) interface c : a { @id(1) void h(); };\n'
                       '@id(4) interface d : b, c { };')
        self.assertEqual([op.name for op in decl(unit, 'd').all_ops], ['f', 'g', 'h'])

    def test_return_value_is_last_out_parameter(self):
        _, unit = load('@id(1) interface i { @id(1) uint64 f(in uint8 a, inout uint16 b); };')
        op = decl(unit, 'i').ops[0]
        self.assertEqual([(p.name, p.dir) for p in op.params],
                         [('a', 'in'), ('b', 'inout'), ('result', 'out')])
        self.assertEqual((op.req_min, op.req_max, op.rep_min, op.rep_max), (2, 2, 3, 3))

    def test_constants_and_enum_values(self):
        _, unit = load('const int32 A = (1 << 4) | 3;\nconst int64 B = -A * 2 - 1;\n'
                       'enum e { X = A, Y, Z = -1 };')
        self.assertEqual(decl(unit, 'A').value, 19)
        self.assertEqual(decl(unit, 'B').value, -39)
        self.assertEqual([(i.name, i.value) for i in decl(unit, 'e').items],
                         [('X', 19), ('Y', 20), ('Z', -1)])

    def test_layouts(self):
        _, unit = load('struct p { uint8 a; uint64 b; uint16 c[3]; bool d; };\n'
                       'typedef sequence<uint16, 5> s;\n'
                       'struct q { p x; string<5> n; s v; buffer h; };')
        p, q = decl(unit, 'p'), decl(unit, 'q')
        self.assertEqual((p.size, p.align), (24, 8))
        self.assertEqual(wire_words(decl(unit, 's').alias), (1, 4))
        self.assertEqual(c_size_align(decl(unit, 's').alias), (16, 4))
        self.assertEqual(wire_words(q.members[0].type), (6, 6))  # 1 + 2 + 2 (packed) + 1
        lo, hi = wire_words(q.members[1].type)
        self.assertEqual((lo, hi), (1, 3))
        self.assertEqual((q.size, q.align), (64, 8))  # x 0..24, n ..30, v 32..48, h ..60

    def test_names_resolve_outward_and_across_imports(self):
        _, unit = load('import "b.idl";\nmodule m { module n { struct s { t a; ::m::t b; '
                       'o::u c; }; }; };',
                       {'b.idl': 'module m { struct t { uint8 x; }; };\n'
                                 'module o { struct u { uint8 y; }; };'})
        s = decl(unit, 's')
        self.assertEqual([str(m.type) for m in s.members], ['t', 't', 'u'])
        self.assertEqual(s.cname, 'm_n_s')
        self.assertEqual([u.base for u in unit.imports], ['b'])

    def test_fastpath_at_exactly_eight_words(self):
        _, unit = load('@id(1) interface i { @id(1) @fastpath void f(in uint32 a[8], '
                       'out uint64 b[4]); };')
        op = decl(unit, 'i').ops[0]
        self.assertTrue(op.fastpath)
        self.assertEqual((op.req_max, op.rep_max), (8, 8))

    def test_message_of_exactly_64_words(self):
        _, unit = load('@id(1) interface i { @id(1) void f(in sequence<uint8, 252> a); };')
        self.assertEqual(decl(unit, 'i').ops[0].req_max, 64)


class Errors(unittest.TestCase):
    """Application errors: codes from the owning interface's id; a server may pass up the
    errors of an interface it calls."""

    def test_codes_and_pass_up(self):
        prog, unit = load('import "b.idl";\n'
                          'module m { enum error { BUSY = 1, GONE = 255 };\n'
                          '@id(7) interface i raises (error) {\n'
                          '  @id(1) void f() raises (error, n::error);\n'
                          '  @id(2) void g() raises (n::error); }; };',
                          {'b.idl': 'module n { enum error { FULL = 3 };\n'
                                    '@id(200) interface j raises (error) { @id(1) void h() '
                                    'raises (error); }; };'})
        err = decl(unit, 'error')
        self.assertIs(err.owner, decl(unit, 'i'))
        self.assertEqual([it.code for it in err.items], [-0x701, -0x7ff])
        f, g = decl(unit, 'i').ops
        self.assertEqual([e.cname for e in f.raises], ['m_error', 'n_error'])
        self.assertEqual([it.code for it in g.raises[0].items], [-0xc803])
        self.assertEqual(g.raises[0].owner.name, 'j')
        out = outputs(prog, unit, ['types', 'client', 'server', 'collocated'])
        self.assertIn('M_ERROR_BUSY = -0x0701,', out['a.h'])
        self.assertIn('#define M_I_ERROR_MIN (-0x07ff)', out['a.h'])
        self.assertIn('#define M_I_ERROR_MAX (-0x0701)', out['a.h'])
        # f passes n::error up: the server replies with it, the client returns it
        self.assertIn('if ((m_error_valid(_rc) || n_error_valid(_rc)))\n'
                      '\t\t\treturn l4_tag((unsigned)-_rc, 0, 0);', out['a_server.c'])
        self.assertIn('if ((m_error_valid(-(int)l4_tag_label(_tag)) || '
                      'n_error_valid(-(int)l4_tag_label(_tag))))\n'
                      '\t\t\treturn -(int)l4_tag_label(_tag);', out['a_client.c'])

    def test_plain_enums_keep_their_values(self):
        prog, unit = load('enum e { A = 0, B = -7 };\n@id(1) interface i { @id(1) e f(); };')
        self.assertIsNone(decl(unit, 'e').owner)
        self.assertEqual([it.value for it in decl(unit, 'e').items], [0, -7])


if __name__ == '__main__':
    unittest.main()
