#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run each libFuzzer target for a bounded time and report in the [test] protocol.

    run_short.py --seconds S FUZZER...
"""

import argparse
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seconds', type=int, default=5)
    ap.add_argument('fuzzers', nargs='+')
    args = ap.parse_args()
    passed = failed = 0
    for fuzzer in args.fuzzers:
        name = os.path.basename(fuzzer)
        cmd = [fuzzer, f'-max_total_time={args.seconds}', '-seed=1', '-rss_limit_mb=2048',
               '-max_len=4096', '-print_final_stats=1']
        p = subprocess.run(cmd, capture_output=True, text=True)
        sys.stdout.write(p.stderr)
        runs = [l for l in p.stderr.splitlines() if l.startswith('stat::number_of_executed_units')]
        if p.returncode == 0 and runs:
            print(f'[test] pass {name} ({runs[0].split(":")[-1].strip()} inputs)')
            passed += 1
        else:
            last = p.stderr.strip().splitlines()[-1:] or ['no output']
            print(f'[test] fail {name} {fuzzer}:0: exit {p.returncode}: {last[0]}')
            failed += 1
    print(f'[test] summary {passed} {failed}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
