#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Instructions per register-only round trip, generated stubs against hand-written code, on the
host under callgrind (over the fake IPC transport, so the difference is the stubs' own cost).

    bench_stubs.py PROGRAM --out FILE
"""

import argparse
import re
import subprocess
import sys

ITERATIONS = 1000


def collected(prog, func):
    p = subprocess.run(['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null',
                        f'--toggle-collect={func}', prog], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f'bench_stubs: {prog} failed:\n{p.stdout}{p.stderr}')
    m = re.search(r'Collected : (\d+)', p.stderr)
    if not m:
        sys.exit(f'bench_stubs: no callgrind total for {func}:\n{p.stderr}')
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('prog')
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    lines = []
    for words in (0, 4, 8):
        gen = collected(args.prog, f'generated_w{words}') / ITERATIONS
        hand = collected(args.prog, f'hand_w{words}') / ITERATIONS
        lines.append(f'BENCH stubgen/host_w{words} generated={gen:.0f} hand={hand:.0f} '
                     f'overhead={gen - hand:+.0f} (x86-64 instructions per round trip, '
                     'callgrind)')
    text = '\n'.join(lines) + '\n'
    sys.stdout.write(text)
    with open(args.out, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
