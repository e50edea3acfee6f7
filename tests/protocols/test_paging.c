/* SPDX-License-Identifier: BSD-2-Clause */
/* Idle-mode paging: UE_ID, paging frames and occasions (TS 36.304 §7) worked by hand, the
 * PCCH Paging message (TS 36.331 §6.2.2) byte by byte and decoded by Wireshark. */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "tshark.h"

#include "l2/paging.h"
#include "l2/pcap.h"

#ifndef PAGING_CAPTURE_PATH
#define PAGING_CAPTURE_PATH "build/captures/paging.pcap"
#endif

/* UE_ID = IMSI mod 1024: 001010123456789 = 1010123456789 = 986,447,125 * 1024 + 277. */
static void paging_ts36304_7_1_ue_id(void)
{
	uint16_t id = 0;

	CU_ASSERT_EQUAL(paging_ue_id("001010123456789", &id), 0);
	CU_ASSERT_EQUAL(id, 277);
	CU_ASSERT_EQUAL(paging_ue_id("001010000000001", &id), 0);
	CU_ASSERT_EQUAL(id, 1);
	CU_ASSERT_EQUAL(paging_ue_id("001023", &id), 0); /* 1023 */
	CU_ASSERT_EQUAL(id, 1023);
	CU_ASSERT_EQUAL(paging_ue_id("001024", &id), 0); /* 1024 mod 1024 */
	CU_ASSERT_EQUAL(id, 0);
	CU_ASSERT_EQUAL(paging_ue_id("12345", &id), L2_EINVAL);		   /* 5 digits */
	CU_ASSERT_EQUAL(paging_ue_id("1234567890123456", &id), L2_EINVAL); /* 16 digits */
	CU_ASSERT_EQUAL(paging_ue_id("00101x", &id), L2_EINVAL);
}

/*
 * PF: SFN mod T = (T div N) * (UE_ID mod N), N = min(T, nB); i_s = floor(UE_ID / N) mod Ns,
 * Ns = max(1, nB / T); the subframe from §7.2's FDD table (Ns 1: 9; 2: 4, 9; 4: 0, 4, 5, 9).
 */
static void paging_ts36304_7_occasions_by_hand(void)
{
	static const struct {
		uint16_t t, nb, ue_id, pf;
		uint8_t sf;
	} c[] = {
		/* T = nB = 128: N 128, Ns 1; PF = UE_ID mod 128 = 277 - 256 = 21; subframe 9. */
		{128, 128, 277, 21, 9},
		/* T 32, nB 4T = 128: N 32, Ns 4; PF = 100 mod 32 = 4; i_s = 3 mod 4 = 3: 9. */
		{32, 128, 100, 4, 9},
		/* ... UE_ID 70: PF 6, i_s = 2: subframe 5; UE_ID 40: PF 8, i_s 1: 4; 20: 20, 0: 0. */
		{32, 128, 70, 6, 5},
		{32, 128, 40, 8, 4},
		{32, 128, 20, 20, 0},
		/* T 256, nB T/32 = 8: N 8, Ns 1; PF = 32 * (1023 mod 8) = 224; subframe 9. */
		{256, 8, 1023, 224, 9},
		/* T 64, nB 2T: N 64, Ns 2; UE_ID 77: PF 13, i_s 1: 9; UE_ID 10: PF 10, i_s 0: 4. */
		{64, 128, 77, 13, 9},
		{64, 128, 10, 10, 4},
		/* T 128, nB T/2 = 64: N 64; PF = 2 * (277 mod 64) = 2 * 21 = 42. */
		{128, 64, 277, 42, 9},
	};
	unsigned i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct paging_config cfg = {.t = c[i].t, .nb = c[i].nb, .ue_id = c[i].ue_id};
		struct paging_occasion po;

		CU_ASSERT_EQUAL_FATAL(paging_occasion(&cfg, &po), 0);
		CU_ASSERT_EQUAL(po.pf, c[i].pf);
		CU_ASSERT_EQUAL(po.subframe, c[i].sf);
	}
}

static void paging_ts36304_7_bad_config(void)
{
	struct paging_occasion po;

	CU_ASSERT_EQUAL(paging_occasion(&(struct paging_config){.t = 100, .nb = 100}, &po),
			L2_EINVAL);
	CU_ASSERT_EQUAL(paging_occasion(&(struct paging_config){.t = 128, .nb = 96}, &po),
			L2_EINVAL);
	CU_ASSERT_EQUAL(paging_occasion(&(struct paging_config){.t = 32, .nb = 256}, &po),
			L2_EINVAL); /* 8T */
	CU_ASSERT_EQUAL(
		paging_occasion(&(struct paging_config){.t = 32, .nb = 32, .ue_id = 1024}, &po),
		L2_EINVAL);
}

