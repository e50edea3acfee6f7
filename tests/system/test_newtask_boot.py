# SPDX-License-Identifier: BSD-2-Clause
"""The new-task workflow of tasks/README.md, end to end in a scratch copy of the tree:
tools/newtask creates a task, a second new task calls it, scons builds the firmware,
and the booted system shows the answer."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import qemu  # noqa: E402

CALLER = '''\
/* SPDX-License-Identifier: BSD-2-Clause */
/* Calls hello::api once at start and prints what came back. */
#include <l4/syscall.h>
#include <stdint.h>

#include "hello.h"
#include "sys_caller.h"

void caller_main(uint32_t arg);

void caller_main(uint32_t arg)
{
	uint32_t reply = 0;
	int rc = hello_api_ping(SYS_CAP_USES_HELLO_API, 0x1234u, &reply);

	(void)arg;
	l4_debug_puts(rc == 0 && reply == ~0x1234u ? "caller: hello answered\\n"
						   : "caller: hello did not answer\\n");
}
'''


def run(cmd, cwd, timeout):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


class NewTaskBootTest(unittest.TestCase):
    def test_new_task_builds_boots_and_answers(self):
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, 'l4e')
            shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
                'build', '.git', '__pycache__', '.sconsign.dblite'))
            for name in ('hello', 'caller'):
                r = run([sys.executable, 'tools/newtask', name], tree, 120)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            # The tutorial's "call" step: caller uses hello::api from a thread of its own.
            toml = os.path.join(tree, 'tasks', 'system.toml')
            with open(toml) as f:
                text = f.read()
            text, n = re.subn(r'(provides = \["caller::api"\]\n)',
                              r'\1uses = ["hello::api"]\n', text)
            self.assertEqual(n, 1, 'the new [[task]] entry is not where the README says')
            text += ('  [[task.thread]]\n  name = "main"\n  entry = "caller_main"\n')
            with open(toml, 'w') as f:
                f.write(text)
            with open(os.path.join(tree, 'tasks', 'caller', 'main.c'), 'w') as f:
                f.write(CALLER)
            r = run(['scons', '-Q', '-j2', 'build/target/modem.elf'], tree, 900)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            image = os.path.join(tree, 'build', 'target', 'modem.elf')
            r = run(qemu.cmdline(image), tree, 120)
            self.assertIn('caller: hello answered', r.stdout, r.stdout[-3000:])
            self.assertIn('supervisor: system up', r.stdout)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:])


if __name__ == '__main__':
    unittest.main()
