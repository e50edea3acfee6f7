# SPDX-License-Identifier: BSD-2-Clause
"""Simulator scenarios (sim/scenarios/*.toml): read, check with file:line errors, and write
the runner's flat key = value configuration (the format sim/README.md documents)."""

import os
import re
import tomllib
from dataclasses import dataclass, field

from sysgen.locate import Locator

BANNER = '# generated from {} by tools/sim \u2014 do not edit'
PRBS = {1.4: 6, 3: 15, 5: 25, 10: 50, 15: 75, 20: 100}  # TS 36.101 Table 5.6-1
MAX_UES = 16
MAX_FLOWS = 32
MAX_OUTAGES = 8
MAX_FAULTS = 8
MAX_BEARERS = 4


class ScenarioError(Exception):
    """The scenario is unusable: one `file:line: error: ...` per problem."""

    def __init__(self, errors):
        # In file order: the line number after the path.
        self.errors = sorted(errors, key=lambda e: int(re.match(r'.*?:(\d+):', e).group(1)))
        super().__init__('\n'.join(self.errors))


# A key's kind: (type, low, high) for numbers, a tuple of strings for choices, or a
# callable that returns an error message or None.
INT, NUM, BOOL, STR = 'int', 'num', 'bool', 'str'


def _hex64(v):
    return None if isinstance(v, str) and re.fullmatch(r'[0-9a-fA-F]{64}', v) else \
        'must be 64 hex digits'


def _task_name(v):
    if isinstance(v, str) and re.fullmatch(r'[!-~]{1,15}', v):
        return None
    return 'must be a task name (1..15 printable characters, no spaces)'


def _hex32(v):
    return None if isinstance(v, str) and re.fullmatch(r'[0-9a-fA-F]{32}', v) else \
        'must be 32 hex digits'


def _imsi(v):
    return None if isinstance(v, str) and re.fullmatch(r'[0-9]{6,15}', v) else \
        'must be a string of 6 to 15 digits'


def _ue_or_all(v):
    if v == 'all' or (isinstance(v, int) and not isinstance(v, bool) and 0 <= v < MAX_UES):
        return None
    return f'must be a UE index (0..{MAX_UES - 1}) or "all"'


def _one_of(*values):
    """A value of a TS 36.331 ENUMERATED, as the integer it stands for."""
    def check(v):
        if isinstance(v, bool) or v not in values:
            return f'must be one of {", ".join(str(x) for x in values)}'
        return None
    return check


# DRX-Config (TS 36.331 §6.3.2): onDurationTimer and drx-InactivityTimer in PDCCH
# subframes, the cycles in subframes (protocols/mac/mac_drx.c has the same sets).
DRX = {
    'on_duration': _one_of(1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 200),
    'inactivity': _one_of(1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 200, 300,
                          500, 750, 1280, 1920, 2560),
    'retx': _one_of(1, 2, 4, 6, 8, 16, 24, 33),
    'long_cycle': _one_of(10, 20, 32, 40, 64, 80, 128, 160, 256, 320, 512, 640, 1024, 1280,
                          2048, 2560),
    'start_offset': (INT, 0, 2559),
    'short_cycle': _one_of(2, 5, 8, 10, 16, 20, 32, 40, 64, 80, 128, 160, 256, 320, 512, 640),
    'short_cycle_timer': (INT, 1, 16),
}

# Idle-mode paging (TS 36.304 §7): T and nB in radio frames, UE_ID, the S-TMSI.
PAGING = {
    't': _one_of(32, 64, 128, 256), 'nb': (INT, 1, 1024), 'ue_id': (INT, 0, 1023),
    'mmec': (INT, 0, 255), 'm_tmsi': (INT, 0, 2**32 - 1),
}

