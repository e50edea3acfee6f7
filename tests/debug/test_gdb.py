# SPDX-License-Identifier: BSD-2-Clause
"""Task-aware debugging (docs/debugging.md): gdb-multiarch, started the way `scons debug
TASK=<name>` starts it, runs a batch script that breaks on a thread entry of a task,
stops there in that task's address space (not in the supervisor or another task running
code at the same address), and reads the entry's argument.

The task is the last one of tasks/system.toml, whatever system it describes; the address
its entry has is shared with code of the others (every task is linked at 0x10000)."""

import os
import re
import socket
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))
import elf32  # noqa: E402
import qemu  # noqa: E402
import sysgen  # noqa: E402

IMAGE = os.environ.get('L4E_IMAGE', os.path.join(ROOT, 'build', 'target', 'modem.elf'))
MANIFEST = os.environ.get('L4E_SYMBOLS', os.path.join(ROOT, 'build', 'target', 'symbols.json'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')
GDB = os.environ.get('L4E_GDB', 'gdb-multiarch')

REPORT = '''python
f = gdb.selected_frame()
sal = f.find_sal()
print('L4E task=%s asid=%d pc=%#x r0=%d fn=%s file=%s' % (
    gdb.parse_and_eval('$l4e_task()').string(), int(gdb.parse_and_eval('$l4e_asid()')),
    int(f.pc()), int(gdb.parse_and_eval('$r0')) & 0xffffffff, f.name(),
    sal.symtab.filename if sal.symtab else '?'))
end
'''


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class TaskBreakpoint(unittest.TestCase):
    def test_break_in_task_and_read_argument(self):
        s = sysgen.load(os.path.join(ROOT, 'tasks', 'system.toml'), ROOT)
        task = s.tasks[-1]
        th = task.threads[-1]
        with open(MANIFEST) as f:
            elf = __import__('json').load(f)['tasks'][task.name]
        entry = elf32.symbols(elf)[th.entry].value
        port = free_port()
        proc = subprocess.Popen(qemu.cmdline(IMAGE, QEMU, gdb_port=port, halted=True),
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            with tempfile.NamedTemporaryFile('w', suffix='.gdb') as script:
                # The batch script: what a user types after `scons debug TASK=<name>`.
                script.write(f'break *{th.entry}\ncontinue\n{REPORT}info args\nbt 1\n'
                             'l4e-tasks\nkill\n')
                script.flush()
                cmd = [GDB, '-q', '-batch', '-nx', '-ex', 'set pagination off']
                for ex in qemu.gdb_commands(IMAGE, port, MANIFEST, task.name):
                    cmd += ['-ex', ex]
                r = subprocess.run(cmd + ['-x', script.name], capture_output=True, text=True,
                                   timeout=120, cwd=ROOT, stdin=subprocess.DEVNULL)
        finally:
            proc.kill()
            proc.wait()
        out = r.stdout + r.stderr
        m = re.search(r'^L4E task=(\S+) asid=(\d+) pc=(0x[0-9a-f]+) r0=(\d+) fn=(\S+) '
                      r'file=(\S+)$', out, re.M)
        self.assertTrue(m, out[-3000:])
        self.assertEqual(m.group(1), task.name, out[-3000:])
        self.assertGreater(int(m.group(2)), 1, 'the supervisor has ASID 1')
        self.assertEqual((int(m.group(3), 16), int(m.group(4)), m.group(5)),
                         (entry, th.arg, th.entry), out[-3000:])
        self.assertTrue(m.group(6).startswith(f'tasks/{task.name}/'), m.group(6))
        self.assertRegex(out, r'(?m)^arg = ')           # info args
        self.assertRegex(out, rf'(?m)^#0 .*\b{th.entry} \(arg=')  # bt 1
        self.assertRegex(out, rf'(?m)^\* {task.name} +asid {m.group(2)}$')  # l4e-tasks


if __name__ == '__main__':
    unittest.main()
