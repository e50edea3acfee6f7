# SPDX-License-Identifier: BSD-2-Clause
"""docs/errors.md lists every error code as the code defines it; the ranges of the parts
(kernel, stubs, protocols, simulator, each interface's application errors) never overlap."""

import importlib.machinery
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TOOL = os.path.join(ROOT, 'tools', 'errors')


def load_tool():
    loader = importlib.machinery.SourceFileLoader('l4e_errors_tool', TOOL)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class ErrorTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tool = load_tool()
        cls.problems = []
        cls.codes = cls.tool.c_codes(cls.problems) + cls.tool.idl_codes(cls.problems)

    def test_doc_table_is_current(self):
        p = subprocess.run([sys.executable, TOOL, '--check', 'docs/errors.md'], cwd=ROOT,
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_ranges_and_codes_never_overlap(self):
        problems = list(self.problems)
        self.tool.check(self.codes, problems)
        self.assertEqual(problems, [])
        values = [c.value for c in self.codes]
        self.assertEqual(len(values), len(set(values)))
        self.assertTrue(all(v < 0 for v in values))
        parts = {c.part.split(' (')[0] for c in self.codes}
        self.assertTrue({'kernel', 'stubs', 'protocols', 'host simulator'} <= parts, parts)
        self.assertTrue(any(c.name.startswith('RLC_ERROR_') for c in self.codes))

    def test_every_code_in_its_range(self):
        spans = {part: (lo, hi) for part, lo, hi, *_ in self.tool.RANGES}
        for c in self.codes:
            lo, hi = spans.get(c.part, self.tool.APP_RANGE)
            self.assertTrue(lo <= c.value <= hi, f'{c.name} = {c.value} in {c.part}')
            if c.part not in spans:  # -(interface id << 8 | n), n in 1..255
                iid = int(re.search(r'interface (\d+)', c.part).group(1))
                self.assertEqual(-c.value >> 8, iid, c.name)

    def test_overlaps_are_found(self):
        code = self.codes[0]
        twin = self.tool.Code(code.value, 'OTHER', code.part, 'x', 'x.h:3')
        problems = []
        self.tool.check([code, twin], problems)
        self.assertEqual(problems, [f"x.h:3: error: OTHER and {code.name} ({code.where}) are "
                                    f'both {code.value}'])
        saved = self.tool.RANGES
        try:
            self.tool.RANGES = saved + [('extra', -40, -33, 'x.h', '', 1)]
            problems = []
            self.tool.check([], problems)
            self.assertIn('tools/errors:1: error: the ranges of stubs (IPC transport) and extra '
                          'overlap', problems)
        finally:
            self.tool.RANGES = saved

    def test_interface_id_shared_across_files_is_found(self):
        """Each IDL file compiles alone; two of them giving one id to two interfaces is
        still found, also when neither declares errors yet (their ranges would overlap)."""
        saved = self.tool.ROOT
        with tempfile.TemporaryDirectory() as tmp:
            os.mkdir(os.path.join(tmp, 'idl'))
            for name, text in (('phy.idl', 'module phy {\n\t@id(19) interface lockstep '
                                           '{ @id(1) void f(); };\n};\n'),
                               ('sim.idl', 'module sim {\n\t/** The card. */\n\t@id(19) '
                                           'interface card { @id(1) void g(); };\n};\n')):
                with open(os.path.join(tmp, 'idl', name), 'w') as f:
                    f.write(text)
            try:
                self.tool.ROOT = tmp
                problems = []
                self.assertEqual(self.tool.idl_codes(problems), [])
            finally:
                self.tool.ROOT = saved
        self.assertEqual(problems, [
            "idl/sim.idl:3:2: error: interface id 19 of 'sim::card' is also the id of "
            "'phy::lockstep': every interface needs an id of its own (its labels and "
            'application error codes derive from it)\n'
            "idl/phy.idl:2:2: note: 'phy::lockstep' takes interface id 19 here"])

    def test_stub_header_names_the_same_ranges(self):
        with open(os.path.join(ROOT, 'stubgen/include/l4e/stub.h')) as f:
            text = f.read()
        mins = {m: int(v) for m, v in re.findall(r'#define L4E_ERR_(\w+)_MIN\s+\((-\d+)\)', text)}
        lows = [lo for _, lo, *_ in self.tool.RANGES]
        self.assertEqual(sorted(mins.values(), reverse=True), lows)


if __name__ == '__main__':
    unittest.main()
