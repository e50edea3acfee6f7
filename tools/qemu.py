#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""QEMU for the firmware: one command line for run, tests, benchmarks and the debugger.

    tools/qemu.py run IMAGE [--timeout S] [--symbols MANIFEST]
                                               boot IMAGE, show the console (symbolized
                                               with MANIFEST's ELFs), exit with its status
    tools/qemu.py debug IMAGE [--manifest M] [--task NAME]
                                               boot halted, attach gdb-multiarch with the
                                               l4e helpers (docs/debugging.md)
    tools/qemu.py bench IMAGE [--out FILE]     run a benchmark image, tabulate BENCH lines

--netdev SLOT:FD (repeatable, any command) attaches a virtio-net device on virtio-mmio
slot SLOT (0..31: registers at 0x0a000000 + SLOT * 0x200, GIC interrupt 48 + SLOT) to
the inherited stream socket FD; QEMU frames each packet on it with a 4-byte big-endian
length (docs/virtio.md).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading

# -icount shift=0: one instruction per virtual ns, so PMCCNTR counts instructions and
# every cycle figure repeats exactly (docs/architecture.md, "Time").
ICOUNT = ['-icount', 'shift=0,align=off,sleep=off']
# QEMU virt has 32 virtio-mmio transports (hw/arm/virt.c, NUM_VIRTIO_TRANSPORTS).
VIRTIO_SLOTS = 32


def netdev_args(netdevs):
    """QEMU options for virtio-net devices: one per (slot, fd), on the transport of that
    slot (bus virtio-mmio-bus.SLOT is the one at 0x0a000000 + SLOT * 0x200), backed by the
    stream socket fd; the modern (version 2) transport, not QEMU's legacy default."""
    if not netdevs:
        return []
    args = ['-global', 'virtio-mmio.force-legacy=false']
    for slot, fd in netdevs:
        args += ['-netdev', f'socket,id=vnet{slot},fd={fd}',
                 '-device', f'virtio-net-device,netdev=vnet{slot},bus=virtio-mmio-bus.{slot}']
    return args


def parse_netdev(text):
    """'SLOT:FD' -> (slot, fd); ValueError with the reason when it is not usable: a slot
    outside 0..31, an fd that is not an open stream socket."""
    slot, sep, fd = text.partition(':')
    if not sep or not slot.isdigit() or not fd.isdigit():
        raise ValueError(f'{text!r}: expected SLOT:FD, two numbers')
    slot, fd = int(slot), int(fd)
    if slot >= VIRTIO_SLOTS:
        raise ValueError(f'{text!r}: slot {slot} is not a virtio-mmio slot (0..{VIRTIO_SLOTS - 1})')
    try:
        kind = socket.socket(fileno=os.dup(fd))
    except OSError as e:
        raise ValueError(f'{text!r}: fd {fd} is not an open socket ({e.strerror})') from None
    with kind:
        if kind.type != socket.SOCK_STREAM:
            raise ValueError(f'{text!r}: fd {fd} is not a stream socket')
    return slot, fd


def netdev_list(items):
    """parse_netdev over a list of --netdev values; a slot given twice is an error."""
    out = [parse_netdev(t) for t in items]
    slots = [s for s, _ in out]
    for s in slots:
        if slots.count(s) > 1:
            raise ValueError(f'slot {s} given twice')
    return out


def cmdline(image, qemu='qemu-system-arm', ram=128, icount=True, gdb_port=None, halted=False,
            boot=None, netdevs=()):
    """The QEMU argument vector that boots `image` (an ELF) on the virt machine; `boot`
    replaces `-kernel image` (tools/fwload boots a firmware blob that way); `netdevs`:
    (slot, fd) pairs, see netdev_args (the caller passes the fds on: pass_fds)."""
    cmd = [qemu, '-M', 'virt', '-cpu', 'cortex-a7', '-m', f'{ram}M',
           '-nodefaults', '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
           '-no-reboot', '-semihosting-config', 'enable=on,target=native']
    cmd += boot if boot is not None else ['-kernel', image]
    if icount:
        cmd += ICOUNT
    if gdb_port:
        cmd += ['-gdb', f'tcp::{gdb_port}']
    if halted:
        cmd += ['-S']
    return cmd + netdev_args(netdevs)


def console_pump(proc, sym):
    """With a symbolizer, copy `proc`'s stdout (a pipe) to ours through it on a thread;
    returns the thread (None without one: the console is inherited)."""
    if sym is None:
        return None
    import symbolize
    t = threading.Thread(target=symbolize.pump, args=(proc.stdout, sym, sys.stdout.buffer),
                         daemon=True)
    t.start()
    return t


def console_done(pump):
    if pump is not None:
        pump.join(timeout=5)


def run(args):
    """Boot interactively; the console goes to the terminal. Returns QEMU's status."""
    sym = None
    if args.symbols:
        import symbolize
        sym = symbolize.Symbolizer(args.symbols)
    cmd = cmdline(args.image, args.qemu, args.ram, netdevs=args.netdevs)
    print('[QEMU] ' + ' '.join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if not sys.stdin.isatty() else None,
                            stdout=subprocess.PIPE if sym else None,
                            pass_fds=[fd for _, fd in args.netdevs])
    pump = console_pump(proc, sym)
    try:
        status = proc.wait(timeout=args.timeout or None)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        console_done(pump)
        print(f'\n[QEMU] stopped after {args.timeout} s (RUN_TIMEOUT)', file=sys.stderr)
        return 124
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        console_done(pump)
        return 130
    console_done(pump)
    print(f'[QEMU] exited with status {status}', flush=True)
    return status


def bench(args):
    """Run a benchmark image under icount; print its BENCH lines as a table and to --out."""
    cmd = cmdline(args.image, args.qemu, args.ram, netdevs=args.netdevs)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout,
                           stdin=subprocess.DEVNULL, pass_fds=[fd for _, fd in args.netdevs])
    except subprocess.TimeoutExpired:
        print(f'bench: error: {args.image}: timeout after {args.timeout:g} s', file=sys.stderr)
        return 1
    lines = [line.strip() for line in p.stdout.splitlines() if line.startswith('BENCH ')]
    errors = [line.strip() for line in p.stdout.splitlines() if line.startswith('BENCH-ERROR')]
    for line in errors:
        print(f'bench: error: {line}', file=sys.stderr)
    if p.returncode != 0 or not lines or errors:
        sys.stderr.write(p.stdout[-2000:])
        print(f'bench: error: {args.image}: status {p.returncode}, {len(lines)} results',
              file=sys.stderr)
        return 1
    print(f'{"benchmark":<24}{"min":>10}{"median":>10}{"max":>10}   (icount cycles)')
    for line in lines:
        name, *fields = line.split()[1:]
        vals = dict(f.split('=') for f in fields)
        print(f'{name:<24}{vals["min"]:>10}{vals["median"]:>10}{vals["max"]:>10}')
    for line in lines:
        print(line)
    if args.out:
        with open(args.out, 'w') as f:
            f.write('\n'.join(lines) + '\n')
    return 0


