# SPDX-License-Identifier: BSD-2-Clause
"""scons bench: the modem against the simulated cell. Runs scenarios with the firmware under
QEMU and prints BENCH lines: simulation speed (simulated seconds per wall second, x1000; and
per CPU second of the simulator, the loader and QEMU together, which a busy machine
disturbs less), firmware cycles per subframe (p50/p99/max, all tasks and the kernel, from the DONE items)
against the budget of the nominal clock, and each task's mean cycles per subframe (the
supervisor's cycle table over the run).

    bench_sim.py [--scenario NAME[:MS]]... [--out DIR]"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bench(name, ms, out, args):
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--no-progress',
           '--duration', str(ms), '--out', out, name]
    if args.sim:
        cmd += ['--sim', args.sim, '--fw', args.fw, '--key', args.key]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if p.returncode:
        print(f'bench: error: {name}: {(p.stdout + p.stderr)[-2000:]}', file=sys.stderr)
        return False
    with open(os.path.join(out, 'kpi.json')) as f:
        kpi = json.load(f)
    u = kpi['ues'][0]
    budget = u['cycles_budget']
    lines = [(f'sim_{name}_speed_x1000', int(ms / 1000 / wall * 1000)),
             (f'sim_{name}_cpu_speed_x1000', int(ms / 1000 / max(cpu, 1e-3) * 1000)),
             (f'fw_{name}_cycles_p50', u['cycles_p50']),
             (f'fw_{name}_cycles_p99', u['cycles_p99']),
             (f'fw_{name}_cycles_max', u['cycles_max']),
             (f'fw_{name}_budget_p50_permille', u['cycles_p50'] * 1000 // budget),
             (f'fw_{name}_budget_p99_permille', u['cycles_p99'] * 1000 // budget),
             (f'fw_{name}_deadline_misses', u['deadline_misses']),
             (f'fw_{name}_dl_kbps', int(u['dl_throughput_kbps'])),
             (f'fw_{name}_ul_kbps', int(u['ul_throughput_kbps']))]
    with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
        console = f.read()
    for task, cycles in re.findall(r'(?m)^  ([a-z]+) +(\d+) +\d+\.\d%$', console):
        if task not in ('idle', 'total'):
            lines.append((f'fw_{name}_task_{task}_per_sf', int(cycles) // ms))
    for n, v in lines:
        print(f'BENCH {n} min={v} median={v} max={v}', flush=True)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scenario', action='append', default=[])
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'bench-sim'))
    ap.add_argument('--sim')
    ap.add_argument('--fw')
    ap.add_argument('--key')
    args = ap.parse_args()
    ok = True
    for item in args.scenario or ['default:10000', 'multi:4000']:
        name, _, ms = item.partition(':')
        ok &= bench(name, int(ms or 10000), os.path.join(args.out, name), args)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
