# SPDX-License-Identifier: BSD-2-Clause
"""Reproducibility: the same sources give the same blob. Packing reads no clock and no
path; two clean builds of copies of the tree in different directories give identical
bytes."""

import os
import shutil
import struct
import tempfile
import time
import unittest
from unittest import mock

from fwtest import ELF, ROOT, Keys, fwimage, pack_elf, run

EPOCH = '1700000000'


class PackReproTest(unittest.TestCase):
    def test_pack_reads_no_clock_and_no_path(self):
        keys = Keys()
        with tempfile.TemporaryDirectory() as d:
            a = os.path.join(d, 'first-copy.elf')
            b = os.path.join(d, 'second', 'other-name.elf')
            os.makedirs(os.path.dirname(b))
            shutil.copy(ELF, a)
            shutil.copy(ELF, b)
            os.utime(b, (1, 1))

            def clock(*_):
                raise AssertionError('pack read the clock')
            with mock.patch.object(time, 'time', clock), \
                    mock.patch.object(time, 'time_ns', clock), \
                    mock.patch.object(time, 'localtime', clock), \
                    mock.patch.object(time, 'gmtime', clock):
                first = pack_elf(a, keys)
                second = pack_elf(b, keys)
        self.assertEqual(first, second)
        for leak in (d.encode(), b'first-copy', b'other-name', os.getcwd().encode()):
            self.assertNotIn(leak, first)


def copy_tree(dst):
    ignore = shutil.ignore_patterns('build', '.git', '__pycache__', '.sconsign.dblite',
                                    'custom.py')
    shutil.copytree(ROOT, dst, ignore=ignore)


class CleanBuildReproTest(unittest.TestCase):
    def test_two_clean_builds_give_identical_blobs(self):
        keys = Keys()
        blobs = []
        with tempfile.TemporaryDirectory(prefix='fwrepro-a-') as a, \
                tempfile.TemporaryDirectory(prefix='fwrepro-bb-') as b:
            for top in (os.path.join(a, 'src'), os.path.join(b, 'tree', 'src')):
                copy_tree(top)
                env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
                env.pop('L4E_SIGNING_KEY', None)
                r = run(['scons', '-Q', '-j2', 'build/modem.fw', f'SIGNING_KEY={keys.key_path}'],
                        cwd=top, env=env, timeout=240)
                self.assertEqual(r.returncode, 0, r.stdout[-1500:] + r.stderr[-1500:])
                with open(os.path.join(top, 'build', 'modem.fw'), 'rb') as f:
                    blobs.append(f.read())
                self.assertNotIn(top.encode(), blobs[-1])
                # Plain `scons` (what the docs tell a user to run) also writes the public
                # half of a production key, build/keys/signing.pub, not only `scons run`.
                r = run(['scons', '-Q', '-n', f'SIGNING_KEY={keys.key_path}'], cwd=top,
                        env=env, timeout=240)
                self.assertIn('[KEY ] build/keys/signing.pub', r.stdout.splitlines(),
                              r.stdout[-1500:] + r.stderr[-1500:])
        self.assertEqual(blobs[0], blobs[1])
        img = fwimage.verify(blobs[0], keys.pub)
        self.assertEqual(img.created, int(EPOCH))
        self.assertEqual(struct.unpack_from('<Q', blobs[0], 40)[0], int(EPOCH))


if __name__ == '__main__':
    unittest.main()
