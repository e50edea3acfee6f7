# SPDX-License-Identifier: BSD-2-Clause
"""Connected-mode DRX end to end (docs/modem.md, Sleep): the firmware against the simulated
cell with `[drx]` configured. The simulator's drx.csv has a row per subframe: whether the UE
saw it (the firmware asked for it with DONE's wake_at), whether the eNB held the UE in DRX
Active Time (it runs the UE's DRX from the network side and schedules only inside it),
whether a host-link message woke the UE, and the DL TBs it got.

- keepalive_drx: the UE sees every subframe of its Active Time and sleeps in every other
  one, except those a host-link message or the firmware's own timer (the supervisor's
  watchdog tick, every 500 ms of radio time) woke it for; the echo flow is intact; the run
  is deterministic (two runs, the same bytes);
- drx_dl: each DL packet the network sends while the UE sleeps goes out in the first
  subframe of the UE's next Active Time, within one long DRX cycle;
- keepalive without [drx]: the UE never sleeps (the baseline).

    L4E_SIM=build/host/sim/l4e-sim L4E_FW=build/modem.fw L4E_FW_PUB=build/keys/dev.pub"""

import csv
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'build', 'sim-drx-test')
SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
FW = os.environ.get('L4E_FW', os.path.join(ROOT, 'build', 'modem.fw'))
PUB = os.environ.get('L4E_FW_PUB', os.path.join(ROOT, 'build', 'keys', 'dev.pub'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')
WATCHDOG_TICK = 500  # tasks/system.toml: half the shortest heartbeat period (1000 ms)
LONG_CYCLE = 320     # sim/scenarios/keepalive_drx.toml and drx_dl.toml


def run(scenario, tag):
    out = os.path.join(OUT, f'{scenario}-{tag}')
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--short',
           '--no-progress', '--sim', SIM, '--fw', FW, '--key', PUB, '--qemu', QEMU,
           '--out', out, '--check', scenario]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return p, out


def load(out):
    with open(os.path.join(out, 'kpi.json')) as f:
        kpi = json.load(f)
    rows = []
    if os.path.exists(os.path.join(out, 'drx.csv')):
        with open(os.path.join(out, 'drx.csv')) as f:
            rows = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(f)]
    return kpi, rows


class KeepaliveDrx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p, cls.out = run('keepalive_drx', 'a')
        cls.p2, cls.out2 = run('keepalive_drx', 'b')

    def setUp(self):
        self.assertEqual(self.p.returncode, 0, (self.p.stdout + self.p.stderr)[-3000:])
        self.kpi, self.rows = load(self.out)

    def test_sees_every_active_subframe(self):
        self.assertEqual(len(self.rows), 2300)
        missed = [r['subframe'] for r in self.rows if r['active'] and not r['seen']]
        self.assertEqual(missed, [])

    def test_sleeps_in_every_other_subframe(self):
        awake = [r for r in self.rows if r['seen'] and not r['active']]
        unexplained = [r['subframe'] for r in awake
                       if not r['host'] and r['subframe'] % WATCHDOG_TICK]
        self.assertEqual(unexplained, [])
        # A host-link message (the echo request) always finds it awake.
        host = [r for r in self.rows if r['host']]
        self.assertEqual(len(host), self.kpi['flows'][0]['tx_packets'])
        self.assertTrue(all(r['seen'] for r in host), host)
        self.assertGreater(self.kpi['ues'][0]['asleep_share'], 0.8)
        # Asleep: no DL message, nothing scheduled.
        self.assertEqual(sum(r['dl_tbs'] for r in self.rows if not r['seen']), 0)

    def test_echo_intact(self):
        ue = self.kpi['ues'][0]
        self.assertEqual(ue['integrity_ok'], 1)
        self.assertEqual(ue['echo_samples'], self.kpi['flows'][0]['tx_packets'])
        self.assertIn('check: keepalive_drx: ok', self.p.stdout)

    def test_deterministic(self):
        self.assertEqual(self.p2.returncode, 0, (self.p2.stdout + self.p2.stderr)[-3000:])
        for name in ('kpi.json', 'drx.csv', 'enb.pcap', 'ue.pcap'):
            with open(os.path.join(self.out, name), 'rb') as a, \
                    open(os.path.join(self.out2, name), 'rb') as b:
                self.assertEqual(a.read(), b.read(), name)


class DrxDownlink(unittest.TestCase):
    def test_packet_during_sleep_delivered_by_next_on_duration(self):
        p, out = run('drx_dl', 'a')
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        kpi, rows = load(out)
        flow = kpi['flows'][0]
        self.assertEqual(flow['rx_packets'], flow['tx_packets'])
        # The requests leave the network at 150 + 700 k ms (drx_dl.toml).
        sent = [150 + 700 * k for k in range(flow['tx_packets'])]
        self.assertGreaterEqual(len(sent), 3)
        for t in sent:
            asleep = [r for r in rows if r['subframe'] == t][0]
            first = next(r for r in rows if r['subframe'] >= t and r['seen'] and r['active'])
            self.assertEqual(asleep['seen'], 0, f'the UE sleeps when the packet at {t} comes')
            self.assertGreater(first['dl_tbs'], 0, f'packet at {t}: not sent at {first}')
            self.assertLessEqual(first['subframe'] - t, LONG_CYCLE)
        self.assertLessEqual(flow['latency_max_ms'], LONG_CYCLE)
        self.assertGreater(flow['latency_p50_ms'], 0)


class NoDrx(unittest.TestCase):
    def test_keepalive_never_sleeps(self):
        p, out = run('keepalive', 'a')
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        kpi, rows = load(out)
        self.assertEqual(rows, [])
        self.assertEqual(kpi['ues'][0]['asleep_share'], 0)


if __name__ == '__main__':
    unittest.main()
