/* SPDX-License-Identifier: BSD-2-Clause */
/* UE NAS against the MME/HSS over a loopback: attach with EPS AKA, security, bearer, TAU, detach, failures. */
#define _POSIX_C_SOURCE 200809L
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "l2/pcap.h"
#include "l3/emm.h"
#include "l3/mme.h"
#include "tshark.h"

#ifndef NAS_CAPTURE_PATH
#define NAS_CAPTURE_PATH "build/captures/nas_messages.pcap"
#endif
#define ATTACH_CAPTURE NAS_CAPTURE_PATH ".attach"

#define MAX_UES 4
#define QLEN	64

static const uint8_t k_ok[16] = {0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
				 0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc};
static const uint8_t opc_ok[16] = {0xcd, 0x63, 0xcb, 0x71, 0x95, 0x4a, 0x9f, 0x4e,
				   0x48, 0xa5, 0x99, 0x4e, 0x37, 0xa0, 0x2b, 0xaf};

static uint32_t now_ms;

static uint32_t clock_ms(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static const struct l2_env env = {.now_ms = clock_ms};

/* One UE of the loopback: its NAS, its USIM, what happened to it. */
struct tue {
	struct emm_ue emm;
	struct usim usim;
	uint32_t conn;
	bool connected;
	unsigned epoch; /* counts connections: a release is for the one it was queued in */
	uint8_t kenb[32];
	bool has_kenb;
	int registered, deregistered, auth_failed, attach_failed;
	int last_cause;
};

/* A message in flight: to the MME (ul) or to a UE. */
struct qmsg {
	bool ul;
	int ue;
	unsigned epoch;
	uint8_t pdu[NAS_MAX_MSG + NAS_SEC_HDR_LEN];
	size_t len;
};

static struct tue ues[MAX_UES];
static struct mme mme;
static struct qmsg queue[QLEN];
static unsigned q_head, q_n;
static uint8_t mme_kenb[MAX_UES][32];
static bool drop_dl; /* the network does not answer */
static FILE *capture;
static struct pcap_writer cap_w;
static uint64_t cap_time;

static void enqueue(bool ul, int ue, const uint8_t *pdu, size_t len)
{
	struct qmsg *q = &queue[(q_head + q_n) % QLEN];

	CU_ASSERT_FATAL(q_n < QLEN && len <= sizeof(q->pdu));
	q->ul = ul;
	q->ue = ue;
	q->epoch = ues[ue].epoch;
	if (len)
		memcpy(q->pdu, pdu, len);
	q->len = len;
	q_n++;
}

/* The NAS capture as the NAS layer sees it (plain messages, as srsUE writes one). */
static void capture_plain(const uint8_t *pdu, size_t len, struct nas_sec *sec)
{
	uint8_t plain[NAS_MAX_MSG], hdr;
	int h = nas_sec_header_type(pdu, len);

	if (!capture)
		return;
	if (!sec && (h == NAS_SEC_INT || h == NAS_SEC_INT_NEW)) {
		size_t n;
		const uint8_t *inner = nas_sec_peek(pdu, len, &n);

		if (inner)
			pcap_write_pdu(&cap_w, cap_time += 1000, "nas-eps_plain", inner,
				       (uint32_t)n);
		return;
	}
	if (h == NAS_SEC_PLAIN) {
		pcap_write_pdu(&cap_w, cap_time += 1000, "nas-eps_plain", pdu, (uint32_t)len);
	} else if (sec) {
		/* A copy of the receiver's context deciphers without disturbing its counts. */
		struct nas_sec copy = *sec;
		int n = nas_sec_unprotect(&copy, pdu, len, plain, sizeof(plain), &hdr);

		if (n > 0)
			pcap_write_pdu(&cap_w, cap_time += 1000, "nas-eps_plain", plain,
				       (uint32_t)n);
	}
}

static int ue_index(void *ctx)
{
	return (int)((struct tue *)ctx - ues);
}

static void ue_send(void *ctx, const uint8_t *pdu, size_t len, bool initial)
{
	int i = ue_index(ctx);

	(void)initial;
	if (!ues[i].connected)
		ues[i].epoch++;
	ues[i].connected = true;
	enqueue(true, i, pdu, len);
}

static int ue_authenticate(void *ctx, const uint8_t rand[16], const uint8_t autn[16],
			   struct usim_auth_result *out)
{
	return usim_authenticate(&((struct tue *)ctx)->usim, rand, autn, out);
}

static void ue_kenb(void *ctx, const uint8_t kenb[32])
{
	struct tue *t = ctx;

	memcpy(t->kenb, kenb, 32);
	t->has_kenb = true;
}

static void ue_release(void *ctx)
{
	((struct tue *)ctx)->connected = false;
}

static void ue_event(void *ctx, enum emm_event ev, int arg)
{
	struct tue *t = ctx;

	t->last_cause = arg;
	if (ev == EMM_EV_REGISTERED)
		t->registered++;
	else if (ev == EMM_EV_DEREGISTERED)
		t->deregistered++;
	else if (ev == EMM_EV_AUTH_FAILED)
		t->auth_failed++;
	else if (ev == EMM_EV_ATTACH_FAILED)
		t->attach_failed++;
}

static void mme_send(void *ctx, uint32_t conn, const uint8_t *pdu, size_t len)
{
	(void)ctx;
	if (!drop_dl)
		enqueue(false, (int)conn - 1, pdu, len);
}

/* Stands in for the eNB: AS security and the DRB come up, the NAS PDU goes to the UE. */
static void mme_context_setup(void *ctx, uint32_t conn, const uint8_t kenb[32], uint8_t ebi,
			      uint8_t qci, const uint8_t *nas, size_t len)
{
	(void)ctx;
	(void)ebi;
	(void)qci;
	memcpy(mme_kenb[conn - 1], kenb, 32);
	enqueue(false, (int)conn - 1, nas, len);
}

/* The eNB releases the connection after the downlink messages already queued (len 0 marks it). */
static void mme_release_cb(void *ctx, uint32_t conn)
{
	(void)ctx;
	enqueue(false, (int)conn - 1, NULL, 0);
}

static const struct mme_ops mme_ops = {
	.send = mme_send, .context_setup = mme_context_setup, .release = mme_release_cb};

/* Deliver queued messages until none is left (each delivery may queue more). */
static void pump(void)
{
	while (q_n) {
		struct qmsg q = queue[q_head];
		struct mme_ue *mu;

		q_head = (q_head + 1) % QLEN;
		q_n--;
		if (q.ul) {
			mu = mme_find_conn(&mme, (uint32_t)q.ue + 1);
			/* SMC COMPLETE is deciphered with the context the SMC set up. */
			capture_plain(q.pdu, q.len,
				      mu && (mu->has_ctx || mu->state == MME_UE_SMC) ? &mu->sec
										     : NULL);
			mme_rx(&mme, (uint32_t)q.ue + 1, q.pdu, q.len);
		} else {
			struct tue *t = &ues[q.ue];

			if (q.len == 0) {
				if (q.epoch == t->epoch && t->connected) {
					t->connected = false;
					emm_conn_released(&t->emm);
				}
				continue;
			}
			if (!t->connected)
				continue; /* no RRC connection: the eNB drops it */
			capture_plain(q.pdu, q.len, t->emm.has_ctx ? &t->emm.sec : NULL);
			emm_rx(&t->emm, q.pdu, q.len);
		}
	}
}

/* Advance time in steps, running every timer. */
static void run_ms(uint32_t ms)
{
	uint32_t end = now_ms + ms;
	int i;

	while ((int32_t)(end - now_ms) > 0) {
		now_ms += 100;
		for (i = 0; i < MAX_UES; i++)
			if (ues[i].emm.state != EMM_NULL || ues[i].emm.env)
				emm_tick(&ues[i].emm);
		mme_tick(&mme);
		pump();
	}
}

static void setup_network(void)
{
	struct mme_config c;
	char imsi[16];
	int i;

	memset(&c, 0, sizeof(c));
	c.plmn = (struct nas_plmn){1, 1, 2};
	c.tac = 7;
	c.mmegi = 0x8001;
	c.mmec = 0x1a;
	c.t3412 = 0x21;
	c.ip_base[0] = 10, c.ip_base[1] = 45, c.ip_base[2] = 0, c.ip_base[3] = 1;
	memcpy(c.apn, "internet", 9);
	now_ms = 0;
	q_head = q_n = 0;
	drop_dl = false;
	memset(mme_kenb, 0, sizeof(mme_kenb));
	CU_ASSERT_EQUAL_FATAL(mme_init(&mme, &c, &mme_ops, &env), 0);
	for (i = 0; i < MAX_UES; i++) {
		snprintf(imsi, sizeof(imsi), "00101000000000%u", (unsigned)(i + 1) % 10);
		CU_ASSERT_FATAL(mme_add_subscriber(&mme, imsi, k_ok, opc_ok, 0x100) >= 0);
	}
}

/* UE i with its IMSI; `k` is what its USIM holds (a wrong K gives a MAC failure). */
static void setup_ue(int i, const uint8_t k[16], uint64_t usim_sqn)
{
	struct emm_config c;
	struct emm_ops ops = {.ctx = &ues[i],
			      .send = ue_send,
			      .authenticate = ue_authenticate,
			      .kenb = ue_kenb,
			      .release = ue_release,
			      .event = ue_event};

	memset(&ues[i], 0, sizeof(ues[i]));
	memset(&c, 0, sizeof(c));
	snprintf(c.imsi, sizeof(c.imsi), "00101000000000%u", (unsigned)(i + 1) % 10);
	memcpy(c.imeisv, "3534900698733190", 17);
	c.plmn = (struct nas_plmn){1, 1, 2};
	c.ue_net_cap[0] = 0xe0;
	c.ue_net_cap[1] = 0xe0;
	memcpy(c.apn, "internet", 9);
	usim_init(&ues[i].usim, k, opc_ok);
	usim_set_sqn(&ues[i].usim, usim_sqn);
	CU_ASSERT_EQUAL_FATAL(emm_init(&ues[i].emm, &c, &ops, &env), 0);
}

/* TS 24.301 §5.5.1.2: attach with AKA, SMC and the default bearer; both sides agree on K_eNB. */
static void emm_ts24301_5_5_1_attach_and_default_bearer(void)
{
	setup_network();
	setup_ue(0, k_ok, 0);
	capture = tshark_capture_open(ATTACH_CAPTURE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(capture);
	{
		struct pcap_sink s = {capture, tshark_file_write};

		pcap_open(&cap_w, &s, PCAP_EXPORTED_PDU);
	}
	CU_ASSERT_EQUAL(emm_cereg(&ues[0].emm), 0);
	CU_ASSERT_EQUAL(emm_attach(&ues[0].emm), 0);
	CU_ASSERT_EQUAL(emm_cereg(&ues[0].emm), 2);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(emm_cereg(&ues[0].emm), 1);
	CU_ASSERT_EQUAL(ues[0].registered, 1);
	CU_ASSERT(ues[0].emm.bearer_active);
	CU_ASSERT_EQUAL(ues[0].emm.ebi, 5);
	CU_ASSERT_EQUAL(ues[0].emm.addr_len, 4);
	CU_ASSERT_EQUAL(ues[0].emm.addr[0], 10);
	CU_ASSERT_EQUAL(ues[0].emm.addr[3], 2);
	CU_ASSERT(ues[0].emm.has_guti);
	CU_ASSERT_EQUAL(ues[0].emm.guti.guti.mmec, 0x1a);
	CU_ASSERT(ues[0].has_kenb);
	CU_ASSERT_EQUAL(memcmp(ues[0].kenb, mme_kenb[0], 32), 0);
	CU_ASSERT_EQUAL(mme.stats.attaches, 1);
	CU_ASSERT_EQUAL(mme.ues[0].state, MME_UE_REGISTERED);
	CU_ASSERT(mme.ues[0].bearer_active);
	CU_ASSERT_EQUAL(ues[0].emm.sec.eea, SEC_EEA2);
	/* Detach, not switch-off: DETACH ACCEPT ends it (§5.5.2.2). */
	CU_ASSERT_EQUAL(emm_detach(&ues[0].emm, false), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_NULL);
	CU_ASSERT_EQUAL(ues[0].deregistered, 1);
	CU_ASSERT_EQUAL(mme.stats.detaches, 1);
	fclose(capture);
	capture = NULL;
}

/*
 * The NAS capture of the attach decodes in Wireshark: every message of the attach is there
 * (attach request/accept/complete, authentication request/response, security mode
 * command/complete, the default bearer) and nothing is malformed.
 */
static void emm_tshark_attach_capture_decodes(void)
{
	static char out[1 << 15];

	tshark_run(
		ATTACH_CAPTURE,
		"-T fields -E occurrence=f -e nas_eps.nas_msg_emm_type -e nas_eps.nas_msg_esm_type "
		"-e _ws.malformed -e _ws.expert.severity",
		out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x41\t0xd0\t")); /* attach req + PDN conn req */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x52\t\t"));     /* authentication request */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x53\t\t"));     /* authentication response */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x5d\t\t"));     /* security mode command */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x5e\t\t"));     /* security mode complete */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x42\t0xc1\t")); /* attach accept + default bearer */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x43\t0xc2\t")); /* attach complete + accept */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x45\t\t"));     /* detach request */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0x46\t\t"));     /* detach accept */
	CU_ASSERT_PTR_NULL(strstr(out, "8388608"));
	tshark_run(ATTACH_CAPTURE, "-Y _ws.malformed", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "");
}

