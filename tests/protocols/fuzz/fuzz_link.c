/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the radio/host link parser and decoders on untrusted bytes, and re-encoding. */
#include <stdlib.h>
#include <string.h>

#include "l2/env.h"
#include "l2/link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t in[LINK_MAX_MSG];
static uint8_t out[LINK_MAX_MSG];

/* Decode one item and write it again with the typed put of its type; 0 when it was decoded. */
static int reencode(struct link_writer *w, uint16_t magic, const struct link_item *it)
{
	if (magic == AP_MAGIC && it->type == AP_ITEM_AT) {
		const char *text;
		uint16_t len;

		if (ap_get_at(it, &text, &len) < 0)
			return -1;
		if ((const uint8_t *)text != it->body || len != it->len)
			abort();
		ap_put_at(w, text, len);
		return 0;
	}
	if (magic == AP_MAGIC && it->type == AP_ITEM_SIM) {
		struct ap_sim sim;

		if (ap_get_sim(it, &sim) < 0)
			return -1;
		ap_put_sim(w, &sim);
		return 0;
	}
	if (magic == AP_MAGIC) {
		const uint8_t *pkt;
		uint16_t len;
		uint8_t bearer;

		if (ap_get_ip(it, &bearer, &pkt, &len) < 0)
			return -1;
		if (pkt != it->body + AP_IP_FIXED || len != it->len - AP_IP_FIXED)
			abort();
		ap_put_ip(w, bearer, pkt, len);
		return 0;
	}
	switch (it->type) {
	case RL_ITEM_DL_TB: {
		struct rl_dl_tb v;
		uint8_t *q;

		if (rl_get_dl_tb(it, &v) < 0)
			return -1;
		if (v.tb != it->body + RL_DL_TB_FIXED || RL_DL_TB_FIXED + v.tbs + 3u != it->len)
			abort();
		q = rl_put_dl_tb_begin(w, &v);
		if (!q)
			abort();
		memcpy(q, v.tb, v.tbs);
		link_put_tb_end(w);
		/* The writer appends the right CRC: it matches the input's exactly when crc_ok. */
		if ((memcmp(q + v.tbs, v.tb + v.tbs, 3) == 0) != v.crc_ok)
			abort();
		memcpy(q + v.tbs, v.tb + v.tbs, 3);
		return 0;
	}
	case RL_ITEM_UL_TB: {
		struct rl_ul_tb v;
		uint8_t *q;

		if (rl_get_ul_tb(it, &v) < 0)
			return -1;
		if (v.tb != it->body + RL_UL_TB_FIXED || RL_UL_TB_FIXED + v.tbs + 3u != it->len)
			abort();
		q = rl_put_ul_tb_begin(w, &v);
		if (!q)
			abort();
		memcpy(q, v.tb, v.tbs);
		link_put_tb_end(w);
		if ((memcmp(q + v.tbs, v.tb + v.tbs, 3) == 0) != v.crc_ok)
			abort();
		memcpy(q + v.tbs, v.tb + v.tbs, 3);
		return 0;
	}
	case RL_ITEM_UL_GRANT: {
		struct rl_ul_grant v;

		if (rl_get_ul_grant(it, &v) < 0)
			return -1;
		rl_put_ul_grant(w, &v);
		return 0;
	}
	case RL_ITEM_PHICH: {
		struct rl_phich v;

		if (rl_get_phich(it, &v) < 0)
			return -1;
		rl_put_phich(w, &v);
		return 0;
	}
	case RL_ITEM_FAULT: {
		struct rl_fault v;

		if (rl_get_fault(it, &v) < 0)
			return -1;
		rl_put_fault(w, &v);
		return 0;
	}
	case RL_ITEM_HARQ_ACK: {
		struct rl_harq_ack v;

		if (rl_get_harq_ack(it, &v) < 0)
			return -1;
		rl_put_harq_ack(w, &v);
		return 0;
	}
	case RL_ITEM_SR:
		if (it->len != 0)
			abort();
		rl_put_sr(w);
		return 0;
	case RL_ITEM_PRACH: {
		struct rl_prach v;

		if (rl_get_prach(it, &v) < 0)
			return -1;
		rl_put_prach(w, &v);
		return 0;
	}
	case RL_ITEM_DONE: {
		struct rl_done v;

		if (rl_get_done(it, &v) < 0)
			return -1;
		rl_put_done(w, &v);
		return 0;
	}
	case RL_ITEM_TASK_CYCLES: {
		struct rl_task_cycles v;

		if (rl_get_task_cycles(it, &v) < 0)
			return -1;
		rl_put_task_cycles(w, &v);
		return 0;
	}
	case RL_ITEM_HELLO: {
		struct rl_hello v;

		if (rl_get_hello(it, &v) < 0)
			return -1;
		rl_put_hello(w, &v);
		return 0;
	}
	case RL_ITEM_IDLE: {
		struct rl_idle v;

		if (rl_get_idle(it, &v) < 0)
			return -1;
		rl_put_idle(w, &v);
		return 0;
	}
	case RL_ITEM_CFG_MAC: {
		struct rl_cfg_mac v;

		if (rl_get_cfg_mac(it, &v) < 0)
			return -1;
		rl_put_cfg_mac(w, &v);
		return 0;
	}
	case RL_ITEM_CFG_BEARER: {
		struct rl_cfg_bearer v;

		if (rl_get_cfg_bearer(it, &v) < 0)
			return -1;
		rl_put_cfg_bearer(w, &v);
		return 0;
	}
	case RL_ITEM_CFG_DRX: {
		struct rl_cfg_drx v;

		if (rl_get_cfg_drx(it, &v) < 0)
			return -1;
		rl_put_cfg_drx(w, &v);
		return 0;
	}
	case RL_ITEM_CFG_PAGING: {
		struct rl_cfg_paging v;

		if (rl_get_cfg_paging(it, &v) < 0)
			return -1;
		rl_put_cfg_paging(w, &v);
		return 0;
	}
	case RL_ITEM_CFG_SECURITY: {
		struct rl_cfg_security v;

		if (rl_get_cfg_security(it, &v) < 0)
			return -1;
		rl_put_cfg_security(w, &v);
		return 0;
	}
	}
	return -1;
}

