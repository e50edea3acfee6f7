# SPDX-License-Identifier: BSD-2-Clause
"""Collocation: several tasks of a description linked into one task (one address space),
their interfaces to each other bound by stubgen's collocated binding (direct calls).

`[system] colocate = ["radio", "mac"]` (or `tools/sysgen --colocate radio,mac`, or
`load(..., colocate=[...])`) replaces the member tasks by one task, COLO_TASK, at the
place of the first member. What it gets:

- **Threads**: every member's threads, in member then thread order, named
  `<member>_<thread>`, priorities unchanged. A member's code keeps its own names: its
  header `sys_<member>.h` maps `SYS_THREAD_<thread>` and `SYS_PRIO_<thread>` to the
  merged task's slots.
- **Interfaces**: an interface a member provides and a member uses is *bound*: members
  call it directly (`<module>_colo.c`), through a pseudo capability (`SYS_COLO_EP_BASE`
  + k) that names no kernel object. When only members use it, the merged task does not
  provide it (no endpoint) and the thread that served it only binds it: its
  `<iface>_serve` call is wrapped (`ld --wrap`) to bind and return. When other tasks use
  it too, it stays an endpoint served over IPC, and the same thread binds it first.
  Interfaces the members use from other tasks are used once by the merged task.
- **Capabilities**: one slot list for the merged task (sysgen's usual order); a member's
  header names only what it declared, so each member keeps its compile-time checks.
- **Resources**: pools (rights combined), devices and irqs of all members; priority the
  highest, restart the strictest policy, heartbeat off when any member has it off
  (the radio's rule: no heartbeat thread below its answer), `shutdown` when any has it.
- **Checks**: a module whose interfaces the merged task both binds and uses over IPC
  cannot link (both `<module>_colo.c` and `<module>_client.c` define its client API):
  refused. Priority inversion is checked per member (a member's threads against what
  that member uses), as in the multi-server system.
"""

import os

from .model import Task, Thread, RESTART, SYS_MAX_THREADS, SYS_NAME_MAX

COLO_TASK = 'colo'
COLO_EP_BASE = 0x100   # pseudo capabilities of bound interfaces (above every real slot)
COLO_INIT_ENTRY = 'colo_init_main'  # the thread that runs the binding-only entries


class Member:
    """A task of the description merged into the collocated one."""

    def __init__(self, task):
        self.name = task.name
        self.dir = task.dir
        self.task = task                 # as read (its threads now belong to the merged task)
        self.provides = list(task.provides)
        self.uses = list(task.uses)
        self.threads = []                # (member's thread name, merged Thread)
        self.entries = []                # its thread entries (global in its object)
        self.prio = {}                   # its threads' declared priorities, by name


class Bound:
    """An interface a member provides and a member uses: a direct call inside the task."""

    def __init__(self, name, provider, ep, internal):
        self.name = name
        self.module = name.split('::')[0]
        self.macro = '_'.join(name.split('::')).upper()
        self.cname = '_'.join(name.split('::'))
        self.provider = provider         # Member
        self.ep = ep                     # its pseudo capability
        self.internal = internal         # only members use it: no endpoint
        self.idl = None
        self.users = []                  # Members calling it


