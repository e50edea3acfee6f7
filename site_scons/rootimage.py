# SPDX-License-Identifier: BSD-2-Clause
"""Builder: a task ELF -> assembly that embeds its PT_LOAD segments and the kernel's
boot_root_image table (layout: kernel/include/boot.h)."""

import os

import elf32

BOOT_IMAGE_MAGIC = 0x4C344549
BOOT_SEG_MAX = 8
PAGE = 4096
USER_TOP = 0x80000000


def generate(elf_path, out_path):
    """Write the .S for `elf_path`; raise elf32.ElfError with the reason when unusable."""
    elf = elf32.read(elf_path)
    if elf.machine != elf32.EM_ARM:
        raise elf32.ElfError(f'{elf_path}: not an ARM ELF')
    segs = elf.loads()
    if not segs or len(segs) > BOOT_SEG_MAX:
        raise elf32.ElfError(f'{elf_path}: needs 1..{BOOT_SEG_MAX} PT_LOAD segments, has {len(segs)}')
    for s in segs:
        if s.vaddr % PAGE or s.vaddr + s.memsz > USER_TOP:
            raise elf32.ElfError(f'{elf_path}: segment at {s.vaddr:#x} is not page-aligned user memory')
        if (s.flags & elf32.PF_W) and (s.flags & elf32.PF_X):
            raise elf32.ElfError(f'{elf_path}: segment at {s.vaddr:#x} is writable and executable')
    src = os.path.abspath(elf_path)
    lines = [
        f'/* generated from {os.path.basename(elf_path)} by site_scons/rootimage.py - do not edit */',
        '\t.section .rootimg, "a"',
    ]
    for i, s in enumerate(segs):
        lines += ['\t.balign 4096', f'rootseg{i}:']
        if s.filesz:
            lines.append(f'\t.incbin "{src}", {s.offset}, {s.filesz}')
        lines.append('\t.balign 4096, 0')
    lines += ['\t.section .rodata.boot_root_image, "a"', '\t.balign 4',
              '\t.global boot_root_image', 'boot_root_image:',
              f'\t.word {BOOT_IMAGE_MAGIC:#x}, {elf.entry:#x}, {len(segs)}']
    for i, s in enumerate(segs):
        lines.append(f'\t.word rootseg{i}, {s.vaddr:#x}, {s.filesz:#x}, {s.memsz:#x}, {s.flags:#x}')
    with open(out_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
