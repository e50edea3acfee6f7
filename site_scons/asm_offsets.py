# SPDX-License-Identifier: BSD-2-Clause
"""Builder helper: the '->NAME value' markers of a compiled asm_offsets.s -> a C header."""

import re

MARKER = re.compile(r'->([A-Z_0-9]+) #?(-?\d+)')


def generate(asm_path, header_path):
    names = []
    with open(asm_path) as f:
        for line in f:
            m = MARKER.search(line)
            if m:
                names.append((m.group(1), int(m.group(2))))
    if not names:
        raise ValueError(f'{asm_path}: no offsets found')
    lines = ['/* generated from kernel/arch/arm/src/asm_offsets.c - do not edit */', '#pragma once', '']
    lines += [f'#define {n} {v}' for n, v in names]
    with open(header_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
