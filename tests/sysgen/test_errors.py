# SPDX-License-Identifier: BSD-2-Clause
"""Bad system descriptions: each is rejected with exactly the expected message and line."""

import os
import subprocess
import unittest

import fixture
from fixture import REPO, TOML, Scratch

E = 'tasks/system.toml:{}: error: {}'.format


def sub(old, new, text=TOML):
    assert old in text, old
    return text.replace(old, new, 1)


class BadDescription(unittest.TestCase):
    def check(self, toml, *expected, idl=fixture.IDL, elfs=False, module='demo'):
        s = Scratch(toml, idl, module)
        self.addCleanup(s.close)
        got = s.diagnostics(s.elfs() if elfs else None)
        self.assertEqual(got, [e.replace('{root}', s.root) for e in expected])

    # ---------------------------------------------------------------- interfaces

    def test_unknown_interface(self):
        self.check(sub('provides = ["demo::a", "demo::b"]',
                       'provides = ["demo::a", "demo::zz", "demo::b"]'),
                   E(20, "unknown interface 'demo::zz': idl/demo.idl does not define it "
                         "(it defines demo::a, demo::b, demo::c)"))

    def test_unknown_module(self):
        self.check(sub('provides = ["demo::c"]', 'provides = ["demo::c", "radio::tx"]'),
                   E(43, "unknown interface 'radio::tx': no IDL file defines it (looked for "
                         "tasks/client/radio.idl and idl/radio.idl)"))

    def test_module_in_two_places(self):
        s = Scratch()
        self.addCleanup(s.close)
        s.write('tasks/server/demo.idl', fixture.IDL)
        self.assertEqual(s.diagnostics()[0], E(20, "interface 'demo::a': module 'demo' is "
                                                   "defined twice (tasks/server/demo.idl and "
                                                   "idl/demo.idl); keep one"))

    def test_idl_does_not_compile(self):
        """The IDL's own place leads, with its caret; the description's line is a note."""
        self.check(TOML, "idl/demo.idl:4:54: error: unknown type 'uint33'\n"
                         "\t@id(1) interface a { @id(1) @fastpath uint32 get(in uint33 x); };"
                         .replace('\t', ' ') + '\n' + ' ' * 53 + '^\n'
                         "tasks/system.toml:20: note: interface 'demo::a' is defined in "
                         "idl/demo.idl, which does not compile",
                   idl=fixture.IDL.replace('in uint32 x); };\n\t@id(2)',
                                           'in uint33 x); };\n\t@id(2)'))

    # A second module: the client also provides radio::tx, which the server uses.
    RADIO = sub('uses = ["demo::c"]', 'uses = ["demo::c", "radio::tx"]',
                sub('provides = ["demo::c"]', 'provides = ["demo::c", "radio::tx"]')) + \
        '  [[task.thread]]\n  name = "radio"\n  entry = "client_radio"\n' \
        '  serves = "radio::tx"\n  priority = 60\n'

    # radio::tx's operation takes a type of base.idl, which also defines an interface.
    RADIO_IDL = ('import "base.idl";\nmodule radio {\n'
                 '\t@id(9) interface tx { @id(1) oneway void send(in base::frame f); };\n};\n')
    BASE_IDL = ('module base {\n\tstruct frame { uint32 len; };\n'
                '\t@id(ID) interface svc { @id(9) void ping(); };\n};\n')

    def radio(self, radio_idl, base_idl=None):
        s = Scratch(self.RADIO)
        self.addCleanup(s.close)
        s.write('tasks/client/radio.idl', radio_idl)
        if base_idl is not None:
            s.write('idl/base.idl', base_idl)
        return s.diagnostics()

    def test_two_idl_files_one_interface_id(self):
        """Each file compiles alone; together they give demo::b's id to radio::tx too."""
        self.assertEqual(self.radio('module radio {\n\t/** Transmits. */\n'
                                    '\t@id(2) interface tx { @id(1) oneway void send(); };\n};\n'), [
            "tasks/client/radio.idl:3:2: error: interface id 2 of 'radio::tx' is also the id "
            "of 'demo::b': every interface needs an id of its own (its labels and application "
            'error codes derive from it)\n'
            ' @id(2) interface tx { @id(1) oneway void send(); };\n'
            ' ^\n'
            "idl/demo.idl:5:2: note: 'demo::b' takes interface id 2 here\n"
            "tasks/system.toml:43: note: task 'client' provides 'radio::tx' from "
            'tasks/client/radio.idl'])

    def test_interface_id_taken_by_an_import(self):
        """An interface the system only sees through an import counts as well."""
        self.assertEqual(self.radio(self.RADIO_IDL, base_idl=self.BASE_IDL.replace('ID', '3')), [
            "idl/base.idl:3:2: error: interface id 3 of 'base::svc' is also the id of "
            "'demo::c': every interface needs an id of its own (its labels and application "
            'error codes derive from it)\n'
            ' @id(3) interface svc { @id(9) void ping(); };\n'
            ' ^\n'
            "idl/demo.idl:6:2: note: 'demo::c' takes interface id 3 here\n"
            "tasks/system.toml:43: note: task 'client' provides 'radio::tx' from "
            'tasks/client/radio.idl, which imports idl/base.idl'])

    def test_distinct_interface_ids_pass(self):
        self.assertEqual(self.radio(self.RADIO_IDL, base_idl=self.BASE_IDL.replace('ID', '8')), [])

    def test_no_provider(self):
        self.check(sub('uses = ["demo::a", "demo::b"]', 'uses = ["demo::a", "demo::b", "nav::gps"]'),
                   E(44, "task 'client' uses interface 'nav::gps' that no task provides; no "
                         "IDL file defines it either"))

    def test_no_provider_did_you_mean(self):
        self.check(sub('uses = ["demo::a", "demo::b"]', 'uses = ["demo::a", "demo::b", "demo::bb"]'),
                   E(44, "task 'client' uses interface 'demo::bb' that no task provides; no "
                         "IDL file defines it either (did you mean 'demo::b'?)"))

    def test_no_provider_but_defined(self):
        """The IDL exists, a task only has to provide it (a module of a task folder too)."""
        s = Scratch(sub('uses = ["demo::a", "demo::b"]', 'uses = ["demo::a", "demo::b", "nav::gps"]'))
        self.addCleanup(s.close)
        s.write('tasks/nav/nav.idl', 'module nav {\n\t@id(9) interface gps {\n'
                                     '\t\t@id(1) uint32 fix();\n\t};\n};\n')
        self.assertEqual(s.diagnostics(), [
            E(44, "task 'client' uses interface 'nav::gps' that no task provides; "
                  "tasks/nav/nav.idl defines it: add it to the provides list of the task "
                  "that implements it")])

    def test_provided_twice(self):
        self.check(sub('provides = ["demo::c"]', 'provides = ["demo::c", "demo::a"]'),
                   E(43, "interface 'demo::a' is provided twice: by task 'server' and by "
                         "task 'client'"))

    def test_interface_name(self):
        self.check(sub('uses = ["demo::c"]', 'uses = ["democ"]'),
                   E(21, "task 'server': interface name 'democ' must be module::interface "
                         "(IDL names, at most 31 characters)"))

    def test_used_twice(self):
        self.check(sub('uses = ["demo::a", "demo::b"]', 'uses = ["demo::a", "demo::b",\n'
                                                       '        "demo::a"]'),
                   E(45, "task 'client' uses 'demo::a' twice"))

    def test_serves_not_provided(self):
        self.check(sub('serves = "demo::b"', 'serves = "demo::c"'),
                   E(33, "thread 'server.bulk' serves 'demo::c' but task 'server' does not "
                         "provide it"))

    def test_provided_but_not_served(self):
        self.check(sub('  serves = "demo::b"\n', ''),
                   E(20, "task 'server' provides 'demo::b' but none of its threads serves it "
                         "(add serves = \"...\" to a [[task.thread]])"))

    # ---------------------------------------------------------------- call graph

    def test_priority_inversion(self):
        toml = sub('priority = 80\nrestart', 'priority = 95\nrestart')
        self.check(toml, E(44, "priority inversion: thread 'client.main' (priority 95) calls "
                               "'demo::b', whose highest server thread 'server.bulk' runs at "
                               "priority 90"))

    def test_oneway_is_no_inversion(self):
        # server (100) sends to demo::c, served at 70: oneway only, so no report.
        self.check(TOML)

    def test_cycle_of_two(self):
        toml = TOML.replace('priority = 80', 'priority = 100').replace(
            'priority = 70', 'priority = 100').replace('priority = 90', 'priority = 100')
        self.check(toml, E(21, "cycle of synchronous calls can deadlock: 'server' calls "
                               "'demo::c' of 'client', 'client' calls 'demo::a' of 'server'"),
                   idl=fixture.IDL.replace('oneway void note', 'uint32 note'))

    def test_cycle_of_three(self):
        toml = '[system]\nname = "ring"\n' + ''.join(
            f'[[task]]\nname = "{t}"\npriority = 50\nprovides = ["ring::{t}"]\n'
            f'uses = ["ring::{u}"]\n  [[task.thread]]\n  name = "srv"\n  entry = "main"\n'
            f'  serves = "ring::{t}"\n' for t, u in (('x', 'y'), ('y', 'z'), ('z', 'x')))
        idl = 'module ring {\n' + ''.join(
            f'\t@id({i}) interface {t} {{ @id(1) void go(); }};\n'
            for i, t in enumerate('xyz', 1)) + '};\n'
        self.check(toml, E(7, "cycle of synchronous calls can deadlock: 'x' calls 'ring::y' of "
                              "'y', 'y' calls 'ring::z' of 'z', 'z' calls 'ring::x' of 'x'"),
                   idl=idl, module='ring')

    def test_calls_itself(self):
        self.check(sub('uses = ["demo::c"]', 'uses = ["demo::c", "demo::a"]'),
                   E(21, "cycle of synchronous calls can deadlock: 'server' calls 'demo::a' "
                         "of 'server'"))

    # ---------------------------------------------------------------- names

    def test_duplicate_task(self):
        self.check(sub('name = "client"\n', 'name = "server"\n'),
                   E(39, "duplicate task name 'server' (first defined at line 16)"))

    def test_duplicate_thread(self):
        self.check(sub('name = "bulk"', 'name = "srv"'),
                   E(31, "duplicate thread name 'srv' (first defined at line 25)"))

    def test_duplicate_pool(self):
        self.check(TOML.replace('[[device]]', '[[pool]]\nname = "frames"\nsize = 0x1000\n'
                                              'vaddr = 0x48000000\n\n[[device]]'),
                   E(11, "duplicate pool name 'frames' (first defined at line 5)"))

    def test_reserved_task_name(self):
        self.check(sub('name = "client"\n', 'name = "supervisor"\n'),
                   E(39, "task name 'supervisor' is taken: tasks/supervisor/ is not a task "
                         "folder"))

    def test_bad_name(self):
        self.check(sub('name = "bulk"', 'name = "Bulk-Thread"'),
                   E(31, "thread name 'Bulk-Thread' must be 1..15 characters of a-z, 0-9 and "
                         "_, starting with a letter"))

    # ---------------------------------------------------------------- memory

    def test_bad_pool_rights(self):
        self.check(sub('rights = "r" }', 'rights = "x" }'),
                   E(45, "task 'client': bad rights 'x' on pool 'frames' (must be \"r\" or "
                         "\"rw\")"))

    def test_unknown_pool(self):
        self.check(sub('pool = "frames", rights = "r"', 'pool = "buffers", rights = "r"'),
                   E(45, "task 'client': unknown pool 'buffers' (no [[pool]] of that name)"))

    def test_dma_pool_of_two_tasks(self):
        """A DMA pool belongs to its driver: the second task mapping it is refused."""
        self.check(sub('vaddr = 0x40000000\n', 'vaddr = 0x40000000\ndma = true\n'),
                   E(46, "task 'client': pool 'frames' is a DMA pool, mapped by task 'server' "
                         "already: a DMA pool belongs to one driver"))

    def test_dma_pool_read_only(self):
        toml = sub('vaddr = 0x40000000\n', 'vaddr = 0x40000000\ndma = true\n')
        toml = sub('pools = [{ pool = "frames", rights = "rw" }]\n', '', toml)
        self.check(toml, E(45, "task 'client': DMA pool 'frames' needs rights = \"rw\" (its "
                               "driver writes the device's rings)"))

    def test_keep_pool_of_two_tasks(self):
        """A keep pool is one task's state: the second task mapping it is refused."""
        self.check(sub('vaddr = 0x40000000\n', 'vaddr = 0x40000000\nkeep = true\n'),
                   E(46, "task 'client': pool 'frames' is a keep pool, mapped by task 'server' "
                         "already: a keep pool belongs to one task"))

    def test_keep_pool_read_only(self):
        toml = sub('vaddr = 0x40000000\n', 'vaddr = 0x40000000\nkeep = true\n')
        toml = sub('pools = [{ pool = "frames", rights = "rw" }]\n', '', toml)
        self.check(toml, E(45, "task 'client': keep pool 'frames' needs rights = \"rw\" (its "
                               "task keeps its state there)"))

    def test_pool_both_dma_and_keep(self):
        self.check(sub('vaddr = 0x40000000\n', 'vaddr = 0x40000000\ndma = true\nkeep = true\n'),
                   E(10, "pool 'frames': a pool is either dma or keep, not both"),
                   E(47, "task 'client': pool 'frames' is a DMA pool, mapped by task 'server' "
                         "already: a DMA pool belongs to one driver"))

    def test_dma_not_a_bool(self):
        self.check(sub('vaddr = 0x40000000\n', 'vaddr = 0x40000000\ndma = 1\n'),
                   E(9, "'dma' of [[pool]] must be true or false, not an integer"),
                   E(23, "task 'server': unknown pool 'frames' (no [[pool]] of that name)"),
                   E(46, "task 'client': unknown pool 'frames' (no [[pool]] of that name)"))

    def test_overlap(self):
        self.check(sub('vaddr = 0x50000000', 'vaddr = 0x40001000'),
                   E(14, "device 'nic' at [0x40001000, 0x40002000) overlaps pool 'frames' at "
                         "[0x40000000, 0x40002000)"))

    def test_misaligned(self):
        self.check(sub('vaddr = 0x40000000', 'vaddr = 0x40000800'),
                   E(8, "pool 'frames': vaddr 0x40000800 is not page-aligned"))

    def test_pool_in_thread_area(self):
        self.check(sub('vaddr = 0x40000000', 'vaddr = 0x7f000000'),
                   E(8, "pool 'frames': [0x7f000000, 0x7f002000) is not inside the user range "
                        "[0x00010000, 0x7f000000) (the thread area is above it)"))

    def test_pool_on_heartbeat_stack(self):
        self.check(sub('vaddr = 0x40000000', 'vaddr = 0x6fefe000'),
                   E(8, "pool 'frames': [0x6fefe000, 0x6ff00000) overlaps the runtime's "
                        "heartbeat stack and UTCB at [0x6feff000, 0x6ff01000)"))

    def test_too_many_slots(self):
        """40 used interfaces and an irq: slot 64 is past the generated range."""
        idl = 'module big {\n' + ''.join(
            f'\t@id({i}) interface i{i} {{ @id(1) oneway void go(); }};\n'
            for i in range(1, 41)) + '};\n'
        toml = '[system]\nname = "big"\n'
        for p in range(5):
            toml += (f'[[task]]\nname = "p{p}"\npriority = 9\nprovides = ['
                     + ', '.join(f'"big::i{8 * p + k + 1}"' for k in range(8)) + ']\n')
            toml += ''.join(f'  [[task.thread]]\n  name = "t{k}"\n  entry = "f"\n'
                            f'  serves = "big::i{8 * p + k + 1}"\n' for k in range(8))
        toml += ('[[task]]\nname = "a"\npriority = 9\nirqs = [48]\nuses = ['
                 + ', '.join(f'"big::i{i}"' for i in range(1, 41)) + ']\n'
                 '  [[task.thread]]\n  name = "t"\n  entry = "f"\n')
        self.check(toml, E(183, "task 'a' needs cap slots up to 64; generated slots end at 63"),
                   idl=idl, module='big')

    def test_device_window(self):
        self.check(sub('paddr = 0x0a000000', 'paddr = 0x0b000000'),
                   E(12, "device 'nic': [0x0b000000, 0x0b001000) is not inside the device "
                         "window [0x0a000000, 0x0a004000)"))

    def test_unknown_device(self):
        self.check(sub('devices = ["nic"]', 'devices = ["nic", "wifi"]'),
                   E(23, "task 'server': unknown device 'wifi' (no [[device]] of that name)"))

    def test_device_owned_twice(self):
        self.check(sub('rights = "r" }]', 'rights = "r" }]\ndevices = ["nic"]'),
                   E(46, "device 'nic' is owned by task 'server' already; task 'client' cannot "
                         "map it too"))

    def test_stack_size(self):
        self.check(sub('stack = 8192', 'stack = 5000'),
                   E(29, "thread 'server.srv': stack 5000 is not a positive multiple of the "
                         "page size (4096)"))

    # ---------------------------------------------------------------- threads, irqs

    def test_thread_priority_above_task(self):
        self.check(sub('priority = 90', 'priority = 120'),
                   E(34, "thread 'server.bulk': priority 120 is above its task's priority 100"))

    def test_task_priority_range(self):
        self.check(sub('priority = 100', 'priority = 255'),
                   E(18, "task 'server': priority 255 is out of range 0..254"),
                   E(25, "thread 'server.srv': priority 255 is out of range 0..254"))

    def test_too_many_threads(self):
        self.check(TOML + ''.join(f'  [[task.thread]]\n  name = "t{i}"\n  entry = "client_main"\n'
                                  '  priority = 1\n' for i in range(7)),
                   E(78, "task 'client' has 9 threads, more than SYS_MAX_THREADS (8)"))

    def test_no_threads(self):
        start = TOML.index('  [[task.thread]]\n  name = "main"')
        self.check(TOML[:start] + 'thread = []\n', E(38, "task 'client' has no threads"))

    def test_irq_range(self):
        self.check(sub('irqs = [48, 49]', 'irqs = [48, 300]'),
                   E(24, "task 'server': irq 300 is out of range 16..287"))

    def test_irq_kernel_timer(self):
        self.check(sub('irqs = [48, 49]', 'irqs = [30, 49]'),
                   E(24, "task 'server': irq 30 is the kernel timer's (kernel-owned)"))

    def test_irq_uart(self):
        self.check(sub('irqs = [48, 49]', 'irqs = [48,\n        33]'),
                   E(25, "task 'server': irq 33 is the console UART's (kernel-owned)"))

    def test_irq_owned_twice(self):
        self.check(sub('rights = "r" }]', 'rights = "r" }]\nirqs = [49]'),
                   E(46, "irq 49 is owned by task 'server' already; task 'client' cannot "
                         "take it too"))

    # ---------------------------------------------------------------- form

    def test_missing_key(self):
        self.check(sub('name = "client"\npriority = 80\n', 'name = "client"\n'),
                   E(38, "[[task]] 'client' has no 'priority' (required)"))

    def test_missing_system(self):
        self.check(TOML[TOML.index('[[pool]]'):],
                   E(1, "the system description has no 'system' (required)"))

    def test_wrong_type(self):
        self.check(sub('priority = 80', 'priority = "high"'),
                   E(40, "'priority' of [[task]] 'client' must be an integer, not a string"))

    def test_wrong_list_type(self):
        self.check(sub('irqs = [48, 49]', 'irqs = 48'),
                   E(24, "'irqs' of [[task]] 'server' must be a list of integers, not an "
                         "integer"))

    def test_unknown_key(self):
        self.check(sub('heartbeat_ms = 0', 'heartbaet_ms = 0'),
                   E(42, "unknown key 'heartbaet_ms' in [[task]] 'client' (known: name, "
                         "priority, restart, restart_max, restart_window_ms, heartbeat_ms, "
                         "provides, uses, pools, irqs, devices, shutdown, acct, thread)"))

    def test_restart_policy(self):
        self.check(sub('restart = "never"', 'restart = "sometimes"'),
                   E(41, "task 'client': restart must be one of never, task, system, not "
                         "'sometimes'"))

    def test_not_toml(self):
        self.check(sub('size = 0x2000', 'size = 0x2000 0x1'),
                   E(7, 'not valid TOML: expected newline or end of document after a '
                        'statement'))

    # ---------------------------------------------------------------- with the ELFs

    def test_unknown_entry_symbol(self):
        self.check(sub('entry = "server_bulk"', 'entry = "server_blk"'),
                   E(32, "thread 'server.bulk': entry 'server_blk' is not a symbol of "
                         "{root}/build/server.elf"), elfs=True)

    def test_entry_not_a_function(self):
        self.check(sub('entry = "server_bulk"', 'entry = "counter"'),
                   E(32, "thread 'server.bulk': entry 'counter' is not a function in "
                         "{root}/build/server.elf"), elfs=True)

    def test_segment_overlaps_pool(self):
        self.check(sub('vaddr = 0x40000000', 'vaddr = 0x11000'),
                   E(16, "task 'server': {root}/build/server.elf: segment [0x00011000, "
                         "0x00011004) overlaps pool 'frames' at [0x00011000, 0x00013000)"),
                   E(38, "task 'client': {root}/build/client.elf: segment [0x00011000, "
                         "0x00011004) overlaps pool 'frames' at [0x00011000, 0x00013000)"),
                   elfs=True)


