/* SPDX-License-Identifier: BSD-2-Clause */
/* The RLC task: an AM or UM entity of protocols/ per radio bearer (TS 36.322), between PDCP and MAC. */
#include "l4e.h"
#include "pdcp.h"
#include "rlc.h"
#include "rrc.h"
#include "sys_rlc.h"

#include <l2/rlc.h>
#include <l4e/keep.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/rlc_status.h>
#include <l4e/task.h>

#define POOL ((void *)SYS_POOL_FRAMES_ADDR)
/*
 * Buffers this task may hold at once: queued SDUs, PDUs in flight (RLC_AM_TX_SLOTS) and
 * out of order (RLC_AM_RX_SLOTS) of a busy bearer, and the SRBs' few. Running out would
 * stall AM both ways (no STATUS could be built), so the SDU queue is bounded below it.
 */
#define NDESC (RLC_AM_TX_SLOTS + RLC_AM_RX_SLOTS + SDU_QUEUE + 32)
#define UPQ                    \
	(2 * RLC_AM_RX_SLOTS + \
	 32)		      /* SDUs one PDU may complete: a whole reordering window of two each */
#define UP_BIT	  0x80000000u /* task notification bit: SDUs wait in the up queue */
#define SDU_QUEUE 96	      /* SDUs queued per entity before tx refuses (NO_SPACE) */
/*
 * SDU bytes handed up to PDCP per subframe (docs/modem.md, "Deadline-driven delivery"):
 * after a HARQ or ARQ hole is filled, AM releases a whole window at once, and PDCP's
 * deciphering of it in one subframe would overrun the subframe's budget. The rest waits
 * in the up queue for the next subframes, in order; at least one SDU goes every
 * subframe, and the budget is ignored while the queue is more than half full, so
 * nothing is ever dropped for it.
 */
#define UP_BUDGET 3000

/* One bearer: its entity in the mode configured. */
struct bearer {
	bool used, am, report, delivered; /* delivered: `tag` to report to PDCP */
	uint8_t lcid;
	uint32_t tag;
	union {
		struct rlc_am am;
		struct rlc_um um;
	} e;
	struct rlc_ops ops;
};

static struct l2_env env = {.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms};

/*
 * Everything the task knows, kept across its restarts (docs/reliability.md): the entities
 * with their windows, timers and buffers, the descriptors and the up queue, at the same
 * address in every instance, so a new one continues where the last one stopped. Each
 * operation opens the state and seals it when done; the checksum covers each bearer's
 * configuration, the state variables and buffers are checked when taken over.
 */
#define KEEP_VERSION 1
struct rlc_keep {
	struct l4e_keep_hdr hdr;
	struct bearer bearers[RLC_LCH_MAX];
	struct l4e_l2pool bufs;
	struct l2_buf descs[NDESC];
	/* SDUs for PDCP: both threads put, only rx sends (in order), after the library returned. */
	struct {
		uint8_t lcid;
		struct l4e_buffer h;
	} upq[UPQ];
	uint32_t up_head, up_tail, up_dropped;
};
_Static_assert(sizeof(struct rlc_keep) <= SYS_POOL_RLC_KEEP_SIZE, "fits rlc_keep");
static struct rlc_keep *const kept = (struct rlc_keep *)SYS_POOL_RLC_KEEP_ADDR;
static uint32_t up_sf = ~0u, up_spent; /* radio time of the budget, bytes handed up in it */
static bool rlf_told; /* a maxRetx went to RRC: no other until it released a bearer */

/* The buffer status and timers the MAC reads instead of calling tick every subframe. */
static volatile struct l4e_rlc_status *const status =
	(volatile struct l4e_rlc_status *)SYS_POOL_RLC_STATUS_ADDR;
_Static_assert(RLC_LCH_MAX == L4E_RLC_STATUS_LCH, "one status entry per logical channel");

static const struct l4e_pool data_pools[] = SYS_SERVER_POOLS_RLC_DATA;
static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_RLC_IND;

/* The checksum of the kept state: each bearer's configuration, sealed when RRC changes it. */
static uint32_t keep_sum(void)
{
	uint32_t sum = 0;
	unsigned i;

	for (i = 0; i < RLC_LCH_MAX; i++) {
		const struct bearer *b = &kept->bearers[i];
		uint32_t w[3] = {b->used, b->am, b->lcid};

		if (!b->used)
			continue;
		sum = l4e_keep_sum(sum, w, sizeof(w));
		if (b->am)
			sum = l4e_keep_sum(sum, &b->e.am.cfg, sizeof(b->e.am.cfg));
		else
			sum = l4e_keep_sum(sum, &b->e.um.cfg, sizeof(b->e.um.cfg));
	}
	return sum;
}

