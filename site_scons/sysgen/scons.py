# SPDX-License-Identifier: BSD-2-Clause
"""SCons steps around sysgen for a SConscript (`import sysgen.scons`):

    s = sysgen.scons.description(env)            # the checked System; stops the build on error
    hdrs = sysgen.scons.headers(env, 'gen')       # gen/sys_<task>.h, before any task compiles
    c, asm = sysgen.scons.tables(env, 'gen', {'rlc': rlc_elf, ...})   # sysinfo.c, modules.S

Each step depends on the description, the IDL files it names and sysgen's own code, and
carries a short COMSTR ([SYS ] ...)."""


import SCons.Script as S
import SCons.Util

from .model import SysgenError, load

TOML = 'tasks/system.toml'


def _deps(env, s):
    code = env.Glob('#site_scons/sysgen/*.py') + [env.File('#site_scons/elf32.py')]
    idl = sorted({f for t in s.tasks for f in t.provided_idl + t.used_idl})
    return code + [env.File('#' + f) for f in idl]


_loaded = {}  # abspath of a description -> its System: read, and warned about, once
_printed = set()  # diagnostics already shown: a collocated build reads the same file again


def description(env, toml=TOML, colocate=None):
    """Load `toml` (relative to the top) once per build, however many SConscripts ask;
    print its warnings then, once; on errors print them and stop the build (a build
    never guesses)."""
    path = env.File('#' + toml).abspath
    key = (path, tuple(colocate) if colocate is not None else None)
    if key in _loaded:
        return _loaded[key]
    try:
        s = load(path, env.Dir('#').abspath, display=toml, colocate=colocate)
    except SysgenError as e:
        print(e)
        S.Exit(1)
    for d in s.diagnostics:
        if str(d) not in _printed:
            _printed.add(str(d))
            print(d)
    _loaded[key] = s
    return s


def _cmd(env, toml, extra, colocate=None):
    """The sysgen command of a build step: messages name `toml` as the user wrote it, and
    only errors are printed (description() printed the warnings already)."""
    tool = env.File('#tools/sysgen').abspath
    return (f'$PYTHON {tool} --toml ${{SOURCES[0].abspath}} --root {env.Dir("#").abspath} '
            f'--display {toml} --no-warnings {extra}' +
            ('' if colocate is None else f" --colocate '{','.join(colocate)}'"))


def headers(env, out_dir, toml=TOML, colocate=None):
    """sys_<task>.h for every task in `out_dir` (they need no ELF); with collocated tasks
    also sys_<member>.h and colo_bind.c (sysgen/colo.py)."""
    from .gen import header_names
    s = description(env, toml, colocate)
    out = env.Dir(out_dir)
    targets = [out.File(n) for n in header_names(s)]
    node = env.Command(targets, [env.File('#' + toml)] + _deps(env, s),
                       S.Action(_cmd(env, toml, f'--out-h {out.abspath}', colocate),
                                '[SYS ] ${SOURCES[0]} -> sys_<task>.h'
                                if not env.get('VERBOSE') else None))
    return node


def tables(env, out_dir, elfs, toml=TOML, colocate=None):
    """sysinfo.c and modules.S in `out_dir` from the task ELFs `elfs` ({task: node})."""
    s = description(env, toml, colocate)
    missing = [t.name for t in s.tasks if t.name not in elfs]
    if missing:
        print(f"sysgen: error: no ELF for task(s) {', '.join(missing)}")
        S.Exit(1)
    out = env.Dir(out_dir)
    names = [t.name for t in s.tasks]
    elf_nodes = [env.File(elfs[n][0] if SCons.Util.is_List(elfs[n]) else elfs[n])
                 for n in names]
    opts = ' '.join(f'--elf {n}={e.abspath}' for n, e in zip(names, elf_nodes))
    c, asm = out.File('sysinfo.c'), out.File('modules.S')
    node = env.Command([c, asm], [env.File('#' + toml)] + elf_nodes + _deps(env, s),
                       S.Action(_cmd(env, toml, f'{opts} --out-c {c.abspath} --out-s {asm.abspath}',
                                     colocate),
                                '[SYS ] ${SOURCES[0]} -> sysinfo.c, modules.S'
                                if not env.get('VERBOSE') else None))
    return node[0], node[1]


def idl_of(env, toml=TOML):
    """{task: (provided IDL files, used IDL files)} as File nodes, for stub generation."""
    s = description(env, toml)
    return {t.name: ([env.File('#' + f) for f in t.provided_idl],
                     [env.File('#' + f) for f in t.used_idl]) for t in s.tasks}


