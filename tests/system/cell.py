# SPDX-License-Identifier: BSD-2-Clause
"""A scripted cell for system tests: the radio and host links of docs/radio-link.md in
Python, and QEMU booted with the firmware's two virtio-net devices on socketpairs.

The simulator in sim/ is the real network side; this is the smallest peer that lets a
test drive the firmware message by message and check each answer."""

import os
import select
import socket
import struct
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import qemu  # noqa: E402

RL, AP = 0x4c52, 0x5041
LINK_VERSION = 2  # protocols/include/l2/link.h
HELLO, CONFIG, DL, UL, IDLE, END = 1, 2, 3, 4, 5, 6
AP_UL, AP_DL, AP_AT_CMD, AP_AT_RSP, AP_SIM = 1, 2, 3, 4, 5
I_DL_TB, I_UL_GRANT, I_PHICH = 1, 2, 3
I_UL_TB, I_HARQ_ACK, I_SR, I_PRACH, I_DONE, I_HELLO, I_IDLE = 16, 17, 18, 19, 20, 24, 25
I_TASK_CYCLES = 21
I_CFG_MAC, I_CFG_BEARER, I_CFG_SECURITY = 32, 33, 34
AP_IP, AP_AT, AP_SIM_ITEM = 1, 2, 3


def crc24a(data):
    """TS 36.212 §5.1.1 gCRC24A, MSB first, zero initial value (check 0xcde703)."""
    crc = 0
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc = ((crc << 1) ^ 0x864cfb) if crc & 0x800000 else crc << 1
            crc &= 0xffffff
    return crc


def message(magic, kind, seq, subframe, items):
    body = b''.join(struct.pack('<BBH', t, 0, len(b)) + b for t, b in items)
    return struct.pack('<HBBIIHH', magic, LINK_VERSION, kind, seq, subframe, len(items),
                       16 + len(body)) + body


def parse(data):
    magic, version, kind, seq, subframe, n, length = struct.unpack_from('<HBBIIHH', data)
    assert version == LINK_VERSION and length == len(data), (version, length, len(data))
    items, pos = [], 16
    for _ in range(n):
        t, _, blen = struct.unpack_from('<BBH', data, pos)
        items.append((t, data[pos + 4:pos + 4 + blen]))
        pos += 4 + blen
    assert pos == len(data)
    return magic, kind, seq, subframe, items


def tb_item(kind, rnti, pid, ndi, tb, corrupt=False):
    crc = crc24a(tb)
    if corrupt:
        crc ^= 1
    fixed = (struct.pack('<HBBBBH', rnti, pid, ndi, 0, 0, len(tb)) if kind == I_DL_TB
             else struct.pack('<HBBHH', rnti, pid, 0, len(tb), 0))
    return kind, fixed + tb + crc.to_bytes(3, 'big')


def ul_tb(body):
    """(rnti, pid, tb, crc_ok) of an RL_ITEM_UL_TB body."""
    rnti, pid, _, tbs, _ = struct.unpack_from('<HBBHH', body)
    tb = body[8:8 + tbs]
    return rnti, pid, tb, crc24a(tb) == int.from_bytes(body[8 + tbs:], 'big')


def mac_sdus(pdu):
    """(lcid, bytes) of a MAC PDU (TS 36.321 §6.1.2), control elements included."""
    ce = {26: 1, 27: 2, 28: 1, 29: 1, 30: 3}
    heads, pos = [], 0
    while True:
        b = pdu[pos]
        ext, lcid = b & 0x20, b & 0x1f
        pos += 1
        if lcid == 31:
            heads.append((lcid, 0))
        elif lcid in ce:
            heads.append((lcid, ce[lcid]))
        elif ext:
            if pdu[pos] & 0x80:
                heads.append((lcid, ((pdu[pos] & 0x7f) << 8) | pdu[pos + 1]))
                pos += 2
            else:
                heads.append((lcid, pdu[pos]))
                pos += 1
        else:
            heads.append((lcid, None))
        if not ext:
            break
    out = []
    for lcid, n in heads:
        if n is None:
            n = len(pdu) - pos
        if lcid != 31:
            out.append((lcid, pdu[pos:pos + n]))
        pos += n
    return out


