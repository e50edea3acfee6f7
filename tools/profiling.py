# SPDX-License-Identifier: BSD-2-Clause
"""The battery profiler's analysis (tools/profile, tools/profdiff; docs/profiling.md).

A finished run directory (tools/sim's output: kpi.json, ue0.console, ue.pcap) gives:
the supervisor's `profile:` lines (per-thread accounting, sleeps, idle wake-ups by line),
the trace ring it dumped in base64 (a trace kernel only), and the radio activity per
subframe from the UE's capture. This module turns them into a profile (a dict, written
as profile.json) and the Chrome trace-event JSON; tools/profile writes the rest.
"""

import base64
import json
import math
import os
import re
import struct

# Trace event types (kernel/include/uapi/l4/abi.h).
T_SWITCH, T_IPC, T_IRQ, T_FASTIPC, T_NOTIFY, T_FAULT, T_SLEEP, T_WAKE = range(1, 9)
TYPE_NAMES = {T_SWITCH: 'switch', T_IPC: 'ipc', T_IRQ: 'irq', T_FASTIPC: 'ipc',
              T_NOTIFY: 'notify', T_FAULT: 'fault', T_SLEEP: 'sleep', T_WAKE: 'wake'}
UNKNOWN = 0xff
NTFN_BY_THREAD = 0xffff
TAG_F_CALL = 0x02 << 8
EVENT = struct.Struct('<IBBBBII')  # struct l4_trace_event


class ProfileError(Exception):
    """A run directory that cannot be profiled: the message says why."""


# ------------------------------------------------------------------ reading a run

THREAD_RE = re.compile(r'^profile: thread (\d+) (\S+) cycles=(\d+) kernel=(\d+) '
                       r'wake_ipc=(\d+) wake_ntfn=(\d+) wake_irq=(\d+) wake_other=(\d+)$')


def parse_console(text):
    """The `profile:` section of a firmware console: threads, sleeps, idle wake-ups and
    the trace events (decoded dicts, in order)."""
    out = {'threads': [], 'sleeps': None, 'idle_wakes': {}, 'trace': None}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip('\r')
        i += 1
        m = THREAD_RE.match(line)
        if m:
            name = m.group(2)
            out['threads'].append({
                'id': int(m.group(1)), 'name': name, 'task': name.split('/')[0],
                'cycles': int(m.group(3)), 'kernel': int(m.group(4)),
                'wakes': {'ipc': int(m.group(5)), 'ntfn': int(m.group(6)),
                          'irq': int(m.group(7)), 'other': int(m.group(8))}})
        elif line.startswith('profile: sleeps '):
            kv = dict(p.split('=', 1) for p in line.split()[2:])
            out['sleeps'] = {'count': int(kv['count']), 'cycles': int(kv['cycles']),
                             'hist': [int(x) for x in kv['hist'].split(',')]}
        elif line.startswith('profile: idle_wakes'):
            for p in line.split()[2:]:
                k, v = p.split('=')
                out['idle_wakes'][int(k[3:])] = int(v)
        elif line.startswith('profile: trace first='):
            kv = dict(p.split('=', 1) for p in line.split()[2:])
            raw = bytearray()
            while i < len(lines) and not lines[i].startswith('profile: trace end'):
                try:
                    raw += base64.b64decode(lines[i].strip(), validate=True)
                except ValueError:
                    raise ProfileError(f'console line {i + 1}: not base64 trace data') from None
                i += 1
            if i >= len(lines):
                raise ProfileError('the trace dump ends early (no "profile: trace end")')
            events = [decode_event(raw[o:o + 16]) for o in range(0, len(raw) - 15, 16)]
            events = [e for e in events if e['type']][:int(kv['events'])]
            out['trace'] = {'first': int(kv['first']), 'events': events}
    return out


def decode_event(b):
    cycles, typ, thread, to, _pad, a, b_ = EVENT.unpack(bytes(b))
    return {'cycles': cycles, 'type': typ, 'thread': thread, 'to': to, 'a': a, 'b': b_}


