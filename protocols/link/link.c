/* SPDX-License-Identifier: BSD-2-Clause */
/* The radio-link and host-link message codec of docs/radio-link.md: a strict parser and a writer. */
#include <string.h>

#include "l2/buf.h"
#include "l2/env.h"
#include "l2/link.h"

#define BIT(t) ((uint64_t)1 << (t))

/* Little-endian fields, byte by byte: message buffers have no alignment. */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * What each message type may carry: `allowed` item types, those that may appear at most
 * `once`, those `needed` at least once, and an item type that must come `last`.
 */
struct link_rule {
	uint16_t magic;
	uint8_t type;
	uint8_t last;
	uint64_t allowed, once, needed;
};

static const struct link_rule link_rules[] = {
	{RL_MAGIC, RL_MSG_HELLO, 0, BIT(RL_ITEM_HELLO), BIT(RL_ITEM_HELLO), BIT(RL_ITEM_HELLO)},
	{RL_MAGIC, RL_MSG_CONFIG, 0,
	 BIT(RL_ITEM_CFG_MAC) | BIT(RL_ITEM_CFG_BEARER) | BIT(RL_ITEM_CFG_SECURITY) |
		 BIT(RL_ITEM_CFG_DRX) | BIT(RL_ITEM_CFG_PAGING),
	 BIT(RL_ITEM_CFG_MAC) | BIT(RL_ITEM_CFG_SECURITY) | BIT(RL_ITEM_CFG_DRX) |
		 BIT(RL_ITEM_CFG_PAGING),
	 BIT(RL_ITEM_CFG_MAC)},
	{RL_MAGIC, RL_MSG_DL, 0,
	 BIT(RL_ITEM_DL_TB) | BIT(RL_ITEM_UL_GRANT) | BIT(RL_ITEM_PHICH) | BIT(RL_ITEM_FAULT),
	 BIT(RL_ITEM_FAULT), 0},
	/* A UE sends one SR and one preamble per subframe at most (TS 36.321 §5.4.4, §5.1.3). */
	{RL_MAGIC, RL_MSG_UL, RL_ITEM_DONE,
	 BIT(RL_ITEM_UL_TB) | BIT(RL_ITEM_HARQ_ACK) | BIT(RL_ITEM_SR) | BIT(RL_ITEM_PRACH) |
		 BIT(RL_ITEM_TASK_CYCLES) | BIT(RL_ITEM_DONE),
	 BIT(RL_ITEM_SR) | BIT(RL_ITEM_PRACH) | BIT(RL_ITEM_TASK_CYCLES) | BIT(RL_ITEM_DONE),
	 BIT(RL_ITEM_DONE)},
	{RL_MAGIC, RL_MSG_IDLE, 0, BIT(RL_ITEM_IDLE), BIT(RL_ITEM_IDLE), BIT(RL_ITEM_IDLE)},
	{RL_MAGIC, RL_MSG_END, 0, 0, 0, 0},
	{AP_MAGIC, AP_MSG_DATA_UL, 0, BIT(AP_ITEM_IP), 0, BIT(AP_ITEM_IP)},
	{AP_MAGIC, AP_MSG_DATA_DL, 0, BIT(AP_ITEM_IP), 0, BIT(AP_ITEM_IP)},
	{AP_MAGIC, AP_MSG_AT_CMD, 0, BIT(AP_ITEM_AT), BIT(AP_ITEM_AT), BIT(AP_ITEM_AT)},
	{AP_MAGIC, AP_MSG_AT_RSP, 0, BIT(AP_ITEM_AT), 0, BIT(AP_ITEM_AT)},
	{AP_MAGIC, AP_MSG_SIM, 0, BIT(AP_ITEM_SIM), BIT(AP_ITEM_SIM), BIT(AP_ITEM_SIM)},
};

static const struct link_rule *link_rule_find(uint16_t magic, uint8_t type)
{
	unsigned i;

	for (i = 0; i < sizeof(link_rules) / sizeof(link_rules[0]); i++)
		if (link_rules[i].magic == magic && link_rules[i].type == type)
			return &link_rules[i];
	return NULL;
}

static bool tbs_ok(uint16_t tbs)
{
	return tbs >= 1 && tbs <= LINK_MAX_TBS;
}

/* A TB item (both have 8 fixed bytes): then exactly tbs bytes and their CRC24A. */
static bool tb_len_ok(const uint8_t *b, uint32_t len, unsigned tbs_at)
{
	return len >= RL_DL_TB_FIXED && tbs_ok(get16(b + tbs_at)) &&
	       len == RL_DL_TB_FIXED + get16(b + tbs_at) + CRC24_LEN;
}

