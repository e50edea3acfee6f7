/* SPDX-License-Identifier: BSD-2-Clause */
/* The RLC task: an AM or UM entity of protocols/ per radio bearer (TS 36.322), between PDCP and MAC. */
#include "l4e.h"
#include "pdcp.h"
#include "rlc.h"
#include "sys_rlc.h"

#include <l2/rlc.h>
#include <l4e/l2.h>
#include <l4e/log.h>
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
	bool used, am;
	uint8_t lcid;
	union {
		struct rlc_am am;
		struct rlc_um um;
	} e;
	struct rlc_ops ops;
};

static struct bearer bearers[RLC_LCH_MAX];
static struct l4e_l2pool bufs;
static struct l2_buf descs[NDESC];
static struct l2_env env = {.ctx = (void *)SYS_POOL_CLOCK_ADDR, .now_ms = l4e_l2_now_ms};

/* SDUs for PDCP: both threads put, only rx sends (in order), after the library returned. */
static struct {
	uint8_t lcid;
	struct l4e_buffer h;
} upq[UPQ];
static uint32_t up_head, up_tail, up_dropped;
static uint32_t up_sf = ~0u, up_spent; /* radio time of the budget, bytes handed up in it */

static const struct l4e_pool data_pools[] = SYS_SERVER_POOLS_RLC_DATA;
static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_RLC_IND;

/* Either thread may run first after a (re)start; one priority, so no interleaving here. */
static void init_once(void)
{
	static bool done;

	if (!done)
		done = l4e_l2pool_init(&bufs, descs, NDESC, POOL, SYS_POOL_FRAMES_ID,
				       RLC_HEADROOM) == 0;
}

static struct bearer *bearer_of(uint8_t lcid)
{
	if (lcid < 1 || lcid > RLC_LCH_MAX || !bearers[lcid - 1].used)
		return NULL;
	return &bearers[lcid - 1];
}

/* rlc_ops.rx_sdu: a reassembled SDU goes up through the queue. */
static void rx_sdu(void *ctx, struct l2_buf *sdu)
{
	struct bearer *b = ctx;

	if (up_head - up_tail >= UPQ) {
		if (up_dropped++ < 4)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN,
				"rlc: SDU dropped, up queue full, lcid", b->lcid, true);
		l2_buf_free(sdu);
		return;
	}
	upq[up_head % UPQ].lcid = b->lcid;
	l4e_l2_handoff(&bufs, sdu, &upq[up_head % UPQ].h);
	up_head++;
}

/* AM: maxRetxThreshold reached (TS 36.322 §5.2.1): radio link failure, for RRC. */
static void max_retx(void *ctx, uint16_t sn)
{
	struct bearer *b = ctx;

	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_WARN, "rlc: max retransmissions, lcid", b->lcid,
		true);
	(void)sn;
}

static void up_flush(void)
{
	uint32_t now = l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR)->subframe;

	if (now != up_sf) {
		up_sf = now;
		up_spent = 0;
	}
	while (up_tail != up_head) {
		uint32_t i = up_tail % UPQ;

		if (up_spent && up_spent + upq[i].h.length > UP_BUDGET &&
		    up_head - up_tail <= UPQ / 2)
			break; /* the next subframe's tick wakes us for the rest */
		up_spent += upq[i].h.length;
		up_tail++;
		if (pdcp_ind_rx(SYS_CAP_USES_PDCP_IND, upq[i].lcid, &upq[i].h) != 0) {
			up_dropped++;
			l4e_pool_free(POOL, &upq[i].h);
		}
	}
}

/* Wake the rx thread when the tx thread queued SDUs (a timer reassembled them). */
static void up_kick(uint32_t before)
{
	if (up_head != before)
		l4_signal(SYS_SLOT_NTFN, UP_BIT);
}