def pcap_activity(path):
    """Per absolute subframe (radio ms): {'dl': n, 'ul': n} transport blocks, from the
    UE capture (exported-PDU link type, MAC-LTE framing: docs of the simulator)."""
    act = {}
    if not os.path.exists(path):
        return act
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return act
    off = 24
    while off + 16 <= len(data):
        ts_s, ts_us, cap, _ = struct.unpack_from('<IIII', data, off)
        rec = data[off + 16:off + 16 + cap]
        off += 16 + cap
        # Exported-PDU tags up to the end-of-options tag, then radio type and direction.
        p = 0
        while p + 4 <= len(rec):
            tag, ln = struct.unpack_from('>HH', rec, p)
            p += 4 + ln
            if tag == 0:
                break
        if p + 2 > len(rec):
            continue
        sf = ts_s * 1000 + ts_us // 1000
        d = act.setdefault(sf, {'dl': 0, 'ul': 0})
        d['dl' if rec[p + 1] == 1 else 'ul'] += 1
    return act


def read_run(run_dir):
    """kpi.json, the UE 0 console's profile section and the capture of a run directory."""
    kpi_path = os.path.join(run_dir, 'kpi.json')
    console_path = os.path.join(run_dir, 'ue0.console')
    for p in (kpi_path, console_path):
        if not os.path.exists(p):
            raise ProfileError(f'{p}: no such file (not a finished tools/sim run with a '
                               'QEMU UE?)')
    try:
        with open(kpi_path) as f:
            kpi = json.load(f)
    except (OSError, ValueError) as e:
        raise ProfileError(f'{kpi_path}: {e}') from None
    with open(console_path, errors='replace') as f:
        prof = parse_console(f.read())
    if not prof['threads']:
        raise ProfileError(f'{console_path}: no "profile:" lines (a firmware older than the '
                           'profiler, or a run that ended before the supervisor reported)')
    return kpi, prof, pcap_activity(os.path.join(run_dir, 'ue.pcap'))


# ------------------------------------------------------------------ the timeline

def timeline(events, budget):
    """Unwraps the 32-bit stamps and lays the events on a radio-time axis (cycles at the
    nominal clock): real cycle distances between events, except that a sleep ended by
    the radio line lasts until the next subframe (the simulator's clock, not QEMU's warped
    one) and any other sleep at most one subframe. Returns (events with 'real' and 't',
    the radio line or None, subframe start indexes into events)."""
    if not events:
        return [], None, []
    wakes = {}
    for e in events:
        if e['type'] == T_WAKE:
            wakes[e['a']] = wakes.get(e['a'], 0) + 1
    radio = max(wakes, key=lambda k: (wakes[k], -k)) if wakes else None
    real = 0
    t = 0
    prev = events[0]['cycles']
    sleeping_since = None
    grid0 = None
    k = 0
    starts = []
    out = []
    for i, e in enumerate(events):
        d = (e['cycles'] - prev) & 0xffffffff
        prev = e['cycles']
        real += d
        if e['type'] == T_WAKE and sleeping_since is not None:
            if e['a'] == radio and grid0 is not None:
                k += 1
                t = max(sleeping_since, grid0 + k * budget)
            else:
                t = sleeping_since + min(d, budget)
                if e['a'] == radio:
                    grid0, k = t, 0
            sleeping_since = None
        else:
            t += d
        ev = dict(e, real=real, t=t)
        if e['type'] == T_WAKE and e['a'] == radio:
            starts.append(i)
        if e['type'] == T_SLEEP:
            sleeping_since = t
        out.append(ev)
    return out, radio, starts


def slices(events):
    """Running intervals (thread id, t0, t1, real0, real1) from the switch events: a thread
    runs from a switch to it until the next switch. Thread 0 is idle (asleep)."""
    res = []
    cur = None
    for e in events:
        if e['type'] not in (T_SWITCH, T_FASTIPC):
            continue
        if cur is not None:
            res.append((cur[0], cur[1], e['t'], cur[2], e['real']))
        cur = (e['to'], e['t'], e['real'])
    return res


def percentile(values, p):
    if not values:
        return 0
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


# ------------------------------------------------------------------ the profile

def read_seen(run_dir):
    """The subframes UE 0 saw, from the simulator's drx.csv (a run with DRX), or None: it
    saw every subframe."""
    path = os.path.join(run_dir, 'drx.csv')
    if not os.path.exists(path):
        return None
    seen = []
    with open(path) as f:
        next(f, None)
        for line in f:
            cols = line.strip().split(',')
            if len(cols) >= 3 and cols[1] == '0' and cols[2] == '1':
                seen.append(int(cols[0]))
    return seen


