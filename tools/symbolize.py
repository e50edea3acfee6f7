#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""The firmware console with code addresses turned into function+offset (file:line).

    tools/symbolize.py --manifest build/target/symbols.json < console.txt
    ... | tools/symbolize.py --manifest build/target/symbols.json

The manifest (written by the build) names the ELF of the kernel, of the root task (the
supervisor) and of every task. Lines it knows get the place appended, nothing else
changes:

    supervisor: fault task=T thread=X kind=... pc=0x000100bc      (task T's ELF)
    fault: thread N 'root': ... at pc 000100bc, ...                (the root task's ELF)
    sp  c0001234  lr  c0005678  pc  c0009abc  cpsr ...             (the kernel's ELF)

`scons run` pipes the console through it (tools/fwload --symbols); any other consumer of
the console (the simulator, a test) uses `Symbolizer` and `Filter` from here.
"""

import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'site_scons'))
import elf32  # noqa: E402

ADDR2LINE = ('arm-none-eabi-addr2line', 'addr2line')
_SUP_FAULT = re.compile(r'^supervisor: fault task=(\w+) .*\bpc=0x([0-9a-f]{8})\s*$')
_KERNEL_FAULT = re.compile(r"^fault: thread \d+ '(\w+)': .* at pc ([0-9a-f]{8})\b")
_REGS = re.compile(r'\bsp  [0-9a-f]{8}  lr  ([0-9a-f]{8})  pc  ([0-9a-f]{8})  cpsr')
KERNEL_BASE = 0xc0000000  # the kernel's virtual addresses (kernel.ld); user code is below


class Elf:
    """Function symbols of one ELF, and its line table through addr2line."""

    def __init__(self, path):
        self.path = path
        funcs = sorted((s.value & ~1, s.size, n) for n, s in elf32.symbols(path).items()
                       if s.kind == elf32.STT_FUNC)
        self.funcs = funcs
        self.starts = [f[0] for f in funcs]
        self._lines = {}

    def function(self, addr):
        """(name, offset) of the function holding `addr`, or None."""
        i = bisect.bisect_right(self.starts, addr) - 1
        if i < 0:
            return None
        start, size, name = self.funcs[i]
        if size and addr >= start + size:
            return None
        return name, addr - start

    def line(self, addr):
        """'file:line' of `addr` (file relative to the repository when inside it)."""
        if addr not in self._lines:
            self._lines[addr] = _addr2line(self.path, addr)
        return self._lines[addr]


def _addr2line(path, addr):
    tool = next((t for t in ADDR2LINE if shutil.which(t)), None)
    if not tool:
        return None
    try:
        out = subprocess.run([tool, '-e', path, f'{addr:#x}'], capture_output=True, text=True,
                             timeout=10).stdout.strip().splitlines()
    except (OSError, subprocess.SubprocessError):
        return None
    if not out or out[0].startswith('??'):
        return None
    where = out[0].split(' (discriminator')[0]
    file, _, line = where.rpartition(':')
    return f'{_repo_path(file)}:{line}' if line.isdigit() else None


def _repo_path(file):
    """`file` relative to the repository when it is one of its files (also when the ELF
    was built in another copy of the tree)."""
    parts = os.path.normpath(file).split(os.sep)
    for i in range(len(parts)):
        rel = os.path.join(*parts[i:]) if parts[i:] and parts[i] else None
        if rel and os.path.isfile(os.path.join(ROOT, rel)):
            return rel
    return file


class Symbolizer:
    """Knows the ELFs of a manifest {kernel, root, tasks: {name: path}}; `line()` returns
    the text to append to a console line (empty when there is nothing to say)."""

    def __init__(self, manifest):
        if isinstance(manifest, str):
            with open(manifest) as f:
                manifest = json.load(f)
        self.paths = dict(manifest.get('tasks', {}))
        for key in ('kernel', 'root'):
            if manifest.get(key):
                self.paths[f'<{key}>'] = manifest[key]
        self._elfs = {}

    def elf(self, key):
        if key not in self._elfs:
            path = self.paths.get(key)
            try:
                self._elfs[key] = Elf(path) if path else None
            except (OSError, elf32.ElfError):
                self._elfs[key] = None
        return self._elfs[key]

    def place(self, key, addr):
        """'name+0xoff (file:line)' of `addr` in the ELF `key`, or ''."""
        e = self.elf(key)
        fn = e.function(addr) if e else None
        if not fn:
            return ''
        where = e.line(addr)
        return f'{fn[0]}+{fn[1]:#x}' + (f' ({where})' if where else '')

    def line(self, text):
        text = text.rstrip('\r\n')
        m = _SUP_FAULT.match(text)
        if m:
            place = self.place(m.group(1), int(m.group(2), 16))
            return f' {place}' if place else ''
        m = _KERNEL_FAULT.match(text)
        if m:
            place = self.place('<root>', int(m.group(2), 16))
            return f' [pc {place}]' if place else ''
        m = _REGS.search(text)
        if m:
            lr, pc = int(m.group(1), 16), int(m.group(2), 16)
            key = '<kernel>' if pc >= KERNEL_BASE else '<root>'
            parts = [f'{n} {p}' for n, p in (('pc', self.place(key, pc)),
                                               ('lr', self.place(key, lr))) if p]
            return f'  [{", ".join(parts)}]' if parts else ''
        return ''


class Filter:
    """Copies console bytes from `feed()` to `out` at once, and appends the symbolizer's
    text at the end of each line it knows (so a partial line, a prompt, shows at once).
    A carriage return is held back until its line ends: the text goes before it."""

    def __init__(self, symbolizer, out):
        self.sym, self.out = symbolizer, out
        self.pending, self.held = b'', b''

    def feed(self, data):
        while data:
            nl = data.find(b'\n')
            chunk, data = (data, b'') if nl < 0 else (data[:nl], data[nl + 1:])
            chunk, self.held = self.held + chunk, b''
            self.pending += chunk
            if nl < 0:
                keep = chunk.rstrip(b'\r')
                self.held = chunk[len(keep):]
                self.out.write(keep)
                break
            body = chunk.rstrip(b'\r')
            extra = self.sym.line(self.pending.rstrip(b'\r').decode('utf-8', 'replace'))
            self.out.write(body + extra.encode() + chunk[len(body):] + b'\n')
            self.pending = b''
        self.out.flush()

    def close(self):
        self.out.flush()


def pump(stream, symbolizer, out):
    """Copy `stream` (a binary file) to `out` (binary) through a Filter until EOF."""
    f = Filter(symbolizer, out)
    fd = stream.fileno()
    while True:
        data = os.read(fd, 4096)
        if not data:
            break
        f.feed(data)
    f.close()


def main():
    p = argparse.ArgumentParser(prog='symbolize', description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--manifest', required=True,
                   help='build/target/symbols.json (written by scons)')
    a = p.parse_args()
    try:
        sym = Symbolizer(a.manifest)
    except (OSError, ValueError) as e:
        print(f'symbolize: error: {a.manifest}: {e}', file=sys.stderr)
        return 2
    pump(sys.stdin.buffer, sym, sys.stdout.buffer)
    return 0


if __name__ == '__main__':
    sys.exit(main())
