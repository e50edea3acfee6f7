#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""What a build variant costs: BENCH lines of a variant minus those of the base.

    tools/benchdiff.py --prefix P [--suffix S] BASE VARIANT [--out FILE]

BASE and VARIANT hold `BENCH name min= median= max=` lines (tools/qemu.py bench --out).
For every VARIANT line named P<name> with a BASE line <name>, prints
`BENCH P<name>S min= median= max=`, each the VARIANT figure minus the BASE one, and
writes them to FILE. Exit status 0, or 2 when a file cannot be read or nothing pairs up.
"""

import argparse
import re
import sys

LINE = re.compile(r'^BENCH (\S+) min=(\d+) median=(\d+) max=(\d+)')


def read(path):
    with open(path) as f:
        return {m.group(1): tuple(int(x) for x in m.groups()[1:])
                for m in map(LINE.match, f) if m}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('base')
    ap.add_argument('variant')
    ap.add_argument('--prefix', required=True)
    ap.add_argument('--suffix', default='')
    ap.add_argument('--out')
    args = ap.parse_args()
    try:
        base, var = read(args.base), read(args.variant)
    except OSError as e:
        print(f'benchdiff: error: {e}', file=sys.stderr)
        return 2
    lines = []
    for name, fig in var.items():
        if name.startswith(args.prefix) and name[len(args.prefix):] in base:
            b = base[name[len(args.prefix):]]
            lines.append(f'BENCH {name}{args.suffix} min={fig[0] - b[0]} '
                         f'median={fig[1] - b[1]} max={fig[2] - b[2]}')
    if not lines:
        print(f'benchdiff: error: no {args.prefix}<name> line of {args.variant} has a '
              f'<name> in {args.base}', file=sys.stderr)
        return 2
    print('\n'.join(lines))
    if args.out:
        with open(args.out, 'w') as f:
            f.write('\n'.join(lines) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
