# SPDX-License-Identifier: BSD-2-Clause
"""Stack tasks that crash without losing a byte (docs/reliability.md): the fault-injection
build of the firmware against the simulated cell's default scenario (short version), one
task killed mid-transfer at subframe 700 by a [[fault]] of the scenario. The supervisor
restarts it by policy, the new instance takes its kept state over, and tools/sim --check
holds: every byte of every AM flow once, in order, unmodified, nothing left in flight, no
message refused. The production blob ignores the same fault item.

    L4E_SIM=build/host/sim/l4e-sim L4E_FW_FAULTS=build/target/tasks/faults/modem.fw
    L4E_FW=build/modem.fw L4E_FW_PUB=build/keys/dev.pub"""

import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'build', 'sim-restart-test')
SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
FW_FAULTS = os.environ.get('L4E_FW_FAULTS',
                           os.path.join(ROOT, 'build', 'target', 'tasks', 'faults', 'modem.fw'))
FW = os.environ.get('L4E_FW', os.path.join(ROOT, 'build', 'modem.fw'))
PUB = os.environ.get('L4E_FW_PUB', os.path.join(ROOT, 'build', 'keys', 'dev.pub'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')
AT_MS = 700  # mid-transfer: the flows start at 100 ms, the short run lasts 1500

# What each task's new instance says when it took its kept state over.
TAKEOVER = {
    'radio': 'radio: restarted, resuming the lockstep at subframe',
    'mac': 'mac: restarted, MAC reset on C-RNTI',
    'rlc': 'rlc: restarted, entities taken over',
    'pdcp': 'pdcp: restarted, bearers re-established',
    'hostif': 'hostif: restarted, host link up again',
}


def scenario(task, base='default'):
    """The `base` scenario with one [[fault]] for `task`, as a file of its own."""
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f'kill_{task}.toml' if base == 'default' else
                        f'kill_{task}_{base}.toml')
    with open(os.path.join(ROOT, 'sim', 'scenarios', f'{base}.toml')) as f:
        text = f.read()
    with open(path, 'w') as f:
        f.write(text + f'\n[[fault]]\ntask = "{task}"\nat_ms = {AT_MS}\n')
    return path


def run(task, fw, base='default'):
    out = os.path.join(OUT, f'{task}-{os.path.basename(os.path.dirname(fw)) or "fw"}-{base}')
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--short',
           '--no-progress', '--sim', SIM, '--fw', fw, '--key', PUB, '--qemu', QEMU,
           '--out', out, '--check', scenario(task, base)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
        console = f.read()
    with open(os.path.join(out, 'kpi.json')) as f:
        kpi = json.load(f)
    with open(os.path.join(out, 'sim.log')) as f:
        log = f.read()
    return p, console, kpi, log


class Kill(unittest.TestCase):
    def kill(self, task):
        p, console, kpi, log = run(task, FW_FAULTS)
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        self.assertIn(f'check: kill_{task}: ok', p.stdout)
        self.assertIn(f'sf {AT_MS} ue 0: fault injected into task {task}', log)
        self.assertIn(f'supervisor: fault task={task} thread=all kind=injected by=radio',
                      console)
        self.assertIn(f'supervisor: restarted task={task} restarts=1', console)
        self.assertIn(TAKEOVER[task], console)
        self.assertNotIn('escalating', console)
        self.assertNotIn('kept state invalid', console)
        ue = kpi['ues'][0]
        self.assertEqual(ue['integrity_ok'], 1)
        self.assertEqual(ue['packets_late'], 0)  # in order
        self.assertEqual(ue['connections'], 1)   # the same connection all along
        for f in kpi['flows']:
            self.assertGreater(f['rx_packets'], 0, f)

    def test_radio(self):
        self.kill('radio')

    def test_mac(self):
        self.kill('mac')

    def test_rlc(self):
        self.kill('rlc')

    def test_pdcp(self):
        self.kill('pdcp')

    def test_hostif(self):
        self.kill('hostif')


class KillWithDrx(unittest.TestCase):
    def test_mac_keeps_drx(self):
        """The MAC killed on a connection with DRX (keepalive_drx): its new instance takes
        the DRX configuration over and sleeps again; it never sleeps through the eNB's
        view of its Active Time, and the echo is intact."""
        p, console, kpi, log = run('mac', FW_FAULTS, 'keepalive_drx')
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        self.assertIn('supervisor: restarted task=mac restarts=1', console)
        ue = kpi['ues'][0]
        self.assertEqual(ue['integrity_ok'], 1)
        self.assertGreater(ue['asleep_share'], 0.75)  # 0.3 when the restart forgot DRX
        out = os.path.join(OUT, f'mac-{os.path.basename(os.path.dirname(FW_FAULTS))}'
                           '-keepalive_drx')
        with open(os.path.join(out, 'drx.csv')) as f:
            next(f)
            missed = [line for line in f if line.split(',')[2:4] == ['0', '1']]
        self.assertEqual(missed, [])


class Production(unittest.TestCase):
    def test_production_blob_ignores_fault_items(self):
        """The firmware blob has no fault injection: the item is logged and ignored."""
        p, console, kpi, log = run('pdcp', FW)
        self.assertEqual(p.returncode, 0, (p.stdout + p.stderr)[-3000:])
        self.assertIn('radio: fault item ignored (not a fault-injection build)', console)
        self.assertNotIn('kind=injected', console)
        self.assertNotIn('restarted task=', console)


if __name__ == '__main__':
    unittest.main()
