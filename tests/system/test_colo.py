# SPDX-License-Identifier: BSD-2-Clause
"""The collocated build (build/modem-colo.fw: radio, mac, rlc and pdcp linked into one task,
their interfaces to each other direct calls; tasks/README.md, docs/performance.md) against
the multi-server blob on the simulated cell's default scenario (short version): every KPI
the same (bytes per flow and direction, integrity, loss, duplicates, corruption, latency
and RTT percentiles, HARQ and RLC retransmissions, random access), only the cycles differ,
and fewer of them and fewer messages in the collocated build. Its console shows the one
merged task and the threads it keeps.

    L4E_SIM=build/host/sim/l4e-sim L4E_FW=build/modem.fw L4E_FW_COLO=build/modem-colo.fw
    L4E_FW_PUB=build/keys/dev.pub"""

import json
import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'build', 'sim-colo-test')
SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
FW = os.environ.get('L4E_FW', os.path.join(ROOT, 'build', 'modem.fw'))
FW_COLO = os.environ.get('L4E_FW_COLO', os.path.join(ROOT, 'build', 'modem-colo.fw'))
PUB = os.environ.get('L4E_FW_PUB', os.path.join(ROOT, 'build', 'keys', 'dev.pub'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')

# What collocation may change: the firmware's cycles (and so nothing else).
CYCLES = {'cycles_p50', 'cycles_p99', 'cycles_max', 'cycles_sum'}


def run(name, fw):
    out = os.path.join(OUT, name)
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--short',
           '--no-progress', '--sim', SIM, '--fw', fw, '--key', PUB, '--qemu', QEMU,
           '--out', out, '--check', 'default']
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if p.returncode:
        raise AssertionError(f'{name}: tools/sim exited {p.returncode}:\n'
                             f'{(p.stdout + p.stderr)[-3000:]}')
    with open(os.path.join(out, 'kpi.json')) as f:
        kpi = json.load(f)
    with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
        console = f.read()
    return kpi, console


def counters(console):
    m = re.search(r'(?m)^supervisor: kernel (.*)$', console)
    assert m, 'no kernel counters on the console'
    return {a: int(b) for a, b in re.findall(r'(\w+)=(\d+)', m.group(1))}


class Colo(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.multi, cls.multi_console = run('multi', FW)
        cls.colo, cls.colo_console = run('colo', FW_COLO)

    def test_same_kpis(self):
        a, b = self.multi['ues'][0], self.colo['ues'][0]
        # Cycles by task name their tasks: four of them are one in the collocated build.
        by_task = {k for k in set(a) | set(b) if re.match(r'task_.+_cycles_', k)}
        self.assertEqual(set(a) - by_task, set(b) - by_task)
        self.assertIn('task_colo_cycles_p50', b)
        self.assertIn('task_mac_cycles_p50', a)
        for key in sorted(set(a) - CYCLES - by_task):
            self.assertEqual(a[key], b[key], f'KPI {key}: multi-server {a[key]}, '
                                             f'collocated {b[key]}')
        self.assertEqual(self.multi['flows'], self.colo['flows'])
        self.assertEqual(self.multi['run'], self.colo['run'])
        self.assertEqual(self.multi['status'], self.colo['status'])
        self.assertGreater(a['dl_rx_bytes'], 1000000)  # the run carried traffic
        self.assertGreater(a['ul_rx_bytes'], 100000)
        self.assertTrue(a['integrity_ok'])

    def test_fewer_cycles_and_messages(self):
        a, b = self.multi['ues'][0], self.colo['ues'][0]
        self.assertGreater(b['cycles_sum'], 0)
        self.assertLess(b['cycles_sum'], a['cycles_sum'])
        km, kc = counters(self.multi_console), counters(self.colo_console)
        # Everything between the four tasks is a function call now.
        self.assertLess(kc['ipc'] * 3, km['ipc'])
        self.assertLess(kc['switches'], km['switches'])
        self.assertEqual(kc['irqs'], km['irqs'])  # the same events from the links

    def test_one_task_with_its_event_threads(self):
        rows = re.findall(r'(?m)^  ([a-z_/]+) +\d+ +\d+\.\d%$', self.colo_console)
        tasks = {r for r in rows if '/' not in r}
        for gone in ('radio', 'mac', 'rlc', 'pdcp'):
            self.assertNotIn(gone, tasks)
        self.assertIn('colo', tasks)
        threads = {r.split('/')[1] for r in rows if r.startswith('colo/')}
        # The radio's interrupt thread, the servers other tasks call over IPC, and the
        # thread that bound the rest.
        self.assertEqual(threads, {'radio_rx', 'radio_step', 'rlc_tx', 'mac_ctrl', 'mac_drx',
                                   'pdcp_tx', 'colo_init'})
        self.assertNotIn('fault task=', self.colo_console)  # no thread faulted


if __name__ == '__main__':
    unittest.main()