class Link:
    """One side of QEMU's `-netdev socket,fd=`: packets with a 4-byte big-endian length."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b''

    def send(self, data):
        self.sock.sendall(struct.pack('>I', len(data)) + data)

    def recv(self, timeout):
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack('>I', self.buf[:4])[0]
                if len(self.buf) >= 4 + n:
                    data, self.buf = self.buf[4:4 + n], self.buf[4 + n:]
                    return data
            r, _, _ = select.select([self.sock], [], [], timeout)
            if not r:
                raise TimeoutError('no message from the firmware')
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError('the firmware closed the link')
            self.buf += chunk


class Cell:
    """QEMU running `image` with the radio link on virtio-mmio slot 0 and the host link on
    slot 8; sequence numbers kept per link and direction."""

    def __init__(self, image, qemu_bin='qemu-system-arm', timeout=30, loader=None):
        """Boot the ELF `image`, or with `loader` (an argument vector such as tools/fwload
        with its options) the firmware blob `image` through it."""
        self.timeout = timeout
        radio_fw, radio = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        host_fw, host = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        netdevs = ['--netdev', f'0:{radio_fw.fileno()}', '--netdev', f'8:{host_fw.fileno()}']
        if loader:
            cmd = loader + netdevs + [image]
        else:
            cmd = qemu.cmdline(image, qemu_bin, netdevs=qemu.netdev_list(netdevs[1::2]))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL,
                                     pass_fds=(radio_fw.fileno(), host_fw.fileno()))
        radio_fw.close()
        host_fw.close()
        self.radio, self.host = Link(radio), Link(host)
        self.seq = {'rl': 0, 'ap': 0}
        self.host_rx = []

    def recv(self):
        magic, kind, seq, sf, items = parse(self.radio.recv(self.timeout))
        assert magic == RL, hex(magic)
        return kind, seq, sf, items

    def send(self, kind, subframe, items):
        self.radio.send(message(RL, kind, self.seq['rl'], subframe, items))
        self.seq['rl'] += 1

    def send_raw(self, data):
        self.radio.send(data)

    def send_host(self, packets):
        items = [(AP_IP, struct.pack('<BBH', drb, 0, 0) + p) for drb, p in packets]
        self.host.send(message(AP, AP_UL, self.seq['ap'], 0, items))
        self.seq['ap'] += 1

    def send_at(self, line):
        """One AT command line (docs/radio-link.md §4.15)."""
        self.host.send(message(AP, AP_AT_CMD, self.seq['ap'], 0, [(AP_AT, line.encode())]))
        self.seq['ap'] += 1

    def send_sim(self, imsi, k, opc, sqn):
        """A SIM inserted (§4.16): IMSI digits, K, OPc, SQN_MS."""
        body = imsi.encode().ljust(16, b'\0') + k + opc + struct.pack('<Q', sqn)
        self.host.send(message(AP, AP_SIM, self.seq['ap'], 0, [(AP_SIM_ITEM, body)]))
        self.seq['ap'] += 1

    def collect_host(self, total):
        """Read host-link messages until `total` have arrived (the DONE's ap_tx)."""
        while len(self.host_rx) < total:
            self.host_rx.append(parse(self.host.recv(self.timeout)))

    def finish(self):
        """END, then QEMU's exit status and console."""
        try:
            self.send(END, 0, [])
        except OSError:
            pass
        try:
            out, _ = self.proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return self.proc.returncode, out.decode(errors='replace').replace('\r\n', '\n')

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def cfg_mac(ue_id=0, max_harq_tx=4):
    return I_CFG_MAC, struct.pack('<HBBHHBBBBI', ue_id, max_harq_tx, 8, 10, 80, 10, 64, 64,
                                  0, 1000000000)


def cfg_bearer(rb_id, lcid, srb, priority, am=True):
    return I_CFG_BEARER, struct.pack('<BBBBBBBBHHHHHHIHH', rb_id, lcid, srb, 2 if am else 1,
                                     5 if srb else 12, 10, priority, 0 if srb else 1, 0xffff,
                                     50, 45, 35, 0, 0, 0, 8, 0)


def cfg_security(eea=2, eia=2, kenb=bytes(range(32))):
    return I_CFG_SECURITY, struct.pack('<BBH', eea, eia, 0) + kenb


def default_config(ue_id=0):
    return [cfg_mac(ue_id), cfg_bearer(1, 1, 1, 1), cfg_bearer(2, 2, 1, 3),
            cfg_bearer(1, 3, 0, 5), cfg_security()]
