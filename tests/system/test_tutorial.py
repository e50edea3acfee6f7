# SPDX-License-Identifier: BSD-2-Clause
"""The "Adding a task" tutorial of tasks/README.md, step by step in a scratch copy of the
tree, then the whole test suite in that copy: a user's new task must neither break the
build nor turn any test red.

The steps: tools/newtask creates `measurement`; its IDL gets a new operation and server.c
implements it; an existing task of the description (whichever is last) lists the interface
in `uses`, as the README says; a second new task, `meter`, calls it from a thread of its
own. Then `scons` builds (each warning printed once), the signed blob boots through
tools/fwload (the `scons run` path) and shows the answer, and `scons test` in the copy ends
with no failure. Nothing here names a task of the demo: the copy is whatever system the
tree describes."""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))
import sysgen  # noqa: E402

# Step 2: a new operation with a fresh @id.
OPERATION = '''
		/** The mean of `s`, rounded toward zero; BAD_ARG when `s` is empty. */
		@id(2) int32 average(in samples s) raises (error);
'''
TYPEDEF = '\ttypedef sequence<int32, 8> samples;\n'

# Step 4: its implementation in the server skeleton newtask wrote.
IMPL = '''
/* measurement::api average: the mean of the samples, rounded toward zero. */
static int measurement_average(void *ctx, l4_word_t badge, const struct measurement_samples *s,
			       int32_t *result)
{
	int32_t sum = 0;

	(void)ctx;
	(void)badge;
	if (s->len == 0)
		return MEASUREMENT_ERROR_BAD_ARG;
	for (uint32_t i = 0; i < s->len; i++)
		sum += s->data[i];
	*result = sum / (int32_t)s->len;
	return 0;
}
'''

# Mistakes a runtime reports: a call through a slot holding no endpoint (twice: reported
# once), and a server whose ops table lacks an operation (named when it starts serving).
WRONG_SLOT = '''
	measurement_api_average(SYS_SLOT_NTFN, &s, &avg);
	measurement_api_average(SYS_SLOT_NTFN, &s, &avg);
'''

# Step 5: a caller, from a thread of a task of its own.
CALLER = '''\
/* SPDX-License-Identifier: BSD-2-Clause */
/* Calls measurement::api once at start and prints what came back. */
#include <l4/syscall.h>
#include <l4e/sysinfo.h>
#include <stdint.h>

#include "measurement.h"
#include "sys_meter.h"

void meter_main(uint32_t arg);

void meter_main(uint32_t arg)
{
	struct measurement_samples s = {.len = 3, .data = {-91, -89, -90}};
	int32_t avg = 0;
	int rc;

	(void)arg;
	/* (mistakes go here) */
	rc = measurement_api_average(SYS_CAP_USES_MEASUREMENT_API, &s, &avg);
	l4_debug_puts(rc == 0 && avg == -90 ? "meter: measurement answered\\n"
					    : "meter: measurement did not answer\\n");
}
'''


def run(cmd, cwd, timeout, env=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env)


def add_use(text, task, iface):
    """`text` with `iface` added to the `uses` of [[task]] `task` (a new `uses` line after
    its name when it has none)."""
    blocks = re.split(r'(?m)^(?=\[\[task\]\])', text)
    for i, b in enumerate(blocks):
        if not re.search(rf'(?m)^name\s*=\s*"{task}"', b):
            continue
        head = b.split('[[task.thread]]')[0]
        if re.search(r'(?m)^uses\s*=\s*\[', head):
            b = re.sub(r'(?m)^(uses\s*=\s*\[)', rf'\1"{iface}", ', b, count=1)
        else:
            b = re.sub(rf'(?m)^(name\s*=\s*"{task}"\n)', rf'\1uses = ["{iface}"]\n', b, count=1)
        blocks[i] = b
        return ''.join(blocks)
    raise AssertionError(f'no [[task]] {task}')


