/* SPDX-License-Identifier: BSD-2-Clause */
/* NAS EMM/ESM codec (TS 24.301 §8, §9) and NAS security (§4.4, TS 33.401 §8): vectors, tshark, OpenSSL. */
#define _POSIX_C_SOURCE 200809L
#include "test.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>

#include "hex.h"
#include "l2/pcap.h"
#include "l3/nas.h"
#include "l3/nas_sec.h"
#include "nas_fixtures.h"
#include "tshark.h"

#ifndef NAS_CAPTURE_PATH
#define NAS_CAPTURE_PATH "build/captures/nas_messages.pcap"
#endif

/* Every fixture: encode, decode, encode again gives the same octets (TS 24.301 §8). */
static void nas_ts24301_8_roundtrip_every_message(void)
{
	uint8_t a[NAS_MAX_MSG], b[NAS_MAX_MSG];
	struct nas_msg m, d;
	enum nas_dir dir;
	int i, n, k;

	for (i = 0; nas_fixture(i, &m, &dir); i++) {
		n = nas_encode(&m, a, sizeof(a));
		CU_ASSERT_FATAL(n > 0);
		CU_ASSERT_EQUAL(nas_decode(a, (size_t)n, dir, &d), 0);
		CU_ASSERT_EQUAL(d.pd, m.pd);
		CU_ASSERT_EQUAL(d.type, m.type);
		CU_ASSERT_EQUAL(d.ebi, m.ebi);
		CU_ASSERT_EQUAL(d.pti, m.pti);
		CU_ASSERT_EQUAL(d.skipped_ies, 0);
		k = nas_encode(&d, b, sizeof(b));
		CU_ASSERT_EQUAL(k, n);
		if (k != n || memcmp(a, b, (size_t)n)) {
			fprintf(stderr, "fixture %d (%s) does not round-trip\n", i,
				nas_msg_name(m.pd, m.type));
			CU_FAIL("round trip");
		}
	}
	CU_ASSERT_EQUAL(i, 32);
}

/*
 * Octets worked out by hand from the IE definitions: attach request with IMSI 001010123456789
 * (§8.2.4, §9.9.3.12: odd count, digit 1 in octet 3), an authentication request (§8.2.7) and
 * a security mode command (§8.2.20, §9.9.3.23).
 */
static void nas_ts24301_9_hand_checked_octets(void)
{
	uint8_t buf[128], want[128];
	struct nas_msg m;
	enum nas_dir dir;
	size_t n;
	int len;

	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_ATTACH_REQUEST;
	m.u.attach_request.attach_type = 1;
	m.u.attach_request.ksi = 7;
	nas_id_imsi(&m.u.attach_request.id, "001010123456789");
	m.u.attach_request.ue_net_cap.len = 2;
	m.u.attach_request.ue_net_cap.v[0] = 0xe0;
	m.u.attach_request.ue_net_cap.v[1] = 0xe0;
	m.u.attach_request.esm.len = 3;
	memcpy(m.u.attach_request.esm.v,
	       "\x02\x01"
	       "\xd9",
	       3);
	len = nas_encode(&m, buf, sizeof(buf));
	n = hex_decode("07 41 71 08 09 10 10 10 32 54 76 98 02 e0 e0 00 03 02 01 d9", want,
		       sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);

	nas_fixture(1, &m, &dir);
	len = nas_encode(&m, buf, sizeof(buf));
	n = hex_decode(
		"07 52 00 23553cbe9637a89d218ae64dae47bf35 10 55f328b43577b9b94a9ffac354dfafb3",
		want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);

	nas_fixture(5, &m, &dir);
	len = nas_encode(&m, buf, sizeof(buf));
	n = hex_decode("07 5d 22 00 02 e0 e0 c1", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);

	/* GUTI (§9.9.3.12): F6, PLMN 00 f1 10, MMEGI, MMEC, M-TMSI. */
	nas_fixture(13, &m, &dir);
	len = nas_encode(&m, buf, sizeof(buf));
	n = hex_decode("07 45 09 0b f6 00f110 8001 1a c0de1234", want, sizeof(want));
	CU_ASSERT_EQUAL(len, (int)n);
	CU_ASSERT_EQUAL(memcmp(buf, want, n), 0);
}

