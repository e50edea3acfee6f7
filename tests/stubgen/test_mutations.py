# SPDX-License-Identifier: BSD-2-Clause
"""stubgen: thousands of mutated copies of the example IDL give an IDL error or output, never a
traceback or an internal error (deterministic: a fixed seed)."""

import io
import os
import random
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, ROOT)

from stubgen.cli import main  # noqa: E402
from stubgen.lexer import tokenize  # noqa: E402

SEED = 4
ROUNDS = 600
NOISE = ['{', '}', ';', ',', '<', '>', '[', ']', '(', ')', '::', '@id(2)', '@fastpath', 'in',
         'out', 'oneway', 'sequence<uint8, 3>', 'string<0>', 'struct', 'point', 'cell',
         'import "base.idl";', 'shapes', '-1', '0xffffffff', '65', '..', 'reserved 1;',
         'raises (state)', 'buffer<rw>', '"', '/*', '$']


class Mutations(unittest.TestCase):
    def test_mutated_idl_never_crashes(self):
        src = open(os.path.join(ROOT, 'idl/examples/shapes.idl')).read()
        base = open(os.path.join(ROOT, 'idl/examples/base.idl')).read()
        spans = [(t.loc.line, t.loc.col) for t in tokenize('x', src)[:-1]]
        lines = src.split('\n')
        rng = random.Random(SEED)
        outcomes = {0: 0, 1: 0}
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, 'base.idl'), 'w') as f:
                f.write(base)
            path = os.path.join(tmp, 'm.idl')
            for _ in range(ROUNDS):
                mutated = list(lines)
                for _ in range(rng.randint(1, 3)):
                    line, col = rng.choice(spans)
                    text = mutated[line - 1]
                    cut = col - 1
                    end = cut + len(text[cut:].split(' ', 1)[0])
                    op = rng.randrange(3)
                    if op == 0:    # delete a token
                        text = text[:cut] + text[end:]
                    elif op == 1:  # insert noise
                        text = text[:cut] + rng.choice(NOISE) + ' ' + text[cut:]
                    else:          # replace a token
                        text = text[:cut] + rng.choice(NOISE) + text[end:]
                    mutated[line - 1] = text
                with open(path, 'w') as f:
                    f.write('\n'.join(mutated))
                err = io.StringIO()
                with redirect_stderr(err):
                    status = main([path, '--check'])
                msg = err.getvalue()
                self.assertIn(status, (0, 1), msg)
                self.assertNotIn('Traceback', msg)
                if status == 1:
                    first = msg.split('\n')[0]
                    self.assertRegex(first, r'^/.*m\.idl:\d+:\d+: error: |^/.*base\.idl:', msg)
                outcomes[status] += 1
        self.assertGreater(outcomes[1], ROUNDS // 2, outcomes)  # most break the IDL
        self.assertGreater(outcomes[0], 0, outcomes)  # and some still compile


if __name__ == '__main__':
    unittest.main()
