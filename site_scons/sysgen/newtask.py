# SPDX-License-Identifier: BSD-2-Clause
"""tools/newtask NAME: a new task folder (IDL, server skeleton, client example) and its
[[task]] entry in tasks/system.toml, checked with sysgen before anything is kept."""

import argparse
import glob
import os
import re
import subprocess
import sys

from . import model
from .model import PRIO_MAX, RESERVED_TASKS, SYS_NAME_MAX, SysgenError

_NAME = re.compile(r'^[a-z][a-z0-9_]*$')
_IFACE_ID = re.compile(r'@id\(\s*(\d+)\s*\)\s*interface\b')

IDL = '''\
// SPDX-License-Identifier: BSD-2-Clause
// The {name} service: what {name} offers other tasks (edit: say what it is for).

/** {name}: one interface to start from; add operations with new @id numbers. */
module {name} {{
	/** The errors of api (1..255; callers see them as negative codes, docs/errors.md). */
	enum error {{ BAD_ARG = 1 }};

	@id({iid})
	interface api raises (error) {{
		/** Answers `cookie` with all bits flipped: a liveness check. */
		@id(1) @fastpath uint32 ping(in uint32 cookie) raises (error);
	}};
}};
'''

SERVER = '''\
/* SPDX-License-Identifier: BSD-2-Clause */
/* The {name} task: serves {name}::api (tasks/{name}/{name}.idl) on its `server` thread. */
#include <stdint.h>

#include "{name}.h"     /* stubgen, from {name}.idl */
#include "sys_{name}.h" /* sysgen, from tasks/system.toml: this task's cap slots */

void {name}_server_main(uint32_t arg);

/* {name}::api ping: the reply proves the task is up. `badge` is the caller's task id. */
static int {name}_ping(void *ctx, l4_word_t badge, uint32_t cookie, uint32_t *result)
{{
	(void)ctx;
	(void)badge;
	*result = ~cookie;
	return 0;
}}

static const struct {name}_api_ops {name}_ops = {{
	.ping = {name}_ping,
}};

/* Thread `server` (system.toml): answers {name}::api calls for ever. */
void {name}_server_main(uint32_t arg)
{{
	struct {name}_api_server srv = {{.ops = &{name}_ops}};

	(void)arg;
	for (;;)
		{name}_api_serve(&srv, SYS_CAP_PROVIDES_{up}_API);
}}
'''

CLIENT = '''\
/* SPDX-License-Identifier: BSD-2-Clause */
/* How another task calls {name}::api: copy into a task that lists "{name}::api" in `uses`. */
#include <stdint.h>

#include "{name}.h" /* stubgen, from {name}.idl (its client stubs link into the caller) */

int {name}_example_ping(l4_cap_t ep);

/*
 * In the calling task, `ep` is SYS_CAP_USES_{up}_API from its sys_<task>.h. Returns 0
 * when {name} answered correctly, else the stub's error code (idl/README.md).
 */
int {name}_example_ping(l4_cap_t ep)
{{
	uint32_t reply;
	int rc = {name}_api_ping(ep, 0x600dcafeu, &reply);

	if (rc)
		return rc;
	return reply == ~0x600dcafeu ? 0 : -L4E_STUB_EPROTO;
}}
'''

ENTRY = '''
[[task]]
name = "{name}"
priority = {prio}
provides = ["{name}::api"]
  [[task.thread]]
  name = "server"
  entry = "{name}_server_main"
  serves = "{name}::api"
'''


def _next_interface_id(root):
    used = set()
    for path in glob.glob(os.path.join(root, 'idl', '**', '*.idl'), recursive=True) + \
            glob.glob(os.path.join(root, 'tasks', '*', '*.idl')):
        with open(path, encoding='utf-8', errors='replace') as f:
            used.update(int(m) for m in _IFACE_ID.findall(f.read()))
    free = [i for i in range(max(used, default=0) + 1, 255)] or \
           [i for i in range(1, 255) if i not in used]
    if not free:
        raise ValueError('no free interface id (1..254) left')
    return free[0]