TABLES = {
    'scenario': {'name': (STR,), 'description': (STR,), 'seed': (INT, 0, 2**63 - 1),
                 'duration_ms': (INT, 1, 10**8), 'short_ms': (INT, 1, 10**8),
                 'cpu_hz': (INT, 10**6, 2**32 - 1)},
    'cell': {'bandwidth_mhz': (NUM, 1.4, 20), 'bytes_per_prb': (INT, 1, 65535),
             'bytes_per_prb_dl': (INT, 1, 65535), 'bytes_per_prb_ul': (INT, 1, 65535),
             'scheduler': ('rr', 'pf'), 'max_harq_tx_dl': (INT, 1, 8),
             'sr_grant': (INT, 8, 8192), 'rlc_queue_sdus': (INT, 1, 4096)},
    'mac': {'max_harq_tx': (INT, 1, 8), 'preamble_trans_max': (INT, 1, 200),
            'periodic_bsr_ms': (INT, 0, 65535), 'retx_bsr_ms': (INT, 1, 65535),
            'rar_window': (INT, 2, 10), 'cr_timer': (INT, 8, 64),
            'num_preambles': (INT, 1, 64)},
    'drx': DRX,
    'paging': PAGING,
    'security': {'eea': (INT, 0, 2), 'eia': (INT, 0, 2), 'kenb': _hex64},
    'channel.dl': {'bler': (NUM, 0, 1)},
    'channel.ul': {'bler': (NUM, 0, 1)},
    'channel.dl.burst': {'bad_bler': (NUM, 0, 1), 'mean_burst_ms': (NUM, 1, 10**6),
                         'bad_share': (NUM, 0, 0.99)},
    'channel.ul.burst': {'bad_bler': (NUM, 0, 1), 'mean_burst_ms': (NUM, 1, 10**6),
                         'bad_share': (NUM, 0, 0.99)},
    'ues': {'count': (INT, 1, MAX_UES), 'timeout_s': (NUM, 0.1, 3600)},
    'ue': {'bytes_per_prb_dl': (INT, 1, 65535), 'bytes_per_prb_ul': (INT, 1, 65535),
           'imsi': _imsi, 'k': _hex32, 'opc': _hex32, 'sqn': (INT, 0, 2**48 - 1),
           'hss_k': _hex32, 'hss_sqn': (INT, 0, 2**48 - 1), 'attach': (BOOL,)},
    'l3': {'mode': ('configured', 'attach'), 'detach_ms': (INT, -10**8, 10**8)},
    'bearer': {'rb_id': (INT, 1, 32), 'lcid': (INT, 1, 10), 'srb': (BOOL,),
               'rlc': ('am', 'um'), 'pdcp_sn_bits': (INT, 5, 12), 'um_sn_bits': (INT, 5, 10),
               'priority': (INT, 1, 16), 'lcg': (INT, 0, 3), 'pbr_kbps': (INT, 0, 65535),
               'bsd_ms': (INT, 0, 65535), 't_poll_retx_ms': (INT, 5, 65535),
               't_reordering_ms': (INT, 0, 65535), 't_status_prohibit_ms': (INT, 0, 65535),
               'poll_pdu': (INT, 0, 65535), 'poll_byte': (INT, 0, 2**32 - 1),
               'max_retx': (INT, 1, 65535), 'discard_ms': (INT, 0, 65535)},
    'outage': {'start_ms': (INT, 0, 10**8), 'duration_ms': (INT, 1, 10**8), 'dl': (BOOL,),
               'ul': (BOOL,), 'ue': _ue_or_all},
    'flow': {'ue': _ue_or_all, 'type': ('cbr', 'full', 'echo'), 'dir': ('dl', 'ul'),
             'drb': (INT, 1, 32), 'size': (INT, 48, 1500), 'rate_mbps': (NUM, 0.001, 1000),
             'rate_kbps': (INT, 1, 10**7), 'interval_ms': (INT, 1, 10**6),
             'window': (INT, 48, 2**32 - 1), 'start_ms': (INT, 0, 10**8),
             'stop_ms': (INT, -10**8, 10**8)},
    'fault': {'task': _task_name, 'at_ms': (INT, 0, 10**8), 'ue': _ue_or_all},
    'expect': {'integrity': (BOOL,), 'rlf': (BOOL,)},
}
ARRAYS = {'ue', 'bearer', 'outage', 'flow', 'fault'}
TOP = {'scenario', 'cell', 'mac', 'drx', 'paging', 'security', 'channel', 'ues', 'l3', 'expect'} | ARRAYS