def boot_until(cmd, cwd, markers, timeout):
    """Run `cmd` until each of `markers` appeared in its output (then stop it); the
    output."""
    markers = [markers] if isinstance(markers, str) else list(markers)
    # Its own process group: stopping it stops the QEMU it started too.
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    out, deadline = [], time.monotonic() + timeout
    try:
        for line in proc.stdout:
            out.append(line)
            markers = [m for m in markers if m not in line]
            if not markers or time.monotonic() > deadline:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return ''.join(out)


class Tutorial(unittest.TestCase):
    def test_tutorial_then_the_suite(self):
        with tempfile.TemporaryDirectory() as tmp:
            tree = os.path.join(tmp, 'l4e')
            shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
                'build', '.git', '__pycache__', '.sconsign.dblite', 'custom.py'))
            toml = os.path.join(tree, 'tasks', 'system.toml')
            before = sysgen.load(toml, tree)
            top = max(th.priority for t in before.tasks for th in t.threads)

            # 1. Create it (at the top priority in use, so any task may call it).
            r = run([sys.executable, 'tools/newtask', 'measurement', '--priority', str(top)],
                    tree, 120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            # 2. Define the interface.
            idl = os.path.join(tree, 'tasks', 'measurement', 'measurement.idl')
            with open(idl) as f:
                text = f.read()
            text = text.replace('\t@id(', TYPEDEF + '\n\t@id(', 1)
            text = re.sub(r'(raises \(error\);\n)(\t\};)',
                          lambda m: m.group(1) + OPERATION + m.group(2), text, count=1)
            with open(idl, 'w') as f:
                f.write(text)
            # 4. Implement.
            server = os.path.join(tree, 'tasks', 'measurement', 'server.c')
            with open(server) as f:
                text = f.read()
            text = text.replace('\nstatic const struct measurement_api_ops', IMPL +
                                '\nstatic const struct measurement_api_ops', 1)
            text = text.replace('.ping = measurement_ping,',
                                '.ping = measurement_ping,\n\t.average = measurement_average,')
            with open(server, 'w') as f:
                f.write(text)
            server_text = text
            # 5. Call it: an existing task lists it in `uses`; a new task calls it.
            with open(toml) as f:
                text = f.read()
            text = add_use(text, before.tasks[-1].name, 'measurement::api')
            with open(toml, 'w') as f:
                f.write(text)
            r = run([sys.executable, 'tools/newtask', 'meter'], tree, 120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(toml) as f:
                text = add_use(f.read(), 'meter', 'measurement::api')
            text += '  [[task.thread]]\n  name = "main"\n  entry = "meter_main"\n'
            with open(toml, 'w') as f:
                f.write(text)
            with open(os.path.join(tree, 'tasks', 'meter', 'main.c'), 'w') as f:
                f.write(CALLER)
            r = run([sys.executable, 'tools/sysgen', '--toml', 'tasks/system.toml'], tree, 60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

            # 3. and 6. Build: every warning once (meter::api is used by no task).
            r = run(['scons', '-Q'], tree, 1200)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            warnings = [ln for ln in (r.stdout + r.stderr).splitlines() if 'warning:' in ln]
            self.assertEqual(warnings, ["tasks/system.toml:%d: warning: interface 'meter::api' "
                                        "of task 'meter' is used by no task" % (
                                            text.splitlines().index(
                                                'provides = ["meter::api"]') + 1)])
            # The blob boots the way `scons run` boots it; meter shows the answer.
            pub = [os.path.join(tree, 'build', 'keys', k) for k in ('signing.pub', 'dev.pub')]
            pub = next(p for p in pub if os.path.exists(p))
            out = boot_until([sys.executable, 'tools/fwload', '--key', pub, 'build/modem.fw'],
                             tree, 'meter: measurement', 120)
            self.assertIn('meter: measurement answered', out, out[-3000:])
            self.assertIn('supervisor: system up', out)

            # The whole suite in the copy (all but this test, which would recurse).
            env = dict(os.environ, L4E_IN_TUTORIAL='1')
            r = run(['scons', '-Q', 'test'], tree, 2400, env=env)
            tail = r.stdout[-4000:] + r.stderr[-2000:]
            m = re.search(r'^(\d+) passed, (\d+) failed$', r.stdout, re.M)
            self.assertTrue(m, tail)
            self.assertEqual((m.group(2), r.returncode), ('0', 0), tail)

            # DEBUG=1 (docs/debugging.md) builds the new task's code with -Og, not -O2.
            r = run(['scons', '-Q', '-n', 'DEBUG=1', 'VERBOSE=1',
                     'build/target/tasks/system/meter/meter.elf'], tree, 300)
            cc = [ln for ln in r.stdout.splitlines() if 'tasks/meter/main.c' in ln]
            self.assertTrue(cc, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertIn('-Og', cc[0].split())
            self.assertNotIn('-O2', cc[0].split())

            # A mistake in the new task: with -k each compile error is printed once,
            # though the task is built for the firmware and for the test variant.
            with open(server, 'a') as f:
                f.write('int measurement_broken(void);\n'
                        'int measurement_broken(void) { return undeclared_thing; }\n')
            r = run(['scons', '-Q', '-k'], tree, 600)
            self.assertNotEqual(r.returncode, 0)
            out = (r.stdout + r.stderr).splitlines()
            errors = [ln for ln in out
                      if re.match(r'^tasks/measurement/server\.c:\d+:\d+: error:', ln)]
            failed = [ln for ln in out if re.match(r'^scons: \*\*\* .*server\.o\]', ln)]
            self.assertTrue(errors, '\n'.join(out[-40:]))
            self.assertEqual((len(failed), len(set(errors))), (1, len(errors)),
                             '\n'.join(out[-40:]))

            # Mistakes the runtime reports: the ops table without `average`, and calls
            # through a slot that holds a notification, not an endpoint.
            text = server_text.replace('.ping = measurement_ping,\n\t.average = '
                                       'measurement_average,', '.ping = measurement_ping,')
            text = text.replace('\n/* measurement::api average', '\n__attribute__((unused))\n'
                                '/* measurement::api average', 1)
            with open(server, 'w') as f:
                f.write(text)
            # measurement stops at its fault ("never" restarts), so meter runs after it.
            with open(toml) as f:
                desc = f.read()
            with open(toml, 'w') as f:
                f.write(desc.replace('name = "measurement"\n',
                                     'name = "measurement"\nrestart = "never"\n', 1))
            caller = os.path.join(tree, 'tasks', 'meter', 'main.c')
            with open(caller) as f:
                code = f.read()
            with open(caller, 'w') as f:
                f.write(code.replace('\t/* (mistakes go here) */\n', WRONG_SLOT.lstrip('\n')))
            r = run(['scons', '-Q', 'build/modem.fw', 'build/target/symbols.json'], tree, 600)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            missing = ("measurement: measurement::api operation 'average' is not implemented: "
                       "set .average in the server's ops table; the task stops")
            wrong = ('meter: call of measurement::api through slot 3 failed with error -7: the '
                     'slot holds no endpoint (pass SYS_CAP_USES_MEASUREMENT_API from '
                     'sys_meter.h)')
            out = boot_until([sys.executable, 'tools/fwload', '--key', pub, '--symbols',
                              'build/target/symbols.json', 'build/modem.fw'],
                             tree, [missing, wrong, 'supervisor: fault task=measurement'], 120)
            self.assertIn(missing, out, out[-3000:])
            self.assertEqual(out.count(wrong), 1, out[-3000:])
            # The fault that follows, labelled and symbolized on the host (scons run's path).
            self.assertRegex(out, re.compile(
                r'^supervisor: fault task=measurement thread=server kind=undefined-instruction '
                r'pc=0x[0-9a-f]{8} l4e_stub_missing_op\+0x[0-9a-f]+ '
                r'\(tasks/lib/src/stub_report\.c:\d+\)$', re.M), out[-3000:])


if __name__ == '__main__':
    unittest.main()
