# SPDX-License-Identifier: BSD-2-Clause
"""Shipping a blob (docs/firmware-image.md): the key mistakes say what to do, the size
report counts every byte of the blob once, the header carries a version and an
anti-rollback counter that verify and the loader enforce, and an image signed elsewhere
(digest out, signature in) is the same image pack would have signed."""

import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest

from fwtest import (BLOB, ELF, FWIMAGE, FWLOAD, HARNESS, PUB, PYTHON, QEMU, ROOT, FwError,
                    Keys, fwimage, pack_elf, run)

import sys
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))
import sysgen  # noqa: E402

SIZE = os.environ.get('L4E_FW_SIZE', BLOB + '.size')


class KeyMistakes(unittest.TestCase):
    def test_verify_with_the_private_key_says_so_in_one_line(self):
        keys = Keys()
        r = run([PYTHON, FWIMAGE, 'verify', '--key', keys.key_path, BLOB])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn('is a private key; checking needs the public key', r.stderr)
        for noise in ('Traceback', 'OpenSSL', 'Could not deserialize'):
            self.assertNotIn(noise, r.stderr)

    def test_not_a_key_at_all(self):
        r = run([PYTHON, FWIMAGE, 'verify', '--key', BLOB, BLOB])
        self.assertEqual(r.returncode, 1)
        self.assertIn('not a PEM public key', r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)