/* Columns asked of tshark, and per fixture the values expected ("column=value;..."). */
static const char *const nas_fields[] = {
	"nas_eps.nas_msg_emm_type",
	"nas_eps.nas_msg_esm_type",
	"e212.imsi",
	"nas_eps.emm.eps_att_type",
	"nas_eps.emm.nas_key_set_id",
	"nas_eps.emm.128eea2",
	"nas_eps.emm.128eia2",
	"nas_eps.esm.proc_trans_id",
	"gsm_a.gm.sm.apn",
	"nas_eps.emm.tai_tac",
	"gsm_a.dtap.rand",
	"gsm_a.dtap.autn",
	"nas_eps.emm.res",
	"nas_eps.emm.cause",
	"gsm_a.dtap.auts",
	"nas_eps.emm.toc",
	"nas_eps.emm.toi",
	"nas_eps.emm.imeisv_req",
	"gsm_a.imeisv",
	"nas_eps.emm.EPS_attach_result",
	"nas_eps.emm.m_tmsi",
	"nas_eps.emm.mme_grp_id",
	"nas_eps.emm.mme_code",
	"nas_eps.esm.qci",
	"nas_eps.esm.pdn_ipv4",
	"nas_eps.esm.cause",
	"nas_eps.emm.id_type2",
	"nas_eps.emm.switch_off",
	"nas_eps.emm.detach_type_ul",
	"nas_eps.emm.detach_type_dl",
	"nas_eps.emm.update_type_value",
	"nas_eps.emm.eps_update_result_value",
	"nas_eps.emm.ebi5",
	"nas_eps.bearer_id",
	"nas_eps.esm.linked_bearer_id",
	"nas_eps.esm_pdn_type",
	"gsm_a.gm.gmm.gprs_timer",
	"e212.mcc",
	"e212.mnc",
	"nas_eps.esm.apn_ambr_dl",
	"nas_eps.security_header_type",
	"nas_eps.seq_no",
	"nas_eps.msg_auth_code",
	"gsm_a.gm.gmm.gprs_timer2",
};

#define NAS_NF (unsigned)(sizeof(nas_fields) / sizeof(nas_fields[0]))

static const char *const nas_expect[] = {
	"0=0x41;2=001010123456789;3=1;4=7;5=1;6=1;7=1;8=internet;9=7",
	"0=0x52;4=0;10=23553cbe9637a89d218ae64dae47bf35;"
	"11=55f328b43577b9b94a9ffac354dfafb3",
	"0=0x53;12=a54211d5e3ba50bf",
	"0=0x5c;13=21;14=0102030405060708090a0b0c0d0e",
	"0=0x54",
	"0=0x5d;15=2;16=2;4=0;17=1",
	"0=0x5e;18=3534900698733190",
	"0=0x5f;13=23",
	"0=0x42;19=1;9=7;1=0xc1;23=9;8=internet;24=10.45.0.2;20=3235779124;21=32769;22=26;"
	"36=0x01,0x0c;39=254",
	"0=0x43;1=0xc2",
	"0=0x44;13=7;43=0x01",
	"0=0x55;26=1",
	"0=0x56;2=310410123456789",
	"0=0x45;27=1;28=1;4=0;20=3235779124",
	"0=0x45;29=2;13=7",
	"0=0x46",
	"0=0x48;30=0;4=1;20=3235779124;9=7;32=1",
	"0=0x49;31=0;20=3235779124;9=7,4660;32=1;36=0x01,0x0c",
	"0=0x4a",
	"0=0x4b;13=9",
	"0=0x60;13=97",
	"1=0xd0;7=1;35=1;8=internet",
	"1=0xd1;7=1;25=27",
	"1=0xc1;33=5;23=9;8=internet;24=10.45.0.2;39=254",
	"1=0xc2;33=5",
	"1=0xc3;33=5;25=31",
	"1=0xcd;33=5;25=36",
	"1=0xce;33=5",
	"1=0xd9;7=1",
	"1=0xda;7=1;8=internet",
	"1=0xe8;33=5;25=111",
	"1=0xd2;7=2;34=5",
};