# A sleep of the radio (subframes the UE skipped in a row) this long or longer is deep sleep,
# shorter ones light sleep (Jensen et al.: light sleep between the short DRX cycle's
# on-durations, deep sleep in the long cycle).
DEEP_SLEEP_MS = 20


def radio_time(seen, first, end):
    """Per subframe of radio time first..end-1 with `seen` (sorted) subframes: None for a
    seen one, else 'light_sleep' or 'deep_sleep' by the length of its run of skipped ones."""
    seen_set = set(seen)
    out = [None] * (end - first)
    k = first
    while k < end:
        if k in seen_set:
            k += 1
            continue
        j = k
        while j < end and j not in seen_set:
            j += 1
        state = 'deep_sleep' if j - k >= DEEP_SLEEP_MS else 'light_sleep'
        for i in range(k, j):
            out[i - first] = state
        k = j
    return out


def build_profile(kpi, prof, activity, model, scenario=None, seen=None):
    """The profile of one run (the dict written as profile.json). `seen`: the subframes
    the UE saw when it slept through others (DRX, read_seen), None when it saw every one."""
    cpu_hz = kpi.get('run', {}).get('cpu_hz', model.cpu['nominal_hz'])
    budget = cpu_hz // 1000
    run_subframes = kpi.get('run', {}).get('subframes', 0)
    names = {t['id']: t['name'] for t in prof['threads']}
    names.setdefault(0, 'idle')
    threads = {t['id']: dict(t) for t in prof['threads']}
    trace = prof['trace']
    window = {'subframes': 0, 'source': 'counters'}
    per_sf = []
    wake_causes = {}
    cpu_wakes = {}
    sleep_lengths = []
    if trace and trace['events']:
        evs, radio, starts = timeline(trace['events'], budget)
        sl = slices(evs)
        # Per subframe: each thread's cycles, from slices that start in it.
        bounds = [evs[i]['real'] for i in starts]
        n = max(0, len(bounds) - 1)
        per_sf = [dict() for _ in range(n)]
        j = 0
        for tid, _t0, _t1, r0, r1 in sl:
            while j + 1 < len(bounds) and r0 >= bounds[j + 1]:
                j += 1
            if tid == 0 or not bounds or r0 < bounds[0] or j >= n:
                continue
            per_sf[j][tid] = per_sf[j].get(tid, 0) + (r1 - r0)
        lo = bounds[0] if bounds else 0
        hi = bounds[n] if n else 0
        cur = UNKNOWN
        sleep_t = None
        for e in evs:
            inside = n and lo <= e['real'] < hi
            if e['type'] in (T_SWITCH, T_FASTIPC):
                sender = e['thread'] if e['thread'] != UNKNOWN else cur
                if e['type'] == T_FASTIPC and inside:
                    key = f'ipc from {names.get(sender, "?").split("/")[0]}'
                    c = wake_causes.setdefault(e['to'], {})
                    c[key] = c.get(key, 0) + 1
                cur = e['to']
            elif e['type'] == T_IPC and inside and e['to'] != e['thread']:
                key = f'ipc from {names.get(e["thread"], "?").split("/")[0]}'
                c = wake_causes.setdefault(e['to'], {})
                c[key] = c.get(key, 0) + 1
            elif e['type'] == T_NOTIFY and inside and e['to']:
                key = (f'irq {e["b"]}' if e['b'] != NTFN_BY_THREAD else
                       f'notification from {names.get(e["thread"], "?").split("/")[0]}')
                c = wake_causes.setdefault(e['to'], {})
                c[key] = c.get(key, 0) + 1
            elif e['type'] == T_SLEEP:
                sleep_t = e['t']
            elif e['type'] == T_WAKE:
                if inside:
                    cpu_wakes[e['a']] = cpu_wakes.get(e['a'], 0) + 1
                if sleep_t is not None and inside:
                    sleep_lengths.append(e['t'] - sleep_t)
                sleep_t = None
        window = {'subframes': n, 'source': 'trace', 'radio_line': radio,
                  'events': len(evs), 'first_event': trace['first']}
    # Energy, over the window (the trace's subframes) or else the whole run.
    if window['subframes']:
        n = window['subframes']
        busy = [sum(d.values()) for d in per_sf]
        thread_cycles = {}
        for d in per_sf:
            for tid, c in d.items():
                thread_cycles[tid] = thread_cycles.get(tid, 0) + c
        nwakes = sum(cpu_wakes.values())
    else:
        n = run_subframes
        thread_cycles = {t['id']: t['cycles'] for t in prof['threads'] if t['id']}
        total = sum(thread_cycles.values())
        busy = [total / n] * n if n else []
        nwakes = prof['sleeps']['count'] if prof['sleeps'] else 0
    sf_s = 1e-3
    # The profiled subframes are the last n the UE saw; with DRX the radio time they span
    # also has the ones it slept through (drx.csv): the CPU in retention, the radio in light
    # or deep sleep. A seen subframe without a TB is `on` (monitoring every subframe), or
    # `drx_on` with DRX (monitoring in Active Time).
    if seen is None:
        seen_win = list(range(max(0, run_subframes - n), run_subframes))
    else:
        seen_win = seen[-n:] if n else []
    first_sf = seen_win[0] if seen_win else max(0, run_subframes - n)
    end_sf = max(run_subframes, seen_win[-1] + 1 if seen_win else 0)
    asleep = radio_time(seen_win, first_sf, end_sf) if seen is not None else [None] * n
    radio_states = []
    cpu_states = []
    busy_rt = []
    per_sf_rt = []
    k = 0
    for i, sleep in enumerate(asleep):
        if sleep:
            radio_states.append(sleep)
            cpu_states.append('retention')
            busy_rt.append(0)
            per_sf_rt.append({})
            continue
        a = activity.get(first_sf + i, {'dl': 0, 'ul': 0})
        radio_states.append('tx' if a['ul'] else 'rx' if a['dl'] else
                            'drx_on' if seen is not None else 'on')
        cpu_states.append('wfi')
        busy_rt.append(busy[k] if k < len(busy) else 0)
        per_sf_rt.append(per_sf[k] if k < len(per_sf) else {})
        k += 1
    seconds = len(radio_states) / 1000.0
    states = {
        'cpu_active': model.cpu_active_mj(sum(busy)),
        'cpu_wfi': sum(model.cpu_idle_mj(max(0.0, sf_s - b / model.cpu['nominal_hz']))
                       for b, c in zip(busy_rt, cpu_states) if c == 'wfi'),
        'cpu_wakeups': model.wakeups_mj(nwakes),
    }
    if seen is not None:
        states['cpu_retention'] = model.cpu_idle_mj(sf_s, 'retention') * \
            cpu_states.count('retention')
    for s in ('tx', 'rx', 'on') + (('drx_on', 'light_sleep', 'deep_sleep')
                                   if seen is not None else ()):
        states[f'radio_{s}'] = model.radio_mj(s, sf_s) * radio_states.count(s)
    total_mj = sum(states.values())
    avg_mw = total_mj / seconds if seconds else 0.0
    rows = []
    for tid in sorted(threads):
        t = threads[tid]
        if tid == 0:
            continue
        shares = [d.get(tid, 0) / budget for d in per_sf]
        causes = {k: v / seconds for k, v in sorted(wake_causes.get(tid, {}).items())} \
            if seconds and window['source'] == 'trace' else {}
        rows.append({
            'id': tid, 'name': t['name'], 'task': t['task'],
            'cycles': t['cycles'], 'kernel': t['kernel'],
            'kernel_share': t['kernel'] / t['cycles'] if t['cycles'] else 0.0,
            'window_cycles': thread_cycles.get(tid, 0),
            'budget_p50': percentile(shares, 50), 'budget_p99': percentile(shares, 99),
            'budget_max': max(shares) if shares else 0.0,
            'wakes_per_s': causes,
            'kernel_wakes': t['wakes'],
            'energy_mj': model.cpu_active_mj(thread_cycles.get(tid, 0)),
        })
    tasks = {}
    for r in rows:
        t = tasks.setdefault(r['task'], {'task': r['task'], 'cycles': 0, 'kernel': 0,
                                          'window_cycles': 0, 'energy_mj': 0.0, 'sf': None})
        for k in ('cycles', 'kernel', 'window_cycles', 'energy_mj'):
            t[k] += r[k]
    for name, t in tasks.items():
        shares = [sum(c for tid, c in d.items() if threads.get(tid, {}).get('task') == name)
                  / budget for d in per_sf]
        t.update(kernel_share=t['kernel'] / t['cycles'] if t['cycles'] else 0.0,
                 budget_p50=percentile(shares, 50), budget_p99=percentile(shares, 99),
                 budget_max=max(shares) if shares else 0.0)
        del t['sf']
    task_order = sorted(tasks, key=lambda k: -tasks[k]['window_cycles'])
    return {
        'scenario': scenario or kpi.get('scenario', '?'),
        'model': {'path': model.path, 'platform': model.platform['name'],
                  'nj_per_cycle': model.nj_per_cycle()},
        'cpu_hz': cpu_hz, 'budget_cycles': budget,
        'run_subframes': run_subframes, 'window': window,
        'threads': rows, 'tasks': [tasks[k] for k in task_order],
        'idle_cycles_run': threads.get(0, {}).get('cycles', 0),
        'cpu_wakeups': {f'irq {k}': v for k, v in sorted(cpu_wakes.items())},
        'cpu_wakeups_per_s': sum(cpu_wakes.values()) / seconds if seconds else 0.0,
        'kernel_sleeps': prof['sleeps'], 'kernel_idle_wakes': prof['idle_wakes'],
        'sleep_lengths_cycles': sleep_lengths,
        'energy': {'states_mj': states, 'total_mj': total_mj, 'seconds': seconds,
                   'avg_mw': avg_mw,
                   'battery_hours': model.battery_hours(avg_mw),
                   'battery': dict(model.battery)},
        'per_subframe': {'tasks': task_order,
                         'cycles': [[sum(c for tid, c in d.items()
                                         if threads.get(tid, {}).get('task') == name)
                                     for name in task_order] for d in per_sf_rt],
                         'radio': radio_states, 'cpu': cpu_states},
        'drx': None if seen is None else {
            'subframes': len(radio_states), 'seen': len(seen_win),
            'asleep_share': 1 - len(seen_win) / len(radio_states) if radio_states else 0.0},
    }


