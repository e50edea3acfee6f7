# SPDX-License-Identifier: BSD-2-Clause
"""The battery profiler end to end: `tools/profile --run` on a short idle scenario against
the trace firmware. The trace, decoded into a timeline, gives every thread exactly the
cycles the kernel's accounting charged it; trace.json is valid trace-event JSON;
report.html renders in headless Chromium without console errors; tools/profdiff passes a
profile against itself.

    L4E_SIM=build/host/sim/l4e-sim L4E_FW_TRACE=build/profile/modem-trace.fw
    L4E_FW_PUB=build/keys/dev.pub"""

import json
import os
import shutil
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tools'))

import profiling  # noqa: E402

OUT = os.path.join(ROOT, 'build', 'profile-test')
SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
FW = os.environ.get('L4E_FW_TRACE', os.path.join(ROOT, 'build', 'profile', 'modem-trace.fw'))
PUB = os.environ.get('L4E_FW_PUB', os.path.join(ROOT, 'build', 'keys', 'dev.pub'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')


class Profile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        shutil.rmtree(OUT, ignore_errors=True)
        cls.p = subprocess.run(
            [sys.executable, os.path.join(ROOT, 'tools', 'profile'), '--run', '--duration',
             '150', '--out', OUT, '--sim', SIM, '--fw', FW, '--key', PUB, '--qemu', QEMU,
             'idle'], capture_output=True, text=True, timeout=600)

    def setUp(self):
        self.assertEqual(self.p.returncode, 0, (self.p.stdout + self.p.stderr)[-3000:])

    def test_outputs(self):
        for f in ('table.txt', 'profile.json', 'profile.csv', 'cycles.png', 'sleeps.png',
                  'power.png', 'trace.json', 'report.html'):
            self.assertTrue(os.path.getsize(os.path.join(OUT, f)) > 0, f)
        with open(os.path.join(OUT, 'profile.json')) as f:
            p = json.load(f)
        self.assertEqual(p['window']['source'], 'trace')
        self.assertGreater(p['window']['subframes'], 50)
        self.assertGreater(p['energy']['total_mj'], 0)
        names = {t['name'] for t in p['threads']}
        self.assertTrue({'radio/rx', 'mac/ind', 'timer/clock'} <= names, names)

    def test_trace_slices_equal_the_accounting(self):
        with open(os.path.join(OUT, 'run', 'ue0.console'), errors='replace') as f:
            prof = profiling.parse_console(f.read())
        trace = prof['trace']
        self.assertEqual(trace['first'], 0, 'the ring overran: run a shorter scenario')
        evs, _, _ = profiling.timeline(trace['events'], 1_000_000)
        sums = {}
        for tid, _t0, _t1, r0, r1 in profiling.slices(evs):
            sums[tid] = sums.get(tid, 0) + r1 - r0
        checked = 0
        for t in prof['threads']:
            if t['id'] in (0, 1):  # idle (warped time), the supervisor (running at the dump)
                continue
            self.assertEqual(sums.get(t['id'], 0), t['cycles'], t['name'])
            checked += 1
        self.assertGreater(checked, 10)

    def test_chrome_trace_is_valid(self):
        with open(os.path.join(OUT, 'trace.json')) as f:
            doc = json.load(f)
        self.assertEqual(profiling.validate_chrome(doc), [])
        phases = {e['ph'] for e in doc['traceEvents']}
        self.assertTrue({'M', 'B', 'E', 's', 'f', 'X'} <= phases, phases)

    def test_report_renders_in_chromium(self):
        exe = shutil.which('chromium') or shutil.which('chromium-browser')
        if not exe:
            self.skipTest('chromium is not installed (tools/setup installs it)')
        url = 'file://' + os.path.join(OUT, 'report.html')
        r = subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu',
                            '--enable-logging=stderr', '--v=0', '--dump-dom', url],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0 and 'rendered' not in r.stdout:
            self.skipTest(f'chromium cannot start in this sandbox: {r.stderr.strip()[-300:]}')
        self.assertIn('data-rendered="1"', r.stdout)
        console = [line for line in r.stderr.splitlines() if ':CONSOLE' in line]
        self.assertEqual(console, [])

    def test_profdiff_of_a_profile_with_itself_passes(self):
        r = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'profdiff'), OUT, OUT],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == '__main__':
    unittest.main()
