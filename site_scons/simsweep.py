# SPDX-License-Identifier: BSD-2-Clause
"""Scenario sweeps (sim/sweeps/*.toml): read and check with file:line errors, expand into
runs (one simulator configuration each), summarise the runs' KPIs and compare two sweeps'
results. docs/sweeps.md describes the file and the outputs; tools/sweep runs them."""

import itertools
import math
import os
import re
import tomllib
from dataclasses import dataclass, field

import simscen
from simscen import BOOL, INT, NUM, STR, ScenarioError, _check_value

MAX_RUNS = 10000


class SweepError(ScenarioError):
    """The sweep is unusable: one `file:line: error: ...` per problem, in file order."""


SWEEP_KEYS = {'description': (STR,), 'scenario': (STR,), 'ue': ('host', 'qemu'),
              'duration_ms': (INT, 1, 10**8), 'short': (BOOL,), 'timeout_s': (NUM, 0.1, 86400),
              'retries': (INT, 0, 10), 'pcap': (BOOL,), 'loader': (STR,)}
# Axes that are not a scenario key: what they vary and the values they take.
SPECIAL_AXES = {'seed': (INT, 0, 2**63 - 1), 'duration_ms': (INT, 1, 10**8),
                'ue': ('host', 'qemu'), 'fw': (STR,), 'channel.bler': (NUM, 0, 1)}

# The KPIs of a run (from its kpi.json) that the summary holds: name -> (how the UEs'
# values combine, the key in kpi.json's `ues[]`, or in `run` for 'run').
KPIS = {
    'dl_throughput_kbps': ('sum', 'dl_throughput_kbps'),
    'ul_throughput_kbps': ('sum', 'ul_throughput_kbps'),
    'dl_latency_p50_ms': ('max', 'dl_latency_p50_ms'),
    'dl_latency_p99_ms': ('max', 'dl_latency_p99_ms'),
    'ul_latency_p50_ms': ('max', 'ul_latency_p50_ms'),
    'ul_latency_p99_ms': ('max', 'ul_latency_p99_ms'),
    'echo_rtt_p50_ms': ('max', 'echo_rtt_p50_ms'),
    'echo_rtt_p99_ms': ('max', 'echo_rtt_p99_ms'),
    'cycles_p50': ('max', 'cycles_p50'),
    'cycles_p99': ('max', 'cycles_p99'),
    'cycles_max': ('max', 'cycles_max'),
    'deadline_misses': ('sum', 'deadline_misses'),
    'asleep_share': ('mean', 'asleep_share'),
    'bytes_lost': ('sum', 'bytes_lost'),
    'integrity_ok': ('min', 'integrity_ok'),
    'harq_dl_retx': ('sum', 'harq_dl_retx'),
    'harq_ul_retx': ('sum', 'harq_ul_retx'),
    'rlc_retx_pdus': ('sum', ('rlc_dl_retx_pdus', 'rlc_ul_retx_pdus')),
    'rlf': ('sum', ('rlf_enb', 'rlf_ue')),
    'prb_use_dl': ('run', 'prb_use_dl'),
    'prb_use_ul': ('run', 'prb_use_ul'),
}
# What `compare` gates on by default: KPI -> (better: 'higher'|'lower', percent, absolute).
# A change is a regression when it is worse by more than both the percent of the old value
# and the absolute amount. Cycles are exact (icount), so any rise beyond 1 % counts.
THRESHOLDS = {
    'dl_throughput_kbps': ('higher', 1.0, 0),
    'ul_throughput_kbps': ('higher', 1.0, 0),
    'dl_latency_p99_ms': ('lower', 10.0, 1),
    'ul_latency_p99_ms': ('lower', 10.0, 1),
    'echo_rtt_p99_ms': ('lower', 10.0, 1),
    'cycles_p50': ('lower', 1.0, 0),
    'cycles_p99': ('lower', 1.0, 0),
    'deadline_misses': ('lower', 0.0, 0),
    'asleep_share': ('higher', 0.0, 0.01),
    'bytes_lost': ('lower', 0.0, 0),
    'integrity_ok': ('higher', 0.0, 0),
}


@dataclass
class Run:
    name: str                 # the folder name: axis=value,... in axis order
    axes: dict                # axis -> value
    ue: str
    fw: str                   # blob path (QEMU UEs)
    conf: str                 # l4e-sim's configuration, {bundle} {python} {out} to fill in


@dataclass
class Sweep:
    path: str
    name: str
    description: str
    scenario: str             # the base scenario's path
    timeout_s: float
    retries: int
    pcap: bool
    loader: str               # a loader command of the sweep's own ('': the shipped fwload)
    axes: list                # (axis, [values])
    thresholds: dict
    runs: list = field(default_factory=list)

    def uses_qemu(self):
        return any(r.ue == 'qemu' for r in self.runs)


