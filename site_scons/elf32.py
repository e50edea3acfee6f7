# SPDX-License-Identifier: BSD-2-Clause
"""A minimal reader for 32-bit little-endian ARM ELF files: header and program headers."""

import struct
from dataclasses import dataclass

PT_LOAD = 1
PF_X, PF_W, PF_R = 1, 2, 4
EM_ARM = 40


class ElfError(Exception):
    """The file is not an ELF this project can use; the message says why."""


@dataclass
class Segment:
    vaddr: int
    paddr: int
    offset: int
    filesz: int
    memsz: int
    flags: int
    align: int


@dataclass
class Elf:
    entry: int
    machine: int
    segments: list

    def loads(self):
        return [s for s in self.segments if s.memsz > 0]


def read(path):
    """Parse `path`; return an Elf with its PT_LOAD segments in file order."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 52 or data[:4] != b'\x7fELF':
        raise ElfError(f'{path}: not an ELF file')
    if data[4] != 1 or data[5] != 1:
        raise ElfError(f'{path}: not a 32-bit little-endian ELF')
    (e_type, e_machine, _ver, e_entry, e_phoff, _shoff, _flags, _ehsize,
     e_phentsize, e_phnum) = struct.unpack_from('<HHIIIIIHHH', data, 16)
    if e_phentsize != 32 or e_phoff + e_phnum * 32 > len(data):
        raise ElfError(f'{path}: bad program header table')
    segs = []
    for i in range(e_phnum):
        (p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags,
         p_align) = struct.unpack_from('<IIIIIIII', data, e_phoff + i * 32)
        if p_type != PT_LOAD:
            continue
        if p_offset + p_filesz > len(data) or p_filesz > p_memsz:
            raise ElfError(f'{path}: segment {i} lies outside the file')
        segs.append(Segment(p_vaddr, p_paddr, p_offset, p_filesz, p_memsz, p_flags, p_align))
    return Elf(e_entry, e_machine, segs)
