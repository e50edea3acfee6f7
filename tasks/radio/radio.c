/* SPDX-License-Identifier: BSD-2-Clause */
/* The radio task: the radio link's user-level virtio-net driver, the PHY stand-in and the lockstep with the simulator. */
#include "hostif.h"
#include "l4e.h"
#include "mac.h"
#include "phy.h"
#include "rrc.h"
#include "sys_radio.h"

#include <l2/env.h>
#include <l2/link.h>
#include <l2/rlc.h>
#include <l4e/keep.h>
#include <l4e/l2.h>
#include <l4e/log.h>
#include <l4e/hostlink.h>
#include <l4e/pool.h>
#include <l4e/subframe.h>
#include <l4e/task.h>
#include <l4e/virtio_net.h>
#include <string.h>

/*
 * docs/radio-link.md. The rx thread takes each message the simulator sends, hands its
 * content to the MAC (or the CONFIG to RRC), then drops to ANSWER_PRIO, below every
 * other thread of the system: it runs again exactly when the whole firmware is idle,
 * and sends the one answer the message is owed (UL + DONE for a DL subframe, else IDLE).
 * The server thread collects what the MAC sends for the open subframe; the step thread
 * takes the host interface's reports of host-link messages consumed and sent.
 */
#define POOL	    ((void *)SYS_POOL_FRAMES_ADDR)
#define ANSWER_PRIO 2
/*
 * The largest DL TB: it travels in one pool block, and the RLC PDU it may carry alone
 * must have its data field fit one block after RLC's headroom (protocols/README.md).
 */
#define MAX_TBS	   (L4E_POOL_BLOCK - RLC_HEADROOM)
#define STEP_BIT   0x1u /* in SYS_SLOT_NTFN: the host interface consumed a message */
#define FW_VERSION 1

static struct vnet dev;
static const struct vnet_config link_cfg = {
	.rx_bufs = 8, .tx_bufs = 4, .mtu = LINK_MAX_MSG, .lockstep = true};
static struct link_writer ul; /* the open answer to the current DL subframe */
static volatile bool ul_open;
static bool had_subframe; /* a DL subframe was taken: the next must be later */
static uint32_t rx_seq, tx_seq, rx_msgs, subframe;
static volatile uint32_t host_consumed, host_sent, idle_owed;
static uint32_t sf_start; /* the CPU's busy cycles when the DL message was taken */
/*
 * Every task's cycles (accounting groups: task id + 1, the supervisor's 0, the kernel's
 * share last) when the DL message was taken; valid when the reading worked.
 */
static uint32_t acct_start[L4_ACCT_GROUPS + 1];
static bool acct_ok;
static uint32_t mac_wake; /* the MAC's next subframe to see (DRX), 0: the next one */
static struct {
	uint32_t refused, dl_tbs, tb_too_long, ul_tbs, answer_overflow;
} stats;

static const struct l4e_pool radio_pools[] = SYS_SERVER_POOLS_PHY_RADIO;

/*
 * What the radio keeps across its restarts (docs/reliability.md): the lockstep's counters
 * and the answer owed to the simulator, saved whenever they change. A new instance that
 * finds them valid answers what is owed instead of saying HELLO, so the lockstep goes on.
 */
#define KEEP_VERSION 1
enum owed { OWED_NONE, OWED_UL, OWED_IDLE };
struct radio_keep {
	struct l4e_keep_hdr hdr;
	uint32_t up; /* HELLO went out: a new instance resumes */
	uint32_t rx_seq, tx_seq, rx_msgs, subframe, had_subframe;
	uint32_t host_consumed, host_sent, idle_owed, owed;
};
_Static_assert(sizeof(struct radio_keep) <= SYS_POOL_RADIO_KEEP_SIZE, "fits radio_keep");
static struct radio_keep *const kept = (struct radio_keep *)SYS_POOL_RADIO_KEEP_ADDR;
static uint32_t answer_owed; /* enum owed: what the message being handled is owed */

static uint32_t keep_sum(void)
{
	return l4e_keep_sum(0, &kept->up, sizeof(*kept) - sizeof(kept->hdr));
}

