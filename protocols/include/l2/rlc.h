/* SPDX-License-Identifier: BSD-2-Clause */
/* RLC entities (TS 36.322 Rel-8): transparent, unacknowledged and acknowledged mode. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l2/buf.h"
#include "l2/env.h"

#define RLC_MAX_LI	32   /* length indicators per PDU this implementation sends or accepts */
#define RLC_HEADROOM	64   /* largest header: AMD PDU segment with RLC_MAX_LI LIs */
#define RLC_LI_MAX	2047 /* 11-bit LI, TS 36.322 §6.2.2.5 */
#define RLC_AM_SN_MOD	1024
#define RLC_AM_WINDOW	512    /* AM_Window_Size, §7.2 */
#define RLC_AM_TX_SLOTS 128    /* PDUs in flight per AM entity (bounds memory; <= window) */
#define RLC_AM_RX_SLOTS 128    /* PDUs held for reordering per AM entity */
#define RLC_AM_RX_SEGS	8      /* byte ranges tracked per incomplete PDU */
#define RLC_UM_RX_SLOTS 512    /* a 10-bit SN window: no two SNs in it share a slot */
#define RLC_SO_END	0x7fff /* SOend "to the last byte", §6.2.2.17 */

/* Parsed RLC data PDU header (UMD §6.2.1.3, AMD §6.2.1.4, AMD segment §6.2.1.5). */
struct rlc_hdr {
	uint16_t sn;
	uint8_t fi; /* bit 1: data does not start an SDU; bit 0: does not end one (§6.2.2.6) */
	bool rf, p, lsf; /* AM: re-segmentation flag, poll, last segment flag */
	uint16_t so;	 /* AM segment offset */
	uint8_t n_li;
	uint16_t li[RLC_MAX_LI];
	uint16_t hdr_len; /* bytes of header including the LI part */
};

/* One NACK of a STATUS PDU (§6.2.1.6). */
struct rlc_nack {
	uint16_t sn;
	bool has_so;
	uint16_t so_start, so_end;
};

#define RLC_MAX_NACKS 64

struct rlc_status {
	uint16_t ack_sn;
	uint16_t n_nack;
	struct rlc_nack nack[RLC_MAX_NACKS];
};

/* Parsers for untrusted PDUs: 0, or L2_EPROTO for anything malformed. */
int rlc_um_parse(const uint8_t *p, uint32_t len, uint8_t sn_bits, struct rlc_hdr *h);
int rlc_am_parse(const uint8_t *p, uint32_t len, struct rlc_hdr *h);
int rlc_status_parse(const uint8_t *p, uint32_t len, struct rlc_status *s);
/* Encoders: bytes written, or L2_EMSGSIZE when `cap` is too small. */
int rlc_um_write_hdr(uint8_t *p, uint32_t cap, uint8_t sn_bits, const struct rlc_hdr *h);
int rlc_am_write_hdr(uint8_t *p, uint32_t cap, const struct rlc_hdr *h);
int rlc_status_write(uint8_t *p, uint32_t cap, const struct rlc_status *s);
/* Header length for `n_li` LIs after a fixed part of `fixed` bytes (§6.2.1.3). */
static inline uint32_t rlc_hdr_len(uint32_t fixed, uint32_t n_li)
{
	return fixed + (3 * n_li + 1) / 2;
}

/* What an entity calls; buffers passed up change owner. */
struct rlc_ops {
	void *ctx;
	void (*rx_sdu)(void *ctx, struct l2_buf *sdu);
	void (*tx_delivered)(void *ctx, uint32_t tag); /* AM: SDU with this tag acknowledged */
	void (*max_retx)(void *ctx, uint16_t sn);      /* AM: maxRetxThreshold reached (RLF) */
};

struct rlc_stats {
	uint32_t tx_sdus, tx_pdus, tx_bytes, tx_discarded, tx_retx_pdus, tx_status;
	uint32_t rx_pdus, rx_sdus, rx_malformed, rx_duplicates, rx_outside, rx_no_buffer;
	uint32_t rx_sdu_lost, rx_status, poll_retx_expiries;
};

/* SDU queue shared by all modes; the head SDU may be partly sent. */
struct rlc_txq {
	struct l2_queue q;
	uint16_t head_off;
	uint32_t max_sdus;
};

/* SDU reassembly shared by UM and AM. */
struct rlc_reasm {
	struct l2_buf *sdu;
	bool have_next;
	uint16_t next_sn; /* SN the partial SDU continues in */
};

struct rlc_common {
	bool reestablishing; /* SDUs passed up now come from a re-establishment (§5.4) */
	const struct rlc_ops *ops;
	const struct l2_env *env;
	struct l2_pool *pool;
	struct rlc_txq txq;
	struct rlc_reasm reasm;
	struct rlc_stats stats;
	struct rlc_ops ops_copy;
};

/* Transparent mode (§5.1.1). */
struct rlc_tm {
	struct rlc_common c;
};

int rlc_tm_init(struct rlc_tm *e, const struct rlc_ops *ops, const struct l2_env *env,
		struct l2_pool *pool, uint32_t max_sdus);
int rlc_tm_tx_sdu(struct rlc_tm *e, struct l2_buf *sdu);
struct l2_buf *rlc_tm_tx_pdu(struct rlc_tm *e, uint32_t max_bytes);
void rlc_tm_rx_pdu(struct rlc_tm *e, struct l2_buf *pdu);