class Cli(unittest.TestCase):
    """The command line: errors on stderr, exit status 1, never a traceback."""

    def run_cli(self, *args):
        return subprocess.run(['/usr/bin/python3', os.path.join(REPO, 'tools', 'sysgen')] +
                              list(args), capture_output=True, text=True)

    def test_error_exit(self):
        s = Scratch(sub('rights = "r" }', 'rights = "x" }'))
        self.addCleanup(s.close)
        r = self.run_cli('--toml', s.toml, '--out-h', os.path.join(s.root, 'h'))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, f'{s.toml}:45: error: task \'client\': bad rights \'x\' on '
                                   'pool \'frames\' (must be "r" or "rw")\n')
        self.assertFalse(os.path.exists(os.path.join(s.root, 'h')))

    def test_idl_error_of_a_task_leads(self):
        """A task's own IDL with a ';' missing at the end of a line: the report starts at the
        IDL's file:line:col right after the unfinished line, with its caret; the line of
        the description that named the interface follows as a note."""
        s = Scratch()
        self.addCleanup(s.close)
        idl = fixture.IDL.replace('module demo', 'module fresh').replace(
            '@id(1) interface a { @id(1) @fastpath uint32 get(in uint32 x); };',
            '@id(1) interface a {\n\t\t@id(1) uint32 get(in uint32 x)\n\t};')
        s.write('tasks/server/fresh.idl', idl)
        with open(s.toml) as f:
            toml = f.read()
        with open(s.toml, 'w') as f:
            f.write(toml.replace('provides = ["demo::a", "demo::b"]',
                                 'provides = ["demo::a", "demo::b", "fresh::a"]', 1))
        r = self.run_cli('--toml', s.toml, '--display', 'tasks/system.toml')
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.split('\n')[:4], [
            "tasks/server/fresh.idl:5:33: error: expected ';' after ')', found '}'",
            '  @id(1) uint32 get(in uint32 x)',
            ' ' * 32 + '^',
            "tasks/system.toml:20: note: interface 'fresh::a' is defined in "
            "tasks/server/fresh.idl, which does not compile"])

    def test_build_step_prints_errors_only(self):
        """The build prints warnings when it reads the description; its sysgen steps
        print errors only, naming the description as the user wrote it."""
        s = Scratch(sub('[[pool]]', '[[pool]]\nname = "spare"\nsize = 0x1000\n'
                                    'vaddr = 0x60000000\n\n[[pool]]'))
        self.addCleanup(s.close)
        r = self.run_cli('--toml', s.toml, '--display', 'tasks/system.toml')
        self.assertEqual((r.returncode, r.stderr),
                         (0, "tasks/system.toml:5: warning: pool 'spare' is mapped by no "
                             "task\n"))
        r = self.run_cli('--toml', s.toml, '--display', 'tasks/system.toml', '--no-warnings')
        self.assertEqual((r.returncode, r.stderr), (0, ''))

    def test_missing_file(self):
        r = self.run_cli('--toml', '/nonexistent/system.toml')
        self.assertEqual((r.returncode, r.stderr),
                         (1, '/nonexistent/system.toml:0: error: cannot read it: No such file '
                             'or directory\n'))

    def test_needs_elfs(self):
        s = Scratch()
        self.addCleanup(s.close)
        r = self.run_cli('--toml', s.toml, '--out-c', os.path.join(s.root, 'x.c'))
        self.assertEqual((r.returncode, r.stderr),
                         (1, "sysgen: error: --out-c and --out-s need every task's ELF; "
                             'missing --elf for server, client\n'))

    def test_elf_for_unknown_task(self):
        s = Scratch()
        self.addCleanup(s.close)
        elf = s.task_elf('server', fixture.ENTRIES['server'])
        r = self.run_cli('--toml', s.toml, '--elf', f'nosuch={elf}')
        self.assertEqual((r.returncode, r.stderr),
                         (1, f"{s.toml}:1: error: --elf nosuch=...: no task 'nosuch' in the "
                             'description\n'))

    def test_warning(self):
        s = Scratch(sub('uses = ["demo::a", "demo::b"]', 'uses = ["demo::a"]'))
        self.addCleanup(s.close)
        r = self.run_cli('--toml', s.toml)
        self.assertEqual((r.returncode, r.stderr),
                         (0, f"{s.toml}:20: warning: interface 'demo::b' of task 'server' is "
                             'used by no task\n'))


if __name__ == '__main__':
    unittest.main()