/*
 * Every message written into a pcap (exported PDU, "nas-eps_plain") and decoded by
 * Wireshark's dissector: the values it shows are the ones encoded, with no malformed frame
 * and no warning or error expert info.
 */
static void nas_tshark_decodes_every_message_field_by_field(void)
{
	static char out[1 << 16];
	char args[2048], line[4096], what[96];
	uint8_t buf[NAS_MAX_MSG];
	struct pcap_writer w;
	struct pcap_sink sink;
	struct nas_msg m;
	enum nas_dir dir;
	unsigned bad = 0;
	FILE *f;
	int i, n;

	f = tshark_capture_open(NAS_CAPTURE_PATH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	sink.ctx = f;
	sink.write = tshark_file_write;
	CU_ASSERT_EQUAL_FATAL(pcap_open(&w, &sink, PCAP_EXPORTED_PDU), 0);
	for (i = 0; nas_fixture(i, &m, &dir); i++) {
		n = nas_encode(&m, buf, sizeof(buf));
		CU_ASSERT_FATAL(n > 0);
		CU_ASSERT_EQUAL(
			pcap_write_pdu(&w, (uint64_t)i * 1000, "nas-eps_plain", buf, (uint32_t)n),
			0);
	}
	fclose(f);
	tshark_fields_args(nas_fields, NAS_NF, args, sizeof(args));
	tshark_run(NAS_CAPTURE_PATH, args, out, sizeof(out));
	for (i = 0; nas_fixture(i, &m, &dir); i++) {
		snprintf(what, sizeof(what), "frame %d (%s)", i + 1, nas_msg_name(m.pd, m.type));
		bad += (unsigned)tshark_check_columns(
			tshark_line(out, (unsigned)i, line, sizeof(line)), nas_fields, NAS_NF,
			nas_expect[i], what);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* Every prefix of every message decodes or is refused; none is read past its end (ASan). */
static void nas_ts24301_7_truncated_messages_refused(void)
{
	uint8_t buf[NAS_MAX_MSG];
	struct nas_msg m, d;
	enum nas_dir dir;
	unsigned refused = 0;
	int i, n, k;

	for (i = 0; nas_fixture(i, &m, &dir); i++) {
		n = nas_encode(&m, buf, sizeof(buf));
		for (k = 0; k < n; k++) {
			uint8_t *copy = malloc((size_t)k + 1);
			int err;

			memcpy(copy, buf, (size_t)k);
			err = nas_decode(copy, (size_t)k, dir, &d);
			CU_ASSERT(err == 0 || err == L2_EPROTO || err == L2_ENOTSUP);
			refused += err != 0;
			free(copy);
		}
	}
	CU_ASSERT(refused > 300);
}

/* §7.6.1: unknown optional IEs are skipped, comprehension-required ones refuse the message. */
static void nas_ts24301_7_6_unknown_ies(void)
{
	uint8_t buf[NAS_MAX_MSG];
	struct nas_msg m, d;
	enum nas_dir dir;
	int n;

	nas_fixture(8, &m, &dir);
	n = nas_encode(&m, buf, sizeof(buf));
	memcpy(buf + n, "\x6b\x02\xaa\xbb", 4);	    /* unknown TLV */
	memcpy(buf + n + 4, "\x7c\x00\x01\xcc", 4); /* unknown TLV-E */
	buf[n + 8] = 0xe1;			    /* unknown type 1 */
	CU_ASSERT_EQUAL(nas_decode(buf, (size_t)n + 9, dir, &d), 0);
	CU_ASSERT_EQUAL(d.skipped_ies, 3);
	CU_ASSERT(d.u.attach_accept.has_guti);
	memcpy(buf + n, "\x0a\x01\x00", 3); /* IEI 0000 xxxx: comprehension required */
	CU_ASSERT_EQUAL(nas_decode(buf, (size_t)n + 3, dir, &d), L2_EPROTO);
	memcpy(buf + n, "\x6b\x09\xaa", 3); /* length past the end */
	CU_ASSERT_EQUAL(nas_decode(buf, (size_t)n + 3, dir, &d), L2_EPROTO);
	/* A bad optional IE (an EMM cause of two octets can't be; a GUTI too short) is skipped. */
	nas_fixture(17, &m, &dir);
	n = nas_encode(&m, buf, sizeof(buf));
	memcpy(buf + n, "\x50\x03\xf6\x00\xf1", 5);
	CU_ASSERT_EQUAL(nas_decode(buf, (size_t)n + 5, dir, &d), 0);
	CU_ASSERT_EQUAL(d.skipped_ies, 1);
	CU_ASSERT_EQUAL(d.u.tau_accept.guti.guti.m_tmsi, 0xc0de1234);
}

/* Outside the subset: unknown types, other PDs, protected messages; small buffers. */
static void nas_ts24301_subset_limits(void)
{
	uint8_t buf[NAS_MAX_MSG];
	struct nas_msg m, d;
	enum nas_dir dir;
	int i, n, cap;

	CU_ASSERT_EQUAL(nas_decode((const uint8_t *)"\x07\x4c\x00", 3, NAS_UL, &d), L2_ENOTSUP);
	CU_ASSERT_EQUAL(nas_decode((const uint8_t *)"\x05\x08\x00", 3, NAS_UL, &d), L2_ENOTSUP);
	CU_ASSERT_EQUAL(
		nas_decode((const uint8_t *)"\x27\x00\x00\x00\x00\x00\x07\x43", 8, NAS_UL, &d),
		L2_ENOTSUP);
	CU_ASSERT_EQUAL(nas_decode((const uint8_t *)"\x07", 1, NAS_UL, &d), L2_EPROTO);
	/* IMSI with a digit above 9 and a GUTI of the wrong length are malformed. */
	CU_ASSERT_EQUAL(nas_decode((const uint8_t *)"\x07\x56\x02\x19\xa0"
						    "",
				   5, NAS_UL, &d),
			L2_EPROTO);
	for (i = 0; nas_fixture(i, &m, &dir); i++) {
		n = nas_encode(&m, buf, sizeof(buf));
		for (cap = 0; cap < n; cap++)
			CU_ASSERT_EQUAL(nas_encode(&m, buf, (size_t)cap), L2_EMSGSIZE);
	}
	nas_fixture(2, &m, &dir);
	m.u.auth_response.res_len = 3;
	CU_ASSERT_EQUAL(nas_encode(&m, buf, sizeof(buf)), L2_EINVAL);
	m.type = 0x4c;
	CU_ASSERT_EQUAL(nas_encode(&m, buf, sizeof(buf)), L2_ENOTSUP);
}

/* APN label form (TS 23.003 §9.1) both ways. */
static void nas_ts23003_apn_labels(void)
{
	uint8_t apn[NAS_MAX_APN];
	char s[128];
	int n;

	n = nas_apn_from_str("ims.mnc001.mcc001.gprs", apn, sizeof(apn));
	CU_ASSERT_EQUAL(n, 23);
	CU_ASSERT_EQUAL(apn[0], 3);
	CU_ASSERT_EQUAL(apn[4], 6);
	CU_ASSERT_EQUAL(nas_apn_to_str(apn, (size_t)n, s, sizeof(s)), 22);
	CU_ASSERT_STRING_EQUAL(s, "ims.mnc001.mcc001.gprs");
	CU_ASSERT(nas_apn_from_str("a..b", apn, sizeof(apn)) < 0);
	CU_ASSERT(nas_apn_from_str("", apn, sizeof(apn)) < 0);
	CU_ASSERT_EQUAL(nas_apn_to_str((const uint8_t *)"\x05"
							"ab",
				       3, s, sizeof(s)),
			L2_EPROTO);
}

/* --- NAS security --- */

static const uint8_t kasme_fx[32] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
				     0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00,
				     0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
				     0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0};

static void openssl_cmac16(const uint8_t key[16], const uint8_t *m, size_t len, uint8_t tag[16])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
	char cipher[] = "AES-128-CBC";
	OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
			       OSSL_PARAM_construct_end()};
	size_t outl;

	EVP_MAC_init(ctx, key, 16, params);
	EVP_MAC_update(ctx, m, len);
	EVP_MAC_final(ctx, tag, &outl, 16);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
}

