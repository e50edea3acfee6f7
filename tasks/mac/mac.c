/* SPDX-License-Identifier: BSD-2-Clause */
/* The MAC task: the UE MAC entity of protocols/ (random access, HARQ, BSR/SR, LCP, DL demux) on radio subframes. */
#include "l4e.h"
#include "mac.h"
#include "phy.h"
#include "rlc.h"
#include "rrc.h"
#include "sleep.h"
#include "sys_mac.h"

#include <l2/mac.h>
#include <l2/paging.h>
#include <l4e/keep.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/rlc_status.h>
#include <l4e/subframe.h>
#include <l4e/task.h>
#include <stddef.h>
#include <string.h>

#define POOL	  ((void *)SYS_POOL_FRAMES_ADDR)
#define NDESC	  48
#define UPQ	  MAC_MAX_ELEMS
#define SR_PERIOD 5	  /* subframes between scheduling requests (sr-ConfigIndex stand-in) */
#define CCCH_LEN  6	  /* RRCConnectionRequest: 48 bits (TS 36.331 §6.2.2) */
#define SI_RNTI	  0xffffu /* BCCH on DL-SCH (TS 36.321 §7.1) */
#define DSR_MAX	  64	  /* dsr-TransMax: SRs without a grant before the link failed (§5.4.4) */

enum link_state { IDLE, CONNECTING, CONNECTED };

static uint32_t rng = 0x2545f491u;

