# SPDX-License-Identifier: BSD-2-Clause
"""The documentation stands alone: no pointer to files the repository does not contain or
to notes a user never sees, every document it names exists, and every exit status the
code can end a run with is in the table of docs/debugging.md."""

import os
import re
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SKIP = {'build', '.git', '__pycache__'}


def markdown():
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP]
        for f in files:
            if f.endswith('.md'):
                path = os.path.join(top, f)
                with open(path, encoding='utf-8') as fh:
                    yield os.path.relpath(path, ROOT), fh.read()


def read(rel):
    with open(os.path.join(ROOT, rel), encoding='utf-8') as f:
        return f.read()


class StandAlone(unittest.TestCase):
    def test_no_pointers_outside_the_repository(self):
        bad = re.compile(r'DESIGN\.md|\bissues?\b|/work/', re.I)
        found = [f'{path}:{text[:m.start()].count(chr(10)) + 1}: {m.group(0)}'
                 for path, text in markdown() for m in bad.finditer(text)]
        self.assertEqual(found, [])

    def test_named_documents_exist(self):
        ref = re.compile(r'`((?:[a-z_]+/)*(?:docs/[a-z_-]+|README)\.md)`')
        missing = []
        for path, text in markdown():
            for m in ref.finditer(text):
                if not os.path.exists(os.path.join(ROOT, m.group(1))):
                    missing.append(f'{path}: {m.group(1)}')
        self.assertEqual(missing, [])

    def test_architecture_overview(self):
        text = read('docs/architecture.md')
        for heading in ('## Machine', '## The modem system', '## Time'):
            self.assertIn(heading, text)
        self.assertIn('```', text)  # the diagrams
        self.assertIn('docs/architecture.md', read('README.md'))


class ExitStatuses(unittest.TestCase):
    """Every status the code ends a run with, found in the code, is documented."""

    def statuses(self):
        found = {}
        for rel, pattern in (('kernel/include/panic.h', r'#define (PANIC_EXIT_STATUS)\s+(\d+)'),
                             ('tasks/supervisor/main.c', r'#define (EXIT_\w+)\s+(\d+)')):
            for name, value in re.findall(pattern, read(rel)):
                found[int(value)] = f'{rel}: {name}'
        for rel in ('tools/qemu.py', 'tools/fwload'):
            for value in re.findall(r'\breturn (\d+)\b', read(rel)):
                found.setdefault(int(value), f'{rel}: return {value}')
        return found

    def test_every_status_is_in_the_table(self):
        text = read('docs/debugging.md')
        table = text[text.index('## Exit statuses'):]
        table = table[:table.index('\n## ')]
        documented = {int(n) for n in re.findall(r'^\| (\d+) \|', table, re.M)}
        found = self.statuses()
        self.assertGreaterEqual(set(found), {3, 4, 5, 124, 130})
        self.assertEqual({n: w for n, w in found.items() if n not in documented}, {})


if __name__ == '__main__':
    unittest.main()