/*
 * A protected message checked without the library's own AES: the MAC is the first 32 bits
 * of AES-CMAC(K_NASint, COUNT | BEARER 0 | DIR | 0^26 | SQN | message) and the ciphertext
 * AES-CTR(K_NASenc) from COUNT | 0 | DIR | 0^90 (TS 33.401 §8, Annex B), with the NAS keys
 * from the §A.7 KDF.
 */
static void nas_sec_ts33401_8_protected_message_vs_openssl(void)
{
	uint8_t plain[NAS_MAX_MSG], out[NAS_MAX_MSG], kint[16], kenc[16], m[NAS_MAX_MSG + 16];
	uint8_t tag[16], iv[16] = {0}, ref[NAS_MAX_MSG];
	struct nas_sec ue, mme;
	struct nas_msg msg;
	enum nas_dir dir;
	EVP_CIPHER_CTX *ctx;
	int n, len, outl, i;

	CU_ASSERT_EQUAL_FATAL(nas_sec_init(&ue, true, kasme_fx, 1, SEC_EEA2, SEC_EIA2), 0);
	CU_ASSERT_EQUAL_FATAL(nas_sec_init(&mme, false, kasme_fx, 1, SEC_EEA2, SEC_EIA2), 0);
	sec_derive_alg_key(kasme_fx, SEC_NAS_INT, SEC_EIA2, kint);
	sec_derive_alg_key(kasme_fx, SEC_NAS_ENC, SEC_EEA2, kenc);
	nas_fixture(0, &msg, &dir);
	n = nas_encode(&msg, plain, sizeof(plain));
	for (i = 0; i < 3; i++) /* COUNT 3 */
		nas_sec_protect(&ue, NAS_SEC_INT_ENC, plain, (size_t)n, out, sizeof(out));
	len = nas_sec_protect(&ue, NAS_SEC_INT_ENC, plain, (size_t)n, out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(len, n + NAS_SEC_HDR_LEN);
	CU_ASSERT_EQUAL(out[0], 0x27);
	CU_ASSERT_EQUAL(out[5], 3);
	/* MAC: 64-bit IV (COUNT 3, bearer 0, uplink) then octets 6.. (SQN and message). */
	memset(m, 0, 8);
	m[3] = 3;
	memcpy(m + 8, out + 5, (size_t)n + 1);
	openssl_cmac16(kint, m, (size_t)n + 9, tag);
	CU_ASSERT_EQUAL(memcmp(tag, out + 1, 4), 0);
	/* Ciphertext: AES-128-CTR from COUNT | BEARER | DIRECTION | 0. */
	iv[3] = 3;
	ctx = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), NULL, kenc, iv);
	EVP_EncryptUpdate(ctx, ref, &outl, plain, n);
	EVP_CIPHER_CTX_free(ctx);
	CU_ASSERT_EQUAL(memcmp(ref, out + NAS_SEC_HDR_LEN, (size_t)n), 0);
	/* The MME verifies COUNT 3 after missing 0..2, and gets the plain message back. */
	{
		uint8_t back[NAS_MAX_MSG], hdr;

		CU_ASSERT_EQUAL(nas_sec_unprotect(&mme, out, (size_t)len, back, sizeof(back), &hdr),
				n);
		CU_ASSERT_EQUAL(hdr, NAS_SEC_INT_ENC);
		CU_ASSERT_EQUAL(memcmp(back, plain, (size_t)n), 0);
		CU_ASSERT_EQUAL(mme.rx_count, 4);
	}
}

