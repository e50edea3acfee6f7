# SPDX-License-Identifier: BSD-2-Clause
"""Scenarios: bad ones refused at file:line, every shipped scenario's short version with the
host UE (integrity, CRC, refusals, tshark), and determinism (lossy twice, same bytes)."""

import filecmp
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))

import simscen  # noqa: E402

SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
OUT = os.path.join(ROOT, 'build', 'sim-test')
TOOL = [sys.executable, os.path.join(ROOT, 'tools', 'sim')]
SCENARIOS = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, 'sim', 'scenarios'))
                   if f.endswith('.toml'))


def run_short(name, out, extra=()):
    return subprocess.run(TOOL + ['--ue', 'host', '--short', '--no-progress', '--sim', SIM,
                                  '--out', out, name] + list(extra),
                          capture_output=True, text=True)


class BadScenarios(unittest.TestCase):
    """A scenario the runner cannot use is refused with file:line: error: before any run."""

    def errors(self, text):
        with tempfile.NamedTemporaryFile('w', suffix='.toml', delete=False) as f:
            f.write(text)
        try:
            simscen.load(f.name)
        except simscen.ScenarioError as e:
            return [line.replace(f.name, 'x.toml') for line in e.errors]
        finally:
            os.unlink(f.name)
        self.fail('accepted')

    def test_unknown_key_at_its_line(self):
        e = self.errors('[scenario]\nseed = 1\n\n[cell]\nbandwith_mhz = 10\n')
        self.assertEqual(len(e), 1)
        self.assertTrue(e[0].startswith('x.toml:5: error: unknown key `bandwith_mhz`'), e)

    def test_bad_values_at_their_lines(self):
        e = self.errors('[cell]\nbandwidth_mhz = 7\nscheduler = "fifo"\n[channel.dl]\n'
                        'bler = 1.5\n[[flow]]\ntype = "cbr"\ndir = "up"\nrate_mbps = 1\n')
        self.assertIn('x.toml:2: error: `bandwidth_mhz` must be one of', e[0])
        self.assertIn('x.toml:3: error: `scheduler` must be one of rr, pf', e[1])
        self.assertIn('x.toml:5: error: `bler` must be within 0..1', e[2])
        self.assertIn('x.toml:8: error: `dir` must be one of dl, ul', e[3])

    def test_flow_needs_rate_and_ue_in_range(self):
        e = self.errors('[ues]\ncount = 2\n\n[[flow]]\ntype = "cbr"\ndir = "dl"\n\n'
                        '[[flow]]\nue = 2\ntype = "echo"\ndir = "ul"\ninterval_ms = 5\n')
        self.assertIn('x.toml:4: error: a cbr flow needs `rate_mbps` or `rate_kbps`', e[0])
        self.assertIn('x.toml:9: error: no UE 2 (there are 2)', e[1])

    def test_bearer_rules(self):
        e = self.errors('[[bearer]]\nrb_id = 1\nlcid = 1\nsrb = true\nrlc = "um"\n'
                        '[[bearer]]\nrb_id = 1\nlcid = 1\npdcp_sn_bits = 7\n')
        self.assertIn('x.toml:5: error: an SRB has a 5-bit PDCP SN and RLC AM', e[0])
        self.assertIn('x.toml:8: error: LCID 1 is also bearer 0', e[1])
        self.assertIn('x.toml:9: error: a DRB has a 12-bit PDCP SN', e[2])

    def test_syntax_and_structure(self):
        e = self.errors('[cell]\nbandwidth_mhz = \n')
        self.assertTrue(e[0].startswith('x.toml:2: error:'), e)
        e = self.errors('flow = 3\n')
        self.assertIn('x.toml:1: error: `flow` is an array of tables', e[0])
        e = self.errors('[radio]\nx = 1\n')
        self.assertIn('x.toml:1: error: unknown table or key `radio`', e[0])

    def test_fault_rules(self):
        e = self.errors('[[fault]]\ntask = "with space"\nat_ms = 5\n[[fault]]\nat_ms = 9\n'
                        '[[fault]]\ntask = "mac"\nat_ms = 1\nue = 3\n')
        self.assertIn('x.toml:2: error: `task` must be a task name', e[0])
        self.assertIn('x.toml:4: error: [[fault]] needs `task`', e[1])
        self.assertIn('x.toml:9: error: no UE 3 (there are 1)', e[2])

    def test_fault_in_the_runner_configuration(self):
        with tempfile.NamedTemporaryFile('w', suffix='.toml', delete=False) as f:
            f.write('[[fault]]\ntask = "rlc"\nat_ms = 700\n')
        try:
            keys = dict(simscen.load(f.name).keys)
        finally:
            os.unlink(f.name)
        self.assertEqual((keys['fault.0.task'], keys['fault.0.at_ms'], keys['fault.0.ue']),
                         ('rlc', 700, -1))

    def test_burst_needs_all_three(self):
        e = self.errors('[channel.ul]\nbler = 0.1\n[channel.ul.burst]\nbad_bler = 0.5\n')
        self.assertIn('x.toml:3: error: [channel.ul.burst] needs mean_burst_ms, bad_share', e[0])


