#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Host side of the virtio tests: boots firmware with a virtio-net device whose other end
is a socket here, plays the peer, and prints the [test] protocol: the
firmware's own cases as it printed them, the host's checks, one summary.

    vnet_host.py driver [--qemu Q] [--ram MB] [--timeout S] IMAGE
        the driver library test (tests/virtio/driver.c) booted through tools/qemu.py run:
        the peer echoes patterns and answers commands; the firmware checks the echoes
    vnet_host.py system --fw-key PUB [--qemu Q] [--ram MB] [--timeout S] BLOB
        the sysgen system of tests/virtio/system/ booted through tools/fwload: the
        firmware echoes; the peer sends, checks, and says BYE

Packets and commands: tests/virtio/vnet_proto.h (read from there, so both sides agree).
The socket carries each packet behind a 4-byte big-endian length (QEMU's socket netdev).
"""

import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = sys.executable
DRIVER_SLOT = 0  # tests/virtio/driver.c maps the window's first page
SYSTEM_SLOT = 8  # tests/virtio/system/system.toml: the host link's device


def proto_constants(path=os.path.join(HERE, 'vnet_proto.h')):
    """The VNET_PROTO_* numbers of the C header, without the prefix."""
    with open(path) as f:
        text = f.read()
    return {m.group(1): int(m.group(2), 0) for m in re.finditer(
        r'^#define\s+VNET_PROTO_(\w+)\s+(0x[0-9a-fA-F]+|\d+)u?\b', text, re.M)}


P = proto_constants()


def pattern(seed, n):
    """vnet_proto_fill(): the seed in the first 4 bytes, then the pattern (seed 0 when
    shorter than 4 bytes)."""
    seed = seed if n >= 4 else 0
    out = bytearray((seed * 31 + i * 7 + (i >> 8) * 3) & 0xff for i in range(n))
    if n >= 4:
        out[:4] = struct.pack('<I', seed)
    return bytes(out)


def seed_of(pkt):
    """The seed of a well-formed pattern packet, else None."""
    seed = struct.unpack('<I', pkt[:4])[0] if len(pkt) >= 4 else 0
    return seed if pkt == pattern(seed, len(pkt)) else None


def command(pkt):
    """(op, a, b) of a command packet, else None."""
    if len(pkt) == 16 and struct.unpack('<I', pkt[:4])[0] == P['CMD_MAGIC']:
        return struct.unpack('<III', pkt[4:])
    return None


class Link:
    """One end of the stream QEMU's socket netdev uses: a 4-byte big-endian length, then
    the packet (QEMU net/socket.c)."""

    def __init__(self, sock):
        self.sock = sock
        self.wlock = threading.Lock()

    def _exactly(self, n):
        buf = b''
        while len(buf) < n:
            part = self.sock.recv(n - len(buf))
            if not part:
                return None
            buf += part
        return buf

    def recv(self):
        """The next packet, or None when QEMU closed its end."""
        head = self._exactly(4)
        if head is None:
            return None
        return self._exactly(struct.unpack('>I', head)[0])

    def send(self, pkt):
        with self.wlock:
            self.sock.sendall(struct.pack('>I', len(pkt)) + pkt)


class Results:
    """The host's own cases."""

    def __init__(self):
        self.cases = []

    def check(self, name, ok, why=''):
        self.cases.append((bool(ok), name, '' if ok else why))


def boot(cmd, child, timeout):
    """Run the boot command with `child` (our socket's other end) inherited; returns
    (status or None on timeout, console text). The command stops QEMU at `timeout`
    itself (status 124); past that, its whole process group is killed."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, pass_fds=[child.fileno()],
                                start_new_session=True)
    finally:
        child.close()  # QEMU holds it now: its exit is our end-of-stream
    try:
        out, _ = proc.communicate(timeout=timeout + 10)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, _ = proc.communicate()
        status = None
    return status, out.decode('utf-8', errors='replace').replace('\r\n', '\n')


# ---------------------------------------------------------------- driver: the peer echoes

def driver_peer(link, seen):
    """Echo every pattern packet; answer commands; record what came (for the checks)."""
    try:
        serve(link, seen)
    except OSError as e:  # the run ended under us
        seen.append(('error', str(e)))


def serve(link, seen):
    while True:
        pkt = link.recv()
        if pkt is None:
            return
        cmd = command(pkt)
        if cmd is None:
            seen.append((seed_of(pkt), len(pkt)))
            link.send(pkt)
        elif cmd[0] == P['OP_OVERSIZE']:
            seen.append(('oversize', cmd[1], cmd[2]))
            link.send(pattern(P['SEED_SIZES'] + 100, cmd[1]))
            link.send(pattern(P['SEED_SIZES'] + 101, cmd[2]))
            link.send(pattern(P['SEED_AFTER'], P['AFTER_LEN']))
        elif cmd[0] == P['OP_BYE']:
            seen.append(('bye',))


def driver(args, res):
    ours, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    seen = []
    peer = threading.Thread(target=driver_peer, args=(Link(ours), seen), daemon=True)
    peer.start()
    cmd = [PYTHON, os.path.join(ROOT, 'tools', 'qemu.py'), '--qemu', args.qemu,
           '--ram', str(args.ram), '--netdev', f'{DRIVER_SLOT}:{child.fileno()}', 'run', args.image,
           '--timeout', str(args.timeout)]
    status, console = boot(cmd, child, args.timeout)
    peer.join(5)
    ours.close()
    pats = [x for x in seen if len(x) == 2]
    first = [(seed_of(pattern(P['SEED_SIZES'] + i, n)), n)
             for i, n in enumerate([1, 60, 1500, 9000, P['MTU']])]
    res.check('host_sizes_arrived_as_sent', pats[:5] == first, f'first packets {pats[:5]}')
    run = [s - P['SEED_RUN'] for s, _ in pats
           if s is not None and s >> 16 == P['SEED_RUN'] >> 16]
    res.check('host_200_in_order', run == list(range(200)),
              f'{len(run)} packets of the run, first out of order at '
              f'{next((i for i, v in enumerate(run) if v != i), None)}')
    bad = [x for x in seen if len(x) == 2 and x[0] is None]
    res.check('host_every_packet_well_formed', not bad, f'{len(bad)} malformed, first {bad[:1]}')
    res.check('host_oversize_sent', ('oversize', P['MTU'] + 1, 3 * P['MTU']) in seen,
              'no OVERSIZE command')
    res.check('host_bye', ('bye',) in seen, 'the firmware never said BYE')
    errs = [x for x in seen if x[0] == 'error']
    res.check('host_link_error_free', not errs, f'{errs[:1]}')
    return status, console, 0


# ---------------------------------------------------------------- system: the firmware echoes

def system(args, res):
    ours, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    link = Link(ours)
    got, errors = [], []
    sizes = [1, 60, 1500, 9000, P['MTU']]
    run = [(P['SEED_RUN'] + i, 4 + (i * 997) % 3000) for i in range(200)]

    def drive():
        # The firmware's READY first (nothing sent before it is safe), then one at a time
        # (each echo awaited), then 200 in a row, then BYE.
        try:
            first = link.recv()
            if first is None or command(first) != (P['OP_READY'], 0, 0):
                errors.append(f'first packet {first!r:.40}, not READY')
                return
            for i, n in enumerate(sizes):
                link.send(pattern(P['SEED_SIZES'] + i, n))
                got.append(link.recv())
            writer = threading.Thread(target=lambda: [link.send(pattern(s, n)) for s, n in run],
                                      daemon=True)
            writer.start()
            for _ in run:
                got.append(link.recv())
            writer.join()
            link.send(struct.pack('<IIII', P['CMD_MAGIC'], P['OP_BYE'], 0, 0))
        except (OSError, TypeError) as e:
            errors.append(str(e))

    peer = threading.Thread(target=drive, daemon=True)
    peer.start()
    cmd = [PYTHON, os.path.join(ROOT, 'tools', 'fwload'), '--key', args.fw_key,
           '--qemu', args.qemu, '--ram', str(args.ram), '--timeout', str(args.timeout),
           '--netdev', f'{SYSTEM_SLOT}:{child.fileno()}', args.image]
    status, console = boot(cmd, child, args.timeout)
    peer.join(5)
    ours.close()
    want = [pattern(P['SEED_SIZES'] + i, n) for i, n in enumerate(sizes)]
    res.check('host_sizes_echoed_byte_identical', got[:5] == want,
              f'{sum(a == b for a, b in zip(got, want))} of 5 identical; {errors[:1]}')
    want = [pattern(s, n) for s, n in run]
    res.check('host_200_echoed_in_order', got[5:] == want,
              f'{len(got) - 5} echoed, first difference at '
              f'{next((i for i, (a, b) in enumerate(zip(got[5:], want)) if a != b), None)}')
    # The header the driver read names the memory the supervisor allocated for the pool.
    sup = re.search(r'^supervisor: dma pool link 0x([0-9a-f]{8}) 0x([0-9a-f]{8})$', console, re.M)
    task = re.search(r'^vecho: dma header paddr 0x([0-9a-f]{8}) size 0x([0-9a-f]{8})$',
                     console, re.M)
    res.check('host_dma_paddr_is_the_supervisors',
              sup and task and sup.groups() == task.groups(),
              f'supervisor {sup and sup.groups()}, task {task and task.groups()}')
    res.check('host_shutdown', re.search(r'^supervisor: shutdown requested task=vecho',
                                         console, re.M), 'no shutdown request')
    return status, console, 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('scenario', choices=['driver', 'system'])
    p.add_argument('image')
    p.add_argument('--qemu', default='qemu-system-arm')
    p.add_argument('--ram', type=int, default=128)
    p.add_argument('--timeout', type=float, default=60)
    p.add_argument('--fw-key', help='system: the blob\'s public key (tools/fwload --key)')
    args = p.parse_args()
    if args.scenario == 'system' and not args.fw_key:
        p.error('system needs --fw-key')
    res = Results()
    status, console, want = {'driver': driver, 'system': system}[args.scenario](args, res)
    # The firmware's cases as it printed them; its summary, if any, is checked, not passed on.
    fw_summary = None
    for line in console.splitlines():
        if line.startswith('[test] summary '):
            fw_summary = line
        else:
            print(line)
    fw = [line for line in console.splitlines() if re.match(r'^\[test\] (pass|fail) ', line)]
    res.check('firmware_ran_cases', fw, 'the firmware printed no case')
    if args.scenario == 'driver':
        passed = sum(1 for line in fw if line.startswith('[test] pass'))
        res.check('firmware_summary', fw_summary == f'[test] summary {passed} {len(fw) - passed}',
                  f'firmware summary {fw_summary!r}')
    res.check('firmware_exit_status', status == want,
              'timeout' if status is None else f'status {status}, expected {want}')
    for ok, name, why in res.cases:
        print(f'[test] {"pass" if ok else "fail"} {name}' + (f' {why}' if why else ''))
    passed = sum(1 for line in fw if line.startswith('[test] pass')) + \
        sum(1 for ok, _, _ in res.cases if ok)
    failed = len(fw) + len(res.cases) - passed
    print(f'[test] summary {passed} {failed}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