/* Four UEs; one has the wrong K: it gets AUTHENTICATION REJECT (§5.4.2.5), the others attach. */
static void emm_ts24301_5_4_2_wrong_k_fails_others_attach(void)
{
	uint8_t bad_k[16];
	int i;

	memcpy(bad_k, k_ok, 16);
	bad_k[0] ^= 1;
	setup_network();
	for (i = 0; i < MAX_UES; i++)
		setup_ue(i, i == 2 ? bad_k : k_ok, 0);
	for (i = 0; i < MAX_UES; i++)
		emm_attach(&ues[i].emm);
	pump();
	for (i = 0; i < MAX_UES; i++) {
		if (i == 2) {
			CU_ASSERT_EQUAL(ues[i].emm.state, EMM_DEREGISTERED_NO_RETRY);
			CU_ASSERT_EQUAL(emm_cereg(&ues[i].emm), 3);
			CU_ASSERT_EQUAL(ues[i].auth_failed, 1);
			CU_ASSERT_EQUAL(ues[i].usim.stats.mac_failures, 1);
		} else {
			CU_ASSERT_EQUAL(ues[i].emm.state, EMM_REGISTERED);
		}
	}
	CU_ASSERT_EQUAL(mme.stats.attaches, 3);
	CU_ASSERT_EQUAL(mme.stats.auth_failures, 1);
	/* Each registered UE got its own address. */
	CU_ASSERT(ues[0].emm.addr[3] != ues[1].emm.addr[3]);
	CU_ASSERT(ues[1].emm.addr[3] != ues[3].emm.addr[3]);
	/* The failed UE does not try again (T3411 and T3402 do not restart it). */
	run_ms(EMM_T3402_MS + 1000);
	CU_ASSERT_EQUAL(ues[2].emm.stats.attach_attempts, 1);
}