def resolve(name_or_path, root):
    """A sweep name (sim/sweeps/NAME.toml) or a path."""
    if os.sep in name_or_path or name_or_path.endswith('.toml'):
        return name_or_path
    return os.path.join(root, 'sim', 'sweeps', name_or_path + '.toml')


def _flatten(d, prefix=''):
    """[axes] keys, dotted ones written unquoted (nested tables) flattened again."""
    for k, v in d.items():
        if isinstance(v, dict) and not set(v) <= {'from', 'to', 'step'}:
            yield from _flatten(v, f'{prefix}{k}.')
        else:
            yield f'{prefix}{k}', k if not prefix else prefix.split('.')[0], v


def _scenario_key(axis, base):
    """The scenario key path and its kind for an axis naming a scenario key, or an error."""
    parts = axis.split('.')
    if parts[0] in simscen.ARRAYS:
        if len(parts) != 3 or not parts[1].isdigit():
            return None, None, (f'axis `{axis}`: an array entry is named '
                                f'{parts[0]}.<index>.<key> (as {parts[0]}.0.'
                                f'{next(iter(simscen.TABLES[parts[0]]))})')
        n = len(base.get(parts[0], []))
        if int(parts[1]) >= n:
            return None, None, (f'axis `{axis}`: the scenario has {n} [[{parts[0]}]] '
                                f'entr{"y" if n == 1 else "ies"}')
        spec = simscen.TABLES[parts[0]]
        keys = (parts[0], int(parts[1]), parts[2])
    else:
        spec = simscen.TABLES.get('.'.join(parts[:-1]))
        keys = tuple(parts)
    if spec is None or parts[-1] not in spec or parts[0] in ('expect',) or \
            parts[-1] in ('name', 'description'):
        return None, None, (f'unknown axis `{axis}` (a scenario key such as channel.dl.bler, '
                            f'ues.count, flow.0.rate_mbps, cell.scheduler; or '
                            f'{", ".join(SPECIAL_AXES)})')
    return keys, spec[parts[-1]], None


def _values(c, axis, kind, raw):
    """The values of an axis: a list, or {from, to, step} for integers."""
    if isinstance(raw, dict):
        if 'from' not in raw or 'to' not in raw:
            c.error(('axes',), axis, f'axis `{axis}`: a range needs `from` and `to`')
            return []
        step = raw.get('step', 1)
        if not all(isinstance(raw.get(k, 1), int) and not isinstance(raw.get(k, 1), bool)
                   for k in ('from', 'to', 'step')) or step < 1 or raw['to'] < raw['from']:
            c.error(('axes',), axis, f'axis `{axis}`: a range is integers with from <= to '
                    'and step >= 1')
            return []
        if (raw['to'] - raw['from']) // step + 1 > MAX_RUNS:
            c.error(('axes',), axis, f'axis `{axis}`: more than {MAX_RUNS} values')
            return []
        raw = list(range(raw['from'], raw['to'] + 1, step))
    if not isinstance(raw, list) or not raw:
        c.error(('axes',), axis, f'axis `{axis}` needs a list of values or '
                '{ from = A, to = B }')
        return []
    ok = True
    for i, v in enumerate(raw):
        msg = _check_value(kind, v)
        if msg:
            c.errors.append(f'{c.path}:{c.loc.line(("axes",), axis, needle=_lit(v))}: error: '
                            f'axis `{axis}` value {_lit(v)} {msg}')
            ok = False
    seen = [_lit(v) for v in raw]
    dup = sorted({v for v in seen if seen.count(v) > 1})
    if dup:
        c.error(('axes',), axis, f'axis `{axis}` repeats {", ".join(dup)}')
        ok = False
    return raw if ok else []


def _lit(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, str):
        return f'"{v}"'
    return repr(v)


def _label(v):
    """A value as it appears in a run's name."""
    if isinstance(v, str):
        return re.sub(r'[^A-Za-z0-9_.+-]', '_', os.path.splitext(os.path.basename(v))[0]
                      if '/' in v else v)
    return _lit(v)


