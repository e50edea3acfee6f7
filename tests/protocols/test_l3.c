/* SPDX-License-Identifier: BSD-2-Clause */
/* Layer 3 end to end over an RRC message loopback: UE (EMM + RRC + USIM) against eNB RRC + MME/HSS. */
#define _POSIX_C_SOURCE 200809L
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "l2/pcap.h"
#include "l3/emm.h"
#include "l3/mme.h"
#include "l3/rrc_sm.h"
#include "tshark.h"

#ifndef RRC_CAPTURE_PATH
#define RRC_CAPTURE_PATH "build/captures/rrc_messages.pcap"
#endif
#define L3_CAPTURE RRC_CAPTURE_PATH ".attach"

#define NUE  4
#define QLEN 128

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

struct l3ue {
	struct emm_ue emm;
	struct rrc_ue rrc;
	struct usim usim;
	uint16_t rnti;
	struct rrc_as_keys keys;
	bool has_keys;
	int connects, failures, releases, l2_reest;
	bool drb;
};

/* A PDU on the air: uplink from UE `ue` or downlink to it, on an SRB. */
struct air {
	bool ul;
	int ue;
	uint8_t srb;
	uint8_t pdu[2048];
	size_t len;
};

static struct l3ue ues[NUE];
static struct rrc_enb enb;
static struct mme mme;
static struct rrc_as_keys enb_keys[NUE];
static struct air air[QLEN];
static unsigned a_head, a_n;
static uint16_t next_rnti;
static bool enb_silent;	       /* the cell does not answer (T300) */
static uint32_t conn_rnti[64]; /* S1 connection -> current C-RNTI */
static uint32_t next_conn;
static FILE *capture;
static struct pcap_writer cap_w;
static uint64_t cap_t;

static int ue_of_rnti(uint16_t rnti)
{
	int i;

	for (i = 0; i < NUE; i++)
		if (ues[i].rnti == rnti)
			return i;
	return -1;
}

static void air_put(bool ul, int ue, uint8_t srb, const uint8_t *pdu, size_t len)
{
	struct air *a = &air[(a_head + a_n) % QLEN];

	CU_ASSERT_FATAL(a_n < QLEN && len <= sizeof(a->pdu));
	a->ul = ul;
	a->ue = ue;
	a->srb = srb;
	memcpy(a->pdu, pdu, len);
	a->len = len;
	a_n++;
	if (capture) {
		const char *d = ul ? (srb ? "lte-rrc.ul.dcch" : "lte-rrc.ul.ccch")
				   : (srb ? "lte-rrc.dl.dcch" : "lte-rrc.dl.ccch");

		pcap_write_pdu(&cap_w, cap_t += 1000, d, pdu, (uint32_t)len);
	}
}

/* UE glue: RRC below EMM, the USIM beside it. */
static void ue_rrc_send(void *ctx, uint8_t srb, const uint8_t *pdu, size_t len)
{
	struct l3ue *u = ctx;

	if (srb == 0 &&
	    (u->rrc.state == RRC_UE_CONNECTING || u->rrc.state == RRC_UE_REESTABLISHING)) {
		/* Random access gives a new C-RNTI for the CCCH message (TS 36.321 §5.1.5). */
		u->rnti = ++next_rnti;
		if (u->rrc.state == RRC_UE_CONNECTING)
			rrc_ue_set_c_rnti(&u->rrc, u->rnti);
	}
	air_put(true, (int)(u - ues), srb, pdu, len);
}

static void ue_rrc_nas(void *ctx, const uint8_t *pdu, size_t len)
{
	emm_rx(&((struct l3ue *)ctx)->emm, pdu, len);
}

static void ue_rrc_connection(void *ctx, bool up, bool failure)
{
	struct l3ue *u = ctx;

	if (up) {
		u->connects++;
		return;
	}
	if (failure) {
		u->failures++;
		emm_lower_layer_failure(&u->emm);
	} else {
		u->releases++;
		emm_conn_released(&u->emm);
	}
}

static void ue_rrc_configure(void *ctx, const struct rrc_radio_config *rr)
{
	if (rr->n_drb)
		((struct l3ue *)ctx)->drb = true;
}

static void ue_rrc_security(void *ctx, const struct rrc_as_keys *k)
{
	struct l3ue *u = ctx;

	u->keys = *k;
	u->has_keys = true;
}