@dataclass
class Scenario:
    """A checked scenario: `keys` is the runner's configuration, in a fixed order."""
    path: str
    name: str
    description: str
    duration_ms: int
    short_ms: int
    n_ue: int
    expect: dict
    keys: list = field(default_factory=list)  # (key, value), the runner's view

    def flat(self, duration_ms, ue_kind, loader_cmd=None, timeout_ms=None, seed=None,
             out_dir='.'):
        """The configuration file's text for a run of `duration_ms` with UEs of `ue_kind`
        (host or qemu; qemu needs `loader_cmd` with {radio_fd} and {host_fd})."""
        lines = [BANNER.format(os.path.relpath(self.path) if os.path.isabs(self.path)
                               else self.path)]
        for k, v in self.keys:
            if k == 'seed' and seed is not None:
                v = seed
            lines.append(f'{k} = {_flat_value(v)}')
        lines.append(f'duration_ms = {duration_ms}')
        lines.append(f'out_dir = {out_dir}')
        for i in range(self.n_ue):
            lines.append(f'ue.{i}.kind = {ue_kind}')
            if ue_kind == 'qemu':
                lines.append(f'ue.{i}.cmd = {loader_cmd}')
            if timeout_ms:
                lines.append(f'ue.{i}.timeout_ms = {timeout_ms}')
        # Flow stops relative to the end (negative) depend on the duration.
        return '\n'.join(_resolve_stops(lines, duration_ms)) + '\n'


def _flat_value(v):
    if isinstance(v, bool):
        return '1' if v else '0'
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _resolve_stops(lines, duration_ms):
    out = []
    for line in lines:
        m = re.fullmatch(r'(flow\.\d+\.stop_ms) = (-\d+)', line)
        if m:
            line = f'{m.group(1)} = {max(0, duration_ms + int(m.group(2)))}'
        out.append(line)
    return out


class _Checker:
    def __init__(self, path, text):
        self.path, self.loc, self.errors = path, Locator(text), []

    def error(self, tpath, key, msg):
        self.errors.append(f'{self.path}:{self.loc.line(tpath, key)}: error: {msg}')

    def table(self, tpath, name, data):
        """Check the keys of one table against TABLES[name]; returns a dict of them."""
        spec = TABLES[name]
        out = {}
        for key, value in data.items():
            if isinstance(value, dict) and f'{name}.{key}' in TABLES:
                continue
            if key not in spec:
                self.error(tpath, key, f'unknown key `{key}` in [{name}] (known: '
                           f'{", ".join(sorted(spec))})')
                continue
            msg = _check_value(spec[key], value)
            if msg:
                self.error(tpath, key, f'`{key}` {msg}')
                continue
            out[key] = value
        return out


def _check_value(kind, v):
    if callable(kind):
        return kind(v)
    if isinstance(kind[0], str) and kind[0] not in (INT, NUM, BOOL, STR):
        return None if v in kind else f'must be one of {", ".join(kind)}'
    t = kind[0]
    if t == BOOL:
        return None if isinstance(v, bool) else 'must be true or false'
    if t == STR:
        return None if isinstance(v, str) else 'must be a string'
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (t == INT and
                                                                  not isinstance(v, int)):
        return 'must be an integer' if t == INT else 'must be a number'
    lo, hi = kind[1], kind[2]
    if not lo <= v <= hi:
        return f'must be within {lo}..{hi}'
    return None