static int op_configure(void *ctx, l4_word_t badge, const struct rlc_bearer_config *c)
{
	struct bearer *b;
	int err;

	(void)ctx, (void)badge;
	if (c->lcid < 1 || c->lcid > RLC_LCH_MAX)
		return RLC_ERROR_NO_BEARER;
	b = &bearers[c->lcid - 1];
	if (b->used)
		return RLC_ERROR_BAD_CONFIG; /* reconfiguration is RRC's, later */
	b->lcid = c->lcid;
	b->ops = (struct rlc_ops){.ctx = b, .rx_sdu = rx_sdu, .max_retx = max_retx};
	if (c->m == RLC_MODE_AM) {
		struct rlc_am_config cfg = {.t_poll_retransmit_ms = c->t_poll_retx_ms,
					    .t_reordering_ms = c->t_reordering_ms,
					    .t_status_prohibit_ms = c->t_status_prohibit_ms,
					    .poll_pdu = c->poll_pdu,
					    .poll_byte = c->poll_byte,
					    .max_retx_threshold = c->max_retx,
					    .max_sdus = SDU_QUEUE};

		err = rlc_am_init(&b->e.am, &cfg, &b->ops, &env, &bufs.pool);
		b->am = true;
	} else if (c->m == RLC_MODE_UM) {
		struct rlc_um_config cfg = {.sn_bits = c->um_sn_bits,
					    .t_reordering_ms = c->t_reordering_ms,
					    .max_sdus = SDU_QUEUE};

		err = rlc_um_init(&b->e.um, &cfg, &b->ops, &env, &bufs.pool);
		b->am = false;
	} else {
		return RLC_ERROR_BAD_CONFIG;
	}
	if (err)
		return RLC_ERROR_BAD_CONFIG;
	b->used = true;
	return 0;
}

static int op_tx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu)
{
	struct bearer *b = bearer_of(lcid);
	struct l2_buf *buf;
	int err;

	(void)ctx, (void)badge;
	if (!b) {
		l4e_pool_free(POOL, sdu);
		return RLC_ERROR_NO_BEARER;
	}
	buf = l4e_l2_adopt(&bufs, sdu);
	if (!buf)
		return RLC_ERROR_NO_SPACE;
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
	uint32_t before = up_head;
	struct l2_buf *p;

	(void)ctx, (void)badge;
	if (!b)
		return RLC_ERROR_NO_BEARER;
	p = b->am ? rlc_am_tx_pdu(&b->e.am, max) : rlc_um_tx_pdu(&b->e.um, max);
	up_kick(before);
	if (!p)
		return RLC_ERROR_NO_DATA;
	l4e_l2_handoff(&bufs, p, pdu);
	return 0;
}

static int op_tick(void *ctx, l4_word_t badge, uint32_t now_ms, uint32_t bytes[RLC_LCH_MAX])
{
	uint32_t before = up_head;
	unsigned i;

	(void)ctx, (void)badge, (void)now_ms; /* the clock pool has the same time */
	for (i = 0; i < RLC_LCH_MAX; i++) {
		struct bearer *b = &bearers[i];

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
	if (up_head != before || up_tail != up_head)
		l4_signal(SYS_SLOT_NTFN, UP_BIT);
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
	buf = l4e_l2_adopt(&bufs, pdu);
	if (!buf)
		return 0;
	if (b->am)
		rlc_am_rx_pdu(&b->e.am, buf); /* drops and counts what is malformed */
	else
		rlc_um_rx_pdu(&b->e.um, buf);
	return 0;
}

static const struct rlc_data_ops data_ops = {
	.configure = op_configure, .tx = op_tx, .pull = op_pull, .tick = op_tick};
static const struct rlc_ind_ops ind_ops = {.rx = op_rx};

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
	if (l4_thread_ctl(SYS_THREAD_RX, L4_THREAD_BIND, SYS_SLOT_NTFN, 0) != 0)
		return;
	for (;;) {
		if (l4_recv(SYS_CAP_PROVIDES_RLC_IND, &tag, mr, &badge) != 0)
			continue;
		if (l4_tag_label(tag) != L4_LABEL_NOTIFY)
			rlc_ind_dispatch(&srv, &tag, mr, badge);
		up_flush();
	}
}