static void ue_rrc_reest_l2(void *ctx, bool resume)
{
	if (resume)
		((struct l3ue *)ctx)->l2_reest++;
}

static void ue_emm_send(void *ctx, const uint8_t *pdu, size_t len, bool initial)
{
	(void)initial;
	rrc_ue_nas(&((struct l3ue *)ctx)->rrc, pdu, len, 3 /* mo-Signalling */);
}

static int ue_emm_auth(void *ctx, const uint8_t rand[16], const uint8_t autn[16],
		       struct usim_auth_result *out)
{
	return usim_authenticate(&((struct l3ue *)ctx)->usim, rand, autn, out);
}

static void ue_emm_kenb(void *ctx, const uint8_t kenb[32])
{
	rrc_ue_set_kenb(&((struct l3ue *)ctx)->rrc, kenb);
}

static void ue_emm_release(void *ctx)
{
	rrc_ue_release_local(&((struct l3ue *)ctx)->rrc);
}

static void ue_emm_event(void *ctx, enum emm_event ev, int arg)
{
	struct l3ue *u = ctx;

	(void)arg;
	if (ev == EMM_EV_REGISTERED && u->emm.has_guti)
		rrc_ue_set_s_tmsi(&u->rrc, true, u->emm.guti.guti.mmec, u->emm.guti.guti.m_tmsi);
}

/* eNB glue: S1 to the MME by connection id, which survives C-RNTI changes. */
static uint32_t conn_of(uint16_t rnti)
{
	uint32_t c;

	for (c = 1; c <= next_conn; c++)
		if (conn_rnti[c] == rnti)
			return c;
	return 0;
}

static void enb_send(void *ctx, uint16_t rnti, uint8_t srb, const uint8_t *pdu, size_t len)
{
	int i = ue_of_rnti(rnti);

	(void)ctx;
	if (i >= 0 && !enb_silent)
		air_put(false, i, srb, pdu, len);
}

static void enb_s1_nas(void *ctx, uint16_t rnti, const uint8_t *nas, size_t len, bool initial)
{
	uint32_t c = conn_of(rnti);

	(void)ctx;
	if (initial || !c) {
		c = ++next_conn;
		conn_rnti[c] = rnti;
	}
	mme_rx(&mme, c, nas, len);
}

static void enb_security(void *ctx, uint16_t rnti, const struct rrc_as_keys *k)
{
	int i = ue_of_rnti(rnti);

	(void)ctx;
	if (i >= 0)
		enb_keys[i] = *k;
}

static void enb_setup_done(void *ctx, uint16_t rnti, bool ok)
{
	(void)ctx;
	mme_context_setup_done(&mme, conn_of(rnti), ok);
}

static void enb_rnti_changed(void *ctx, uint16_t old_rnti, uint16_t new_rnti)
{
	uint32_t c = conn_of(old_rnti);

	(void)ctx;
	if (c && new_rnti) {
		conn_rnti[c] = new_rnti;
	} else if (c) {
		conn_rnti[c] = 0;
		mme_conn_released(&mme, c);
	}
}

static void mme_send_cb(void *ctx, uint32_t conn, const uint8_t *pdu, size_t len)
{
	(void)ctx;
	rrc_enb_dl_nas(&enb, (uint16_t)conn_rnti[conn], pdu, len);
}

static void mme_setup_cb(void *ctx, uint32_t conn, const uint8_t kenb[32], uint8_t ebi, uint8_t qci,
			 const uint8_t *nas, size_t len)
{
	(void)ctx;
	rrc_enb_context_setup(&enb, (uint16_t)conn_rnti[conn], kenb, ebi, qci, nas, len);
}

static void mme_release_cb(void *ctx, uint32_t conn)
{
	(void)ctx;
	if (conn_rnti[conn])
		rrc_enb_release(&enb, (uint16_t)conn_rnti[conn]);
}

static void pump(void)
{
	while (a_n) {
		struct air a = air[a_head];

		a_head = (a_head + 1) % QLEN;
		a_n--;
		if (a.ul)
			rrc_enb_rx(&enb, ues[a.ue].rnti, a.srb, a.pdu, a.len);
		else
			rrc_ue_rx(&ues[a.ue].rrc, a.srb, a.pdu, a.len);
	}
}

