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
- keepalive without [drx]: the UE never sleeps (the baseline);
- idle_paging: the UE starts idle and sees only its paging occasions (TS 36.304 §7,
  worked out here from T, nB and UE_ID) and the watchdog's ticks; the eNB pages it at the
  first occasion after the DL packet arrives, it connects by random access and gets it.

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


def paging_occasions(t, nb, ue_id, end):
    """TS 36.304 §7.1/7.2 (FDD), independently of protocols/mac/paging.c."""
    n = min(t, nb)
    ns = max(1, nb // t)
    pf = (t // n) * (ue_id % n)
    i_s = (ue_id // n) % ns
    sub = {1: [9], 2: [4, 9], 4: [0, 4, 5, 9]}[ns][i_s]
    return [10 * f + sub for f in range(pf, end // 10 + 1, t) if 10 * f + sub < end]


class IdlePaging(unittest.TestCase):
    def test_paging_reaches_idle_ue(self):
        p, out = run('idle_paging', 'a')
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        kpi, rows = load(out)
        with open(os.path.join(out, 'sim.log')) as f:
            pages = [int(line.split()[-1]) for line in f if 'enb_paging' in line]
        with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
            console = f.read()
        # idle_paging.toml: T 128, nB T, UE_ID 277: frames 21 + 128 k, subframe 9.
        pos = paging_occasions(128, 128, 277, 3000)
        self.assertEqual(pos, [219, 1499, 2779])
        first_data = 2000  # the DL echo request
        self.assertEqual(pages, [p for p in pos if p >= first_data][:1])
        page = pages[0]
        seen = [r['subframe'] for r in rows if r['seen'] and r['subframe'] <= page]
        others = [sf for sf in seen if sf not in pos and sf % WATCHDOG_TICK and sf != 0]
        self.assertEqual(others, [], 'idle: awake outside its paging occasions')
        self.assertIn(f'mac: paged, random access at subframe {page + 1}', console)
        self.assertIn('mac: random access done', console)
        ue = kpi['ues'][0]
        self.assertEqual(ue['connections'], 1)
        self.assertEqual(ue['integrity_ok'], 1)
        flow = kpi['flows'][0]
        self.assertEqual(flow['rx_packets'], 1)
        self.assertEqual(flow['replies'], 1)
        # Waited for the paging occasion, then random access and the transfer.
        self.assertGreaterEqual(flow['latency_max_ms'], page - first_data)
        self.assertLess(flow['latency_max_ms'], page - first_data + 20)
        self.assertGreater(ue['asleep_share'], 0.9)


class NoDrx(unittest.TestCase):
    def test_keepalive_never_sleeps(self):
        p, out = run('keepalive', 'a')
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        kpi, rows = load(out)
        self.assertEqual(rows, [])
        self.assertEqual(kpi['ues'][0]['asleep_share'], 0)


if __name__ == '__main__':
    unittest.main()