def load(path, overrides=()):
    """Read and check a scenario file; ScenarioError lists every problem. `overrides` are
    (key path, value) pairs set in the file's tables before the check, as a sweep varies
    them: ('channel', 'dl', 'bler'), ('flow', 0, 'rate_mbps'); an array entry must exist."""
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        raise ScenarioError([f'{path}:1: error: {e.strerror}'])
    text = raw.decode('utf-8', errors='replace')
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r'line (\d+)', str(e))
        raise ScenarioError([f'{path}:{m.group(1) if m else 1}: error: {e}'])
    for keys, value in overrides:
        _override(data, keys, value)
    c = _Checker(path, text)
    for key in data:
        if key not in TOP:
            c.error((key,), None, f'unknown table or key `{key}` (known: '
                    f'{", ".join(sorted(TOP))})')
        elif key in ARRAYS and not isinstance(data[key], list):
            c.error((key,), None, f'`{key}` is an array of tables: write [[{key}]]')
        elif key not in ARRAYS and not isinstance(data[key], dict):
            c.error((), key, f'`{key}` is a table: write [{key}]')
    if c.errors:
        raise ScenarioError(c.errors)
    sc = _build(c, path, data)
    if c.errors:
        raise ScenarioError(c.errors)
    return sc


def _override(data, keys, value):
    d = data
    try:
        for k, nxt in zip(keys, keys[1:]):
            d = d[k] if isinstance(k, int) else d.setdefault(k, [] if isinstance(nxt, int)
                                                             else {})
        d[keys[-1]] = value
    except (TypeError, IndexError, AttributeError):
        pass  # the file's own structure is wrong: the check below says where


def _build(c, path, data):
    s = c.table(('scenario',), 'scenario', data.get('scenario', {}))
    cell = c.table(('cell',), 'cell', data.get('cell', {}))
    mac = c.table(('mac',), 'mac', data.get('mac', {}))
    sec = c.table(('security',), 'security', data.get('security', {}))
    ues = c.table(('ues',), 'ues', data.get('ues', {}))
    expect = c.table(('expect',), 'expect', data.get('expect', {}))
    l3 = c.table(('l3',), 'l3', data.get('l3', {}))
    name = s.get('name', os.path.splitext(os.path.basename(path))[0])
    duration = s.get('duration_ms', 10000)
    n_ue = ues.get('count', 1)
    keys = [('name', name), ('seed', s.get('seed', 1))]
    if 'cpu_hz' in s:
        keys.append(('cpu_hz', s['cpu_hz']))
    keys.append(('ues', n_ue))
    # The cell: PRBs from the bandwidth (TS 36.101 Table 5.6-1), bytes per PRB.
    if 'bandwidth_mhz' in cell:
        bw = cell['bandwidth_mhz']
        if bw not in PRBS:
            c.error(('cell',), 'bandwidth_mhz', f'`bandwidth_mhz` must be one of '
                    f'{", ".join(str(b) for b in PRBS)}')
        else:
            keys += [('cell.prbs_dl', PRBS[bw]), ('cell.prbs_ul', PRBS[bw])]
    for d in ('dl', 'ul'):
        bpp = cell.get(f'bytes_per_prb_{d}', cell.get('bytes_per_prb'))
        if bpp is not None:
            keys.append((f'cell.bytes_per_prb_{d}', bpp))
    for k in ('scheduler', 'max_harq_tx_dl', 'sr_grant', 'rlc_queue_sdus'):
        if k in cell:
            keys.append((f'cell.{k}', cell[k]))
    keys += [(f'mac.{k}', v) for k, v in mac.items()]
    _drx(c, data.get('drx'), keys)
    _paging(c, data.get('paging'), keys, l3.get('mode', 'configured') == 'attach')
    keys += [(f'security.{k}', v) for k, v in sec.items()]
    attach = l3.get('mode', 'configured') == 'attach'
    if 'mode' in l3:
        keys.append(('l3', l3['mode']))
    if 'detach_ms' in l3:
        keys.append(('l3.detach_ms', l3['detach_ms']))
    expect_attach = [True] * n_ue
    _channel(c, data.get('channel', {}), keys)
    timeout = ues.get('timeout_s')
    for i, ue in enumerate(data.get('ue', [])):
        u = c.table(('ue', i), 'ue', ue)
        if i >= n_ue:
            c.error(('ue', i), None, f'[[ue]] number {i + 1} but [ues] count is {n_ue}')
        for k, v in u.items():
            if k == 'attach':
                if i < n_ue:
                    expect_attach[i] = v
            elif k in ('bytes_per_prb_dl', 'bytes_per_prb_ul') or attach:
                keys.append((f'ue.{i}.{k}', v))
            else:
                c.error(('ue', i), k, f'`{k}` needs [l3] mode = "attach"')
    _bearers(c, data.get('bearer', []), keys)
    _outages(c, data.get('outage', []), n_ue, keys)
    _flows(c, data.get('flow', []), n_ue, duration, keys)
    _faults(c, data.get('fault', []), n_ue, keys)
    short = s.get('short_ms', min(duration, 1500))
    sc = Scenario(path=path, name=name, description=s.get('description', ''),
                  duration_ms=duration, short_ms=short, n_ue=n_ue,
                  expect={'integrity': expect.get('integrity', True),
                          'rlf': expect.get('rlf', False),
                          'attach': expect_attach if attach else None},
                  keys=keys)
    sc.timeout_ms = int(timeout * 1000) if timeout else None
    return sc


