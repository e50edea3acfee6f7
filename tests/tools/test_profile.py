# SPDX-License-Identifier: BSD-2-Clause
"""The battery profiler's host side: the energy model's arithmetic against hand-computed
cases, model files refused with file:line errors, the trace decoder and timeline, the
Chrome trace-event output and its validator, and tools/profdiff's verdicts."""

import base64
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'energy'))

import model as energy  # noqa: E402
import profiling as pf  # noqa: E402

MODEL = os.path.join(ROOT, 'tools', 'energy', 'qemu-virt-a7.toml')

SMALL = '''[platform]
name = "t"
description = "hand-computed"
[cpu]
nominal_hz = 1000000000
active_mw = 200
wfi_mw = 20
retention_mw = 1
wakeup_uj = 0.5
[radio]
on_mw = 1000
rx_mw = 2000
tx_mw = 3000
drx_on_mw = 1500
light_sleep_mw = 500
deep_sleep_mw = 10
[battery]
capacity_mah = 1000
voltage_v = 4
'''


def write(text):
    f = tempfile.NamedTemporaryFile('w', suffix='.toml', delete=False)
    f.write(text)
    f.close()
    return f.name


def ev(cycles, typ, thread=0, to=0, a=0, b=0):
    return {'cycles': cycles & 0xffffffff, 'type': typ, 'thread': thread, 'to': to, 'a': a,
            'b': b}