/* A task name: 1..15 printable characters, then only NULs. */
static bool fault_name_ok(const uint8_t *b)
{
	unsigned i = 0;

	while (i < RL_FAULT_NAME && b[i] > ' ' && b[i] < 0x7f)
		i++;
	if (i == 0 || i == RL_FAULT_NAME)
		return false;
	while (i < RL_FAULT_NAME)
		if (b[i++] != 0)
			return false;
	return true;
}

/* RL_ITEM_TASK_CYCLES: 1..RL_TASK_CYCLES_MAX whole entries, each name valid and unique. */
static bool task_cycles_ok(const uint8_t *b, uint32_t len)
{
	uint32_t n = len / RL_TASK_ENTRY_LEN, i, j;

	if (len % RL_TASK_ENTRY_LEN || n < 1 || n > RL_TASK_CYCLES_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (!fault_name_ok(b + i * RL_TASK_ENTRY_LEN))
			return false;
		for (j = 0; j < i; j++) /* the first bytes differ in most pairs: no call then */
			if (b[i * RL_TASK_ENTRY_LEN] == b[j * RL_TASK_ENTRY_LEN] &&
			    b[i * RL_TASK_ENTRY_LEN + 1] == b[j * RL_TASK_ENTRY_LEN + 1] &&
			    memcmp(b + i * RL_TASK_ENTRY_LEN, b + j * RL_TASK_ENTRY_LEN,
				   RL_TASK_NAME) == 0)
				return false;
	}
	return true;
}

/* CFG_DRX: each value within its TS 36.331 range, the offset inside the long cycle, a short
 * cycle timer exactly when there is a short cycle, shorter than the long one. */
static bool drx_ok(const uint8_t *b)
{
	uint16_t on = get16(b), inact = get16(b + 2), lng = get16(b + 4), off = get16(b + 6),
		 shrt = get16(b + 8);

	return on >= 1 && on <= 200 && inact >= 1 && inact <= 2560 && lng >= 10 && lng <= 2560 &&
	       off < lng && b[11] >= 1 && b[11] <= 33 &&
	       (shrt == 0 ? b[10] == 0
			  : shrt >= 2 && shrt <= 640 && shrt < lng && b[10] >= 1 && b[10] <= 16);
}

/* CFG_PAGING: T one of 32..256, nB one of 4T .. T/32, UE_ID below 1024, reserved byte 0. */
static bool paging_ok(const uint8_t *b)
{
	uint16_t t = get16(b), nb = get16(b + 2);
	bool nb_ok = false;
	unsigned k;

	for (k = 0; k < 8; k++)
		nb_ok |= nb == (uint32_t)t * 4 >> k;
	return (t == 32 || t == 64 || t == 128 || t == 256) && nb_ok && get16(b + 4) < 1024 &&
	       b[7] == 0;
}

/*
 * One item's body on its own: its length for the type, reserved bytes zero, booleans 0 or
 * 1, and the ranges link.h states (HARQ process 0..7, rv 0..3, preamble 0..63, tbs
 * 1..LINK_MAX_TBS, wake_at after the finished subframe, an RLC mode of enum rl_rlc_mode).
 * Configuration values beyond that are checked by the layer that applies them.
 */
