# SPDX-License-Identifier: BSD-2-Clause
"""Collocation (site_scons/sysgen/colo.py): the fixture's two tasks merged into one, what the
merged task gets, the member headers and colo_bind.c, and bad `colocate` lists."""

import os
import subprocess
import sys
import unittest

import fixture
import sysgen
from fixture import REPO, TOML, Scratch
from sysgen import gen

E = 'tasks/system.toml:{}: error: {}'.format
COLO = TOML.replace('heartbeat_ms = 250\n', 'heartbeat_ms = 250\ncolocate = ["client", "server"]\n',
                    1)


class Merged(unittest.TestCase):
    def setUp(self):
        self.s = Scratch(COLO)
        self.addCleanup(self.s.close)
        self.sys = self.s.load()

    def test_one_task(self):
        s = self.sys
        self.assertEqual([t.name for t in s.tasks], ['colo'])
        t = s.tasks[0]
        self.assertEqual((t.index, t.id), (0, 0))
        self.assertEqual([m.name for m in t.members], ['server', 'client'])  # file order
        # Every interface is between the two: no endpoint, no uses.
        self.assertEqual(s.endpoints, [])
        self.assertEqual(t.provides, [])
        self.assertEqual(t.uses, [])
        self.assertEqual(sorted(b.name for b in t.bound), ['demo::a', 'demo::b', 'demo::c'])
        self.assertTrue(all(b.internal for b in t.bound))
        self.assertEqual({b.name: b.prio for b in t.bound},
                         {'demo::a': 100, 'demo::b': 90, 'demo::c': 70})
        # The client's main thread stays; the servers' threads only bind: one init thread.
        self.assertEqual([th.name for th in t.threads], ['client_main', 'colo_init'])
        self.assertEqual(t.threads[1].entry, 'colo_init_main')
        self.assertEqual(t.threads[1].priority, 100)
        self.assertEqual(t.threads[1].stack, 8192)
        # Resources: the union, rights combined, the strictest policy, no heartbeat (the
        # client has none), the highest priority.
        self.assertEqual([(p.name, r) for p, r in t.pools], [('frames', 3)])
        self.assertEqual(t.irqs, [48, 49])
        self.assertEqual([d.name for d in t.devices], ['nic'])
        self.assertEqual((t.priority, t.restart, t.heartbeat_ms), (100, 'system', 0))
        self.assertEqual(s.pools[0].users, [t])

    def test_member_headers(self):
        out = os.path.join(self.s.root, 'gen')
        written = gen.write(self.sys, out_h=out)
        self.assertEqual(sorted(os.path.basename(p) for p in written),
                         ['colo_bind.c', 'sys_client.h', 'sys_colo.h', 'sys_server.h'])
        with open(os.path.join(out, 'sys_client.h')) as f:
            client = f.read()
        with open(os.path.join(out, 'sys_server.h')) as f:
            server = f.read()
        self.assertIn('#define SYS_THREAD_MAIN 8 ', client)
        self.assertIn('#define SYS_THREAD_NOTES 9 ', client)  # the init thread's slot
        self.assertIn('#define SYS_THREAD_SRV 9 ', server)
        self.assertIn('#define SYS_PRIO_BULK 90 ', server)
        self.assertIn('#define SYS_CAP_USES_DEMO_A SYS_COLO_EP_DEMO_A', client)
        self.assertIn('#define SYS_CAP_PROVIDES_DEMO_C SYS_COLO_EP_DEMO_C', client)
        self.assertIn('#define SYS_CAP_PROVIDES_DEMO_A SYS_COLO_EP_DEMO_A', server)
        # What a member did not declare stays a compile error naming the fix.
        self.assertIn("#define SYS_CAP_USES_DEMO_A _Pragma(\"GCC error \\\"task 'server' does "
                      "not use 'demo::a'", server)
        self.assertIn('#define SYS_CAP_IRQ_48 ', server)
        self.assertNotIn('SYS_CAP_IRQ_48', client)
        self.assertIn('#define SYS_POOL_FRAMES_WRITABLE 0', client)  # its own rights
        self.assertIn('#define SYS_SERVER_POOLS_DEMO_B \\', server)
        with open(os.path.join(out, 'colo_bind.c')) as f:
            bind = f.read()
        for iface, prio in (('demo_a', 100), ('demo_b', 90), ('demo_c', 70)):
            self.assertIn(f'int __wrap_{iface}_serve(struct {iface}_server *srv, l4_cap_t ep)',
                          bind)
            self.assertIn(f'\t{iface}_colo_prio({prio});', bind)
        self.assertIn('\tserver_main(0x0u); /* server.srv */\n'
                      '\tserver_bulk(0x7u); /* server.bulk */\n'
                      '\tclient_notes(0x0u); /* client.notes */\n', bind)

    def test_cli_override(self):
        """--colocate "" turns it off; --colocate names the tasks."""
        tool = os.path.join(REPO, 'tools', 'sysgen')
        p = subprocess.run([sys.executable, tool, '--toml', self.s.toml, '--root', self.s.root,
                            '--colocate', '', '--tasks'], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('"client"', p.stdout)
        p = subprocess.run([sys.executable, tool, '--toml', os.path.join(self.s.root, 'tasks',
                                                                          'system.toml'),
                            '--root', self.s.root, '--colocate', 'server,nope'],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 1)
        self.assertIn("colocate: no task 'nope' in the description", p.stderr)


class BadColocate(unittest.TestCase):
    def diags(self, names):
        s = Scratch(TOML)
        self.addCleanup(s.close)
        try:
            sysgen.load(s.toml, s.root, display='tasks/system.toml', colocate=names)
        except sysgen.SysgenError as e:
            return [str(d) for d in e.diagnostics]
        return []

    def test_unknown_task(self):
        self.assertEqual(self.diags(['server', 'radio']),
                         [E(1, "colocate: no task 'radio' in the description")])

    def test_one_task(self):
        self.assertEqual(self.diags(['server']), [E(1, 'colocate: name at least two tasks')])

    def test_twice(self):
        self.assertEqual(self.diags(['server', 'client', 'server']),
                         [E(1, 'colocate: a task is listed twice')])

    def test_name_taken(self):
        s = Scratch(TOML.replace('name = "client"', 'name = "colo"', 1))
        self.addCleanup(s.close)
        with self.assertRaises(sysgen.SysgenError) as e:
            sysgen.load(s.toml, s.root, display='tasks/system.toml', colocate=['server', 'colo'])
        self.assertIn("the collocated task is named 'colo', and a task of that name exists",
                      str(e.exception))

    def test_key_in_the_file(self):
        s = Scratch(COLO.replace('["client", "server"]', '["client", "serverx"]'))
        self.addCleanup(s.close)
        self.assertEqual(s.diagnostics(),
                         [E(4, "colocate: no task 'serverx' in the description")])

    def test_default_unchanged(self):
        """Without colocate the fixture is what it was (no merged task)."""
        s = Scratch(TOML)
        self.addCleanup(s.close)
        self.assertEqual([t.name for t in s.load().tasks], ['server', 'client'])
        self.assertIsNone(s.load().colo)


if __name__ == '__main__':
    unittest.main()
