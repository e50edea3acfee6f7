# SPDX-License-Identifier: BSD-2-Clause
"""SCons builder for stubgen: `env.Stubgen('x.idl')` -> x.h, x_client.c, x_server.c, x_colo.c
in the variant directory. Each output is its own build step that depends on the IDL, the
IDL files it imports (scanned), its own template and stubgen's code, so an edit regenerates
exactly the outputs that can change."""

import os
import re

import SCons.Script as S

KINDS = {  # stubgen option: (output name, template)
    'types': ('{}.h', 'types.h.j2'),
    'client': ('{}_client.c', 'client.c.j2'),
    'server': ('{}_server.c', 'server.c.j2'),
    'collocated': ('{}_colo.c', 'colo.c.j2'),
}
_IMPORT = re.compile(r'^\s*import\s+"([^"\n]+)"\s*;', re.M)


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
    """Adds the Stubgen method to `env` (STUBGEN_PATH: import directories)."""
    tool = env.File('#stubgen/stubgen.py')
    code = [f for f in env.Glob('#stubgen/*.py')]
    env.SetDefault(STUBGEN_PATH=[])
    env['_STUBGEN_INC'] = '${_concat("-I ", STUBGEN_PATH, "", __env__, RDirs)}'
    env['STUBGENCOMSTR'] = '[IDL ] $SOURCE -> ${TARGET.file}' if not env.get('VERBOSE') else None
    scanner = S.Scanner(function=_scan, skeys=['.idl'], recursive=True,
                        path_function=S.FindPathDirs('STUBGEN_PATH'))
    for kind in KINDS:
        action = S.Action(f'$PYTHON {tool.abspath} --{kind} --out ${{TARGET.dir}} '
                          '$_STUBGEN_INC $SOURCE', '$STUBGENCOMSTR')
        env.Append(BUILDERS={f'_Stubgen_{kind}': S.Builder(action=action,
                                                           source_scanner=scanner)})

    def stubgen(env, idl, **kw):
        """Generate the outputs of `idl` next to it in the variant directory; returns
        {'header', 'client', 'server', 'colo', 'dir'}."""
        idl = env.File(idl)
        base = os.path.splitext(idl.name)[0]
        out = {}
        for kind, (name, template) in KINDS.items():
            node = getattr(env, f'_Stubgen_{kind}')(idl.dir.File(name.format(base)),
                                                    idl.srcnode(), **kw)
            env.Depends(node, code + [env.File(f'#stubgen/templates/{template}')])
            out[kind] = node[0]
        return {'header': out['types'], 'client': out['client'], 'server': out['server'],
                'colo': out['collocated'], 'dir': out['types'].dir}
    env.AddMethod(stubgen, 'Stubgen')
