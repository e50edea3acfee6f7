/* SPDX-License-Identifier: BSD-2-Clause */
/* The host interface task: IP packets between the stack and the application processor over the host link. */
#include "hostif.h"
#include "l4e.h"
#include "nas.h"
#include "pdcp.h"
#include "phy.h"
#include "sim.h"
#include "sys_hostif.h"

#include <l2/env.h>
#include <l2/link.h>
#include <l3/at.h>
#include <l4e/clock.h>
#include <l4e/hostlink.h>
#include <l4e/keep.h>
#include <l4e/log.h>
#include <l4e/pool.h>
#include <l4e/task.h>
#include <l4e/virtio_net.h>
#include <string.h>

/*
 * One thread serves PDCP's DL packets (hostif::ind) and, through its bound notification,
 * the host link's interrupt. UL packets go to PDCP with room in front for the headers of
 * every layer below; DL packets go to the application processor one message each.
 * Bearers: the host link names a DRB by its identity; its LCID is identity + 2 (the
 * first DRB on LCID 3, TS 36.331 §6.3.2 drb-Identity / logicalChannelIdentity).
 * AT commands (AP_MSG_AT_CMD) are answered by the TS 27.007 subset of protocols/at in one
 * AP_MSG_AT_RSP; a SIM (AP_MSG_SIM) goes to the USIM task. In attach mode the NAS task
 * reports its state (hostif::ind status): +CFUN goes to it, +CEREG and +CGPADDR show what
 * it said, and a +CEREG URC follows each change. In configured mode (no report) the
 * simulator configures the stack: +CFUN is 1 (0 is refused), +CEREG 0; +CSQ is 99,99.
 */
#define POOL	   ((void *)SYS_POOL_FRAMES_ADDR)
#define CLOCK	   ((void *)SYS_POOL_CLOCK_ADDR)
#define LINK	   l4e_hostlink_at((void *)SYS_POOL_HOSTLINK_ADDR)
#define HEADROOM   96 /* PDCP + RLC + MAC headers (protocols/README.md) */
#define LCID_OF(b) ((uint8_t)((b) + 2))
#define DRB_OF(l)  ((uint8_t)((l)-2))

static struct vnet dev;
/* DL packets go out several to a message, flushed when the radio answers; after a burst
 * of losses PDCP delivers dozens in one subframe, so several messages may be needed before
 * the buffers come back at the next subframe (vnet_config.lockstep). */
static const struct vnet_config link_cfg = {
	.rx_bufs = 8, .tx_bufs = 32, .mtu = LINK_MAX_MSG, .lockstep = true};
static uint32_t reclaimed_at = ~0u; /* radio time of the last vnet_tx_reclaim */
static struct link_writer dl;	    /* the DL message being gathered */
static bool dl_open;
static uint32_t rx_seq, tx_seq, consumed, sent;
static struct {
	uint32_t refused, ul_packets, ul_dropped, dl_packets, dl_dropped, at_dropped;
} stats;
static struct at_engine at;
static struct link_writer rsp; /* the AT response being written */
static bool rsp_open;
static struct {
	bool known; /* NAS reported: attach mode */
	uint8_t fun, cereg;
	bool has_addr;
	uint32_t addr;
} nas;

static const struct l4e_pool ind_pools[] = SYS_SERVER_POOLS_HOSTIF_IND;

/*
 * What the host interface keeps across its restarts (docs/reliability.md): the host link's
 * sequence numbers and message counts, saved whenever they change. Nothing else is open
 * between two subframes: the radio flushes the gathered DL message before every answer.
 */
#define KEEP_VERSION 1
struct hostif_keep {
	struct l4e_keep_hdr hdr;
	uint32_t up; /* the host link was up: a new instance resumes */
	uint32_t rx_seq, tx_seq, consumed, sent, reclaimed_at;
};
_Static_assert(sizeof(struct hostif_keep) <= SYS_POOL_HOSTIF_KEEP_SIZE, "fits hostif_keep");
static struct hostif_keep *const kept = (struct hostif_keep *)SYS_POOL_HOSTIF_KEEP_ADDR;

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
	kept->consumed = consumed;
	kept->sent = sent;
	kept->reclaimed_at = reclaimed_at;
	l4e_keep_seal(&kept->hdr, keep_sum());
}

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
	consumed = kept->consumed;
	sent = kept->sent;
	reclaimed_at = kept->reclaimed_at;
	return true;
}