static void keep_save(void)
{
	l4e_keep_open(&kept->hdr);
	kept->up = 1;
	kept->rx_seq = rx_seq;
	kept->tx_seq = tx_seq;
	kept->rx_msgs = rx_msgs;
	kept->subframe = subframe;
	kept->had_subframe = had_subframe;
	kept->host_consumed = host_consumed;
	kept->host_sent = host_sent;
	kept->idle_owed = idle_owed;
	kept->owed = answer_owed;
	l4e_keep_seal(&kept->hdr, keep_sum());
}

/* True: a previous instance's state taken over; false: a first start (or an invalid state). */
static bool keep_restore(void)
{
	if (!l4e_keep_valid(&kept->hdr, KEEP_VERSION, sizeof(*kept), keep_sum()) || !kept->up) {
		l4e_keep_reset(&kept->hdr, KEEP_VERSION, sizeof(*kept));
		l4e_keep_seal(&kept->hdr, keep_sum());
		return false;
	}
	kept->hdr.takeovers++;
	rx_seq = kept->rx_seq;
	tx_seq = kept->tx_seq;
	rx_msgs = kept->rx_msgs;
	subframe = kept->subframe;
	had_subframe = kept->had_subframe;
	host_consumed = kept->host_consumed;
	host_sent = kept->host_sent;
	idle_owed = kept->idle_owed;
	answer_owed = kept->owed;
	return true;
}

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

/* ---------------------------------------------------------------- answers */

static void set_prio(uint32_t prio)
{
	l4_thread_ctl(SYS_THREAD_RX, L4_THREAD_SET_PRIO, prio, 0);
}

/* A message in a transmit buffer of the device; false when none is free (cannot happen:
 * one answer at a time). */
static bool open_tx(struct link_writer *w, uint8_t type)
{
	uint32_t cap;
	uint8_t *buf = vnet_tx_buf(&dev, &cap);

	if (!buf)
		return false;
	link_writer_init(w, buf, cap, RL_MAGIC, type, tx_seq, subframe);
	return true;
}

static void commit(struct link_writer *w)
{
	int n = link_finish(w);

	if (n > 0 && vnet_tx_commit(&dev, (uint32_t)n) == 0)
		tx_seq++;
}

static void send_idle(void)
{
	struct rl_idle i = {.rx_msgs = rx_msgs, .ap_tx = host_sent};
	struct link_writer w;

	if (!open_tx(&w, RL_MSG_IDLE))
		return;
	rl_put_idle(&w, &i);
	commit(&w);
}

static void send_hello(void)
{
	struct rl_hello h = {.fw_version = FW_VERSION, .max_tbs = MAX_TBS};
	struct link_writer w;

	if (!open_tx(&w, RL_MSG_HELLO))
		return;
	rl_put_hello(&w, &h);
	commit(&w);
}

/*
 * The subframe's cycles by task (docs/radio-link.md, RL_ITEM_TASK_CYCLES): the groups'
 * deltas since the DL message was taken, tasks with none left out. Read after DONE's own
 * figure, so its cost (and that of the reading at the start, made before sf_start) is
 * outside DONE's cycles; it is in the radio's row.
 */
static void put_task_cycles(void)
{
	static const char *const names[] = SYS_TASK_NAMES;
	static struct rl_task_cycles t;
	const uint32_t last = SYS_NTASKS < L4_ACCT_GROUPS ? SYS_NTASKS : L4_ACCT_GROUPS - 1;
	uint32_t now[L4_ACCT_GROUPS + 1], g, k;

	if (!acct_ok || l4_acct_groups(SYS_CAP_ACCT, now) != 0)
		return;
	t.n = 0;
	/* The supervisor (group 0), each task (its id + 1), then the kernel's share. */
	for (g = 0; g <= last + 1 && t.n < RL_TASK_CYCLES_MAX; g++) {
		uint32_t i = g <= last ? g : L4_ACCT_GROUPS;
		const char *name = i == L4_ACCT_GROUPS ? "kernel" : i ? names[i - 1] : "supervisor";
		uint32_t d = now[i] - acct_start[i];

		/* A restarted task's old threads are gone from the sum: no figure then. */
		if (d == 0 || d > 0x7fffffffu)
			continue;
		for (k = 0; k < RL_TASK_NAME - 1 && name[k]; k++)
			t.e[t.n].task[k] = name[k];
		t.e[t.n].task[k] = '\0';
		t.e[t.n].cycles = d;
		t.n++;
	}
	if (t.n)
		rl_put_task_cycles(&ul, &t);
}