static void publish(void);

/* An operation is complete: the configuration (and its checksum) did not change. */
static void keep_seal(void)
{
	publish();
	l4e_keep_seal(&kept->hdr, kept->hdr.sum);
}

/* The state variables of every entity within their windows (TS 36.322 §7.1). */
static bool windows_ok(void)
{
	unsigned i;

	if (kept->up_head - kept->up_tail > UPQ)
		return false;
	for (i = 0; i < RLC_LCH_MAX; i++) {
		const struct bearer *b = &kept->bearers[i];

		if (!b->used)
			continue;
		if (b->am) {
			const struct rlc_am *e = &b->e.am;

			if (e->vt_s > 1023 || e->vt_a > 1023 || e->vr_r > 1023 || e->vr_h > 1023 ||
			    ((e->vt_s - e->vt_a) & 1023) > 512 ||
			    ((e->vr_h - e->vr_r) & 1023) > 512 ||
			    ((e->vr_ms - e->vr_r) & 1023) > 512)
				return false;
		} else {
			const struct rlc_um *e = &b->e.um;

			if (!e->sn_mod || e->vt_us >= e->sn_mod || e->vr_uh >= e->sn_mod ||
			    ((e->vr_uh - e->vr_ur) & (e->sn_mod - 1)) > e->window)
				return false;
		}
	}
	return true;
}

/*
 * Either thread may run first after a (re)start; one priority, so no interleaving here.
 * A valid kept state is taken over as it is: the entities go on with their windows and
 * buffers (the peer never notices). An invalid one (an instance died inside an operation)
 * is dropped with its buffers' blocks: the bearers are gone until RRC configures them
 * again, which this firmware's RRC does not do yet (docs/reliability.md).
 */
static void init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (l4e_keep_valid(&kept->hdr, KEEP_VERSION, sizeof(*kept), keep_sum()) && windows_ok() &&
	    l4e_keep_descs_ok(&kept->bufs.pool, kept->descs, NDESC, POOL, SYS_POOL_FRAMES_ID)) {
		kept->hdr.takeovers++;
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO,
			"rlc: restarted, entities taken over, buffers held",
			NDESC - kept->bufs.pool.avail, true);
		publish();
		return;
	}
	if (kept->hdr.magic == L4E_KEEP_MAGIC) {
		uint32_t freed = l4e_keep_free_blocks(&kept->bufs.pool, kept->descs, NDESC, POOL,
						      SYS_POOL_FRAMES_ID);

		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN,
			"rlc: restarted, kept state invalid, bearers dropped; blocks freed", freed,
			true);
	}
	l4e_keep_reset(&kept->hdr, KEEP_VERSION, sizeof(*kept));
	l4e_l2pool_init(&kept->bufs, kept->descs, NDESC, POOL, SYS_POOL_FRAMES_ID, RLC_HEADROOM);
	publish();
	l4e_keep_seal(&kept->hdr, keep_sum());
}

static struct bearer *bearer_of(uint8_t lcid)
{
	if (lcid < 1 || lcid > RLC_LCH_MAX || !kept->bearers[lcid - 1].used)
		return NULL;
	return &kept->bearers[lcid - 1];
}

static uint32_t waiting_of(const struct bearer *b);

/* The earliest deadline of running timer `t` and those before it (`*any`: one runs). */
static void due_of(const struct l2_timer *t, uint32_t *due, bool *any)
{
	if (!t->running)
		return;
	if (!*any || (int32_t)(t->deadline - *due) < 0)
		*due = t->deadline;
	*any = true;
}

/*
 * After every operation: the bytes waiting per channel, when the next timer is due and
 * whether SDUs wait to go up, for the MAC (l4e/rlc_status.h), which calls tick only then.
 */
static void publish(void)
{
	uint32_t due = 0;
	bool any = false;
	unsigned i;

	for (i = 0; i < RLC_LCH_MAX; i++) {
		const struct bearer *b = &kept->bearers[i];

		status->bytes[i] = b->used ? waiting_of(b) : 0;
		if (!b->used)
			continue;
		if (b->am) {
			due_of(&b->e.am.t_reordering, &due, &any);
			due_of(&b->e.am.t_status_prohibit, &due, &any);
			due_of(&b->e.am.t_poll_retransmit, &due, &any);
		} else {
			due_of(&b->e.um.t_reordering, &due, &any);
		}
	}
	status->due_ms = due;
	status->timers = any;
	status->up_pending = kept->up_tail != kept->up_head;
	status->valid = 1;
}