class EnergyArithmetic(unittest.TestCase):
    def setUp(self):
        self.m = energy.load(write(SMALL))

    def test_cycle_energy(self):
        # 200 mW at 1 GHz: 0.2 nJ a cycle; a million cycles 0.2 mJ.
        self.assertAlmostEqual(self.m.nj_per_cycle(), 0.2)
        self.assertAlmostEqual(self.m.cpu_active_mj(1_000_000), 0.2)

    def test_subframe_with_sleep_and_wakeup(self):
        # 250,000 cycles (0.25 ms) active: 0.05 mJ; 0.75 ms in WFI at 20 mW: 0.015 mJ;
        # two wake-ups of 0.5 uJ: 0.001 mJ. Total 0.066 mJ.
        self.assertAlmostEqual(self.m.cpu_subframe(250_000, 1e-3, 2), 0.066)

    def test_overrun_subframe_has_no_sleep(self):
        # 2 ms of work in a 1 ms subframe: 0.4 mJ active, no WFI.
        self.assertAlmostEqual(self.m.cpu_subframe(2_000_000, 1e-3, 0), 0.4)

    def test_idle_states_and_radio(self):
        self.assertAlmostEqual(self.m.cpu_idle_mj(2.0), 40.0)                 # 20 mW, 2 s
        self.assertAlmostEqual(self.m.cpu_idle_mj(2.0, 'retention'), 2.0)     # 1 mW, 2 s
        self.assertAlmostEqual(self.m.radio_mj('tx', 1e-3), 3.0)              # 3 W, 1 ms
        self.assertAlmostEqual(self.m.radio_mj('deep_sleep', 10.0), 100.0)
        with self.assertRaises(ValueError):
            self.m.radio_mj('warp', 1.0)

    def test_battery_hours(self):
        # 1000 mAh at 4 V is 4 Wh: 40 h at 100 mW; never at 0 mW.
        self.assertAlmostEqual(self.m.battery_hours(100.0), 40.0)
        self.assertEqual(self.m.battery_hours(0.0), float('inf'))

    def test_profile_energy_by_state(self):
        # Two subframes on the radio line 48: 300,000 and 100,000 cycles of thread 5, the
        # first with a UL TB (tx), the second with a DL TB (rx).
        sf = 1_000_000
        evs = [ev(0, pf.T_SLEEP, 5), ev(10, pf.T_WAKE, 0, 0, 48), ev(20, pf.T_SWITCH, 0, 5),
               ev(300_020, pf.T_SLEEP, 5), ev(300_020, pf.T_SWITCH, 5, 0),
               ev(5 * sf, pf.T_WAKE, 0, 0, 48), ev(5 * sf + 10, pf.T_SWITCH, 0, 5),
               ev(5 * sf + 100_010, pf.T_SLEEP, 5), ev(5 * sf + 100_010, pf.T_SWITCH, 5, 0),
               ev(9 * sf, pf.T_WAKE, 0, 0, 48)]
        prof = {'threads': [{'id': 5, 'name': 'mac/ind', 'task': 'mac', 'cycles': 400_000,
                             'kernel': 100_000, 'wakes': {}}],
                'sleeps': None, 'idle_wakes': {}, 'trace': {'first': 0, 'events': evs}}
        kpi = {'scenario': 't', 'run': {'cpu_hz': 1_000_000_000, 'subframes': 2}}
        p = pf.build_profile(kpi, prof, {0: {'dl': 0, 'ul': 1}, 1: {'dl': 1, 'ul': 0}}, self.m)
        s = p['energy']['states_mj']
        self.assertEqual(p['window']['subframes'], 2)
        self.assertAlmostEqual(s['cpu_active'], 0.08)            # 400,000 x 0.2 nJ
        self.assertAlmostEqual(s['cpu_wfi'], 20 * (0.7e-3 + 0.9e-3))
        self.assertAlmostEqual(s['cpu_wakeups'], 0.001)          # two radio wake-ups
        self.assertAlmostEqual(s['radio_tx'], 3.0)
        self.assertAlmostEqual(s['radio_rx'], 2.0)
        self.assertAlmostEqual(p['energy']['total_mj'], 5.113)  # 0.08 + 0.032 + 0.001 + 3 + 2
        self.assertAlmostEqual(p['energy']['avg_mw'], 2556.5)    # over 2 ms
        row = p['threads'][0]
        self.assertAlmostEqual(row['budget_max'], 0.3)
        self.assertAlmostEqual(row['kernel_share'], 0.25)


    def test_profile_with_drx_counts_radio_time(self):
        # The same two traced subframes, but the UE saw only subframes 0 and 30 of a 40-
        # subframe run (drx.csv): 1..29 asleep (29 in a row: deep sleep), 31..39 asleep (9:
        # light sleep), the CPU in retention in all 38.
        sf = 1_000_000
        evs = [ev(0, pf.T_SLEEP, 5), ev(10, pf.T_WAKE, 0, 0, 48), ev(20, pf.T_SWITCH, 0, 5),
               ev(300_020, pf.T_SLEEP, 5), ev(300_020, pf.T_SWITCH, 5, 0),
               ev(5 * sf, pf.T_WAKE, 0, 0, 48), ev(5 * sf + 10, pf.T_SWITCH, 0, 5),
               ev(5 * sf + 100_010, pf.T_SLEEP, 5), ev(5 * sf + 100_010, pf.T_SWITCH, 5, 0),
               ev(9 * sf, pf.T_WAKE, 0, 0, 48)]
        prof = {'threads': [{'id': 5, 'name': 'mac/ind', 'task': 'mac', 'cycles': 400_000,
                             'kernel': 100_000, 'wakes': {}}],
                'sleeps': None, 'idle_wakes': {}, 'trace': {'first': 0, 'events': evs}}
        kpi = {'scenario': 't', 'run': {'cpu_hz': 1_000_000_000, 'subframes': 40}}
        p = pf.build_profile(kpi, prof, {0: {'dl': 0, 'ul': 1}, 30: {'dl': 1, 'ul': 0}},
                             self.m, seen=[0, 30])
        s = p['energy']['states_mj']
        self.assertEqual(p['drx'], {'subframes': 40, 'seen': 2, 'asleep_share': 0.95})
        self.assertAlmostEqual(s['cpu_active'], 0.08)
        self.assertAlmostEqual(s['cpu_wfi'], 20 * (0.7e-3 + 0.9e-3))
        self.assertAlmostEqual(s['cpu_retention'], 38 * 1 * 1e-3)   # 1 mW
        self.assertAlmostEqual(s['radio_tx'], 3.0)
        self.assertAlmostEqual(s['radio_rx'], 2.0)
        self.assertAlmostEqual(s['radio_drx_on'], 0.0)
        self.assertAlmostEqual(s['radio_deep_sleep'], 29 * 10 * 1e-3)
        self.assertAlmostEqual(s['radio_light_sleep'], 9 * 500 * 1e-3)
        self.assertAlmostEqual(p['energy']['total_mj'], 9.941)
        self.assertAlmostEqual(p['energy']['seconds'], 0.040)
        self.assertAlmostEqual(p['energy']['avg_mw'], 248.525)
        self.assertEqual(len(p['per_subframe']['radio']), 40)
        self.assertEqual(p['per_subframe']['cycles'][30], [100_000])


