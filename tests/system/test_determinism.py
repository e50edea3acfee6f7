# SPDX-License-Identifier: BSD-2-Clause
"""Determinism of a whole firmware run: the fault-injection system (faults, watchdog,
restarts, the timer check, a log burst, 20 frames) booted twice under icount prints the
same console, byte for byte, cycle table included; the log shows every record once and in
order.

    L4E_IMAGE=build/target/tests/system/chaos/image.elf [L4E_QEMU=qemu-system-arm]"""

import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import qemu  # noqa: E402

TIMEOUT = int(os.environ.get('L4E_TEST_TIMEOUT', '60'))


def boot(image):
    cmd = qemu.cmdline(image, os.environ.get('L4E_QEMU', 'qemu-system-arm'))
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                       stdin=subprocess.DEVNULL)
    return r.returncode, r.stdout


class DeterminismTest(unittest.TestCase):
    def test_two_runs_print_the_same_console_and_cycle_table(self):
        image = os.environ['L4E_IMAGE']
        first, second = boot(image), boot(image)
        self.assertEqual(first[0], 0, first[1][-3000:])
        # The table is there and adds up: every thread, idle, the total.
        rows = dict(re.findall(r'^  (\S+) +(\d+) +\d+\.\d%$', first[1], re.M))
        self.assertIn('total', rows, first[1][-3000:])
        tasks = [n for n in rows if '/' not in n and n != 'total']
        self.assertIn('idle', tasks)
        self.assertIn('rrc/(restarted)', rows)
        self.assertEqual(sum(int(rows[n]) for n in tasks), int(rows['total']))
        for t in tasks:
            parts = [int(v) for n, v in rows.items() if n.startswith(t + '/')]
            if parts:
                self.assertEqual(sum(parts), int(rows[t]), t)
        # The log task printed every record once, in order: sequence numbers 0, 1, 2, ...
        # (rrc logs a burst of 100, more than the log ring holds).
        seqs = [int(n) for n in re.findall(r'^\[\d+ ms\] #(\d+) ', first[1], re.M)]
        self.assertGreater(len(seqs), 100)
        self.assertEqual(seqs, list(range(len(seqs))))
        self.assertIn('rrc debug: rrc: log burst 99\n', first[1])
        self.assertEqual(first, second)


if __name__ == '__main__':
    unittest.main()