static void log_value(const char *what, uint32_t v)
{
	l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, what, v, true);
}

static void ul_packet(uint8_t drb, const uint8_t *pkt, uint16_t len)
{
	struct l4e_buffer h;
	int err;

	if (drb < 1 || LCID_OF(drb) > 6 || len == 0 || (uint32_t)len + HEADROOM > L4E_POOL_BLOCK ||
	    l4e_pool_alloc(POOL, SYS_POOL_FRAMES_ID, L4E_POOL_BLOCK, &h) != 0) {
		stats.ul_dropped++;
		return;
	}
	memcpy((uint8_t *)l4e_pool_ptr(POOL, &h) + HEADROOM, pkt, len);
	h.offset += HEADROOM;
	h.length = len;
	err = pdcp_data_tx(SYS_CAP_USES_PDCP_DATA, LCID_OF(drb), &h);
	if (err) { /* PDCP or RLC refused it (a full queue) and freed the block */
		if (stats.ul_dropped++ < 4)
			l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO,
				"hostif: UL packet dropped by the stack, error", (uint32_t)err,
				L4E_LOG_SIGNED); /* a PDCP or RLC error: docs/errors.md */
	} else {
		stats.ul_packets++;
	}
}

static void dl_commit(void);

/* Send the AT response being written, if any. */
static void rsp_commit(void)
{
	int len;

	if (!rsp_open)
		return;
	rsp_open = false;
	len = link_finish(&rsp);
	if (len > 0 && vnet_tx_commit(&dev, (uint32_t)len) == 0) {
		tx_seq++;
		sent++;
		LINK->sent = sent; /* the radio's answer carries the count (l4e/hostlink.h) */
		keep_save();
	} else {
		stats.at_dropped += rsp.n_items;
	}
}

/* One line of an AT answer into the AP_MSG_AT_RSP being written (after any DL data). */
static void at_line(void *ctx, const char *text, size_t len)
{
	uint8_t *buf;
	uint32_t cap;

	(void)ctx;
	if (rsp_open && (rsp.len + LINK_ITEM_HDR + len > rsp.cap || rsp.n_items == LINK_MAX_ITEMS))
		rsp_commit();
	if (!rsp_open) {
		dl_commit();
		if (!(buf = vnet_tx_buf(&dev, &cap))) {
			stats.at_dropped++;
			return;
		}
		link_writer_init(&rsp, buf, cap, AP_MAGIC, AP_MSG_AT_RSP, tx_seq, 0);
		rsp_open = true;
	}
	ap_put_at(&rsp, text, (uint16_t)len);
}

static int at_cfun(void *ctx, uint8_t fun)
{
	(void)ctx;
	if (!nas.known) /* configured mode: CONFIG turned the radio on; off needs NAS */
		return fun == 1 ? 0 : AT_CME_NOT_SUPPORTED;
	if (fun > 1)
		return AT_CME_NOT_SUPPORTED;
	nas.fun = fun; /* NAS confirms with its next report */
	return nas_ctrl_power(SYS_CAP_USES_NAS_CTRL, fun, at_apn(&at, 1)) ? AT_CME_UNKNOWN : 0;
}

static void at_status(void *ctx, struct at_status *st)
{
	uint8_t imsi[16];

	(void)ctx;
	st->fun = nas.known ? nas.fun : 1;
	st->sim = sim_card_imsi(SYS_CAP_USES_SIM_CARD, imsi) == 0;
	st->cereg = nas.cereg;
	st->has_addr = nas.has_addr;
	st->addr[0] = (uint8_t)(nas.addr >> 24);
	st->addr[1] = (uint8_t)(nas.addr >> 16);
	st->addr[2] = (uint8_t)(nas.addr >> 8);
	st->addr[3] = (uint8_t)nas.addr;
	/* +CSQ <rssi> from the channel: the share of the last 32 DL TBs whose CRC24A
	 * check passed, scaled to 0..31 (99 before any TB), as the host UE model reports. */
	{
		const struct l4e_clock *c = l4e_clock_at(CLOCK);
		uint32_t n = c->dl_crc_n, ok = (uint32_t)__builtin_popcount(c->dl_crc_hist);

		st->rssi = n ? (uint8_t)(ok * 31 / n) : 99;
	}
	st->ber = 99;
}

