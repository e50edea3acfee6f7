# SPDX-License-Identifier: BSD-2-Clause
"""The modem firmware (the signed blob, through tools/fwload) against the simulated cell of
sim/: the short versions of the shipped scenarios pass tools/sim --check (every AM byte
delivered once, in order, unmodified; every corrupted TB caught by CRC24A and never
delivered; pcaps decode in tshark; no subframe over its cycle budget, not even when AM
releases a whole window after a loss burst or an outage), and the same scenario and seed twice give identical
KPIs, captures, logs and firmware cycle counts.

    L4E_SIM=build/host/sim/l4e-sim L4E_FW=build/modem.fw L4E_FW_PUB=build/keys/dev.pub"""

import filecmp
import json
import os
import re
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'build', 'sim-fw-test')
SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
FW = os.environ.get('L4E_FW', os.path.join(ROOT, 'build', 'modem.fw'))
PUB = os.environ.get('L4E_FW_PUB', os.path.join(ROOT, 'build', 'keys', 'dev.pub'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')


def run(name, out, extra=()):
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--short',
           '--no-progress', '--sim', SIM, '--fw', FW, '--key', PUB, '--qemu', QEMU,
           '--out', out, name] + list(extra)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def work(console):
    """A firmware console without what measures time rather than work (docs/modem.md)."""
    console = re.sub(r'(?m)^\[QEMU\] .*\n', '', console)
    # QEMU's own warnings come on stderr, which lands in the console where it may.
    console = re.sub(r'qemu-system-arm: warning: [^\n]*\n', '', console)
    console = re.sub(r'(?m)^  (idle|total) .*$', '', console)
    # The profile's idle row and sleep lengths are that time too; the threads' rows are work.
    console = re.sub(r'(?m)^profile: (thread 0 idle|sleeps) .*$', '', console)
    return re.sub(r'(?m)^(  \S+ +\d+) +\d+\.\d%$', r'\1', console)


class Scenarios(unittest.TestCase):
    def check(self, name, scenario=None):
        p = run(scenario or name, os.path.join(OUT, name), ['--check'])
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        self.assertIn(f'check: {name}: ok', p.stdout)
        # RLC hands SDUs up within a per-subframe budget (docs/modem.md, deadline-driven
        # delivery); the cycle counts are exact (icount), so this is behaviour, not timing.
        with open(os.path.join(OUT, name, 'kpi.json')) as f:
            for u in json.load(f)['ues']:
                self.assertEqual(u['deadline_misses'], 0, (name, u['ue'], u['cycles_max']))
                self.check_tasks(name, u)

    def check_tasks(self, name, u):
        """The cycles by task (RL_ITEM_TASK_CYCLES): every subframe's item carried the
        stack's tasks; a task never spent more in a subframe than the subframe's total (plus
        the readings' cost, in the radio's row), and together they cover the busiest one."""
        tasks = {k[len('task_'):-len('_cycles_max')] for k in u
                 if k.startswith('task_') and k.endswith('_cycles_max')}
        self.assertGreater(u['task_cycles_subframes'], 0, name)
        self.assertLessEqual({'radio', 'mac', 'rlc', 'pdcp', 'hostif'}, tasks, (name, tasks))
        for t in tasks:
            p50, p99, top = (u[f'task_{t}_cycles_{w}'] for w in ('p50', 'p99', 'max'))
            self.assertTrue(p50 <= p99 <= top <= u['cycles_max'] + 4000, (name, t, p50, p99, top))
        self.assertGreaterEqual(sum(u[f'task_{t}_cycles_max'] for t in tasks), u['cycles_max'])
        self.assertGreater(u['task_radio_cycles_p50'], 0, name)

    def test_default(self):
        self.check('default')

    def test_outage(self):
        self.check('outage')

    def test_multi(self):
        self.check('multi')

    def test_lossy(self):
        self.check('lossy')

    def console(self, name):
        with open(os.path.join(OUT, name, 'ue0.console'), errors='replace') as f:
            return f.read()

    def test_rlf(self):
        """The cell drops the UE in the outage; the UE's MAC finds no grant for its SRs
        (dsr-TransMax), RRC declares the failure, resets MAC, RLC and PDCP, and connects
        again (tools/sim --check: a second connection, traffic through)."""
        self.check('rlf')
        console = self.console('rlf')
        self.assertIn('rrc: radio link failure, cause 2', console)  # rrc::SR_LIMIT
        self.assertIn('mac: reset', console)
        self.assertEqual(len(re.findall(r'rrc: connected, C-RNTI', console)), 2, console)

    def test_rlf_rlc_max_retx(self):
        """A DL-only outage: the UE's AM entity gets no STATUS and reaches
        maxRetxThreshold, which RLC reports to RRC; random access fails in the outage
        and is tried again until the UE is back."""
        with open(os.path.join(ROOT, 'sim', 'scenarios', 'rlf.toml')) as f:
            text = f.read()
        text = text.replace('duration_ms = 1000\n', 'duration_ms = 1000\nul = false\n')
        os.makedirs(OUT, exist_ok=True)
        path = os.path.join(OUT, 'rlf_dl.toml')
        with open(path, 'w') as f:
            f.write(text)
        self.check('rlf_dl', path)
        console = self.console('rlf_dl')
        self.assertIn('rlc: max retransmissions, lcid', console)
        self.assertIn('rrc: radio link failure, cause 1', console)  # rrc::MAX_RETX
        self.assertIn('rrc: random access failed', console)
        self.assertEqual(len(re.findall(r'rrc: connected, C-RNTI', console)), 2, console)


class AttachMode(unittest.TestCase):
    """Attach mode with the firmware UE: RRC and NAS in their tasks set the UE up as a
    network does (SIBs, RRC connection, EPS AKA through the USIM task, security, the
    default bearer), driven by AT from the application processor; tools/sim --check also
    decodes the NAS capture and the air captures in tshark."""

    def run_check(self, name):
        out = os.path.join(OUT, name)
        p = run(name, out, ['--check'])
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        self.assertIn(f'check: {name}: ok', p.stdout)
        with open(os.path.join(out, 'kpi.json')) as f:
            kpi = json.load(f)
        with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
            console = f.read()
        for u in kpi['ues']:
            self.assertEqual(u['deadline_misses'], 0, (name, u['ue'], u['cycles_max']))
        return kpi, console

    def test_attach_data_detach(self):
        kpi, console = self.run_check('attach')
        u = kpi['ues'][0]
        self.assertEqual(u['registered'], 1)
        self.assertGreater(u['attach_subframes'], 0)
        for line in ('rrc: attach mode', 'rrc: system information in',
                     'rrc: radio bearer set up, lcid 3', 'nas: default bearer up, EBI 5',
                     'nas: registration (+CEREG) 1', 'nas: deregistered',
                     'rrc: released'):
            self.assertIn(line, console)

    def test_four_ues(self):
        kpi, _ = self.run_check('attach_multi')
        self.assertEqual([u['registered'] for u in kpi['ues']], [1, 1, 1, 1])

    def test_wrong_k_refused_sqn_resynchronised(self):
        kpi, _ = self.run_check('attach_auth')
        self.assertEqual([u['registered'] for u in kpi['ues']], [1, 0, 1])
        with open(os.path.join(OUT, 'attach_auth', 'ue1.console'), errors='replace') as f:
            self.assertIn('nas: authentication failed', f.read())
        with open(os.path.join(OUT, 'attach_auth', 'ue2.console'), errors='replace') as f:
            self.assertIn('usim: synchronisation failure', f.read())

    def test_rlf_reestablishes_and_loses_nothing(self):
        kpi, console = self.run_check('attach_rlf')
        u = kpi['ues'][0]
        self.assertGreaterEqual(u['rlf_enb'], 1)
        self.assertTrue(u['integrity_ok'])
        self.assertIn('rrc: radio link failure, state 3', console)  # re-establishing
        self.assertEqual(len(re.findall(r'rrc: connected, C-RNTI', console)), 2, console)


class Determinism(unittest.TestCase):
    def test_attach_rlf_twice_identical(self):
        """Attach mode too (RRC, NAS, the USIM, a re-establishment): identical KPIs,
        captures (the NAS capture included) and simulator log."""
        a, b = os.path.join(OUT, 'det-attach-a'), os.path.join(OUT, 'det-attach-b')
        for out in (a, b):
            p = run('attach_rlf', out)
            self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        for f in ('kpi.json', 'kpi.csv', 'enb.pcap', 'ue.pcap', 'nas.pcap', 'sim.log'):
            self.assertTrue(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False),
                            f)

    def test_lossy_twice_identical(self):
        """Same scenario and seed: byte-identical KPIs (DONE cycle counts included),
        captures and simulator log; the firmware's consoles differ in nothing but the
        time QEMU warps while the CPU waits."""
        a, b = os.path.join(OUT, 'det-a'), os.path.join(OUT, 'det-b')
        for out in (a, b):
            p = run('lossy', out)
            self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        for f in ('kpi.json', 'kpi.csv', 'enb.pcap', 'ue.pcap', 'sim.log'):
            self.assertTrue(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False),
                            f)
        consoles = []
        for out in (a, b):
            with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
                consoles.append(work(f.read()))
        self.assertIn('supervisor: cycles since boot', consoles[0])
        self.assertEqual(consoles[0], consoles[1])


if __name__ == '__main__':
    unittest.main()
