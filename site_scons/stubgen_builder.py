# SPDX-License-Identifier: BSD-2-Clause
"""SCons builder for stubgen: `env.Stubgen('x.idl')` -> x.h, x_client.c, x_server.c, x_colo.c
in the variant directory, rebuilt when the IDL, an imported IDL, a template or stubgen
itself changes."""

import os
import re

import SCons.Script as S

OUTPUTS = ('{}.h', '{}_client.c', '{}_server.c', '{}_colo.c')
_IMPORT = re.compile(r'^\s*import\s+"([^"\n]+)"\s*;', re.M)


def _emitter(target, source, env):
    base = os.path.splitext(os.path.basename(str(source[0])))[0]
    outdir = target[0].dir
    return [outdir.File(f.format(base)) for f in OUTPUTS], source


def _scan(node, env, path):
    """The files `node` imports, found the way stubgen finds them (its own directory
    first, then STUBGEN_PATH); the scanner is recursive, so imports of imports count."""
    src = node.srcnode()
    if not src.exists():
        return []
    found = []
    here = src.dir
    for name in _IMPORT.findall(src.get_text_contents()):
        for d in (here,) + tuple(path):
            f = d.File(name)
            if f.srcnode().exists():
                found.append(f.srcnode())
                break
    return found


def setup(env):
    """Adds the Stubgen builder to `env` (STUBGEN_PATH: import directories)."""
    tool = env.File('#stubgen/stubgen.py')
    deps = (env.Glob('#stubgen/*.py') + env.Glob('#stubgen/templates/*.j2')
            + [env.File('#stubgen/include/l4e/stub.h')])
    env.SetDefault(STUBGEN_PATH=[])
    env['_STUBGEN_INC'] = '${_concat("-I ", STUBGEN_PATH, "", __env__, RDirs)}'
    action = S.Action(f'$PYTHON {tool.abspath} --out ${{TARGET.dir}} $_STUBGEN_INC $SOURCE',
                      '$STUBGENCOMSTR')
    env['STUBGENCOMSTR'] = '[IDL ] $SOURCE' if not env.get('VERBOSE') else None
    scanner = S.Scanner(function=_scan, skeys=['.idl'], recursive=True,
                        path_function=S.FindPathDirs('STUBGEN_PATH'))
    builder = S.Builder(action=action, emitter=_emitter, src_suffix='.idl',
                        source_scanner=scanner)
    env.Append(BUILDERS={'_StubgenRaw': builder})

    def stubgen(env, idl, **kw):
        """Generate the four outputs of `idl` (x.idl -> x.h next to it in the variant
        directory); returns {'header', 'client', 'server', 'colo', 'dir'}."""
        idl = env.File(idl)
        base = os.path.splitext(idl.name)[0]
        nodes = env._StubgenRaw(idl.dir.File(base + '.h'), idl.srcnode(), **kw)
        env.Depends(nodes, deps)
        return {'header': nodes[0], 'client': nodes[1], 'server': nodes[2], 'colo': nodes[3],
                'dir': nodes[0].dir}
    env.AddMethod(stubgen, 'Stubgen')