static void sim_message(const struct link_item *it)
{
	struct ap_sim sim;
	int err;

	if (ap_get_sim(it, &sim) != 0)
		return;
	err = sim_card_insert(SYS_CAP_USES_SIM_CARD, (const uint8_t *)sim.imsi, sim.k, sim.opc,
			      sim.sqn);
	memset(&sim, 0, sizeof(sim));
	if (err)
		log_value("hostif: SIM refused, error", (uint32_t)(err < 0 ? -err : err));
}

/* One host-link message: checked, then its packets up the UL, its AT command answered or
 * its SIM inserted; then the radio answers it. */
static void host_message(const uint8_t *p, uint32_t len)
{
	struct link_msg m;
	struct link_item it;
	uint32_t pos = 0;

	/* Every earlier host-link message was read before the simulator sent this one. */
	vnet_tx_reclaim(&dev);
	if (link_parse(p, len, &m) != 0 || m.magic != AP_MAGIC || m.seq != rx_seq ||
	    (m.type != AP_MSG_DATA_UL && m.type != AP_MSG_AT_CMD && m.type != AP_MSG_SIM)) {
		stats.refused++;
		log_value("hostif: host-link message refused, seq", m.seq);
	} else if (m.type == AP_MSG_AT_CMD) {
		const char *text;
		uint16_t tlen;

		rx_seq++;
		if (link_next(&m, &pos, &it) == 1 && ap_get_at(&it, &text, &tlen) == 0)
			at_command(&at, text, tlen);
		rsp_commit();
	} else if (m.type == AP_MSG_SIM) {
		rx_seq++;
		if (link_next(&m, &pos, &it) == 1)
			sim_message(&it);
	} else {
		rx_seq++;
		while (link_next(&m, &pos, &it) == 1) {
			const uint8_t *pkt;
			uint16_t plen;
			uint8_t drb;

			if (ap_get_ip(&it, &drb, &pkt, &plen) == 0)
				ul_packet(drb, pkt, plen);
		}
	}
	consumed++;
	keep_save();
	phy_lockstep_host(SYS_CAP_USES_PHY_LOCKSTEP, consumed, sent);
}

/* Send the open DL message, if any. */
static void dl_commit(void)
{
	int len;

	if (!dl_open)
		return;
	dl_open = false;
	LINK->dl_open = 0;
	len = link_finish(&dl);
	if (len > 0 && vnet_tx_commit(&dev, (uint32_t)len) == 0) {
		tx_seq++;
		sent++;
		LINK->sent = sent;
		keep_save();
	} else {
		stats.dl_dropped += dl.n_items;
	}
}

/* DL packets gather in one host-link message until it is full or the radio flushes. */
static int op_rx(void *ctx, l4_word_t badge, uint8_t lcid, const struct l4e_buffer *sdu)
{
	uint32_t need = LINK_ITEM_HDR + AP_IP_FIXED + sdu->length, cap;
	uint8_t *buf;

	(void)ctx, (void)badge;
	/* In a new subframe, the simulator has taken every message of the earlier ones
	 * (DONE's ap_tx): reclaim at that deterministic point only (vnet_config.lockstep). */
	if (l4e_clock_at(CLOCK)->subframe != reclaimed_at) {
		reclaimed_at = l4e_clock_at(CLOCK)->subframe;
		vnet_tx_reclaim(&dev);
		keep_save();
	}
	if (dl_open && dl.len + need > dl.cap)
		dl_commit();
	if (!dl_open && lcid >= 3 && (buf = vnet_tx_buf(&dev, &cap)) != NULL) {
		link_writer_init(&dl, buf, cap, AP_MAGIC, AP_MSG_DATA_DL, tx_seq, 0);
		dl_open = true;
		LINK->dl_open = 1; /* the radio flushes before its answer */
	}
	if (!dl_open || lcid < 3) {
		if (stats.dl_dropped++ < 4)
			log_value("hostif: DL packet dropped, no transmit buffer",
				  dev.stats.tx_full);
	} else {
		ap_put_ip(&dl, DRB_OF(lcid), l4e_pool_ptr(POOL, sdu), (uint16_t)sdu->length);
		stats.dl_packets++;
	}
	l4e_pool_free(POOL, sdu);
	return 0;
}

