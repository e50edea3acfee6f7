# SPDX-License-Identifier: BSD-2-Clause
"""Writes a checked System as C and assembly: sysinfo.c (const struct sys_info),
modules.S (the task ELFs' PT_LOAD segments and their sys_module tables) and one
sys_<task>.h per task (its cap slots, pools, devices and IRQ bits)."""

import os

from .model import BANNER, SYS_SLOT_THREADS

CAP_KIND = {'CLIENT': 'SYS_CAP_CLIENT', 'SERVER': 'SYS_CAP_SERVER', 'POOL': 'SYS_CAP_POOL',
            'IRQ': 'SYS_CAP_IRQ', 'DEVICE': 'SYS_CAP_DEVICE', 'ACCT': 'SYS_CAP_ACCOUNTING'}
RESTART_C = {'never': 'SYS_RESTART_NEVER', 'task': 'SYS_RESTART_TASK',
             'system': 'SYS_RESTART_SYSTEM'}


def _banner(s):
    return BANNER.format(s.path)


def _str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def sysinfo_c(s):
    """The text of sysinfo.c; every task needs its ELF (thread entries)."""
    out = [f'/* {_banner(s)} */', '#include <stddef.h>', '', '#include <l4e/sysinfo.h>', '']
    for t in s.tasks:
        out.append(f'extern const struct sys_module sys_module_{t.name};')
    out.append('')
    for t in s.tasks:
        out.append(f'static const struct sys_thread sys_threads_{t.name}[] = {{')
        for th in t.threads:
            out += [f'\t{{ /* {t.name}.{th.name}: {th.entry} */',
                    f'\t\t.name = {_str(th.name)},',
                    f'\t\t.entry = {th.address:#010x}u,',
                    f'\t\t.arg = {th.arg:#x}u,',
                    f'\t\t.stack_size = {th.stack:#x}u,',
                    f'\t\t.stack_top = {th.stack_top:#010x}u,',
                    f'\t\t.utcb = {th.utcb:#010x}u,',
                    f'\t\t.slice_us = {th.slice_us}u,',
                    f'\t\t.prio = {th.priority},',
                    '\t},']
        out += ['};', '']
        if t.caps:
            out.append(f'static const struct sys_cap sys_caps_{t.name}[] = {{')
            for c in t.caps:
                out.append(f'\t{{ .kind = {CAP_KIND[c["kind"]]}, .slot = {c["slot"]}, '
                           f'.rights = {c["rights"]}, .object = {c["object"]}, '
                           f'.badge = {c["badge"]:#x}u }}, /* {_cap_comment(c)} */')
            out += ['};', '']
    out.append('static const struct sys_task sys_tasks[] = {')
    for t in s.tasks:
        caps = f'sys_caps_{t.name}' if t.caps else 'NULL'
        out += [f'\t{{ /* task {t.index}: id and client badge {t.id} */',
                f'\t\t.name = {_str(t.name)},',
                f'\t\t.module = &sys_module_{t.name},',
                f'\t\t.mcp = {t.mcp},',
                f'\t\t.restart = {RESTART_C[t.restart]},',
                f'\t\t.restart_max = {t.restart_max},',
                f'\t\t.nthreads = {len(t.threads)},',
                f'\t\t.restart_window_ms = {t.restart_window_ms}u,',
                f'\t\t.heartbeat_ms = {t.heartbeat_ms}u,',
                f'\t\t.flags = {"SYS_TASK_F_SHUTDOWN" if t.shutdown else "0"},',
                f'\t\t.threads = sys_threads_{t.name},',
                f'\t\t.ncaps = {len(t.caps)},',
                f'\t\t.caps = {caps},',
                '\t},']
    out += ['};', '']
    if s.endpoints:
        out.append('static const struct sys_endpoint sys_endpoints[] = {')
        for i, e in enumerate(s.endpoints):
            out.append(f'\t{{ .iface = {_str(e.name)}, .server_task = {e.provider.index} }}, '
                       f'/* endpoint {i} */')
        out += ['};', '']
    if s.pools:
        out.append('static const struct sys_pool sys_pools[] = {')
        for p in s.pools:
            flags = 'SYS_POOL_F_DMA' if p.dma else 'SYS_POOL_F_KEEP' if p.keep else '0'
            out.append(f'\t{{ .name = {_str(p.name)}, .size = {p.size:#x}u, '
                       f'.vaddr = {p.vaddr:#010x}u, .flags = {flags} }},')
        out += ['};', '']
    if s.devices:
        out.append('static const struct sys_device sys_devices[] = {')
        for d in s.devices:
            out.append(f'\t{{ .name = {_str(d.name)}, .paddr = {d.paddr:#010x}u, '
                       f'.size = {d.size:#x}u, .vaddr = {d.vaddr:#010x}u }},')
        out += ['};', '']
    out += ['const struct sys_info sys_info = {',
            f'\t.name = {_str(s.name)},',
            f'\t.ntasks = {len(s.tasks)},',
            f'\t.nendpoints = {len(s.endpoints)},',
            f'\t.npools = {len(s.pools)},',
            f'\t.ndevices = {len(s.devices)},',
            '\t.tasks = sys_tasks,',
            f'\t.endpoints = {"sys_endpoints" if s.endpoints else "NULL"},',
            f'\t.pools = {"sys_pools" if s.pools else "NULL"},',
            f'\t.devices = {"sys_devices" if s.devices else "NULL"},',
            '};']
    return '\n'.join(out) + '\n'