static bool at_ok(const uint8_t *b, uint32_t len)
{
	uint32_t i;

	if (len < 1 || len > AP_AT_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (b[i] < 0x20 || b[i] > 0x7e)
			return false;
	return true;
}

/* IMSI: 6..15 digits, NUL padded; SQN: 48 bits. */
static bool sim_ok(const uint8_t *b, uint32_t len)
{
	unsigned i, n = 0;

	if (len != AP_SIM_LEN || get16(b + 54) != 0)
		return false;
	while (n < 16 && b[n] >= '0' && b[n] <= '9')
		n++;
	for (i = n; i < 16; i++)
		if (b[i] != 0)
			return false;
	return n >= 6 && n <= 15;
}

static bool item_body_ok(uint16_t magic, uint8_t type, const uint8_t *b, uint32_t len)
{
	if (magic == AP_MAGIC) {
		if (type == AP_ITEM_AT)
			return at_ok(b, len);
		if (type == AP_ITEM_SIM)
			return sim_ok(b, len);
		return type == AP_ITEM_IP && len > AP_IP_FIXED && b[1] == 0 && get16(b + 2) == 0;
	}
	if (magic != RL_MAGIC)
		return false;
	switch (type) {
	case RL_ITEM_DL_TB:
		return tb_len_ok(b, len, 6) && b[2] <= 7 && b[3] <= 1 && b[4] <= 3 && b[5] == 0;
	case RL_ITEM_UL_GRANT:
		return len == RL_UL_GRANT_LEN && b[2] <= 7 && b[3] <= 1 && tbs_ok(get16(b + 4)) &&
		       get16(b + 6) == 0;
	case RL_ITEM_PHICH:
	case RL_ITEM_HARQ_ACK:
		return len == 4 && b[0] <= 7 && b[1] <= 1 && get16(b + 2) == 0;
	case RL_ITEM_FAULT:
		return len == RL_FAULT_LEN && fault_name_ok(b);
	case RL_ITEM_UL_TB:
		return tb_len_ok(b, len, 4) && b[2] <= 7 && b[3] == 0 && get16(b + 6) == 0;
	case RL_ITEM_SR:
		return len == 0;
	case RL_ITEM_PRACH:
		return len == RL_PRACH_LEN && b[0] <= 63 && b[1] == 0;
	case RL_ITEM_DONE:
		return len == RL_DONE_LEN && get32(b + 4) > get32(b);
	case RL_ITEM_TASK_CYCLES:
		return task_cycles_ok(b, len);
	case RL_ITEM_HELLO:
		return len == RL_HELLO_LEN;
	case RL_ITEM_IDLE:
		return len == RL_IDLE_LEN;
	case RL_ITEM_CFG_MAC:
		return len == RL_CFG_MAC_LEN && b[11] == 0;
	case RL_ITEM_CFG_BEARER:
		return len == RL_CFG_BEARER_LEN && b[2] <= 1 && b[3] <= RL_RLC_AM;
	case RL_ITEM_CFG_SECURITY:
		return len == RL_CFG_SECURITY_LEN && get16(b + 2) == 0;
	case RL_ITEM_CFG_DRX:
		return len == RL_CFG_DRX_LEN && drx_ok(b);
	case RL_ITEM_CFG_PAGING:
		return len == RL_CFG_PAGING_LEN && paging_ok(b);
	}
	return false;
}

/*
 * Untrusted bytes: every read is bounded by `len` before it is made, and the walk stops at
 * the first fault, so a message is either accepted whole or refused.
 */
int link_parse(const uint8_t *p, uint32_t len, struct link_msg *m)
{
	const struct link_rule *rule;
	uint64_t seen = 0;
	uint32_t pos, count = 0;
	bool closed = false;

	if (!p || len < LINK_HDR_LEN || len > LINK_MAX_MSG || p[2] != LINK_VERSION)
		return L2_EPROTO;
	rule = link_rule_find(get16(p), p[3]);
	if (!rule || get16(p + 14) != len || get16(p + 12) > LINK_MAX_ITEMS)
		return L2_EPROTO;
	for (pos = LINK_HDR_LEN; pos < len; count++) {
		const uint8_t *q = p + pos;
		uint8_t type = q[0];
		uint32_t blen;

		if (len - pos < LINK_ITEM_HDR || q[1] != 0 || count == get16(p + 12) || closed)
			return L2_EPROTO;
		blen = get16(q + 2);
		if (blen > len - pos - LINK_ITEM_HDR || type >= 64 ||
		    !(rule->allowed & BIT(type)) || (seen & rule->once & BIT(type)) ||
		    !item_body_ok(rule->magic, type, q + LINK_ITEM_HDR, blen))
			return L2_EPROTO;
		/* The UL message answers the DL message of the subframe its DONE finishes. */
		if (rule->magic == RL_MAGIC && type == RL_ITEM_DONE &&
		    get32(q + LINK_ITEM_HDR) != get32(p + 8))
			return L2_EPROTO;
		seen |= BIT(type);
		closed = rule->last && type == rule->last;
		pos += LINK_ITEM_HDR + blen;
	}
	if (count != get16(p + 12) || (seen & rule->needed) != rule->needed)
		return L2_EPROTO;
	m->magic = rule->magic;
	m->type = rule->type;
	m->seq = get32(p + 4);
	m->subframe = get32(p + 8);
	m->n_items = (uint16_t)count;
	m->length = (uint16_t)len;
	m->items = p + LINK_HDR_LEN;
	return 0;
}

int link_next(const struct link_msg *m, uint32_t *pos, struct link_item *it)
{
	uint32_t end, blen;
	const uint8_t *q;

	if (m->length < LINK_HDR_LEN)
		return 0;
	end = (uint32_t)m->length - LINK_HDR_LEN;
	if (*pos >= end || end - *pos < LINK_ITEM_HDR)
		return 0;
	q = m->items + *pos;
	blen = get16(q + 2);
	if (blen > end - *pos - LINK_ITEM_HDR)
		return 0;
	it->type = q[0];
	it->len = (uint16_t)blen;
	it->body = q + LINK_ITEM_HDR;
	*pos += LINK_ITEM_HDR + blen;
	return 1;
}

/* The decoders check the item again (cheap), so a hand-made item cannot make them overread. */
static const uint8_t *item_get(const struct link_item *it, uint16_t magic, uint8_t type)
{
	if (!it || it->type != type || (it->len && !it->body) ||
	    !item_body_ok(magic, type, it->body, it->len))
		return NULL;
	return it->body;
}

/* The receiver's check: the CRC24A of the TB against the parity sent after it (§5.1.1). */
static bool tb_crc_ok(const uint8_t *tb, uint16_t tbs)
{
	const uint8_t *c = tb + tbs;

	return crc24a(tb, tbs) == ((uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2]);
}

int rl_get_dl_tb(const struct link_item *it, struct rl_dl_tb *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_DL_TB);

	if (!b)
		return L2_EPROTO;
	out->rnti = get16(b);
	out->harq_pid = b[2];
	out->ndi = b[3];
	out->rv = b[4];
	out->tbs = get16(b + 6);
	out->tb = b + RL_DL_TB_FIXED;
	out->crc_ok = tb_crc_ok(out->tb, out->tbs);
	return 0;
}

