# SPDX-License-Identifier: BSD-2-Clause
"""Every byte counts: thousands of corrupted, truncated and extended copies of a signed
blob, covering every byte-position class of docs/firmware-image.md, are all refused by
verify; a few go through the loader to show that QEMU is never started."""

import os
import stat
import tempfile
import unittest

import fwtest
from fwtest import ELF, FWLOAD, PYTHON, FwError, Keys, fwimage, pack_elf, run

MIN_MUTATIONS = 1000


def classes(blob):
    """{class name: [byte positions]} over the whole file; together they cover it."""
    img = fwimage.check(blob)
    table_end = fwimage.HEADER_SIZE + len(img.segments) * fwimage.SEGMENT_SIZE
    digest_at = len(blob) - fwimage.DIGEST_SIZE - fwimage.SIG_SIZE
    seg = set()
    for s in img.segments:
        seg.update(range(s.offset, s.offset + s.filesz))
    out = {
        'header': list(range(fwimage.HEADER_SIZE)),
        'segment table': list(range(fwimage.HEADER_SIZE, table_end)),
        'segment bytes': sorted(seg),
        'padding': [i for i in range(table_end, digest_at) if i not in seg],
        'hash': list(range(digest_at, digest_at + fwimage.DIGEST_SIZE)),
        'signature': list(range(digest_at + fwimage.DIGEST_SIZE, len(blob))),
    }
    assert sum(len(v) for v in out.values()) == len(blob)
    return out


def mutations(blob):
    """(class, description, mutated blob) for every position class, plus truncations and
    extensions."""
    for name, positions in classes(blob).items():
        # Every header, table, padding, hash and signature byte; segment bytes sampled.
        step = max(1, len(positions) // 400) if name == 'segment bytes' else 1
        for pos in positions[::step] + positions[-1:]:
            for how, fn in (('xor 01', lambda v: v ^ 0x01), ('xor 80', lambda v: v ^ 0x80),
                            ('invert', lambda v: v ^ 0xFF)):
                b = bytearray(blob)
                b[pos] = fn(b[pos])
                yield name, f'{how} at {pos}', bytes(b)
    n = len(blob)
    cuts = sorted({0, 1, 7, 8, 95, 96, 97, 159, 160, n - 97, n - 96, n - 65, n - 64, n - 63,
                   n - 1} | set(range(0, n, max(1, n // 200))))
    for cut in cuts:
        if cut < n:
            yield 'truncate', f'to {cut} bytes', blob[:cut]
    for extra in (b'\0', b'\xff', bytes(16), bytes(64), blob[-64:], blob):
        yield 'extend', f'by {len(extra)} bytes', blob + extra
    yield 'extend', 'signature twice', blob[:-64] + blob[-64:] * 2


class MutationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        cls.blob = pack_elf(ELF, cls.keys)
        # The same image with a first segment of odd length, so that there is alignment
        # padding to corrupt whatever sizes the linked image happens to have.
        entry, segs = fwimage.segments_from_elf(ELF)
        load, data, memsz, perms = segs[0]
        segs[0] = (load, data + b'\x5a' * 5, max(memsz, len(data) + 5), perms)
        cls.padded = fwimage.build(entry, segs, cls.keys.key, fwtest.TARGET, 128 << 20,
                                   created=1700000000)

    def test_every_mutation_is_refused(self):
        fwimage.verify(self.blob, self.keys.pub)
        fwimage.verify(self.padded, self.keys.pub)
        counts = {}
        accepted = []
        for cls_name, what, b in list(mutations(self.blob)) + list(mutations(self.padded)):
            counts[cls_name] = counts.get(cls_name, 0) + 1
            try:
                fwimage.verify(b, self.keys.pub)
                accepted.append(f'{cls_name}: {what}')
            except FwError as e:
                self.assertTrue(str(e) and '\n' not in str(e), f'{cls_name} {what}: {e!r}')
        self.assertEqual(accepted, [])
        self.assertGreaterEqual(sum(counts.values()), MIN_MUTATIONS, counts)
        for name in ('header', 'segment table', 'segment bytes', 'padding', 'hash',
                     'signature', 'truncate', 'extend'):
            self.assertGreater(counts.get(name, 0), 0, name)


class LoaderRefusesTest(unittest.TestCase):
    """tools/fwload refuses bad blobs with one line and never starts QEMU: its --qemu is a
    script that leaves a mark when run."""

    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        cls.blob = pack_elf(ELF, cls.keys)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.mark = os.path.join(cls.tmp.name, 'started')
        cls.fake = os.path.join(cls.tmp.name, 'fake-qemu')
        with open(cls.fake, 'w') as f:
            f.write(f'#!/bin/sh\ntouch {cls.mark}\nexit 0\n')
        os.chmod(cls.fake, stat.S_IRWXU)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def load(self, blob):
        path = os.path.join(self.tmp.name, 'x.fw')
        with open(path, 'wb') as f:
            f.write(blob)
        if os.path.exists(self.mark):
            os.unlink(self.mark)
        r = run([PYTHON, FWLOAD, '--key', self.keys.pub_path, '--qemu', self.fake, path])
        return r, os.path.exists(self.mark)

    def test_good_blob_starts_the_fake_qemu(self):
        _, started = self.load(self.blob)
        self.assertTrue(started)

    def test_bad_blobs_never_start_qemu(self):
        b = bytearray(self.blob)
        b[200] ^= 1
        bad_sig = bytearray(self.blob)
        bad_sig[-5] ^= 4
        cases = {'truncated': self.blob[:-10], 'bad magic': b'M' + self.blob[1:],
                 'table byte': bytes(b), 'bad signature': bytes(bad_sig),
                 'missing signature': self.blob[:-64] + bytes(64),
                 'extended': self.blob + b'\0'}
        for name, blob in cases.items():
            r, started = self.load(blob)
            self.assertNotEqual(r.returncode, 0, name)
            self.assertFalse(started, name)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, f'{name}: {r.stderr}')
            self.assertIn('refused', r.stderr, name)

    def test_ram_smaller_than_the_image_needs_is_refused(self):
        path = os.path.join(self.tmp.name, 'y.fw')
        with open(path, 'wb') as f:
            f.write(self.blob)
        r = run([PYTHON, FWLOAD, '--key', self.keys.pub_path, '--qemu', self.fake,
                 '--ram', '64', path])
        self.assertEqual(r.returncode, 1)
        self.assertIn('needs 128 MiB', r.stderr)


if __name__ == '__main__':
    unittest.main()
