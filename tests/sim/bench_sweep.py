#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""scons bench: the sweep engine's overhead. A 32-run sweep (the `default` cell, 1 s of
radio time each, seeds 1-32) on a two-worker local Dask cluster against the ideal, the sum
of the runs' own times over the two workers. Prints BENCH lines: sweep_overhead_ratio
(time from submitting the runs to the last result / ideal; 1.0 is no overhead at all),
the cluster's start-up, the runs' sum and the sweep's time in ms. Wall-clock figures: on a
machine other jobs share they move with the load.

    bench_sweep.py [--runs N] [--duration MS] [--ue host|qemu] [--workers N] [--processes]
                   [--sim PATH]"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=32)
    ap.add_argument('--duration', type=int, default=1000, help='radio time of a run in ms')
    ap.add_argument('--ue', choices=('host', 'qemu'), default='host')
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--processes', action='store_true',
                    help='worker processes with nannies instead of threads')
    ap.add_argument('--sim')
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'bench-sweep'))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, 'bench.toml')
    with open(path, 'w') as f:
        f.write(f'# written by tests/sim/bench_sweep.py\n[sweep]\nscenario = "default"\n'
                f'ue = "{args.ue}"\nduration_ms = {args.duration}\ntimeout_s = 600\n'
                f'[axes]\nseed = {{ from = 1, to = {args.runs} }}\n')
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sweep'), '--workers',
           str(args.workers), '--no-progress', '--no-plots', '--out',
           os.path.join(args.out, 'runs'), path]
    if args.sim:
        cmd[2:2] = ['--sim', args.sim]
    if args.processes:
        cmd[2:2] = ['--processes']
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        print(f'bench: error: the sweep failed: {(p.stdout + p.stderr)[-2000:]}',
              file=sys.stderr)
        return 1
    with open(os.path.join(args.out, 'runs', 'summary.json')) as f:
        t = json.load(f)['timing']
    ideal = t['run_time_sum_s'] / t['workers']
    lines = [('sweep_overhead_ratio', f'{t["runs_s"] / ideal:.3f}'),
             ('sweep_runs', args.runs), ('sweep_workers', t['workers']),
             ('sweep_run_time_sum_ms', int(t['run_time_sum_s'] * 1000)),
             ('sweep_ideal_ms', int(ideal * 1000)),
             ('sweep_time_ms', int(t['runs_s'] * 1000)),
             ('sweep_startup_ms', int(t['startup_s'] * 1000))]
    for n, v in lines:
        print(f'BENCH {n} min={v} median={v} max={v}', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