/* Both directions, every header type; replays and tampering are dropped and counted (§4.4.4). */
static void nas_sec_ts24301_4_4_protect_verify_replay(void)
{
	uint8_t plain[NAS_MAX_MSG], out[NAS_MAX_MSG], back[NAS_MAX_MSG], hdr;
	struct nas_sec ue, mme;
	struct nas_msg msg;
	enum nas_dir dir;
	int i, n, len;

	nas_sec_init(&ue, true, kasme_fx, 2, SEC_EEA2, SEC_EIA2);
	nas_sec_init(&mme, false, kasme_fx, 2, SEC_EEA2, SEC_EIA2);
	for (i = 0; nas_fixture(i, &msg, &dir); i++) {
		struct nas_sec *tx = dir == NAS_UL ? &ue : &mme, *rx = dir == NAS_UL ? &mme : &ue;
		uint8_t h = (uint8_t)(NAS_SEC_INT + i % 4);

		n = nas_encode(&msg, plain, sizeof(plain));
		len = nas_sec_protect(tx, h, plain, (size_t)n, out, sizeof(out));
		CU_ASSERT_EQUAL(nas_sec_unprotect(rx, out, (size_t)len, back, sizeof(back), &hdr),
				n);
		CU_ASSERT_EQUAL(hdr, h);
		CU_ASSERT_EQUAL(memcmp(back, plain, (size_t)n), 0);
		/* The same message again is a replay: its COUNT is below the receiver's. */
		CU_ASSERT_EQUAL(nas_sec_unprotect(rx, out, (size_t)len, back, sizeof(back), &hdr),
				L2_EAUTH);
	}
	CU_ASSERT_EQUAL(ue.stats.mac_failures + mme.stats.mac_failures, 32);
	/* One flipped bit anywhere after the header is a MAC failure. */
	nas_fixture(8, &msg, &dir);
	n = nas_encode(&msg, plain, sizeof(plain));
	len = nas_sec_protect(&ue, NAS_SEC_INT_ENC, plain, (size_t)n, out, sizeof(out));
	for (i = 8; i < len * 8; i += 5) {
		out[i / 8] ^= (uint8_t)(0x80 >> i % 8);
		CU_ASSERT_EQUAL(nas_sec_unprotect(&mme, out, (size_t)len, back, sizeof(back), &hdr),
				L2_EAUTH);
		out[i / 8] ^= (uint8_t)(0x80 >> i % 8);
	}
	CU_ASSERT_EQUAL(nas_sec_unprotect(&mme, out, (size_t)len, back, sizeof(back), &hdr), n);
	/* Wrong header types and short messages are malformed. */
	CU_ASSERT_EQUAL(nas_sec_unprotect(&mme, plain, (size_t)n, back, sizeof(back), &hdr),
			L2_EPROTO);
	CU_ASSERT_EQUAL(nas_sec_unprotect(&mme, out, 7, back, sizeof(back), &hdr), L2_EPROTO);
	CU_ASSERT_EQUAL(nas_sec_init(&ue, true, kasme_fx, 1, 1, SEC_EIA2), L2_EINVAL);
}