class DrxAndPaging(unittest.TestCase):
    """[drx] and [paging]: TS 36.331 / TS 36.304 value sets, at their lines."""

    errors = BadScenarios.errors

    def test_drx_values_at_their_lines(self):
        e = self.errors('[drx]\non_duration = 7\ninactivity = 100\nlong_cycle = 320\n'
                        'start_offset = 320\nretx = 3\n')
        self.assertIn('x.toml:2: error: `on_duration` must be one of 1, 2,', e[0])
        self.assertIn('x.toml:6: error: `retx` must be one of 1, 2, 4,', e[1])
        e = self.errors('[drx]\non_duration = 10\ninactivity = 100\nlong_cycle = 320\n'
                        'start_offset = 320\nshort_cycle = 128\n')
        self.assertIn('x.toml:5: error: `start_offset` must be below `long_cycle`', e[0])
        self.assertIn('x.toml:6: error: `long_cycle` must be a multiple of `short_cycle`',
                      e[1])
        e = self.errors('[drx]\non_duration = 10\n')
        self.assertIn('x.toml:1: error: [drx] needs `inactivity`', e[0])

    def test_paging_values_at_their_lines(self):
        e = self.errors('[paging]\nt = 100\n')
        self.assertIn('x.toml:2: error: `t` must be one of 32, 64, 128, 256', e[0])
        e = self.errors('[paging]\nt = 128\nnb = 96\n')
        self.assertIn('x.toml:3: error: `nb` must be one of 4T, 2T, T', e[0])
        e = self.errors('[l3]\nmode = "attach"\n[paging]\nt = 128\n')
        self.assertIn('x.toml:3: error: [paging] needs [l3] mode = "configured"', e[0])


class ShippedScenarios(unittest.TestCase):
    """Each scenario's short version with the host UE passes tools/sim --check."""

    def check(self, name):
        p = run_short(name, os.path.join(OUT, name), ['--check'])
        self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        self.assertIn(f'check: {name}: ok', p.stdout)


for _name in SCENARIOS:
    setattr(ShippedScenarios, f'test_{_name}_short',
            lambda self, n=_name: self.check(n))