static void run_ms(uint32_t ms)
{
	uint32_t end = now_ms + ms;
	int i;

	while ((int32_t)(end - now_ms) > 0) {
		now_ms += 10;
		for (i = 0; i < NUE; i++) {
			emm_tick(&ues[i].emm);
			rrc_ue_tick(&ues[i].rrc);
		}
		mme_tick(&mme);
		pump();
	}
}

static void setup(int n_ue, int bad_k_ue)
{
	static const struct rrc_enb_ops eops = {.send = enb_send,
						.s1_nas = enb_s1_nas,
						.security = enb_security,
						.context_setup_done = enb_setup_done,
						.rnti_changed = enb_rnti_changed};
	static const struct mme_ops mops = {
		.send = mme_send_cb, .context_setup = mme_setup_cb, .release = mme_release_cb};
	struct rrc_enb_config ec;
	struct mme_config mc;
	uint8_t bcch[64];
	int i, n;

	memset(ues, 0, sizeof(ues));
	memset(enb_keys, 0, sizeof(enb_keys));
	memset(conn_rnti, 0, sizeof(conn_rnti));
	now_ms = 0;
	a_head = a_n = 0;
	next_rnti = 0x46;
	next_conn = 0;
	enb_silent = false;
	memset(&ec, 0, sizeof(ec));
	ec.pci = 1;
	ec.earfcn = 3100;
	ec.cell_id = 0x19b01;
	ec.tac = 7;
	ec.plmn.has_mcc = true;
	ec.plmn.mcc[2] = 1;
	ec.plmn.mnc_len = 2;
	ec.plmn.mnc[1] = 1;
	ec.eea = 2;
	ec.eia = 2;
	ec.mac.has_drx = true; /* DRX configured with the DRB */
	ec.mac.drx_setup = true;
	ec.mac.on_duration_timer = 7;
	ec.mac.drx_inactivity_timer = 8;
	ec.mac.long_cycle = 9;
	ec.mac.time_alignment_timer = 7;
	ec.sib2.t300 = 3; /* 400 ms */
	ec.sib2.t301 = 3;
	ec.sib2.t311 = 0; /* 1000 ms */
	ec.sib2.max_harq_msg3_tx = 4;
	ec.sib2.n_sb = 1;
	ec.sib2.additional_spectrum_emission = 1;
	ec.sib2.p0_nominal_pusch = -85;
	ec.sib2.p0_nominal_pucch = -107;
	CU_ASSERT_EQUAL_FATAL(rrc_enb_init(&enb, &ec, &eops, &env), 0);
	memset(&mc, 0, sizeof(mc));
	mc.plmn = (struct nas_plmn){1, 1, 2};
	mc.tac = 7;
	mc.mmegi = 0x8001;
	mc.mmec = 0x1a;
	mc.t3412 = 0x21;
	mc.ip_base[0] = 10, mc.ip_base[1] = 45, mc.ip_base[3] = 1;
	CU_ASSERT_EQUAL_FATAL(mme_init(&mme, &mc, &mops, &env), 0);
	for (i = 0; i < n_ue; i++) {
		struct rrc_ue_ops rops = {.ctx = &ues[i],
					  .send = ue_rrc_send,
					  .nas = ue_rrc_nas,
					  .connection = ue_rrc_connection,
					  .configure = ue_rrc_configure,
					  .security = ue_rrc_security,
					  .reestablish_l2 = ue_rrc_reest_l2};
		struct emm_ops eo = {.ctx = &ues[i],
				     .send = ue_emm_send,
				     .authenticate = ue_emm_auth,
				     .kenb = ue_emm_kenb,
				     .release = ue_emm_release,
				     .event = ue_emm_event};
		struct rrc_ue_eutra_cap cap;
		struct emm_config c;
		uint8_t k[16];

		memset(&c, 0, sizeof(c));
		snprintf(c.imsi, sizeof(c.imsi), "00101000000000%u", (unsigned)(i + 1) % 10);
		c.plmn = mc.plmn;
		c.ue_net_cap[0] = c.ue_net_cap[1] = 0xe0;
		memcpy(c.apn, "internet", 9);
		CU_ASSERT_FATAL(mme_add_subscriber(&mme, c.imsi, k_ok, opc_ok, 0x40) >= 0);
		memcpy(k, k_ok, 16);
		if (i == bad_k_ue)
			k[15] ^= 0x80;
		usim_init(&ues[i].usim, k, opc_ok);
		memset(&cap, 0, sizeof(cap));
		cap.category = 4;
		cap.n_bands = 1;
		cap.band[0] = 7;
		rrc_ue_init(&ues[i].rrc, &cap, &rops, &env);
		CU_ASSERT_EQUAL_FATAL(emm_init(&ues[i].emm, &c, &eo, &env), 0);
		/* The UE camps: system information from the eNB's broadcast. */
		n = rrc_enb_bcch(&enb, RRC_SIB1, 0, bcch, sizeof(bcch));
		CU_ASSERT_EQUAL(
			rrc_ue_rx_bcch(&ues[i].rrc, RRC_BCCH_DL_SCH, bcch, (size_t)n, 1, 3100), 0);
		n = rrc_enb_bcch(&enb, RRC_SI, 0, bcch, sizeof(bcch));
		CU_ASSERT_EQUAL(
			rrc_ue_rx_bcch(&ues[i].rrc, RRC_BCCH_DL_SCH, bcch, (size_t)n, 1, 3100), 0);
	}
}

