# SPDX-License-Identifier: BSD-2-Clause
"""stubgen: generated C for edge-case IDL compiles warning-free for the host and the target,
and the size asserts stubgen computes hold for both compilers."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, ROOT)

from stubgen.cli import main  # noqa: E402

FLAGS = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-Wstrict-prototypes',
         '-Wmissing-prototypes', '-Wundef', '-Wshadow', '-Wpointer-arith', '-Wcast-align']
INCLUDE = [os.path.join(ROOT, d) for d in ('stubgen/include', 'tasks/libl4/include',
                                           'kernel/include/uapi')]
COMPILERS = {
    'host': ['gcc'],
    'target': ['arm-none-eabi-gcc', '-mcpu=cortex-a7', '-marm', '-ffreestanding',
               '-fno-builtin', '-I' + os.path.join(ROOT, 'tasks/libc/include')],
}

EDGE = '''
module edge {
	const int64 MIN64 = -0x8000000000000000;
	const uint64 MAX64 = 0xffffffffffffffff;
	const int32 MIN32 = -0x80000000;
	const bool NO = false;
	enum one { ONLY };
	enum err { E1 = 1, E2 = 0xff };
	enum oerr { O1 = 1 };
	struct flags { bool a; int8 b[3]; bool c[2]; uint16 d[3]; int16 e; };
	typedef flags grid[2];
	typedef uint32 handle;
	typedef handle alias2;
	typedef string<1> tiny;
	struct nested { grid g; tiny t; sequence<int16, 7> s; sequence<bool, 2> bs;
			sequence<buffer<w>, 2> bufs; alias2 h; };

	@id(1) interface empty { };
	@id(254) interface ops : empty raises (err) {
		@id(1) void none();
		@id(2) oneway void poke();
		@id(3) @fastpath bool flag(in bool b) raises (err);
		@id(4) void all(in nested n, out nested m, inout tiny t, in grid g2, out one o);
		@id(5) oneway void bulk(in sequence<uint8, 200> data);
		@id(6) tiny name();
		@id(7) handle h(in alias2 a, out alias2 b);
	};
	/** Passes the errors of ops up: raises two interfaces' errors. */
	@id(3) interface relay raises (oerr) {
		@id(1) @fastpath void pass(in bool b) raises (oerr, err);
	};
};
'''


class Compile(unittest.TestCase):
    def build(self, variant, files):
        cc = COMPILERS[variant]
        if not shutil.which(cc[0]):
            self.skipTest(f'{cc[0]} not installed')
        with tempfile.TemporaryDirectory() as tmp:
            for name, text in files.items():
                with open(os.path.join(tmp, name), 'w') as f:
                    f.write(text)
            for name in files:
                self.assertEqual(main([os.path.join(tmp, name), '-o', tmp]), 0)
            for c in sorted(f for f in os.listdir(tmp) if f.endswith('.c')):
                p = subprocess.run(cc + FLAGS + ['-I' + d for d in INCLUDE + [tmp]] +
                                   ['-c', os.path.join(tmp, c), '-o', os.path.join(tmp, 'x.o')],
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, f'{variant} {c}:\n{p.stderr}')

    def test_edge_cases_host(self):
        self.build('host', {'edge.idl': EDGE})

    def test_edge_cases_target(self):
        self.build('target', {'edge.idl': EDGE})

    def test_no_interfaces_and_imports(self):
        files = {'a.idl': 'import "b.idl";\nstruct s { b::t x; };',
                 'b.idl': 'module b { struct t { sequence<uint8, 3> v; }; };'}
        self.build('host', files)
        self.build('target', files)


if __name__ == '__main__':
    unittest.main()
