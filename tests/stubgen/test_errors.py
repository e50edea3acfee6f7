# SPDX-License-Identifier: BSD-2-Clause
"""stubgen: every class of bad IDL is reported at the exact file:line:col with its message."""

import io
import os
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, ROOT)

from stubgen.cli import main  # noqa: E402

OK_IFACE = '@id(1) interface i { @id(1) void f(); };'

# name: ({file: text} (the first file is compiled), expected first line of the report)
CASES = {
    # lexer
    'bad_character': ({'a.idl': 'module m {\n  const uint8 x = 1 $ 2;\n};'},
                      "a.idl:2:21: error: unexpected character '$'"),
    'unterminated_comment': ({'a.idl': 'module m {};\n/* never ends'},
                             'a.idl:2:1: error: unterminated comment'),
    'unterminated_string': ({'a.idl': 'import "b.idl;\n'},
                            'a.idl:1:8: error: unterminated string'),
    'bad_number': ({'a.idl': 'const uint32 x = 12ab;'},
                   "a.idl:1:18: error: invalid number '12ab'"),
    # syntax
    'missing_semicolon': ({'a.idl': 'module m {\n  const uint8 x = 1\n};'},
                          "a.idl:2:20: error: expected ';' after '1', found '}'"),
    'missing_name': ({'a.idl': 'struct { uint8 a; };'},
                     "a.idl:1:8: error: expected identifier, found '{'"),
    'keyword_as_name': ({'a.idl': 'struct s { uint8 module; };'},
                        "a.idl:1:18: error: 'module' is a keyword, not a name"),
    'not_a_definition': ({'a.idl': 'module m { uint8 x; };'},
                         'a.idl:1:12: error: expected a definition (module, const, enum, '
                         "struct, typedef or interface), found 'uint8'"),
    'missing_direction': ({'a.idl': '@id(1) interface i { @id(1) void f(uint8 a); };'},
                          "a.idl:1:36: error: expected a parameter direction ('in', 'out' or "
                          "'inout'), found 'uint8'"),
    'void_parameter': ({'a.idl': '@id(1) interface i { @id(1) void f(in void a); };'},
                       "a.idl:1:39: error: a parameter cannot have type 'void'"),
    'eof_in_module': ({'a.idl': 'module m {\n  struct s { uint8 a; };\n'},
                      "a.idl:3:1: error: expected '}', found end of file"),
    'import_after_definition': ({'a.idl': 'const uint8 x = 1;\nimport "b.idl";',
                                 'b.idl': ''},
                                'a.idl:2:1: error: import must come before all definitions'),
    'multidim_array': ({'a.idl': 'struct s { uint8 a[2][3]; };'},
                       'a.idl:1:22: error: multi-dimensional arrays are not supported; use a '
                       'typedef for the inner array'),
    'unbounded_sequence': ({'a.idl': 'typedef sequence<uint8> s;'},
                           'a.idl:1:23: error: unbounded sequence: write sequence<T, N> with a '
                           'maximum length N'),
    'unbounded_string': ({'a.idl': 'struct s { string name; };'},
                         'a.idl:1:19: error: unbounded string: write string<N> with a maximum '
                         'length N'),
    'bad_buffer_rights': ({'a.idl': 'struct s { buffer<x> b; };'},
                          "a.idl:1:19: error: unknown buffer rights 'x' (expected 'r', 'w' or "
                          "'rw')"),
    # names and types
    'unknown_type': ({'a.idl': 'module m {\n  struct s { frob a; };\n};'},
                     "a.idl:2:14: error: unknown type 'frob'"),
    'duplicate_name': ({'a.idl': 'module m {\n  struct s { uint8 a; };\n  enum s { A };\n};'},
                       "a.idl:3:8: error: duplicate definition of 'm::s' (first defined at "
                       'a.idl:2:10)'),
    'duplicate_member': ({'a.idl': 'struct s {\n  uint8 a;\n  uint16 a;\n};'},
                         "a.idl:3:10: error: duplicate member 'a' in struct 's'"),
    'duplicate_enumerator': ({'a.idl': 'enum e { A, B, A };'},
                             "a.idl:1:16: error: duplicate enumerator 'A' in enum 'e'"),
    'duplicate_enum_value': ({'a.idl': 'enum e { A = 1, B = 1 };'},
                             "a.idl:1:21: error: enumerator 'B' has the same value 1 as 'A'"),
    'duplicate_parameter': ({'a.idl': '@id(1) interface i {\n  @id(1) void f(in uint8 a, '
                                      'out uint8 a);\n};'},
                            "a.idl:2:39: error: duplicate parameter 'a' in operation 'f'"),
    'reserved_underscore': ({'a.idl': 'struct _s { uint8 a; };'},
                            "a.idl:1:8: error: name '_s' starts with '_': reserved for "
                            'generated code'),
    'c_keyword_name': ({'a.idl': 'struct s { uint8 int; };'},
                       "a.idl:1:18: error: name 'int' is a C keyword"),
    'const_not_type': ({'a.idl': 'const uint8 k = 1;\nstruct s { k a; };'},
                       "a.idl:2:12: error: 'k' is a const, not a type"),
    'interface_not_type': ({'a.idl': OK_IFACE + '\nstruct s { i a; };'},
                           "a.idl:2:12: error: interface 'i' is not a data type"),
    'empty_struct': ({'a.idl': 'struct s { };'},
                     "a.idl:1:8: error: struct 's' has no members"),
    'recursive_struct': ({'a.idl': 'struct s {\n  uint8 a;\n  s next;\n};'},
                         'a.idl:3:5: error: recursive struct: s -> s (a struct cannot contain '
                         'itself)'),
    'recursive_struct_indirect': ({'a.idl': 'struct a { b x; };\ntypedef sequence<a, 2> as;\n'
                                            'struct b { as y; };'},
                                  'a.idl:3:15: error: recursive struct: a -> b -> a (a struct '
                                  'cannot contain itself)'),
    'recursive_typedef': ({'a.idl': 'typedef t2 t1;\ntypedef t1 t2;'},
                          "a.idl:2:9: error: recursive typedef 't1'"),
    'variable_size_element': ({'a.idl': 'typedef sequence<string<4>, 3> names;'},
                              'a.idl:1:32: error: element type string<4> of sequence<string<4>, '
                              '3> has a variable size; elements of arrays and sequences must '
                              'have a fixed size'),
    # constants
    'const_out_of_range': ({'a.idl': 'const uint8 x = 256;'},
                           "a.idl:1:17: error: value 256 of constant 'x' does not fit uint8 "
                           '(0..255)'),
    'const_bad_type': ({'a.idl': 'const string<4> x = 1;'},
                       "a.idl:1:7: error: constant 'x' must have an integer or bool type, not "
                       'string<4>'),
    'unknown_constant': ({'a.idl': 'const uint8 x = Y + 1;'},
                         "a.idl:1:17: error: unknown constant 'Y'"),
    'division_by_zero': ({'a.idl': 'const uint8 x = 4 / (2 - 2);'},
                         'a.idl:1:19: error: division by zero in a constant expression'),
    'const_cycle': ({'a.idl': 'const uint8 x = y;\nconst uint8 y = x;'},
                    "a.idl:1:13: error: constant 'x' is defined in terms of itself"),
    'zero_bound': ({'a.idl': 'typedef sequence<uint8, 0> s;'},
                   'a.idl:1:25: error: sequence bound must be between 1 and 1048576, not 0'),
    'negative_array': ({'a.idl': 'const int8 N = -2;\nstruct s { uint8 a[N]; };'},
                       'a.idl:2:20: error: array size must be between 1 and 1048576, not -2'),
    'enum_out_of_range': ({'a.idl': 'enum e { A = 0x7fffffff };'},
                          "a.idl:1:14: error: value 2147483647 of enumerator 'A' is outside "
                          '-2147483648..2147483646'),
    # interfaces and ids
    'missing_interface_id': ({'a.idl': 'interface i { @id(1) void f(); };'},
                             "a.idl:1:11: error: interface 'i' has no '@id(N)': ids are "
                             'explicit so they never change silently'),
    'missing_operation_id': ({'a.idl': '@id(1) interface i {\n  void f();\n};'},
                             "a.idl:2:8: error: operation 'f' has no '@id(N)': ids are "
                             'explicit so they never change silently'),
    'interface_id_range': ({'a.idl': '@id(255) interface i { @id(1) void f(); };'},
                           'a.idl:1:5: error: interface id must be between 1 and 254, not 255'),
    'operation_id_range': ({'a.idl': '@id(1) interface i { @id(0) void f(); };'},
                           'a.idl:1:26: error: operation id must be between 1 and 255, not 0'),
    'interface_id_collision': ({'a.idl': '@id(7) interface i { @id(1) void f(); };\n'
                                         '@id(7) interface j { @id(1) void g(); };'},
                               "a.idl:2:1: error: interface id 7 of 'j' is also the id of "
                               "'i': every interface needs an id of its own (its labels and "
                               'application error codes derive from it)'),
    'interface_id_collision_import': ({'a.idl': 'import "b.idl";\n@id(3) interface j { '
                                                '@id(1) void g(); };',
                                       'b.idl': '@id(3) interface i { @id(1) void f(); };'},
                                      "a.idl:2:1: error: interface id 3 of 'j' is also the "
                                      "id of 'i': every interface needs an id of its own (its "
                                      'labels and application error codes derive from it)'),
    'interface_id_collision_modules': ({'a.idl': 'import "b.idl";\nmodule x {\n  @id(0x13) '
                                                 'interface card { @id(1) void g(); };\n};',
                                        'b.idl': 'import "c.idl";\nmodule y { @id(2) interface '
                                                 'i : z::base { @id(1) void f(); }; };',
                                        'c.idl': 'module z { @id(19) interface base { @id(9) '
                                                 'void h(); }; };'},
                                       "a.idl:3:3: error: interface id 19 of 'x::card' is also "
                                       "the id of 'z::base': every interface needs an id of its "
                                       'own (its labels and application error codes derive '
                                       'from it)'),
    'operation_id_collision': ({'a.idl': '@id(1) interface i {\n  @id(2) void f();\n'
                                         '  @id(2) void g();\n};'},
                               "a.idl:3:3: error: operation id 2 of 'g' collides with 'f' "
                               '(a.idl:2:15)'),
    'reserved_id_used': ({'a.idl': '@id(1) interface i {\n  reserved 3, 5..7;\n'
                                   '  @id(6) void f();\n};'},
                         "a.idl:3:3: error: operation 'f' uses reserved id 6"),
    'reserved_range_reversed': ({'a.idl': '@id(1) interface i { reserved 7..5; };'},
                                'a.idl:1:34: error: empty reserved range 7..5'),
    'unknown_annotation': ({'a.idl': '@id(1) @fast interface i { @id(1) void f(); };'},
                           "a.idl:1:8: error: unknown annotation '@fast'"),
    'duplicate_annotation': ({'a.idl': '@id(1) @id(2) interface i { @id(1) void f(); };'},
                             "a.idl:1:8: error: duplicate annotation '@id'"),
    'annotation_on_struct': ({'a.idl': '@id(1) struct s { uint8 a; };'},
                             "a.idl:1:1: error: annotation '@id' is not allowed on struct"),
    'fastpath_on_interface': ({'a.idl': '@id(1) @fastpath interface i { @id(1) void f(); };'},
                              "a.idl:1:8: error: annotation '@fastpath' is not allowed on "
                              'interface'),
    'id_without_value': ({'a.idl': '@id interface i { @id(1) void f(); };'},
                         "a.idl:1:1: error: '@id' needs a value: @id(N)"),
    'fastpath_with_value': ({'a.idl': '@id(1) interface i { @id(1) @fastpath(2) void f(); };'},
                            "a.idl:1:39: error: '@fastpath' takes no value"),
    'unknown_base': ({'a.idl': '@id(1) interface i : nothing { @id(1) void f(); };'},
                     "a.idl:1:22: error: unknown interface 'nothing'"),
    'base_not_interface': ({'a.idl': 'struct s { uint8 a; };\n@id(1) interface i : s { '
                                     '@id(1) void f(); };'},
                           "a.idl:2:22: error: 's' is a struct, not an interface"),
    'inheritance_cycle': ({'a.idl': '@id(1) interface i : j { @id(1) void f(); };\n'
                                    '@id(2) interface j : i { @id(1) void g(); };'},
                          "a.idl:2:22: error: interface inheritance cycle: 'j' inherits from "
                          "'i', which inherits from 'j'"),
    'inherited_name_clash': ({'a.idl': '@id(1) interface i { @id(1) void f(); };\n'
                                       '@id(2) interface j : i {\n  @id(1) void f();\n};'},
                             "a.idl:3:15: error: operation 'f' of 'j' clashes with 'f' of 'i' "
                             "in interface 'j'"),
    'oneway_out': ({'a.idl': '@id(1) interface i { @id(1) oneway void f(out uint8 a); };'},
                   "a.idl:1:53: error: oneway operation 'f' cannot have out parameter 'a'"),
    'oneway_return': ({'a.idl': '@id(1) interface i { @id(1) oneway uint8 f(); };'},
                      "a.idl:1:36: error: oneway operation 'f' cannot return a value"),
    'oneway_raises': ({'a.idl': 'enum e { X = 1 };\n@id(1) interface i { @id(1) oneway void '
                                'f() raises (e); };'},
                      "a.idl:2:53: error: oneway operation 'f' cannot raise errors"),
    'raises_not_enum': ({'a.idl': 'struct s { uint8 a; };\n@id(1) interface i { @id(1) void '
                                  'f() raises (s); };'},
                        "a.idl:2:46: error: raises needs an enum of error codes; 's' is a "
                        'struct'),
    'raises_unknown': ({'a.idl': '@id(1) interface i { @id(1) void f() raises (nope); };'},
                       "a.idl:1:46: error: unknown error type 'nope'"),
    'raises_zero_code': ({'a.idl': 'enum e { OK, BAD };\n@id(1) interface i raises (e) { '
                                   '@id(1) void f() raises (e); };'},
                         "a.idl:1:10: error: error code 'OK' = 0 of 'e' must be between 1 and "
                         "255 (0 means success; interface 'i' owns the codes "
                         '-0x0101..-0x01ff)'),
    'raises_code_too_big': ({'a.idl': 'enum e { A = 1, B = 256 };\n@id(2) interface i raises (e)'
                                      ' { @id(1) void f() raises (e); };'},
                            "a.idl:1:17: error: error code 'B' = 256 of 'e' must be between 1 "
                            "and 255 (0 means success; interface 'i' owns the codes "
                            '-0x0201..-0x02ff)'),
    'raises_unowned': ({'a.idl': 'enum e { A = 1 };\n@id(1) interface i { @id(1) void f() '
                                 'raises (e); };'},
                       "a.idl:2:46: error: enum 'e' lists no interface's errors: declare it as "
                       "the errors of its interface, 'interface i raises (e)', first"),
    'raises_twice': ({'a.idl': 'enum e { A = 1 };\n@id(1) interface i raises (e) { @id(1) void '
                               'f() raises (e, e); };'},
                     "a.idl:2:60: error: 'e' is named twice in the raises of 'f'"),
    'errors_owned_twice': ({'a.idl': 'enum e { A = 1 };\n@id(1) interface i raises (e) {\n'
                                     '@id(1) void f(); };\n@id(2) interface j raises (e) {\n'
                                     '@id(1) void g(); };'},
                           "a.idl:4:28: error: enum 'e' already lists the errors of interface "
                           "'i' (a.idl:2:18)"),
    'errors_not_enum': ({'a.idl': 'const uint8 c = 1;\n@id(1) interface i raises (c) { };'},
                        "a.idl:2:28: error: an interface's errors must be an enum; 'c' is a "
                        'const'),
    'errors_unknown': ({'a.idl': '@id(1) interface i raises (nope) { };'},
                       "a.idl:1:28: error: unknown error type 'nope'"),
    'errors_other_file': ({'a.idl': 'import "b.idl";\n@id(1) interface i raises (e) { };',
                           'b.idl': 'enum e { A = 1 };'},
                          "a.idl:2:28: error: enum 'e' is defined in b.idl: an interface's "
                          'errors must be defined in its own file'),
    'errors_syntax': ({'a.idl': 'enum e { A = 1 };\n@id(1) interface i raises e { };'},
                      "a.idl:2:27: error: expected '(', found 'e'"),
    'raises_list_syntax': ({'a.idl': 'enum e { A = 1 };\n@id(1) interface i raises (e) { '
                                     '@id(1) void f() raises (e,); };'},
                           "a.idl:2:59: error: expected a name, found ')'"),
    'result_clash': ({'a.idl': '@id(1) interface i { @id(1) uint8 f(out uint8 result); };'},
                     "a.idl:1:47: error: parameter 'result' clashes with the operation's "
                     'return value'),
    # C names
    'c_name_clash': ({'a.idl': 'module a { struct b_c { uint8 x; }; };\n'
                               'module a_b { struct c { uint8 y; }; };'},
                     "a.idl:2:21: error: struct 'c' and struct 'b_c' (a.idl:1:19) both become "
                     "'a_b_c' in C"),
    'operation_clashes_with_generated': ({'a.idl': '@id(1) interface i {\n'
                                                   '  @id(1) void dispatch();\n};'},
                                         "a.idl:2:15: error: operation 'dispatch' and "
                                         "interface 'i' (a.idl:1:18) both become 'i_dispatch' "
                                         'in C'),
    'const_clashes_with_enumerator': ({'a.idl': 'enum e { X };\nconst uint8 E_X = 1;'},
                                      "a.idl:2:13: error: constant 'E_X' and enumerator 'X' "
                                      "(a.idl:1:10) both become 'E_X' in C"),
    # message sizes
    'request_too_large': ({'a.idl': 'typedef uint32 big[65];\n@id(1) interface i {\n'
                                    '  @id(1) void f(in big b);\n};'},
                          "a.idl:3:15: error: request of 'f' needs up to 65 words, more than "
                          'the 64 of a message (L4_MSG_WORDS)'),
    'reply_too_large': ({'a.idl': '@id(1) interface i {\n  @id(1) void f(out sequence<uint64, '
                                  '32> s);\n};'},
                        "a.idl:2:15: error: reply of 'f' needs up to 65 words, more than the 64 "
                        'of a message (L4_MSG_WORDS)'),
    'fastpath_request': ({'a.idl': '@id(1) interface i {\n  @id(1) @fastpath void f(in '
                                   'string<29> s);\n};'},
                         "a.idl:2:25: error: @fastpath operation 'f': request needs up to 9 "
                         'words, more than the 8 message registers'),
    'fastpath_reply': ({'a.idl': '@id(1) interface i {\n  @id(1) @fastpath uint64 f(out '
                                 'uint64 a[4]);\n};'},
                       "a.idl:2:27: error: @fastpath operation 'f': reply needs up to 10 words, "
                       'more than the 8 message registers'),
    # imports
    'bad_import': ({'a.idl': 'import "missing.idl";'},
                   "a.idl:1:8: error: cannot find imported file 'missing.idl' (searched .)"),
    'import_cycle': ({'a.idl': 'import "b.idl";', 'b.idl': 'import "c.idl";',
                      'c.idl': 'import "a.idl";'},
                     'c.idl:1:8: error: import cycle: a.idl -> b.idl -> c.idl -> a.idl'),
    'import_self': ({'a.idl': 'import "a.idl";'},
                    'a.idl:1:8: error: import cycle: a.idl -> a.idl'),
    'error_in_import': ({'a.idl': 'import "b.idl";', 'b.idl': '\nstruct s { nope x; };'},
                        "b.idl:2:12: error: unknown type 'nope'"),
    'name_from_unimported_file': ({'a.idl': 'import "b.idl";\nimport "c.idl";',
                                   'b.idl': 'struct s { t x; };',
                                   'c.idl': 'struct t { uint8 y; };'},
                                  "b.idl:1:12: error: 't' is defined in c.idl, which b.idl does "
                                  'not import'),
    'duplicate_across_import': ({'a.idl': 'import "b.idl";\nmodule m { struct s { uint8 a; }; '
                                          '};',
                                 'b.idl': 'module m {\n  enum s { A };\n};'},
                                "a.idl:2:19: error: duplicate definition of 'm::s' (first "
                                'defined at b.idl:2:8)'),
}