class Attach(unittest.TestCase):
    """Attach mode with the host UE: what the AP, the MME and the captures saw."""

    def run_kpi(self, name):
        out = os.path.join(OUT, 'l3-' + name)
        p = run_short(name, out, ['--check'])
        self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        with open(os.path.join(out, 'kpi.json')) as f:
            return json.load(f)['ues'], out

    def test_one_ue_attaches_carries_data_detaches(self):
        ues, out = self.run_kpi('attach')
        u = ues[0]
        self.assertEqual((u['registered'], u['mme_attaches'], u['mme_detaches']), (1, 1, 1))
        self.assertEqual(u['at_errors'], 0)
        # CFUN=1 to +CEREG: 1: SIBs, random access, 10 NAS and RRC round trips.
        self.assertGreater(u['attach_subframes'], 10)
        self.assertLess(u['attach_subframes'], 200)
        self.assertGreater(u['dl_rx_bytes'], 0)
        self.assertGreater(u['ul_rx_bytes'], 0)
        self.assertEqual(u['bytes_lost'], 0)
        with open(os.path.join(out, 'sim.log')) as f:
            log = f.read()
        self.assertIn('at< +CGPADDR: 1,"10.45.0.2"', log)
        self.assertIn('at< +CEREG: 0', log)  # after AT+CFUN=0

    def test_four_ues(self):
        ues, _ = self.run_kpi('attach_multi')
        self.assertEqual([u['registered'] for u in ues], [1, 1, 1, 1])
        self.assertEqual([u['mme_attaches'] for u in ues], [1, 1, 1, 1])
        self.assertTrue(all(u['dl_rx_bytes'] and u['ul_rx_bytes'] for u in ues))

    def test_wrong_k_refused_sqn_resynchronised(self):
        ues, _ = self.run_kpi('attach_auth')
        self.assertEqual([u['registered'] for u in ues], [1, 0, 1])
        self.assertEqual(ues[1]['auth_failures'], 1)  # MAC failure (TS 33.102 §6.3.3)
        self.assertEqual(ues[1]['mme_attaches'], 0)
        self.assertEqual(ues[2]['resyncs'], 1)  # synchronisation failure, AUTS
        self.assertEqual(ues[2]['mme_attaches'], 1)
        self.assertEqual(ues[0]['auth_failures'] + ues[0]['resyncs'], 0)

    def test_rlf_reestablishes_and_loses_nothing(self):
        ues, _ = self.run_kpi('attach_rlf')
        u = ues[0]
        self.assertGreaterEqual(u['rlf_enb'] + u['rlf_ue'], 1)
        self.assertEqual(u['rrc_reestablishments'], 1)  # not a new attach:
        self.assertEqual(u['mme_attaches'], 1)
        self.assertEqual(u['registrations'], 1)
        self.assertEqual((u['integrity_ok'], u['bytes_lost']), (1, 0))
        self.assertGreater(u['echo_rtt_max_ms'], 500)  # held through the outage

    def test_attach_twice_same_bytes(self):
        """Attach mode is deterministic too: KPIs, all three captures, log, tshark.args."""
        outs = [os.path.join(OUT, f'l3-det-{k}') for k in 'ab']
        for out in outs:
            p = run_short('attach_multi', out)
            self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
        for f in ('kpi.json', 'enb.pcap', 'ue.pcap', 'nas.pcap', 'sim.log', 'tshark.args'):
            self.assertTrue(filecmp.cmp(os.path.join(outs[0], f), os.path.join(outs[1], f),
                                        shallow=False), f)

    def test_bad_l3_keys(self):
        with tempfile.NamedTemporaryFile('w', suffix='.toml', delete=False) as f:
            f.write('[l3]\nmode = "attached"\n\n[[ue]]\nk = "12"\nimsi = "00101"\n')
        try:
            with self.assertRaises(simscen.ScenarioError) as e:
                simscen.load(f.name)
        finally:
            os.unlink(f.name)
        errs = [line.replace(f.name, 'x.toml') for line in e.exception.errors]
        self.assertIn('x.toml:2: error: `mode` must be one of configured, attach', errs[0])
        self.assertTrue(any('x.toml:5: error: `k` must be 32 hex digits' in x for x in errs))
        self.assertTrue(any('x.toml:6: error: `imsi` must be a string of 6 to 15 digits' in x
                            for x in errs))


