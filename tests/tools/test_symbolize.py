# SPDX-License-Identifier: BSD-2-Clause
"""tools/symbolize.py: fault lines get function+offset and file:line from the right ELF,
other lines pass unchanged and at once; the kernel's fault report of a real run in QEMU
comes out symbolized through tools/qemu.py run --symbols."""

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))
import elf32  # noqa: E402
import symbolize  # noqa: E402
import sysgen  # noqa: E402

HARNESS = os.environ.get('L4E_HARNESS')
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')
MANIFEST = os.environ.get('L4E_SYMBOLS', os.path.join(ROOT, 'build', 'target', 'symbols.json'))


class SupervisorFaultLine(unittest.TestCase):
    """Every task of the system: a fault at its first thread's entry + 4 names that
    function, at +0x4, in a C file of the task's own folder."""

    def test_every_task_entry(self):
        if not os.path.exists(MANIFEST):
            self.skipTest(f'{MANIFEST}: not built')
        sym = symbolize.Symbolizer(MANIFEST)
        with open(MANIFEST) as f:
            tasks = json.load(f)['tasks']
        s = sysgen.load(os.path.join(ROOT, 'tasks', 'system.toml'), ROOT)
        self.assertEqual(sorted(tasks), sorted(t.name for t in s.tasks))
        for t in s.tasks:
            th = t.threads[0]
            entry = elf32.symbols(tasks[t.name])[th.entry].value
            line = (f'supervisor: fault task={t.name} thread={th.name} kind=data-abort '
                    f'addr=0x00000000 fsr=0x00000805 pc=0x{entry + 4:08x}')
            self.assertRegex(sym.line(line), rf'^ {th.entry}\+0x4 \(tasks/{t.name}/\S+\.c:\d+\)$',
                             t.name)

    def test_other_lines_unchanged(self):
        sym = symbolize.Symbolizer({'tasks': {}})
        for line in ('supervisor: system up system=x tasks=1',
                     'supervisor: fault task=nosuch thread=a kind=x pc=0x00010000', ''):
            self.assertEqual(sym.line(line), '')


class Stream(unittest.TestCase):
    def test_partial_lines_pass_at_once(self):
        class Fake(symbolize.Symbolizer):
            def line(self, text):
                return ' <here>' if text.endswith('pc=0x00010000') else ''

        out = io.BytesIO()
        f = symbolize.Filter(Fake({}), out)
        f.feed(b'prompt> ')
        self.assertEqual(out.getvalue(), b'prompt> ')
        f.feed(b'\nsupervisor: fault task=a pc=0x000')
        f.feed(b'10000\nnext')
        self.assertEqual(out.getvalue(), b'prompt> \nsupervisor: fault task=a pc=0x00010000'
                                         b' <here>\nnext')
        f.feed(b' pc=0x00010000\r')  # the text goes before the line's carriage return
        f.feed(b'\n')
        self.assertTrue(out.getvalue().endswith(b'next pc=0x00010000 <here>\r\n'))


@unittest.skipUnless(HARNESS, 'needs L4E_HARNESS (scons test sets it)')
class KernelFaultInQemu(unittest.TestCase):
    def test_root_task_fault_is_symbolized(self):
        """The harness image whose root task executes an undefined instruction in main():
        the kernel's report names main in tests/harness/cases.c."""
        with tempfile.TemporaryDirectory() as d:
            manifest = os.path.join(d, 'symbols.json')
            with open(manifest, 'w') as f:
                json.dump({'kernel': os.path.join(HARNESS, 'userfault.elf'),
                           'root': os.path.join(HARNESS, 'userfault_root.elf'), 'tasks': {}}, f)
            r = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'qemu.py'),
                                '--qemu', QEMU, 'run', os.path.join(HARNESS, 'userfault.elf'),
                                '--timeout', '60', '--symbols', manifest],
                               capture_output=True, text=True, timeout=90,
                               stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 3, r.stdout[-2000:])
        self.assertRegex(r.stdout, re.compile(
            r"^fault: thread 1 'root': undefined-instruction at pc [0-9a-f]{8}.* "
            r"\[pc main\+0x[0-9a-f]+ \(tests/harness/cases\.c:25\)\]\r?$", re.M))
        self.assertRegex(r.stdout, re.compile(
            r' sp  [0-9a-f]{8}  lr  [0-9a-f]{8}  pc  [0-9a-f]{8}  cpsr .*  \[pc main\+0x', re.M))


if __name__ == '__main__':
    unittest.main()