/*
 * A message that parsed: every item lies inside it, decodes with the decoder of its type,
 * and writing the decoded values again gives the same bytes, which parse again.
 */
static void check(const uint8_t *p, uint32_t len)
{
	struct link_writer w;
	struct link_msg m, m2;
	struct link_item it;
	uint32_t pos = 0;
	unsigned n = 0;
	int r;

	if (link_parse(p, len, &m) < 0)
		return;
	if (m.length != len || m.items != p + LINK_HDR_LEN || m.n_items > LINK_MAX_ITEMS)
		abort();
	link_writer_init(&w, out, sizeof(out), m.magic, m.type, m.seq, m.subframe);
	while (link_next(&m, &pos, &it) == 1) {
		if (it.body < p + LINK_HDR_LEN || it.body + it.len > p + len || ++n > m.n_items)
			abort();
		if (reencode(&w, m.magic, &it) < 0)
			abort();
	}
	if (n != m.n_items || pos != len - LINK_HDR_LEN)
		abort();
	r = link_finish(&w);
	if (r != (int)len || memcmp(out, p, len) != 0)
		abort();
	if (link_parse(out, len, &m2) < 0 || m2.n_items != m.n_items)
		abort();
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* How many items the framing of p[LINK_HDR_LEN..len) holds, as far as it goes. */
static uint16_t count_items(const uint8_t *p, uint32_t len)
{
	uint32_t pos = LINK_HDR_LEN;
	uint16_t n = 0;

	while (len - pos >= LINK_ITEM_HDR && n < 0xffff) {
		uint32_t blen = p[pos + 2] | (uint32_t)p[pos + 3] << 8;

		if (blen > len - pos - LINK_ITEM_HDR)
			break;
		pos += LINK_ITEM_HDR + blen;
		n++;
	}
	return n;
}

/* Make the header of p[0..len) plausible: magic, version, item count and length. */
static void fix_header(uint8_t *p, uint32_t len, uint16_t magic)
{
	uint16_t n;

	p[0] = (uint8_t)magic;
	p[1] = (uint8_t)(magic >> 8);
	p[2] = LINK_VERSION;
	n = count_items(p, len);
	p[12] = (uint8_t)n;
	p[13] = (uint8_t)(n >> 8);
	p[14] = (uint8_t)len;
	p[15] = (uint8_t)(len >> 8);
}

/*
 * Append what the radio-link message type of byte 3 needs at least (DONE for the subframe
 * of the header, a CFG_MAC), so the fuzzer reaches those types' items without having to
 * guess both. Returns the new length.
 */
static uint32_t complete(uint8_t *p, uint32_t len)
{
	uint8_t *q = p + len;

	p[3] = (uint8_t)(RL_MSG_HELLO + p[3] % RL_MSG_END);
	if (p[3] == RL_MSG_UL) {
		uint32_t sf = get32(p + 8);

		if (sf == 0xffffffffu)
			sf--; /* leave room for wake_at */
		put32(p + 8, sf);
		memset(q, 0, LINK_ITEM_HDR + RL_DONE_LEN);
		q[0] = RL_ITEM_DONE;
		q[2] = RL_DONE_LEN;
		put32(q + LINK_ITEM_HDR, sf);
		put32(q + LINK_ITEM_HDR + 4, sf + 1);
		return len + LINK_ITEM_HDR + RL_DONE_LEN;
	}
	if (p[3] == RL_MSG_CONFIG) {
		memset(q, 0, LINK_ITEM_HDR + RL_CFG_MAC_LEN);
		q[0] = RL_ITEM_CFG_MAC;
		q[2] = RL_CFG_MAC_LEN;
		return len + LINK_ITEM_HDR + RL_CFG_MAC_LEN;
	}
	return len;
}

/*
 * The input as it is; with its header made plausible for each magic; and as a radio-link
 * message completed with the items its type needs.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t magics[] = {RL_MAGIC, AP_MAGIC};
	uint32_t len;
	unsigned i;

	check(data, (uint32_t)(size > 0xffffffffu ? 0xffffffffu : size));
	if (size < LINK_HDR_LEN || size > LINK_MAX_MSG - LINK_ITEM_HDR - RL_DONE_LEN)
		return 0;
	for (i = 0; i < 2; i++) {
		memcpy(in, data, size);
		fix_header(in, (uint32_t)size, magics[i]);
		check(in, (uint32_t)size);
	}
	memcpy(in, data, size);
	len = complete(in, (uint32_t)size);
	fix_header(in, len, RL_MAGIC);
	check(in, len);
	return 0;
}
