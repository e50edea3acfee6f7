# SPDX-License-Identifier: BSD-2-Clause
"""Every one-line mutation of the fixture description (a line deleted, a value replaced
by a value of another type or range) is either accepted or rejected with diagnostics
that point inside the file: never an exception of another kind."""

import re
import unittest

from fixture import TOML, Scratch

import sysgen  # noqa: E402  (site_scons, on the path through fixture)

VALUES = ['"x"', '-1', '0', '[]', '{}', 'true', '0x7fffffff', '["demo::a", "demo::a"]',
          '[{ pool = 1 }]']


def mutants():
    lines = TOML.split('\n')
    for i, line in enumerate(lines):
        yield f'delete line {i + 1}', '\n'.join(lines[:i] + lines[i + 1:])
        m = re.match(r'^(\s*[a-z_]+\s*=\s*)(.*)$', line)
        if m:
            for v in VALUES:
                yield (f'line {i + 1} = {v}',
                       '\n'.join(lines[:i] + [m.group(1) + v] + lines[i + 1:]))


class Mutations(unittest.TestCase):
    def test_no_crash(self):
        s = Scratch()
        self.addCleanup(s.close)
        nlines = TOML.count('\n') + 1
        count = 0
        for what, text in mutants():
            with open(s.toml, 'w') as f:
                f.write(text)
            try:
                s.load()
            except sysgen.SysgenError as e:
                self.assertTrue(e.diagnostics, what)
                for d in e.diagnostics:
                    self.assertTrue(1 <= d.line <= nlines, f'{what}: {d}')
                self.assertIn('error', [d.kind for d in e.diagnostics], what)
            count += 1
        self.assertGreater(count, 300)


if __name__ == '__main__':
    unittest.main()
