# SPDX-License-Identifier: BSD-2-Clause
"""Pack, verify, info, extract and the size budget of tools/fwimage
(docs/firmware-image.md), and its refusal of each kind of bad image."""

import hashlib
import os
import struct
import tempfile
import unittest

from fwtest import (BLOB, ELF, FWIMAGE, PUB, PYTHON, TARGET, FwError, Keys, fwimage,
                    pack_elf, run)


class PackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        cls.blob = pack_elf(ELF, cls.keys, build_id=bytes(range(20)), flags=fwimage.FLAG_CONSOLE)

    def test_packed_image_verifies_and_holds_the_elf_segments(self):
        img = fwimage.verify(self.blob, self.keys.pub)
        entry, segs = fwimage.segments_from_elf(ELF)
        self.assertEqual(img.entry, entry)
        self.assertEqual([(s.load, s.data, s.memsz, s.perms) for s in img.segments], segs)
        self.assertEqual(img.build_id, bytes(range(20)))
        self.assertEqual(img.created, 1700000000)
        self.assertEqual(img.size, len(self.blob))

    def test_header_fields_sit_where_the_spec_says(self):
        b = self.blob
        self.assertEqual(b[0:8], b'L4EFWIMG')
        self.assertEqual(struct.unpack_from('<HHHH', b, 8)[:3], (2, 96, 64))
        target, flags, entry, ram_base, ram_size, size = struct.unpack_from('<6I', b, 16)
        self.assertEqual((target, flags, ram_base, ram_size, size),
                         (1, fwimage.FLAG_CONSOLE, 0x40000000, 128 << 20, len(b)))
        self.assertEqual(struct.unpack_from('<Q', b, 40)[0], 1700000000)
        self.assertEqual(b[48:68], bytes(range(20)))
        self.assertEqual(b[68:76], hashlib.sha256(fwimage.raw_public(self.keys.pub)).digest()[:8])
        self.assertEqual(struct.unpack_from('<II', b, 76), (0, 0))  # version 0.0.0, counter 0
        self.assertEqual(b[84:96], bytes(12))
        digest_at = len(b) - 96
        self.assertEqual(b[digest_at:digest_at + 32], hashlib.sha256(b[:digest_at]).digest())
        self.keys.pub.verify(b[-64:], b[digest_at:digest_at + 32])

    def test_build_blob_verifies_with_build_key(self):
        r = run([PYTHON, FWIMAGE, 'verify', '--key', PUB, BLOB])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('good', r.stdout)

    def test_cli_verify_with_another_key_fails_with_one_line(self):
        other = Keys('other')
        r = run([PYTHON, FWIMAGE, 'verify', '--key', other.pub_path, BLOB])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn('signed by key', r.stderr)

    def test_info_lists_segments_hashes_and_signer(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'x.fw')
            with open(path, 'wb') as f:
                f.write(self.blob)
            r = run([PYTHON, FWIMAGE, 'info', '--key', self.keys.pub_path, path])
        self.assertEqual(r.returncode, 0, r.stderr)
        img = fwimage.check(self.blob)
        for s in img.segments:
            self.assertIn(f'{s.load:#010x}', r.stdout)
            self.assertIn(s.sha256.hex(), r.stdout)
        self.assertIn(img.key_id.hex(), r.stdout)
        self.assertIn('signature good', r.stdout)
        self.assertIn('qemu-virt-a7', r.stdout)

    def test_extract_writes_each_segment(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'x.fw')
            with open(path, 'wb') as f:
                f.write(self.blob)
            r = run([PYTHON, FWIMAGE, 'extract', '--key', self.keys.pub_path, path,
                     os.path.join(d, 'out')])
            self.assertEqual(r.returncode, 0, r.stderr)
            for i, s in enumerate(fwimage.check(self.blob).segments):
                with open(os.path.join(d, 'out', f'seg{i}-{s.load:08x}.bin'), 'rb') as f:
                    self.assertEqual(f.read(), s.data)

    def test_pack_needs_a_source_date(self):
        with tempfile.TemporaryDirectory() as d:
            env = {k: v for k, v in os.environ.items() if k != 'SOURCE_DATE_EPOCH'}
            out = os.path.join(d, 'x.fw')
            r = run([PYTHON, FWIMAGE, 'pack', '--elf', ELF, '--key', self.keys.key_path,
                     '--out', out], env=env)
            self.assertEqual(r.returncode, 1)
            self.assertIn('SOURCE_DATE_EPOCH', r.stderr)
            self.assertFalse(os.path.exists(out))
            env['SOURCE_DATE_EPOCH'] = '1234567890'
            r = run([PYTHON, FWIMAGE, 'pack', '--elf', ELF, '--key', self.keys.key_path,
                     '--out', out], env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(out, 'rb') as f:
                self.assertEqual(fwimage.verify(f.read(), self.keys.pub).created, 1234567890)

    def test_size_budget_fails_when_exceeded(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'x.fw')
            with open(path, 'wb') as f:
                f.write(self.blob)
            base = [PYTHON, FWIMAGE, 'size', path, '--kernel', ELF]
            r = run(base + ['--flash-budget', str(len(self.blob))])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn('kernel', r.stdout)
            r = run(base + ['--flash-budget', str(len(self.blob) - 1)])
            self.assertEqual(r.returncode, 1)
            self.assertIn('over the budget', r.stderr)
            r = run(base + ['--ram-budget', '4096'])
            self.assertEqual(r.returncode, 1)
            self.assertIn('RAM', r.stderr)


class KeygenTest(unittest.TestCase):
    def test_existing_key_is_kept(self):
        with tempfile.TemporaryDirectory() as d:
            prefix = os.path.join(d, 'dev')
            fwimage.keygen(prefix)
            with open(prefix + '.key', 'rb') as f:
                first = f.read()
            self.assertEqual(os.stat(prefix + '.key').st_mode & 0o777, 0o600)
            with self.assertRaises(FwError):
                fwimage.keygen(prefix)
            os.unlink(prefix + '.pub')
            fwimage.keygen(prefix, if_missing=True)
            with open(prefix + '.key', 'rb') as f:
                self.assertEqual(f.read(), first)
            pub = fwimage.load_public_key(prefix + '.pub')
            self.assertEqual(fwimage.raw_public(pub), fwimage.raw_public(
                fwimage.load_private_key(prefix + '.key').public_key()))


class RejectTest(unittest.TestCase):
    """Each kind of bad image, most of them correctly hashed and signed, so that only the
    structural check can catch them."""

    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        cls.blob = pack_elf(ELF, cls.keys)

    def signed(self, segs, entry=0x40000000, **kw):
        return fwimage.assemble(entry, segs, self.keys.key, TARGET, 128 << 20, **kw)

    def refused(self, blob, why):
        with self.assertRaises(FwError) as cm:
            fwimage.verify(blob, self.keys.pub)
        self.assertIn(why, str(cm.exception))
        self.assertNotIn('\n', str(cm.exception))

    def test_good_crafted_image_passes(self):
        fwimage.verify(self.signed([(0x40000000, b'\0' * 16, 16, 5)]), self.keys.pub)

    def test_truncated(self):
        self.refused(self.blob[:50], 'truncated')
        self.refused(self.blob[:-1], 'truncated')
        self.refused(b'', 'truncated')

    def test_trailing_data(self):
        self.refused(self.blob + b'\0', 'trailing data')

    def test_bad_magic(self):
        self.refused(b'X' + self.blob[1:], 'bad magic')

    def test_bad_version(self):
        for v in (1, 3):  # format 1 had no version or counter: a loader never guesses
            self.refused(self.signed([(0x40000000, b'\0' * 16, 16, 5)], version=v),
                         f'unsupported format version {v}')

    def test_overlapping_segments(self):
        self.refused(self.signed([(0x40000000, b'\0' * 16, 0x2000, 5),
                                  (0x40001000, b'\0' * 16, 16, 6)]), 'overlap')

    def test_segment_outside_ram(self):
        self.refused(self.signed([(0x40000000, b'\0' * 16, 16, 5),
                                  (0x48000000 - 8, b'\0' * 16, 16, 6)]), 'outside RAM')
        self.refused(self.signed([(0x3FFFF000, b'\0' * 16, 16, 5)], entry=0x3FFFF000),
                     'outside RAM')

    def test_entry_outside_code(self):
        self.refused(self.signed([(0x40000000, b'\0' * 16, 16, 6)]), 'entry point')

    def test_wrong_hash(self):
        b = bytearray(self.blob)
        b[-96] ^= 1
        self.refused(bytes(b), 'SHA-256 mismatch')
        b = bytearray(self.blob)
        b[fwimage.check(self.blob).segments[-1].offset] ^= 1
        self.refused(bytes(b), 'SHA-256 mismatch')

    def test_bad_signature(self):
        b = bytearray(self.blob)
        b[-1] ^= 0x10
        self.refused(bytes(b), 'bad signature')

    def test_missing_signature(self):
        self.refused(self.blob[:-64] + bytes(64), 'missing signature')
        self.refused(self.blob[:-64], 'truncated')

    def test_wrong_key(self):
        with self.assertRaises(FwError) as cm:
            fwimage.verify(self.blob, Keys('other').pub)
        self.assertIn('signed by key', str(cm.exception))

    def test_nonzero_padding(self):
        img = fwimage.check(self.blob)
        table_end = fwimage.HEADER_SIZE + len(img.segments) * fwimage.SEGMENT_SIZE
        if table_end < img.segments[0].offset:
            b = bytearray(self.blob)
            b[table_end] = 1
            self.refused(bytes(b), 'padding')
        b = bytearray(self.signed([(0x40000000, b'\1' * 3, 16, 5)]))
        b[fwimage.HEADER_SIZE + fwimage.SEGMENT_SIZE + 3] = 1
        self.refused(bytes(b), 'padding')


if __name__ == '__main__':
    unittest.main()
