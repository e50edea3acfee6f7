# SPDX-License-Identifier: BSD-2-Clause
"""Determinism and fault containment of a whole firmware run: the fault-injection build
(RRC faults once after connecting and is restarted; every task probes every capability
slot at start) driven twice through the same scripted cell session (test_modem.py) gives
the same answers, DONE cycle counts included, and the same console byte for byte, cycle
table included; the table adds up.

    L4E_IMAGE=build/target/tests/system/chaos/image.elf [L4E_QEMU=qemu-system-arm]"""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_modem  # noqa: E402


def session():
    """One run of the modem session; its transcript of answers and its console."""
    t = test_modem.ModemTest('test_random_access_harq_and_uplink_data')
    result = unittest.TestResult()
    t.run(result)
    problems = result.failures + result.errors
    if problems:
        raise AssertionError(problems[0][1])
    return t.transcript, t.console


def work(console):
    """The console without what measures time rather than work: idle, total, shares."""
    console = re.sub(r'(?m)^  (idle|total) .*$', '', console)
    # The profile's idle row and sleep lengths are that time too; the threads' rows are work.
    console = re.sub(r'(?m)^profile: (thread 0 idle|sleeps) .*$', '', console)
    # QEMU's own warnings come on stderr, which lands in the console where it may.
    console = re.sub(r'qemu-system-arm: warning: [^\n]*\n', '', console)
    return re.sub(r'(?m)^(  \S+ +\d+) +\d+\.\d%$', r'\1', console)


class DeterminismTest(unittest.TestCase):
    def test_two_runs_same_answers_cycles_and_console(self):
        first, second = session(), session()
        transcript, console = first
        # Fault containment: RRC's fault is caught, reported and restarted; the stack ran on.
        self.assertRegex(console, r'(?m)^supervisor: fault task=rrc')
        self.assertRegex(console, r'(?m)^supervisor: restarted task=rrc')
        # Capability enforcement on the real system: each task reaches exactly its uses.
        for task in ('log', 'timer', 'rlc', 'mac', 'pdcp', 'hostif', 'rrc'):
            self.assertRegex(console, rf'(?m)^supervisor: probe ok task={task} ')
        self.assertNotRegex(console, r'(?m)^supervisor: probe:')
        # The cycle table adds up: tasks and idle make the total; threads make their task.
        rows = dict(re.findall(r'^  (\S+) +(\d+) +\d+\.\d%$', console, re.M))
        self.assertIn('total', rows, console[-3000:])
        tasks = [n for n in rows if '/' not in n and n != 'total']
        self.assertIn('idle', tasks)
        self.assertEqual(sum(int(rows[n]) for n in tasks), int(rows['total']))
        for t in tasks:
            parts = [int(v) for n, v in rows.items() if n.startswith(t + '/')]
            if parts:
                self.assertEqual(sum(parts), int(rows[t]), t)
        # The same inputs: the same answers (DONE's cycle counts included) and console,
        # every thread's cycles included. Not the idle and total rows: they are time, and
        # QEMU warps its clock while the CPU waits for the simulator (docs/modem.md).
        self.assertEqual(first[0], second[0])
        self.assertEqual(work(first[1]), work(second[1]))


if __name__ == '__main__':
    unittest.main()