/* T 32, nB T, UE_ID 5: frame 5 of every 32, subframe 9: subframes 59, 379, 699, ...; and
 * across the SFN wrap (frame 1024 is SFN 0 again, 1024 being a multiple of T). */
static void paging_next_occasion(void)
{
	struct paging_config c = {.t = 32, .nb = 32, .ue_id = 5};

	CU_ASSERT_EQUAL(paging_next(&c, 0), 59);
	CU_ASSERT_EQUAL(paging_next(&c, 59), 59);
	CU_ASSERT_EQUAL(paging_next(&c, 60), 379);
	CU_ASSERT_EQUAL(paging_next(&c, 380), 699);
	/* Frame 1021 = 31 * 32 + 29: the next PF is frame 1029 = SFN 5 after the wrap. */
	CU_ASSERT_EQUAL(paging_next(&c, 10210), 10299);
	c = (struct paging_config){.t = 32, .nb = 128, .ue_id = 70}; /* PF 6, subframe 5 */
	CU_ASSERT_EQUAL(paging_next(&c, 66), 385);
	CU_ASSERT_EQUAL(paging_next(&c, 65), 65);
}

/*
 * One record, S-TMSI (mmec 0x12, m-TMSI 0xc0de1234), cn-Domain ps: c1 (0), Paging's four
 * presence bits (1000), SIZE 1 (0000), the record's and the identity's extension bits and
 * the s-TMSI choice (000), mmec (8), m-TMSI (32), ps (0), three padding bits: 53 + 3 bits,
 *   0100 0000 | 0000 0001 | 0010 1100 | 0000 1101 | 1110 0001 | 0010 0011 | 0100 0000.
 * Two records (IMSI 001010123456789 cs, then S-TMSI 01/00000002 ps) with
 * systemInfoModification: 0 1100 0001, 001 1001 and 15 digits, 1, 000 0x01 0x00000002 0.
 */
static const uint8_t one_rec[] = {0x40, 0x01, 0x2c, 0x0d, 0xe1, 0x23, 0x40};
static const uint8_t two_rec[] = {0x60, 0x99, 0x00, 0x10, 0x10, 0x12, 0x34, 0x56,
				  0x78, 0x98, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00};