/* rlc_ops.rx_sdu: a reassembled SDU goes up through the queue. */
static void rx_sdu(void *ctx, struct l2_buf *sdu)
{
	struct bearer *b = ctx;

	if (kept->up_head - kept->up_tail >= UPQ) {
		if (kept->up_dropped++ < 4)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN,
				"rlc: SDU dropped, up queue full, lcid", b->lcid, true);
		l2_buf_free(sdu);
		return;
	}
	kept->upq[kept->up_head % UPQ].lcid = b->lcid;
	l4e_l2_handoff(&kept->bufs, sdu, &kept->upq[kept->up_head % UPQ].h);
	kept->up_head++;
}

/* AM: SDUs acknowledged up to the one tagged `tag`: reported after the library returned. */
static void tx_delivered(void *ctx, uint32_t tag)
{
	struct bearer *b = ctx;

	b->tag = tag;
	b->delivered = true;
}

/*
 * AM: maxRetxThreshold reached (TS 36.322 §5.2.1): radio link failure, for RRC (a oneway
 * send down; once, so that a second one never waits for an RRC busy calling us).
 */
static void max_retx(void *ctx, uint16_t sn)
{
	struct bearer *b = ctx;

	(void)sn;
	if (rlf_told)
		return;
	rlf_told = true;
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, "rlc: max retransmissions, lcid", b->lcid,
		true);
	rrc_ind_link_failed(SYS_CAP_USES_RRC_IND, RRC_RLF_CAUSE_MAX_RETX, b->lcid);
}

static void up_flush(void)
{
	uint32_t now = l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR)->subframe;

	if (now != up_sf) {
		up_sf = now;
		up_spent = 0;
	}
	while (kept->up_tail != kept->up_head) {
		uint32_t i = kept->up_tail % UPQ;

		if (!kept->upq[i].lcid) { /* its bearer was released */
			kept->up_tail++;
			continue;
		}
		if (up_spent && up_spent + kept->upq[i].h.length > UP_BUDGET &&
		    kept->up_head - kept->up_tail <= UPQ / 2)
			break; /* the next subframe's tick wakes us for the rest */
		up_spent += kept->upq[i].h.length;
		kept->up_tail++;
		if (pdcp_ind_rx(SYS_CAP_USES_PDCP_IND, kept->upq[i].lcid, &kept->upq[i].h) != 0) {
			kept->up_dropped++;
			l4e_pool_free(POOL, &kept->upq[i].h);
		}
	}
}

/* The rx thread's loop after a message: only the up queue changed since the operation's seal. */
static void up_seal(void)
{
	status->up_pending = kept->up_tail != kept->up_head;
	l4e_keep_seal(&kept->hdr, kept->hdr.sum);
}

/* Delivery reports the rx thread's STATUS PDUs gave, to PDCP (report_delivery bearers). */
static void delivered_flush(void)
{
	unsigned i;

	for (i = 0; i < RLC_LCH_MAX; i++) {
		struct bearer *b = &kept->bearers[i];

		if (!b->used || !b->delivered)
			continue;
		b->delivered = false;
		pdcp_ind_delivered(SYS_CAP_USES_PDCP_IND, b->lcid, b->tag);
	}
}

/*
 * Wake the rx thread for the up queue. In a collocated build (sysgen/colo.py) there is no
 * rx thread: the queue goes up here, and its oneway sends run once the operation that
 * filled it is over (l4e/colo.h), where the rx thread would have run.
 */
static void up_wake(void)
{
#ifdef SYS_COLO_MEMBER
	up_flush();
#else
	l4_signal(SYS_SLOT_NTFN, UP_BIT);
#endif
}

/* Wake the rx thread when the tx thread queued SDUs (a timer reassembled them). */
static void up_kick(uint32_t before)
{
	if (kept->up_head != before)
		up_wake();
}

