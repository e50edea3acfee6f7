# SPDX-License-Identifier: BSD-2-Clause
"""One simulator run of a sweep, as a Dask worker (or tools/sweep --serial) executes it.

Standard library only: tools/sweep ships this module to the workers by value together with
a bundle (a gzipped tar: l4e-sim, and for QEMU UEs the firmware blob, its public key and
tools/fwload with what it imports), so a worker needs the Debian packages and nothing else
of the repository: no shared filesystem."""

import ctypes
import hashlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time

PR_SET_PDEATHSIG = 1
# What a run leaves that the sweep keeps (captures only when the sweep asks for them).
KEEP = ('kpi.json', 'kpi.csv', 'sim.log', 'sim.conf', 'report.txt', 'tshark.args')


def make_bundle(files):
    """A gzipped tar of {name in the bundle: local path}, byte-identical for the same
    inputs (fixed times and owners), and its SHA-256."""
    buf = io.BytesIO()
    # The fastest compression: most of the size goes anyway, in a tenth of the time.
    with tarfile.open(fileobj=buf, mode='w:gz', format=tarfile.PAX_FORMAT,
                      compresslevel=1) as tar:
        for name in sorted(files):
            info = tar.gettarinfo(files[name], arcname=name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, '', ''
            with open(files[name], 'rb') as f:
                tar.addfile(info, f)
    data = buf.getvalue()
    # gzip stores a time too: zero it so that the same inputs give the same bytes.
    data = data[:4] + b'\0\0\0\0' + data[8:]
    return data, hashlib.sha256(data).hexdigest()


def carry(bundle):
    """The bundle as a task's result: Dask keeps the task, so a bundle lost with a worker
    is made again wherever it is needed."""
    return bundle


def install(bundle):
    """Unpack the bundle once per host (shared by the workers there); its folder."""
    digest = hashlib.sha256(bundle).hexdigest()
    base = os.path.join(tempfile.gettempdir(), f'l4e-sweep-bundle-{os.getuid()}')
    where = os.path.join(base, digest[:16])
    if os.path.exists(os.path.join(where, '.complete')):
        os.utime(where)
        return where
    os.makedirs(base, exist_ok=True)
    # Bundles of earlier builds unused for a day go.
    for old in os.listdir(base):
        p = os.path.join(base, old)
        try:
            if time.time() - os.stat(p).st_mtime > 86400:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass
    tmp = tempfile.mkdtemp(prefix='unpack-', dir=base)
    with tarfile.open(fileobj=io.BytesIO(bundle), mode='r:gz') as tar:
        for m in tar.getmembers():
            if not m.isfile() or m.name.startswith(('/', '..')) or '/../' in m.name:
                raise ValueError(f'bundle: bad member {m.name}')
        tar.extractall(tmp)
    open(os.path.join(tmp, '.complete'), 'w').close()
    try:
        os.rename(tmp, where)
    except OSError:  # another worker on this host was first
        shutil.rmtree(tmp, ignore_errors=True)
    return where


def _die_with_parent():
    """In the child: SIGKILL when the worker thread that started it goes (a killed worker
    leaves no simulator behind)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    os.setpgid(0, 0)


def _descendants(pid):
    """Every process below `pid` (QEMU and loaders may start sessions of their own)."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _kill_tree(p):
    for pid in [p.pid] + _descendants(p.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except OSError:
        pass
    p.wait()


def _remove_orphans():
    """Run folders of workers that were killed (their process is gone)."""
    tmp = tempfile.gettempdir()
    for name in os.listdir(tmp):
        if not name.startswith('l4e-run-'):
            continue
        pid = name.split('-')[2]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(tmp, name), ignore_errors=True)
        except OSError:
            pass


def run(bundle, spec):
    """Run one simulator configuration; never raises for a run that fails (the result
    says so, with the outputs it left). `spec`: name, tag, conf (with {bundle}, {python}
    and {out} to fill in), timeout_s, keep_pcap."""
    root = install(bundle)
    _remove_orphans()
    work = tempfile.mkdtemp(prefix=f'l4e-run-{os.getpid()}-{spec["tag"]}-{spec["name"]}-'
                            .replace('/', '_'))
    try:
        conf = (spec['conf'].replace('{bundle}', root).replace('{python}', sys.executable)
                .replace('{out}', work))
        conf_path = os.path.join(work, 'sim.conf')
        with open(conf_path, 'w') as f:
            f.write(conf)
        report = open(os.path.join(work, 'report.txt'), 'wb')
        t0 = time.monotonic()
        p = subprocess.Popen([os.path.join(root, 'bin', 'l4e-sim'), '--no-progress', conf_path],
                             stdin=subprocess.DEVNULL, stdout=report, stderr=subprocess.STDOUT,
                             cwd=work, preexec_fn=_die_with_parent)
        error = None
        try:
            rc = p.wait(timeout=spec['timeout_s'])
        except subprocess.TimeoutExpired:
            _kill_tree(p)
            rc = None
            error = f'timeout: killed after {spec["timeout_s"]:g} s'
        wall = time.monotonic() - t0
        report.close()
        if rc:
            error = f'l4e-sim exit status {rc}'
        files = {}
        for name in sorted(os.listdir(work)):
            if name in KEEP or name.endswith('.console') or \
                    (spec.get('keep_pcap') and name.endswith('.pcap')):
                with open(os.path.join(work, name), 'rb') as f:
                    files[name] = f.read()
        # The file names the worker's folder; keep the configuration as sent.
        files['sim.conf'] = spec['conf'].encode()
        if error is None and b'"status": "ok"' not in files.get('kpi.json', b''):
            error = 'the run ended with an error (see sim.log)'
        return {'name': spec['name'], 'status': 'failed' if error else 'ok', 'error': error,
                'wall_s': wall, 'host': socket.gethostname(), 'pid': os.getpid(),
                'files': files}
    finally:
        shutil.rmtree(work, ignore_errors=True)