def _cap_comment(c):
    if c['kind'] in ('CLIENT', 'SERVER'):
        return f'{c["kind"].lower()} of {c["iface"].name}'
    if c['kind'] == 'IRQ':
        return f'irq {c["irq"]} -> notification bit {c["bit"]}'
    if c['kind'] == 'POOL':
        return f'pool {c["pool"].name} ({"rw" if c["rights"] & 2 else "r"})'
    if c['kind'] == 'ACCT':
        return 'system cap, receive right: every task\'s cycles'
    return f'device {c["device"].name}'


def modules_s(s):
    """The text of modules.S: each task's PT_LOAD segments page-aligned and zero-padded
    in .rodata.sys_segs, then the struct sys_seg arrays and struct sys_module."""
    out = [f'/* {_banner(s)} */', '\t.section .rodata.sys_segs, "a"']
    for t in s.tasks:
        src = os.path.abspath(t.elf_path)
        for i, seg in enumerate(t.elf.loads()):
            out += ['\t.balign 4096', f'sys_seg_data_{t.name}_{i}:']
            if seg.filesz:
                out.append(f'\t.incbin "{src}", {seg.offset}, {seg.filesz}')
            out.append('\t.balign 4096, 0')
    out += ['', '\t.section .rodata.sys_modules, "a"', '\t.balign 4']
    for t in s.tasks:
        segs = t.elf.loads()
        out.append(f'sys_segs_{t.name}:')
        for i, seg in enumerate(segs):
            out.append(f'\t.word sys_seg_data_{t.name}_{i}, {seg.vaddr:#x}, {seg.filesz:#x}, '
                       f'{seg.memsz:#x}, {seg.flags:#x}')
        out += [f'\t.global sys_module_{t.name}', f'\t.type sys_module_{t.name}, %object',
                f'sys_module_{t.name}:',
                f'\t.word {t.elf.entry:#x}, {len(segs)}, sys_segs_{t.name}',
                f'\t.size sys_module_{t.name}, 12', '']
    return '\n'.join(out)


