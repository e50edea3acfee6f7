# SPDX-License-Identifier: BSD-2-Clause
"""stubgen templates: layout only: loops and conditionals over names the
Python side prepares, every file starts with the SPDX line and the generated banner."""

import os
import re
import unittest

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'stubgen',
                         'templates')
TAGS = re.compile(r'{%-?\s*(\w+)(.*?)-?%}')
EXPRS = re.compile(r'{{-?\s*(.*?)\s*-?}}')
NAME = re.compile(r'^(not\s+)?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$')
TEST = re.compile(r'^(not\s+)?[a-z_][a-z_0-9.]*( == \'[a-z_]+\')?$')  # a name, or name == 'word'


def templates():
    return sorted(f for f in os.listdir(TEMPLATES) if f.endswith('.j2'))


class Templates(unittest.TestCase):
    def test_only_loops_and_conditionals(self):
        for name in templates():
            text = open(os.path.join(TEMPLATES, name)).read()
            for kw, rest in TAGS.findall(text):
                self.assertIn(kw, ('for', 'endfor', 'if', 'elif', 'else', 'endif'),
                              f'{name}: {{% {kw}{rest} %}}')
                if kw == 'for':
                    self.assertRegex(rest.strip(), r'^[a-z_]+ in [a-z_][a-z_0-9.]*$', name)
                elif kw in ('if', 'elif'):
                    self.assertRegex(rest.strip(), TEST, f'{name}: {kw}{rest}')

    def test_expressions_are_plain_names(self):
        for name in templates():
            text = open(os.path.join(TEMPLATES, name)).read()
            for expr in EXPRS.findall(text):
                self.assertRegex(expr, NAME, f'{name}: {{{{ {expr} }}}}')

    def test_spdx_and_banner(self):
        for name in templates():
            lines = open(os.path.join(TEMPLATES, name)).read().split('\n')
            self.assertEqual(lines[0], '/* SPDX-License-Identifier: BSD-2-Clause */', name)
            self.assertEqual(lines[1], '/* {{ banner }} */', name)


if __name__ == '__main__':
    unittest.main()
