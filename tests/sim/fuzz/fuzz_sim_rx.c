/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the simulator's receive path (runner and eNB) fed arbitrary UE messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2/link.h"
#include "runner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A UE port whose answers come from the input. Each answer starts with a mode byte: odd,
 * the next bytes (length byte first) go out raw, framing and all; even, a message is built
 * around the input's items with the right header, sequence number and subframe (and, for
 * UL, a DONE), so the items themselves reach the eNB: (mode >> 1) picks the type. Items
 * are taken as [type selector][length][body]; TB items get their fixed part, the TB and
 * a CRC24A that is right or wrong as the input says.
 */
struct fuzz_port {
	struct port base;
	const uint8_t *p;
	size_t left;
	uint32_t seq[2], subframe, host_sent;
};

static uint8_t take(struct fuzz_port *f)
{
	uint8_t b = 0;

	if (f->left) {
		b = *f->p++;
		f->left--;
	}
	return b;
}

static int fp_send(struct port *p, enum port_link link, const uint8_t *msg, uint32_t len)
{
	struct fuzz_port *f = (struct fuzz_port *)p;

	(void)link;
	if (len >= LINK_HDR_LEN)
		f->subframe = (uint32_t)msg[8] | (uint32_t)msg[9] << 8 | (uint32_t)msg[10] << 16 |
			      (uint32_t)msg[11] << 24;
	return 0;
}

static void put_items(struct fuzz_port *f, struct link_writer *w, bool host)
{
	static const uint8_t radio[] = {RL_ITEM_UL_TB, RL_ITEM_HARQ_ACK, RL_ITEM_SR,
					RL_ITEM_PRACH, RL_ITEM_IDLE,	 RL_ITEM_HELLO};
	unsigned n = take(f) % 8, i;

	for (i = 0; i < n && f->left; i++) {
		uint8_t sel = take(f), len = take(f), body[255];
		unsigned k;

		if (host) {
			for (k = 0; k < len; k++)
				body[k] = take(f);
			if (len)
				ap_put_ip(w, sel & 3, body, len);
			continue;
		}
		if (radio[sel % sizeof(radio)] == RL_ITEM_UL_TB) {
			struct rl_ul_tb tb = {.rnti = (uint16_t)(0x4600 + (take(f) & 3)),
					      .harq_pid = (uint8_t)(f->subframe % 8),
					      .tbs = len ? len : 1};
			uint8_t *q = rl_put_ul_tb_begin(w, &tb);

			if (!q)
				return;
			for (k = 0; k < tb.tbs; k++)
				q[k] = take(f);
			link_put_tb_end(w);
			if (sel & 0x80 && w->len >= 1)
				w->buf[w->len - 1] ^= 1; /* a wrong CRC */
			continue;
		}
		for (k = 0; k < len; k++)
			body[k] = take(f);
		link_put(w, radio[sel % sizeof(radio)], body, len);
	}
}

static int fp_recv(struct port *p, enum port_link link, uint8_t *buf, uint32_t cap,
		   uint32_t timeout_ms)
{
	static const uint8_t types[] = {RL_MSG_UL, RL_MSG_IDLE, RL_MSG_HELLO, RL_MSG_UL,
					RL_MSG_DL, RL_MSG_END,	RL_MSG_CONFIG};
	struct fuzz_port *f = (struct fuzz_port *)p;
	struct link_writer w;
	uint8_t mode;
	int n;

	(void)timeout_ms;
	if (!f->left)
		return PORT_ETIMEOUT;
	mode = take(f);
	if (mode & 1) {
		uint32_t len = take(f);

		if (len > f->left)
			len = (uint32_t)f->left;
		if (len > cap)
			return PORT_ETOOBIG;
		memcpy(buf, f->p, len);
		f->p += len;
		f->left -= len;
		return (int)len;
	}
	if (link == PORT_HOST) {
		link_writer_init(&w, buf, cap, AP_MAGIC, AP_MSG_DATA_DL, f->seq[1]++, f->subframe);
		put_items(f, &w, true);
	} else {
		uint8_t type = types[(mode >> 1) % sizeof(types)];

		link_writer_init(&w, buf, cap, RL_MAGIC, type, f->seq[0]++, f->subframe);
		put_items(f, &w, false);
		if (type == RL_MSG_UL) {
			struct rl_done d = {.subframe = f->subframe,
					    .wake_at = f->subframe + 1 + (take(f) & 3),
					    .ap_tx = f->host_sent += take(f) & 1,
					    .cycles = take(f)};

			rl_put_done(&w, &d);
		}
	}
	n = link_finish(&w);
	return n < 0 ? (int)take(f) : n; /* a build that failed: an empty frame */
}

static int fp_finish(struct port *p, uint32_t timeout_ms)
{
	(void)p, (void)timeout_ms;
	return 0;
}

static void fp_free(struct port *p)
{
	(void)p;
}

static const struct port_ops fuzz_ops = {
	.send = fp_send, .recv = fp_recv, .finish = fp_finish, .free = fp_free};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_config cfg;
	static struct sim sim;
	static struct fuzz_port fp;
	char err[256];

	config_defaults(&cfg);
	cfg.out_dir[0] = 0;
	cfg.duration_ms = 40;
	cfg.enb.pool_bufs = 128;
	cfg.ue[0].kind = UE_EXTERNAL;
	cfg.n_flows = 1;
	cfg.flow[0] = (struct flow_config){.type = FLOW_CBR,
					   .dir = FLOW_DL,
					   .drb = 1,
					   .size = 200,
					   .rate_kbps = 3200,
					   .start_ms = 0,
					   .stop_ms = 40};
	if (config_check(&cfg, err, sizeof(err)) < 0 || sim_init(&sim, &cfg, false) < 0)
		abort();
	memset(&fp, 0, sizeof(fp));
	fp.base.ops = &fuzz_ops;
	fp.p = data;
	fp.left = size;
	sim.ue[0].port = &fp.base;
	sim_run(&sim);
	/* Everything the eNB held goes back to its pool. */
	sim.ue[0].port = NULL;
	sim_free(&sim);
	return 0;
}