def _pool_defines(pool, rights):
    """A task's macros for one pool it maps: id, address, size, rights, kind."""
    p = pool.name.upper()
    out = [f'#define SYS_POOL_{p}_ID {pool.index}u',
           f'#define SYS_POOL_{p}_ADDR {pool.vaddr:#010x}u',
           f'#define SYS_POOL_{p}_SIZE {pool.size:#x}u',
           f'#define SYS_POOL_{p}_WRITABLE {1 if rights & 2 else 0}']
    if pool.dma:
        out.append(f'#define SYS_POOL_{p}_DMA 1 /* l4e_dma_get() reads its header */')
    if pool.keep:
        out.append(f'#define SYS_POOL_{p}_KEEP 1 /* kept across restarts (l4e/keep.h) */')
    return out


def _acct_define(c):
    return (f'#define SYS_CAP_ACCT {c["slot"]} /* every task\'s cycles: '
            'l4_acct_groups(), group = task id + 1 */')


def task_header(s, t):
    """The text of sys_<task>.h."""
    out = [f'/* {_banner(s)} */', f'/* Task {t.name}: its id, threads, cap slots, pools, '
           'devices and IRQ bits (l4e/sysinfo.h). */', '#pragma once', '',
           f'#define SYS_TASK_ID {t.id}u /* the badge its calls carry */',
           f'#define SYS_TASK_NAME {_str(t.name)}', f'#define SYS_TASK_PRIO {t.priority}',
           '/* Every task\'s name by id (= client badge), for logs. */',
           '#define SYS_TASK_NAMES { ' + ', '.join(_str(x.name) for x in s.tasks) + ' }',
           f'#define SYS_NTASKS {len(s.tasks)}u', '']
    for i, th in enumerate(t.threads):
        out.append(f'#define SYS_THREAD_{th.name.upper()} {SYS_SLOT_THREADS + i} '
                   f'/* slot; priority {th.priority}, entry {th.entry} */')
        out.append(f'#define SYS_PRIO_{th.name.upper()} {th.priority} /* its priority */')
    out.append('')
    for c in t.caps:
        if c['kind'] == 'SERVER':
            out.append(f'#define SYS_CAP_PROVIDES_{c["iface"].macro} {c["slot"]}')
        elif c['kind'] == 'CLIENT':
            out.append(f'#define SYS_CAP_USES_{c["iface"].macro} {c["slot"]}')
        elif c['kind'] == 'IRQ':
            out += [f'#define SYS_CAP_IRQ_{c["irq"]} {c["slot"]} /* ack it here */',
                    f'#define SYS_IRQ_{c["irq"]}_BIT {c["bit"]} /* in SYS_SLOT_NTFN */',
                    f'#define SYS_IRQ_{c["irq"]}_MASK {c["badge"]:#x}u']
        elif c['kind'] == 'ACCT':
            out.append(_acct_define(c))
    out += _not_declared(s, t)
    for iface in t.provides_ifaces:
        for client in iface.clients:
            out.append(f'#define SYS_CLIENT_{iface.macro}_{client.name.upper()} {client.id}u '
                       f'/* badge of task {client.name} */')
    for pool, rights in t.pools:
        out += _pool_defines(pool, rights)
    entries = _server_pools(t)
    if entries:
        out.append('/* Buffer pools its clients may name (static const struct l4e_pool x[] = '
                   'SYS_SERVER_POOLS;): rights are what both client and server hold. */')
        out += _pool_table('', entries)
    for iface in t.provides_ifaces:
        entries = _server_pools(t, [iface])
        if entries:
            out.append(f'/* Pools the clients of {iface.name} may name (its server\'s `pools`). */')
            out += _pool_table('_' + iface.macro, entries)
    for dev in t.devices:
        d = dev.name.upper()
        out += [f'#define SYS_DEVICE_{d}_ADDR {dev.vaddr:#010x}u',
                f'#define SYS_DEVICE_{d}_PADDR {dev.paddr:#010x}u',
                f'#define SYS_DEVICE_{d}_SIZE {dev.size:#x}u']
    return '\n'.join(out) + '\n'