/*
 * The next subframe the firmware must see: the MAC's (DRX), or earlier when a timeout of the
 * timer service is due (l4e/clock.h); the next one when the MAC said nothing.
 */
static uint32_t wake_at(void)
{
	uint32_t due = l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR)->due, at = subframe + 1;

	if (mac_wake > at) {
		at = mac_wake;
		if (due > subframe && due < at)
			at = due;
	}
	return at;
}

/* The answer to DL subframe `subframe`: what the MAC put in, then DONE. */
static void send_ul(void)
{
	struct rl_done d = {.subframe = subframe,
			    .wake_at = wake_at(),
			    .ap_tx = host_sent,
			    .cycles = l4_cpu_busy() - sf_start};

	ul_open = false;
	put_task_cycles();
	rl_put_done(&ul, &d);
	if (ul.err) {
		/* More than an answer holds: drop the content, keep the lockstep. */
		stats.answer_overflow++;
		link_writer_init(&ul, ul.buf, ul.cap, RL_MAGIC, RL_MSG_UL, tx_seq, subframe);
		rl_put_done(&ul, &d);
	}
	commit(&ul);
}

/* ---------------------------------------------------------------- messages from the cell */

/* A DL TB into a frames block of its own, listed for the MAC; false when not taken. */
static bool dl_tb(const struct link_item *it, struct l4e_sf_item *item)
{
	struct rl_dl_tb tb;
	struct l4e_buffer h;

	if (rl_get_dl_tb(it, &tb) != 0)
		return false;
	stats.dl_tbs++;
	{
		struct l4e_clock *c = l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR);

		c->dl_crc_hist = c->dl_crc_hist << 1 | tb.crc_ok;
		c->dl_crc_n += c->dl_crc_n < 32;
	}
	if (tb.tbs > MAX_TBS || l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, tb.tbs, &h) != 0) {
		/* Over HELLO's max_tbs, or no block: no HARQ answer (DTX), counted and logged. */
		if (stats.tb_too_long++ < 4)
			log_value("radio: DL TB not taken, bytes", tb.tbs);
		return false;
	}
	memcpy(l4e_pool_ptr(POOL, &h), tb.tb, tb.tbs);
	*item = (struct l4e_sf_item){.type = L4E_SF_DL_TB,
				     .pid = tb.harq_pid,
				     .flag = tb.ndi,
				     .crc_ok = tb.crc_ok,
				     .rnti = tb.rnti,
				     .tbs = tb.tbs,
				     .offset = h.offset};
	return true;
}

/* Free the DL TBs of a list the MAC did not get. */
static void sf_drop(struct l4e_sf *s)
{
	uint32_t i;

	for (i = 0; i < s->n; i++)
		if (s->item[i].type == L4E_SF_DL_TB) {
			struct l4e_buffer h = {.pool = SYS_POOL_FRAMES_ID,
					       .offset = s->item[i].offset,
					       .length = s->item[i].tbs};

			l4e_pool_free(POOL, &h);
		}
}