def _drx(c, data, keys):
    """[drx]: connected-mode DRX for every UE (CONFIG's RL_ITEM_CFG_DRX)."""
    if data is None:
        return
    drx = c.table(('drx',), 'drx', data)
    for k in ('on_duration', 'inactivity', 'long_cycle'):
        if k not in drx and k not in data:
            c.error(('drx',), None, f'[drx] needs `{k}`')
    if len(drx) != len(data) or any(k not in drx for k in ('on_duration', 'inactivity',
                                                           'long_cycle')):
        return
    drx.setdefault('retx', 8)
    drx.setdefault('start_offset', 0)
    if drx['start_offset'] >= drx['long_cycle']:
        c.error(('drx',), 'start_offset', '`start_offset` must be below `long_cycle`')
    if 'short_cycle' in drx:
        drx.setdefault('short_cycle_timer', 1)
        if drx['long_cycle'] % drx['short_cycle'] or drx['short_cycle'] >= drx['long_cycle']:
            c.error(('drx',), 'short_cycle', '`long_cycle` must be a multiple of '
                    '`short_cycle` (TS 36.331 §6.3.2)')
    elif 'short_cycle_timer' in drx:
        c.error(('drx',), 'short_cycle_timer', '`short_cycle_timer` needs `short_cycle`')
    keys += [(f'drx.{k}', v) for k, v in drx.items()]


def _paging(c, data, keys, attach):
    """[paging]: the UEs start idle and are paged (CONFIG's RL_ITEM_CFG_PAGING)."""
    if data is None:
        return
    p = c.table(('paging',), 'paging', data)
    if len(p) != len(data):
        return
    if attach:
        c.error(('paging',), None, '[paging] needs [l3] mode = "configured"')
    p.setdefault('t', 128)
    p.setdefault('nb', p['t'])
    if p['nb'] not in [p['t'] * 4 >> k for k in range(8)]:
        c.error(('paging',), 'nb', '`nb` must be one of 4T, 2T, T, T/2, T/4, T/8, T/16, T/32 '
                '(TS 36.304 §7)')
    keys += [(f'paging.{k}', v) for k, v in p.items()]


def _channel(c, ch, keys):
    if not isinstance(ch, dict):
        return
    for key in ch:
        if key not in ('dl', 'ul'):
            c.error(('channel',), key, f'unknown key `{key}` in [channel] (known: dl, ul)')
    for d in ('dl', 'ul'):
        t = ch.get(d, {})
        if not isinstance(t, dict):
            c.error(('channel',), d, f'`channel.{d}` is a table')
            continue
        v = c.table(('channel', d), f'channel.{d}', t)
        keys.append((f'channel.{d}.bler', float(v.get('bler', 0.0))))
        if 'burst' not in t:
            continue
        b = c.table(('channel', d, 'burst'), f'channel.{d}.burst', t['burst'])
        missing = [k for k in ('bad_bler', 'mean_burst_ms', 'bad_share') if k not in b]
        if missing:
            c.error(('channel', d, 'burst'), None,
                    f'[channel.{d}.burst] needs {", ".join(missing)}')
            continue
        # Gilbert-Elliott: leave the bad state with 1/mean burst per subframe; enter it
        # so that the share of time in it is bad_share.
        p_bg = 1.0 / b['mean_burst_ms']
        p_gb = p_bg * b['bad_share'] / (1.0 - b['bad_share'])
        if p_gb > 1:
            c.error(('channel', d, 'burst'), 'bad_share', '`bad_share` is too high for '
                    'bursts that short')
            continue
        keys += [(f'channel.{d}.burst', True), (f'channel.{d}.bad_bler', float(b['bad_bler'])),
                 (f'channel.{d}.p_gb', p_gb), (f'channel.{d}.p_bg', p_bg)]