def member_header(s, colo, m):
    """The text of sys_<member>.h for a task linked into the collocated task `colo`
    (sysgen/colo.py): the merged task's slots under the names the member's code uses, and
    only what the member declared."""
    out = [f'/* {_banner(s)} */',
           f'/* Task {m.name}, collocated in task {colo.name}: its threads, cap slots, pools, '
           'devices and IRQ bits (l4e/sysinfo.h, sysgen/colo.py). */', '#pragma once', '',
           f'#define SYS_TASK_ID {colo.id}u /* the collocated task: the badge its calls carry */',
           f'#define SYS_TASK_NAME {_str(colo.name)}', f'#define SYS_TASK_PRIO {colo.priority}',
           f'#define SYS_COLO_MEMBER {_str(m.name)} /* linked into {colo.name} */',
           '/* Every task\'s name by id (= client badge), for logs. */',
           '#define SYS_TASK_NAMES { ' + ', '.join(_str(x.name) for x in s.tasks) + ' }',
           f'#define SYS_NTASKS {len(s.tasks)}u', '']
    for own, th in m.threads:
        i = colo.threads.index(th)
        out.append(f'#define SYS_THREAD_{own.upper()} {SYS_SLOT_THREADS + i} '
                   f'/* slot of {colo.name}.{th.name}; priority {th.priority} */')
        out.append(f'#define SYS_PRIO_{own.upper()} {m.prio[own]} /* its declared priority */')
    out.append('')
    declared = set()
    for c in colo.caps:
        if c['kind'] == 'SERVER' and c['iface'].name in m.provides:
            out.append(f'#define SYS_CAP_PROVIDES_{c["iface"].macro} {c["slot"]}')
            declared.add(('p', c['iface'].name))
        elif c['kind'] == 'CLIENT' and c['iface'].name in m.uses:
            out.append(f'#define SYS_CAP_USES_{c["iface"].macro} {c["slot"]}')
            declared.add(('u', c['iface'].name))
        elif c['kind'] == 'IRQ' and c['irq'] in m.task.irqs:
            out += [f'#define SYS_CAP_IRQ_{c["irq"]} {c["slot"]} /* ack it here */',
                    f'#define SYS_IRQ_{c["irq"]}_BIT {c["bit"]} /* in SYS_SLOT_NTFN */',
                    f'#define SYS_IRQ_{c["irq"]}_MASK {c["badge"]:#x}u']
        elif c['kind'] == 'ACCT' and m.task.acct:
            out.append(_acct_define(c))
    for b in colo.bound:
        out.append(f'#define SYS_COLO_EP_{b.macro} {b.ep:#x}u /* {b.name}: a direct call '
                   f'({b.cname}_colo_bind), no kernel object */')
        if b.provider is m and b.internal:
            out.append(f'#define SYS_CAP_PROVIDES_{b.macro} SYS_COLO_EP_{b.macro}')
            declared.add(('p', b.name))
        if m in b.users:
            out.append(f'#define SYS_CAP_USES_{b.macro} SYS_COLO_EP_{b.macro}')
            declared.add(('u', b.name))
    errs = []
    for name, macro in [(i.name, i.macro) for i in s.endpoints] + \
                       [(b.name, b.macro) for b in colo.bound if b.internal]:
        if ('u', name) not in declared:
            msg = (f"task '{m.name}' does not use '{name}': add '{name}' to the uses list of "
                   f"its [[task]] in {s.path}")
            errs.append(f'#define SYS_CAP_USES_{macro} {_pragma_error(msg)}')
        if ('p', name) not in declared:
            msg = (f"task '{m.name}' does not provide '{name}'; to call it, list it in uses "
                   f"and take SYS_CAP_USES_{macro}")
            errs.append(f'#define SYS_CAP_PROVIDES_{macro} {_pragma_error(msg)}')
    if errs:
        out.append("/* The system's other interfaces: naming one stops the compile and says "
                   'what to declare. */')
        out += errs
    for iface in colo.provides_ifaces:
        if iface.name in m.provides:
            for client in iface.clients:
                out.append(f'#define SYS_CLIENT_{iface.macro}_{client.name.upper()} '
                           f'{client.id}u /* badge of task {client.name} */')
    for pool, rights in m.task.pools:
        out += _pool_defines(pool, rights)
    mine = [i for i in colo.provides_ifaces if i.name in m.provides]
    entries = _server_pools(colo, mine) if mine else []
    if entries:
        out.append('/* Buffer pools its clients may name (SYS_SERVER_POOLS). */')
        out += _pool_table('', entries)
    for iface in mine:
        entries = _server_pools(colo, [iface])
        if entries:
            out.append(f'/* Pools the clients of {iface.name} may name (its server\'s `pools`). */')
            out += _pool_table('_' + iface.macro, entries)
    for b in colo.bound:
        if b.provider is m and b.internal:
            entries = [(pool, colo, rights) for pool, rights in colo.pools
                       if not (pool.dma or pool.keep)]
            out.append(f'/* {b.name} is called directly: its pools are the task\'s own. */')
            out += _pool_table('_' + b.macro, entries)
    for dev in m.task.devices:
        d = dev.name.upper()
        out += [f'#define SYS_DEVICE_{d}_ADDR {dev.vaddr:#010x}u',
                f'#define SYS_DEVICE_{d}_PADDR {dev.paddr:#010x}u',
                f'#define SYS_DEVICE_{d}_SIZE {dev.size:#x}u']
    return '\n'.join(out) + '\n'