def merge(r, names, line):
    """Replace the tasks `names` of reader `r`'s system by one collocated task; errors are
    reported at `line` (the colocate key)."""
    s = r.sys
    tasks = {t.name: t for t in s.tasks}
    bad = False
    for n in names:
        if n not in tasks:
            r.error(line, f"colocate: no task '{n}' in the description")
            bad = True
    if len(set(names)) != len(names):
        r.error(line, 'colocate: a task is listed twice')
        bad = True
    if len(names) < 2:
        r.error(line, 'colocate: name at least two tasks')
        bad = True
    if COLO_TASK in tasks:
        r.error(line, f"colocate: the collocated task is named '{COLO_TASK}', and a task of "
                      'that name exists')
        bad = True
    if bad:
        return
    members = [Member(tasks[n]) for n in sorted(names, key=lambda n: tasks[n].index)]
    mset = {m.name for m in members}
    outside = [t for t in s.tasks if t.name not in mset]
    used_outside = {u for t in outside for u in t.uses}
    used_inside = {u: [m for m in members if u in m.uses] for m in members for u in m.uses}
    bound = []
    for m in members:
        for p in m.provides:
            if p in used_inside:
                b = Bound(p, m, COLO_EP_BASE + len(bound), p not in used_outside)
                b.users = used_inside[p]
                found = [c for c in r._idl_candidates(b.module, m.task)
                         if os.path.isfile(os.path.join(r.root, c))]
                b.idl = found[0] if found else None
                bound.append(b)
    bound_names = {b.name for b in bound}
    internal = {b.name for b in bound if b.internal}
    for b in bound:
        b.prio = max(th.priority for th in b.provider.task.threads if th.serves == b.name)
    init = []
    first = members[0].task
    colo = Task(name=COLO_TASK, index=first.index, id=first.index, path=first.path,
                dir=None, priority=max(m.task.priority for m in members),
                restart=max((m.task.restart for m in members), key=lambda x: RESTART[x]),
                restart_max=min(m.task.restart_max for m in members),
                restart_window_ms=max(m.task.restart_window_ms for m in members),
                heartbeat_ms=(0 if any(m.task.heartbeat_ms == 0 for m in members)
                              else min(m.task.heartbeat_ms for m in members)),
                shutdown=any(m.task.shutdown for m in members),
                acct=any(m.task.acct for m in members))
    for m in members:
        colo.provides += [p for p in m.provides if p not in internal]
        for u in m.uses:
            if u not in bound_names and u not in colo.uses:
                colo.uses.append(u)
        for pool, rights in m.task.pools:
            have = next((i for i, (p, _) in enumerate(colo.pools) if p is pool), None)
            if have is None:
                colo.pools.append((pool, rights))
            else:
                colo.pools[have] = (pool, colo.pools[have][1] | rights)
            pool.users = [u for u in pool.users if u is not m.task]
        colo.irqs += m.task.irqs
        colo.devices += m.task.devices
        for th in m.task.threads:
            m.entries.append(th.entry)
            m.prio[th.name] = th.priority
            if th.serves in internal:
                init.append((m, th))
                continue
            name = f'{m.name}_{th.name}'
            if len(name) > SYS_NAME_MAX:
                r.error(r.at(th.path, 'name'), f"colocate: thread '{m.name}.{th.name}' would "
                        f"be '{name}' in the collocated task, longer than {SYS_NAME_MAX} "
                        'characters')
            t2 = Thread(name=name, entry=th.entry, arg=th.arg, priority=th.priority,
                        stack=th.stack, slice_us=th.slice_us,
                        serves=None if th.serves in internal else th.serves,
                        path=th.path, task=colo)
            t2.member = m
            t2.colo_serves = th.serves if th.serves in bound_names else None
            colo.threads.append(t2)
            m.threads.append((th.name, t2))
    if init:
        # The threads that served what only members call now only bind it (their serve
        # call returns): one thread runs their entries in turn at boot (colo_bind.c).
        th = Thread(name='colo_init', entry=COLO_INIT_ENTRY,
                    arg=0, priority=max(t.priority for _, t in init),
                    stack=max(t.stack for _, t in init), slice_us=0, serves=None,
                    path=init[0][1].path, task=colo)
        th.member = None
        th.colo_serves = None
        th.runs = [(m, t) for m, t in init]
        colo.threads.append(th)
        for m, t in init:
            m.threads.append((t.name, th))
    for pool, _ in colo.pools:
        pool.users.append(colo)
    if len(colo.threads) > SYS_MAX_THREADS:
        r.error(line, f"colocate: the collocated task would have {len(colo.threads)} threads, "
                      f"more than SYS_MAX_THREADS ({SYS_MAX_THREADS}): collocate fewer tasks")
    bound_modules = {b.module for b in bound}
    for u in colo.uses:
        if u.split('::')[0] in bound_modules:
            r.error(line, f"colocate: the collocated task calls '{u}' over IPC and binds "
                          f"another interface of module '{u.split('::')[0]}' directly; both "
                          "stubs define the module's client API: collocate its provider too, "
                          'or neither')
    for b in bound:
        if b.idl is None:
            r.error(line, f"colocate: no IDL file defines module '{b.module}'")
    colo.members = members
    colo.init = init
    colo.bound = bound
    colo.member_uses = {u: {m.name for m in members if u in m.uses} for u in colo.uses}
    s.tasks = [t for t in s.tasks if t.name not in mset]
    s.tasks.insert(next(i for i, t in enumerate(s.tasks) if t.index > first.index)
                   if any(t.index > first.index for t in s.tasks) else len(s.tasks), colo)
    for i, t in enumerate(s.tasks):
        t.index = t.id = i
    s.colo = colo
