# SPDX-License-Identifier: BSD-2-Clause
"""Generation: golden outputs for the fixture system, the outputs compile and embed the
segments byte for byte, the same input gives the same bytes, the demo system is clean."""

import os
import struct
import subprocess
import tempfile
import unittest

import fixture
from fixture import CC, CFLAGS, REPO, Scratch

import elf32  # noqa: E402  (site_scons, on the path through fixture)
import sysgen  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden')
UPDATE = os.environ.get('SYSGEN_UPDATE_GOLDEN')


class Generate(unittest.TestCase):
    def setUp(self):
        self.s = Scratch()
        self.addCleanup(self.s.close)
        self.elfs = self.s.elfs()
        self.out = os.path.join(self.s.root, 'out')

    def cli(self, out, *extra):
        args = ['/usr/bin/python3', os.path.join(REPO, 'tools', 'sysgen'),
                '--toml', 'tasks/system.toml', '--out-c', f'{out}/sysinfo.c',
                '--out-s', f'{out}/modules.S', '--out-h', f'{out}/include']
        for name, path in self.elfs.items():
            args += ['--elf', f'{name}={path}']
        r = subprocess.run(args + list(extra), cwd=self.s.root, capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stderr), (0, ''))
        return out

    def outputs(self, out):
        files = {'sysinfo.c': f'{out}/sysinfo.c', 'modules.S': f'{out}/modules.S'}
        for name in os.listdir(f'{out}/include'):
            files[name] = f'{out}/include/{name}'
        return files

    def test_golden(self):
        out = self.cli(self.out)
        files = self.outputs(out)
        self.assertEqual(sorted(files), ['modules.S', 'sys_client.h', 'sys_server.h',
                                         'sysinfo.c'])
        for name, path in sorted(files.items()):
            with open(path) as f:
                text = f.read().replace(self.s.root, '@ROOT@')
            golden = os.path.join(GOLDEN, name + '.golden')
            if UPDATE:
                with open(golden, 'w') as f:
                    f.write(text)
            with open(golden) as f:
                self.assertEqual(text, f.read(), name)

    def test_undeclared_interface_says_where_the_fix_is(self):
        """Calling an interface the task does not list in `uses`: the compile stops at
        the use with a message naming the missing entry, not just an undeclared name."""
        s = Scratch(fixture.TOML.replace('uses = ["demo::a", "demo::b"]', 'uses = ["demo::a"]'))
        self.addCleanup(s.close)
        sysgen.write(s.load(), out_h=s.root)
        src = os.path.join(s.root, 'call.c')
        with open(src, 'w') as f:
            f.write('#include "sys_client.h"\nint call(unsigned);\nint use(void);\n'
                    'int use(void)\n{\n\treturn call(SYS_CAP_USES_DEMO_B);\n}\n')
        r = subprocess.run([CC] + CFLAGS + ['-I', s.root, '-c', src, '-o', src + '.o'],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertRegex(r.stderr, r"call\.c:6:\d+: error: task 'client' does not use "
                                   r"'demo::b': add 'demo::b' to the uses list of its "
                                   r"\[\[task\]\] in tasks/system\.toml")
        self.assertNotIn('undeclared', r.stderr)

    def test_banner(self):
        for name, path in self.outputs(self.cli(self.out)).items():
            with open(path) as f:
                self.assertEqual(f.readline(), '/* generated from tasks/system.toml by sysgen '
                                               '\u2014 do not edit */\n', name)

    def test_deterministic(self):
        a = self.outputs(self.cli(os.path.join(self.s.root, 'a')))
        b = self.outputs(self.cli(os.path.join(self.s.root, 'b')))
        for name in a:
            with open(a[name], 'rb') as fa, open(b[name], 'rb') as fb:
                self.assertEqual(fa.read(), fb.read(), name)

    def test_api_matches_cli(self):
        out = self.cli(self.out)
        s = self.s.load(self.elfs)
        with open(f'{out}/sysinfo.c') as f:
            self.assertEqual(sysgen.sysinfo_c(s), f.read())
        with open(f'{out}/modules.S') as f:
            self.assertEqual(sysgen.modules_s(s), f.read())

    def test_compiles_and_embeds_segments(self):
        """sysinfo.c and modules.S build for the target with -Werror and link; each task
        segment sits page-aligned in the image, its bytes those of the ELF, zero-padded."""
        out = self.cli(self.out)
        objs = []
        for src in ('sysinfo.c', 'modules.S'):
            obj = f'{out}/{src}.o'
            subprocess.run([CC] + CFLAGS + ['-I', os.path.join(REPO, 'tasks', 'lib', 'include'),
                                            '-c', f'{out}/{src}', '-o', obj], check=True)
            objs.append(obj)
        main = self.s.write('out/main.c', '#include <l4e/sysinfo.h>\n'
                            'void _start(void);\n'
                            '__attribute__((section(".text.start"))) void _start(void)\n'
                            '{\n\tfor (;;)\n\t\t__asm__ volatile("" : : "r"(&sys_info));\n}\n')
        image = f'{out}/super.elf'
        subprocess.run([CC] + CFLAGS + ['-I', os.path.join(REPO, 'tasks', 'lib', 'include'),
                                        '-nostdlib', '-T', os.path.join(REPO, 'tasks', 'user.ld'),
                                        '-o', image, main] + objs, check=True)
        syms = elf32.symbols(image)
        with open(image, 'rb') as f:
            data = f.read()
        sup = elf32.read(image)

        def read(addr, n):
            for seg in sup.segments:
                if seg.vaddr <= addr and addr + n <= seg.vaddr + seg.filesz:
                    off = seg.offset + addr - seg.vaddr
                    return data[off:off + n]
            self.fail(f'{addr:#x} is not in the image')

        s = self.s.load(self.elfs)
        for t in s.tasks:
            module = syms[f'sys_module_{t.name}'].value
            entry, nsegs, segs = struct.unpack('<III', read(module, 12))
            loads = elf32.read(self.elfs[t.name]).loads()
            self.assertEqual(nsegs, len(loads))
            with open(self.elfs[t.name], 'rb') as f:
                task_data = f.read()
            for i, seg in enumerate(loads):
                ptr, vaddr, filesz, memsz, flags = struct.unpack(
                    '<IIIII', read(segs + 20 * i, 20))
                self.assertEqual((vaddr, filesz, memsz, flags),
                                 (seg.vaddr, seg.filesz, seg.memsz, seg.flags))
                self.assertEqual(ptr % 4096, 0)
                padded = (filesz + 4095) // 4096 * 4096
                self.assertEqual(read(ptr, padded),
                                 task_data[seg.offset:seg.offset + filesz] +
                                 bytes(padded - filesz))

    def test_dma_pool(self):
        """A DMA pool: flagged in sys_info, announced in its driver's header, never in a
        server's buffer-pool table; the tables still compile."""
        toml = fixture.TOML.replace('vaddr = 0x40000000\n', 'vaddr = 0x40000000\ndma = true\n', 1)
        toml = toml.replace('pools = [{ pool = "frames", rights = "r" }]\n', '', 1)
        self.s.write('tasks/system.toml', toml)
        out = self.cli(self.out)
        with open(f'{out}/sysinfo.c') as f:
            self.assertIn('{ .name = "frames", .size = 0x2000u, .vaddr = 0x40000000u, '
                          '.flags = SYS_POOL_F_DMA },', f.read())
        with open(f'{out}/include/sys_server.h') as f:
            header = f.read()
        self.assertIn('#define SYS_POOL_FRAMES_DMA 1 ', header)
        self.assertNotIn('SYS_SERVER_POOLS', header)
        with open(f'{out}/include/sys_client.h') as f:
            self.assertNotIn('FRAMES', f.read())
        subprocess.run([CC] + CFLAGS + ['-I', os.path.join(REPO, 'tasks', 'lib', 'include'),
                                        '-c', f'{out}/sysinfo.c', '-o', f'{out}/sysinfo.o'],
                       check=True)

    def test_task_folders_are_next_to_the_description(self):
        """A description outside tasks/ (a test system) finds its tasks, and their private
        IDL files, in folders beside it."""
        toml = fixture.TOML.replace('provides = ["demo::c"]', 'provides = ["demo::c", "own::x"]')
        toml += ('  [[task.thread]]\n  name = "own"\n  entry = "client_own"\n'
                 '  serves = "own::x"\n  priority = 70\n')
        self.s.write('tests/sys/system.toml', toml)
        self.s.write('tests/sys/client/own.idl', 'module own { @id(9) interface x { '
                     '@id(1) oneway void ping(in uint32 v); }; };\n')
        s = sysgen.load(os.path.join(self.s.root, 'tests', 'sys', 'system.toml'), self.s.root)
        self.assertEqual([t.dir for t in s.tasks], ['tests/sys/server', 'tests/sys/client'])
        self.assertEqual(s.task('client').provided_idl,
                         ['idl/demo.idl', 'tests/sys/client/own.idl'])

    def test_layout(self):
        s = self.s.load(self.elfs)
        server = s.task('server')
        srv, bulk = server.threads
        # UTCBs in the top page; stacks below a guard page, a guard page between them.
        self.assertEqual((srv.utcb, bulk.utcb), (0x7ffff000, 0x7ffff200))
        self.assertEqual((srv.stack_top, srv.stack), (0x7fffe000, 0x2000))
        self.assertEqual(bulk.stack_top, 0x7fffe000 - 0x2000 - 0x1000)
        self.assertEqual([(c['kind'], c['slot']) for c in server.caps],
                         [('SERVER', 24), ('SERVER', 25), ('CLIENT', 26), ('IRQ', 27),
                          ('IRQ', 28), ('POOL', 0), ('DEVICE', 0)])
        self.assertEqual([th.address for th in server.threads],
                         [elf32.symbols(self.elfs['server'])[e].value
                          for e in fixture.ENTRIES['server']])


class Demo(unittest.TestCase):
    """tasks/system.toml, whatever system it describes (the demo, or the demo with tasks a
    user added): it checks without errors and the build API sees what the model sees. Every
    expectation is derived from the description itself, never from a list of tasks."""

    def load(self):
        return sysgen.load(os.path.join(REPO, 'tasks', 'system.toml'), REPO,
                           display='tasks/system.toml')

    def test_clean(self):
        s = self.load()
        self.assertEqual([str(d) for d in s.diagnostics if d.kind == 'error'], [])
        self.assertTrue(s.tasks)
        for t in s.tasks:
            self.assertTrue(t.threads, t.name)

    def test_buffer_interfaces_share_a_pool(self):
        """A client passing buffer handles and the task serving them map a common pool:
        the server accepts a handle only into a pool it shares with that client."""
        s = self.load()
        for t in s.tasks:
            for iface in t.uses_ifaces:
                with open(os.path.join(REPO, iface.idl)) as f:
                    if 'buffer' not in f.read():
                        continue
                mine = {p.name for p, _ in t.pools}
                theirs = {p.name for p, _ in iface.provider.pools}
                self.assertTrue(mine & theirs, f'{t.name} -> {iface.name}')

    def test_tasks_api(self):
        s = self.load()
        self.assertEqual(sysgen.tasks(os.path.join(REPO, 'tasks', 'system.toml')),
                         [(t.name, f'tasks/{t.name}', t.provided_idl, t.used_idl)
                          for t in s.tasks])
        for t in s.tasks:
            for f in t.provided_idl + t.used_idl:
                self.assertTrue(os.path.isfile(os.path.join(REPO, f)), f)

    def test_idl_compiles(self):
        """Every IDL file the system names: stubs generated and cross-compiled."""
        s = self.load()
        idl = sorted({f for t in s.tasks for f in t.provided_idl + t.used_idl})
        self.assertTrue(idl)
        inc = sum((['-I', os.path.join(REPO, d)] for d in (
            'stubgen/include', 'tasks/libl4/include', 'kernel/include/uapi')), [])
        with tempfile.TemporaryDirectory() as d:
            for f in idl:  # all first: a header includes those of the files its IDL imports
                subprocess.run(['/usr/bin/python3', os.path.join(REPO, 'stubgen', 'stubgen.py'),
                                os.path.join(REPO, f), '-o', d, '-I', os.path.join(REPO, 'idl')],
                               check=True)
            for f in idl:
                base = os.path.splitext(os.path.basename(f))[0]
                for kind in ('client', 'server', 'colo'):
                    subprocess.run([CC] + CFLAGS + inc + ['-I', d, '-c',
                                                          f'{d}/{base}_{kind}.c', '-o',
                                                          f'{d}/{base}_{kind}.o'], check=True)

    def test_headers_without_elfs(self):
        """Task headers need no ELF: a build writes them before compiling the tasks."""
        s = self.load()
        with tempfile.TemporaryDirectory() as d:
            written = sysgen.write(s, out_h=d)
            self.assertEqual(sorted(os.path.basename(p) for p in written),
                             sorted(sysgen.header_names(s)))
            # Slots from SYS_SLOT_FIRST_GEN: provided interfaces, then used ones, in order.
            for t in s.tasks:
                with open(os.path.join(d, f'sys_{t.name}.h')) as f:
                    text = f.read()
                slot = 24
                for kind, ifaces in (('PROVIDES', t.provides_ifaces), ('USES', t.uses_ifaces)):
                    for iface in ifaces:
                        self.assertIn(f'#define SYS_CAP_{kind}_{iface.macro} {slot}\n', text)
                        slot += 1
            # Every header compiles; a server's pool table initialises struct l4e_pool.
            inc = sum((['-I', os.path.join(REPO, p)] for p in (
                'stubgen/include', 'tasks/libl4/include', 'kernel/include/uapi')), ['-I', d])
            for t in s.tasks:
                src = os.path.join(d, f'use_{t.name}.c')
                with open(src, 'w') as f:
                    f.write(f'#include <l4e/stub.h>\n#include "sys_{t.name}.h"\n'
                            '#ifdef SYS_SERVER_POOLS\n'
                            'const struct l4e_pool pools[] = SYS_SERVER_POOLS;\n'
                            '_Static_assert(sizeof(pools) / sizeof(pools[0]) == '
                            'SYS_SERVER_NPOOLS, "count");\n#endif\n'
                            'const unsigned id = SYS_TASK_ID;\n')
                subprocess.run([CC] + CFLAGS + inc + ['-Wno-missing-variable-declarations',
                                                      '-c', src, '-o', src + '.o'], check=True)


if __name__ == '__main__':
    unittest.main()