/* The radio answers next: the open DL message goes (the count: l4e/hostlink.h). */
static int op_flush(void *ctx, l4_word_t badge)
{
	(void)ctx, (void)badge;
	dl_commit();
	return 0;
}

/* NAS's state (attach mode): kept for AT, and a +CEREG URC when registration changed. */
static int op_status(void *ctx, l4_word_t badge, uint8_t fun, uint8_t cereg, bool has_addr,
		     uint32_t addr)
{
	(void)ctx, (void)badge;
	nas.known = true;
	nas.fun = fun;
	nas.cereg = cereg;
	nas.has_addr = has_addr;
	nas.addr = addr;
	at_cereg_update(&at);
	rsp_commit();
	return 0;
}

static const struct hostif_ind_ops ind_ops = {.rx = op_rx, .flush = op_flush, .status = op_status};

void hostif_main(uint32_t arg);

void hostif_main(uint32_t arg)
{
	struct hostif_ind_server srv = {
		.ops = &ind_ops, .pools = ind_pools, .npools = SYS_SERVER_NPOOLS_HOSTIF_IND};
	l4_word_t mr[L4_MSG_REGS], badge;
	const uint8_t *p;
	uint32_t len;
	bool resumed = keep_restore();
	struct l4e_dma dma;
	l4_tag_t tag = 0;
	int err;

	(void)arg;
	err = l4e_dma_get((void *)SYS_POOL_HOST_DMA_ADDR, SYS_POOL_HOST_DMA_SIZE, &dma);
	if (!err)
		err = vnet_open(&dev, (void *)SYS_DEVICE_HOSTLINK_ADDR, SYS_DEVICE_HOSTLINK_SIZE,
				&dma, &link_cfg);
	if (!err)
		err = l4_thread_ctl(SYS_THREAD_MAIN, L4_THREAD_BIND, SYS_SLOT_NTFN, 0);
	if (err) {
		l4e_log(SYS_CAP_USES_L4E_LOG, L4E_LOG_LEVEL_INFO, "hostif: no host link, error",
			(uint32_t)err, L4E_LOG_SIGNED); /* docs/errors.md */
		return;
	}
	{
		static const struct at_ops aops = {
			.line = at_line, .cfun = at_cfun, .status = at_status};

		at_init(&at, &aops, "l4e modem"); /* (a restart resets the AT settings) */
	}
	if (resumed)
		log_value("hostif: restarted, host link up again, messages sent", sent);
	else
		log_value("hostif: host link up, buffers", link_cfg.rx_bufs);
	keep_save();
	l4_irq_ack_at_idle(SYS_CAP_IRQ_56); /* open only when the CPU idles (radio.c explains) */
	for (;;) {
		if (l4_recv(SYS_CAP_PROVIDES_HOSTIF_IND, &tag, mr, &badge) != 0)
			continue;
		if (l4_tag_label(tag) != L4_LABEL_NOTIFY) {
			hostif_ind_dispatch(&srv, &tag, mr, badge);
			continue;
		}
		/* One message per interrupt, the line open again at idle (radio.c explains). */
		vnet_irq_status(&dev);
		if (vnet_recv(&dev, &p, &len) == 0) {
			host_message(p, len);
			vnet_recv_done(&dev);
		}
		l4_irq_ack_at_idle(SYS_CAP_IRQ_56);
	}
}