int rl_get_ul_grant(const struct link_item *it, struct rl_ul_grant *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_UL_GRANT);

	if (!b)
		return L2_EPROTO;
	out->rnti = get16(b);
	out->harq_pid = b[2];
	out->ndi = b[3];
	out->tbs = get16(b + 4);
	return 0;
}

int rl_get_phich(const struct link_item *it, struct rl_phich *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_PHICH);

	if (!b)
		return L2_EPROTO;
	out->harq_pid = b[0];
	out->ack = b[1];
	return 0;
}

int rl_get_fault(const struct link_item *it, struct rl_fault *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_FAULT);

	if (!b)
		return L2_EPROTO;
	memcpy(out->task, b, RL_FAULT_NAME);
	out->task[RL_FAULT_NAME - 1] = '\0';
	return 0;
}

int rl_get_ul_tb(const struct link_item *it, struct rl_ul_tb *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_UL_TB);

	if (!b)
		return L2_EPROTO;
	out->rnti = get16(b);
	out->harq_pid = b[2];
	out->tbs = get16(b + 4);
	out->tb = b + RL_UL_TB_FIXED;
	out->crc_ok = tb_crc_ok(out->tb, out->tbs);
	return 0;
}

int rl_get_harq_ack(const struct link_item *it, struct rl_harq_ack *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_HARQ_ACK);

	if (!b)
		return L2_EPROTO;
	out->harq_pid = b[0];
	out->ack = b[1];
	return 0;
}

int rl_get_prach(const struct link_item *it, struct rl_prach *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_PRACH);

	if (!b)
		return L2_EPROTO;
	out->preamble = b[0];
	out->ra_rnti = get16(b + 2);
	return 0;
}

int rl_get_done(const struct link_item *it, struct rl_done *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_DONE);

	if (!b)
		return L2_EPROTO;
	out->subframe = get32(b);
	out->wake_at = get32(b + 4);
	out->ap_tx = get32(b + 8);
	out->cycles = get32(b + 12);
	return 0;
}

int rl_get_task_cycles(const struct link_item *it, struct rl_task_cycles *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_TASK_CYCLES);
	uint32_t i;

	if (!b)
		return L2_EPROTO;
	out->n = it->len / RL_TASK_ENTRY_LEN;
	for (i = 0; i < out->n; i++) {
		memcpy(out->e[i].task, b, RL_TASK_NAME);
		out->e[i].task[RL_TASK_NAME - 1] = '\0';
		out->e[i].cycles = get32(b + RL_TASK_NAME);
		b += RL_TASK_ENTRY_LEN;
	}
	return 0;
}

int rl_get_hello(const struct link_item *it, struct rl_hello *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_HELLO);

	if (!b)
		return L2_EPROTO;
	out->fw_version = get32(b);
	out->max_tbs = get32(b + 4);
	return 0;
}

int rl_get_idle(const struct link_item *it, struct rl_idle *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_IDLE);

	if (!b)
		return L2_EPROTO;
	out->rx_msgs = get32(b);
	out->ap_tx = get32(b + 4);
	return 0;
}

int rl_get_cfg_mac(const struct link_item *it, struct rl_cfg_mac *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_CFG_MAC);

	if (!b)
		return L2_EPROTO;
	out->ue_id = get16(b);
	out->max_harq_tx = b[2];
	out->preamble_trans_max = b[3];
	out->periodic_bsr_ms = get16(b + 4);
	out->retx_bsr_ms = get16(b + 6);
	out->rar_window = b[8];
	out->cr_timer = b[9];
	out->num_preambles = b[10];
	out->pad = 0;
	out->cpu_hz = get32(b + 12);
	return 0;
}

int rl_get_cfg_drx(const struct link_item *it, struct rl_cfg_drx *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_CFG_DRX);

	if (!b)
		return L2_EPROTO;
	out->on_duration = get16(b);
	out->inactivity = get16(b + 2);
	out->long_cycle = get16(b + 4);
	out->start_offset = get16(b + 6);
	out->short_cycle = get16(b + 8);
	out->short_cycle_timer = b[10];
	out->retx = b[11];
	return 0;
}

