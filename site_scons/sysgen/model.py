# SPDX-License-Identifier: BSD-2-Clause
"""Reads and checks tasks/system.toml: the tasks, their threads, interfaces, pools,
devices and IRQs; lays out stacks, UTCBs and capability slots (see tasks/README.md)."""

import difflib
import glob
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

from .locate import Locator

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)
from stubgen.diag import Diagnostic  # noqa: E402  (one report format for stubgen and sysgen)

# Contract with the supervisor: tasks/lib/include/l4e/sysinfo.h.
SYS_NAME_MAX = 15
SYS_IFACE_MAX = 31
SYS_SLOT_THREADS = 8
SYS_SLOT_FIRST_GEN = 24
SYS_MAX_THREADS = 8
SYS_SLOT_CLIENT_NTFN = 64  # generated slots stay below: the clients' notifications are here
SYS_BADGE_SUPERVISOR = 63  # client badges (task ids) stay below
HEARTBEAT = (0x6feff000, 0x6ff01000)  # SYS_HEARTBEAT_*: the runtime's heartbeat stack, UTCB
PRIO_MAX = 254             # L4_THREAD_PRIO_MAX (255) is the supervisor's
PAGE = 4096
UTCB_SIZE = 512            # L4_UTCB_ALIGN
USER_TOP = 0x80000000      # L4_USER_TOP
THREAD_AREA = 0x7f000000   # [THREAD_AREA, USER_TOP): stacks and UTCBs, in every task
UTCB_PAGE = USER_TOP - PAGE
USER_LOW = 0x10000         # tasks/user.ld: text starts here
DEVICE_WINDOW = (0x0a000000, 0x0a004000)  # QEMU virt virtio-mmio transports
IRQ_MIN, IRQ_MAX = 16, 287  # GIC PPIs and SPIs
IRQ_KERNEL = {30: 'the kernel timer', 33: 'the console UART'}
IRQ_FIRST_BIT = 16          # notification bits 0..15: timer expiries (l4e::timer ids)
RESTART = {'never': 0, 'task': 1, 'system': 2}
RESERVED_TASKS = {'lib', 'libc', 'libl4', 'root', 'supervisor'}  # folders of tasks/ taken
RIGHTS = {'r': 1, 'rw': 3}
BANNER = 'generated from {} by sysgen \u2014 do not edit'

_NAME = re.compile(r'^[a-z][a-z0-9_]*$')
_IFACE = re.compile(r'^[A-Za-z][A-Za-z0-9_]*(::[A-Za-z][A-Za-z0-9_]*)+$')


class SysgenError(Exception):
    """The description is unusable; `diagnostics` says why (errors and warnings)."""

    def __init__(self, diagnostics):
        self.diagnostics = diagnostics
        super().__init__('\n'.join(str(d) for d in diagnostics))


class _Stop(Exception):
    """Stop checking: later checks would only repeat earlier errors."""


@dataclass(eq=False)
class Pool:
    """A [[pool]]: shared memory mapped into the tasks that list it."""
    name: str
    size: int
    vaddr: int
    dma: bool
    keep: bool
    index: int
    path: Tuple
    users: List['Task'] = field(default_factory=list)  # tasks mapping it, in task order


@dataclass(eq=False)
class Device:
    """A [[device]]: a window of device memory, mapped into the one task that lists it."""
    name: str
    paddr: int
    size: int
    vaddr: int
    index: int
    path: Tuple
    owner: Optional['Task'] = None


@dataclass(eq=False)
class Thread:
    """A [[task.thread]]; where it runs is laid out after every task was read."""
    name: str
    entry: str
    arg: int
    priority: int
    stack: int
    slice_us: int
    serves: Optional[str]
    path: Tuple
    task: 'Task'
    address: Optional[int] = None    # of `entry`, from the task's ELF
    stack_top: Optional[int] = None
    utcb: Optional[int] = None


class Interface:
    """An IDL interface some task provides: one endpoint."""

    def __init__(self, name, provider):
        self.name = name
        self.module = name.split('::')[0]
        self.macro = '_'.join(name.split('::')).upper()
        self.cname = '_'.join(name.split('::'))
        self.provider = provider
        self.idl = None       # path of the IDL file defining it (relative to the root)
        self.sync = True      # has an operation that waits for a reply
        self.clients = []     # tasks using it, in task order
        self.endpoint = None  # index in sys_info.endpoints


@dataclass(eq=False)
class Task:
    """A [[task]]: what the description says, then what the checks and the layout add."""
    name: str
    index: int
    id: int          # its client badge
    path: Tuple      # where it is in the description (Locator)
    dir: str         # its folder, relative to the repository root
    priority: int
    restart: str     # a key of RESTART
    restart_max: int
    restart_window_ms: int
    heartbeat_ms: int
    provides: List[str] = field(default_factory=list)
    uses: List[str] = field(default_factory=list)
    pools: List[Tuple[Pool, int]] = field(default_factory=list)  # (pool, RIGHTS value)
    irqs: List[int] = field(default_factory=list)
    devices: List[Device] = field(default_factory=list)
    threads: List[Thread] = field(default_factory=list)
    shutdown: bool = False
    acct: bool = False  # reads every task's cycles (SYS_CAP_ACCT)
    provides_ifaces: List['Interface'] = field(default_factory=list)
    uses_ifaces: List['Interface'] = field(default_factory=list)
    caps: List[Any] = field(default_factory=list)
    mcp: Optional[int] = None
    elf: Any = None
    elf_path: Optional[str] = None

    @property
    def provided_idl(self):
        """IDL files of the interfaces this task provides (server stubs), sorted."""
        return sorted({i.idl for i in self.provides_ifaces if i.idl})

    @property
    def used_idl(self):
        """IDL files of the interfaces this task uses (client stubs), sorted."""
        return sorted({i.idl for i in self.uses_ifaces if i.idl})


