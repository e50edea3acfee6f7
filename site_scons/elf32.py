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


STT_OBJECT, STT_FUNC = 1, 2
SHT_SYMTAB = 2


@dataclass
class Symbol:
    name: str
    value: int
    size: int
    kind: int  # STT_*
    shndx: int
    bind: int  # STB_*: 0 local, 1 global, 2 weak


def symbols(path):
    """The defined symbols of `path`'s symbol table (.symtab), as {name: Symbol}; the
    global definition wins over local ones of the same name. Raise ElfError when it has none."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 52 or data[:4] != b'\x7fELF' or data[4] != 1 or data[5] != 1:
        raise ElfError(f'{path}: not a 32-bit little-endian ELF')
    e_shoff, = struct.unpack_from('<I', data, 32)
    e_shentsize, e_shnum = struct.unpack_from('<HH', data, 46)
    if e_shoff == 0 or e_shentsize != 40 or e_shoff + e_shnum * 40 > len(data):
        raise ElfError(f'{path}: bad section header table')
    shdrs = [struct.unpack_from('<IIIIIIIIII', data, e_shoff + i * 40) for i in range(e_shnum)]
    out = {}
    found = False
    for sh in shdrs:
        if sh[1] != SHT_SYMTAB:
            continue
        found = True
        off, size, link, entsize = sh[4], sh[5], sh[6], sh[9]
        if entsize != 16 or off + size > len(data) or link >= len(shdrs):
            raise ElfError(f'{path}: bad symbol table')
        stroff, strsize = shdrs[link][4], shdrs[link][5]
        if stroff + strsize > len(data):
            raise ElfError(f'{path}: bad string table')
        for i in range(1, size // 16):  # entry 0 is the undefined symbol
            st_name, st_value, st_size, st_info, _other, st_shndx = struct.unpack_from(
                '<IIIBBH', data, off + i * 16)
            if st_shndx == 0 or st_name >= strsize:
                continue
            end = data.find(b'\0', stroff + st_name, stroff + strsize)
            name = data[stroff + st_name:end if end >= 0 else stroff + strsize].decode(
                'utf-8', 'replace')
            sym = Symbol(name, st_value, st_size, st_info & 0xf, st_shndx, st_info >> 4)
            if name and (name not in out or (sym.bind == 1 and out[name].bind != 1)):
                out[name] = sym
    if not found:
        raise ElfError(f'{path}: no symbol table (stripped?)')
    return out