int rl_get_cfg_paging(const struct link_item *it, struct rl_cfg_paging *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_CFG_PAGING);

	if (!b)
		return L2_EPROTO;
	out->t = get16(b);
	out->nb = get16(b + 2);
	out->ue_id = get16(b + 4);
	out->mmec = b[6];
	out->m_tmsi = get32(b + 8);
	return 0;
}

int rl_get_cfg_bearer(const struct link_item *it, struct rl_cfg_bearer *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_CFG_BEARER);

	if (!b)
		return L2_EPROTO;
	out->rb_id = b[0];
	out->lcid = b[1];
	out->srb = b[2];
	out->rlc_mode = b[3];
	out->pdcp_sn_bits = b[4];
	out->um_sn_bits = b[5];
	out->priority = b[6];
	out->lcg = b[7];
	out->pbr_kbps = get16(b + 8);
	out->bsd_ms = get16(b + 10);
	out->t_poll_retx_ms = get16(b + 12);
	out->t_reordering_ms = get16(b + 14);
	out->t_status_prohibit_ms = get16(b + 16);
	out->poll_pdu = get16(b + 18);
	out->poll_byte = get32(b + 20);
	out->max_retx = get16(b + 24);
	out->discard_ms = get16(b + 26);
	return 0;
}

int rl_get_cfg_security(const struct link_item *it, struct rl_cfg_security *out)
{
	const uint8_t *b = item_get(it, RL_MAGIC, RL_ITEM_CFG_SECURITY);

	if (!b)
		return L2_EPROTO;
	out->eea = b[0];
	out->eia = b[1];
	memcpy(out->kenb, b + 4, sizeof(out->kenb));
	return 0;
}

int ap_get_ip(const struct link_item *it, uint8_t *bearer, const uint8_t **pkt, uint16_t *len)
{
	const uint8_t *b = item_get(it, AP_MAGIC, AP_ITEM_IP);

	if (!b)
		return L2_EPROTO;
	*bearer = b[0];
	*pkt = b + AP_IP_FIXED;
	*len = (uint16_t)(it->len - AP_IP_FIXED);
	return 0;
}

int ap_get_at(const struct link_item *it, const char **text, uint16_t *len)
{
	const uint8_t *b = item_get(it, AP_MAGIC, AP_ITEM_AT);

	if (!b)
		return L2_EPROTO;
	*text = (const char *)b;
	*len = it->len;
	return 0;
}

int ap_get_sim(const struct link_item *it, struct ap_sim *out)
{
	const uint8_t *b = item_get(it, AP_MAGIC, AP_ITEM_SIM);

	if (!b)
		return L2_EPROTO;
	memcpy(out->imsi, b, 16);
	memcpy(out->k, b + 16, 16);
	memcpy(out->opc, b + 32, 16);
	out->sqn = (uint64_t)get32(b + 48) | (uint64_t)get16(b + 52) << 32;
	return 0;
}