def gdb_commands(image, port, manifest=None, task=None, symbols=()):
    """gdb's -ex commands: the kernel's symbols, the l4e helpers (tools/gdb/l4e.py) with
    the build's manifest, then one task's symbols (`task`) or the extra `symbols` files,
    and the connection to QEMU's gdbstub on `port`."""
    ex = ['set confirm off', f'file {image}']
    if manifest:
        helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gdb', 'l4e.py')
        ex += [f'source {helper}', f'l4e-load {manifest}']
    if task:
        ex.append(f'l4e-task {task}')
    else:
        ex += [f'add-symbol-file {sym}' for sym in symbols]
    ex.append(f'target remote localhost:{port}')
    return ex


def debug(args):
    """QEMU halted at reset with its gdbstub; gdb-multiarch attached with the kernel's
    symbols and either one task's (--task, with breakpoints that stop only in it) or the
    supervisor's."""
    qcmd = cmdline(args.image, args.qemu, args.ram, gdb_port=args.port, halted=True,
                   netdevs=args.netdevs)
    gcmd = [args.gdb, '-q']
    for ex in gdb_commands(args.image, args.port, args.manifest, args.task, args.symbols):
        gcmd += ['-ex', ex]
    print('[QEMU] ' + ' '.join(qcmd), flush=True)
    qemu = subprocess.Popen(qcmd, stdin=subprocess.DEVNULL,
                            pass_fds=[fd for _, fd in args.netdevs])
    try:
        # gdb owns the terminal; Ctrl-C belongs to it, not to us.
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        subprocess.call(gcmd)
        signal.signal(signal.SIGINT, old)
    finally:
        qemu.terminate()
        qemu.wait()
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--qemu', default='qemu-system-arm')
    p.add_argument('--ram', type=int, default=128)
    p.add_argument('--netdev', action='append', default=[], metavar='SLOT:FD',
                   help='virtio-net on virtio-mmio slot SLOT, backed by inherited socket FD')
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run', help='boot an image and show its console')
    r.add_argument('image')
    r.add_argument('--timeout', type=float, default=0, help='seconds; 0 = none')
    r.add_argument('--symbols', metavar='MANIFEST', help='symbolize the console (symbols.json)')
    d = sub.add_parser('debug', help='boot halted under gdb-multiarch')
    d.add_argument('image')
    d.add_argument('--symbols', action='append', default=[], help='more ELF files with symbols')
    d.add_argument('--manifest', help='build/target/symbols.json: load the l4e gdb helpers')
    d.add_argument('--task', help='debug this task: its symbols, breakpoints only in it')
    d.add_argument('--gdb', default='gdb-multiarch')
    d.add_argument('--port', type=int, default=1234)
    b = sub.add_parser('bench', help='run a benchmark image, print its BENCH lines')
    b.add_argument('image')
    b.add_argument('--timeout', type=float, default=120)
    b.add_argument('--out', help='also write the BENCH lines here')
    args = p.parse_args()
    try:
        args.netdevs = netdev_list(args.netdev)
    except ValueError as e:
        p.error(f'--netdev {e}')
    if not os.path.exists(args.image):
        print(f'qemu.py: error: {args.image}: no such image (run scons first)', file=sys.stderr)
        return 2
    return {'run': run, 'debug': debug, 'bench': bench}[args.cmd](args)


if __name__ == '__main__':
    sys.exit(main())
