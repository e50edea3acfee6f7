# SPDX-License-Identifier: BSD-2-Clause
"""The modem firmware against a scripted cell (cell.py), message by message: HELLO, the
configuration, random access (TS 36.321 §5.1: preamble, RAR, Msg3 with the CCCH SDU,
contention resolution), DL HARQ decided by the firmware's CRC24A check, an UL grant,
uplink data from the application processor (SR, then an UL TB on the DRB's LCID),
malformed and out-of-sequence messages refused while the lockstep goes on, and END with
the supervisor's cycle table.

    L4E_IMAGE=build/target/modem.elf [L4E_QEMU=qemu-system-arm] [L4E_TEST_TIMEOUT=60]"""

import os
import re
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cell as c  # noqa: E402

TIMEOUT = int(os.environ.get('L4E_TEST_TIMEOUT', '60'))
TC_RNTI = 0x4601


def rar(rapid, tc_rnti):
    """A MAC RAR PDU (TS 36.321 §6.1.5): E/T/RAPID, then TA, UL grant, TC-RNTI."""
    return bytes([0x40 | rapid, 0, 0, 0, 0, tc_rnti >> 8, tc_rnti & 0xff])


def ipv4_udp(seq, size=200):
    payload = struct.pack('>I', seq) + bytes((seq + i) & 0xff for i in range(size - 32))
    udp = struct.pack('>HHHH', 5000, 5001, 8 + len(payload), 0) + payload
    hdr = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), seq & 0xffff, 0, 64, 17, 0,
                      bytes([10, 0, 0, 2]), bytes([10, 0, 0, 1]))
    s = sum(struct.unpack('>10H', hdr))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return hdr[:10] + struct.pack('>H', ~s & 0xffff) + hdr[12:] + udp


