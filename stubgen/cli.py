# SPDX-License-Identifier: BSD-2-Clause
"""Command line: parse arguments, compile one IDL file, report diagnostics."""

import argparse
import os
import sys

from .diag import IdlError, render
from .model import Program

KINDS = ('types', 'client', 'server', 'collocated')


def build_parser():
    p = argparse.ArgumentParser(
        prog='stubgen',
        description='Compile an l4e IDL file into C: a types header, client stubs, a server '
                    'dispatcher and a collocated binding (see idl/README.md).')
    p.add_argument('idl', metavar='FILE.idl', help='the IDL file to compile')
    p.add_argument('-o', '--out', metavar='DIR', default='.',
                   help='output directory (default: the current directory)')
    p.add_argument('-I', dest='include', metavar='DIR', action='append', default=[],
                   help='also search DIR for imported files (after the importing file\'s '
                        'directory); may be repeated')
    for k in KINDS:
        p.add_argument('--' + k, action='store_true',
                       help=f'emit the {k} output (all kinds when none is named)')
    p.add_argument('--check', action='store_true', help='check the IDL only; write nothing')
    p.add_argument('--list', action='store_true',
                   help='print the files that would be written, one per line, and exit')
    p.add_argument('--deps', action='store_true',
                   help='print the imported files (transitively), one per line, and exit')
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except Exception as e:  # a stubgen bug: say so plainly, keep the traceback opt-in
        if os.environ.get('STUBGEN_DEBUG'):
            raise
        sys.stderr.write(f'stubgen: internal error: {type(e).__name__}: {e} (a bug in '
                         'stubgen; STUBGEN_DEBUG=1 shows the traceback)\n')
        return 2


def _run(args):
    kinds = [k for k in KINDS if getattr(args, k)] or list(KINDS)
    prog = Program(args.include)
    try:
        unit = prog.load(args.idl)
    except IdlError as e:
        for loc, msg in prog.diag.warnings:
            sys.stderr.write(render(loc, 'warning', msg))
        sys.stderr.write(render(e.loc, 'error', e.msg, e.notes))
        return 1
    except OSError as e:
        name = args.idl if os.path.abspath(args.idl) == e.filename else e.filename
        sys.stderr.write(f'stubgen: error: cannot read {name}: {e.strerror}\n')
        return 1
    for loc, msg in prog.diag.warnings:
        sys.stderr.write(render(loc, 'warning', msg))
    if args.deps:
        for u in prog.order:
            if u is not unit:
                print(u.path)
        return 0
    try:
        from .generate import outputs
    except ImportError as e:
        sys.stderr.write(f'stubgen: error: {e.name} is missing: install python3-jinja2 '
                         '(tools/setup)\n')
        return 1
    files = outputs(prog, unit, kinds)
    if args.list:
        for name in files:
            print(os.path.join(args.out, name))
        return 0
    if args.check:
        return 0
    try:
        os.makedirs(args.out, exist_ok=True)
        for name, text in files.items():
            path = os.path.join(args.out, name)
            tmp = path + '.tmp'
            with open(tmp, 'w', encoding='utf-8') as f:
                f.write(text)
            os.replace(tmp, path)
    except OSError as e:
        sys.stderr.write(f'stubgen: error: cannot write {e.filename}: {e.strerror}\n')
        return 1
    return 0