/* The first error sticks: later puts do nothing and link_finish returns it. */
static void link_fail(struct link_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

void link_writer_init(struct link_writer *w, uint8_t *buf, uint32_t cap, uint16_t magic,
		      uint8_t type, uint32_t seq, uint32_t subframe)
{
	w->buf = buf;
	w->cap = !buf ? 0 : cap > LINK_MAX_MSG ? LINK_MAX_MSG : cap;
	w->len = LINK_HDR_LEN;
	w->n_items = 0;
	w->err = 0;
	w->tb_at = 0;
	if (w->cap < LINK_HDR_LEN) {
		w->len = 0;
		link_fail(w, L2_EMSGSIZE);
		return;
	}
	if (!link_rule_find(magic, type))
		link_fail(w, L2_EINVAL);
	put16(buf, magic);
	buf[2] = LINK_VERSION;
	buf[3] = type;
	put32(buf + 4, seq);
	put32(buf + 8, subframe);
	put16(buf + 12, 0);
	put16(buf + 14, 0);
}

/*
 * Reserve an item with `len` body bytes, the first `zero` of them cleared (the fixed part
 * with its reserved bytes; a TB or packet is written over); NULL when it cannot be added.
 */
static uint8_t *item_begin(struct link_writer *w, uint8_t type, uint32_t len, uint32_t zero)
{
	uint8_t *q;

	if (w->err)
		return NULL;
	if (w->tb_at) {
		link_fail(w, L2_ESTATE); /* an in-place TB is open: link_put_tb_end first */
		return NULL;
	}
	if (w->n_items >= LINK_MAX_ITEMS || len > w->cap - w->len ||
	    w->cap - w->len - len < LINK_ITEM_HDR) {
		link_fail(w, L2_EMSGSIZE);
		return NULL;
	}
	q = w->buf + w->len;
	q[0] = type;
	q[1] = 0;
	put16(q + 2, (uint16_t)len);
	memset(q + LINK_ITEM_HDR, 0, zero);
	w->len += LINK_ITEM_HDR + len;
	w->n_items++;
	return q + LINK_ITEM_HDR;
}

void link_put(struct link_writer *w, uint8_t type, const void *body, uint16_t len)
{
	uint8_t *q;

	if (len && !body) {
		link_fail(w, L2_EINVAL);
		return;
	}
	q = item_begin(w, type, len, 0);
	if (q && len)
		l2_copy(q, body, len);
}

/* The typed puts refuse what link_parse would refuse, so what they build always parses. */
static bool tb_fields_ok(struct link_writer *w, uint8_t pid, uint16_t tbs)
{
	if (pid > 7 || !tbs_ok(tbs)) {
		link_fail(w, L2_EINVAL);
		return false;
	}
	return true;
}

uint8_t *rl_put_dl_tb_begin(struct link_writer *w, const struct rl_dl_tb *dl)
{
	uint8_t *b;

	if (!tb_fields_ok(w, dl->harq_pid, dl->tbs))
		return NULL;
	if (dl->rv > 3) {
		link_fail(w, L2_EINVAL);
		return NULL;
	}
	b = item_begin(w, RL_ITEM_DL_TB, RL_DL_TB_FIXED + dl->tbs + CRC24_LEN, RL_DL_TB_FIXED);
	if (!b)
		return NULL;
	put16(b, dl->rnti);
	b[2] = dl->harq_pid;
	b[3] = dl->ndi;
	b[4] = dl->rv;
	put16(b + 6, dl->tbs);
	w->tb_at = (uint32_t)(b - LINK_ITEM_HDR - w->buf);
	return b + RL_DL_TB_FIXED;
}

uint8_t *rl_put_ul_tb_begin(struct link_writer *w, const struct rl_ul_tb *ul)
{
	uint8_t *b;

	if (!tb_fields_ok(w, ul->harq_pid, ul->tbs))
		return NULL;
	b = item_begin(w, RL_ITEM_UL_TB, RL_UL_TB_FIXED + ul->tbs + CRC24_LEN, RL_UL_TB_FIXED);
	if (!b)
		return NULL;
	put16(b, ul->rnti);
	b[2] = ul->harq_pid;
	put16(b + 4, ul->tbs);
	w->tb_at = (uint32_t)(b - LINK_ITEM_HDR - w->buf);
	return b + RL_UL_TB_FIXED;
}

/* TS 36.212 §5.1.1: the parity follows the TB, highest-order bit first. */
void link_put_tb_end(struct link_writer *w)
{
	uint8_t *q, *tb;
	uint16_t tbs;
	uint32_t crc;

	if (w->err)
		return;
	if (!w->tb_at) {
		link_fail(w, L2_ESTATE);
		return;
	}
	/* Both TB layouts: tbs at body offset 6 (DL) or 4 (UL), the TB after 8 bytes. */
	q = w->buf + w->tb_at;
	tbs = get16(q + LINK_ITEM_HDR + (q[0] == RL_ITEM_DL_TB ? 6 : 4));
	tb = q + LINK_ITEM_HDR + RL_DL_TB_FIXED;
	crc = crc24a(tb, tbs);
	tb[tbs] = (uint8_t)(crc >> 16);
	tb[tbs + 1] = (uint8_t)(crc >> 8);
	tb[tbs + 2] = (uint8_t)crc;
	w->tb_at = 0;
}

void rl_put_dl_tb(struct link_writer *w, const struct rl_dl_tb *tb)
{
	uint8_t *q;

	if (!tb->tb) {
		link_fail(w, L2_EINVAL);
		return;
	}
	q = rl_put_dl_tb_begin(w, tb);
	if (!q)
		return;
	l2_copy(q, tb->tb, tb->tbs);
	link_put_tb_end(w);
}

void rl_put_ul_tb(struct link_writer *w, const struct rl_ul_tb *tb)
{
	uint8_t *q;

	if (!tb->tb) {
		link_fail(w, L2_EINVAL);
		return;
	}
	q = rl_put_ul_tb_begin(w, tb);
	if (!q)
		return;
	l2_copy(q, tb->tb, tb->tbs);
	link_put_tb_end(w);
}

void rl_put_ul_grant(struct link_writer *w, const struct rl_ul_grant *g)
{
	uint8_t *b;

	if (!tb_fields_ok(w, g->harq_pid, g->tbs))
		return;
	b = item_begin(w, RL_ITEM_UL_GRANT, RL_UL_GRANT_LEN, RL_UL_GRANT_LEN);
	if (!b)
		return;
	put16(b, g->rnti);
	b[2] = g->harq_pid;
	b[3] = g->ndi;
	put16(b + 4, g->tbs);
}

/* PHICH and HARQ ACK share a layout: u8 pid, u8 ack, u16 0. */
static void put_feedback(struct link_writer *w, uint8_t type, uint8_t pid, bool ack)
{
	uint8_t *b;

	if (pid > 7) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, type, 4, 4);
	if (!b)
		return;
	b[0] = pid;
	b[1] = ack;
}