/* The subframe's items in one list for the MAC (l4e/subframe.h): one message. */
static void dl_subframe(const struct link_msg *m)
{
	struct link_item it;
	struct l4e_buffer lh;
	struct l4e_sf *s;
	uint32_t pos = 0;

	subframe = m->subframe;
	mac_wake = 0;
	l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR)->subframe = subframe;
	if (subframe >= l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR)->due)
		l4e_clock_advance(SYS_CAP_USES_L4E_CLOCK, subframe); /* a timeout is due */
	if (!open_tx(&ul, RL_MSG_UL))
		return;
	ul_open = true;
	if (l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, L4E_POOL_BLOCK, &lh) != 0) {
		stats.refused++; /* no block: an empty answer (every DL TB unacknowledged) */
		return;
	}
	s = l4e_pool_ptr(POOL, &lh);
	s->subframe = subframe;
	s->n = 0;
	s->reserved = 0;
	while (link_next(m, &pos, &it) == 1 && s->n < L4E_SF_MAX_ITEMS) {
		struct l4e_sf_item *item = &s->item[s->n];
		struct rl_ul_grant g;
		struct rl_phich f;

		if (it.type == RL_ITEM_DL_TB) {
			s->n += dl_tb(&it, item);
		} else if (it.type == RL_ITEM_UL_GRANT && rl_get_ul_grant(&it, &g) == 0) {
			*item = (struct l4e_sf_item){.type = L4E_SF_UL_GRANT,
						     .pid = g.harq_pid,
						     .flag = g.ndi,
						     .rnti = g.rnti,
						     .tbs = g.tbs};
			s->n++;
		} else if (it.type == RL_ITEM_PHICH && rl_get_phich(&it, &f) == 0) {
			*item = (struct l4e_sf_item){
				.type = L4E_SF_PHICH, .pid = f.harq_pid, .flag = f.ack};
			s->n++;
		}
	}
	lh.length = (uint32_t)(sizeof(*s) + s->n * sizeof(s->item[0]));
	if (mac_ind_subframe(SYS_CAP_USES_MAC_IND, subframe, &lh) != 0) {
		sf_drop(s);
		l4e_pool_free(POOL, &lh);
	}
}

static void config(const uint8_t *p, uint32_t len)
{
	struct l4e_buffer h;

	if (l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, len, &h) != 0) {
		stats.refused++;
		return;
	}
	memcpy(l4e_pool_ptr(POOL, &h), p, len);
	if (rrc_ind_config(SYS_CAP_USES_RRC_IND, &h) != 0)
		l4e_pool_free(POOL, &h);
}

/* The run is over: the log reaches the console, then the supervisor reports and stops. */
static void end_run(void)
{
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(SYS_SUPER_SHUTDOWN, 0, 1);
	uint32_t records;

	/* The connection ends with the run: the MAC (above us now) empties its HARQ buffers. */
	mac_ind_release(SYS_CAP_USES_MAC_IND);
	log_value("radio: end of run, subframe", subframe);
	log_value("radio: messages refused", stats.refused);
	l4e_log_flush(SYS_CAP_USES_L4E_LOG, &records);
	l4_call(SYS_SLOT_SUPER, &tag, mr);
}

/*
 * A fault-injection build: a DL message's RL_ITEM_FAULT asks the supervisor to kill the task
 * it names (docs/reliability.md). Taken before anything else of the message, while every
 * other thread waits for work; the call returns once that task runs again (or never, when
 * it names the radio: the next instance answers this message).
 */
static void inject(const struct link_msg *m)
{
	struct link_item it;
	struct rl_fault f;
	uint32_t pos = 0;

	while (link_next(m, &pos, &it) == 1) {
		l4_word_t mr[L4_MSG_REGS] = {0};
		l4_tag_t tag = l4_tag(SYS_SUPER_KILL, 0, RL_FAULT_NAME / 4);

		if (it.type != RL_ITEM_FAULT || rl_get_fault(&it, &f) != 0)
			continue;
		if (!L4E_FAULT_INJECT) {
			log_value(
				"radio: fault item ignored (not a fault-injection build), subframe",
				subframe);
			continue;
		}
		log_value("radio: fault injection, subframe", subframe);
		memcpy(mr, f.task, RL_FAULT_NAME);
		l4_call(SYS_SLOT_SUPER, &tag, mr);
	}
}