/*
 * Attach through RRC: connection setup carries the ATTACH REQUEST, NAS runs over
 * UL/DLInformationTransfer, the initial context setup turns on AS security (both sides the
 * same K_RRCint/K_UPenc), asks for capabilities and adds the DRB with the ATTACH ACCEPT.
 */
static void l3_attach_over_rrc(void)
{
	struct rrc_enb_ue *eu;

	setup(1, -1);
	capture = tshark_capture_open(L3_CAPTURE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(capture);
	{
		struct pcap_sink s = {capture, tshark_file_write};

		pcap_open(&cap_w, &s, PCAP_EXPORTED_PDU);
	}
	CU_ASSERT(ues[0].rrc.has_sib2);
	CU_ASSERT_EQUAL(ues[0].rrc.t300_ms, 400);
	CU_ASSERT_EQUAL(emm_attach(&ues[0].emm), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_CONNECTED);
	CU_ASSERT(ues[0].rrc.security_active);
	CU_ASSERT(ues[0].drb);
	CU_ASSERT(ues[0].emm.bearer_active);
	eu = rrc_enb_find(&enb, ues[0].rnti);
	CU_ASSERT_PTR_NOT_NULL_FATAL(eu);
	CU_ASSERT_EQUAL(eu->state, RRC_ENB_CONNECTED);
	CU_ASSERT(eu->drb_active && eu->has_cap);
	CU_ASSERT_EQUAL(eu->cap.band[0], 7);
	CU_ASSERT(ues[0].has_keys);
	CU_ASSERT_EQUAL(memcmp(&ues[0].keys, &enb_keys[0], sizeof(enb_keys[0])), 0);
	CU_ASSERT_EQUAL(mme.stats.attaches, 1);
	/* Detach: DETACH ACCEPT, then the MME has the connection released. */
	CU_ASSERT_EQUAL(emm_detach(&ues[0].emm, false), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_NULL);
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_IDLE);
	CU_ASSERT_EQUAL(ues[0].releases, 1);
	CU_ASSERT_PTR_NULL(rrc_enb_find(&enb, ues[0].rnti));
	fclose(capture);
	capture = NULL;
}