static int op_configure(void *ctx, l4_word_t badge, const struct rlc_bearer_config *c)
{
	struct bearer *b;
	int err;

	(void)ctx, (void)badge;
	if (c->lcid < 1 || c->lcid > RLC_LCH_MAX)
		return RLC_ERROR_NO_BEARER;
	b = &kept->bearers[c->lcid - 1];
	if (b->used)
		return RLC_ERROR_BAD_CONFIG; /* reconfiguration is RRC's, later */
	b->lcid = c->lcid;
	b->ops = (struct rlc_ops){.ctx = b,
				  .rx_sdu = rx_sdu,
				  .max_retx = max_retx,
				  .tx_delivered = c->report_delivery ? tx_delivered : NULL};
	b->report = c->report_delivery;
	b->delivered = false;
	if (c->m == RLC_MODE_AM) {
		struct rlc_am_config cfg = {.t_poll_retransmit_ms = c->t_poll_retx_ms,
					    .t_reordering_ms = c->t_reordering_ms,
					    .t_status_prohibit_ms = c->t_status_prohibit_ms,
					    .poll_pdu = c->poll_pdu,
					    .poll_byte = c->poll_byte,
					    .max_retx_threshold = c->max_retx,
					    .max_sdus = SDU_QUEUE};

		err = rlc_am_init(&b->e.am, &cfg, &b->ops, &env, &kept->bufs.pool);
		b->am = true;
	} else if (c->m == RLC_MODE_UM) {
		struct rlc_um_config cfg = {.sn_bits = c->um_sn_bits,
					    .t_reordering_ms = c->t_reordering_ms,
					    .max_sdus = SDU_QUEUE};

		err = rlc_um_init(&b->e.um, &cfg, &b->ops, &env, &kept->bufs.pool);
		b->am = false;
	} else {
		return RLC_ERROR_BAD_CONFIG;
	}
	if (err)
		return RLC_ERROR_BAD_CONFIG;
	b->used = true;
	return 0;
}

/* The bearer gone: its entity's buffers, and its SDUs waiting to go up, back to the pool. */
static int op_release(void *ctx, l4_word_t badge, uint8_t lcid)
{
	struct bearer *b = bearer_of(lcid);
	uint32_t i;

	(void)ctx, (void)badge;
	if (!b)
		return RLC_ERROR_NO_BEARER;
	if (b->am)
		rlc_am_release(&b->e.am);
	else
		rlc_um_release(&b->e.um);
	b->used = false;
	for (i = kept->up_tail; i != kept->up_head; i++)
		if (kept->upq[i % UPQ].lcid == lcid) {
			l4e_pool_free(POOL, &kept->upq[i % UPQ].h);
			kept->upq[i % UPQ].lcid = 0;
		}
	rlf_told = false;
	return 0;
}

static int op_tx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu,
		 uint32_t tag)
{
	struct bearer *b = bearer_of(lcid);
	struct l2_buf *buf;
	int err;

	(void)ctx, (void)badge;
	if (!b) {
		l4e_pool_free(POOL, sdu);
		return RLC_ERROR_NO_BEARER;
	}
	buf = l4e_l2_adopt(&kept->bufs, sdu);
	if (!buf)
		return RLC_ERROR_NO_SPACE;
	buf->tag = tag;
	err = b->am ? rlc_am_tx_sdu(&b->e.am, buf) : rlc_um_tx_sdu(&b->e.um, buf);
	return err ? RLC_ERROR_NO_SPACE : 0;
}

static uint32_t waiting_of(const struct bearer *b)
{
	return b->am ? rlc_am_buffer_bytes(&b->e.am) : rlc_um_buffer_bytes(&b->e.um);
}

static int op_pull(void *ctx, l4_word_t badge, uint8_t lcid, uint16_t max, struct l4e_buffer *pdu)
{
	struct bearer *b = bearer_of(lcid);
	uint32_t before = kept->up_head;
	struct l2_buf *p;

	(void)ctx, (void)badge;
	if (!b)
		return RLC_ERROR_NO_BEARER;
	p = b->am ? rlc_am_tx_pdu(&b->e.am, max) : rlc_um_tx_pdu(&b->e.um, max);
	up_kick(before);
	if (!p)
		return RLC_ERROR_NO_DATA;
	l4e_l2_handoff(&kept->bufs, p, pdu);
	return 0;
}

static int op_tick(void *ctx, l4_word_t badge, uint32_t now_ms, uint32_t bytes[RLC_LCH_MAX])
{
	uint32_t before = kept->up_head;
	unsigned i;

	(void)ctx, (void)badge, (void)now_ms; /* the clock pool has the same time */
	for (i = 0; i < RLC_LCH_MAX; i++) {
		struct bearer *b = &kept->bearers[i];

		bytes[i] = 0;
		if (!b->used)
			continue;
		if (b->am)
			rlc_am_tick(&b->e.am);
		else
			rlc_um_tick(&b->e.um);
		bytes[i] = waiting_of(b);
	}
	/* A new subframe: what the budget held back in the last one goes up now. */
	if (kept->up_head != before || kept->up_tail != kept->up_head)
		up_wake();
	return 0;
}

static int op_rx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *pdu)
{
	struct bearer *b = bearer_of(lcid);
	struct l2_buf *buf;

	(void)ctx, (void)badge;
	if (!b) {
		l4e_pool_free(POOL, pdu);
		return 0;
	}
	buf = l4e_l2_adopt(&kept->bufs, pdu);
	if (!buf)
		return 0;
	if (b->am)
		rlc_am_rx_pdu(&b->e.am, buf); /* drops and counts what is malformed */
	else
		rlc_um_rx_pdu(&b->e.um, buf);
	return 0;
}