/* One message from the simulator: checked and handled; true when it is owed an answer. */
static bool message(const uint8_t *p, uint32_t len)
{
	struct link_msg m;
	bool ok = link_parse(p, len, &m) == 0 && m.magic == RL_MAGIC && m.seq == rx_seq;

	/* Radio time only moves forward: a DL subframe must be later than the last one. */
	if (ok && m.type == RL_MSG_DL && had_subframe && m.subframe <= subframe)
		ok = false;
	if (ok && m.type == RL_MSG_END) {
		/* Answered like any message, so the simulator knows it arrived; then the end. */
		rx_msgs++;
		set_prio(ANSWER_PRIO);
		send_idle();
		end_run();
		return false;
	}
	rx_msgs++; /* refused ones too (docs/radio-link.md, IDLE) */
	if (ok && (m.type == RL_MSG_DL || m.type == RL_MSG_CONFIG)) {
		rx_seq++;
		if (m.type == RL_MSG_DL) {
			had_subframe = true;
			subframe = m.subframe;
			answer_owed = OWED_UL;
			keep_save();
			inject(&m);
			dl_subframe(&m);
		} else {
			answer_owed = OWED_IDLE;
			keep_save();
			config(p, len);
		}
	} else {
		stats.refused++;
		answer_owed = OWED_IDLE;
		keep_save();
		log_value("radio: message refused, seq", ok ? m.seq : 0xffffffffu);
	}
	return true;
}

/* The answer, once every other thread is blocked (see the top of this file). */
static void answer(void)
{
	const struct l4e_hostlink *link = l4e_hostlink_at((void *)SYS_POOL_HOSTLINK_ADDR);

	set_prio(ANSWER_PRIO);
	/* The host interface sends the DL message it gathers, if any, before this returns: it
	 * runs above us, so the oneway message is handled at once (l4e/hostlink.h). */
	if (link->dl_open)
		hostif_ind_flush(SYS_CAP_USES_HOSTIF_IND);
	host_sent = link->sent;
	if (ul_open)
		send_ul();
	else
		send_idle();
	answer_owed = OWED_NONE;
	keep_save();
	set_prio(SYS_PRIO_RX);
}

/*
 * A new instance after a restart: the answer its predecessor owed. A DL subframe whose
 * content died with it is answered with DONE alone (no HARQ feedback: the cell
 * retransmits; no UL TB for its grants: the cell grants again).
 */
static void resume(void)
{
	log_value("radio: restarted, resuming the lockstep at subframe", subframe);
	acct_ok = false; /* the subframe's start died with the previous instance */
	sf_start = l4_cpu_busy();
	if (answer_owed == OWED_UL) {
		l4e_clock_at((void *)SYS_POOL_CLOCK_ADDR)->subframe = subframe;
		l4e_clock_advance(SYS_CAP_USES_L4E_CLOCK, subframe);
		ul_open = open_tx(&ul, RL_MSG_UL);
	}
	if (answer_owed != OWED_NONE)
		answer();
	while (idle_owed) {
		idle_owed--;
		answer();
	}
}

void radio_rx_main(uint32_t arg);
void radio_server_main(uint32_t arg);
void radio_step_main(uint32_t arg);

void radio_rx_main(uint32_t arg)
{
	bool resumed = keep_restore();
	struct l4e_dma dma;
	uint32_t bits;
	int err;

	(void)arg;
	err = l4e_dma_get((void *)SYS_POOL_RADIO_DMA_ADDR, SYS_POOL_RADIO_DMA_SIZE, &dma);
	if (!err)
		err = vnet_open(&dev, (void *)SYS_DEVICE_RADIO_ADDR, SYS_DEVICE_RADIO_SIZE, &dma,
				&link_cfg);
	if (err) {
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "radio: no radio link, error",
			(uint32_t)err, L4E_LOG_SIGNED); /* docs/errors.md */
		return;
	}
	/* HELLO once everything has started (the same idle rule as every answer); the line
	 * opens only when the CPU idles, from the first message on. */
	l4_irq_ack_at_idle(SYS_CAP_IRQ_48);
	if (resumed) {
		resume();
	} else {
		set_prio(ANSWER_PRIO);
		send_hello();
		keep_save();
		set_prio(SYS_PRIO_RX);
	}
	/*
	 * One message per interrupt, and the line acknowledged for the next idle entry: the
	 * simulator's next message, whenever it arrives after the answer, is taken when the
	 * CPU idles and never read from the ring before (docs/radio-link.md, lockstep).
	 */
	for (;;) {
		const uint8_t *p;
		uint32_t len;
		bool owed = false;

		l4_wait(SYS_SLOT_NTFN, &bits);
		if (bits & SYS_IRQ_48_MASK) {
			vnet_irq_status(&dev);
			if (vnet_recv(&dev, &p, &len) == 0) {
				acct_ok = l4_acct_groups(SYS_CAP_ACCT, acct_start) == 0;
				sf_start = l4_cpu_busy();
				/* The simulator answered our last message: QEMU sent it. */
				vnet_tx_reclaim(&dev);
				owed = message(p, len);
				vnet_recv_done(&dev);
			}
			if (owed)
				answer();
			l4_irq_ack_at_idle(SYS_CAP_IRQ_48);
		}
		while (idle_owed) {
			idle_owed--;
			answer();
		}
	}
}

