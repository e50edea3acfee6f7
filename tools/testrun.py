#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Test runner: runs one test program or QEMU image, reads the result protocol, writes a
result file; `summary` adds them all up (see tests/README.md for the protocol).

    testrun.py exec  --name N --result R --log L [--timeout S] -- PROGRAM ARGS...
    testrun.py qemu  --name N --result R --log L IMAGE [--expect-exit K --expect RE ...]
    testrun.py qemu  ... --fw-key PUBKEY BLOB    boot a firmware blob through tools/fwload
    testrun.py summary RESULT...
"""

import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

LINE = re.compile(r'^\[test\] (pass|fail|summary) (.*)$')
PANIC = 'KERNEL PANIC'


class Outcome:
    """What one test program reported, and what went wrong around it."""

    def __init__(self, name):
        self.name = name
        self.cases = []        # (ok, case, reason)
        self.summary = None    # (passed, failed)
        self.errors = []       # harness-level failures

    def parse(self, text):
        for raw in text.splitlines():
            line = raw.rstrip('\r')
            m = LINE.match(line)
            if not m:
                if PANIC in line:
                    self.errors.append(line.strip())
                continue
            kind, rest = m.groups()
            if kind == 'summary':
                try:
                    p, f = (int(x) for x in rest.split())
                except ValueError:
                    self.errors.append(f'malformed summary line: {line!r}')
                    continue
                self.summary = (p, f)
            else:
                case, _, reason = rest.partition(' ')
                self.cases.append((kind == 'pass', case, reason.strip()))

    def check_protocol(self):
        if self.summary is None:
            self.errors.append('no summary line (test program died or never finished)')
            return
        passed = sum(1 for ok, _, _ in self.cases if ok)
        failed = len(self.cases) - passed
        if self.summary != (passed, failed):
            self.errors.append(f'summary says {self.summary[0]} passed, {self.summary[1]} failed; '
                               f'saw {passed} and {failed}')
        if not self.cases:
            self.errors.append('no test cases ran')

    def write(self, path):
        with open(path, 'w') as f:
            for ok, case, reason in self.cases:
                f.write(f'{"pass" if ok else "fail"}\t{self.name}/{case}\t{reason}\n')
            for err in self.errors:
                f.write(f'fail\t{self.name}\t{err}\n')


def run_captured(cmd, timeout, log, env=None, started=None):
    """Run `cmd`, stdout+stderr into `log`; return (status or None on timeout, text).
    `started(proc)`, if given, runs once the program is up (the blob loader)."""
    start = time.monotonic()
    with open(log, 'w+') as f:
        f.write('$ ' + ' '.join(cmd) + '\n')
        f.flush()
        try:
            proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        except OSError as e:
            return -1, f'cannot start {cmd[0]}: {e}'
        try:
            if started:
                started(proc)
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            status = None
        f.write(f'\n[testrun] status {status} after {time.monotonic() - start:.1f} s\n')
        f.seek(0)
        return status, f.read()


def cmd_exec(args):
    out = Outcome(args.name)
    env = dict(os.environ, ASAN_OPTIONS='abort_on_error=0:detect_leaks=1',
               UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1')
    for item in args.env:
        key, _, value = item.partition('=')
        env[key] = value
    status, text = run_captured(args.program, args.timeout, args.log, env)
    out.parse(text)
    if status is None:
        out.errors.append(f'timeout after {args.timeout:g} s')
    elif status < 0 and text.startswith('cannot start'):
        out.errors.append(text)
    else:
        out.check_protocol()
        failed = sum(1 for ok, _, _ in out.cases if not ok)
        if status != 0 and failed == 0:
            out.errors.append(f'exited with status {status}')
    out.write(args.result)
    return 0


def cmd_qemu(args):
    out = Outcome(args.name)
    if args.fw_key:
        status, text = run_blob(args, out)
        if status is False:
            out.write(args.result)
            return 0
    else:
        cmd = qemu.cmdline(args.image, args.qemu, args.ram)
        status, text = run_captured(cmd, args.timeout, args.log)
    if args.expect_exit is not None or args.expect or args.reject:
        # A negative test: the image must end the way it is told to, protocol or not.
        want = 0 if args.expect_exit is None else args.expect_exit
        if status is None:
            out.errors.append(f'timeout after {args.timeout:g} s')
        elif status != want:
            out.errors.append(f'QEMU exited with {status}, expected {want}')
        for pattern in args.expect:
            if not re.search(pattern, text, re.M):
                out.errors.append(f'console lacks /{pattern}/')
        for pattern in args.reject:
            m = re.search(pattern, text, re.M)
            if m:
                line = text[m.start():text.find('\n', m.start())].strip()
                out.errors.append(f'console shows /{pattern}/: {line}')
        if not out.errors:
            out.cases.append((True, 'expected-end', ''))
        out.write(args.result)
        return 0
    out.parse(text)
    if status is None:
        out.errors.append(f'timeout after {args.timeout:g} s')
    else:
        out.check_protocol()
        failed = sum(1 for ok, _, _ in out.cases if not ok)
        if status != (1 if failed else 0):
            out.errors.append(f'QEMU exited with status {status}')
    out.write(args.result)
    return 0


def run_blob(args, out):
    """Verify and boot the firmware blob `args.image` through tools/fwload; a refused
    blob or a failed load is a harness error and (False, reason)."""
    fwload = _load_tool('fwload')
    try:
        boot = fwload.Boot(args.image, args.fw_key, args.ram)
    except fwload.FwError as e:
        out.errors.append(f'blob refused: {e}')
        return False, str(e)
    failure = []

    def load(proc):
        try:
            boot.load(proc)
        except (fwload.FwError, OSError) as e:
            failure.append(f'blob loading failed: {e}')
            proc.kill()

    try:
        status, text = run_captured(boot.cmdline(args.qemu), args.timeout, args.log,
                                    started=load)
    finally:
        boot.close()
    if failure:
        out.errors += failure
        return False, failure[0]
    return status, text


def _load_tool(name):
    from importlib.machinery import SourceFileLoader
    from importlib.util import module_from_spec, spec_from_loader
    loader = SourceFileLoader(name, os.path.join(os.path.dirname(os.path.abspath(__file__)), name))
    mod = module_from_spec(spec_from_loader(name, loader))
    loader.exec_module(mod)
    return mod


def cmd_summary(args):
    passed = failed = 0
    failures = []
    for path in args.results:
        try:
            with open(path) as f:
                rows = [line.rstrip('\n').split('\t') for line in f if line.strip()]
        except OSError as e:
            failures.append((os.path.basename(path), f'no result ({e.strerror})', None))
            failed += 1
            continue
        for row in rows:
            if row[0] == 'pass':
                passed += 1
            else:
                failed += 1
                failures.append((row[1], row[2] if len(row) > 2 else '',
                                 path[:-len('.result')] + '.log'))
    for name, reason, log in failures:
        print(f'FAIL {name}: {reason}' + (f'  (log: {os.path.relpath(log)})' if log else ''))
    print(f'{passed} passed, {failed} failed')
    return 1 if failed or not passed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    for name in ('exec', 'qemu'):
        s = sub.add_parser(name)
        s.add_argument('--name', required=True)
        s.add_argument('--result', required=True)
        s.add_argument('--log', required=True)
        s.add_argument('--timeout', type=float, default=60)
    e = sub.choices['exec']
    e.add_argument('--env', action='append', default=[], help='KEY=VALUE for the program')
    e.add_argument('program', nargs='+')
    q = sub.choices['qemu']
    q.add_argument('image')
    q.add_argument('--qemu', default='qemu-system-arm')
    q.add_argument('--ram', type=int, default=128)
    q.add_argument('--expect-exit', type=int)
    q.add_argument('--expect', action='append', default=[], help='regex the console must match')
    q.add_argument('--reject', action='append', default=[],
                   help='regex the console must not match')
    q.add_argument('--fw-key', help='IMAGE is a firmware blob: verify with this key, boot via fwload')
    s = sub.add_parser('summary')
    s.add_argument('results', nargs='*')
    args = p.parse_args()
    return {'exec': cmd_exec, 'qemu': cmd_qemu, 'summary': cmd_summary}[args.cmd](args)


if __name__ == '__main__':
    sys.exit(main())