/* §4.4.3.1: the 8-bit sequence number wraps and the overflow counter follows, with losses. */
static void nas_sec_ts24301_4_4_3_1_count_estimation(void)
{
	uint8_t plain[8] = {0x07, 0x46}, out[32], back[32], hdr;
	struct nas_sec ue, mme;
	unsigned ok = 0;
	int i, len;

	nas_sec_init(&ue, true, kasme_fx, 0, SEC_EEA0, SEC_EIA2);
	nas_sec_init(&mme, false, kasme_fx, 0, SEC_EEA0, SEC_EIA2);
	for (i = 0; i < 1000; i++) {
		len = nas_sec_protect(&ue, NAS_SEC_INT, plain, 2, out, sizeof(out));
		if (i % 7 == 3 || (i >= 500 && i < 700))
			continue; /* lost, including a run of 200 */
		ok += nas_sec_unprotect(&mme, out, (size_t)len, back, sizeof(back), &hdr) == 2;
	}
	CU_ASSERT_EQUAL(ok, mme.stats.verified_rx);
	CU_ASSERT_EQUAL(mme.stats.mac_failures, 0);
	CU_ASSERT_EQUAL(mme.rx_count, ue.tx_count);
	CU_ASSERT_EQUAL(ue.tx_count, 1000);
}