/* ---------------------------------------------------------------- phy::radio (the MAC) */

/* One item of the MAC's answer into the UL message; false when it is malformed. */
static bool answer_item(const struct l4e_sf_item *it)
{
	switch (it->type) {
	case L4E_SF_UL_TB: {
		struct l4e_buffer h = {
			.pool = SYS_POOL_FRAMES_ID, .offset = it->offset, .length = it->tbs};
		struct rl_ul_tb t = {.rnti = it->rnti, .harq_pid = it->pid, .tbs = it->tbs};

		if (it->pid > 7 || it->tbs == 0 || it->tbs > LINK_MAX_TBS ||
		    !l4e_pool_valid(POOL, &h))
			return false;
		t.tb = l4e_pool_ptr(POOL, &h);
		rl_put_ul_tb(&ul, &t);
		stats.ul_tbs++;
		return true;
	}
	case L4E_SF_HARQ_ACK: {
		struct rl_harq_ack a = {.harq_pid = it->pid, .ack = it->flag != 0};

		if (it->pid > 7)
			return false;
		rl_put_harq_ack(&ul, &a);
		return true;
	}
	case L4E_SF_SR:
		rl_put_sr(&ul);
		return true;
	case L4E_SF_WAKE:
		if (it->offset <= subframe + 1)
			return false;
		mac_wake = it->offset;
		return true;
	case L4E_SF_PRACH: {
		struct rl_prach pr = {.preamble = it->pid, .ra_rnti = it->rnti};

		if (it->pid > 63)
			return false;
		rl_put_prach(&ul, &pr);
		return true;
	}
	default:
		return false;
	}
}

static int op_answer(void *ctx, l4_word_t badge, const struct l4e_buffer *items)
{
	const struct l4e_sf *s = l4e_pool_ptr(POOL, items);
	uint32_t i, n = l4e_sf_count(s, items->length);
	bool bad = false;

	(void)ctx, (void)badge;
	if (!ul_open)
		return PHY_ERROR_NO_SUBFRAME;
	for (i = 0; i < n; i++)
		bad |= !answer_item(&s->item[i]);
	if (ul.err)
		return PHY_ERROR_TOO_LONG;
	return bad ? PHY_ERROR_BAD_ARG : 0;
}

static const struct phy_radio_ops radio_ops = {.answer = op_answer};

void radio_server_main(uint32_t arg)
{
	struct phy_radio_server srv = {
		.ops = &radio_ops, .pools = radio_pools, .npools = SYS_SERVER_NPOOLS_PHY_RADIO};

	(void)arg;
	phy_radio_serve(&srv, SYS_CAP_PROVIDES_PHY_RADIO);
}

/* ---------------------------------------------------------------- phy::lockstep (hostif) */

static int op_host(void *ctx, l4_word_t badge, uint32_t consumed, uint32_t sent)
{
	(void)ctx, (void)badge;
	host_sent = sent;
	if (consumed != host_consumed) {
		rx_msgs += consumed - host_consumed;
		idle_owed += consumed - host_consumed;
		host_consumed = consumed;
		l4_signal(SYS_SLOT_NTFN, STEP_BIT);
	}
	keep_save();
	return 0;
}

static const struct phy_lockstep_ops step_ops = {.host = op_host};

void radio_step_main(uint32_t arg)
{
	struct phy_lockstep_server srv = {.ops = &step_ops};

	(void)arg;
	phy_lockstep_serve(&srv, SYS_CAP_PROVIDES_PHY_LOCKSTEP);
}