class SizeReport(unittest.TestCase):
    """The build's report: the 'in blob' column and the image's own bytes add up to the
    blob, and each task of the description is there once (not also inside the supervisor)."""

    def test_parts_add_up_to_the_blob(self):
        with open(SIZE) as f:
            text = f.read()
        size = os.path.getsize(BLOB)
        parts = re.findall(r'^  (kernel|supervisor|task \w+) +\d+ +\d+ +\d+ +(\d+)  ', text, re.M)
        overhead = int(re.search(r'^  image header, table, padding, digest, signature +(\d+)$',
                                 text, re.M).group(1))
        total = int(re.search(r'^  total +(\d+)  ', text, re.M).group(1))
        self.assertEqual(sum(int(n) for _, n in parts) + overhead, size, text)
        self.assertEqual(total, size)
        self.assertNotIn('not attributed', text)
        names = [p for p, _ in parts]
        s = sysgen.load(os.path.join(ROOT, 'tasks', 'system.toml'), ROOT)
        self.assertEqual(sorted(names), sorted(['kernel', 'supervisor'] +
                                               [f'task {t.name}' for t in s.tasks]))
        # The supervisor's own text is its code, not the tasks it carries.
        sup_text = int(re.search(r'^  supervisor +(\d+) ', text, re.M).group(1))
        tasks_text = sum(int(m) for m in re.findall(r'^  task \w+ +(\d+) ', text, re.M))
        self.assertLess(sup_text, tasks_text + 65536)
        self.assertLess(sum(int(n) for p, n in parts if p == 'supervisor'), size // 2)


class VersionAndRollback(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        entry, segs = fwimage.segments_from_elf(os.path.join(HARNESS, 'failing.elf'))
        cls.blobs = {n: fwimage.build(entry, segs, cls.keys.key, fwimage.TARGETS[1], 128 << 20,
                                      created=1700000000,
                                      fw_version=fwimage.version_number(f'1.{n}.0'),
                                      rollback=n) for n in (4, 5, 6)}

    def write(self, d, n):
        path = os.path.join(d, f'fw{n}.fw')
        with open(path, 'wb') as f:
            f.write(self.blobs[n])
        return path

    def test_header_carries_version_and_counter(self):
        b = self.blobs[5]
        self.assertEqual(struct.unpack_from('<II', b, 76), (1 << 24 | 5 << 16, 5))
        img = fwimage.verify(b, self.keys.pub)
        self.assertEqual((fwimage.version_text(img.fw_version), img.rollback), ('1.5.0', 5))
        with tempfile.TemporaryDirectory() as d:
            r = run([PYTHON, FWIMAGE, 'info', self.write(d, 5)])
        self.assertIn('version     1.5.0, anti-rollback counter 5', r.stdout)

    def test_verify_refuses_below_the_floor(self):
        fwimage.verify(self.blobs[5], self.keys.pub, min_rollback=5)
        with self.assertRaises(FwError) as cm:
            fwimage.verify(self.blobs[4], self.keys.pub, min_rollback=5)
        self.assertIn("rollback: the image's counter 4 is below the device's 5", str(cm.exception))
        with tempfile.TemporaryDirectory() as d:
            r = run([PYTHON, FWIMAGE, 'verify', '--key', self.keys.pub_path, '--min-rollback',
                     '5', self.write(d, 4)])
        self.assertEqual(r.returncode, 1)
        self.assertIn('rollback', r.stderr)

    def test_loader_keeps_a_floor_and_never_goes_below_it(self):
        with tempfile.TemporaryDirectory() as d:
            store = os.path.join(d, 'rollback')

            def load(n):
                return run([PYTHON, FWLOAD, '--key', self.keys.pub_path, '--qemu', QEMU,
                            '--timeout', '60', '--rollback-store', store, self.write(d, n)],
                           timeout=90)
            r = load(5)  # the harness image ends with status 1: it ran
            self.assertEqual(r.returncode, 1, r.stdout[-1000:] + r.stderr)
            self.assertIn('[test] fail', r.stdout)
            with open(store) as f:
                self.assertEqual(f.read().strip(), '5')
            r = load(4)
            self.assertEqual(r.returncode, 1)
            self.assertIn("refused: rollback: the image's counter 4 is below the device's 5",
                          r.stderr)
            self.assertNotIn('[QEMU]', r.stdout)  # never started
            r = load(6)
            self.assertIn('[test] fail', r.stdout)
            with open(store) as f:
                self.assertEqual(f.read().strip(), '6')
            self.assertIn('below the device\'s 6', load(5).stderr)


class DetachedSigning(unittest.TestCase):
    """pack --unsigned, digest, an external signer (openssl here, an HSM in production),
    attach: the result verifies and equals what pack --key makes (Ed25519 is
    deterministic)."""

    def test_round_trip_with_openssl(self):
        if not shutil.which('openssl'):
            self.skipTest('no openssl')
        keys = Keys()
        with tempfile.TemporaryDirectory() as d:
            unsigned, digest, sig, signed = (os.path.join(d, n) for n in (
                'x.fw.unsigned', 'x.digest', 'x.sig', 'x.fw'))
            env = dict(os.environ, SOURCE_DATE_EPOCH='1700000000')
            common = ['--elf', ELF, '--version', '2.0.1', '--rollback', '3']
            r = run([PYTHON, FWIMAGE, 'pack', '--unsigned', '--pub', keys.pub_path,
                     '--out', unsigned] + common, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = run([PYTHON, FWIMAGE, 'verify', '--key', keys.pub_path, unsigned])
            self.assertIn('missing signature', r.stderr)
            self.assertEqual(run([PYTHON, FWIMAGE, 'digest', unsigned, '--out', digest]).returncode, 0)
            r = run(['openssl', 'pkeyutl', '-sign', '-inkey', keys.key_path, '-rawin',
                     '-in', digest, '-out', sig])
            self.assertEqual(r.returncode, 0, r.stderr)
            r = run([PYTHON, FWIMAGE, 'attach', unsigned, '--sig', sig, '--key', keys.pub_path,
                     '--out', signed])
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(signed, 'rb') as f:
                blob = f.read()
            img = fwimage.verify(blob, keys.pub)
            self.assertEqual((img.rollback, fwimage.version_text(img.fw_version)), (3, '2.0.1'))
            r = run([PYTHON, FWIMAGE, 'pack', '--key', keys.key_path, '--out',
                     os.path.join(d, 'direct.fw')] + common, env=env)
            with open(os.path.join(d, 'direct.fw'), 'rb') as f:
                self.assertEqual(f.read(), blob)
            # A signature by another key, or of other bytes, is refused before writing.
            other = Keys('other')
            r = run(['openssl', 'pkeyutl', '-sign', '-inkey', other.key_path, '-rawin',
                     '-in', digest, '-out', sig])
            r = run([PYTHON, FWIMAGE, 'attach', unsigned, '--sig', sig, '--key', keys.pub_path,
                     '--out', os.path.join(d, 'bad.fw')])
            self.assertEqual(r.returncode, 1)
            self.assertIn('bad signature', r.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, 'bad.fw')))


if __name__ == '__main__':
    unittest.main()