def run_stubgen(files, extra=()):
    """Compile the first of `files` in a scratch directory; (status, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            with open(os.path.join(tmp, name), 'w', errors='surrogateescape') as f:
                f.write(text)
        cwd = os.getcwd()
        os.chdir(tmp)
        err = io.StringIO()
        try:
            with redirect_stderr(err):
                status = main([next(iter(files)), '-o', 'out', *extra])
        finally:
            os.chdir(cwd)
    return status, err.getvalue()


class BadIdl(unittest.TestCase):
    pass


def _make(files, expected):
    def test(self):
        status, err = run_stubgen(files)
        self.assertEqual(status, 1)
        self.assertEqual(err.split('\n')[0], expected)
        self.assertNotIn('Traceback', err)
    return test


for _name, (_files, _expected) in CASES.items():
    setattr(BadIdl, 'test_' + _name, _make(_files, _expected))


class Reporting(unittest.TestCase):
    def test_caret_under_the_spot(self):
        status, err = run_stubgen({'a.idl': 'module m {\n\tstruct s { frob a; };\n};'})
        self.assertEqual(status, 1)
        self.assertEqual(err, "a.idl:2:13: error: unknown type 'frob'\n"
                              ' struct s { frob a; };\n'
                              '            ^\n')

    def test_missing_semicolon_at_the_end_of_its_line(self):
        """Not at the next token: right after the last token of the unfinished line."""
        status, err = run_stubgen({'a.idl': 'module m {\n\tconst uint32 A = 0x10\n'
                                            '\tconst uint32 B = 2;\n};'})
        self.assertEqual(status, 1)
        self.assertEqual(err, "a.idl:2:23: error: expected ';' after '0x10', found 'const'\n"
                              ' const uint32 A = 0x10\n'
                              '                      ^\n')

    def test_interface_id_collision_notes_the_other(self):
        """Both interfaces are named: the error at the second @id, a note at the first."""
        status, err = run_stubgen({'a.idl': 'import "b.idl";\nmodule sim {\n'
                                            '\t@id(19) interface card { @id(1) void g(); };\n};',
                                   'b.idl': 'module phy {\n\t/** Lockstep. */\n'
                                            '\t@id(19) interface lockstep { @id(1) void f(); };\n'
                                            '};'})
        self.assertEqual(status, 1)
        self.assertEqual(err, "a.idl:3:2: error: interface id 19 of 'sim::card' is also the id "
                              "of 'phy::lockstep': every interface needs an id of its own (its "
                              'labels and application error codes derive from it)\n'
                              ' @id(19) interface card { @id(1) void g(); };\n'
                              ' ^\n'
                              "b.idl:3:2: note: 'phy::lockstep' takes interface id 19 here\n")
        self.assertNotIn('Traceback', err)

    def test_warning_format_and_success(self):
        status, err = run_stubgen({'a.idl': '@id(1) interface i { };'})
        self.assertEqual(status, 0)
        self.assertEqual(err, "a.idl:1:18: warning: interface 'i' has no operations\n"
                              '@id(1) interface i { };\n'
                              '                 ^\n')

    def test_unused_import_warning_only_for_the_compiled_file(self):
        status, err = run_stubgen({'a.idl': 'import "b.idl";\nimport "c.idl";\n'
                                            'struct s { c::t x; };',
                                   'b.idl': 'import "d.idl";\n@id(1) interface i { };',
                                   'c.idl': 'module c { struct t { uint8 y; }; };',
                                   'd.idl': ''})
        self.assertEqual(status, 0)
        self.assertEqual(err, "a.idl:1:8: warning: nothing from imported file 'b.idl' is used\n"
                              'import "b.idl";\n'
                              '       ^\n')

    def test_import_used_through_its_imports(self):
        status, err = run_stubgen({'a.idl': 'import "b.idl";\nstruct s { t x; };',
                                   'b.idl': 'import "c.idl";',
                                   'c.idl': 'struct t { uint8 y; };'})
        self.assertEqual((status, err), (0, ''))

    def test_invalid_utf8(self):
        status, err = run_stubgen({'a.idl': 'module m {\n  // caf\udce9\n};'})
        self.assertEqual(status, 1)
        self.assertEqual(err.split('\n')[0], 'a.idl:2:9: error: invalid UTF-8 byte 0xe9')

    def test_unwritable_output(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'a.idl')
            with open(path, 'w') as f:
                f.write('struct s { uint8 a; };')
            with open(os.path.join(tmp, 'file'), 'w'):
                pass
            err = io.StringIO()
            with redirect_stderr(err):
                status = main([path, '-o', os.path.join(tmp, 'file', 'sub')])
            self.assertEqual(status, 1)
            self.assertIn('stubgen: error: cannot write', err.getvalue())

    def test_kinds_and_deps(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in (('a.idl', 'import "b.idl";\nstruct s { t x; };'),
                               ('b.idl', 'struct t { uint8 y; };')):
                with open(os.path.join(tmp, name), 'w') as f:
                    f.write(text)
            a = os.path.join(tmp, 'a.idl')
            self.assertEqual(main([a, '--types', '--server', '-o', tmp]), 0)
            self.assertEqual(sorted(f for f in os.listdir(tmp) if not f.endswith('.idl')),
                             ['a.h', 'a_server.c'])
            out = io.StringIO()
            with redirect_stdout(out):
                self.assertEqual(main([a, '--deps']), 0)
            self.assertEqual(out.getvalue().strip().split('\n')[-1][-5:], 'b.idl')

    def test_missing_input_file(self):
        err = io.StringIO()
        with redirect_stderr(err):
            status = main(['nope.idl', '--check'])
        err = err.getvalue()
        self.assertEqual(status, 1)
        self.assertIn('stubgen: error: cannot read nope.idl', err)

    def test_include_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, 'inc'))
            with open(os.path.join(tmp, 'inc', 'b.idl'), 'w') as f:
                f.write('struct t { uint8 a; };')
            with open(os.path.join(tmp, 'a.idl'), 'w') as f:
                f.write('import "b.idl";\nstruct s { t x; };')
            err = io.StringIO()
            with redirect_stderr(err):
                self.assertEqual(main([os.path.join(tmp, 'a.idl'), '--check', '-I',
                                       os.path.join(tmp, 'inc')]), 0)
            with redirect_stderr(err):
                self.assertEqual(main([os.path.join(tmp, 'a.idl'), '--check']), 1)

    def test_command_line_exit_status_no_traceback(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'a.idl')
            with open(path, 'w') as f:
                f.write('struct s { sequence<uint8> a; };')
            p = subprocess.run([sys.executable, '-m', 'stubgen', path, '--out', tmp],
                               cwd=ROOT, capture_output=True, text=True)
            self.assertEqual(p.returncode, 1)
            self.assertIn(':1:26: error: unbounded sequence', p.stderr)
            self.assertNotIn('Traceback', p.stderr)
            p = subprocess.run([sys.executable, '-m', 'stubgen', '--help'], cwd=ROOT,
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0)
            self.assertIn('--collocated', p.stdout)


if __name__ == '__main__':
    unittest.main()