class ModelFiles(unittest.TestCase):
    def refused(self, text, *want):
        path = write(text)
        with self.assertRaises(energy.ModelError) as c:
            energy.load(path)
        for w in want:
            self.assertIn(w.replace('PATH', path), str(c.exception))

    def test_shipped_model_loads(self):
        m = energy.load(MODEL)
        self.assertEqual(m.platform['name'], 'qemu-virt-a7')
        self.assertAlmostEqual(m.nj_per_cycle(), 0.1)

    def test_unknown_key_and_bad_values(self):
        self.refused(SMALL.replace('wfi_mw = 20', 'wfi_mw = 20\nwfo_mw = 3'),
                     'PATH:8: error: unknown key cpu.wfo_mw')
        self.refused(SMALL.replace('active_mw = 200', 'active_mw = -1'),
                     'PATH:6: error: cpu.active_mw must be >= 0.0')
        self.refused(SMALL.replace('tx_mw = 3000', 'tx_mw = "lots"'),
                     'PATH:13: error: radio.tx_mw must be a number')
        self.refused(SMALL.replace('voltage_v = 4\n', ''), 'error: missing battery.voltage_v')

    def test_bad_toml_names_the_line(self):
        self.refused(SMALL.replace('[radio]', '[radio'), 'PATH:10: error:')