/* The RRC capture of that attach (with its NAS) decodes in tshark, nothing malformed. */
static void l3_tshark_rrc_capture_decodes(void)
{
	static char out[1 << 15];

	tshark_run(L3_CAPTURE, "-Y '_ws.malformed || _ws.expert.severity >= 6291456'", out,
		   sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "");
	tshark_run(L3_CAPTURE, "", out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "RRCConnectionRequest"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "RRCConnectionSetupComplete, Attach request"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Authentication request"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "SecurityModeCommand"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "UECapabilityInformation"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "RRCConnectionReconfiguration"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "RRCConnectionRelease"));
}

/* Four UEs, one with a wrong K: it is rejected and released; the three others attach. */
static void l3_four_ues_one_wrong_k(void)
{
	int i;

	setup(NUE, 1);
	for (i = 0; i < NUE; i++)
		emm_attach(&ues[i].emm);
	pump();
	for (i = 0; i < NUE; i++) {
		if (i == 1) {
			CU_ASSERT_EQUAL(ues[i].emm.state, EMM_DEREGISTERED_NO_RETRY);
			CU_ASSERT_EQUAL(ues[i].rrc.state, RRC_UE_IDLE);
		} else {
			CU_ASSERT_EQUAL(ues[i].emm.state, EMM_REGISTERED);
			CU_ASSERT(ues[i].rrc.security_active);
		}
	}
	CU_ASSERT_EQUAL(mme.stats.attaches, 3);
}

/*
 * Radio link failure while connected (§5.3.11): T311, cell selection, re-establishment
 * with shortMAC-I, K_eNB* on both sides, SRB2/DRB resumed by a reconfiguration; the NAS
 * keeps its registration and signalling works afterwards.
 */
static void l3_rlf_reestablishment(void)
{
	uint8_t old_int[16];
	uint16_t old_rnti;

	setup(1, -1);
	emm_attach(&ues[0].emm);
	pump();
	CU_ASSERT_EQUAL_FATAL(ues[0].emm.state, EMM_REGISTERED);
	memcpy(old_int, ues[0].keys.k_rrc_int, 16);
	old_rnti = ues[0].rnti;
	rrc_ue_radio_link_failure(&ues[0].rrc);
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_REESTABLISHING);
	run_ms(100);
	CU_ASSERT_EQUAL(rrc_ue_cell_selected(&ues[0].rrc), 0);
	pump();
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_CONNECTED);
	CU_ASSERT_EQUAL(ues[0].rrc.stats.reestablishments, 1);
	CU_ASSERT_EQUAL(ues[0].l2_reest, 1);
	CU_ASSERT(ues[0].rnti != old_rnti);
	CU_ASSERT(memcmp(old_int, ues[0].keys.k_rrc_int, 16) != 0);
	CU_ASSERT_EQUAL(memcmp(&ues[0].keys, &enb_keys[0], sizeof(enb_keys[0])), 0);
	CU_ASSERT_EQUAL(rrc_enb_find(&enb, ues[0].rnti)->state, RRC_ENB_CONNECTED);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	CU_ASSERT_EQUAL(ues[0].failures, 0);
	/* NAS over the re-established connection: a TAU goes through. */
	CU_ASSERT_EQUAL(emm_tau(&ues[0].emm), 0);
	pump();
	CU_ASSERT_EQUAL(mme.stats.tau, 1);
	/* A second RLF with no cell found: T311 expires, RRC_IDLE, NAS told. */
	rrc_ue_radio_link_failure(&ues[0].rrc);
	run_ms(1100);
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_IDLE);
	CU_ASSERT_EQUAL(ues[0].failures, 1);
	/* A re-establishment the eNB cannot verify is rejected (§5.3.7.8). */
	setup(1, -1);
	emm_attach(&ues[0].emm);
	pump();
	rrc_ue_radio_link_failure(&ues[0].rrc);
	ues[0].rrc.keys.k_rrc_int[0] ^= 1; /* a wrong shortMAC-I */
	rrc_ue_cell_selected(&ues[0].rrc);
	pump();
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_IDLE);
	CU_ASSERT_EQUAL(enb.stats.reest_rejects, 1);
}

/* §5.3.3.6: no answer to the request: T300, NAS sees a lower layer failure and retries (T3411). */
static void l3_t300_and_reject(void)
{
	setup(1, -1);
	enb_silent = true;
	emm_attach(&ues[0].emm);
	pump();
	run_ms(450);
	CU_ASSERT_EQUAL(ues[0].rrc.stats.t300_expiries, 1);
	CU_ASSERT_EQUAL(ues[0].rrc.state, RRC_UE_IDLE);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_DEREGISTERED);
	enb_silent = false;
	run_ms(EMM_T3411_MS);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
	/* §5.3.3.8: RRCConnectionReject: IDLE with waitTime, the attach attempt fails. */
	setup(1, -1);
	enb.reject_all = true;
	emm_attach(&ues[0].emm);
	pump();
	CU_ASSERT_EQUAL(ues[0].rrc.stats.rejects, 1);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_DEREGISTERED);
	CU_ASSERT(ues[0].rrc.waiting);
	enb.reject_all = false;
	run_ms(EMM_T3411_MS + 100);
	CU_ASSERT_EQUAL(ues[0].emm.state, EMM_REGISTERED);
}

TEST_SUITE(l3, TEST_CASE(l3_attach_over_rrc), TEST_CASE(l3_tshark_rrc_capture_decodes),
	   TEST_CASE(l3_four_ues_one_wrong_k), TEST_CASE(l3_rlf_reestablishment),
	   TEST_CASE(l3_t300_and_reject))