/* Every operation changes the kept state between an open and a seal (l4e/keep.h). */
static int kept_configure(void *ctx, l4_word_t badge, const struct rlc_bearer_config *c)
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_configure(ctx, badge, c);
	publish();
	l4e_keep_seal(&kept->hdr, keep_sum());
	return r;
}

/* TS 36.322 §5.4: what is complete goes up (marked as from a re-establishment), the rest
 * is dropped and the entity starts over; for RRC's connection re-establishment. */
static int op_reestablish(void *ctx, l4_word_t badge, uint8_t lcid)
{
	struct bearer *b = bearer_of(lcid);
	uint32_t before = kept->up_head;

	(void)ctx, (void)badge;
	if (!b)
		return RLC_ERROR_NO_BEARER;
	if (b->am)
		rlc_am_reestablish(&b->e.am);
	else
		rlc_um_reestablish(&b->e.um);
	rlf_told = false;
	up_kick(before);
	return 0;
}

static int kept_reestablish(void *ctx, l4_word_t badge, uint8_t lcid)
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_reestablish(ctx, badge, lcid);
	keep_seal();
	return r;
}

static int kept_release(void *ctx, l4_word_t badge, uint8_t lcid)
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_release(ctx, badge, lcid);
	publish();
	l4e_keep_seal(&kept->hdr, keep_sum());
	return r;
}

static int kept_tx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu,
		   uint32_t tag)
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_tx(ctx, badge, lcid, sdu, tag);
	keep_seal();
	return r;
}

static int kept_pull(void *ctx, l4_word_t badge, uint8_t lcid, uint16_t max, struct l4e_buffer *pdu)
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_pull(ctx, badge, lcid, max, pdu);
	keep_seal();
	return r;
}

static int kept_tick(void *ctx, l4_word_t badge, uint32_t now_ms, uint32_t bytes[RLC_LCH_MAX])
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_tick(ctx, badge, now_ms, bytes);
	keep_seal();
	return r;
}

static int kept_rx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *pdu)
{
	int r;

	l4e_keep_open(&kept->hdr);
	r = op_rx(ctx, badge, lcid, pdu);
#ifdef SYS_COLO_MEMBER
	up_flush(); /* what the rx thread's loop does after each message */
#endif
	keep_seal();
#ifdef SYS_COLO_MEMBER
	delivered_flush();
#endif
	return r;
}

static const struct rlc_data_ops data_ops = {.configure = kept_configure,
					     .tx = kept_tx,
					     .pull = kept_pull,
					     .tick = kept_tick,
					     .release = kept_release,
					     .reestablish = kept_reestablish};
static const struct rlc_ind_ops ind_ops = {.rx = kept_rx};

void rlc_tx_main(uint32_t arg);
void rlc_rx_main(uint32_t arg);

void rlc_tx_main(uint32_t arg)
{
	struct rlc_data_server srv = {
		.ops = &data_ops, .pools = data_pools, .npools = SYS_SERVER_NPOOLS_RLC_DATA};

	(void)arg;
	init_once();
	rlc_data_serve(&srv, SYS_CAP_PROVIDES_RLC_DATA);
}

/* Serves MAC's PDUs and, through the bound notification, the up queue's wake-ups. */
void rlc_rx_main(uint32_t arg)
{
	struct rlc_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_RLC_IND};
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	(void)arg;
	init_once();
#ifndef SYS_COLO_MEMBER
	if (l4_thread_ctl(SYS_THREAD_RX, L4_THREAD_BIND, SYS_SLOT_NTFN, 0) != 0)
		return;
#endif
	/* SDUs a previous instance queued and did not send (a kept state) go up first. */
	l4e_keep_open(&kept->hdr);
	up_flush();
	keep_seal();
#ifdef SYS_COLO_MEMBER
	/* Collocated: the MAC calls rx directly; this binds it and returns (sysgen/colo.py). */
	rlc_ind_serve(&srv, SYS_CAP_PROVIDES_RLC_IND);
	return;
#endif
	for (;;) {
		if (l4_recv(SYS_CAP_PROVIDES_RLC_IND, &tag, mr, &badge) != 0)
			continue;
		if (l4_tag_label(tag) != L4_LABEL_NOTIFY)
			rlc_ind_dispatch(&srv, &tag, mr, badge);
		l4e_keep_open(&kept->hdr);
		up_flush();
		up_seal();
		delivered_flush();
	}
}