# Every field of a [[bearer]] not given takes these (an SRB's or a DRB's); the runner's own
# defaults (SRB1, SRB2, DRB1 on LCIDs 1-3) are the same values.
BEARER_DEFAULTS = {
    True: {'rlc': 'am', 'pdcp_sn_bits': 5, 'um_sn_bits': 10, 'priority': 1, 'lcg': 0,
           'pbr_kbps': 65535, 'bsd_ms': 1000, 't_poll_retx_ms': 45, 't_reordering_ms': 35,
           't_status_prohibit_ms': 0, 'poll_pdu': 0, 'poll_byte': 0, 'max_retx': 32,
           'discard_ms': 0},
    False: {'rlc': 'am', 'pdcp_sn_bits': 12, 'um_sn_bits': 10, 'priority': 5, 'lcg': 1,
            'pbr_kbps': 65535, 'bsd_ms': 1000, 't_poll_retx_ms': 40, 't_reordering_ms': 35,
            't_status_prohibit_ms': 10, 'poll_pdu': 16, 'poll_byte': 25000, 'max_retx': 32,
            'discard_ms': 0},
}


def _bearers(c, bearers, keys):
    if len(bearers) > MAX_BEARERS:
        c.error(('bearer', MAX_BEARERS), None, f'at most {MAX_BEARERS} bearers')
    lcids = {}
    for i, b in enumerate(bearers[:MAX_BEARERS]):
        v = c.table(('bearer', i), 'bearer', b)
        for k in ('rb_id', 'lcid'):
            if k not in b:
                c.error(('bearer', i), None, f'[[bearer]] needs `{k}`')
        srb = v.get('srb', False)
        sn = v.get('pdcp_sn_bits', 5 if srb else 12)
        rlc = v.get('rlc', 'am')
        if srb and (sn != 5 or rlc != 'am'):
            c.error(('bearer', i), 'pdcp_sn_bits' if sn != 5 else 'rlc',
                    'an SRB has a 5-bit PDCP SN and RLC AM (TS 36.323 §6.3.2, TS 36.331)')
        if not srb and (sn not in (7, 12) or (rlc == 'am' and sn != 12)):
            c.error(('bearer', i), 'pdcp_sn_bits', 'a DRB has a 12-bit PDCP SN (7 or 12 on '
                    'RLC UM, TS 36.323 §6.3.2)')
        if rlc == 'um' and v.get('um_sn_bits', 10) not in (5, 10):
            c.error(('bearer', i), 'um_sn_bits', '`um_sn_bits` is 5 or 10 (TS 36.322 §6.2.2.3)')
        if 'lcid' in v and v['lcid'] in lcids:
            c.error(('bearer', i), 'lcid', f'LCID {v["lcid"]} is also bearer {lcids[v["lcid"]]}')
        lcids[v.get('lcid')] = i
        full = {**BEARER_DEFAULTS[srb], **v, 'srb': srb, 'pdcp_sn_bits': sn}
        keys += [(f'bearer.{i}.{k}', full[k]) for k in sorted(full)]


