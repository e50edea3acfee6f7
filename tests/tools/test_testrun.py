# SPDX-License-Identifier: BSD-2-Clause
"""The test runner must fail every broken run: missing summary, hang, wrong counts,
failing cases, panics and bad exit statuses (tools/testrun.py)."""

import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import testrun  # noqa: E402

TESTRUN = os.path.join(ROOT, 'tools', 'testrun.py')
HARNESS = os.environ.get('L4E_HARNESS')
QEMU = os.environ.get('L4E_QEMU', 'qemu-system-arm')


def outcome(text):
    o = testrun.Outcome('t')
    o.parse(text)
    o.check_protocol()
    return o


class ParseTest(unittest.TestCase):
    def test_clean_run_has_no_errors(self):
        o = outcome('boot\r\n[test] pass a\r\n[test] pass b\r\n[test] summary 2 0\r\n')
        self.assertEqual(o.errors, [])
        self.assertEqual([c for _, c, _ in o.cases], ['a', 'b'])

    def test_failure_reason_is_kept(self):
        o = outcome('[test] fail a x.c:3: 1 == 2 (got 1, want 2)\n[test] summary 0 1\n')
        self.assertEqual(o.cases, [(False, 'a', 'x.c:3: 1 == 2 (got 1, want 2)')])
        self.assertEqual(o.errors, [])

    def test_missing_summary_is_an_error(self):
        self.assertIn('no summary line', outcome('[test] pass a\n').errors[0])

    def test_summary_mismatch_is_an_error(self):
        self.assertIn('summary says 3 passed', outcome('[test] pass a\n[test] summary 3 0\n').errors[0])

    def test_empty_run_is_an_error(self):
        self.assertIn('no test cases ran', outcome('[test] summary 0 0\n').errors[0])

    def test_malformed_summary_is_an_error(self):
        o = outcome('[test] pass a\n[test] summary one 0\n')
        self.assertTrue(any('malformed summary' in e for e in o.errors))

    def test_panic_is_an_error_even_after_a_summary(self):
        o = outcome('[test] pass a\n[test] summary 1 0\nKERNEL PANIC: boom\n')
        self.assertEqual(o.errors, ['KERNEL PANIC: boom'])


class SummaryTest(unittest.TestCase):
    def summarise(self, *contents):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for i, text in enumerate(contents):
                paths.append(os.path.join(d, f'{i}.result'))
                with open(paths[-1], 'w') as f:
                    f.write(text)
            p = subprocess.run([sys.executable, TESTRUN, 'summary'] + paths,
                               capture_output=True, text=True)
            return p.returncode, p.stdout

    def test_counts_and_status(self):
        rc, out = self.summarise('pass\ta/x\t\npass\ta/y\t\n', 'fail\tb/z\twrong\n')
        self.assertEqual(rc, 1)
        self.assertEqual(out.splitlines()[-1], '2 passed, 1 failed')
        self.assertIn('FAIL b/z: wrong', out)

    def test_all_passing(self):
        rc, out = self.summarise('pass\ta/x\t\n')
        self.assertEqual((rc, out.splitlines()[-1]), (0, '1 passed, 0 failed'))

    def test_nothing_ran_is_a_failure(self):
        rc, _ = self.summarise('')
        self.assertEqual(rc, 1)


@unittest.skipUnless(HARNESS, 'L4E_HARNESS (built harness images) not set')
class QemuHarnessTest(unittest.TestCase):
    """Boots the deliberately broken images in tests/harness under the real runner."""

    def run_image(self, image, *extra, timeout=30):
        with tempfile.TemporaryDirectory() as d:
            result = os.path.join(d, 'r.result')
            subprocess.run([sys.executable, TESTRUN, 'qemu', '--name', 'h', '--result', result,
                            '--log', os.path.join(d, 'r.log'), '--timeout', str(timeout),
                            '--qemu', QEMU, os.path.join(HARNESS, image)] + list(extra),
                           check=True)
            with open(result) as f:
                return [line.rstrip('\n').split('\t') for line in f]

    def assert_fails_with(self, rows, reason):
        fails = [r for r in rows if r[0] == 'fail']
        self.assertTrue(any(reason in r[2] for r in fails), f'{reason!r} not in {rows}')

    def test_missing_summary_fails(self):
        self.assert_fails_with(self.run_image('nosummary.elf'), 'no summary line')

    def test_hang_fails_on_timeout(self):
        self.assert_fails_with(self.run_image('hang.elf', timeout=3), 'timeout after 3 s')

    def test_wrong_count_fails(self):
        self.assert_fails_with(self.run_image('wrongcount.elf'), 'summary says 2 passed')

    def test_failing_case_fails(self):
        rows = self.run_image('failing.elf')
        self.assertIn(['pass', 'h/fine', ''], rows)
        self.assertIn(['fail', 'h/wrong', 'x.c:1: 1 == 2'], rows)
        self.assertEqual(len(rows), 2)

    def test_bad_exit_status_fails(self):
        self.assert_fails_with(self.run_image('badexit.elf'), 'QEMU exited with status 7')

    def test_user_fault_fails_a_protocol_run(self):
        rows = self.run_image('userfault.elf')
        self.assert_fails_with(rows, 'KERNEL PANIC: root task')

    def test_expected_end_mismatch_fails(self):
        rows = self.run_image('userfault.elf', '--expect-exit', '0', '--expect', 'never printed')
        self.assert_fails_with(rows, 'QEMU exited with 3, expected 0')
        self.assert_fails_with(rows, 'console lacks /never printed/')


if __name__ == '__main__':
    unittest.main()