/* USIM SQN far ahead of the HSS: synchronisation failure, resynchronisation, then success. */
static void emm_ts33102_sqn_resync_then_attach(void)
{
	setup_network();
	setup_ue(0, k_ok, 0x100000);
	emm_attach(&ues[0].emm);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(ues[0].usim.stats.sync_failures, 1);
	CU_ASSERT_EQUAL(mme.stats.resyncs, 1);
	CU_ASSERT_EQUAL(ues[0].auth_failed, 1);
	CU_ASSERT_EQUAL(ues[0].last_cause, 5); /* the bearer event came last: EBI 5 */
}

/* §5.5.1.2.5: an IMSI the HSS does not know gets #8 and the UE stops; MME silence: T3410. */
static void emm_ts24301_5_5_1_2_reject_and_timeouts(void)
{
	setup_network();
	setup_ue(0, k_ok, 0);
	snprintf(ues[0].emm.cfg.imsi, sizeof(ues[0].emm.cfg.imsi), "001019999999999");
	emm_attach(&ues[0].emm);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_DEREGISTERED_NO_RETRY);
	CU_ASSERT_EQUAL(ues[0].last_cause, EMM_CAUSE_EPS_AND_NON_EPS_NOT_ALLOWED);
	CU_ASSERT_EQUAL(mme.stats.rejects, 1);

	/* A network that does not answer: T3410, T3411 between attempts, T3402 after five. */
	setup_network();
	setup_ue(1, k_ok, 0);
	drop_dl = true;
	emm_attach(&ues[1].emm);
	pump();
	run_ms(EMM_T3410_MS + 100);
	CU_ASSERT_EQUAL(ues[1].attach_failed, 1);
	CU_ASSERT_EQUAL(ues[1].emm.state, EMM_DEREGISTERED);
	run_ms(EMM_T3411_MS + 100);
	CU_ASSERT_EQUAL(ues[1].emm.stats.attach_attempts, 2);
	run_ms(3 * (EMM_T3410_MS + EMM_T3411_MS) + EMM_T3410_MS + 500);
	CU_ASSERT_EQUAL(ues[1].emm.stats.attach_attempts, EMM_ATTEMPTS);
	CU_ASSERT_EQUAL(ues[1].deregistered, 1);
	CU_ASSERT(ues[1].emm.t3402.running);
	/* The network comes back; after T3402 the UE attaches. */
	drop_dl = false;
	run_ms(EMM_T3402_MS + 1000);
	CU_ASSERT_EQUAL(ues[1].emm.state, EMM_REGISTERED);
}

