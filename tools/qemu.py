#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""QEMU for the firmware: one command line for run, tests, benchmarks and the debugger.

    tools/qemu.py run IMAGE [--timeout S]      boot IMAGE, show the console, exit with its status
    tools/qemu.py debug IMAGE [--symbols ELF]  boot halted, attach gdb-multiarch
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

# -icount shift=0: one instruction per virtual ns, so PMCCNTR counts instructions and
# every cycle figure repeats exactly (DESIGN.md §1).
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


def run(args):
    """Boot interactively; the console goes to the terminal. Returns QEMU's status."""
    cmd = cmdline(args.image, args.qemu, args.ram, netdevs=args.netdevs)
    print('[QEMU] ' + ' '.join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if not sys.stdin.isatty() else None,
                            pass_fds=[fd for _, fd in args.netdevs])
    try:
        status = proc.wait(timeout=args.timeout or None)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        print(f'\n[QEMU] stopped after {args.timeout} s (RUN_TIMEOUT)', file=sys.stderr)
        return 124
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        return 130
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


def debug(args):
    """QEMU halted at reset with its gdbstub; gdb-multiarch attached with all symbols."""
    qcmd = cmdline(args.image, args.qemu, args.ram, gdb_port=args.port, halted=True,
                   netdevs=args.netdevs)
    gcmd = [args.gdb, '-q', '-ex', 'set confirm off', '-ex', f'file {args.image}']
    for sym in args.symbols:
        gcmd += ['-ex', f'add-symbol-file {sym}']
    gcmd += ['-ex', f'target remote localhost:{args.port}']
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
    d = sub.add_parser('debug', help='boot halted under gdb-multiarch')
    d.add_argument('image')
    d.add_argument('--symbols', action='append', default=[], help='more ELF files with symbols')
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
