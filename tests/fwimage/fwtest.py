# SPDX-License-Identifier: BSD-2-Clause
"""Shared fixtures for the firmware blob tests: the tools as modules, the build's files,
a throw-away signing key."""

import os
import subprocess
import sys
import tempfile
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TOOLS = os.path.join(ROOT, 'tools')
PYTHON = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable
FWIMAGE = os.path.join(TOOLS, 'fwimage')
FWLOAD = os.path.join(TOOLS, 'fwload')
BUILD = os.path.join(ROOT, 'build')

ELF = os.environ.get('L4E_FW_ELF', os.path.join(BUILD, 'target', 'modem.elf'))
BLOB = os.environ.get('L4E_FW_BLOB', os.path.join(BUILD, 'modem.fw'))
PUB = os.environ.get('L4E_FW_PUB', os.path.join(BUILD, 'keys', 'dev.pub'))
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')
HARNESS = os.path.join(BUILD, 'target', 'tests', 'harness')


def load_tool(name):
    sys.path.insert(0, TOOLS)
    loader = SourceFileLoader(name, os.path.join(TOOLS, name))
    mod = module_from_spec(spec_from_loader(name, loader))
    loader.exec_module(mod)
    return mod


fwimage = load_tool('fwimage')
fwload = load_tool('fwload')
FwError = fwimage.FwError
TARGET = fwimage.TARGETS[1]


class Keys:
    """A fresh Ed25519 key pair in a temporary directory."""

    def __init__(self, name='test'):
        self.tmp = tempfile.TemporaryDirectory(prefix='fwkeys-')
        self.key_path, self.pub_path = fwimage.keygen(os.path.join(self.tmp.name, name))
        self.key = fwimage.load_private_key(self.key_path)
        self.pub = fwimage.load_public_key(self.pub_path)


def pack_elf(elf, keys, created=1700000000, **kw):
    entry, segs = fwimage.segments_from_elf(elf)
    return fwimage.build(entry, segs, keys.key, TARGET, 128 << 20, created=created, **kw)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=kw.pop('timeout', 60), **kw)