def colo_bind_c(s, colo):
    """The text of colo_bind.c: the wrapped `<iface>_serve` of every bound interface
    (linked with `ld --wrap`): sets its priority and binds the serving thread's
    implementation for direct calls, then serves over IPC when other tasks use it too, else
    returns; and colo_init_main, the thread that runs the entries of the threads that
    served only members."""
    out = [f'/* {_banner(s)} */',
           f'/* Task {colo.name}: the bindings of its direct calls (sysgen/colo.py). */',
           '#include <l4e/stub.h>', '']
    for mod in sorted({b.module for b in colo.bound}):
        out.append(f'#include "{mod}.h"')
    out.append('')
    for b in colo.bound:
        n = b.cname
        out += [f'int __real_{n}_serve(struct {n}_server *srv, l4_cap_t ep);',
                f'int __wrap_{n}_serve(struct {n}_server *srv, l4_cap_t ep);', '',
                f'/* {b.name}, provided by {b.provider.name}, called by '
                f'{", ".join(u.name for u in b.users)}; its server thread ran at priority '
                f'{b.prio}. */',
                f'int __wrap_{n}_serve(struct {n}_server *srv, l4_cap_t ep)', '{',
                f'\t{n}_colo_prio({b.prio});',
                f'\t{n}_colo_bind({b.ep:#x}u, srv->ops, srv->ctx, {colo.id}u);']
        if b.internal:
            out += ['\t(void)ep;', '\treturn 0; /* no other task calls it: nothing to serve */']
        else:
            out.append(f'\treturn __real_{n}_serve(srv, ep);')
        out += ['}', '']
    if colo.init:
        for m, th in colo.init:
            out.append(f'void {th.entry}(uint32_t arg);')
        out += ['void colo_init_main(uint32_t arg);', '',
                '/* The entries of the threads that served only members: each binds its '
                'interface and returns. */',
                'void colo_init_main(uint32_t arg)', '{', '\t(void)arg;']
        for m, th in colo.init:
            out.append(f'\t{th.entry}({th.arg:#x}u); /* {m.name}.{th.name} */')
        out += ['}', '']
    return '\n'.join(out)


def _pragma_error(msg):
    """A macro body that stops the compile at its use with `msg` (GCC and clang)."""
    return f'_Pragma("GCC error \\"{msg}\\"") 0'


