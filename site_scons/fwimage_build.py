# SPDX-License-Identifier: BSD-2-Clause
"""Builder: a linked firmware ELF -> a signed firmware blob (tools/fwimage pack), its size
report with the budget check, and the signing keys (docs/firmware-image.md)."""

import os
import subprocess
import sys

import SCons.Script as S

PYTHON = sys.executable
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_keys = {}
_source = None


def options(v):
    """The build options of the firmware blob (added to l4e_build.variables)."""
    v.AddVariables(
        ('SIGNING_KEY', 'Ed25519 private key (PEM) that signs build/modem.fw '
         '(default: $L4E_SIGNING_KEY, else the development key made in build/keys/)', ''),
        ('FW_FLASH_BUDGET', 'largest firmware blob in bytes; the build fails above it', '1048576'),
        ('FW_RAM_BUDGET', 'most RAM the blob\'s segments may take, in bytes', '16777216'),
        ('FW_VERSION', 'the release in the blob\'s header, X.Y.Z', '0.1.0'),
        ('FW_ROLLBACK', 'anti-rollback counter in the blob\'s header: raise it with every '
         'release that fixes a security bug (loaders refuse lower counters)', '0'),
    )


def _git(*args):
    try:
        return subprocess.run(['git', '-C', ROOT] + list(args), capture_output=True, text=True,
                              timeout=10).stdout.strip() if os.path.exists(
                                  os.path.join(ROOT, '.git')) else ''
    except (OSError, subprocess.SubprocessError):
        return ''


def source_identity():
    """(build id hex, creation time, dirty) of the source tree: the git commit, the
    SOURCE_DATE_EPOCH or last commit time (never the clock), uncommitted changes."""
    global _source
    if _source is None:
        commit = _git('rev-parse', '--verify', '-q', 'HEAD')
        created = os.environ.get('SOURCE_DATE_EPOCH') or _git('log', '-1', '--format=%ct') or '0'
        dirty = bool(commit) and bool(_git('status', '--porcelain'))
        if not created.isdigit():
            sys.stderr.write(f'scons: error: SOURCE_DATE_EPOCH={created!r} is not a number\n')
            S.Exit(2)
        _source = (commit if len(commit) == 40 else '', created, dirty)
    return _source


def signing_key(env):
    """(private key node, public key node): SIGNING_KEY or $L4E_SIGNING_KEY, else the
    development key pair, generated once into build/keys/ and kept by `scons -c`."""
    if 'key' in _keys:
        return _keys['key']
    path = env['SIGNING_KEY'] or os.environ.get('L4E_SIGNING_KEY', '')
    tool = env.File('#tools/fwimage')
    if path:
        if not os.path.isfile(path):
            sys.stderr.write(f'scons: error: signing key {path}: no such file\n')
            S.Exit(2)
        key = env.File(os.path.abspath(path))
        pub = env.Command('#build/keys/signing.pub', [key, tool],
                          S.Action(f'{PYTHON} {tool.abspath} pubkey $SOURCE $TARGET',
                                   '[KEY ] $TARGET'))[0]
    else:
        key, pub = env.Command(['#build/keys/dev.key', '#build/keys/dev.pub'], [],
                               S.Action(f'{PYTHON} {tool.abspath} keygen '
                                        f'{env.Dir("#build/keys").abspath}/dev --if-missing',
                                        '[KEY ] ${TARGETS[1]}'))
        env.Precious(key)
        env.NoClean([key, pub])
    _keys['key'] = (key, pub)
    return _keys['key']


def fw_image(env, target, elf, root=None, tasks=None):
    """Pack `elf` into the signed blob `target`, with a size report `target`.size that
    fails the build past FW_FLASH_BUDGET / FW_RAM_BUDGET. For the report, `root` is
    (name, ELF) of the root task the kernel embeds and `tasks` maps the names of the tasks
    embedded in it to their ELFs. Returns {'blob', 'pub', 'size'}."""
    key, pub = signing_key(env)
    build_id, created, dirty = source_identity()
    flags = ['console'] if env['CONSOLE'] else []
    flags += ['debug'] if env['MODE'] == 'debug' else []
    flags += ['dirty'] if dirty else []
    tool = env.File('#tools/fwimage')
    pack = [PYTHON, tool.abspath, 'pack', '--elf', '${SOURCES[0]}', '--key', '${SOURCES[1]}',
            '--out', '$TARGET', '--ram-mb', str(env['RAM_MB']), '--created', created]
    pack += ['--build-id', build_id] if build_id else []
    pack += ['--version', env['FW_VERSION'], '--rollback', str(env['FW_ROLLBACK'])]
    for f in flags:
        pack += ['--flag', f]
    blob = env.Command(target, [elf, key], S.Action([pack], '[FW  ] $TARGET'))[0]
    env.Depends(blob, [tool, '#site_scons/elf32.py'])
    tasks = tasks or {}
    parts = ([root] if root else []) + [(n, tasks[n]) for n in sorted(tasks)]
    size = [PYTHON, tool.abspath, 'size', '${SOURCES[0]}', '--kernel', '${SOURCES[1]}',
            '--flash-budget', str(env['FW_FLASH_BUDGET']),
            '--ram-budget', str(env['FW_RAM_BUDGET']), '--out', '$TARGET']
    for i, (name, _) in enumerate(parts):
        size += ['--root' if root and i == 0 else '--task', f'{name}=${{SOURCES[{i + 2}]}}']
    report = env.Command(blob.abspath + '.size', [blob, elf] + [p for _, p in parts],
                         S.Action([size], '[SIZE] $SOURCE'))[0]
    env.Depends(report, tool)
    return {'blob': blob, 'pub': pub, 'size': report}
