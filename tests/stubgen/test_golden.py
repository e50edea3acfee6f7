# SPDX-License-Identifier: BSD-2-Clause
"""stubgen: generated output of the representative IDL matches the reviewed golden files.

After an intended change of the output, review the diff and refresh the goldens with
    STUBGEN_UPDATE_GOLDEN=1 /usr/bin/python3 tests/lib/pyunit.py tests/stubgen test_golden.py
"""

import os
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, ROOT)

from stubgen.generate import outputs  # noqa: E402
from stubgen.model import Program  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
KINDS = ['types', 'client', 'server', 'collocated']


def generate(rel):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        prog = Program()
        unit = prog.load(rel)
        return outputs(prog, unit, KINDS), prog.diag.warnings
    finally:
        os.chdir(cwd)


class Golden(unittest.TestCase):
    def check(self, rel):
        files, warnings = generate(rel)
        self.assertEqual(warnings, [])
        for name, text in files.items():
            path = os.path.join(GOLDEN, name + '.golden')
            if os.environ.get('STUBGEN_UPDATE_GOLDEN'):
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(text)
            with open(path, encoding='utf-8') as f:
                self.assertEqual(text, f.read(), f'{name} differs from {path}')

    def test_shapes(self):
        self.check('idl/examples/shapes.idl')

    def test_base(self):
        self.check('idl/examples/base.idl')

    def test_deterministic(self):
        self.assertEqual(generate('idl/examples/shapes.idl'),
                         generate('idl/examples/shapes.idl'))

    def test_banner(self):
        files, _ = generate('idl/examples/shapes.idl')
        for name, text in files.items():
            self.assertIn('generated from idl/examples/shapes.idl by stubgen \u2014 do not edit',
                          text.split('\n')[1], name)


if __name__ == '__main__':
    unittest.main()