def _not_declared(s, t):
    """The slot macros of the system's other interfaces, each an error that says where the
    fix is: a missing `uses` (or `provides`) entry, not a missing #include."""
    out = []
    used = {i.name for i in t.uses_ifaces}
    mine = {i.name for i in t.provides_ifaces}
    for iface in s.endpoints:
        if iface.name in used:
            continue
        if iface.name in mine:
            msg = (f"task '{t.name}' provides '{iface.name}' itself; a task cannot call "
                   f"itself (serve it on SYS_CAP_PROVIDES_{iface.macro})")
        else:
            msg = (f"task '{t.name}' does not use '{iface.name}': add '{iface.name}' to the "
                   f"uses list of its [[task]] in {s.path}")
        out.append(f'#define SYS_CAP_USES_{iface.macro} {_pragma_error(msg)}')
    for iface in s.endpoints:
        if iface.name not in mine:
            msg = (f"task '{t.name}' does not provide '{iface.name}' (task "
                   f"'{iface.provider.name}' does); to call it, list it in uses and take "
                   f"SYS_CAP_USES_{iface.macro}")
            out.append(f'#define SYS_CAP_PROVIDES_{iface.macro} {_pragma_error(msg)}')
    if out:
        out.insert(0, "/* The system's other interfaces: naming one stops the compile and "
                      "says what to declare. */")
    return out


def _pool_table(suffix, entries):
    """SYS_SERVER_NPOOLS<suffix> and SYS_SERVER_POOLS<suffix>: a struct l4e_pool table."""
    out = [f'#define SYS_SERVER_NPOOLS{suffix} {len(entries)}u',
           f'#define SYS_SERVER_POOLS{suffix} \\', '\t{ \\']
    for pool, client, rights in entries:
        r = ' | '.join(n for bit, n in ((1, 'L4E_BUF_R'), (2, 'L4E_BUF_W')) if rights & bit)
        out.append(f'\t\t{{.id = {pool.index}u, .badge = {client.id}u, .rights = {r}, '
                   f'.size = {pool.size:#x}u, .base = (void *){pool.vaddr:#010x}u}}, '
                   f'/* {pool.name}, {client.name} */ \\')
    return out + ['\t}']


def _server_pools(t, ifaces=None):
    """(pool, client, rights) for every pool task `t` maps and each client of its
    interfaces (or of `ifaces`) that maps it too, in pool then task order."""
    clients = sorted({c.index: c for i in (ifaces or t.provides_ifaces)
                      for c in i.clients}.values(),
                     key=lambda c: c.index)
    out = []
    for pool, rights in t.pools:
        if pool.dma or pool.keep:
            continue  # one task's alone: no handles into it travel
        for c in clients:
            theirs = next((r for p, r in c.pools if p is pool), 0)
            if rights & theirs:
                out.append((pool, c, rights & theirs))
    return out


def _write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def write(s, out_c=None, out_s=None, out_h=None):
    """Write the outputs asked for; returns the paths written."""
    written = []
    if out_c:
        _write(out_c, sysinfo_c(s))
        written.append(out_c)
    if out_s:
        _write(out_s, modules_s(s))
        written.append(out_s)
    if out_h:
        for t in s.tasks:
            path = os.path.join(out_h, f'sys_{t.name}.h')
            _write(path, task_header(s, t))
            written.append(path)
        if s.colo:
            for m in s.colo.members:
                path = os.path.join(out_h, f'sys_{m.name}.h')
                _write(path, member_header(s, s.colo, m))
                written.append(path)
            path = os.path.join(out_h, 'colo_bind.c')
            _write(path, colo_bind_c(s, s.colo))
            written.append(path)
    return written


def header_names(s):
    names = [f'sys_{t.name}.h' for t in s.tasks]
    if s.colo:
        names += [f'sys_{m.name}.h' for m in s.colo.members] + ['colo_bind.c']
    return names