def _outages(c, outages, n_ue, keys):
    if len(outages) > MAX_OUTAGES:
        c.error(('outage', MAX_OUTAGES), None, f'at most {MAX_OUTAGES} outages')
    for i, o in enumerate(outages[:MAX_OUTAGES]):
        v = c.table(('outage', i), 'outage', o)
        for k in ('start_ms', 'duration_ms'):
            if k not in o:
                c.error(('outage', i), None, f'[[outage]] needs `{k}`')
        ue = v.get('ue', 'all')
        if ue != 'all' and ue >= n_ue:
            c.error(('outage', i), 'ue', f'no UE {ue} (there are {n_ue})')
        start = v.get('start_ms', 0)
        keys += [(f'outage.{i}.start_ms', start),
                 (f'outage.{i}.end_ms', start + v.get('duration_ms', 1)),
                 (f'outage.{i}.dl', v.get('dl', True)), (f'outage.{i}.ul', v.get('ul', True)),
                 (f'outage.{i}.ue', -1 if ue == 'all' else ue)]


def _faults(c, faults, n_ue, keys):
    if len(faults) > MAX_FAULTS:
        c.error(('fault', MAX_FAULTS), None, f'at most {MAX_FAULTS} faults')
    for i, o in enumerate(faults[:MAX_FAULTS]):
        v = c.table(('fault', i), 'fault', o)
        for k in ('task', 'at_ms'):
            if k not in o:
                c.error(('fault', i), None, f'[[fault]] needs `{k}`')
        ue = v.get('ue', 'all')
        if ue != 'all' and ue >= n_ue:
            c.error(('fault', i), 'ue', f'no UE {ue} (there are {n_ue})')
        keys += [(f'fault.{i}.task', v.get('task', '')), (f'fault.{i}.at_ms', v.get('at_ms', 0)),
                 (f'fault.{i}.ue', -1 if ue == 'all' else ue)]


def _flows(c, flows, n_ue, duration, keys):
    n = 0
    for i, f in enumerate(flows):
        v = c.table(('flow', i), 'flow', f)
        for k in ('type', 'dir'):
            if k not in f:
                c.error(('flow', i), None, f'[[flow]] needs `{k}`')
        kind = v.get('type')
        if kind == 'cbr' and not ('rate_mbps' in v or 'rate_kbps' in v):
            c.error(('flow', i), None, 'a cbr flow needs `rate_mbps` or `rate_kbps`')
        if 'rate_mbps' in v and 'rate_kbps' in v:
            c.error(('flow', i), 'rate_kbps', 'give `rate_mbps` or `rate_kbps`, not both')
        if kind == 'echo' and 'interval_ms' not in v:
            c.error(('flow', i), None, 'an echo flow needs `interval_ms`')
        ue = v.get('ue', 'all')
        if ue != 'all' and ue >= n_ue:
            c.error(('flow', i), 'ue', f'no UE {ue} (there are {n_ue})')
        size = v.get('size', 84 if kind == 'echo' else 1400)
        rate = v.get('rate_kbps', round(v.get('rate_mbps', 0) * 1000))
        if kind == 'full' and v.get('window', 100000) < size:
            c.error(('flow', i), 'window', '`window` must hold one packet')
        for u in (range(n_ue) if ue == 'all' else [ue]):
            if n == MAX_FLOWS:
                c.error(('flow', i), None, f'more than {MAX_FLOWS} flows (after "all")')
                return
            p = f'flow.{n}'
            keys += [(f'{p}.ue', u), (f'{p}.type', kind), (f'{p}.dir', v.get('dir')),
                     (f'{p}.drb', v.get('drb', 1)), (f'{p}.size', size),
                     (f'{p}.start_ms', v.get('start_ms', 100)),
                     (f'{p}.stop_ms', v.get('stop_ms', -500))]
            if kind == 'cbr':
                keys.append((f'{p}.rate_kbps', max(1, rate)))
            if kind == 'echo':
                keys.append((f'{p}.interval_ms', v.get('interval_ms', 20)))
            if kind == 'full':
                keys.append((f'{p}.window', v.get('window', 100000)))
            n += 1


def resolve(name_or_path, root):
    """A scenario name (sim/scenarios/NAME.toml) or a path."""
    if os.sep in name_or_path or name_or_path.endswith('.toml'):
        return name_or_path
    return os.path.join(root, 'sim', 'scenarios', name_or_path + '.toml')
