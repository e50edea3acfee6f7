# SPDX-License-Identifier: BSD-2-Clause
"""The energy model: a platform's powers (a TOML file in tools/energy/) applied to a run.

Units: power in mW, energy in mJ (uJ for the wake-up cost in the file), time in seconds,
cycles at the platform's nominal clock. docs/profiling.md explains the model.
"""

import tomllib

# section -> key -> (type, minimum)
SCHEMA = {
    'platform': {'name': (str, None), 'description': (str, None)},
    'cpu': {'nominal_hz': (int, 1), 'active_mw': (float, 0.0), 'wfi_mw': (float, 0.0),
            'retention_mw': (float, 0.0), 'wakeup_uj': (float, 0.0)},
    'radio': {'on_mw': (float, 0.0), 'rx_mw': (float, 0.0), 'tx_mw': (float, 0.0),
              'drx_on_mw': (float, 0.0), 'light_sleep_mw': (float, 0.0),
              'deep_sleep_mw': (float, 0.0)},
    'battery': {'capacity_mah': (float, 0.0), 'voltage_v': (float, 0.0)},
}
RADIO_STATES = ('tx', 'rx', 'on', 'drx_on', 'light_sleep', 'deep_sleep')


class ModelError(Exception):
    """A bad model file: the message is `file:line: error: ...` (line 0 when unknown)."""


def _line_of(text, section, key=None):
    """The line of `[section]` (or of `key` in it) in `text`, for messages; 0 if absent."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.strip() == f'[{section}]'), None)
    if start is None:
        return 0
    if key is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        s = lines[i].strip()
        if s.startswith('['):
            break
        if s.split('=', 1)[0].strip() == key:
            return i + 1
    return start + 1


class Model:
    """A loaded, checked model. Attributes mirror the file: m.cpu['active_mw'], ..."""

    def __init__(self, data, path='<model>'):
        self.path = path
        for section, keys in SCHEMA.items():
            setattr(self, section, dict(data[section]))

    # -- the arithmetic (unit-tested against hand-computed cases)

    def nj_per_cycle(self):
        """Energy of one active cycle at the nominal clock, nJ: mW / Hz = mJ per cycle."""
        return self.cpu['active_mw'] / self.cpu['nominal_hz'] * 1e6

    def cpu_active_mj(self, cycles):
        return cycles * self.nj_per_cycle() * 1e-6

    def cpu_idle_mj(self, seconds, state='wfi'):
        """Asleep for `seconds` in WFI or in retention."""
        mw = self.cpu['wfi_mw'] if state == 'wfi' else self.cpu['retention_mw']
        return mw * seconds

    def wakeups_mj(self, count):
        return count * self.cpu['wakeup_uj'] * 1e-3

    def radio_mj(self, state, seconds):
        if state not in RADIO_STATES:
            raise ValueError(f'unknown radio state {state!r}')
        return self.radio[f'{state}_mw'] * seconds

    def battery_hours(self, avg_mw):
        """Hours a full battery lasts at an average power of `avg_mw`."""
        if avg_mw <= 0:
            return float('inf')
        return self.battery['capacity_mah'] * self.battery['voltage_v'] / avg_mw

    def cpu_subframe(self, busy_cycles, subframe_s, wakeups):
        """One subframe's CPU energy, mJ: `busy_cycles` active, the rest of it in WFI
        (none when busy overran it), `wakeups` wake-ups."""
        busy_s = busy_cycles / self.cpu['nominal_hz']
        return (self.cpu_active_mj(busy_cycles) + self.cpu_idle_mj(max(0.0, subframe_s - busy_s))
                + self.wakeups_mj(wakeups))


def load(path):
    """Reads and checks a model file; raises ModelError naming the file and line."""
    try:
        with open(path, 'rb') as f:
            raw = f.read()
    except OSError as e:
        raise ModelError(f'{path}:0: error: {e.strerror}') from None
    text = raw.decode('utf-8', 'replace')
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, 'lineno', None)
        if line is None:
            import re
            m = re.search(r'line (\d+)', str(e))
            line = int(m.group(1)) if m else 0
        raise ModelError(f'{path}:{line}: error: {e}') from None
    problems = []
    for section in data:
        if section not in SCHEMA:
            problems.append(f'{path}:{_line_of(text, section)}: error: unknown section '
                            f'[{section}]')
    for section, keys in SCHEMA.items():
        if section not in data or not isinstance(data[section], dict):
            problems.append(f'{path}:0: error: missing section [{section}]')
            continue
        for key in data[section]:
            if key not in keys:
                problems.append(f'{path}:{_line_of(text, section, key)}: error: unknown key '
                                f'{section}.{key}')
        for key, (typ, minimum) in keys.items():
            line = _line_of(text, section, key)
            if key not in data[section]:
                problems.append(f'{path}:{line}: error: missing {section}.{key}')
                continue
            v = data[section][key]
            if typ is float and isinstance(v, int) and not isinstance(v, bool):
                v = data[section][key] = float(v)
            if not isinstance(v, typ) or isinstance(v, bool):
                problems.append(f'{path}:{line}: error: {section}.{key} must be a '
                                f'{"number" if typ is float else typ.__name__}')
            elif minimum is not None and v < minimum:
                problems.append(f'{path}:{line}: error: {section}.{key} must be >= {minimum}')
    if problems:
        raise ModelError('\n'.join(problems))
    return Model(data, path)
