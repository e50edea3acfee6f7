# SPDX-License-Identifier: BSD-2-Clause
"""sysgen's constants against the contract it shares with the supervisor and the kernel
(l4e/sysinfo.h, l4/abi.h): a change on either side fails here, not at boot."""

import os
import re
import unittest

from fixture import REPO

from sysgen import model  # noqa: E402


def defines(rel):
    with open(os.path.join(REPO, rel)) as f:
        text = f.read().replace('\\\n', ' ')
    out = {}
    for m in re.finditer(r'^#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)u?\b', text, re.M):
        out[m.group(1)] = int(m.group(2), 0)
    return out


class Contract(unittest.TestCase):
    def test_sysinfo_h(self):
        d = defines('tasks/lib/include/l4e/sysinfo.h')
        self.assertEqual((d['SYS_NAME_MAX'], d['SYS_SLOT_THREADS'], d['SYS_SLOT_FIRST_GEN'],
                          d['SYS_MAX_THREADS'], d['SYS_SLOT_CLIENT_NTFN'],
                          d['SYS_BADGE_SUPERVISOR']),
                         (model.SYS_NAME_MAX, model.SYS_SLOT_THREADS, model.SYS_SLOT_FIRST_GEN,
                          model.SYS_MAX_THREADS, model.SYS_SLOT_CLIENT_NTFN,
                          model.SYS_BADGE_SUPERVISOR))
        lo, hi = model.HEARTBEAT
        self.assertLessEqual(lo, d['SYS_HEARTBEAT_STACK_TOP'] - d['SYS_HEARTBEAT_STACK_SIZE'])
        self.assertGreaterEqual(hi, d['SYS_HEARTBEAT_UTCB'] + 4096)
        # The heartbeat thread's slot follows the declared threads, below the generated ones.
        self.assertLess(d['SYS_SLOT_THREADS'] + d['SYS_MAX_THREADS'], d['SYS_SLOT_FIRST_GEN'])

    def test_abi_h(self):
        d = defines('kernel/include/uapi/l4/abi.h')
        self.assertEqual(d['L4_USER_TOP'], model.USER_TOP)
        self.assertEqual(d['L4_UTCB_ALIGN'], model.UTCB_SIZE)
        self.assertEqual(d['L4_THREAD_PRIO_MAX'], model.PRIO_MAX + 1)
        self.assertLessEqual(model.SYS_SLOT_CLIENT_NTFN + model.SYS_BADGE_SUPERVISOR,
                             d['L4_CAP_SLOTS'])


if __name__ == '__main__':
    unittest.main()
