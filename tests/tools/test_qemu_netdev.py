# SPDX-License-Identifier: BSD-2-Clause
"""virtio-net devices on the QEMU command line (tools/qemu.py, tools/fwload --netdev):
the options each slot gets, and the refusals before QEMU starts. The devices themselves
are exercised by tests/virtio (virtio/driver, virtio/system)."""

import os
import socket
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import qemu  # noqa: E402

PYTHON = sys.executable


class NetdevArgs(unittest.TestCase):
    def test_no_netdev_leaves_the_command_line_alone(self):
        cmd = qemu.cmdline('x.elf')
        self.assertNotIn('-netdev', cmd)
        self.assertNotIn('-global', cmd)
        self.assertEqual(cmd, qemu.cmdline('x.elf', netdevs=()))

    def test_each_slot_gets_its_bus_and_the_modern_transport_once(self):
        cmd = qemu.cmdline('x.elf', netdevs=[(0, 5), (8, 7)])
        tail = cmd[cmd.index('-global'):]
        self.assertEqual(tail, ['-global', 'virtio-mmio.force-legacy=false',
                                '-netdev', 'socket,id=vnet0,fd=5',
                                '-device', 'virtio-net-device,netdev=vnet0,bus=virtio-mmio-bus.0',
                                '-netdev', 'socket,id=vnet8,fd=7',
                                '-device', 'virtio-net-device,netdev=vnet8,bus=virtio-mmio-bus.8'])
        self.assertEqual(cmd.count('-global'), 1)


class ParseNetdev(unittest.TestCase):
    def setUp(self):
        self.a, self.b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.a.close)
        self.addCleanup(self.b.close)

    def test_slot_and_stream_socket(self):
        self.assertEqual(qemu.parse_netdev(f'8:{self.b.fileno()}'), (8, self.b.fileno()))
        self.assertEqual(qemu.parse_netdev(f'31:{self.b.fileno()}'), (31, self.b.fileno()))
        self.assertEqual(self.b.type, socket.SOCK_STREAM)  # still open: only a dup was closed

    def test_refusals(self):
        d, d2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(d.close)
        self.addCleanup(d2.close)
        with tempfile.TemporaryFile() as f:
            closed = os.dup(self.b.fileno())
            os.close(closed)
            for text, why in [('8', 'expected SLOT:FD'), ('x:3', 'expected SLOT:FD'),
                              (f'32:{self.b.fileno()}', 'not a virtio-mmio slot'),
                              (f'0:{closed}', 'not an open socket'),
                              (f'0:{f.fileno()}', 'not an open socket'),
                              (f'0:{d.fileno()}', 'not a stream socket')]:
                with self.assertRaises(ValueError) as e:
                    qemu.parse_netdev(text)
                self.assertIn(why, str(e.exception), text)

    def test_a_slot_twice_is_refused(self):
        with self.assertRaises(ValueError) as e:
            qemu.netdev_list([f'0:{self.a.fileno()}', f'0:{self.b.fileno()}'])
        self.assertIn('slot 0 given twice', str(e.exception))


class Cli(unittest.TestCase):
    def run_tool(self, *args):
        return subprocess.run([PYTHON] + list(args), capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60)

    def test_qemu_py_refuses_a_bad_netdev_before_starting_qemu(self):
        r = self.run_tool(os.path.join(ROOT, 'tools', 'qemu.py'), '--qemu', '/nonexistent',
                          '--netdev', '40:1', 'run', __file__)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--netdev '40:1': slot 40 is not a virtio-mmio slot", r.stderr)

    def test_fwload_refuses_a_bad_netdev_before_starting_qemu(self):
        r = self.run_tool(os.path.join(ROOT, 'tools', 'fwload'), '--key', __file__,
                          '--qemu', '/nonexistent', '--netdev', '0:99', __file__)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--netdev '0:99': fd 99 is not an open socket", r.stderr)


if __name__ == '__main__':
    unittest.main()