class Determinism(unittest.TestCase):
    def test_lossy_twice_same_bytes(self):
        """Same scenario and seed: byte-identical KPIs, captures and log."""
        a, b = os.path.join(OUT, 'det-a'), os.path.join(OUT, 'det-b')
        for out in (a, b):
            p = run_short('lossy', out)
            self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        for f in ('kpi.json', 'kpi.csv', 'enb.pcap', 'ue.pcap', 'sim.log', 'ue0.console'):
            self.assertTrue(filecmp.cmp(os.path.join(a, f), os.path.join(b, f), shallow=False),
                            f)
        p = run_short('lossy', os.path.join(OUT, 'det-c'), ['--seed', '8'])
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        self.assertFalse(filecmp.cmp(os.path.join(a, 'enb.pcap'),
                                     os.path.join(OUT, 'det-c', 'enb.pcap'), shallow=False))


if __name__ == '__main__':
    unittest.main()


class QemuPort(unittest.TestCase):
    """The QEMU port over real sockets, with tests/sim/fake_ue.py standing in for the
    firmware: framing, lockstep, sleep, END and exit status, refusals, a hang, a crash."""

    SCENARIO = ('[scenario]\nseed = 2\nduration_ms = 400\n[ues]\ncount = 1\ntimeout_s = 2\n'
                '[[flow]]\ntype = "echo"\ndir = "ul"\ninterval_ms = 10\nstart_ms = 5\n'
                '[expect]\nintegrity = false\n')

    def run_fake(self, name, fake_args):
        out = os.path.join(OUT, 'qemu-' + name)
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, 'scenario.toml')
        with open(path, 'w') as f:
            f.write(self.SCENARIO)
        fake = os.path.join(ROOT, 'tests', 'sim', 'fake_ue.py')
        loader = f'{sys.executable} {fake} {{radio_fd}} {{host_fd}} {fake_args}'
        p = subprocess.run(TOOL + ['--ue', 'qemu', '--no-progress', '--sim', SIM, '--out', out,
                                   '--loader', loader, path], capture_output=True, text=True)
        with open(os.path.join(out, 'kpi.json')) as f:
            kpi = json.load(f)
        with open(os.path.join(out, 'ue0.console')) as f:
            console = f.read()
        return p, kpi, console

    def test_lockstep_sleep_and_end(self):
        p, kpi, console = self.run_fake('ok', '--sleep 2')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(kpi['status'], 'ok')
        u = kpi['ues'][0]
        self.assertEqual(u['msgs_refused_malformed'] + u['msgs_refused_sequence'], 0)
        self.assertGreater(u['cycles_max'], 1000)  # DONE.cycles came through
        self.assertTrue(0.3 <= u['asleep_share'] <= 0.5, u['asleep_share'])
        self.assertIn('fake UE: end', console)

    def test_garbage_is_refused_not_fatal(self):
        p, kpi, _ = self.run_fake('garbage', '--garbage-at 50')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(kpi['ues'][0]['msgs_refused_malformed'], 1)

    def test_hang_is_a_clear_error(self):
        p, kpi, _ = self.run_fake('hang', '--hang-at 30')
        self.assertEqual(p.returncode, 2)
        self.assertIn('UE 0: timeout waiting for its answer to subframe 30', p.stderr)
        self.assertEqual(kpi['status'], 'error')

    def test_other_link_version_is_a_clear_error(self):
        # A firmware and a simulator built from different trees: said, not refused forever.
        p, kpi, _ = self.run_fake('version', '--version 1')
        self.assertEqual(p.returncode, 2)
        self.assertIn('UE 0 speaks radio-link version 1, this simulator version 2', p.stderr)
        self.assertEqual(kpi['status'], 'error')

    def test_exit_status_after_end(self):
        p, _, _ = self.run_fake('exit', '--exit 3')
        self.assertEqual(p.returncode, 2)
        self.assertIn('exit status 3 after END', p.stderr)