class System:
    """A checked system description. Tasks, pools, devices and endpoints are in the
    order of their tables in the file (their index is their id in sys_info)."""

    def __init__(self, path, root):
        self.path, self.root = path, root
        self.diagnostics = []
        self.name = None
        self.pools, self.devices, self.tasks, self.endpoints = [], [], [], []
        self.interfaces = {}
        self.colocate = []  # tasks to link into one (sysgen/colo.py)
        self.colo = None    # the collocated task, when there is one

    @property
    def idl_include_dirs(self):
        """Directories stubgen searches for imported IDL files."""
        return [os.path.join(self.root, 'idl')]

    def task(self, name):
        return next((t for t in self.tasks if t.name == name), None)


class _Reader:
    def __init__(self, path, root, elfs, display, colocate=None):
        self.colocate = colocate
        self.display = display or path
        self.sys = System(self.display, root)
        self.root = root
        # Task folders sit next to the description: tasks/<name>/ for tasks/system.toml.
        self.task_root = os.path.relpath(os.path.dirname(os.path.abspath(path)),
                                         root).replace(os.sep, '/')
        self.elfs = elfs or {}
        with open(path, 'rb') as f:
            raw = f.read()
        self.text = raw.decode('utf-8', errors='replace')
        self.loc = Locator(self.text)
        self.errors = 0

    # ---------------------------------------------------------------- diagnostics

    def error(self, line, msg):
        self.sys.diagnostics.append(Diagnostic(self.display, line, 'error', msg))
        self.errors += 1

    def warning(self, line, msg):
        self.sys.diagnostics.append(Diagnostic(self.display, line, 'warning', msg))

    def at(self, path, key=None, needle=None, nth=0):
        return self.loc.line(path, key, needle, nth)

    # ---------------------------------------------------------------- typed access

    def _type_ok(self, value, kind):
        if kind == 'int':
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == 'str':
            return isinstance(value, str)
        if kind == 'bool':
            return isinstance(value, bool)
        if kind == 'table':
            return isinstance(value, dict)
        if kind.startswith('list '):
            return isinstance(value, list) and all(self._type_ok(v, kind[5:]) for v in value)
        raise AssertionError(kind)

    _KIND_NAMES = {'int': 'an integer', 'str': 'a string', 'bool': 'true or false',
                   'table': 'a table', 'list str': 'a list of strings',
                   'list int': 'a list of integers', 'list table': 'a list of tables'}

    def check_keys(self, table, path, what, spec):
        """Check `table` against spec {key: (kind, required)}; report unknown, missing
        and mistyped keys. Returns True when the table is usable."""
        ok = True
        for key in table:
            if key not in spec:
                self.error(self.at(path, key), f"unknown key '{key}' in {what} "
                                               f"(known: {', '.join(spec)})")
                ok = False
        for key, (kind, required) in spec.items():
            if key not in table:
                if required:
                    self.error(self.at(path), f"{what} has no '{key}' (required)")
                    ok = False
            elif not self._type_ok(table[key], kind):
                self.error(self.at(path, key),
                           f"'{key}' of {what} must be {self._KIND_NAMES[kind]}, "
                           f"not {_toml_type(table[key])}")
                ok = False
        return ok

    def check_name(self, name, path, key, what, maxlen=SYS_NAME_MAX):
        if not _NAME.match(name) or len(name) > maxlen:
            self.error(self.at(path, key), f"{what} name '{name}' must be 1..{maxlen} "
                                           "characters of a-z, 0-9 and _, starting with a letter")
            return False
        return True

    def check_range(self, value, lo, hi, path, key, what):
        if not lo <= value <= hi:
            self.error(self.at(path, key), f"{what} {value} is out of range {lo}..{hi}")
            return False
        return True

    # ---------------------------------------------------------------- reading

    def read(self):
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as e:
            m = re.search(r'\(at line (\d+), column (\d+)\)', str(e))
            line = int(m.group(1)) if m else 1
            msg = re.sub(r'\s*\(at line \d+, column \d+\)', '', str(e))
            self.error(line, f'not valid TOML: {msg[:1].lower()}{msg[1:]}')
            raise _Stop()
        top = {'system': ('table', True), 'pool': ('list table', False),
               'device': ('list table', False), 'task': ('list table', True)}
        if not self.check_keys(data, (), 'the system description', top):
            raise _Stop()
        self.read_system(data['system'])
        for i, p in enumerate(data.get('pool', [])):
            self.read_pool(p, ('pool', i), i)
        for i, d in enumerate(data.get('device', [])):
            self.read_device(d, ('device', i), i)
        for i, t in enumerate(data['task']):
            self.read_task(t, ('task', i), i)
        if self.colocate is not None:
            self.sys.colocate = list(self.colocate)
        if self.sys.colocate and not self.errors:
            from .colo import merge
            merge(self, self.sys.colocate, self.at(('system',), 'colocate'))
        if len(data['task']) > SYS_BADGE_SUPERVISOR:
            self.error(self.at(('task', SYS_BADGE_SUPERVISOR)),
                       f"{len(data['task'])} tasks: at most {SYS_BADGE_SUPERVISOR} (task ids are "
                       "client badges, below SYS_BADGE_SUPERVISOR)")
        if self.errors:
            raise _Stop()

    def read_system(self, t):
        path = ('system',)
        spec = {'name': ('str', True), 'heartbeat_ms': ('int', False),
                'restart_max': ('int', False), 'restart_window_ms': ('int', False),
                'colocate': ('list str', False)}
        if not self.check_keys(t, path, '[system]', spec):
            raise _Stop()
        s = self.sys
        s.name = t['name']
        s.colocate = list(t.get('colocate', []))
        self.check_name(s.name, path, 'name', 'system')
        s.heartbeat_ms = t.get('heartbeat_ms', 0)
        s.restart_max = t.get('restart_max', 3)
        s.restart_window_ms = t.get('restart_window_ms', 10000)
        self.check_range(s.heartbeat_ms, 0, 0xffffffff, path, 'heartbeat_ms', 'heartbeat_ms')
        self.check_range(s.restart_max, 0, 255, path, 'restart_max', 'restart_max')
        self.check_range(s.restart_window_ms, 0, 0xffffffff, path, 'restart_window_ms',
                         'restart_window_ms')

    def _region(self, t, path, what, keys):
        for key in keys:
            v = t[key]
            if key == 'size' and (v <= 0 or v % PAGE):
                self.error(self.at(path, key), f"{what}: size {v:#010x} is not a positive "
                                               "multiple of the page size (0x1000)")
            elif key != 'size' and v % PAGE:
                self.error(self.at(path, key), f"{what}: {key} {v:#010x} is not page-aligned")
        v, size = t['vaddr'], t['size']
        if size > 0 and not (USER_LOW <= v and v + size <= THREAD_AREA):
            self.error(self.at(path, 'vaddr'),
                       f"{what}: [{v:#010x}, {v + size:#010x}) is not inside the user range "
                       f"[{USER_LOW:#010x}, {THREAD_AREA:#010x}) (the thread area is above it)")
        elif size > 0 and v < HEARTBEAT[1] and HEARTBEAT[0] < v + size:
            self.error(self.at(path, 'vaddr'),
                       f"{what}: [{v:#010x}, {v + size:#010x}) overlaps the runtime's heartbeat "
                       f"stack and UTCB at [{HEARTBEAT[0]:#010x}, {HEARTBEAT[1]:#010x})")

    def read_pool(self, t, path, index):
        spec = {'name': ('str', True), 'size': ('int', True), 'vaddr': ('int', True),
                'dma': ('bool', False), 'keep': ('bool', False)}
        if not self.check_keys(t, path, '[[pool]]', spec):
            return
        if self.check_name(t['name'], path, 'name', 'pool'):
            self._unique(self.sys.pools, t['name'], path, 'pool')
        self._region(t, path, f"pool '{t['name']}'", ('vaddr', 'size'))
        self.sys.pools.append(Pool(name=t['name'], size=t['size'], vaddr=t['vaddr'],
                                   dma=t.get('dma', False), keep=t.get('keep', False),
                                   index=index, path=path))
        if t.get('dma', False) and t.get('keep', False):
            self.error(self.at(path, 'keep'), f"pool '{t['name']}': a pool is either dma or "
                       "keep, not both")

    def read_device(self, t, path, index):
        spec = {'name': ('str', True), 'paddr': ('int', True), 'size': ('int', True),
                'vaddr': ('int', True)}
        if not self.check_keys(t, path, '[[device]]', spec):
            return
        what = f"device '{t['name']}'"
        if self.check_name(t['name'], path, 'name', 'device'):
            self._unique(self.sys.devices, t['name'], path, 'device')
        self._region(t, path, what, ('paddr', 'vaddr', 'size'))
        lo, hi = DEVICE_WINDOW
        if not (lo <= t['paddr'] and t['paddr'] + t['size'] <= hi):
            self.error(self.at(path, 'paddr'),
                       f"{what}: [{t['paddr']:#010x}, {t['paddr'] + t['size']:#010x}) is not inside "
                       f"the device window [{lo:#010x}, {hi:#010x})")
        self.sys.devices.append(Device(name=t['name'], paddr=t['paddr'], size=t['size'],
                                       vaddr=t['vaddr'], index=index, path=path))

    def _unique(self, items, name, path, what):
        for other in items:
            if other.name == name:
                self.error(self.at(path, 'name'), f"duplicate {what} name '{name}' (first "
                                                  f"defined at line {self.at(other.path)})")
                return False
        return True

    def read_task(self, t, path, index):
        spec = {'name': ('str', True), 'priority': ('int', True), 'restart': ('str', False),
                'restart_max': ('int', False), 'restart_window_ms': ('int', False),
                'heartbeat_ms': ('int', False), 'provides': ('list str', False),
                'uses': ('list str', False), 'pools': ('list table', False),
                'irqs': ('list int', False), 'devices': ('list str', False),
                'shutdown': ('bool', False), 'acct': ('bool', False),
                'thread': ('list table', True)}
        if not self.check_keys(t, path, '[[task]]' + (f" '{t['name']}'" if isinstance(
                t.get('name'), str) else ''), spec):
            return
        name = t['name']
        what = f"task '{name}'"
        if self.check_name(name, path, 'name', 'task'):
            if name in RESERVED_TASKS:
                self.error(self.at(path, 'name'), f"task name '{name}' is taken: tasks/{name}/ "
                                                  "is not a task folder")
            self._unique(self.sys.tasks, name, path, 'task')
        s = self.sys
        task = Task(name=name, index=index, id=index, path=path,
                    dir=f'{self.task_root}/{name}', priority=t['priority'],
                    restart=t.get('restart', 'task'),
                    restart_max=t.get('restart_max', s.restart_max),
                    restart_window_ms=t.get('restart_window_ms', s.restart_window_ms),
                    heartbeat_ms=t.get('heartbeat_ms', s.heartbeat_ms),
                    provides=list(t.get('provides', [])), uses=list(t.get('uses', [])),
                    irqs=list(t.get('irqs', [])), shutdown=bool(t.get('shutdown', False)),
                    acct=bool(t.get('acct', False)))
        self.check_range(task.priority, 0, PRIO_MAX, path, 'priority', f'{what}: priority')
        if task.restart not in RESTART:
            self.error(self.at(path, 'restart'), f"{what}: restart must be one of "
                                                 f"{', '.join(RESTART)}, not '{task.restart}'")
        self.check_range(task.restart_max, 0, 255, path, 'restart_max', f'{what}: restart_max')
        self.check_range(task.restart_window_ms, 0, 0xffffffff, path, 'restart_window_ms',
                         f'{what}: restart_window_ms')
        self.check_range(task.heartbeat_ms, 0, 0xffffffff, path, 'heartbeat_ms',
                         f'{what}: heartbeat_ms')
        for key in ('provides', 'uses'):
            seen = []
            for iface in getattr(task, key):
                line = self.at(path, key, f'"{iface}"', seen.count(iface))
                if not _IFACE.match(iface) or len(iface) > SYS_IFACE_MAX:
                    self.error(line, f"{what}: interface name '{iface}' must be "
                                     f"module::interface (IDL names, at most {SYS_IFACE_MAX} "
                                     "characters)")
                elif iface in seen:
                    self.error(line, f"{what} {key} '{iface}' twice")
                seen.append(iface)
        for j, p in enumerate(t.get('pools', [])):
            self.read_task_pool(task, p, j)
        for irq in task.irqs:
            line = self.at(path, 'irqs', str(irq))
            if not IRQ_MIN <= irq <= IRQ_MAX:
                self.error(line, f"{what}: irq {irq} is out of range {IRQ_MIN}..{IRQ_MAX}")
            elif irq in IRQ_KERNEL:
                self.error(line, f"{what}: irq {irq} is {IRQ_KERNEL[irq]}'s (kernel-owned)")
            elif task.irqs.count(irq) > 1:
                self.error(line, f"{what}: irq {irq} listed twice")
                break
        for dev in t.get('devices', []):
            d = next((d for d in s.devices if d.name == dev), None)
            line = self.at(path, 'devices', f'"{dev}"')
            if d is None:
                self.error(line, f"{what}: unknown device '{dev}' (no [[device]] of that name)")
            elif d in task.devices:
                self.error(line, f"{what}: device '{dev}' listed twice")
            else:
                task.devices.append(d)
        for j, th in enumerate(t['thread']):
            self.read_thread(task, th, path + ('thread', j))
        if not t['thread']:
            self.error(self.at(path), f"{what} has no threads")
        elif len(t['thread']) > SYS_MAX_THREADS:
            self.error(self.at(path + ('thread', SYS_MAX_THREADS)),
                       f"{what} has {len(t['thread'])} threads, more than SYS_MAX_THREADS "
                       f"({SYS_MAX_THREADS})")
        s.tasks.append(task)

    def read_task_pool(self, task, p, j):
        path = task.path
        what = f"task '{task.name}'"
        if not isinstance(p, dict) or set(p) - {'pool', 'rights'} or \
                not isinstance(p.get('pool'), str) or not isinstance(p.get('rights', 'r'), str):
            self.error(self.at(path, 'pools'), f"{what}: pools entry {j + 1} must be "
                                               "{ pool = \"NAME\", rights = \"r\" | \"rw\" }")
            return
        name, rights = p['pool'], p.get('rights', 'r')
        pool = next((q for q in self.sys.pools if q.name == name), None)
        if pool is None:
            self.error(self.at(path, 'pools', f'"{name}"'),
                       f"{what}: unknown pool '{name}' (no [[pool]] of that name)")
            return
        if rights not in RIGHTS:
            self.error(self.at(path, 'pools', f'"{rights}"'),
                       f"{what}: bad rights '{rights}' on pool '{name}' (must be \"r\" or \"rw\")")
            return
        if any(q is pool for q, _ in task.pools):
            self.error(self.at(path, 'pools', f'"{name}"'),
                       f"{what}: pool '{name}' listed twice")
            return
        if pool.dma and pool.users:
            self.error(self.at(path, 'pools', f'"{name}"'),
                       f"{what}: pool '{name}' is a DMA pool, mapped by task "
                       f"'{pool.users[0].name}' already: a DMA pool belongs to one driver")
            return
        if pool.keep and pool.users:
            self.error(self.at(path, 'pools', f'"{name}"'),
                       f"{what}: pool '{name}' is a keep pool, mapped by task "
                       f"'{pool.users[0].name}' already: a keep pool belongs to one task")
            return
        if pool.keep and rights != 'rw':
            self.error(self.at(path, 'pools', f'"{name}"'),
                       f"{what}: keep pool '{name}' needs rights = \"rw\" (its task keeps "
                       "its state there)")
            return
        if pool.dma and rights != 'rw':
            self.error(self.at(path, 'pools', f'"{name}"'),
                       f"{what}: DMA pool '{name}' needs rights = \"rw\" (its driver writes "
                       "the device's rings)")
            return
        task.pools.append((pool, RIGHTS[rights]))
        pool.users.append(task)

    def read_thread(self, task, t, path):
        spec = {'name': ('str', True), 'entry': ('str', True), 'arg': ('int', False),
                'priority': ('int', False), 'stack': ('int', False),
                'slice_us': ('int', False), 'serves': ('str', False)}
        if not self.check_keys(t, path, f"[[task.thread]] of task '{task.name}'", spec):
            return
        name = t['name']
        what = f"thread '{task.name}.{name}'"
        if self.check_name(name, path, 'name', 'thread'):
            self._unique(task.threads, name, path, 'thread')
        th = Thread(name=name, entry=t['entry'], arg=t.get('arg', 0),
                    priority=t.get('priority', task.priority), stack=t.get('stack', PAGE),
                    slice_us=t.get('slice_us', 0), serves=t.get('serves'), path=path,
                    task=task)
        if not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', th.entry):
            self.error(self.at(path, 'entry'), f"{what}: entry '{th.entry}' is not a C "
                                               "function name")
        self.check_range(th.arg, 0, 0xffffffff, path, 'arg', f'{what}: arg')
        if self.check_range(th.priority, 0, PRIO_MAX, path, 'priority', f'{what}: priority') \
                and th.priority > task.priority:
            self.error(self.at(path, 'priority'),
                       f"{what}: priority {th.priority} is above its task's priority "
                       f"{task.priority}")
        if th.stack <= 0 or th.stack % PAGE:
            self.error(self.at(path, 'stack'), f"{what}: stack {th.stack} is not a positive "
                                               "multiple of the page size (4096)")
        self.check_range(th.slice_us, 0, 0xffffffff, path, 'slice_us', f'{what}: slice_us')
        if th.serves is not None and th.serves not in task.provides:
            self.error(self.at(path, 'serves'), f"{what} serves '{th.serves}' but task "
                                                f"'{task.name}' does not provide it")
        task.threads.append(th)

    # ---------------------------------------------------------------- system checks

    def check(self):
        s = self.sys
        self.check_overlaps()
        self.resolve_interfaces()
        for d in s.devices:
            owners = [t for t in s.tasks if d in t.devices]
            for t in owners[1:]:
                self.error(self.at(t.path, 'devices', f'"{d.name}"'),
                           f"device '{d.name}' is owned by task '{owners[0].name}' already; "
                           f"task '{t.name}' cannot map it too")
            d.owner = owners[0] if owners else None
        irq_owner = {}
        for t in s.tasks:
            for irq in t.irqs:
                if irq in irq_owner and irq_owner[irq] is not t:
                    self.error(self.at(t.path, 'irqs', str(irq)),
                               f"irq {irq} is owned by task '{irq_owner[irq].name}' already; "
                               f"task '{t.name}' cannot take it too")
                irq_owner.setdefault(irq, t)
        for p in s.pools:
            if not p.users:
                self.warning(self.at(p.path), f"pool '{p.name}' is mapped by no task")
        if self.errors:
            raise _Stop()
        self.check_priorities()
        self.check_cycles()
        self.layout()
        if self.elfs:
            self.check_elfs()
        if self.errors:
            raise _Stop()

    def check_overlaps(self):
        regions = [(f"pool '{p.name}'", p) for p in self.sys.pools] + \
                  [(f"device '{d.name}'", d) for d in self.sys.devices]
        for i, (wa, a) in enumerate(regions):
            for wb, b in regions[:i]:
                if a.vaddr < b.vaddr + b.size and b.vaddr < a.vaddr + a.size:
                    self.error(self.at(a.path, 'vaddr'),
                               f"{wa} at [{a.vaddr:#010x}, {a.vaddr + a.size:#010x}) overlaps {wb} at "
                               f"[{b.vaddr:#010x}, {b.vaddr + b.size:#010x})")
        devs = self.sys.devices
        for i, a in enumerate(devs):
            for b in devs[:i]:
                if a.paddr < b.paddr + b.size and b.paddr < a.paddr + a.size:
                    self.error(self.at(a.path, 'paddr'),
                               f"device '{a.name}' at physical [{a.paddr:#010x}, "
                               f"{a.paddr + a.size:#010x}) overlaps device '{b.name}'")

    def _idl_candidates(self, module, provider):
        return [f'{provider.dir}/{module}.idl', f'idl/{module}.idl']

    def _idl_interfaces(self, rel, line, iface):
        """{name: sync} of the interfaces `rel` defines (cached); None after an error."""
        cache = self.__dict__.setdefault('_idl_cache', {})
        if rel in cache:
            return cache[rel]
        from stubgen.diag import IdlError
        from stubgen.model import Program
        result = None
        try:
            prog = Program(self.sys.idl_include_dirs)
            unit = prog.load(os.path.join(self.root, rel), rel)
            result = {}
            for d in unit.decls:
                if d.kind == 'interface':
                    node = d.node
                    sync = bool(node.bases) or any(not op.oneway for op in node.ops)
                    result['::'.join(d.scope + (d.name,))] = sync
            self.__dict__.setdefault('_idl_ids', {})[rel] = self._ids_of(prog)
        except IdlError as e:
            self.sys.diagnostics.append(Diagnostic(
                e.loc.path, e.loc.line, 'error', e.msg, col=e.loc.col,
                source=e.loc.source_line(), order=line,
                notes=e.note_tuples() +
                [(self.display, line, f"interface '{iface}' is defined in {rel}, which "
                                      "does not compile")]))
            self.errors += 1
        except OSError as e:
            self.error(line, f"interface '{iface}': cannot read {rel}: {e.strerror}")
        cache[rel] = result
        return result

    def _ids_of(self, prog):
        """(file, interface decl, @id place) of every interface a compiled IDL file sees
        (its imports' too), the file relative to the root when it lies inside it."""
        from stubgen.diag import Loc
        out = []
        for abspath, unit in prog.units.items():
            rel = os.path.relpath(abspath, self.root)
            shown = abspath if rel.startswith('..') else rel
            for d in unit.decls:
                if d.kind == 'interface':
                    at = d.iid_loc
                    out.append((shown, d, Loc(shown, at.line, at.col, at.text)))
        return out

    def check_interface_ids(self):
        """Every interface of every IDL file the system uses (imports included) has an id
        of its own: the id is the high byte of its labels and names its application error
        codes. stubgen sees one file and its imports at a time; this sees them all."""
        from stubgen.model import interface_id_clash
        ids, seen = {}, set()
        for iface in self.sys.endpoints:
            line = self.at(iface.provider.path, 'provides', f'"{iface.name}"')
            for shown, d, loc in self.__dict__.get('_idl_ids', {}).get(iface.idl, []):
                qname = '::'.join(d.scope + (d.name,))
                if (shown, qname) in seen:
                    continue
                seen.add((shown, qname))
                if d.iid not in ids:
                    ids[d.iid] = (d, loc)
                    continue
                first, first_loc = ids[d.iid]
                e = interface_id_clash(d, first)
                via = '' if shown == iface.idl else f', which imports {shown}'
                self.sys.diagnostics.append(Diagnostic(
                    loc.path, loc.line, 'error', e.msg, col=loc.col,
                    source=loc.source_line(), order=line,
                    notes=[(first_loc.path, first_loc.line, first_loc.col, e.notes[0][1]),
                           (self.display, line, f"task '{iface.provider.name}' provides "
                                                f"'{iface.name}' from {iface.idl}{via}")]))
                self.errors += 1

    def _defined_anywhere(self):
        """{interface: IDL file} of every interface an IDL file of the tree defines
        (idl/*.idl and tasks/*/*.idl); files that do not compile are skipped here."""
        if '_all_defined' not in self.__dict__:
            found = {}
            for pattern in ('idl/*.idl', 'tasks/*/*.idl'):
                for path in sorted(glob.glob(os.path.join(self.root, pattern))):
                    rel = os.path.relpath(path, self.root)
                    for name in self._quiet_interfaces(rel):
                        found.setdefault(name, rel)
            self._all_defined = found
        return self._all_defined

    def _quiet_interfaces(self, rel):
        """The interfaces `rel` defines, or none when it does not compile (no message:
        only files the description names are reported)."""
        errors, diags = self.errors, len(self.sys.diagnostics)
        cache = self.__dict__.setdefault('_idl_cache', {})
        had = rel in cache
        defined = self._idl_interfaces(rel, 0, '')
        if not had:
            del self.sys.diagnostics[diags:]
            self.errors = errors
            if defined is None:
                del cache[rel]
        return defined or {}

    def _unprovided_hint(self, name, provided):
        """Why nobody provides `name`: an IDL file defines it (so a task must list it
        in `provides`), or none does; and the closest known name."""
        defined = self._defined_anywhere()
        if name in defined:
            return (f"; {defined[name]} defines it: add it to the provides list of the "
                    "task that implements it")
        hint = '; no IDL file defines it either'
        close = difflib.get_close_matches(name, sorted(set(provided) | set(defined)), n=1,
                                          cutoff=0.6)
        if close:
            hint += f" (did you mean '{close[0]}'?)"
        return hint

    def resolve_interfaces(self):
        s = self.sys
        for t in s.tasks:
            for name in t.provides:
                line = self.at(t.path, 'provides', f'"{name}"')
                if name in s.interfaces:
                    first = s.interfaces[name].provider
                    self.error(line, f"interface '{name}' is provided twice: by task "
                                     f"'{first.name}' and by task '{t.name}'")
                    continue
                iface = Interface(name, t)
                found = [c for c in self._idl_candidates(iface.module, t)
                         if os.path.isfile(os.path.join(self.root, c))]
                if not found:
                    self.error(line, f"unknown interface '{name}': no IDL file defines it "
                                     f"(looked for {' and '.join(self._idl_candidates(iface.module, t))})")
                    continue
                if len(found) > 1:
                    self.error(line, f"interface '{name}': module '{iface.module}' is defined "
                                     f"twice ({found[0]} and {found[1]}); keep one")
                    continue
                defined = self._idl_interfaces(found[0], line, name)
                if defined is None:
                    continue
                if name not in defined:
                    self.error(line, f"unknown interface '{name}': {found[0]} does not define "
                                     f"it (it defines {', '.join(sorted(defined)) or 'none'})")
                    continue
                iface.idl, iface.sync = found[0], defined[name]
                iface.endpoint = len(s.endpoints)
                s.endpoints.append(iface)
                s.interfaces[name] = iface
                t.provides_ifaces.append(iface)
        self.check_interface_ids()
        for t in s.tasks:
            for name in t.provides:
                if name in s.interfaces and s.interfaces[name].provider is t and \
                        not any(th.serves == name for th in t.threads):
                    self.error(self.at(t.path, 'provides', f'"{name}"'),
                               f"task '{t.name}' provides '{name}' but none of its threads "
                               "serves it (add serves = \"...\" to a [[task.thread]])")
        provided_names = {n for t in s.tasks for n in t.provides}
        for t in s.tasks:
            for name in t.uses:
                if name not in provided_names:
                    self.error(self.at(t.path, 'uses', f'"{name}"'),
                               f"task '{t.name}' uses interface '{name}' that no task provides"
                               + self._unprovided_hint(name, provided_names))
                elif name in s.interfaces:
                    iface = s.interfaces[name]
                    iface.clients.append(t)
                    t.uses_ifaces.append(iface)
        for iface in s.endpoints:
            if not iface.clients:
                self.warning(self.at(iface.provider.path, 'provides', f'"{iface.name}"'),
                             f"interface '{iface.name}' of task '{iface.provider.name}' is "
                             "used by no task")

    def check_priorities(self):
        """A client thread above every server thread of an interface it calls would wait
        on lower-priority work: report the pair. Interfaces with only oneway operations
        are exempt: a sender does not wait for the server's work."""
        for t in self.sys.tasks:
            for iface in t.uses_ifaces:
                if not iface.sync:
                    continue
                servers = [th for th in iface.provider.threads if th.serves == iface.name]
                top = max(servers, key=lambda th: th.priority)
                callers = getattr(t, 'member_uses', {}).get(iface.name)
                for th in t.threads:
                    if callers is not None and (th.member is None or
                                                th.member.name not in callers):
                        continue  # collocated: only the member that uses it calls it
                    if th.priority > top.priority:
                        self.error(self.at(t.path, 'uses', f'"{iface.name}"'),
                                   f"priority inversion: thread '{t.name}.{th.name}' (priority "
                                   f"{th.priority}) calls '{iface.name}', whose highest server "
                                   f"thread '{iface.provider.name}.{top.name}' runs at priority "
                                   f"{top.priority}")

    def check_cycles(self):
        """Tasks calling each other synchronously in a ring can all block in call at once:
        report one cycle per strongly connected set of tasks."""
        tasks = self.sys.tasks
        edges = {t.name: [(i.provider, i) for i in t.uses_ifaces if i.sync] for t in tasks}
        index, low, stack, on, sccs = {}, {}, [], set(), []

        def visit(v):  # Tarjan; tasks are few, recursion depth is bounded by them
            index[v.name] = low[v.name] = len(index)
            stack.append(v)
            on.add(v.name)
            for w, _ in edges[v.name]:
                if w.name not in index:
                    visit(w)
                    low[v.name] = min(low[v.name], low[w.name])
                elif w.name in on:
                    low[v.name] = min(low[v.name], index[w.name])
            if low[v.name] == index[v.name]:
                scc = []
                while True:
                    w = stack.pop()
                    on.discard(w.name)
                    scc.append(w)
                    if w is v:
                        break
                sccs.append(scc)

        for t in tasks:
            if t.name not in index:
                visit(t)
        for scc in sorted(sccs, key=lambda c: min(t.index for t in c)):
            names = {t.name for t in scc}
            start = min(scc, key=lambda t: t.index)
            if len(scc) == 1 and not any(w is start for w, _ in edges[start.name]):
                continue
            path = self._cycle_from(start, edges, names)
            steps = ', '.join(f"'{a.name}' calls '{i.name}' of '{b.name}'" for a, i, b in path)
            self.error(self.at(start.path, 'uses', f'"{path[0][1].name}"'),
                       f"cycle of synchronous calls can deadlock: {steps}")

    def _cycle_from(self, start, edges, names):
        """The first cycle through `start` (depth first, in `uses` order)."""
        def dfs(v, seen, path):
            for w, i in edges[v.name]:
                if w.name not in names:
                    continue
                if w is start:
                    return path + [(v, i, w)]
                if w.name not in seen:
                    found = dfs(w, seen | {w.name}, path + [(v, i, w)])
                    if found:
                        return found
            return None
        return dfs(start, {start.name}, [])

    def layout(self):
        """UTCBs in the top page (512 bytes each, in thread order), a guard page, then
        each thread's stack below the previous one with a guard page between."""
        for t in self.sys.tasks:
            top = UTCB_PAGE - PAGE
            for i, th in enumerate(t.threads):
                th.utcb = UTCB_PAGE + i * UTCB_SIZE
                th.stack_top = top
                top -= th.stack + PAGE
            if top + PAGE < THREAD_AREA:
                self.error(self.at(t.path), f"task '{t.name}': stacks need "
                                            f"{UTCB_PAGE - PAGE - top:#x} bytes with guard pages, "
                                            f"more than the thread area "
                                            f"({UTCB_PAGE - PAGE - THREAD_AREA:#x})")
            t.mcp = t.priority
            self.assign_caps(t)

    def assign_caps(self, t):
        """Cap slots from SYS_SLOT_FIRST_GEN: provided interfaces (in `provides` order),
        used interfaces (in `uses` order), IRQs (in `irqs` order), the accounting cap
        (`acct`); then the pool and
        device mappings, which take no slot."""
        slot = SYS_SLOT_FIRST_GEN
        caps = []
        for iface in t.provides_ifaces:
            caps.append(dict(kind='SERVER', slot=slot, rights=0, object=iface.endpoint,
                             badge=0, iface=iface))
            slot += 1
        for iface in t.uses_ifaces:
            caps.append(dict(kind='CLIENT', slot=slot, rights=0, object=iface.endpoint,
                             badge=t.id, iface=iface))
            slot += 1
        for k, irq in enumerate(t.irqs):
            caps.append(dict(kind='IRQ', slot=slot, rights=0, object=irq,
                             badge=1 << (IRQ_FIRST_BIT + k), bit=IRQ_FIRST_BIT + k, irq=irq))
            slot += 1
        if t.acct:
            caps.append(dict(kind='ACCT', slot=slot, rights=0, object=0, badge=0))
            slot += 1
        if len(t.irqs) > 32 - IRQ_FIRST_BIT:
            self.error(self.at(t.path, 'irqs'), f"task '{t.name}' has {len(t.irqs)} irqs, more "
                                                f"than its {32 - IRQ_FIRST_BIT} notification bits")
        if slot > SYS_SLOT_CLIENT_NTFN:
            self.error(self.at(t.path), f"task '{t.name}' needs cap slots up to {slot - 1}; "
                                        f"generated slots end at {SYS_SLOT_CLIENT_NTFN - 1}")
        for pool, rights in t.pools:
            caps.append(dict(kind='POOL', slot=0, rights=rights, object=pool.index, badge=0,
                             pool=pool))
        for dev in t.devices:
            caps.append(dict(kind='DEVICE', slot=0, rights=0, object=dev.index, badge=0,
                             device=dev))
        t.caps = caps

    def check_elfs(self):
        import elf32
        s = self.sys
        for name in self.elfs:
            if s.task(name) is None:
                self.error(1, f"--elf {name}=...: no task '{name}' in the description")
        for t in s.tasks:
            path = self.elfs.get(t.name)
            if path is None:
                continue
            try:
                elf = elf32.read(path)
                syms = elf32.symbols(path)
            except (elf32.ElfError, OSError) as e:
                self.error(self.at(t.path), f"task '{t.name}': {e}")
                continue
            segs = elf.loads()
            problems = []
            if elf.machine != elf32.EM_ARM:
                problems.append(f'{path} is not an ARM ELF')
            if not segs:
                problems.append(f'{path} has no PT_LOAD segments')
            for seg in segs:
                lo, hi = seg.vaddr, seg.vaddr + seg.memsz
                if seg.vaddr % PAGE or lo < USER_LOW or hi > THREAD_AREA:
                    problems.append(f'{path}: segment [{lo:#010x}, {hi:#010x}) is not page-aligned '
                                    f'memory in [{USER_LOW:#010x}, {THREAD_AREA:#010x})')
                elif lo < HEARTBEAT[1] and HEARTBEAT[0] < hi:
                    problems.append(f'{path}: segment [{lo:#010x}, {hi:#010x}) overlaps the '
                                    "runtime's heartbeat stack and UTCB")
                if (seg.flags & elf32.PF_W) and (seg.flags & elf32.PF_X):
                    problems.append(f'{path}: segment at {lo:#010x} is writable and executable')
                for what, r in [(f"pool '{p.name}'", p) for p, _ in t.pools] + \
                               [(f"device '{d.name}'", d) for d in t.devices]:
                    if lo < r.vaddr + r.size and r.vaddr < hi:
                        problems.append(f'{path}: segment [{lo:#010x}, {hi:#010x}) overlaps {what} '
                                        f'at [{r.vaddr:#010x}, {r.vaddr + r.size:#010x})')
            for p in problems:
                self.error(self.at(t.path), f"task '{t.name}': {p}")
            t.elf = elf
            t.elf_path = path
            for th in t.threads:
                sym = syms.get(th.entry)
                if sym is None:
                    self.error(self.at(th.path, 'entry'),
                               f"thread '{t.name}.{th.name}': entry '{th.entry}' is not a "
                               f"symbol of {path}")
                elif sym.kind != elf32.STT_FUNC:
                    self.error(self.at(th.path, 'entry'),
                               f"thread '{t.name}.{th.name}': entry '{th.entry}' is not a "
                               f"function in {path}")
                else:
                    th.address = sym.value


