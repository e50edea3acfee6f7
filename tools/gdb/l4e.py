# SPDX-License-Identifier: BSD-2-Clause
"""gdb helpers for l4e firmware (source it in gdb-multiarch; `scons debug` does).

Every task is linked at the same user addresses (0x10000..), each in an address space
of its own, so a breakpoint on a task function would also fire in the supervisor and in
every other task running code at that address, and one task's symbols would name the
others' code. These commands keep one task's view:

    l4e-load MANIFEST      the ELFs of the build (build/target/symbols.json)
    l4e-task NAME          load NAME's symbols (only those, beside the kernel's) and make
                           every later breakpoint on user code stop only in NAME
    l4e-task               which task is selected; `l4e-task -` drops the selection
    l4e-tasks              the tasks of the manifest and the ASIDs seen running them
    $l4e_task()            the task running now: "supervisor", a task name, or "kernel"
    $l4e_asid()            the running address space's ASID (CONTEXTIDR)
    $l4e_in_task("NAME")   true while NAME runs: the condition the breakpoints get

How a task is recognised: the kernel gives each address space an ASID (1 + its slot; the
supervisor's is 1, the tasks' follow in boot order) and switches CONTEXTIDR with it; the
supervisor writes the task's name into the UTCB of each of its threads (user words 4..7,
at TPIDRURO + 272). The helpers read both, so a restarted task, which may get a new ASID,
is still recognised.
"""

import json
import os

import gdb

UTCB_NAME = 256 + 4 * 4   # struct l4_utcb: mr[64] words, then user[]; the name is user[4..7]
NAME_MAX = 16
USER_TOP = 0x80000000      # below: task (user) addresses; the kernel is above
_state = {'manifest': None, 'task': None, 'symfile': None, 'asids': {}}


def _u32(expr):
    return int(gdb.parse_and_eval(expr)) & 0xffffffff


def current_asid():
    return _u32('$CONTEXTIDR_EL1') & 0xff


def current_task():
    """The name of the task whose code runs now ("kernel" in a kernel mode)."""
    if _u32('$cpsr') & 0x1f != 0x10:  # not user mode
        return 'kernel'
    asid = current_asid()
    utcb = _u32('$TPIDRURO')
    try:
        raw = bytes(gdb.selected_inferior().read_memory(utcb + UTCB_NAME, NAME_MAX))
    except gdb.MemoryError:
        raw = b''
    name = raw.split(b'\0')[0].decode('ascii', 'replace') or 'supervisor'
    _state['asids'][asid] = name
    return name


class TaskFn(gdb.Function):
    """$l4e_task(): the task running now ("supervisor", a task's name, or "kernel")."""

    def __init__(self):
        super().__init__('l4e_task')

    def invoke(self):
        return current_task()


class AsidFn(gdb.Function):
    """$l4e_asid(): the ASID of the address space running now."""

    def __init__(self):
        super().__init__('l4e_asid')

    def invoke(self):
        return current_asid()


class InTaskFn(gdb.Function):
    """$l4e_in_task("NAME"): whether task NAME runs now."""

    def __init__(self):
        super().__init__('l4e_in_task')

    def invoke(self, name):
        return current_task() == name.string()


def _manifest():
    if _state['manifest'] is None:
        path = os.environ.get('L4E_SYMBOLS', 'build/target/symbols.json')
        _load(path)
    return _state['manifest']


def _load(path):
    try:
        with open(path) as f:
            _state['manifest'] = json.load(f)
    except (OSError, ValueError) as e:
        raise gdb.GdbError(f'l4e: cannot read {path}: {e} (run scons first)')


class LoadCmd(gdb.Command):
    """l4e-load MANIFEST: the ELFs of a build (build/target/symbols.json)."""

    def __init__(self):
        super().__init__('l4e-load', gdb.COMMAND_FILES, gdb.COMPLETE_FILENAME)

    def invoke(self, arg, from_tty):
        _load(arg.strip() or 'build/target/symbols.json')


def _is_user(bp):
    """Whether `bp` is on task code: every location below the kernel."""
    locs = [loc.address for loc in getattr(bp, 'locations', []) if loc.address is not None]
    return bool(locs) and all(a < USER_TOP for a in locs)


def _on_created(bp):
    task = _state['task']
    if task and bp.type == gdb.BP_BREAKPOINT and not bp.condition and _is_user(bp):
        bp.condition = f'$l4e_in_task("{task}")'


class TaskCmd(gdb.Command):
    """l4e-task [NAME | -]: debug task NAME: its symbols (and the kernel's), and
    breakpoints on user code that stop only while NAME runs."""

    def __init__(self):
        super().__init__('l4e-task', gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        name = arg.strip()
        if not name:
            gdb.write(f'l4e: task {_state["task"] or "(none)"}\n')
            return
        if _state['symfile']:
            gdb.execute(f'remove-symbol-file {_state["symfile"]}', to_string=True)
            _state['symfile'] = None
        if name == '-':
            _state['task'] = None
            return
        m = _manifest()
        elf = (dict(m.get('tasks', {}), supervisor=m.get('root'))).get(name)
        if not elf:
            known = ', '.join(sorted(m.get('tasks', {})) + ['supervisor'])
            raise gdb.GdbError(f"l4e: no task '{name}' in the manifest (tasks: {known})")
        gdb.execute(f'add-symbol-file {elf}', to_string=True)
        _state['symfile'], _state['task'] = elf, name
        for bp in gdb.breakpoints():
            _on_created(bp)
        gdb.write(f'l4e: task {name}: symbols of {elf}; breakpoints on task code stop only '
                  f'in {name}\n')


class TasksCmd(gdb.Command):
    """l4e-tasks: the tasks of the manifest, and the ASIDs seen running them."""

    def __init__(self):
        super().__init__('l4e-tasks', gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        seen = {}
        for asid, name in _state['asids'].items():
            seen.setdefault(name, []).append(asid)
        for name in ['supervisor'] + sorted(_manifest().get('tasks', {})):
            asids = ', '.join(str(a) for a in sorted(seen.get(name, []))) or '-'
            mark = '*' if name == _state['task'] else ' '
            gdb.write(f'{mark} {name:<16} asid {asids}\n')


TaskFn()
AsidFn()
InTaskFn()
LoadCmd()
TaskCmd()
TasksCmd()
gdb.events.breakpoint_created.connect(_on_created)
