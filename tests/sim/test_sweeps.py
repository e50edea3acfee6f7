# SPDX-License-Identifier: BSD-2-Clause
"""Sweeps (tools/sweep on Dask distributed): bad sweep files refused at file:line, an
unreachable scheduler named; sim/sweeps/smoke.toml on a two-worker local cluster gives the
summary of the same runs made one by one (and tools/sim's KPIs byte for byte); a worker
killed in the middle of a run changes nothing; a hung run is killed at its timeout with
its console kept while the others complete; compare finds a regression; a firmware
console's cycle table becomes profile.csv."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))

import simsweep  # noqa: E402

SIM = os.environ.get('L4E_SIM', os.path.join(ROOT, 'build', 'host', 'sim', 'l4e-sim'))
OUT = os.path.join(ROOT, 'build', 'sweep-test')
TOOL = [sys.executable, os.path.join(ROOT, 'tools', 'sweep')]


CLUSTER = {}


def setUpModule():
    """A Dask cluster of the tests' own for the fault tests (as `dask scheduler` and `dask
    worker` start one: two worker processes, each with a nanny that restarts it), started
    first so that it boots while the other tests run."""
    os.makedirs(OUT, exist_ok=True)
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    CLUSTER['address'] = f'tcp://127.0.0.1:{port}'
    log = open(os.path.join(OUT, 'cluster.log'), 'w')
    CLUSTER['procs'] = [
        subprocess.Popen([sys.executable, '-m', 'distributed.cli.dask_scheduler', '--host',
                          '127.0.0.1', '--port', str(port), '--dashboard-address', ':0'],
                         stdout=log, stderr=log, start_new_session=True, cwd=OUT),
        subprocess.Popen([sys.executable, '-m', 'distributed.cli.dask_worker',
                          CLUSTER['address'], '--nworkers', '2', '--nthreads', '1',
                          '--no-dashboard', '--local-directory',
                          os.path.join(OUT, 'dask-worker')],
                         stdout=log, stderr=log, start_new_session=True, cwd=OUT)]


def tearDownModule():
    for p in reversed(CLUSTER.get('procs', [])):
        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        except ProcessLookupError:
            pass


def sweep(*args, timeout=300):
    return subprocess.run(TOOL + ['--sim', SIM, '--no-progress'] + list(args),
                          capture_output=True, text=True, timeout=timeout)


def runs_of(out):
    """A summary's runs without what depends on the machine (wall time, worker)."""
    with open(os.path.join(out, 'summary.json')) as f:
        s = json.load(f)
    return [{k: v for k, v in r.items() if k not in ('wall_s', 'worker')} for r in s['runs']]


def write(name, text):
    d = tempfile.mkdtemp(prefix='sweep-', dir=OUT)
    path = os.path.join(d, name)
    with open(path, 'w') as f:
        f.write(text)
    return path


class BadSweeps(unittest.TestCase):
    """A sweep that cannot run is refused with file:line: error: before anything runs."""

    def errors(self, text):
        path = write('x.toml', text)
        try:
            simsweep.load(path, ROOT)
        except simsweep.SweepError as e:
            return [line.replace(path, 'x.toml') for line in e.errors]
        self.fail('accepted')

    def test_unknown_keys_at_their_lines(self):
        e = self.errors('[sweep]\nscenario = "default"\nworkers = 3\n[axes]\nseed = [1]\n'
                        '"cell.bandwith_mhz" = [5]\n')
        self.assertTrue(e[0].startswith('x.toml:3: error: unknown key `workers` in [sweep]'), e)
        self.assertTrue(e[1].startswith('x.toml:6: error: unknown axis `cell.bandwith_mhz`'), e)

    def test_bad_values_at_their_lines(self):
        e = self.errors('[sweep]\nscenario = "default"\nue = "phone"\n[axes]\n'
                        '"channel.dl.bler" = [0.1,\n  1.5]\nseed = { from = 4, to = 2 }\n'
                        '"ues.count" = []\n')
        self.assertIn('x.toml:3: error: `ue` must be one of host, qemu', e[0])
        self.assertIn('x.toml:6: error: axis `channel.dl.bler` value 1.5 must be within 0..1',
                      e[1])
        self.assertIn('x.toml:7: error: axis `seed`: a range is integers with from <= to', e[2])
        self.assertIn('x.toml:8: error: axis `ues.count` needs a list of values', e[3])

    def test_scenario_and_entries_must_exist(self):
        e = self.errors('[sweep]\nscenario = "nosuch"\n')
        self.assertIn('x.toml:2: error: scenario nosuch:', e[0])
        e = self.errors('[sweep]\ndescription = "x"\n')
        self.assertIn('x.toml:1: error: [sweep] needs `scenario`', e[0])
        e = self.errors('[sweep]\nscenario = "default"\n[axes]\n"flow.5.rate_mbps" = [1]\n')
        self.assertIn('x.toml:4: error: axis `flow.5.rate_mbps`: the scenario has 3 [[flow]] '
                      'entries', e[0])

    def test_a_run_the_scenario_refuses(self):
        # Flow 0 of `default` is a cbr flow with rate_mbps: rate_kbps too is refused.
        e = self.errors('[sweep]\nscenario = "default"\n[axes]\nseed = [1, 2]\n'
                        '"flow.0.rate_kbps" = [500]\n')
        self.assertEqual(len(e), 1, e)
        self.assertIn('x.toml:3: error: the scenario refuses the run with seed = 1, '
                      'flow.0.rate_kbps = 500: give `rate_mbps` or `rate_kbps`, not both', e[0])

    def test_syntax_error_from_the_tool(self):
        path = write('y.toml', '[sweep]\nscenario = "default"\n[axes]\nseed = [1, 2\n')
        p = sweep(path)
        self.assertEqual(p.returncode, 2)
        self.assertRegex(p.stderr, rf'^{path}:4: error: ')
        self.assertNotIn('Traceback', p.stderr)

    def test_unreachable_scheduler(self):
        with socket.socket() as s:  # a port nothing listens on
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        t0 = time.monotonic()
        p = sweep('--scheduler', f'tcp://127.0.0.1:{port}', '--connect-timeout', '2',
                  '--out', os.path.join(OUT, 'unreachable'), 'smoke')
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(f'sweep: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}',
                      p.stderr)
        self.assertNotIn('Traceback', p.stderr)
        self.assertLess(time.monotonic() - t0, 60)


class Smoke(unittest.TestCase):
    """smoke.toml on two workers: the summary of the runs made one by one."""

    def test_cluster_equals_one_by_one(self):
        a, b = os.path.join(OUT, 'smoke-dask'), os.path.join(OUT, 'smoke-serial')
        p = sweep('--workers', '2', '--out', a, 'smoke')
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('sweep: smoke: 4 of 4 runs ok', p.stdout)
        self.assertEqual(p.stderr, '')  # Dask says nothing when all goes well
        p = sweep('--serial', '--no-plots', '--out', b, 'smoke')
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        ra = runs_of(a)
        self.assertEqual(len(ra), 4)
        self.assertEqual(ra, runs_of(b))
        self.assertEqual({(r['axes']['seed'], r['axes']['channel.bler']) for r in ra},
                         {(1, 0.0), (1, 0.1), (2, 0.0), (2, 0.1)})
        self.assertTrue(all(r['status'] == 'ok' and r['kpis']['dl_throughput_kbps'] > 5000
                            for r in ra), ra)
        # A lossy channel costs retransmissions, a clean one none.
        for r in ra:
            self.assertEqual(r['kpis']['harq_dl_retx'] > 0, r['axes']['channel.bler'] > 0)
        self.assertTrue(os.path.exists(os.path.join(a, 'plot-channel.bler.png')))
        with open(os.path.join(a, 'summary.csv')) as f:
            self.assertEqual(len(f.read().splitlines()), 5)
        # `default` has a 10 % error rate: those runs are tools/sim's, byte for byte.
        for seed in (1, 2):
            out = os.path.join(OUT, f'smoke-sim-{seed}')
            q = subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue',
                                'host', '--duration', '800', '--seed', str(seed),
                                '--no-progress', '--sim', SIM, '--out', out, 'default'],
                               capture_output=True, text=True)
            self.assertEqual(q.returncode, 0, q.stderr)
            for f in ('kpi.json', 'kpi.csv'):
                with open(os.path.join(out, f), 'rb') as x, \
                        open(os.path.join(a, f'seed={seed},channel.bler=0.1', f), 'rb') as y:
                    self.assertEqual(x.read(), y.read(), f)
        # Unchanged: compare finds every run identical and exits 0.
        c = subprocess.run(TOOL + ['compare', a, b], capture_output=True, text=True)
        self.assertEqual(c.returncode, 0, c.stdout + c.stderr)
        self.assertIn('compare: 4 of 4 runs identical', c.stdout)
        # Less throughput in one run, a higher latency: regressions, exit 1.
        with open(os.path.join(b, 'summary.json')) as f:
            worse = json.load(f)
        worse['runs'][1]['kpis']['dl_throughput_kbps'] *= 0.9
        worse['runs'][2]['kpis']['dl_latency_p99_ms'] += 5
        path = os.path.join(OUT, 'smoke-worse.json')
        with open(path, 'w') as f:
            json.dump(worse, f)
        c = subprocess.run(TOOL + ['compare', a, path], capture_output=True, text=True)
        self.assertEqual(c.returncode, 1, c.stdout + c.stderr)
        self.assertIn(f'compare: REGRESSION: run {ra[1]["run"]}: dl_throughput_kbps', c.stdout)
        self.assertIn(f'compare: REGRESSION: run {ra[2]["run"]}: dl_latency_p99_ms', c.stdout)
        self.assertIn('compare: REGRESSION: axis seed = ', c.stdout)
        c = subprocess.run(TOOL + ['compare', '--threshold', 'dl_throughput_kbps=20',
                                   '--threshold', 'dl_latency_p99_ms=10:100', a, path],
                           capture_output=True, text=True)
        self.assertEqual(c.returncode, 0, c.stdout + c.stderr)


class RunFolder(unittest.TestCase):
    def test_profile_from_the_firmware_console(self):
        """profile.csv: the supervisor's cycle table of a console as QEMU writes it (CRLF),
        idle and total left out (QEMU's warp, not work)."""
        loader = SourceFileLoader('sweep_tool', TOOL[1])
        tool = module_from_spec(spec_from_loader('sweep_tool', loader))
        loader.exec_module(tool)
        console = ('boot\r\n  supervisor                   2006321    0.0%\r\n'
                   '  log/server                      7819    0.0%\r\n'
                   '  idle                    1889707216275  100.0%\r\n'
                   '  total                   1889785551629  100.0%\r\n')
        tool.write_run(OUT, {'name': 'profile-run', 'files': {'ue1.console': console.encode()}})
        with open(os.path.join(OUT, 'profile-run', 'profile.csv')) as f:
            self.assertEqual(f.read().splitlines(),
                             ['ue,task,cycles', '1,supervisor,2006321', '1,log/server,7819'])


class Faults(unittest.TestCase):
    """On a cluster started as `dask scheduler` and `dask worker` start one."""

    def test_worker_killed_mid_run(self):
        """SIGKILL to a worker process while it runs l4e-sim: Dask runs that run again
        elsewhere and the results are those of an undisturbed sweep."""
        path = write('killtest.toml', '[sweep]\nscenario = "default"\nue = "host"\n'
                     'duration_ms = 1500\ntimeout_s = 120\n[axes]\nseed = [1, 2, 3, 4]\n')
        out = os.path.join(OUT, 'kill-dask')
        p = subprocess.Popen(TOOL + ['--sim', SIM, '--no-progress', '--no-plots', '--scheduler',
                                     CLUSTER['address'], '--connect-timeout', '120', '--out',
                                     out, path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        victim = None
        deadline = time.monotonic() + 120
        while victim is None and time.monotonic() < deadline and p.poll() is None:
            victim = running_worker('l4e-run-', '-killtest-', f'-{p.pid}-')
            time.sleep(0.05)
        self.assertIsNotNone(victim, 'no run seen')
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = p.communicate(timeout=300)
        self.assertEqual(p.returncode, 0, stdout + stderr)
        self.assertIn('4 of 4 runs ok', stdout)
        serial = os.path.join(OUT, 'kill-serial')
        q = sweep('--serial', '--no-plots', '--out', serial, path)
        self.assertEqual(q.returncode, 0, q.stdout + q.stderr)
        self.assertEqual(runs_of(out), runs_of(serial))

    def test_hung_run_killed_others_complete(self):
        """A UE that stops answering (with a UE timeout longer than the sweep's): that run
        is killed at the sweep's timeout and failed, its console kept; the other is ok."""
        scen = write('hang.toml', '[scenario]\nduration_ms = 400\n[ues]\ntimeout_s = 600\n'
                     '[[flow]]\ntype = "echo"\ndir = "ul"\ninterval_ms = 10\nstart_ms = 5\n'
                     '[expect]\nintegrity = false\n')
        fake = os.path.join(ROOT, 'tests', 'sim', 'fake_ue.py')
        path = write('hangtest.toml', f'[sweep]\nscenario = "{scen}"\nue = "qemu"\n'
                     f'loader = "{{python}} {fake} {{radio_fd}} {{host_fd}} --hang-at 150"\n'
                     'timeout_s = 3\n[axes]\nduration_ms = [100, 400]\n')
        out = os.path.join(OUT, 'hang')
        p = sweep('--scheduler', CLUSTER['address'], '--connect-timeout', '120', '--no-plots',
                  '--out', out, path)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        runs = {r['run']: r for r in runs_of(out)}
        self.assertEqual(runs['duration_ms=100']['status'], 'ok')
        hung = runs['duration_ms=400']
        self.assertEqual((hung['status'], hung['error']), ('failed', 'timeout: killed after 3 s'))
        self.assertIn('sweep: run duration_ms=400 failed: timeout', p.stderr)
        with open(os.path.join(out, 'duration_ms=400', 'ue0.console')) as f:
            self.assertIn('fake UE: hanging at 150', f.read())


def running_worker(*needles):
    """The process running an l4e-sim whose run folder's name has all `needles` in it
    (the worker that started it is its parent), or None."""
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                cmd = f.read().decode(errors='replace')
            with open(f'/proc/{pid}/stat') as f:
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if 'l4e-sim' in cmd and all(n in cmd for n in needles):
            return ppid
    return None


if __name__ == '__main__':
    unittest.main()
