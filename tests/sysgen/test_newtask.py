# SPDX-License-Identifier: BSD-2-Clause
"""tools/newtask in a scratch copy: the files it writes, the entry it appends, the C
skeleton compiling against the generated stubs and headers, and refusals that change
nothing."""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from fixture import CC, CFLAGS, REPO

import sysgen  # noqa: E402

INCLUDE = ['stubgen/include', 'tasks/libl4/include', 'tasks/libc/include',
           'kernel/include/uapi']


class NewTask(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix='newtask-')
        self.addCleanup(shutil.rmtree, self.root, True)
        shutil.copytree(os.path.join(REPO, 'idl'), os.path.join(self.root, 'idl'))
        os.makedirs(os.path.join(self.root, 'tasks'))
        shutil.copy(os.path.join(REPO, 'tasks', 'system.toml'),
                    os.path.join(self.root, 'tasks', 'system.toml'))
        # The description may name interfaces private to a task (tasks/<t>/<module>.idl,
        # what newtask writes): copy them too, whatever tasks exist.
        for idl in glob.glob(os.path.join(REPO, 'tasks', '*', '*.idl')):
            rel = os.path.relpath(idl, REPO)
            os.makedirs(os.path.dirname(os.path.join(self.root, rel)), exist_ok=True)
            shutil.copy(idl, os.path.join(self.root, rel))
        self.system = sysgen.load(os.path.join(self.root, 'tasks', 'system.toml'), self.root,
                                  display='tasks/system.toml')

    def newtask(self, *args):
        return subprocess.run(['/usr/bin/python3', os.path.join(REPO, 'tools', 'newtask'),
                               '--root', self.root] + list(args), capture_output=True, text=True)

    def snapshot(self):
        out = {}
        for path in sorted(glob.glob(os.path.join(self.root, '**'), recursive=True)):
            if os.path.isfile(path):
                with open(path, 'rb') as f:
                    out[os.path.relpath(path, self.root)] = f.read()
        return out

    def test_creates_a_task_that_compiles(self):
        r = self.newtask('sensor')
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        self.assertEqual(r.stdout.split(), ['tasks/sensor/sensor.idl', 'tasks/sensor/server.c',
                                            'tasks/sensor/example_client.c',
                                            'tasks/system.toml'])
        toml = os.path.join(self.root, 'tasks', 'system.toml')
        s = sysgen.load(toml, self.root, display='tasks/system.toml')
        t = s.task('sensor')
        self.assertEqual((t.provides, [th.entry for th in t.threads], t.provided_idl),
                         (['sensor::api'], ['sensor_server_main'], ['tasks/sensor/sensor.idl']))
        # Nobody calls it yet: the only new diagnostic says so.
        before = [d.msg for d in self.system.diagnostics]
        self.assertEqual([d.msg for d in s.diagnostics if d.msg not in before],
                         ["interface 'sensor::api' of task 'sensor' is used by no task"])
        gen = os.path.join(self.root, 'gen')
        subprocess.run(['/usr/bin/python3', os.path.join(REPO, 'stubgen', 'stubgen.py'),
                        os.path.join(self.root, 'tasks', 'sensor', 'sensor.idl'), '-o', gen],
                       check=True)
        sysgen.write(s, out_h=gen)
        inc = sum((['-I', os.path.join(REPO, d)] for d in INCLUDE), ['-I', gen])
        for src in ['tasks/sensor/server.c', 'tasks/sensor/example_client.c',
                    'gen/sensor_server.c', 'gen/sensor_client.c']:
            subprocess.run([CC] + CFLAGS + inc + ['-c', os.path.join(self.root, src), '-o',
                                                  os.path.join(gen, os.path.basename(src) + '.o')],
                           check=True)

    def test_skeleton_is_formatted(self):
        self.assertEqual(self.newtask('fmt').returncode, 0)
        for name in ('server.c', 'example_client.c'):
            path = os.path.join(self.root, 'tasks', 'fmt', name)
            r = subprocess.run(['clang-format', f'--style=file:{REPO}/.clang-format', path],
                               capture_output=True, text=True, check=True)
            with open(path) as f:
                self.assertEqual(r.stdout, f.read(), name)

    def test_interface_id_is_free(self):
        def ids(paths):
            found = []
            for path in paths:
                with open(path) as f:
                    found += [int(m) for m in re.findall(r'@id\((\d+)\)\s*interface', f.read())]
            return found
        before = ids(glob.glob(os.path.join(self.root, 'idl', '**', '*.idl'), recursive=True))
        self.assertEqual(self.newtask('one').returncode, 0)
        self.assertEqual(self.newtask('two').returncode, 0)
        one = ids([os.path.join(self.root, 'tasks', 'one', 'one.idl')])
        two = ids([os.path.join(self.root, 'tasks', 'two', 'two.idl')])
        self.assertEqual((len(one), len(two)), (1, 1))
        self.assertNotIn(one[0], before)
        self.assertNotIn(two[0], before + one)

    def refused(self, args, message):
        before = self.snapshot()
        r = self.newtask(*args)
        self.assertEqual((r.returncode, r.stderr), (1, message))
        self.assertEqual(self.snapshot(), before)

    def test_existing_module(self):
        """A shared IDL module's name is taken (idl/l4e.idl is part of the platform)."""
        module = sorted(os.path.basename(f)[:-4]
                        for f in glob.glob(os.path.join(self.root, 'idl', '*.idl')))[0]
        self.refused([module], f"newtask: error: idl/{module}.idl exists already: module "
                               f"'{module}' is taken\n")

    def test_existing_task_without_idl(self):
        """A task of the description whose name is no IDL module (it serves others')."""
        names = [t.name for t in self.system.tasks
                 if not os.path.exists(os.path.join(self.root, 'idl', f'{t.name}.idl')) and
                 not os.path.exists(os.path.join(self.root, 'tasks', t.name))]
        if not names:
            self.skipTest('every task of this system has an IDL module of its name')
        self.refused([names[0]], f"newtask: error: tasks/system.toml has a task '{names[0]}' "
                                 "already\n")

    def test_existing_folder(self):
        self.assertEqual(self.newtask('one').returncode, 0)
        self.refused(['one'], 'newtask: error: tasks/one exists already\n')

    def test_bad_name(self):
        self.refused(['Foo'], "newtask: error: task name 'Foo' must be 1..15 characters of "
                              'a-z, 0-9 and _, starting with a letter\n')

    def test_reserved_name(self):
        self.refused(['supervisor'], "newtask: error: task name 'supervisor' is taken: "
                                     'tasks/supervisor/ is not a task folder\n')

    def test_rolls_back(self):
        """When the new description does not check, the folder and the entry go again."""
        from sysgen import model, newtask
        before = self.snapshot()
        real = model.load
        calls = []

        def second_fails(*args, **kw):
            calls.append(args)
            if len(calls) == 2:
                raise sysgen.SysgenError([])
            return real(*args, **kw)
        model.load = second_fails
        try:
            with self.assertRaises(sysgen.SysgenError):
                newtask.create(self.root, 'late')
        finally:
            model.load = real
        self.assertEqual(len(calls), 2)
        self.assertEqual(self.snapshot(), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, 'tasks', 'late')))

    def test_broken_description(self):
        toml = os.path.join(self.root, 'tasks', 'system.toml')
        with open(toml) as f:
            text = f.read()
        line = text[:text.index('[system]\n')].count('\n') + 2
        with open(toml, 'w') as f:
            f.write(text.replace('[system]\n', '[system]\nbogus = 1\n', 1))
        self.refused(['foo'], f"tasks/system.toml:{line}: error: unknown key 'bogus' in "
                              '[system] (known: name, heartbeat_ms, restart_max, '
                              'restart_window_ms, colocate)\n'
                              'newtask: error: the description would not be valid; nothing '
                              'was changed\n')

if __name__ == '__main__':
    unittest.main()