/* Unacknowledged mode (§5.1.2). */
struct rlc_um_config {
	uint8_t sn_bits;	  /* 5 or 10 */
	uint32_t t_reordering_ms; /* §7.3 */
	uint32_t max_sdus;	  /* SDU queue limit */
};

struct rlc_um {
	struct rlc_common c;
	struct rlc_um_config cfg;
	uint16_t sn_mod, window;
	uint16_t vt_us; /* §7.1 */
	uint16_t vr_ur, vr_ux, vr_uh;
	struct l2_timer t_reordering;
	struct l2_buf *rx[RLC_UM_RX_SLOTS]; /* received PDUs, tag = SN */
};

int rlc_um_init(struct rlc_um *e, const struct rlc_um_config *cfg, const struct rlc_ops *ops,
		const struct l2_env *env, struct l2_pool *pool);
int rlc_um_tx_sdu(struct rlc_um *e, struct l2_buf *sdu);
struct l2_buf *rlc_um_tx_pdu(struct rlc_um *e, uint32_t max_bytes);
int rlc_um_rx_pdu(struct rlc_um *e, struct l2_buf *pdu);
void rlc_um_tick(struct rlc_um *e);
void rlc_um_release(struct rlc_um *e);
/* Re-establishment (§5.4): SDUs reassembled from what was received go up (with
 * c.reestablishing set while they do), then everything is dropped and the state reset. */
void rlc_um_reestablish(struct rlc_um *e);
uint32_t rlc_um_buffer_bytes(const struct rlc_um *e);

/* Acknowledged mode (§5.1.3, §5.2). */
struct rlc_am_config {
	uint32_t t_poll_retransmit_ms, t_reordering_ms, t_status_prohibit_ms; /* §7.3 */
	uint32_t poll_pdu, poll_byte;					      /* 0: infinity */
	uint32_t max_retx_threshold;
	uint32_t max_sdus;
};

struct rlc_am_tx_slot {
	struct l2_buf *pdu; /* the PDU as first built (header + data field) */
	uint16_t sn;
	uint16_t hdr_len;
	uint32_t retx_count;
	bool used, acked, retx_pending, ever_retx;
	uint16_t retx_start, retx_end; /* pending byte range of the data field */
	bool has_tag;
	uint32_t last_tag; /* tag of the last SDU that ends in this PDU */
};

struct rlc_am_rx_slot {
	struct l2_buf *data; /* data field being assembled */
	uint16_t sn;
	bool used, len_known, complete;
	uint8_t fi_first, fi_last;
	uint16_t len;
	uint8_t n_seg, n_bound;
	uint16_t seg_start[RLC_AM_RX_SEGS], seg_end[RLC_AM_RX_SEGS];
	uint16_t bound[RLC_MAX_LI]; /* SDU boundaries (offsets where an SDU starts) */
};

struct rlc_am {
	struct rlc_common c;
	struct rlc_am_config cfg;
	/* Transmitting side, §7.1. */
	uint16_t vt_a, vt_s, poll_sn;
	uint32_t pdu_without_poll, byte_without_poll;
	bool poll_pending; /* t-PollRetransmit expired: poll on the next PDU */
	struct l2_timer t_poll_retransmit;
	struct rlc_am_tx_slot tx[RLC_AM_TX_SLOTS];
	uint32_t n_retx; /* slots with retx_pending set */
	/* Receiving side, §7.1. */
	uint16_t vr_r, vr_x, vr_ms, vr_h;
	struct l2_timer t_reordering, t_status_prohibit;
	bool status_triggered;
	bool poll_deferred;
	uint16_t poll_deferred_sn;
	struct rlc_am_rx_slot rx[RLC_AM_RX_SLOTS];
	bool rlf;
};

int rlc_am_init(struct rlc_am *e, const struct rlc_am_config *cfg, const struct rlc_ops *ops,
		const struct l2_env *env, struct l2_pool *pool);
/* Queue an SDU (its tag comes back through tx_delivered). Consumes it. */
int rlc_am_tx_sdu(struct rlc_am *e, struct l2_buf *sdu);
/* Discard a not-yet-segmented SDU by tag on request of PDCP (§5.3). */
int rlc_am_discard_sdu(struct rlc_am *e, uint32_t tag);
/* A transmission opportunity of `max_bytes`: STATUS, then retransmissions, then new data. */
struct l2_buf *rlc_am_tx_pdu(struct rlc_am *e, uint32_t max_bytes);
/* A PDU from MAC; consumed. Returns 0 or why it was dropped (counted). */
int rlc_am_rx_pdu(struct rlc_am *e, struct l2_buf *pdu);
void rlc_am_tick(struct rlc_am *e);
void rlc_am_release(struct rlc_am *e);
/* Re-establishment (§5.4): complete PDUs up to VR(H) are reassembled and passed up in order
 * (c.reestablishing set meanwhile), then all buffers, timers and state variables reset. */
void rlc_am_reestablish(struct rlc_am *e);
/* Bytes waiting: new data, retransmissions and a triggered STATUS (for buffer status). */
uint32_t rlc_am_buffer_bytes(const struct rlc_am *e);