def _toml_type(v):
    if isinstance(v, bool):
        return 'a boolean'
    if isinstance(v, int):
        return 'an integer'
    if isinstance(v, float):
        return 'a float'
    if isinstance(v, str):
        return 'a string'
    if isinstance(v, list):
        return 'a list'
    if isinstance(v, dict):
        return 'a table'
    return type(v).__name__


def load(path, root=None, elfs=None, display=None, colocate=None):
    """Read and check the description at `path`. `root`: the repository (default: the
    parent of the file's folder); `elfs`: {task: ELF path} to check entries and segments
    against; `display`: the name used in messages (default `path`); `colocate`: tasks to
    link into one (overrides `[system] colocate`; sysgen/colo.py). Returns a System
    (warnings in .diagnostics); raises SysgenError listing every error found."""
    root = os.path.abspath(root or os.path.dirname(os.path.dirname(os.path.abspath(path))))
    try:
        r = _Reader(path, root, elfs, display, colocate)
    except OSError as e:
        raise SysgenError([Diagnostic(display or path, 0, 'error',
                                      f'cannot read it: {e.strerror}')]) from None
    try:
        r.read()
        r.check()
    except _Stop:
        diags = sorted(r.sys.diagnostics, key=lambda d: d.order)
        raise SysgenError(diags) from None
    r.sys.diagnostics.sort(key=lambda d: d.order)
    return r.sys