# ------------------------------------------------------------------ Chrome trace events

def chrome_trace(prof, budget, cpu_hz):
    """The trace as Chrome trace-event JSON (a dict): one track per thread (B/E slices
    while it runs; idle's are the CPU's sleeps), IPC as flow arrows from sender to
    receiver, interrupts as complete slices on a track per line."""
    names = {t['id']: t['name'] for t in prof['threads']}
    trace = prof['trace']
    out = [{'name': 'process_name', 'ph': 'M', 'pid': 1, 'tid': 0,
            'args': {'name': 'firmware'}}]
    if not trace or not trace['events']:
        return {'traceEvents': out, 'displayTimeUnit': 'ns'}
    evs, _radio, _starts = timeline(trace['events'], budget)
    us = 1e6 / cpu_hz
    tids = {0} | {e['to'] for e in evs if e['type'] in (T_SWITCH, T_FASTIPC)}
    for tid in sorted(tids):
        out.append({'name': 'thread_name', 'ph': 'M', 'pid': 1, 'tid': tid,
                    'args': {'name': 'idle (asleep)' if tid == 0 else
                             names.get(tid, f'thread {tid}')}})
    body = []
    for tid, t0, t1, _r0, _r1 in slices(evs):
        name = 'sleep' if tid == 0 else names.get(tid, f'thread {tid}')
        body.append((t0, 0, {'name': name, 'cat': 'cpu', 'ph': 'B', 'pid': 1, 'tid': tid,
                             'ts': t0 * us}))
        body.append((t1, 1, {'name': name, 'cat': 'cpu', 'ph': 'E', 'pid': 1, 'tid': tid,
                             'ts': t1 * us}))
    cur = UNKNOWN
    flow = 0
    irq_tracks = set()
    for i, e in enumerate(evs):
        nxt = evs[i + 1]['t'] if i + 1 < len(evs) else e['t']
        if e['type'] in (T_FASTIPC, T_IPC):
            sender = e['thread'] if e['thread'] != UNKNOWN else cur
            if sender != UNKNOWN and sender in tids and e['to'] in tids:
                flow += 1
                args = {'label': e['a'] >> 16, 'badge': e['b'],
                        'call': bool(e['a'] & TAG_F_CALL), 'fastpath': e['type'] == T_FASTIPC}
                body.append((e['t'], 2, {'name': 'ipc', 'cat': 'ipc', 'ph': 's', 'id': flow,
                                         'pid': 1, 'tid': sender, 'ts': e['t'] * us,
                                         'args': args}))
                body.append((e['t'], 3, {'name': 'ipc', 'cat': 'ipc', 'ph': 'f', 'bp': 'e',
                                         'id': flow, 'pid': 1, 'tid': e['to'],
                                         'ts': e['t'] * us, 'args': args}))
        if e['type'] in (T_SWITCH, T_FASTIPC):
            cur = e['to']
        elif e['type'] == T_IRQ:
            tid = 1000 + e['a']
            irq_tracks.add(e['a'])
            body.append((e['t'], 2, {'name': f'irq {e["a"]}', 'cat': 'irq', 'ph': 'X',
                                     'pid': 1, 'tid': tid, 'ts': e['t'] * us,
                                     'dur': max(nxt - e['t'], 1) * us}))
    for line in sorted(irq_tracks):
        out.append({'name': 'thread_name', 'ph': 'M', 'pid': 1, 'tid': 1000 + line,
                    'args': {'name': f'irq {line}'}})
    body.sort(key=lambda x: (x[0], x[1]))
    return {'traceEvents': out + [b[2] for b in body], 'displayTimeUnit': 'ns'}


