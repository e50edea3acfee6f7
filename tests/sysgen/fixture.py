# SPDX-License-Identifier: BSD-2-Clause
"""A small system for the sysgen tests: a scratch repository layout in a temp folder,
its IDL, a description to mutate, and task ELFs built with the cross compiler."""

import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, 'site_scons'))

import sysgen  # noqa: E402

CC = 'arm-none-eabi-gcc'
CFLAGS = ['-mcpu=cortex-a7', '-marm', '-mfloat-abi=soft', '-std=c11', '-O1', '-Wall',
          '-Wextra', '-Werror', '-Wstrict-prototypes', '-Wmissing-prototypes', '-Wundef',
          '-ffreestanding']

IDL = '''\
// SPDX-License-Identifier: BSD-2-Clause
// Interfaces of the sysgen test system.
module demo {
	@id(1) interface a { @id(1) @fastpath uint32 get(in uint32 x); };
	@id(2) interface b { @id(1) @fastpath void put(in buffer<rw> data); };
	@id(3) interface c { @id(1) oneway void note(in uint32 x); };
};
'''

# Line numbers matter: the tests name them.
TOML = '''\
[system]
name = "fix"
heartbeat_ms = 250

[[pool]]
name = "frames"
size = 0x2000
vaddr = 0x40000000

[[device]]
name = "nic"
paddr = 0x0a000000
size = 0x1000
vaddr = 0x50000000

[[task]]
name = "server"
priority = 100
restart = "system"
provides = ["demo::a", "demo::b"]
uses = ["demo::c"]
pools = [{ pool = "frames", rights = "rw" }]
devices = ["nic"]
irqs = [48, 49]
  [[task.thread]]
  name = "srv"
  entry = "server_main"
  serves = "demo::a"
  stack = 8192
  [[task.thread]]
  name = "bulk"
  entry = "server_bulk"
  serves = "demo::b"
  priority = 90
  arg = 7
  slice_us = 300

[[task]]
name = "client"
priority = 80
restart = "never"
heartbeat_ms = 0
provides = ["demo::c"]
uses = ["demo::a", "demo::b"]
pools = [{ pool = "frames", rights = "r" }]
  [[task.thread]]
  name = "main"
  entry = "client_main"
  [[task.thread]]
  name = "notes"
  entry = "client_notes"
  serves = "demo::c"
  priority = 70
'''

ENTRIES = {'server': ['server_main', 'server_bulk'], 'client': ['client_main', 'client_notes']}


class Scratch:
    """A temp repository root holding idl/demo.idl and tasks/system.toml."""

    def __init__(self, toml=TOML, idl=IDL, module='demo'):
        self.root = tempfile.mkdtemp(prefix='sysgen-')
        os.makedirs(os.path.join(self.root, 'idl'))
        os.makedirs(os.path.join(self.root, 'tasks'))
        self.write(f'idl/{module}.idl', idl)
        self.write('tasks/system.toml', toml)
        self.toml = os.path.join(self.root, 'tasks', 'system.toml')

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def load(self, elfs=None):
        return sysgen.load(self.toml, self.root, elfs, display='tasks/system.toml')

    def diagnostics(self, elfs=None):
        """The rendered diagnostics of loading the description (errors or warnings)."""
        try:
            s = self.load(elfs)
        except sysgen.SysgenError as e:
            return [str(d) for d in e.diagnostics]
        return [str(d) for d in s.diagnostics]

    def task_elf(self, name, entries):
        """Link a task ELF with tasks/user.ld whose threads' entries are `entries`
        (assembly, so the layout does not depend on the compiler's code generation)."""
        src = ['\t.section .text.start, "ax"', '\t.global _start', '_start:', '\tb _start',
               '\t.text']
        for e in entries:
            src += [f'\t.global {e}', f'\t.type {e}, %function', f'{e}:', '\tbx lr']
        src += ['\t.data', '\t.global counter', '\t.type counter, %object', 'counter:',
                '\t.word 5']
        asm = self.write(f'build/{name}.S', '\n'.join(src) + '\n')
        elf = os.path.join(self.root, 'build', f'{name}.elf')
        subprocess.run([CC, '-mcpu=cortex-a7', '-marm', '-nostdlib', '-Wl,--build-id=none',
                        '-T', os.path.join(REPO, 'tasks', 'user.ld'), '-o', elf, asm],
                       check=True)
        return elf

    def elfs(self):
        return {name: self.task_elf(name, entries) for name, entries in ENTRIES.items()}

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)
