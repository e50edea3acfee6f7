# SPDX-License-Identifier: BSD-2-Clause
"""Command line of sysgen: check tasks/system.toml, write the boot tables and headers."""

import argparse
import json
import os
import sys

from . import gen
from .model import SysgenError, load


def build_parser():
    p = argparse.ArgumentParser(
        prog='sysgen',
        description='Check a system description (tasks/system.toml) and generate the '
                    "supervisor's tables: sysinfo.c, modules.S and one sys_<task>.h per task "
                    '(tasks/README.md).')
    p.add_argument('--toml', required=True, metavar='FILE', help='the system description')
    p.add_argument('--root', metavar='DIR',
                   help="the repository (IDL files are looked up under it; default: the "
                        "description's folder's parent)")
    p.add_argument('--elf', action='append', default=[], metavar='TASK=PATH',
                   help="a task's linked ELF (thread entries, segments); needed for "
                        '--out-c and --out-s, once per task')
    p.add_argument('--out-c', metavar='FILE', help='write sysinfo.c (const struct sys_info)')
    p.add_argument('--out-s', metavar='FILE', help="write modules.S (the tasks' segments)")
    p.add_argument('--out-h', metavar='DIR', help='write sys_<task>.h for every task into DIR')
    p.add_argument('--display', metavar='NAME',
                   help='the name of the description in messages and banners (default: '
                        'FILE as given)')
    p.add_argument('--no-warnings', action='store_true',
                   help='print errors only (a build prints the warnings once, when it reads '
                        'the description)')
    p.add_argument('--colocate', metavar='TASK,TASK,...',
                   help='link these tasks into one task, their interfaces to each other bound '
                        'by direct calls (overrides [system] colocate; "" for none; '
                        'tasks/README.md)')
    p.add_argument('--tasks', action='store_true',
                   help='print the tasks as JSON (name, dir, provides_idl, uses_idl) and exit')
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # the reader went away (| head): nothing left to say
        sys.stderr.close()
        return 1
    except Exception as e:  # a sysgen bug: say so plainly, traceback on request
        if os.environ.get('SYSGEN_DEBUG'):
            raise
        sys.stderr.write(f'sysgen: internal error: {type(e).__name__}: {e} (a bug in sysgen; '
                         'SYSGEN_DEBUG=1 shows the traceback)\n')
        return 2


def _run(args):
    elfs = {}
    for spec in args.elf:
        name, sep, path = spec.partition('=')
        if not sep or not name or not path:
            sys.stderr.write(f"sysgen: error: --elf '{spec}' must be TASK=PATH\n")
            return 1
        elfs[name] = path
    try:
        colocate = None if args.colocate is None else \
            [n.strip() for n in args.colocate.split(',') if n.strip()]
        s = load(args.toml, args.root, elfs, display=args.display, colocate=colocate)
    except SysgenError as e:
        shown = [d for d in e.diagnostics if d.kind == 'error' or not args.no_warnings]
        sys.stderr.write(''.join(str(d) + '\n' for d in shown))
        return 1
    for d in s.diagnostics:
        if not args.no_warnings:
            sys.stderr.write(str(d) + '\n')
    if args.tasks:
        print(json.dumps([{'name': t.name, 'dir': t.dir, 'provides_idl': t.provided_idl,
                           'uses_idl': t.used_idl} for t in s.tasks], indent=1))
        return 0
    if (args.out_c or args.out_s):
        missing = [t.name for t in s.tasks if t.name not in elfs]
        if missing:
            sys.stderr.write(f"sysgen: error: --out-c and --out-s need every task's ELF; "
                             f"missing --elf for {', '.join(missing)}\n")
            return 1
    try:
        gen.write(s, args.out_c, args.out_s, args.out_h)
    except OSError as e:
        sys.stderr.write(f'sysgen: error: cannot write {e.filename}: {e.strerror}\n')
        return 1
    return 0