void rl_put_phich(struct link_writer *w, const struct rl_phich *f)
{
	put_feedback(w, RL_ITEM_PHICH, f->harq_pid, f->ack);
}

void rl_put_fault(struct link_writer *w, const struct rl_fault *f)
{
	uint8_t *b;

	if (!fault_name_ok((const uint8_t *)f->task)) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, RL_ITEM_FAULT, RL_FAULT_LEN, RL_FAULT_LEN);
	if (b)
		memcpy(b, f->task, RL_FAULT_LEN);
}

void rl_put_harq_ack(struct link_writer *w, const struct rl_harq_ack *a)
{
	put_feedback(w, RL_ITEM_HARQ_ACK, a->harq_pid, a->ack);
}

void rl_put_sr(struct link_writer *w)
{
	item_begin(w, RL_ITEM_SR, 0, 0);
}

void rl_put_prach(struct link_writer *w, const struct rl_prach *p)
{
	uint8_t *b;

	if (p->preamble > 63) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, RL_ITEM_PRACH, RL_PRACH_LEN, RL_PRACH_LEN);
	if (!b)
		return;
	b[0] = p->preamble;
	put16(b + 2, p->ra_rnti);
}

void rl_put_done(struct link_writer *w, const struct rl_done *d)
{
	uint8_t *b;

	if (d->wake_at <= d->subframe) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, RL_ITEM_DONE, RL_DONE_LEN, RL_DONE_LEN);
	if (!b)
		return;
	put32(b, d->subframe);
	put32(b + 4, d->wake_at);
	put32(b + 8, d->ap_tx);
	put32(b + 12, d->cycles);
}

void rl_put_task_cycles(struct link_writer *w, const struct rl_task_cycles *t)
{
	uint16_t len = (uint16_t)(t->n * RL_TASK_ENTRY_LEN);
	bool ok = true;
	uint8_t *b;
	uint32_t i;

	if (t->n < 1 || t->n > RL_TASK_CYCLES_MAX) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, RL_ITEM_TASK_CYCLES, len, len);
	if (!b)
		return;
	for (i = 0; i < t->n && ok; i++) {
		uint8_t *e = b + i * RL_TASK_ENTRY_LEN;
		uint32_t k, j;

		/* The name, zero-padded (item_begin zeroed the body), checked as it goes. */
		for (k = 0; k < RL_TASK_NAME - 1 && t->e[i].task[k]; k++) {
			e[k] = (uint8_t)t->e[i].task[k];
			ok &= e[k] > ' ' && e[k] < 0x7f;
		}
		ok &= k > 0 && (k < RL_TASK_NAME - 1 || !t->e[i].task[k]);
		for (j = 0; j < i && ok; j++) /* the first bytes differ in most pairs */
			ok = e[0] != b[j * RL_TASK_ENTRY_LEN] ||
			     memcmp(e, b + j * RL_TASK_ENTRY_LEN, RL_TASK_NAME) != 0;
		put32(e + RL_TASK_NAME, t->e[i].cycles);
	}
	if (!ok) { /* taken back: the message stays as it was */
		w->len -= LINK_ITEM_HDR + len;
		w->n_items--;
		link_fail(w, L2_EINVAL);
	}
}

void rl_put_hello(struct link_writer *w, const struct rl_hello *h)
{
	uint8_t *b = item_begin(w, RL_ITEM_HELLO, RL_HELLO_LEN, RL_HELLO_LEN);

	if (!b)
		return;
	put32(b, h->fw_version);
	put32(b + 4, h->max_tbs);
}

void rl_put_idle(struct link_writer *w, const struct rl_idle *i)
{
	uint8_t *b = item_begin(w, RL_ITEM_IDLE, RL_IDLE_LEN, RL_IDLE_LEN);

	if (!b)
		return;
	put32(b, i->rx_msgs);
	put32(b + 4, i->ap_tx);
}

void rl_put_cfg_mac(struct link_writer *w, const struct rl_cfg_mac *c)
{
	uint8_t *b = item_begin(w, RL_ITEM_CFG_MAC, RL_CFG_MAC_LEN, RL_CFG_MAC_LEN);

	if (!b)
		return;
	put16(b, c->ue_id);
	b[2] = c->max_harq_tx;
	b[3] = c->preamble_trans_max;
	put16(b + 4, c->periodic_bsr_ms);
	put16(b + 6, c->retx_bsr_ms);
	b[8] = c->rar_window;
	b[9] = c->cr_timer;
	b[10] = c->num_preambles;
	put32(b + 12, c->cpu_hz);
}