def validate_chrome(doc):
    """Problems with a trace-event document ([] if none): required keys per phase,
    balanced B/E per track, timestamps that never go back on a track, paired flows."""
    problems = []
    if not isinstance(doc, dict) or not isinstance(doc.get('traceEvents'), list):
        return ['no traceEvents list']
    stacks, last, flows = {}, {}, {}
    for i, e in enumerate(doc['traceEvents']):
        for k in ('name', 'ph', 'pid', 'tid'):
            if k not in e:
                problems.append(f'event {i}: no {k!r}')
        ph = e.get('ph')
        if ph == 'M':
            continue
        if not isinstance(e.get('ts'), (int, float)):
            problems.append(f'event {i}: no numeric ts')
            continue
        track = (e.get('pid'), e.get('tid'))
        if e['ts'] < last.get(track, -math.inf):
            problems.append(f'event {i}: ts {e["ts"]} before {last[track]} on track {track}')
        last[track] = e['ts']
        if ph == 'B':
            stacks.setdefault(track, []).append(e['name'])
        elif ph == 'E':
            if not stacks.get(track):
                problems.append(f'event {i}: E without B on track {track}')
            else:
                stacks[track].pop()
        elif ph == 'X':
            if not isinstance(e.get('dur'), (int, float)) or e['dur'] < 0:
                problems.append(f'event {i}: X without a duration')
        elif ph in ('s', 'f'):
            if 'id' not in e:
                problems.append(f'event {i}: flow without id')
            else:
                flows.setdefault(e['id'], []).append(ph)
        elif ph not in ('i', 'I', 'C'):
            problems.append(f'event {i}: unknown phase {ph!r}')
    for track, st in stacks.items():
        if st:
            problems.append(f'track {track}: {len(st)} B without E')
    for fid, phs in flows.items():
        if sorted(phs) != ['f', 's']:
            problems.append(f'flow {fid}: {phs}')
    return problems


# ------------------------------------------------------------------ comparing profiles

METRICS = ('energy.total_mj', 'energy.avg_mw', 'energy.states_mj.cpu_active',
           'cpu_wakeups_per_s')


def _get(d, path):
    for k in path.split('.'):
        d = d[k]
    return d


def diff(a, b, threshold):
    """Rows (metric, a, b, change) and the metrics that grew by more than `threshold`
    (a fraction) from profile `a` to profile `b`: totals, and every task's window cycles
    and its budget p99."""
    rows, worse = [], []
    pairs = [(m, _get(a, m), _get(b, m)) for m in METRICS]
    ta = {t['task']: t for t in a['tasks']}
    for t in b['tasks']:
        if t['task'] in ta:
            for k in ('window_cycles', 'budget_p99'):
                pairs.append((f'{t["task"]}.{k}', ta[t['task']][k], t[k]))
    for m, va, vb in pairs:
        change = (vb - va) / va if va else (0.0 if vb == va else math.inf)
        rows.append((m, va, vb, change))
        if change > threshold:
            worse.append(m)
    return rows, worse