def load(path, root):
    """Read and check a sweep file and expand it into runs; SweepError lists every
    problem, at the sweep's lines (a run the scenario refuses: at the axes' line)."""
    try:
        with open(path, 'rb') as f:
            text = f.read().decode('utf-8', errors='replace')
    except OSError as e:
        raise SweepError([f'{path}:1: error: {e.strerror}'])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r'line (\d+)', str(e))
        line = m.group(1) if m else (text.rstrip('\n').count('\n') + 1
                                     if 'end of document' in str(e) else 1)
        raise SweepError([f'{path}:{line}: error: {e}'])
    c = simscen._Checker(path, text)
    for key in data:
        if key not in ('sweep', 'axes', 'compare'):
            c.error((key,), None, f'unknown table or key `{key}` (known: axes, compare, sweep)')
        elif not isinstance(data[key], dict):
            c.error((), key, f'`{key}` is a table: write [{key}]')
    if c.errors:
        raise SweepError(c.errors)
    s = data.get('sweep', {})
    for key, value in s.items():
        if key not in SWEEP_KEYS:
            c.error(('sweep',), key, f'unknown key `{key}` in [sweep] (known: '
                    f'{", ".join(sorted(SWEEP_KEYS))})')
            continue
        msg = _check_value(SWEEP_KEYS[key], value)
        if msg:
            c.error(('sweep',), key, f'`{key}` {msg}')
    if 'scenario' not in s:
        c.error(('sweep',), None, '[sweep] needs `scenario` (a name in sim/scenarios/ or a '
                'path)')
    if 'duration_ms' in s and s.get('short'):
        c.error(('sweep',), 'short', 'give `duration_ms` or `short`, not both')
    thresholds = dict(THRESHOLDS)
    for key, value in data.get('compare', {}).items():
        t = _threshold(key, value)
        if isinstance(t, str):
            c.error(('compare',), key, t)
        else:
            thresholds[key] = t
    if 'scenario' not in s or not isinstance(s['scenario'], str):
        raise SweepError(c.errors)

    scen = s['scenario']
    scen_path = simscen.resolve(scen, root) if '/' not in scen and not scen.endswith('.toml') \
        else os.path.join(root, scen) if not os.path.isabs(scen) else scen
    try:
        base = simscen.load(scen_path)
    except ScenarioError as e:
        c.error(('sweep',), 'scenario', f'scenario {scen}: ' + '; '.join(e.errors[:3]))
        raise SweepError(c.errors)
    with open(scen_path, 'rb') as f:
        base_data = tomllib.load(f)
    if not isinstance(data.get('axes', {}), dict):
        raise SweepError(c.errors)

    axes, overrides_of = [], {}
    for axis, top, raw in _flatten(data.get('axes', {})):
        if axis in SPECIAL_AXES:
            kind = SPECIAL_AXES[axis]
        else:
            keys, kind, msg = _scenario_key(axis, base_data)
            if msg:
                c.error(('axes',), top if top != axis else axis, msg)
                continue
            overrides_of[axis] = keys
        if axis == 'duration_ms' and ('duration_ms' in s or s.get('short')):
            c.error(('axes',), axis, 'axis `duration_ms` and [sweep] duration_ms or short: '
                    'give one')
            continue
        values = _values(c, axis, kind, raw)
        if values:
            axes.append((axis, values))
    n = math.prod(len(v) for _, v in axes)
    if n > MAX_RUNS:
        c.error(('axes',), None, f'{n} runs: at most {MAX_RUNS}')
    if c.errors:
        raise SweepError(c.errors)

    name = os.path.splitext(os.path.basename(path))[0]
    sw = Sweep(path=path, name=name, description=s.get('description', ''),
               scenario=scen_path, timeout_s=float(s.get('timeout_s', 600)),
               retries=s.get('retries', 2), pcap=s.get('pcap', False),
               loader=s.get('loader', ''), axes=axes,
               thresholds=thresholds)
    default_ms = s.get('duration_ms') or (base.short_ms if s.get('short') else base.duration_ms)
    refused = {}
    for combo in itertools.product(*[v for _, v in axes]):
        values = dict(zip([a for a, _ in axes], combo))
        overrides = []
        for axis, v in values.items():
            if axis == 'channel.bler':
                overrides += [(('channel', 'dl', 'bler'), v), (('channel', 'ul', 'bler'), v)]
            elif axis in overrides_of:
                overrides.append((overrides_of[axis], v))
        try:
            sc = simscen.load(scen_path, overrides) if overrides else base
        except ScenarioError as e:
            for err in e.errors:
                msg = err.split(': error: ', 1)[-1]
                refused.setdefault(msg, values)
            continue
        ue = values.get('ue', s.get('ue', 'qemu'))
        fw = values.get('fw', '')
        loader = s.get('loader') or ('{python} {bundle}/tools/fwload --key {bundle}/fw/dev.pub '
                                     '--qemu qemu-system-arm --ram 128 --netdev 0:{radio_fd} '
                                     '--netdev 8:{host_fd} {bundle}/fw/' + _fw_name(fw))
        duration = values.get('duration_ms', default_ms)
        conf = sc.flat(duration, ue, loader if ue == 'qemu' else None, sc.timeout_ms,
                       values.get('seed'), '{out}')
        if not sw.pcap:
            conf += 'pcap = 0\n'
        run_name = ','.join(f'{a}={_label(v)}' for a, v in values.items()) or 'run'
        sw.runs.append(Run(name=run_name, axes=values, ue=ue, fw=fw, conf=conf))
    for msg, values in refused.items():
        where = ', '.join(f'{a} = {_lit(v)}' for a, v in values.items())
        c.error(('axes',), None, f'the scenario refuses the run with {where}: {msg}')
    if c.errors:
        raise SweepError(c.errors)
    return sw