/* The SMC can be read before its context is known (§5.4.3.3) and tshark shows protected messages. */
static void nas_sec_smc_peek_and_tshark(void)
{
	static char txt[1 << 15];
	uint8_t plain[NAS_MAX_MSG], out[NAS_MAX_MSG];
	const uint8_t *p;
	struct nas_sec mme, ue;
	struct nas_msg msg, d;
	struct pcap_writer w;
	struct pcap_sink sink;
	enum nas_dir dir;
	char line[512];
	size_t pn;
	FILE *f;
	int n, len, len2;

	nas_sec_init(&mme, false, kasme_fx, 0, SEC_EEA2, SEC_EIA2);
	nas_sec_init(&ue, true, kasme_fx, 0, SEC_EEA2, SEC_EIA2);
	nas_fixture(5, &msg, &dir);
	n = nas_encode(&msg, plain, sizeof(plain));
	len = nas_sec_protect(&mme, NAS_SEC_INT_NEW, plain, (size_t)n, out, sizeof(out));
	p = nas_sec_peek(out, (size_t)len, &pn);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(nas_decode(p, pn, NAS_DL, &d), 0);
	CU_ASSERT_EQUAL(d.type, NAS_SMC);
	CU_ASSERT_EQUAL(d.u.smc.eia, SEC_EIA2);

	f = tshark_capture_open(NAS_CAPTURE_PATH ".sec");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	sink.ctx = f;
	sink.write = tshark_file_write;
	pcap_open(&w, &sink, PCAP_EXPORTED_PDU);
	pcap_write_pdu(&w, 0, "nas-eps", out, (uint32_t)len);
	nas_fixture(6, &msg, &dir);
	n = nas_encode(&msg, plain, sizeof(plain));
	len2 = nas_sec_protect(&ue, NAS_SEC_INT_ENC_NEW, plain, (size_t)n, out, sizeof(out));
	pcap_write_pdu(&w, 1000, "nas-eps", out, (uint32_t)len2);
	fclose(f);
	tshark_run(NAS_CAPTURE_PATH ".sec",
		   "-T fields -e nas_eps.security_header_type -e nas_eps.seq_no "
		   "-e nas_eps.nas_msg_emm_type -e _ws.malformed",
		   txt, sizeof(txt));
	/* Integrity protected: the SMC inside is decoded; ciphered: tshark cannot look inside. */
	CU_ASSERT_STRING_EQUAL(tshark_line(txt, 0, line, sizeof(line)), "3,0\t0\t0x5d\t");
	CU_ASSERT_STRING_EQUAL(tshark_line(txt, 1, line, sizeof(line)), "4\t0\t\t");
}

TEST_SUITE(nas, TEST_CASE(nas_ts24301_8_roundtrip_every_message),
	   TEST_CASE(nas_ts24301_9_hand_checked_octets),
	   TEST_CASE(nas_tshark_decodes_every_message_field_by_field),
	   TEST_CASE(nas_ts24301_7_truncated_messages_refused),
	   TEST_CASE(nas_ts24301_7_6_unknown_ies), TEST_CASE(nas_ts24301_subset_limits),
	   TEST_CASE(nas_ts23003_apn_labels),
	   TEST_CASE(nas_sec_ts33401_8_protected_message_vs_openssl),
	   TEST_CASE(nas_sec_ts24301_4_4_protect_verify_replay),
	   TEST_CASE(nas_sec_ts24301_4_4_3_1_count_estimation),
	   TEST_CASE(nas_sec_smc_peek_and_tshark))