static void two_records(struct paging_msg *m)
{
	static const uint8_t digits[] = {0, 0, 1, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

	memset(m, 0, sizeof(*m));
	m->n = 2;
	m->si_modification = true;
	m->rec[0].is_imsi = true;
	m->rec[0].n_digits = 15;
	memcpy(m->rec[0].digits, digits, 15);
	m->rec[0].cs = true;
	m->rec[1].mmec = 1;
	m->rec[1].m_tmsi = 2;
}

static void paging_ts36331_encode_decode_bytes(void)
{
	struct paging_msg m = {.n = 1}, d;
	uint8_t out[64];
	int n;

	m.rec[0].mmec = 0x12;
	m.rec[0].m_tmsi = 0xc0de1234;
	n = paging_encode(&m, out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(n, (int)sizeof(one_rec));
	CU_ASSERT_EQUAL(memcmp(out, one_rec, sizeof(one_rec)), 0);
	CU_ASSERT_EQUAL_FATAL(paging_decode(out, (uint32_t)n, &d), 0);
	CU_ASSERT_EQUAL(memcmp(&d, &m, sizeof(m)), 0);
	CU_ASSERT_TRUE(paging_has_s_tmsi(&d, 0x12, 0xc0de1234));
	CU_ASSERT_FALSE(paging_has_s_tmsi(&d, 0x12, 0xc0de1235));
	two_records(&m);
	n = paging_encode(&m, out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(n, (int)sizeof(two_rec));
	CU_ASSERT_EQUAL(memcmp(out, two_rec, sizeof(two_rec)), 0);
	CU_ASSERT_EQUAL_FATAL(paging_decode(out, (uint32_t)n, &d), 0);
	CU_ASSERT_EQUAL(memcmp(&d, &m, sizeof(m)), 0);
	CU_ASSERT_TRUE(paging_has_s_tmsi(&d, 1, 2));
	/* Out of range: 17 records, an IMSI of 5 digits, a digit of 10; no room. */
	m.n = 17;
	CU_ASSERT_EQUAL(paging_encode(&m, out, sizeof(out)), L2_EINVAL);
	two_records(&m);
	m.rec[0].n_digits = 5;
	CU_ASSERT_EQUAL(paging_encode(&m, out, sizeof(out)), L2_EINVAL);
	two_records(&m);
	m.rec[0].digits[3] = 10;
	CU_ASSERT_EQUAL(paging_encode(&m, out, sizeof(out)), L2_EINVAL);
	two_records(&m);
	CU_ASSERT_EQUAL(paging_encode(&m, out, 8), L2_EMSGSIZE);
}

/* Every prefix refused, bytes left over refused, nonzero padding refused, the extensions
 * unsupported, every single-bit flip decoded or refused without reading past the end. */
static void paging_decode_refuses(void)
{
	uint8_t b[sizeof(two_rec) + 1];
	struct paging_msg d;
	unsigned k;

	for (k = 0; k < sizeof(one_rec); k++)
		CU_ASSERT_EQUAL(paging_decode(one_rec, k, &d), L2_EPROTO);
	memcpy(b, one_rec, sizeof(one_rec));
	b[sizeof(one_rec)] = 0;
	CU_ASSERT_EQUAL(paging_decode(b, sizeof(one_rec) + 1, &d), L2_EPROTO);
	b[sizeof(one_rec) - 1] |= 1; /* a padding bit */
	CU_ASSERT_EQUAL(paging_decode(b, sizeof(one_rec), &d), L2_EPROTO);
	b[0] = 0x80; /* messageClassExtension */
	CU_ASSERT_EQUAL(paging_decode(b, sizeof(one_rec), &d), L2_ENOTSUP);
	memcpy(b, one_rec, sizeof(one_rec));
	b[0] |= 0x08; /* nonCriticalExtension */
	CU_ASSERT_EQUAL(paging_decode(b, sizeof(one_rec), &d), L2_ENOTSUP);
	memcpy(b, one_rec, sizeof(one_rec));
	b[1] |= 0x40; /* PagingRecord's extension bit */
	CU_ASSERT_EQUAL(paging_decode(b, sizeof(one_rec), &d), L2_ENOTSUP);
	for (k = 0; k < sizeof(two_rec) * 8; k++) {
		int err;

		memcpy(b, two_rec, sizeof(two_rec));
		b[k / 8] ^= (uint8_t)(0x80 >> k % 8);
		err = paging_decode(b, sizeof(two_rec), &d);
		CU_ASSERT(err == 0 || err == L2_EPROTO || err == L2_ENOTSUP);
	}
}

/* Both messages as PCCH in a pcap, decoded by Wireshark's lte-rrc dissector. */
static void paging_tshark_decodes(void)
{
	static const char *const fields[] = {"lte-rrc.mmec", "lte-rrc.m_TMSI", "lte-rrc.IMSI_Digit",
					     "lte-rrc.cn_Domain", "lte-rrc.systemInfoModification"};
	static char out[1 << 14];
	char args[1024], line[4096];
	struct paging_msg m;
	uint8_t buf[64];
	int n;
	struct pcap_writer w;
	struct pcap_sink sink;
	unsigned bad = 0;
	FILE *f = tshark_capture_open(PAGING_CAPTURE_PATH);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	sink.ctx = f;
	sink.write = tshark_file_write;
	CU_ASSERT_EQUAL_FATAL(pcap_open(&w, &sink, PCAP_EXPORTED_PDU), 0);
	CU_ASSERT_EQUAL(pcap_write_pdu(&w, 0, "lte-rrc.pcch", one_rec, sizeof(one_rec)), 0);
	/* systemInfoModification is Wireshark's expert warning ("SIBs changing"), which the
	 * check counts as a problem: the two records without it here. */
	two_records(&m);
	m.si_modification = false;
	n = paging_encode(&m, buf, sizeof(buf));
	CU_ASSERT_FATAL(n > 0);
	CU_ASSERT_EQUAL(pcap_write_pdu(&w, 1000, "lte-rrc.pcch", buf, (uint32_t)n), 0);
	fclose(f);
	tshark_fields_args(fields, 5, args, sizeof(args));
	tshark_run(PAGING_CAPTURE_PATH, args, out, sizeof(out));
	bad += (unsigned)tshark_check_columns(tshark_line(out, 0, line, sizeof(line)), fields, 5,
					      "0=12;1=c0de1234;2=;3=0;4=", "one record");
	bad += (unsigned)tshark_check_columns(tshark_line(out, 1, line, sizeof(line)), fields, 5,
					      "0=01;1=00000002;2=0,0,1,0,1,0,1,2,3,4,5,6,7,8,9;"
					      "3=1,0;4=",
					      "two records");
	CU_ASSERT_EQUAL(bad, 0);
}

TEST_SUITE(paging, TEST_CASE(paging_ts36304_7_1_ue_id),
	   TEST_CASE(paging_ts36304_7_occasions_by_hand), TEST_CASE(paging_ts36304_7_bad_config),
	   TEST_CASE(paging_next_occasion), TEST_CASE(paging_ts36331_encode_decode_bytes),
	   TEST_CASE(paging_decode_refuses), TEST_CASE(paging_tshark_decodes))
