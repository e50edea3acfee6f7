/* SPDX-License-Identifier: BSD-2-Clause */
/* RRC UPER codec (TS 36.331 Rel-8 subset, X.691 unaligned): hand-checked bits, round trips, tshark. */
#define _POSIX_C_SOURCE 200809L
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "hex.h"
#include "l2/pcap.h"
#include "l3/rrc.h"
#include "per.h"
#include "rrc_fixtures.h"
#include "tshark.h"

#ifndef RRC_CAPTURE_PATH
#define RRC_CAPTURE_PATH "build/captures/rrc_messages.pcap"
#endif

static struct rrc_ue_eutra_cap cap;
static uint8_t cap_buf[256], scratch[4096];

/* Every fixture: encode, decode, encode again gives the same octets. */
static void rrc_ts36331_roundtrip_every_message(void)
{
	uint8_t a[2048], b[2048];
	struct rrc_msg m, d;
	int i, n, k;

	for (i = 0; rrc_fixture(i, &m, &cap, cap_buf, sizeof(cap_buf)); i++) {
		n = rrc_encode(&m, a, sizeof(a));
		CU_ASSERT_FATAL(n > 0);
		CU_ASSERT_EQUAL(rrc_decode(rrc_msg_channel(m.type), a, (size_t)n, &d, scratch,
					   sizeof(scratch)),
				0);
		CU_ASSERT_EQUAL(d.type, m.type);
		CU_ASSERT_EQUAL(d.transaction_id, m.transaction_id);
		k = rrc_encode(&d, b, sizeof(b));
		if (k != n || memcmp(a, b, (size_t)n)) {
			fprintf(stderr, "%s does not round-trip\n", rrc_msg_name(m.type));
			CU_FAIL("round trip");
		}
	}
	CU_ASSERT_EQUAL(i, RRC_MSG_TYPES);
	/* The UE capability container decodes to what was encoded. */
	{
		struct rrc_ue_eutra_cap u;
		int len = rrc_ue_cap_encode(&cap, a, sizeof(a));

		CU_ASSERT_EQUAL(rrc_ue_cap_decode(a, (size_t)len, &u), 0);
		CU_ASSERT_EQUAL(u.category, 4);
		CU_ASSERT_EQUAL(u.n_bands, 2);
		CU_ASSERT_EQUAL(u.band[1], 3);
		CU_ASSERT(u.need_gaps[0][1] && !u.need_gaps[0][0]);
		CU_ASSERT_EQUAL(u.fgi, 0x7f0c1880);
	}
}

/*
 * Bits worked out by hand from the ASN.1 (TS 36.331 §6.2) and X.691's unaligned rules:
 * RRCConnectionRequest with an S-TMSI: c1 0, rrcConnectionRequest 1, r8 0, s-TMSI 0, MMEC
 * 0x1a, M-TMSI 0xc0de1234, mo-Signalling 011, spare 0 = 48 bits. MIB: n25 010, normal 0,
 * one 10, SFN 0x5a, 10 spare bits. SecurityModeCommand: c1 0, 0110, transaction 10, c1 0,
 * r8 00, no extension 0, SecurityConfigSMC 0, eea2 0 010, eia2 0 010, padding.
 */
static void rrc_ts36331_hand_checked_bits(void)
{
	uint8_t buf[64], want[64];
	struct rrc_msg m;
	size_t n;
	int len;

	rrc_fixture(3, &m, &cap, cap_buf, sizeof(cap_buf));
	len = rrc_encode(&m, buf, sizeof(buf));
	n = hex_decode("41 ac 0d e1 23 46", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);
	rrc_fixture(0, &m, &cap, cap_buf, sizeof(cap_buf));
	len = rrc_encode(&m, buf, sizeof(buf));
	n = hex_decode("49 68 00", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);
	rrc_fixture(16, &m, &cap, cap_buf, sizeof(cap_buf));
	len = rrc_encode(&m, buf, sizeof(buf));
	n = hex_decode("34 02 20", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);
	/* RRCConnectionReject: c1 0, reject 10, c1 0, r8 00, no NCE 0, waitTime 10 - 1 = 1001. */
	rrc_fixture(6, &m, &cap, cap_buf, sizeof(cap_buf));
	len = rrc_encode(&m, buf, sizeof(buf));
	n = hex_decode("41 20", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);
	/* RRCConnectionReconfigurationComplete: c1 0, 0010, transaction 01, r8 0, no NCE 0. */
	rrc_fixture(13, &m, &cap, cap_buf, sizeof(cap_buf));
	len = rrc_encode(&m, buf, sizeof(buf));
	n = hex_decode("12 00", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);
}