def create(root, name, priority=100, toml='tasks/system.toml'):
    """Create tasks/<name>/ and append its entry to `toml` (relative to `root`). Returns
    the files written. Raises ValueError (a plain message) or SysgenError, having
    written nothing."""
    if not _NAME.match(name) or len(name) > SYS_NAME_MAX:
        raise ValueError(f"task name '{name}' must be 1..{SYS_NAME_MAX} characters of a-z, "
                         "0-9 and _, starting with a letter")
    if name in RESERVED_TASKS:
        raise ValueError(f"task name '{name}' is taken: tasks/{name}/ is not a task folder")
    if not 0 <= priority <= PRIO_MAX:
        raise ValueError(f'priority {priority} is out of range 0..{PRIO_MAX}')
    toml_path = os.path.join(root, toml)
    folder = os.path.join(root, 'tasks', name)
    if os.path.exists(folder):
        raise ValueError(f'tasks/{name} exists already')
    if os.path.exists(os.path.join(root, 'idl', f'{name}.idl')):
        raise ValueError(f"idl/{name}.idl exists already: module '{name}' is taken")
    before = model.load(toml_path, root, display=toml)
    if before.task(name):
        raise ValueError(f"{toml} has a task '{name}' already")
    files = {
        f'{name}.idl': IDL.format(name=name, iid=_next_interface_id(root)),
        'server.c': SERVER.format(name=name, up=name.upper()),
        'example_client.c': CLIENT.format(name=name, up=name.upper()),
    }
    with open(toml_path, encoding='utf-8') as f:
        old = f.read()
    new = old + ('' if old.endswith('\n') else '\n') + ENTRY.format(name=name, prio=priority)
    os.makedirs(folder)
    written = []
    try:
        for fname, text in files.items():
            path = os.path.join(folder, fname)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            written.append(path)
        with open(toml_path, 'w', encoding='utf-8') as f:
            f.write(new)
        model.load(toml_path, root, display=toml)
    except BaseException:
        with open(toml_path, 'w', encoding='utf-8') as f:
            f.write(old)
        for path in written:
            os.remove(path)
        os.rmdir(folder)
        raise
    return written + [toml_path]


def main(argv=None):
    p = argparse.ArgumentParser(
        prog='newtask', description='Create tasks/NAME/ (IDL, server skeleton, client '
                                    'example) and its entry in tasks/system.toml '
                                    '(tasks/README.md, "Adding a task").')
    p.add_argument('name', help='the task (and IDL module) name')
    p.add_argument('--priority', type=int, default=100, help='its priority (default 100)')
    p.add_argument('--root', default=None, help='the repository (default: this one)')
    args = p.parse_args(argv)
    root = os.path.abspath(args.root or os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    try:
        written = create(root, args.name, args.priority)
    except SysgenError as e:
        sys.stderr.write(f'{e}\nnewtask: error: the description would not be valid; '
                         'nothing was changed\n')
        return 1
    except (ValueError, OSError) as e:
        sys.stderr.write(f'newtask: error: {e}\n')
        return 1
    table = update_error_table(root)
    for path in written + ([table] if table else []):
        print(os.path.relpath(path, root))
    return 0


def update_error_table(root):
    """The new interface's errors go into docs/errors.md (the table tools/errors writes
    and docs/python checks); returns its path, or None when there is none to update."""
    doc, tool = os.path.join(root, 'docs', 'errors.md'), os.path.join(root, 'tools', 'errors')
    if not (os.path.exists(doc) and os.path.exists(tool)):
        return None
    r = subprocess.run([sys.executable, tool], cwd=root, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr + 'newtask: warning: docs/errors.md not updated '
                         '(tools/errors > docs/errors.md once the above is fixed)\n')
        return None
    with open(doc, 'w', encoding='utf-8') as f:
        f.write(r.stdout)
    return doc
