#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Runs Python unittest modules and prints the [test] result protocol.

    pyunit.py DIR [PATTERN]     discover test_*.py (or PATTERN) under DIR
"""

import sys
import unittest


class ProtocolResult(unittest.TextTestResult):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.lines = []

    def _name(self, test):
        return test.id().split('.', 1)[-1]

    def addSuccess(self, test):
        super().addSuccess(test)
        self.lines.append(f'[test] pass {self._name(test)}')

    def _fail(self, test, err):
        msg = str(err[1]).strip().splitlines()
        self.lines.append(f'[test] fail {self._name(test)} {err[0].__name__}: '
                          f'{msg[0] if msg else ""}')

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, err)


def main():
    start = sys.argv[1] if len(sys.argv) > 1 else '.'
    pattern = sys.argv[2] if len(sys.argv) > 2 else 'test_*.py'
    suite = unittest.defaultTestLoader.discover(start, pattern=pattern, top_level_dir=start)
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=1, resultclass=ProtocolResult)
    result = runner.run(suite)
    for line in result.lines:
        print(line)
    passed = sum(1 for line in result.lines if line.startswith('[test] pass'))
    print(f'[test] summary {passed} {len(result.lines) - passed}')
    return 0 if result.wasSuccessful() and result.lines else 1


if __name__ == '__main__':
    sys.exit(main())