def _fw_name(fw):
    """The name a blob has in the bundle (several blobs: one per `fw` axis value)."""
    return 'modem.fw' if not fw else re.sub(r'[^A-Za-z0-9_.-]', '_', fw)


def _threshold(key, value):
    if key not in KPIS:
        return f'unknown KPI `{key}` in [compare] (known: {", ".join(KPIS)})'
    better = THRESHOLDS.get(key, ('higher' if 'throughput' in key else 'lower', 0, 0))[0]
    if isinstance(value, dict):
        extra = set(value) - {'percent', 'absolute', 'better'}
        if extra:
            return f'`{key}`: unknown {", ".join(sorted(extra))} (known: percent, absolute, better)'
        better = value.get('better', better)
        if better not in ('higher', 'lower'):
            return f'`{key}`: `better` must be one of higher, lower'
        pct, ab = value.get('percent', 0), value.get('absolute', 0)
    else:
        pct, ab = value, 0
    for v in (pct, ab):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            return f'`{key}`: a threshold is a number >= 0 (percent) or ' \
                   '{ percent = P, absolute = A }'
    return (better, float(pct), ab)


def kpis(kpi):
    """The summary's KPIs of one run from its kpi.json (a dict)."""
    out = {}
    ues = kpi.get('ues', [])
    for name, (how, key) in KPIS.items():
        if how == 'run':
            out[name] = kpi.get('run', {}).get(key)
            continue
        vals = [sum(u.get(k, 0) for k in key) if isinstance(key, tuple) else u.get(key)
                for u in ues]
        vals = [v for v in vals if v is not None]
        if not vals:
            out[name] = None
        elif how == 'sum':
            out[name] = round(sum(vals), 3)
        elif how == 'max':
            out[name] = max(vals)
        elif how == 'min':
            out[name] = min(vals)
        else:
            out[name] = round(sum(vals) / len(vals), 4)
    return out


def worse(better, old, new, pct, ab):
    """Whether `new` is worse than `old` by more than the threshold."""
    if old is None or new is None:
        return False
    slack = max(abs(old) * pct / 100.0, ab)
    return new < old - slack if better == 'higher' else new > old + slack


def compare(a, b, thresholds):
    """Compare two summaries (dicts of summary.json): (lines to print, regressions)."""
    lines, regressions = [], []
    ra = {r['run']: r for r in a['runs']}
    rb = {r['run']: r for r in b['runs']}
    same = 0
    for name, r in ra.items():
        if name not in rb:
            regressions.append(f'run {name}: missing in {b["sweep"]}')
            continue
        o = rb[name]
        if r['status'] == 'ok' and o['status'] != 'ok':
            regressions.append(f'run {name}: failed ({o.get("error")})')
            continue
        if r['kpis'] == o['kpis'] and r['status'] == o['status']:
            same += 1
            continue
        for k, (better, pct, ab) in thresholds.items():
            old, new = r['kpis'].get(k), o['kpis'].get(k)
            if old != new:
                tag = 'REGRESSION' if worse(better, old, new, pct, ab) else 'changed'
                line = f'run {name}: {k} {old} -> {new} ({_delta(old, new)})'
                (regressions if tag == 'REGRESSION' else lines).append(line)
    for name in rb:
        if name not in ra:
            lines.append(f'run {name}: new in {b["sweep"]}')
    lines.insert(0, f'{same} of {len(ra)} runs identical')
    # By axis: each value's mean over the runs both have.
    both = [n for n in ra if n in rb and ra[n]['status'] == 'ok' and rb[n]['status'] == 'ok']
    for axis in a.get('axes', {}):
        values = []
        for n in both:
            v = ra[n]['axes'].get(axis)
            if v not in values:
                values.append(v)
        for v in values:
            group = [n for n in both if ra[n]['axes'].get(axis) == v]
            for k, (better, pct, ab) in thresholds.items():
                old = _mean([ra[n]['kpis'].get(k) for n in group])
                new = _mean([rb[n]['kpis'].get(k) for n in group])
                if old != new and worse(better, old, new, pct, ab):
                    regressions.append(f'axis {axis} = {_lit(v)} (mean of {len(group)} runs): '
                                       f'{k} {old:g} -> {new:g} ({_delta(old, new)})')
    return lines, regressions


def _mean(vals):
    vals = [v for v in vals if v is not None]
    return round(sum(vals) / len(vals), 6) if vals else None


def _delta(old, new):
    if old in (None, 0) or new is None:
        return 'was 0' if old == 0 else 'n/a'
    return f'{(new - old) / abs(old) * 100:+.1f} %'