static const char *const rrc_fields[] = {
	"lte-rrc.dl_Bandwidth",
	"lte-rrc.systemFrameNumber",
	"lte-rrc.phich_Resource",
	"lte-rrc.trackingAreaCode",
	"lte-rrc.cellIdentity",
	"lte-rrc.freqBandIndicator",
	"lte-rrc.q_RxLevMin",
	"lte-rrc.systemInfoValueTag",
	"lte-rrc.numberOfRA_Preambles",
	"lte-rrc.rootSequenceIndex",
	"lte-rrc.p0_NominalPUSCH",
	"lte-rrc.t300",
	"lte-rrc.t311",
	"lte-rrc.mmec",
	"lte-rrc.m_TMSI",
	"lte-rrc.establishmentCause",
	"lte-rrc.c_RNTI",
	"lte-rrc.physCellId",
	"lte-rrc.shortMAC_I",
	"lte-rrc.reestablishmentCause",
	"lte-rrc.srb_Identity",
	"lte-rrc.t_PollRetransmit",
	"lte-rrc.maxHARQ_Tx",
	"lte-rrc.waitTime",
	"lte-rrc.nextHopChainingCount",
	"lte-rrc.selectedPLMN_Identity",
	"lte-rrc.mmegi",
	"lte-rrc.cipheringAlgorithm",
	"lte-rrc.integrityProtAlgorithm",
	"lte-rrc.ue_Category",
	"lte-rrc.bandEUTRA",
	"lte-rrc.eps_BearerIdentity",
	"lte-rrc.drb_Identity",
	"lte-rrc.logicalChannelIdentity",
	"lte-rrc.onDurationTimer",
	"lte-rrc.sf320",
	"lte-rrc.releaseCause",
	"lte-rrc.eutra",
	"lte-rrc.rrc_TransactionIdentifier",
	"nas_eps.nas_msg_emm_type",
	"lte-rrc.featureGroupIndicators",
	"lte-rrc.MCC_MNC_Digit",
	"lte-rrc.rat_Type",
	"lte-rrc.discardTimer",
	"lte-rrc.timeAlignmentTimerCommon",
};

#define RRC_NF (unsigned)(sizeof(rrc_fields) / sizeof(rrc_fields[0]))

/* Per fixture: the values Wireshark must show (column=value). */
static const char *const rrc_expect[] = {
	"0=2;1=5a;2=2",
	"3=0007;4=0019b010;5=7;6=-65;7=3;41=0,0,1,0,1",
	"8=12;9=128;10=-85;11=3;12=2;44=7",
	"13=1a;14=c0de1234;15=3",
	"16=4601;17=1;18=beef;19=2",
	"20=1,2;21=8;22=4;38=0",
	"23=10",
	"20=1;21=8;22=4;24=2;38=1",
	"38=",
	"13=1a;25=1;26=8001;38=0;39=0x41;41=0,0,1,0,1",
	"38=2",
	"38=2",
	"29=4;30=7,3,7,7,3,3;38=3;40=7f0c1880;42=0",
	"38=1",
	"39=0x41",
	"38=1",
	"27=2;28=2;38=2",
	"38=3",
	"21=19;31=5;32=1;33=3;34=7;35=123;38=1;39=0x41;43=7",
	"38=0;39=0x55",
	"36=1;37=3100;38=0",
};

/*
 * Every message in a pcap (exported PDU naming the lte-rrc message class) decoded by
 * Wireshark's lte-rrc dissector (its ASN.1 is TS 36.331 of a later release: the Rel-8
 * encodings must read the same there): values field by field, nothing malformed.
 */
