# SPDX-License-Identifier: BSD-2-Clause
"""sysgen: tasks/system.toml -> the supervisor's boot tables (see tasks/README.md).

Python API (site_scons is on the path of every SConscript):

    import sysgen
    s = sysgen.load('tasks/system.toml')            # raises sysgen.SysgenError
    for t in s.tasks: t.name, t.dir, t.provided_idl, t.used_idl
    s = sysgen.load(path, elfs={'rlc': 'build/.../rlc.elf', ...})   # + entries, segments
    sysgen.write(s, out_c='sysinfo.c', out_s='modules.S', out_h='include/dir')
"""

from .gen import header_names, modules_s, sysinfo_c, task_header, write
from .model import Diagnostic, SysgenError, System, load

__all__ = ['load', 'write', 'sysinfo_c', 'modules_s', 'task_header', 'header_names',
           'System', 'SysgenError', 'Diagnostic', 'tasks']


def tasks(path, root=None):
    """What a build needs to know before compiling anything: [(name, folder, provided
    IDL files, used IDL files)] in description order, folders and IDL paths relative to
    the repository root. Raises SysgenError when the description is unusable."""
    s = load(path, root)
    return [(t.name, t.dir, t.provided_idl, t.used_idl) for t in s.tasks]
