# SPDX-License-Identifier: BSD-2-Clause
"""scons bench: the modem against the simulated cell. Runs scenarios with the firmware under
QEMU and prints BENCH lines: simulation speed (simulated seconds per wall second, x1000; and
per CPU second of the simulator, the loader and QEMU together, which a busy machine
disturbs less), firmware cycles per subframe (p50/p99/max, all tasks and the kernel, from
the DONE items) against the budget of the nominal clock, each task's p50/p99/max (from the
task-cycles items) and mean cycles per subframe (the supervisor's cycle table over the
run), and from the kernel's counters (the
supervisor's last line): the fastpath share of delivered messages (`fastpath_share_pct`
for the `default` scenario, `fw_<name>_fastpath_share_pct` for each) and system calls,
messages (`ipc`) and switches per subframe and per IP packet carried. With --colo-fw (the
collocated build, build/modem-colo.fw) the `default` scenario runs on it too: the KPIs must
match (cycles aside), and `multiserver_overhead_pct` = (non-idle cycles multi-server -
collocated) / collocated, the non-idle cycles being every DONE's cycles added up
(`cycles_sum`); the difference per subframe and per packet, and the collocated build's
counters (docs/performance.md, the multi-server tax). With --trace-fw and --colo-trace-fw
(both builds on the profiling kernel, which splits each thread's cycles into user and
kernel) the kernel's cycles per subframe and per packet in each.

    bench_sim.py [--scenario NAME[:MS]]... [--out DIR] [--colo-fw BLOB]
                 [--trace-fw BLOB --colo-trace-fw BLOB]"""

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
    # Per task, p50/p99/max over the subframes (RL_ITEM_TASK_CYCLES, sim/README.md).
    for k in sorted(u):
        m = re.fullmatch(r'task_(\w+)_cycles_(p50|p99|max)', k)
        if m:
            lines.append((f'fw_{name}_task_{m.group(1)}_cycles_{m.group(2)}', u[k]))
    with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
        console = f.read()
    for task, cycles in re.findall(r'(?m)^  ([a-z]+) +(\d+) +\d+\.\d%$', console):
        if task not in ('idle', 'total'):
            lines.append((f'fw_{name}_task_{task}_per_sf', int(cycles) // ms))
    lines += kernel_counts(name, console, kpi, ms)
    if name == 'default' and args.colo_fw:
        colo = colo_counts(name, ms, out + '-colo', args, kpi, console)
        if colo is None:
            return False
        lines += colo
    if name == 'default' and args.trace_fw and args.colo_trace_fw:
        kern = kernel_cycles(name, ms, out, args, kpi)
        if kern is None:
            return False
        lines += kern
    for n, v in lines:
        print(f'BENCH {n} min={v} median={v} max={v}', flush=True)
    return True


# KPIs collocation may change: the firmware's cycles, in all and per task (task_<name>_cycles_*,
# the collocated task's instead of its members'), nothing else (tests/system/test_colo.py).
CYCLES = {'cycles_p50', 'cycles_p99', 'cycles_max', 'cycles_sum'}


def colo_counts(name, ms, out, args, kpi, console):
    """The same scenario on the collocated build: its KPIs must equal the multi-server
    run's (cycles aside); BENCH items of the difference in non-idle cycles."""
    if not bench_run(name, ms, out, args, args.colo_fw):
        return None
    with open(os.path.join(out, 'kpi.json')) as f:
        ckpi = json.load(f)
    with open(os.path.join(out, 'ue0.console'), errors='replace') as f:
        cconsole = f.read()
    u, c = kpi['ues'][0], ckpi['ues'][0]
    differ = [k for k in u if k not in CYCLES and not re.match(r'task_.+_cycles_', k)
              and u[k] != c.get(k)]
    if differ or kpi['flows'] != ckpi['flows']:
        print(f'bench: error: {name}: the collocated build changed KPIs: '
              + ', '.join(f'{k} {u[k]} -> {c.get(k)}' for k in differ[:8]), file=sys.stderr)
        return None
    multi, col = u['cycles_sum'], c['cycles_sum']
    packets = sum(f['rx_packets'] + f.get('replies', 0) for f in kpi['flows'])
    tax = multi - col
    v = tax * 10000 // max(col, 1)
    lines = [('multiserver_overhead_pct', f'{v // 100}.{v % 100:02d}'),
             (f'fw_{name}_nonidle_cycles_multi', multi),
             (f'fw_{name}_nonidle_cycles_colo', col),
             (f'fw_{name}_multiserver_tax_per_sf', tax // ms),
             (f'fw_{name}_colo_cycles_p50', c['cycles_p50']),
             (f'fw_{name}_colo_cycles_p99', c['cycles_p99'])]
    if packets:
        lines.append((f'fw_{name}_multiserver_tax_per_packet', tax // packets))
    m = re.search(r'(?m)^supervisor: kernel (.*)$', cconsole)
    if m:
        k = {a: int(b) for a, b in re.findall(r'(\w+)=(\d+)', m.group(1))}
        for what in ('syscalls', 'ipc', 'switches'):
            n = k[what] * 100 // ms
            lines.append((f'fw_{name}_colo_{what}_per_sf', f'{n // 100}.{n % 100:02d}'))
    return lines


def kernel_cycles(name, ms, out, args, kpi):
    """Both builds on the profiling kernel: the kernel's cycles (every thread's kernel
    time, from the supervisor's profile lines) per subframe and per packet, and their
    difference. That kernel pays its own accounting (docs/performance.md, 18 + 12 cycles a
    fastpath round trip), so these are a little above the shipped kernel's."""
    packets = sum(f['rx_packets'] + f.get('replies', 0) for f in kpi['flows'])
    got = {}
    for which, fw in (('', args.trace_fw), ('colo_', args.colo_trace_fw)):
        o = out + '-' + (which or 'multi_') + 'trace'
        if not bench_run(name, ms, o, args, fw):
            return None
        with open(os.path.join(o, 'ue0.console'), errors='replace') as f:
            k = [int(v) for v in re.findall(r'(?m)^profile: thread .* kernel=(\d+) ', f.read())]
        if not k:
            print(f'bench: error: {name}: no profile lines on the trace console', file=sys.stderr)
            return None
        got[which] = sum(k)
    lines = []
    for which, total in got.items():
        lines.append((f'fw_{name}_{which}kernel_cycles_per_sf', total // ms))
        if packets:
            lines.append((f'fw_{name}_{which}kernel_cycles_per_packet', total // packets))
    lines.append((f'fw_{name}_multiserver_kernel_tax_per_sf', (got[''] - got['colo_']) // ms))
    return lines


def bench_run(name, ms, out, args, fw):
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--no-progress',
           '--duration', str(ms), '--out', out, '--fw', fw, name]
    if args.sim:
        cmd += ['--sim', args.sim, '--key', args.key]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        print(f'bench: error: {name} (collocated): {(p.stdout + p.stderr)[-2000:]}',
              file=sys.stderr)
        return False
    return True


def kernel_counts(name, console, kpi, ms):
    """BENCH items from the supervisor's kernel counters (docs/performance.md, Kernel counters):
    the fastpath share of delivered messages, and per subframe and per IP packet the firmware
    carried (both directions, echo replies included) the system calls, messages and switches."""
    m = re.search(r'(?m)^supervisor: kernel (.*)$', console)
    if not m:
        print(f'bench: error: {name}: no kernel counters on the console', file=sys.stderr)
        return []
    k = {a: int(b) for a, b in re.findall(r'(\w+)=(\d+)', m.group(1))}
    packets = sum(f['rx_packets'] + f.get('replies', 0) for f in kpi['flows'])

    def hundredths(num, den):  # truncated, so a figure never looks better than it is
        v = num * 100 // max(den, 1)
        return f'{v // 100}.{v % 100:02d}'

    share = hundredths(k['fastpath'] * 100, k['ipc'])
    lines = [('fastpath_share_pct', share)] if name == 'default' else []
    lines += [(f'fw_{name}_fastpath_share_pct', share),
              (f'fw_{name}_slowpath_msgs', k['slowpath'])]
    for what in ('syscalls', 'ipc', 'switches'):
        lines.append((f'fw_{name}_{what}_per_sf', hundredths(k[what], ms)))
        if packets:
            lines.append((f'fw_{name}_{what}_per_packet', hundredths(k[what], packets)))
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scenario', action='append', default=[])
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'bench-sim'))
    ap.add_argument('--sim')
    ap.add_argument('--fw')
    ap.add_argument('--key')
    ap.add_argument('--colo-fw', help='the collocated build: multiserver_overhead_pct')
    ap.add_argument('--trace-fw', help='the firmware on the profiling kernel')
    ap.add_argument('--colo-trace-fw', help='the collocated build on the profiling kernel')
    args = ap.parse_args()
    ok = True
    for item in args.scenario or ['default:10000', 'multi:4000']:
        name, _, ms = item.partition(':')
        ok &= bench(name, int(ms or 10000), os.path.join(args.out, name), args)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