/* §5.5.3: TAU when known; an MME that lost the UE answers #9 and the UE attaches again. */
static void emm_ts24301_5_5_3_tau(void)
{
	setup_network();
	setup_ue(0, k_ok, 0);
	emm_attach(&ues[0].emm);
	pump();
	CU_ASSERT_EQUAL_FATAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(emm_tau(&ues[0].emm), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(mme.stats.tau, 1);
	/* The MME restarts and forgets the UE. */
	{
		struct mme_config c = mme.cfg;

		mme_init(&mme, &c, &mme_ops, &env);
		mme_add_subscriber(&mme, "001010000000001", k_ok, opc_ok, 0x10000);
	}
	CU_ASSERT_EQUAL(emm_tau(&ues[0].emm), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(ues[0].registered, 2);
	CU_ASSERT_EQUAL(mme.stats.attaches, 1);
}

/* §5.5.2.3: network detach with re-attach required; §5.5.2.2: switch-off detach. */
static void emm_ts24301_5_5_2_detach_variants(void)
{
	setup_network();
	setup_ue(0, k_ok, 0);
	emm_attach(&ues[0].emm);
	pump();
	CU_ASSERT_EQUAL(mme_detach(&mme, 1, true), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].deregistered, 1);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(ues[0].registered, 2);
	CU_ASSERT_EQUAL(emm_detach(&ues[0].emm, true), 0);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_NULL);
	pump();
	CU_ASSERT_EQUAL(mme.stats.detaches, 1);
	CU_ASSERT_EQUAL(mme.ues[0].state == MME_UE_DEREGISTERED ||
				mme.ues[1].state == MME_UE_DEREGISTERED,
			1);
}

