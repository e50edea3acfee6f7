# SPDX-License-Identifier: BSD-2-Clause
"""Booting from the blob through tools/fwload: the firmware runs, its exit status comes
back through semihosting, PSCI SYSTEM_OFF works without semihosting, and the test runner
fails a refused blob."""

import os
import subprocess
import sys
import tempfile
import unittest

from fwtest import (BLOB, HARNESS, PUB, PYTHON, QEMU, ROOT, FWLOAD, Keys, fwload, pack_elf,
                    run)

TESTRUN = os.path.join(ROOT, 'tools', 'testrun.py')
sys.path.insert(0, os.path.join(ROOT, 'tests', 'system'))
import cell  # noqa: E402


def boot(path, pub, strip=()):
    """Verify and boot `path` with fwload's Boot, dropping the options in `strip`;
    return (status, console)."""
    b = fwload.Boot(path, pub)
    try:
        cmd = b.cmdline(QEMU)
        for opt in strip:
            i = cmd.index(opt)
            del cmd[i:i + 2]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        try:
            b.load(p)
            out = p.communicate(timeout=60)[0].decode(errors='replace')
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
    finally:
        b.close()
    return p.returncode, out


class BootTest(unittest.TestCase):
    def test_fwload_boots_the_build_blob(self):
        """The modem blob through fwload with its two links: it says HELLO, takes its
        configuration and a subframe, and ends on END (tests/system/cell.py)."""
        c = cell.Cell(BLOB, timeout=60,
                      loader=[PYTHON, FWLOAD, '--key', PUB, '--qemu', QEMU, '--timeout', '60'])
        try:
            self.assertEqual(c.recv()[0], cell.HELLO)
            c.send(cell.CONFIG, 0, cell.default_config())
            self.assertEqual(c.recv()[0], cell.IDLE)
            c.send(cell.DL, 0, [])
            self.assertEqual(c.recv()[0], cell.UL)
            status, out = c.finish()
        finally:
            c.kill()
        self.assertEqual(status, 0, out)
        self.assertRegex(out, r'(?m)^supervisor: system up system=modem tasks=\d+$')
        self.assertIn('system off: status 0', out)
        self.assertNotIn('-kernel', out)

    def test_psci_system_off_without_semihosting(self):
        """Without semihosting the exit status cannot travel, but SYSTEM_OFF still ends QEMU."""
        keys = Keys()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'failing.fw')
            with open(path, 'wb') as f:
                f.write(pack_elf(os.path.join(HARNESS, 'failing.elf'), keys))
            status, out = boot(path, keys.pub_path, strip=['-semihosting-config'])
        self.assertEqual(status, 0, out)
        self.assertIn('system off: status 1', out)

    def test_failing_image_exit_status_comes_back(self):
        keys = Keys()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'failing.fw')
            with open(path, 'wb') as f:
                f.write(pack_elf(os.path.join(HARNESS, 'failing.elf'), keys))
            status, out = boot(path, keys.pub_path)
        self.assertEqual(status, 1, out)
        self.assertIn('[test] fail', out)

    def test_testrun_fails_a_refused_blob(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'bad.fw')
            with open(BLOB, 'rb') as f:
                blob = bytearray(f.read())
            blob[-3] ^= 1
            with open(path, 'wb') as f:
                f.write(blob)
            result = os.path.join(d, 'r')
            r = run([PYTHON, TESTRUN, 'qemu', '--name', 'x', '--result', result, '--log',
                     os.path.join(d, 'log'), '--qemu', QEMU, '--fw-key', PUB, path])
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(result) as f:
                text = f.read()
        self.assertIn('fail\tx\tblob refused: bad signature', text)


if __name__ == '__main__':
    unittest.main()