class Trace(unittest.TestCase):
    def test_console_round_trip(self):
        events = [ev(100, pf.T_SWITCH, 1, 5), ev(150, pf.T_FASTIPC, pf.UNKNOWN, 6, 0x10200, 7)]
        raw = b''.join(pf.EVENT.pack(e['cycles'], e['type'], e['thread'], e['to'], 0, e['a'],
                                     e['b']) for e in events) + bytes(16)  # padding event
        console = ('junk\nprofile: thread 5 mac/ind cycles=10 kernel=4 wake_ipc=1 wake_ntfn=0 '
                   'wake_irq=2 wake_other=3\nprofile: sleeps count=2 cycles=9 hist=1,1\n'
                   'profile: idle_wakes irq48=2\nprofile: trace first=0 events=2\n'
                   + base64.b64encode(raw).decode() + '\nprofile: trace end\n')
        p = pf.parse_console(console)
        self.assertEqual(p['threads'][0]['wakes'], {'ipc': 1, 'ntfn': 0, 'irq': 2, 'other': 3})
        self.assertEqual(p['idle_wakes'], {48: 2})
        self.assertEqual(p['trace']['events'], events)

    def test_truncated_dump_is_an_error(self):
        with self.assertRaises(pf.ProfileError):
            pf.parse_console('profile: trace first=0 events=1\nAAAA\n')

    def test_timeline_stretches_radio_sleeps_to_the_subframe(self):
        # A warped sleep of ~4e9 cycles ended by the radio line lands on the 1 ms grid.
        evs = [ev(0, pf.T_SLEEP), ev(5, pf.T_WAKE, a=48), ev(105, pf.T_SWITCH, 0, 3),
               ev(1105, pf.T_SLEEP, 3), ev(1105, pf.T_SWITCH, 3, 0),
               ev(4_000_000_000, pf.T_WAKE, a=48), ev(4_000_000_010, pf.T_SWITCH, 0, 3)]
        out, radio, starts = pf.timeline(evs, 1_000_000)
        self.assertEqual(radio, 48)
        self.assertEqual(starts, [1, 5])
        self.assertEqual(out[5]['t'] - out[1]['t'], 1_000_000)
        self.assertEqual(out[6]['t'] - out[5]['t'], 10)
        self.assertEqual([(s[0], s[4] - s[3]) for s in pf.slices(out)],
                         [(3, 1000), (0, 3_999_998_905)])

    def test_chrome_trace_validates(self):
        evs = [ev(0, pf.T_SLEEP), ev(5, pf.T_WAKE, a=48), ev(6, pf.T_IRQ, a=48),
               ev(105, pf.T_SWITCH, 0, 3), ev(200, pf.T_FASTIPC, 3, 4, 0x10200, 9),
               ev(300, pf.T_FASTIPC, 4, 3, 0x10000, 0), ev(1105, pf.T_SLEEP, 3),
               ev(1105, pf.T_SWITCH, 3, 0), ev(2_000_000, pf.T_WAKE, a=48)]
        prof = {'threads': [{'id': 3, 'name': 'a/x'}, {'id': 4, 'name': 'b/y'}],
                'trace': {'first': 0, 'events': evs}}
        doc = pf.chrome_trace(prof, 1_000_000, 1_000_000_000)
        self.assertEqual(pf.validate_chrome(doc), [])
        phases = [e['ph'] for e in doc['traceEvents']]
        self.assertEqual(phases.count('s'), 2)
        self.assertEqual(phases.count('B'), phases.count('E'))
        self.assertIn('X', phases)
        json.dumps(doc)

    def test_validator_finds_broken_traces(self):
        def doc(*events):
            return {'traceEvents': list(events)}
        b = {'name': 'x', 'ph': 'B', 'pid': 1, 'tid': 1, 'ts': 5}
        e = {'name': 'x', 'ph': 'E', 'pid': 1, 'tid': 1, 'ts': 4}
        self.assertIn('before', ' '.join(pf.validate_chrome(doc(b, e))))
        self.assertIn('B without E', ' '.join(pf.validate_chrome(doc(b))))
        self.assertIn('E without B', ' '.join(pf.validate_chrome(doc(dict(e, ts=6)))))
        self.assertIn("no 'tid'", ' '.join(pf.validate_chrome(doc({'name': 'x', 'ph': 'X',
                                                                  'pid': 1, 'ts': 1,
                                                                  'dur': 1}))))
        self.assertIn('flow 1', ' '.join(pf.validate_chrome(doc(
            {'name': 'f', 'ph': 's', 'id': 1, 'pid': 1, 'tid': 1, 'ts': 1}))))
        self.assertEqual(pf.validate_chrome({}), ['no traceEvents list'])


class ProfDiff(unittest.TestCase):
    def profile(self, total, mac):
        p = {'energy': {'total_mj': total, 'avg_mw': total * 10,
                        'states_mj': {'cpu_active': total / 2}},
             'cpu_wakeups_per_s': 1000.0,
             'tasks': [{'task': 'mac', 'window_cycles': mac, 'budget_p99': 0.01}]}
        path = write('')
        with open(path, 'w') as f:
            json.dump(p, f)
        return path

    def run_diff(self, a, b, *extra):
        return subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'profdiff'), a, b]
                              + list(extra), capture_output=True, text=True)

    def test_within_threshold_passes_beyond_fails(self):
        a = self.profile(100.0, 1000)
        self.assertEqual(self.run_diff(a, self.profile(104.0, 1040)).returncode, 0)
        r = self.run_diff(a, self.profile(100.0, 1100))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn('mac.window_cycles', [l.split()[0] for l in r.stdout.splitlines()
                                            if l.endswith('WORSE')])
        self.assertEqual(self.run_diff(a, self.profile(100.0, 1100), '--threshold', '20')
                         .returncode, 0)
        # Cheaper is never a failure.
        self.assertEqual(self.run_diff(a, self.profile(50.0, 500)).returncode, 0)

    def test_not_a_profile(self):
        r = self.run_diff(self.profile(1.0, 1), write('{"x": 1}'))
        self.assertEqual(r.returncode, 2)
        self.assertIn('profdiff: error', r.stderr)
        self.assertEqual(self.run_diff('/nonexistent', '/nonexistent').returncode, 2)


if __name__ == '__main__':
    unittest.main()