static void rrc_tshark_decodes_every_message_field_by_field(void)
{
	static char out[1 << 16];
	char args[4096], line[4096], what[96];
	uint8_t buf[2048];
	struct pcap_writer w;
	struct pcap_sink sink;
	struct rrc_msg m;
	unsigned bad = 0;
	FILE *f;
	int i, n;

	f = tshark_capture_open(RRC_CAPTURE_PATH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	sink.ctx = f;
	sink.write = tshark_file_write;
	CU_ASSERT_EQUAL_FATAL(pcap_open(&w, &sink, PCAP_EXPORTED_PDU), 0);
	for (i = 0; rrc_fixture(i, &m, &cap, cap_buf, sizeof(cap_buf)); i++) {
		n = rrc_encode(&m, buf, sizeof(buf));
		CU_ASSERT_FATAL(n > 0);
		CU_ASSERT_EQUAL(pcap_write_pdu(&w, (uint64_t)i * 1000,
					       rrc_dissector(rrc_msg_channel(m.type)), buf,
					       (uint32_t)n),
				0);
	}
	fclose(f);
	tshark_fields_args(rrc_fields, RRC_NF, args, sizeof(args));
	tshark_run(RRC_CAPTURE_PATH, args, out, sizeof(out));
	for (i = 0; rrc_fixture(i, &m, &cap, cap_buf, sizeof(cap_buf)); i++) {
		snprintf(what, sizeof(what), "frame %d (%s)", i + 1, rrc_msg_name(m.type));
		bad += (unsigned)tshark_check_columns(
			tshark_line(out, (unsigned)i, line, sizeof(line)), rrc_fields, RRC_NF,
			rrc_expect[i], what);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* Every prefix of every message and every single-bit flip: decoded or refused, never more. */
static void rrc_truncated_and_flipped_messages(void)
{
	uint8_t buf[2048];
	struct rrc_msg m, d;
	unsigned refused = 0, total = 0;
	int i, n, k;

	for (i = 0; rrc_fixture(i, &m, &cap, cap_buf, sizeof(cap_buf)); i++) {
		enum rrc_channel ch = rrc_msg_channel(m.type);

		n = rrc_encode(&m, buf, sizeof(buf));
		for (k = 0; k < n; k++) {
			uint8_t *copy = malloc((size_t)k + 1);
			int err;

			memcpy(copy, buf, (size_t)k);
			err = rrc_decode(ch, copy, (size_t)k, &d, scratch, sizeof(scratch));
			CU_ASSERT(err == 0 || err == L2_EPROTO || err == L2_ENOTSUP);
			refused += err != 0;
			total++;
			free(copy);
		}
		for (k = 0; k < n * 8; k++) {
			int err;

			buf[k / 8] ^= (uint8_t)(0x80 >> k % 8);
			err = rrc_decode(ch, buf, (size_t)n, &d, scratch, sizeof(scratch));
			CU_ASSERT(err == 0 || err == L2_EPROTO || err == L2_ENOTSUP ||
				  err == L2_EMSGSIZE);
			buf[k / 8] ^= (uint8_t)(0x80 >> k % 8);
		}
	}
	CU_ASSERT(refused > total / 2);
}

/*
 * Outside the subset is L2_ENOTSUP, not a wrong value: another message of a channel,
 * messageClassExtension, a critical extension, an IE the subset does not hold (measConfig,
 * physicalConfigDedicated), an extension value of an ENUMERATED.
 */
static void rrc_ts36331_outside_subset_is_unsupported(void)
{
	uint8_t buf[64];
	struct rrc_msg m, d;
	int n;

	/* DL-DCCH c1 0 = csfbParametersResponseCDMA2000. */
	CU_ASSERT_EQUAL(rrc_decode(RRC_DL_DCCH, (const uint8_t *)"\x00\x00", 2, &d, scratch,
				   sizeof(scratch)),
			L2_ENOTSUP);
	/* messageClassExtension. */
	CU_ASSERT_EQUAL(rrc_decode(RRC_UL_CCCH, (const uint8_t *)"\x80\x00", 2, &d, scratch,
				   sizeof(scratch)),
			L2_ENOTSUP);
	/* RRCConnectionRequest with criticalExtensionsFuture. */
	CU_ASSERT_EQUAL(rrc_decode(RRC_UL_CCCH, (const uint8_t *)"\x60\x00\x00\x00\x00\x00", 6, &d,
				   scratch, sizeof(scratch)),
			L2_ENOTSUP);
	/* RRCConnectionReconfiguration with measConfig present: c1 0 0100, tid 01, r8, bit. */
	rrc_fixture(18, &m, &cap, cap_buf, sizeof(cap_buf));
	n = rrc_encode(&m, buf, sizeof(buf));
	buf[1] |= 0x08; /* bits: 0 0100 01 0 000 | measConfig is bit 11 */
	CU_ASSERT_EQUAL(rrc_decode(RRC_DL_DCCH, buf, (size_t)n, &d, scratch, sizeof(scratch)),
			L2_ENOTSUP);
	/* SecurityModeCommand with an extension value of cipheringAlgorithm. */
	rrc_fixture(16, &m, &cap, cap_buf, sizeof(cap_buf));
	n = rrc_encode(&m, buf, sizeof(buf));
	buf[1] |= 0x08; /* the eea extension bit follows SecurityConfigSMC's extension bit */
	CU_ASSERT_EQUAL(rrc_decode(RRC_DL_DCCH, buf, (size_t)n, &d, scratch, sizeof(scratch)),
			L2_ENOTSUP);
	/* A non-critical extension present is ignored: the Rel-8 fields still decode. */
	rrc_fixture(6, &m, &cap, cap_buf, sizeof(cap_buf));
	n = rrc_encode(&m, buf, sizeof(buf));
	buf[0] |= 0x01; /* 0 10 0 00 | nonCriticalExtension */
	CU_ASSERT_EQUAL(rrc_decode(RRC_DL_CCCH, buf, (size_t)n, &d, scratch, sizeof(scratch)), 0);
	CU_ASSERT_EQUAL(d.u.reject.wait_time, 10);
	/* Encoding refuses out-of-range values and short buffers. */
	m.u.reject.wait_time = 17;
	CU_ASSERT_EQUAL(rrc_encode(&m, buf, sizeof(buf)), L2_EINVAL);
	rrc_fixture(18, &m, &cap, cap_buf, sizeof(cap_buf));
	CU_ASSERT_EQUAL(rrc_encode(&m, buf, 10), L2_EMSGSIZE);
	/* An OCTET STRING longer than the scratch space is refused, not truncated. */
	n = rrc_encode(&m, buf, sizeof(buf));
	CU_ASSERT_EQUAL(rrc_decode(RRC_DL_DCCH, buf, (size_t)n, &d, scratch, 4), L2_EMSGSIZE);
}

/*
 * X.691 §19.7-9: extension additions of an extensible SEQUENCE follow the root as a bitmap
 * and open types; a Rel-8 reader skips them and goes on with the enclosing structure.
 */
static void per_x691_extension_additions_skipped(void)
{
	uint8_t buf[32];
	struct per_wr w;
	struct per_rd r;

	per_wr_init(&w, buf, sizeof(buf));
	per_put_bool(&w, true);	  /* extension bit */
	per_put_int(&w, 5, 0, 7); /* a root component */
	per_put_nsnn(&w, 2);	  /* three additions known to the writer */
	per_put_bits(&w, 0x5, 3); /* 101: first and third present */
	per_put_octets(&w, (const uint8_t *)"\xaa\xbb", 2);
	per_put_octets(&w, (const uint8_t *)"\xcc", 1);
	per_put_int(&w, 300, 0, 1023); /* what follows the SEQUENCE */
	CU_ASSERT_EQUAL(w.err, 0);
	per_rd_init(&r, buf, per_wr_finish(&w));
	CU_ASSERT(per_get_bool(&r));
	CU_ASSERT_EQUAL(per_get_int(&r, 0, 7), 5);
	CU_ASSERT_EQUAL(per_skip_extensions(&r), 2);
	CU_ASSERT_EQUAL(per_get_int(&r, 0, 1023), 300);
	CU_ASSERT_EQUAL(r.err, 0);
	/* Lengths (§11.9.3.6): 127 in one octet, 128 in two, 16384 and more not supported. */
	per_wr_init(&w, buf, sizeof(buf));
	per_put_len(&w, 127);
	per_put_len(&w, 128);
	CU_ASSERT_EQUAL(w.bits, 24);
	CU_ASSERT_EQUAL(buf[0], 0x7f);
	CU_ASSERT_EQUAL(buf[1], 0x80);
	CU_ASSERT_EQUAL(buf[2], 0x80);
	per_put_len(&w, 16384);
	CU_ASSERT_EQUAL(w.err, L2_EMSGSIZE);
	per_rd_init(&r, (const uint8_t *)"\xc1\x00", 2);
	per_get_len(&r);
	CU_ASSERT_EQUAL(r.err, L2_ENOTSUP);
	/* A constrained whole number decoded above its upper bound is malformed. */
	per_rd_init(&r, (const uint8_t *)"\xff", 1);
	per_get_int(&r, 0, 5);
	CU_ASSERT_EQUAL(r.err, L2_EPROTO);
	CU_ASSERT_EQUAL(per_range_bits(1), 0);
	CU_ASSERT_EQUAL(per_range_bits(2), 1);
	CU_ASSERT_EQUAL(per_range_bits(6), 3);
	CU_ASSERT_EQUAL(per_range_bits(256), 8);
	CU_ASSERT_EQUAL(per_range_bits(257), 9);
}

TEST_SUITE(rrc, TEST_CASE(rrc_ts36331_roundtrip_every_message),
	   TEST_CASE(rrc_ts36331_hand_checked_bits),
	   TEST_CASE(rrc_tshark_decodes_every_message_field_by_field),
	   TEST_CASE(rrc_truncated_and_flipped_messages),
	   TEST_CASE(rrc_ts36331_outside_subset_is_unsupported),
	   TEST_CASE(per_x691_extension_additions_skipped))
