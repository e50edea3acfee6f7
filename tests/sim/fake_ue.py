#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""A stand-in for the firmware behind the QEMU port: speaks the link over two inherited
stream sockets in QEMU's framing (4-byte big-endian length), answers HELLO, IDLE and an UL
with DONE for every DL, and END with IDLE, then exits. It never connects (no RA), so it
tests framing, lockstep, sleep (wake_at), console capture and exit status, not layer 2.

    fake_ue.py RADIO_FD HOST_FD [--sleep N] [--exit S] [--hang-at SF] [--garbage-at SF]
"""

import argparse
import os
import select
import socket
import struct
import sys

RL_MAGIC = 0x4c52
LINK_VERSION = 2  # protocols/include/l2/link.h
HELLO, CONFIG, DL, UL, IDLE, END = 1, 2, 3, 4, 5, 6
IT_DONE, IT_HELLO, IT_IDLE = 20, 24, 25


def recv_exact(s, n):
    b = b''
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            sys.exit(0)
        b += c
    return b


def recv_msg(s):
    (n,) = struct.unpack('>I', recv_exact(s, 4))
    return recv_exact(s, n)


def send_msg(s, msg):
    s.sendall(struct.pack('>I', len(msg)) + msg)


def message(mtype, seq, subframe, items, version=LINK_VERSION):
    body = b''.join(struct.pack('<BBH', t, 0, len(b)) + b for t, b in items)
    return struct.pack('<HBBIIHH', RL_MAGIC, version, mtype, seq, subframe, len(items),
                       16 + len(body)) + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('radio', type=int)
    ap.add_argument('host', type=int)
    ap.add_argument('--sleep', type=int, default=1, help='wake_at = subframe + this')
    ap.add_argument('--exit', type=int, default=0)
    ap.add_argument('--hang-at', type=int, default=-1)
    ap.add_argument('--garbage-at', type=int, default=-1)
    ap.add_argument('--version', type=int, default=LINK_VERSION, help="the HELLO's link version")
    a = ap.parse_args()
    radio = socket.socket(fileno=a.radio)
    host = socket.socket(fileno=a.host)
    print('fake UE: up', flush=True)
    seq = 0
    send_msg(radio, message(HELLO, seq, 0, [(IT_HELLO, struct.pack('<II', 0x46414b45, 8192))],
                            a.version))
    seq += 1
    rx = 0
    while True:
        ready, _, _ = select.select([radio, host], [], [])
        m = recv_msg(host if host in ready else radio)
        rx += 1
        mtype, subframe = m[3], struct.unpack('<I', m[8:12])[0]
        if mtype == DL:
            if subframe == a.hang_at:
                print(f'fake UE: hanging at {subframe}', flush=True)
                os.read(a.radio, 1 << 20)  # until the simulator gives up and kills us
            if subframe == a.garbage_at:
                send_msg(radio, b'\x00' * 7)  # the answer, malformed (no seq of its own)
                continue
            done = struct.pack('<IIII', subframe, subframe + a.sleep, 0, 1000 + subframe)
            send_msg(radio, message(UL, seq, subframe, [(IT_DONE, done)]))
        else:
            send_msg(radio, message(IDLE, seq, subframe,
                                    [(IT_IDLE, struct.pack('<II', rx, 0))]))
            if mtype == END:
                print('fake UE: end', flush=True)
                return a.exit
        seq += 1


if __name__ == '__main__':
    sys.exit(main())
