# SPDX-License-Identifier: BSD-2-Clause
"""scons soak: the firmware blob against the simulated cell's `soak` scenario (full-buffer
traffic both ways and an echo flow, 60 s of radio time), then what must hold at the end,
read from tools/sim --check and the firmware's console (docs/reliability.md):

- every AM byte once, in order, unmodified, nothing in flight (tools/sim --check; frames
  tshark cannot decode in the captures are printed, not failed: see below);
- every buffer pool full again after the drain (`supervisor: pool <p> end ... used=0`);
- no growing queue: the pools' samples every 10 s of radio time stay bounded (the second
  half's peak no higher than the first half's, with a margin of a tenth of the pool);
- no missed heartbeat and no restart (`supervisor: watchdog task=...`), nothing dropped.

Prints `[test]` lines (tools/testrun.py exec).

    soak.py --sim build/host/sim/l4e-sim --fw build/modem.fw --key build/keys/dev.pub
            [--qemu qemu-system-arm] [--duration MS] [--out DIR]"""

import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))

import simscen  # noqa: E402

results = []


def case(name, ok, why=''):
    results.append(ok)
    print(f'[test] pass {name}' if ok else f'[test] fail {name} soak.py:0: {why}', flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sim', required=True)
    ap.add_argument('--fw', required=True)
    ap.add_argument('--key', required=True)
    ap.add_argument('--qemu', default='qemu-system-arm')
    ap.add_argument('--duration', type=int, help='radio time in ms (default: the scenario)')
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'sim', 'soak'))
    args = ap.parse_args()
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'sim'), '--ue', 'qemu', '--no-progress',
           '--sim', args.sim, '--fw', args.fw, '--key', args.key, '--qemu', args.qemu,
           '--out', args.out, '--check', 'soak']
    if args.duration:
        cmd += ['--duration', str(args.duration)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    print(p.stdout[-2000:], flush=True)
    # tools/sim --check's problems; frames tshark calls malformed are reported, not failed:
    # over 60 s of full-buffer uplink the 12-bit PDCP SN wraps every few seconds and
    # tshark's HFN tracking falls one behind after some wraps (it deciphers with a COUNT
    # one HFN short), while the simulator's end-to-end check of every byte is what counts.
    problems = re.findall(r'^check: soak: (.*)$', p.stdout + p.stderr, re.M)
    pcap = [x for x in problems if re.search(r'\.pcap: \d+ malformed frame', x)]
    real = [x for x in problems if x != 'ok' and x not in pcap]
    for x in pcap:
        print(f'soak: note: tshark: {x}', flush=True)
    case('soak_integrity', p.returncode in (0, 1) and bool(problems) and not real,
         '; '.join(real) or (p.stdout + p.stderr)[-500:].replace('\n', ' '))
    try:
        with open(os.path.join(args.out, 'ue0.console'), errors='replace') as f:
            console = f.read()
        with open(os.path.join(args.out, 'kpi.json')) as f:
            kpi = json.load(f)
    except OSError as e:
        case('soak_outputs', False, str(e))
        print(f'[test] summary {results.count(True)} {results.count(False)}')
        return 1

    ends = re.findall(r'^supervisor: pool (\S+) end blocks=(\d+) used=(\d+)$', console, re.M)
    case('soak_pools_reported', bool(ends), 'no pool report at the end')
    for name, blocks, used in ends:
        case(f'soak_pool_{name}_full_again', used == '0', f'{used} of {blocks} blocks in use')

    samples = {}
    for name, at, blocks, used in re.findall(
            r'^supervisor: pool (\S+) at=(\d+) blocks=(\d+) used=(\d+)$', console, re.M):
        samples.setdefault(name, []).append((int(at), int(blocks), int(used)))
    duration = args.duration or simscen.load(simscen.resolve('soak', ROOT)).duration_ms
    expected = duration // 10000  # one sample every 10 s of radio time
    case('soak_pools_sampled', expected < 2 or (bool(samples) and all(
        len(s) >= expected - 1 for s in samples.values())), f'samples: {samples}')
    for name, s in samples.items():
        first = [u for at, _, u in s if at <= duration // 2]
        second = [u for at, _, u in s if at > duration // 2]
        blocks = s[0][1]
        ok = not first or not second or max(second) <= max(first) + blocks // 10
        case(f'soak_pool_{name}_no_growing_queue', ok,
             f'used blocks by sample: {[u for _, _, u in s]}')

    wd = re.findall(r'^supervisor: watchdog task=(\S+) heartbeats=(\d+) missed=(\d+) '
                    r'restarts=(\d+)$', console, re.M)
    case('soak_watchdog_reported', bool(wd), 'no watchdog report at the end')
    for name, beats, missed, restarts in wd:
        case(f'soak_{name}_no_missed_heartbeat',
             missed == '0' and restarts == '0' and int(beats) >= duration // 1000 - 2,
             f'heartbeats={beats} missed={missed} restarts={restarts}')
    dropped = [line for line in re.findall(r'^.*(?:dropped|refused|not taken).*$', console, re.M)
               if not line.endswith(' 0')]
    case('soak_nothing_dropped', not dropped, '; '.join(dropped[:3]))
    print(f'[test] summary {results.count(True)} {results.count(False)}')
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