static uint32_t random32(void *ctx)
{
	(void)ctx;
	rng ^= rng << 13; /* xorshift32: deterministic for a given start */
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static struct l2_env env = {
	.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms, .random = random32};

static struct mac_ue ue;
static struct mac_ra ra;
static struct mac_harq_dl hdl;
static struct mac_harq_ul hul;
static struct mac_main_config cfg;
static enum link_state state;
static bool configured, connect_pending, granted;
static uint8_t ccch[MAC_CCCH_MAX], ccch_len = CCCH_LEN;
static uint16_t crnti;
static uint32_t subframe, last_sr, last_tti, sr_count;
static bool sr_failed; /* dsr-TransMax reached and told to RRC: no SR until a reset */
static uint32_t waiting[RLC_LCH_MAX]; /* RLC bytes per LCID, from its tick or status page */
static const volatile struct l4e_rlc_status *const rlc_status =
	(const volatile struct l4e_rlc_status *)SYS_POOL_RLC_STATUS_ADDR;

/* The answer to the open subframe, sent in one phy::radio answer (l4e/subframe.h). */
static struct l4e_buffer answer_h;
static struct l4e_sf *answer;

static void answer_put(struct l4e_sf_item item)
{
	if (answer && answer->n < L4E_SF_MAX_ITEMS)
		answer->item[answer->n++] = item;
}

/* DL SDUs for RLC, sent once the library returned (l4e/l2.h). */
static struct {
	uint8_t lcid;
	struct l4e_buffer h;
} upq[UPQ];
static uint32_t up_n;

static struct {
	uint32_t dl_tbs, dl_crc_fail, dl_other_rnti, ul_tbs, ul_retx, sr, ra_ok, ra_fail;
	uint32_t dropped;
} stats;

static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_MAC_IND;

/*
 * What the MAC keeps across its restarts (docs/reliability.md): its configuration, logical
 * channels and connection (checksummed), and its buffer descriptors, whose blocks a new
 * instance gives back. The rest (HARQ processes, LCP buckets, BSR and SR state) starts
 * afresh: a restarted MAC is a reset MAC (TS 36.321 §5.9) on the same connection.
 */
#define KEEP_VERSION 3
struct mac_keep {
	struct l4e_keep_hdr hdr;
	uint32_t configured, connected, n_lch;
	struct mac_main_config cfg;
	uint16_t crnti;
	struct mac_channel lch[RLC_LCH_MAX];
	uint8_t ccch[MAC_CCCH_MAX];
	uint32_t ccch_len;
	/* Not in the checksum: changed at every buffer, checked when taken over. */
	struct l4e_l2pool bufs;
	struct l2_buf descs[NDESC];
	struct l4e_buffer answer_h; /* the answer block (length 0: none) */
};
_Static_assert(sizeof(struct mac_keep) <= SYS_POOL_MAC_KEEP_SIZE - DRX_KEEP_SIZE,
	       "fits mac_keep, before drx.c's");
_Static_assert(offsetof(struct mac_keep, bufs) % 4 == 0, "the checksummed part is whole words");
static struct mac_keep *const kept = (struct mac_keep *)SYS_POOL_MAC_KEEP_ADDR;

static uint32_t keep_sum(void)
{
	return l4e_keep_sum(0, &kept->configured,
			    offsetof(struct mac_keep, bufs) -
				    offsetof(struct mac_keep, configured));
}

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

/* A handle for the radio to copy from: the block stays ours. */
static struct l4e_buffer handle_of(const struct l2_buf *b)
{
	return (struct l4e_buffer){.pool = SYS_POOL_FRAMES_ID,
				   .offset = (uint32_t)(b->store - (uint8_t *)POOL) + b->off,
				   .length = b->len};
}

/* ---------------------------------------------------------------- library hooks */

/* LCP asks RLC for a PDU (a call to a task above us that never calls back). */
static struct l2_buf *lch_tx_pdu(void *ctx, uint32_t max)
{
	uint8_t lcid = (uint8_t)(uintptr_t)ctx;
	struct l4e_buffer h;
	struct l2_buf *b;

	if (max > 0xffff || rlc_data_pull(SYS_CAP_USES_RLC_DATA, lcid, (uint16_t)max, &h) != 0)
		return NULL;
	b = l4e_l2_adopt(&kept->bufs, &h);
	if (b && waiting[lcid - 1] >= b->len)
		waiting[lcid - 1] -= b->len;
	else if (b)
		waiting[lcid - 1] = 0;
	return b;
}

static uint32_t lch_bytes(void *ctx)
{
	return waiting[(uintptr_t)ctx - 1];
}

static void rx_sdu(void *ctx, uint8_t lcid, struct l2_buf *sdu)
{
	(void)ctx;
	if (up_n == UPQ || lcid > RLC_LCH_MAX) {
		if (stats.dropped++ < 4)
			log_value("mac: DL SDU dropped, lcid", lcid);
		l2_buf_free(sdu);
		return;
	}
	upq[up_n].lcid = lcid;
	l4e_l2_handoff(&kept->bufs, sdu, &upq[up_n].h);
	up_n++;
}

static void up_flush(void)
{
	uint32_t i;

	for (i = 0; i < up_n; i++)
		if ((upq[i].lcid == MAC_LCID_CCCH
			     ? rrc_ind_rx(SYS_CAP_USES_RRC_IND, 0, &upq[i].h) /* DL-CCCH: RRC's */
			     : rlc_ind_rx(SYS_CAP_USES_RLC_IND, upq[i].lcid, &upq[i].h)) != 0) {
			stats.dropped++;
			l4e_pool_free(POOL, &upq[i].h);
		}
	up_n = 0;
}

static void send_preamble(void *ctx, uint8_t preamble, uint16_t ra_rnti, int16_t target_dbm)
{
	(void)ctx, (void)target_dbm;
	answer_put((struct l4e_sf_item){.type = L4E_SF_PRACH, .pid = preamble, .rnti = ra_rnti});
}

/* Msg3 goes out on the grant for the TC-RNTI (docs/radio-link.md, random access). */
static void send_msg3(void *ctx, uint32_t ul_grant, uint16_t tc_rnti, const uint8_t *pdu,
		      uint32_t len)
{
	(void)ctx, (void)ul_grant, (void)tc_rnti, (void)pdu, (void)len;
}

/* ---------------------------------------------------------------- subframe processing */

static void ra_check(void)
{
	if (state != CONNECTING)
		return;
	if (ra.state == MAC_RA_SUCCESS) {
		state = CONNECTED;
		crnti = ra.c_rnti;
		l4e_keep_open(&kept->hdr);
		kept->connected = 1;
		kept->crnti = crnti;
		l4e_keep_seal(&kept->hdr, keep_sum());
		/* A new connection starts with a reset MAC (§5.9): every process sees new data. */
		memset(&hdl, 0, sizeof(hdl));
		mac_harq_ul_release(&hul);
		mac_harq_ul_init(&hul, cfg.max_harq_tx);
		stats.ra_ok++;
		drx_connected(subframe);
		log_value("mac: random access done, C-RNTI", crnti);
		rrc_ind_connected(SYS_CAP_USES_RRC_IND, crnti);
	} else if (ra.state == MAC_RA_FAILED) {
		state = IDLE;
		l4e_keep_open(&kept->hdr);
		kept->connected = 0;
		l4e_keep_seal(&kept->hdr, keep_sum());
		stats.ra_fail++;
		drx_released();
		log_value("mac: random access failed, attempts", ra.attempts);
		rrc_ind_connected(SYS_CAP_USES_RRC_IND, 0);
	}
}

static void sf_begin(uint32_t sf)
{
	subframe = sf;
	granted = false;
	if (!configured)
		return;
	if (state == CONNECTED) {
		/* RLC's timers and up queue: a tick only when it has work (l4e/rlc_status.h). */
		if (l4e_rlc_tick_due(rlc_status, l4e_l2_now_ms((void *)SYS_POOL_CLOCK_ADDR)))
			rlc_data_tick(SYS_CAP_USES_RLC_DATA, sf, waiting);
		else
			memcpy(waiting, (const void *)rlc_status->bytes, sizeof(waiting));
	}
	if (connect_pending && state == IDLE && drx_may_connect()) {
		connect_pending = false;
		if (mac_ra_start(&ra, ccch, ccch_len, 0) == 0)
			state = CONNECTING;
	} else if (state == CONNECTING) {
		mac_ra_tick(&ra);
	}
	ra_check();
}

static void dl_data(uint16_t rnti, uint8_t pid, bool ndi, bool crc_ok, struct l2_buf *tb)
{
	bool deliver = false, ack, new_tx;

	if (state == IDLE && rnti == PAGING_P_RNTI) {
		if (crc_ok)
			drx_pcch(subframe, l2_buf_data(tb), tb->len); /* PCH: no HARQ */
		return;
	}
	if (state == CONNECTING && ra.state == MAC_RA_WAIT_RAR && rnti == ra.ra_rnti) {
		if (crc_ok)
			mac_ra_rx_rar(&ra, rnti, l2_buf_data(tb), tb->len); /* no HARQ for a RAR */
		return;
	}
	if (state == CONNECTING && ra.state == MAC_RA_WAIT_CR && rnti == ra.tc_rnti) {
		answer_put(
			(struct l4e_sf_item){.type = L4E_SF_HARQ_ACK, .pid = pid, .flag = crc_ok});
		if (crc_ok)
			mac_ra_rx_msg4(&ra, rnti, l2_buf_data(tb), tb->len);
		ra_check();
		/* Ours: its other SDUs (RRCConnectionSetup on the CCCH) go up (§5.1.5). */
		if (state == CONNECTED) {
			mac_ue_dl_tb(&ue, l2_buf_data(tb), tb->len);
			up_flush();
		}
		return;
	}
	if (state != CONNECTED || rnti != crnti) {
		stats.dl_other_rnti++;
		return;
	}
	new_tx = !hdl.p[pid & 7].used || hdl.p[pid & 7].ndi != ndi;
	ack = mac_harq_dl_rx(&hdl, pid, ndi, crc_ok, &deliver);
	drx_dl(pid, new_tx, ack);
	answer_put((struct l4e_sf_item){.type = L4E_SF_HARQ_ACK, .pid = pid, .flag = ack});
	if (deliver)
		mac_ue_dl_tb(&ue, l2_buf_data(tb), tb->len); /* drops and counts malformed PDUs */
	up_flush();
}

static void sf_dl_tb(uint16_t rnti, uint8_t pid, bool ndi, bool crc_ok, const struct l4e_buffer *h)
{
	struct l2_buf *tb = l4e_l2_adopt(&kept->bufs, h);
	struct l4e_buffer up;

	if (!tb)
		return;
	stats.dl_tbs++;
	stats.dl_crc_fail += !crc_ok;
	if (rnti == SI_RNTI) {
		/* BCCH: transparent MAC, no HARQ feedback (TS 36.321 §5.3.1); RRC reads it
		 * while it has no connection (system information, cell selection). */
		if (crc_ok && state != CONNECTED) {
			l4e_l2_handoff(&kept->bufs, tb, &up);
			if (rrc_ind_bcch(SYS_CAP_USES_RRC_IND, &up) != 0)
				l4e_pool_free(POOL, &up);
			return;
		}
		l2_buf_free(tb);
		return;
	}
	if (configured)
		dl_data(rnti, pid, ndi, crc_ok, tb);
	l2_buf_free(tb);
}

/* A new UL TB of `tbs` bytes: Msg3 while contending, else BSR/PHR and SDUs by LCP. */
static struct l2_buf *ul_build(uint16_t tbs, bool msg3)
{
	struct l2_buf *b = l2_buf_alloc(&kept->bufs.pool);
	struct mac_pdu_writer w;
	uint8_t *out;

	if (!b || tbs > L4E_POOL_BLOCK || !(out = l2_buf_put(b, tbs))) {
		l2_buf_free(b);
		return NULL;
	}
	if (msg3) {
		mac_pdu_init(&w, tbs, MAC_UL);
		mac_pdu_add(&w, MAC_LCID_CCCH, ccch, ccch_len);
		mac_pdu_finish(&w, out);
	} else {
		mac_ue_ul_tb(&ue, tbs, out);
	}
	return b;
}

static void sf_ul_grant(uint16_t rnti, uint8_t pid, bool ndi, uint16_t tbs)
{
	bool msg3 = state == CONNECTING && ra.state == MAC_RA_WAIT_CR && rnti == ra.tc_rnti;
	struct l2_buf *tb = NULL;
	struct l4e_buffer h;

	if (!configured || pid >= MAC_HARQ_PROCS ||
	    (!msg3 && (state != CONNECTED || rnti != crnti)))
		return;
	granted = true;
	/* NDI toggled or nothing held: a new TB (§5.4.2.1); else the held one again. */
	if (!msg3)
		drx_ul_grant(subframe, pid, hul.p[pid].ndi != ndi || !hul.p[pid].tb);
	if (hul.p[pid].ndi != ndi || !hul.p[pid].tb)
		tb = mac_harq_ul_grant(&hul, pid, ndi, ul_build(tbs, msg3));
	else if ((tb = mac_harq_ul_grant(&hul, pid, ndi, NULL)) != NULL)
		stats.ul_retx++;
	if (!tb)
		return;
	h = handle_of(tb);
	stats.ul_tbs++;
	answer_put((struct l4e_sf_item){.type = L4E_SF_UL_TB,
					.pid = pid,
					.rnti = rnti,
					.tbs = (uint16_t)h.length,
					.offset = h.offset});
}

static void sf_end(void)
{
	if (state != CONNECTED)
		return;
	/* The subframes slept through count for the BSR timers and LCP's buckets. */
	mac_ue_tti(&ue, last_tti && subframe > last_tti ? subframe - last_tti : 1);
	last_tti = subframe;
	if (granted)
		sr_count = 0;
	/* §5.4.4: a pending SR is signalled on its PUCCH occasions until a grant arrives;
	 * after dsr-TransMax of them the link failed, for RRC to decide (TS 36.331 §5.3.11). */
	if (ue.sr_pending && !granted && !sr_failed && subframe - last_sr >= SR_PERIOD) {
		last_sr = subframe;
		stats.sr++;
		answer_put((struct l4e_sf_item){.type = L4E_SF_SR});
		if (++sr_count >= DSR_MAX) {
			sr_failed = true;
			log_value("mac: no grant after scheduling requests", sr_count);
			rrc_ind_link_failed(SYS_CAP_USES_RRC_IND, RRC_RLF_CAUSE_SR_LIMIT, 0);
		}
	}
}

/* One DL subframe (l4e/subframe.h): its items in the radio link's order, then the answer. */
static int op_subframe(void *ctx, l4_word_t badge, uint32_t sf, const struct l4e_buffer *items)
{
	const struct l4e_sf *s = l4e_pool_ptr(POOL, items);
	uint32_t i, n = l4e_sf_count(s, items->length), wake;

	(void)ctx, (void)badge;
	if (answer) {
		answer->subframe = sf;
		answer->n = 0;
	}
	sf_begin(sf);
	for (i = 0; i < n; i++) {
		const struct l4e_sf_item *it = &s->item[i];
		struct l4e_buffer h = {
			.pool = SYS_POOL_FRAMES_ID, .offset = it->offset, .length = it->tbs};

		if (it->type == L4E_SF_DL_TB)
			sf_dl_tb(it->rnti, it->pid, it->flag != 0, it->crc_ok != 0, &h);
		else if (it->type == L4E_SF_UL_GRANT)
			sf_ul_grant(it->rnti, it->pid, it->flag != 0, it->tbs);
		else if (it->type == L4E_SF_PHICH && configured) {
			mac_harq_ul_feedback(&hul, it->pid, it->flag != 0);
			drx_phich(it->pid);
		}
	}
	sf_end();
	/* DRX: the next subframe to see, when it is not the next one (l4e/subframe.h). */
	wake = drx_sf_end(sf, state == CONNECTED, state == CONNECTED && ue.sr_pending);
	if (wake > sf + 1)
		answer_put((struct l4e_sf_item){.type = L4E_SF_WAKE, .offset = wake});
	l4e_pool_free(POOL, items);
	if (answer && answer->n) {
		answer_h.length = (uint32_t)(sizeof(*answer) + answer->n * sizeof(answer->item[0]));
		phy_radio_answer(SYS_CAP_USES_PHY_RADIO, &answer_h);
	}
	return 0;
}

/* The run is over (the radio got END): MAC reset, every HARQ buffer emptied (§5.9). */
static int op_release(void *ctx, l4_word_t badge)
{
	(void)ctx, (void)badge;
	if (answer) {
		l4e_pool_free(POOL, &answer_h);
		answer = NULL;
		kept->answer_h.length = 0;
	}
	drx_released();
	if (!configured)
		return 0;
	mac_harq_ul_release(&hul);
	mac_harq_ul_init(&hul, cfg.max_harq_tx);
	memset(&hdl, 0, sizeof(hdl));
	log_value("mac: released, HARQ buffers emptied, descriptors in use",
		  NDESC - kept->bufs.pool.avail);
	return 0;
}

/* ---------------------------------------------------------------- control (RRC) */

static int configure(const struct mac_main_config *c)
{
	struct mac_ue_config ucfg = {.periodic_bsr_ms = c->periodic_bsr_ms,
				     .retx_bsr_ms = c->retx_bsr_ms};
	struct mac_ra_config rcfg = {.num_preambles = c->num_preambles,
				     .preamble_trans_max = c->preamble_trans_max,
				     .rar_window = c->rar_window,
				     .cr_timer = c->cr_timer,
				     .initial_power_dbm = -104,
				     .power_ramping_db = 2};
	struct mac_phy_ops phy = {.send_preamble = send_preamble, .send_msg3 = send_msg3};

	if (mac_ue_init(&ue, &ucfg, &env, &kept->bufs.pool) != 0 ||
	    mac_ra_init(&ra, &rcfg, &phy, &env) != 0)
		return MAC_ERROR_BAD_CONFIG;
	ue.rx_sdu = rx_sdu;
	mac_harq_ul_init(&hul, c->max_harq_tx);
	memset(&hdl, 0, sizeof(hdl));
	cfg = *c;
	configured = true;
	return 0;
}

static int op_configure(void *ctx, l4_word_t badge, const struct mac_main_config *c)
{
	int err;

	(void)ctx, (void)badge;
	if (configured)
		return MAC_ERROR_BUSY;
	err = configure(c);
	if (!err) {
		l4e_keep_open(&kept->hdr);
		kept->cfg = *c;
		kept->configured = 1;
		l4e_keep_seal(&kept->hdr, keep_sum());
	}
	return err;
}

static int add_lch(const struct mac_channel *l)
{
	struct mac_lch lch = {.lcid = l->lcid,
			      .priority = l->priority,
			      .pbr = l->pbr_kbps == 0xffff ? MAC_PBR_INFINITY
							   : (uint32_t)l->pbr_kbps * 1000u / 8u,
			      .bsd_ms = l->bsd_ms,
			      .lcg = l->lcg,
			      .ctx = (void *)(uintptr_t)l->lcid,
			      .tx_pdu = lch_tx_pdu,
			      .buffer_bytes = lch_bytes};

	if (!configured)
		return MAC_ERROR_BAD_CONFIG;
	if (l->lcid < 1 || l->lcid > RLC_LCH_MAX)
		return MAC_ERROR_BAD_LCID;
	return mac_ue_add_lch(&ue, &lch) == 0 ? 0 : MAC_ERROR_BAD_CONFIG;
}

static int op_add_lch(void *ctx, l4_word_t badge, const struct mac_channel *l)
{
	unsigned i;
	int err;

	(void)ctx, (void)badge;
	for (i = 0; i < kept->n_lch; i++)
		if (kept->lch[i].lcid == l->lcid)
			return 0; /* kept through a MAC reset: a new connection adds it again */
	err = add_lch(l);
	if (!err && kept->n_lch < RLC_LCH_MAX) {
		l4e_keep_open(&kept->hdr);
		kept->lch[kept->n_lch++] = *l;
		l4e_keep_seal(&kept->hdr, keep_sum());
	}
	return err;
}

static int op_connect(void *ctx, l4_word_t badge, uint32_t lo, uint16_t hi)
{
	unsigned i;

	(void)ctx, (void)badge;
	if (!configured)
		return MAC_ERROR_BAD_CONFIG;
	if (state != IDLE)
		return MAC_ERROR_BUSY;
	for (i = 0; i < 4; i++)
		ccch[i] = (uint8_t)(lo >> (24 - 8 * i));
	ccch[4] = (uint8_t)(hi >> 8);
	ccch[5] = (uint8_t)hi;
	connect_pending = true;
	l4e_keep_open(&kept->hdr);
	ccch_len = CCCH_LEN;
	memcpy(kept->ccch, ccch, CCCH_LEN);
	kept->ccch_len = CCCH_LEN;
	l4e_keep_seal(&kept->hdr, keep_sum());
	return 0;
}

/* RRC's CCCH message of any length up to MAC_CCCH_MAX; a random access under way starts
 * over with it (a new RRCConnectionRequest after T300, say). */
static int op_connect_sdu(void *ctx, l4_word_t badge, const struct l4e_buffer *sdu)
{
	uint32_t len = sdu->length;

	(void)ctx, (void)badge;
	if (!configured || len < 1 || len > MAC_CCCH_MAX) {
		l4e_pool_free(POOL, sdu);
		return MAC_ERROR_BAD_CONFIG;
	}
	if (state == CONNECTED) {
		l4e_pool_free(POOL, sdu);
		return MAC_ERROR_BUSY;
	}
	memcpy(ccch, l4e_pool_ptr(POOL, sdu), len);
	ccch_len = (uint8_t)len;
	l4e_pool_free(POOL, sdu);
	state = IDLE;
	ra.state = MAC_RA_IDLE; /* a new random access, whatever the last one did */
	connect_pending = true;
	l4e_keep_open(&kept->hdr);
	memcpy(kept->ccch, ccch, len);
	kept->ccch_len = len;
	l4e_keep_seal(&kept->hdr, keep_sum());
	return 0;
}

/*
 * MAC reset (TS 36.321 §5.9), for RRC after a radio link failure: the entity as just
 * configured (HARQ processes empty, no UL TB held, LCP buckets, BSR and SR state afresh,
 * random access idle), with its logical channels; the connection is gone until RRC
 * connects again.
 */
static int op_reset(void *ctx, l4_word_t badge)
{
	unsigned i;

	(void)ctx, (void)badge;
	if (!configured)
		return MAC_ERROR_BAD_CONFIG;
	mac_harq_ul_release(&hul);
	if (configure(&kept->cfg) != 0)
		return MAC_ERROR_BAD_CONFIG;
	for (i = 0; i < kept->n_lch; i++)
		add_lch(&kept->lch[i]);
	state = IDLE;
	crnti = 0;
	connect_pending = false;
	sr_count = 0;
	sr_failed = false;
	last_tti = 0; /* the new connection's first subframe counts as one, not the outage */
	memset(waiting, 0, sizeof(waiting));
	l4e_keep_open(&kept->hdr);
	kept->connected = 0;
	kept->crnti = 0;
	l4e_keep_seal(&kept->hdr, keep_sum());
	log_value("mac: reset, descriptors in use", NDESC - kept->bufs.pool.avail);
	return 0;
}

static const struct mac_ind_ops ind_ops = {.subframe = op_subframe, .release = op_release};
static const struct mac_ctrl_ops ctrl_ops = {.configure = op_configure,
					     .add_lch = op_add_lch,
					     .connect = op_connect,
					     .reset = op_reset,
					     .connect_sdu = op_connect_sdu};

/*
 * A new instance that finds a valid kept state: the blocks its predecessor held go back to
 * the pool, and the MAC comes up configured, with its logical channels, on the same
 * connection (C-RNTI), reset: every HARQ process empty and taking its next TB as new
 * data, no UL TB held, BSR and SR state afresh (TS 36.321 §5.9).
 */
static void take_over(void)
{
	uint32_t freed = l4e_keep_free_blocks(&kept->bufs.pool, kept->descs, NDESC, POOL,
					      SYS_POOL_FRAMES_ID);
	unsigned i;

	kept->hdr.takeovers++;
	if (kept->answer_h.length && l4e_pool_valid(POOL, &kept->answer_h))
		l4e_pool_free(POOL, &kept->answer_h); /* the previous instance's answer block */
	kept->answer_h.length = 0;
	if (l4e_l2pool_init(&kept->bufs, kept->descs, NDESC, POOL, SYS_POOL_FRAMES_ID, 0) != 0 ||
	    !kept->configured || configure(&kept->cfg) != 0)
		return;
	for (i = 0; i < kept->n_lch; i++)
		add_lch(&kept->lch[i]);
	ccch_len = kept->ccch_len && kept->ccch_len <= MAC_CCCH_MAX ? (uint8_t)kept->ccch_len
								    : CCCH_LEN;
	memcpy(ccch, kept->ccch, ccch_len);
	if (kept->connected) {
		state = CONNECTED;
		crnti = kept->crnti;
	}
	log_value("mac: restarted, MAC reset on C-RNTI", crnti);
	log_value("mac: blocks of the previous instance given back", freed);
}

static void init_once(void)
{
	static bool done;

	if (!done) {
		done = true;
		if (l4e_keep_valid(&kept->hdr, KEEP_VERSION, sizeof(*kept), keep_sum())) {
			take_over();
		} else {
			l4e_keep_reset(&kept->hdr, KEEP_VERSION, sizeof(*kept));
			l4e_keep_seal(&kept->hdr, keep_sum());
			l4e_l2pool_init(&kept->bufs, kept->descs, NDESC, POOL, SYS_POOL_FRAMES_ID,
					0);
		}
	}
	if (!answer && l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, L4E_POOL_BLOCK, &answer_h) == 0) {
		/* Ours until release, reused every subframe; a successor gives it back. */
		answer = l4e_pool_ptr(POOL, &answer_h);
		kept->answer_h = answer_h;
	}
}

void mac_ind_main(uint32_t arg);
void mac_ctrl_main(uint32_t arg);

void mac_ind_main(uint32_t arg)
{
	struct mac_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_MAC_IND};

	(void)arg;
	init_once();
	mac_ind_serve(&srv, SYS_CAP_PROVIDES_MAC_IND);
}

void mac_ctrl_main(uint32_t arg)
{
	static const struct l4e_pool ctrl_pools[] = SYS_SERVER_POOLS_MAC_CTRL;
	struct mac_ctrl_server srv = {
		.ops = &ctrl_ops, .pools = ctrl_pools, .npools = SYS_SERVER_NPOOLS_MAC_CTRL};

	(void)arg;
	init_once();
	mac_ctrl_serve(&srv, SYS_CAP_PROVIDES_MAC_CTRL);
}