void rl_put_cfg_drx(struct link_writer *w, const struct rl_cfg_drx *c)
{
	uint8_t *b;

	b = item_begin(w, RL_ITEM_CFG_DRX, RL_CFG_DRX_LEN, RL_CFG_DRX_LEN);
	if (!b)
		return;
	put16(b, c->on_duration);
	put16(b + 2, c->inactivity);
	put16(b + 4, c->long_cycle);
	put16(b + 6, c->start_offset);
	put16(b + 8, c->short_cycle);
	b[10] = c->short_cycle_timer;
	b[11] = c->retx;
	if (!drx_ok(b))
		link_fail(w, L2_EINVAL);
}

void rl_put_cfg_paging(struct link_writer *w, const struct rl_cfg_paging *c)
{
	uint8_t *b = item_begin(w, RL_ITEM_CFG_PAGING, RL_CFG_PAGING_LEN, RL_CFG_PAGING_LEN);

	if (!b)
		return;
	put16(b, c->t);
	put16(b + 2, c->nb);
	put16(b + 4, c->ue_id);
	b[6] = c->mmec;
	b[7] = 0;
	put32(b + 8, c->m_tmsi);
	if (!paging_ok(b))
		link_fail(w, L2_EINVAL);
}

void rl_put_cfg_bearer(struct link_writer *w, const struct rl_cfg_bearer *c)
{
	uint8_t *b;

	if (c->rlc_mode > RL_RLC_AM) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, RL_ITEM_CFG_BEARER, RL_CFG_BEARER_LEN, RL_CFG_BEARER_LEN);
	if (!b)
		return;
	b[0] = c->rb_id;
	b[1] = c->lcid;
	b[2] = c->srb;
	b[3] = c->rlc_mode;
	b[4] = c->pdcp_sn_bits;
	b[5] = c->um_sn_bits;
	b[6] = c->priority;
	b[7] = c->lcg;
	put16(b + 8, c->pbr_kbps);
	put16(b + 10, c->bsd_ms);
	put16(b + 12, c->t_poll_retx_ms);
	put16(b + 14, c->t_reordering_ms);
	put16(b + 16, c->t_status_prohibit_ms);
	put16(b + 18, c->poll_pdu);
	put32(b + 20, c->poll_byte);
	put16(b + 24, c->max_retx);
	put16(b + 26, c->discard_ms);
}

void rl_put_cfg_security(struct link_writer *w, const struct rl_cfg_security *c)
{
	uint8_t *b = item_begin(w, RL_ITEM_CFG_SECURITY, RL_CFG_SECURITY_LEN, RL_CFG_SECURITY_LEN);

	if (!b)
		return;
	b[0] = c->eea;
	b[1] = c->eia;
	memcpy(b + 4, c->kenb, sizeof(c->kenb));
}

void ap_put_ip(struct link_writer *w, uint8_t bearer, const uint8_t *pkt, uint16_t len)
{
	uint8_t *b;

	if (!pkt || !len) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, AP_ITEM_IP, AP_IP_FIXED + (uint32_t)len, AP_IP_FIXED);
	if (!b)
		return;
	b[0] = bearer;
	l2_copy(b + AP_IP_FIXED, pkt, len);
}

void ap_put_at(struct link_writer *w, const char *text, uint16_t len)
{
	uint8_t *b;

	if (!text || !at_ok((const uint8_t *)text, len)) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, AP_ITEM_AT, len, len);
	if (b)
		memcpy(b, text, len);
}

void ap_put_sim(struct link_writer *w, const struct ap_sim *sim)
{
	uint8_t body[AP_SIM_LEN] = {0};
	uint8_t *b;

	memcpy(body, sim->imsi, 16);
	memcpy(body + 16, sim->k, 16);
	memcpy(body + 32, sim->opc, 16);
	put32(body + 48, (uint32_t)sim->sqn);
	put16(body + 52, (uint16_t)(sim->sqn >> 32));
	if (sim->sqn >> 48 || !sim_ok(body, AP_SIM_LEN)) {
		link_fail(w, L2_EINVAL);
		return;
	}
	b = item_begin(w, AP_ITEM_SIM, AP_SIM_LEN, AP_SIM_LEN);
	if (b)
		memcpy(b, body, AP_SIM_LEN);
}

int link_finish(struct link_writer *w)
{
	if (w->tb_at)
		link_fail(w, L2_ESTATE);
	if (w->err)
		return w->err;
	put16(w->buf + 12, w->n_items);
	put16(w->buf + 14, (uint16_t)w->len);
	return (int)w->len;
}