class ModemTest(unittest.TestCase):
    """Against the image in L4E_IMAGE; with L4E_CHAOS=1 (the fault-injection build) RRC
    faults once after connecting and is restarted while the stack runs on."""

    def setUp(self):
        self.cell = c.Cell(os.environ['L4E_IMAGE'], os.environ.get('L4E_QEMU',
                                                                   'qemu-system-arm'),
                           timeout=TIMEOUT)
        self.sf = 0
        self.transcript = []

    def tearDown(self):
        self.cell.kill()

    def subframe(self, items=()):
        """One DL subframe; returns the UL items of its answer (DONE checked and dropped)."""
        self.cell.send(c.DL, self.sf, list(items))
        kind, _, sf, ul = self.cell.recv()
        self.transcript.append((kind, sf, ul))
        self.assertEqual((kind, sf), (c.UL, self.sf))
        self.assertEqual(ul[-1][0], c.I_DONE)
        done_sf, wake, ap_tx, cycles = struct.unpack('<4I', ul[-1][1])
        self.assertEqual(done_sf, self.sf)
        self.assertGreater(wake, self.sf)
        self.assertGreater(cycles, 0)
        self.check_task_cycles(ul, cycles)
        self.cell.collect_host(ap_tx)
        self.sf += 1
        return ul[:-1]

    def check_task_cycles(self, ul, cycles):
        """DONE's cycles by task, just before it: the radio and the MAC ran, and the rows add
        up to DONE's figure plus the cost of reading them (in the radio's row)."""
        self.assertEqual(ul[-2][0], c.I_TASK_CYCLES)
        body = ul[-2][1]
        rows = {body[i:i + 16].rstrip(b'\0').decode(): struct.unpack_from('<I', body, i + 16)[0]
                for i in range(0, len(body), 20)}
        self.assertIn('radio', rows)
        self.assertIn('mac', rows)
        self.assertTrue(all(v > 0 for v in rows.values()), rows)
        self.assertGreaterEqual(sum(rows.values()), cycles)
        self.assertLess(sum(rows.values()) - cycles, 4000, rows)

    def connect(self):
        """HELLO, CONFIG, random access; returns the subframes it took."""
        kind, seq, _, items = self.cell.recv()
        self.assertEqual((kind, seq), (c.HELLO, 0))
        self.assertEqual(items[0][0], c.I_HELLO)
        self.cell.send(c.CONFIG, 0, c.default_config())
        kind, _, _, items = self.cell.recv()
        self.assertEqual(kind, c.IDLE)
        prach = None
        for _ in range(5):
            ul = self.subframe()
            prach = [b for t, b in ul if t == c.I_PRACH]
            if prach:
                break
        self.assertTrue(prach, 'no random access preamble')
        preamble, _, ra_rnti = struct.unpack('<BBH', prach[0])
        # RAR and the Msg3 grant for the TC-RNTI in the same subframe.
        ul = self.subframe([c.tb_item(c.I_DL_TB, ra_rnti, 0, 0, rar(preamble, TC_RNTI)),
                            (c.I_UL_GRANT, struct.pack('<HBBHH', TC_RNTI, 0, 1, 24, 0))])
        msg3 = [c.ul_tb(b) for t, b in ul if t == c.I_UL_TB]
        self.assertEqual(len(msg3), 1, ul)
        rnti, pid, tb, ok = msg3[0]
        self.assertEqual((rnti, pid, len(tb), ok), (TC_RNTI, 0, 24, True))
        ccch = [s for lcid, s in c.mac_sdus(tb) if lcid == 0]
        self.assertEqual(len(ccch), 1)
        self.assertEqual(len(ccch[0]), 6)
        self.assertEqual(ccch[0][0] >> 4, 0x5)  # c1, rrcConnectionRequest, -r8, randomValue
        # Msg4: the UE Contention Resolution Identity CE echoes the CCCH SDU.
        ul = self.subframe([c.tb_item(c.I_DL_TB, TC_RNTI, 1, 1, bytes([0x1c]) + ccch[0])])
        self.assertIn((c.I_HARQ_ACK, bytes([1, 1, 0, 0])), ul)
        return ccch[0]

    def test_random_access_harq_and_uplink_data(self):
        self.connect()
        # DL HARQ: the firmware's CRC24A decides. A corrupted TB is NACKed, its
        # retransmission (same NDI) ACKed; an empty MAC PDU (padding) is fine.
        pdu = bytes([0x1f]) + bytes(30)
        ul = self.subframe([c.tb_item(c.I_DL_TB, TC_RNTI, 2, 1, pdu, corrupt=True)])
        self.assertIn((c.I_HARQ_ACK, bytes([2, 0, 0, 0])), ul)
        ul = self.subframe([c.tb_item(c.I_DL_TB, TC_RNTI, 2, 1, pdu)])
        self.assertIn((c.I_HARQ_ACK, bytes([2, 1, 0, 0])), ul)
        # TBs for other RNTIs are not this UE's: no HARQ answer.
        ul = self.subframe([c.tb_item(c.I_DL_TB, 0x1234, 3, 1, pdu)])
        self.assertEqual([t for t, _ in ul if t == c.I_HARQ_ACK], [])
        # Uplink data from the application processor: answered by IDLE, then an SR.
        self.cell.send_host([(1, ipv4_udp(i)) for i in range(3)])
        kind, _, _, items = self.cell.recv()
        self.assertEqual(kind, c.IDLE)
        srs = 0
        for _ in range(12):
            srs += sum(1 for t, _ in self.subframe() if t == c.I_SR)
        self.assertGreater(srs, 0, 'no scheduling request for the uplink data')
        # A grant: the TB carries RLC PDUs of the DRB (LCID 3) and a BSR.
        ul = self.subframe([(c.I_UL_GRANT, struct.pack('<HBBHH', TC_RNTI, 1, 1, 400, 0))])
        tbs = [c.ul_tb(b) for t, b in ul if t == c.I_UL_TB]
        self.assertEqual(len(tbs), 1)
        self.assertTrue(tbs[0][3])
        lcids = [lcid for lcid, _ in c.mac_sdus(tbs[0][2])]
        self.assertIn(3, lcids)
        status, console = self.cell.finish()
        self.console = console
        self.assertEqual(status, 0, console[-3000:])
        self.assertIn('mac: random access done, C-RNTI 17921', console)
        self.assertRegex(console, r'(?m)^supervisor: cycles since boot')
        self.assertRegex(console, r'(?m)^  radio/rx +\d+ +\d+\.\d%$')

    def at(self, line):
        """An AT command on the host link: the lines of the AP_MSG_AT_RSP it gets back."""
        self.cell.send_at(line)
        kind, _, _, items = self.cell.recv()
        self.assertEqual(kind, c.IDLE)
        _, ap_tx = struct.unpack('<II', items[0][1])
        before = len(self.cell.host_rx)
        self.cell.collect_host(ap_tx)
        lines = []
        for magic, kind, _, _, its in self.cell.host_rx[before:]:
            self.assertEqual((magic, kind), (c.AP, c.AP_AT_RSP))
            lines += [b.decode() for t, b in its if t == c.AP_AT]
        return lines

    def test_at_commands_and_sim(self):
        """TS 27.007 over the host link; the SIM goes to the USIM task (K stays there)."""
        self.connect()
        self.assertEqual(self.at('AT'), ['OK'])
        self.assertEqual(self.at('ATI'), ['l4e modem', 'OK'])
        self.assertEqual(self.at('AT+CMEE=2'), ['OK'])
        self.assertEqual(self.at('AT+CFUN=1'), ['+CME ERROR: SIM not inserted'])
        k = bytes.fromhex('465b5ce8b199b49faa5f0a2ee238a6bc')
        opc = bytes.fromhex('cd63cb71954a9f4e48a5994e37a02baf')
        self.cell.send_sim('001010000000001', k, opc, 0x20)
        kind, _, _, _ = self.cell.recv()
        self.assertEqual(kind, c.IDLE)
        self.assertEqual(self.at('AT+CFUN=1'), ['OK'])
        self.assertEqual(self.at('AT+CFUN?'), ['+CFUN: 1', 'OK'])
        self.assertEqual(self.at('AT+CFUN=0'), ['+CME ERROR: operation not supported'])
        self.assertEqual(self.at('AT+CEREG?'), ['+CEREG: 0,0', 'OK'])
        # Every DL TB so far (the RAR, Msg4) passed its CRC check: the best level.
        self.assertEqual(self.at('AT+CSQ'), ['+CSQ: 31,99', 'OK'])
        # One corrupted TB of three: 2 * 31 / 3.
        self.subframe([c.tb_item(c.I_DL_TB, TC_RNTI, 2, 1, bytes([0x1f]) + bytes(30),
                                 corrupt=True)])
        self.assertEqual(self.at('AT+CSQ'), ['+CSQ: 20,99', 'OK'])
        self.assertEqual(self.at('AT+CGDCONT=1,"IP","internet"'), ['OK'])
        self.assertEqual(self.at('AT+CGPADDR=1'), ['+CGPADDR: 1', 'OK'])
        self.assertEqual(self.at('AT+COPS?'), ['ERROR'])
        # A subframe still runs after all that.
        self.subframe()
        status, console = self.cell.finish()
        self.assertEqual(status, 0, console[-3000:])
        self.assertIn('usim: card inserted, IMSI digits 15', console)
        self.assertNotIn('465b5ce8', console.lower())

    def test_bad_messages_refused_and_lockstep_continues(self):
        self.connect()
        seq = self.cell.seq['rl']
        # Garbage, a wrong version, and a message from the future: each refused and answered.
        for bad in (b'\x00' * 20,
                    c.message(c.RL, c.DL, seq, self.sf, [])[:2] + b'\x09' +
                    c.message(c.RL, c.DL, seq, self.sf, [])[3:],
                    c.message(c.RL, c.DL, seq + 5, self.sf, [])):
            self.cell.send_raw(bad)
            kind, _, _, items = self.cell.recv()
            self.assertEqual(kind, c.IDLE)
        self.subframe()  # the right sequence number still works
        status, console = self.cell.finish()
        self.assertEqual(status, 0, console[-3000:])
        self.assertEqual(len(re.findall(r'radio: message refused', console)), 3, console)


if __name__ == '__main__':
    unittest.main()