/* §4.4.4.2: after security, unprotected or tampered messages are dropped and counted. */
static void emm_ts24301_4_4_4_unprotected_and_tampered_dropped(void)
{
	uint8_t pdu[64];
	struct nas_msg m;
	int n;

	setup_network();
	setup_ue(0, k_ok, 0);
	emm_attach(&ues[0].emm);
	pump();
	memset(&m, 0, sizeof(m));
	m.pd = NAS_PD_EMM;
	m.type = NAS_DETACH_REQUEST;
	m.u.detach_request.type = NAS_DETACH_REATTACH_NOT;
	n = nas_encode(&m, pdu, sizeof(pdu));
	CU_ASSERT_EQUAL(emm_rx(&ues[0].emm, pdu, (size_t)n), L2_EAUTH);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(ues[0].emm.stats.rx_dropped_unprotected, 1);
	/* Protected with the MME's context but one bit flipped: MAC failure. */
	n = nas_sec_protect(&mme.ues[0].sec, NAS_SEC_INT_ENC, pdu, (size_t)n, pdu, sizeof(pdu));
	pdu[8] ^= 4;
	CU_ASSERT_EQUAL(emm_rx(&ues[0].emm, pdu, (size_t)n), L2_EAUTH);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	/* Garbage never crashes either side. */
	CU_ASSERT(emm_rx(&ues[0].emm, (const uint8_t *)"\x07", 1) < 0);
	CU_ASSERT(mme_rx(&mme, 1, (const uint8_t *)"\x37\x00\x00\x00\x00\x00\x07", 7) < 0);
}

TEST_SUITE(emm, TEST_CASE(emm_ts24301_5_5_1_attach_and_default_bearer),
	   TEST_CASE(emm_tshark_attach_capture_decodes),
	   TEST_CASE(emm_ts24301_5_4_2_wrong_k_fails_others_attach),
	   TEST_CASE(emm_ts33102_sqn_resync_then_attach),
	   TEST_CASE(emm_ts24301_5_5_1_2_reject_and_timeouts), TEST_CASE(emm_ts24301_5_5_3_tau),
	   TEST_CASE(emm_ts24301_5_5_2_detach_variants),
	   TEST_CASE(emm_ts24301_4_4_4_unprotected_and_tampered_dropped))
