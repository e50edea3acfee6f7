/* SPDX-License-Identifier: BSD-2-Clause */
/* MAC PDU multiplexing/demultiplexing and control elements (TS 36.321 §6.1, §6.2). */
#include <string.h>

#include "l2/mac.h"

int mac_ce_size(uint8_t lcid, enum mac_dir dir)
{
	if (dir == MAC_DL) {
		switch (lcid) {
		case MAC_LCID_DL_CRI:
			return 6; /* §6.1.3.4 */
		case MAC_LCID_DL_TA:
			return 1; /* §6.1.3.5 */
		case MAC_LCID_DL_DRX:
			return 0; /* §6.1.3.3 */
		}
		return -1;
	}
	switch (lcid) {
	case MAC_LCID_UL_PHR:
		return 1; /* §6.1.3.6 */
	case MAC_LCID_UL_CRNTI:
		return 2; /* §6.1.3.2 */
	case MAC_LCID_UL_TBSR:
	case MAC_LCID_UL_SBSR:
		return 1; /* §6.1.3.1 */
	case MAC_LCID_UL_LBSR:
		return 3;
	}
	return -1;
}

static bool mac_is_sdu(uint8_t lcid)
{
	return lcid <= MAC_LCID_LCH_MAX;
}

/*
 * §6.1.2: subheaders R/F2/E/LCID[/F/L], then control elements and SDUs in the same order,
 * then padding. The last subheader has no L: its element takes what is left.
 */
int mac_pdu_parse(const uint8_t *p, uint32_t len, enum mac_dir dir, struct mac_pdu_view *v)
{
	uint32_t pos = 0, payload = 0;
	bool more = true, pad_tail = false;
	unsigned i, last_var = MAC_MAX_ELEMS;

	/* Only n and padding: e[] is read up to n (a full memset costs more than a PDU). */
	v->n = 0;
	v->padding = 0;
	if (len == 0)
		return L2_EPROTO;
	while (more) {
		uint8_t b, lcid;
		uint32_t l = 0;
		int ce;

		if (pos >= len)
			return L2_EPROTO;
		b = p[pos++];
		more = (b >> 5) & 1;
		lcid = b & 0x1f;
		if (lcid == MAC_LCID_PADDING) {
			v->padding++;
			if (!more)
				pad_tail = true;
			continue;
		}
		if (v->n == MAC_MAX_ELEMS)
			return L2_EPROTO;
		ce = mac_ce_size(lcid, dir);
		if (ce < 0 && !mac_is_sdu(lcid))
			return L2_EPROTO; /* reserved LCID */
		if (ce >= 0) {
			l = (uint32_t)ce;
		} else if (more) {
			if (b & 0x40) { /* F2 = 1: 16-bit L (Rel-13 §6.2.1) */
				if (pos + 2 > len)
					return L2_EPROTO;
				l = (uint32_t)p[pos] << 8 | p[pos + 1];
				pos += 2;
			} else if (pos < len && (p[pos] & 0x80)) { /* F = 1: 15-bit L */
				if (pos + 2 > len)
					return L2_EPROTO;
				l = (uint32_t)(p[pos] & 0x7f) << 8 | p[pos + 1];
				pos += 2;
			} else {
				if (pos >= len)
					return L2_EPROTO;
				l = p[pos++] & 0x7f;
			}
			if (l == 0)
				return L2_EPROTO;
		} else {
			last_var = v->n;
		}
		v->e[v->n].lcid = lcid;
		v->e[v->n].len = (uint16_t)l;
		v->n++;
		payload += l;
	}
	if (pos + payload > len)
		return L2_EPROTO;
	if (last_var < MAC_MAX_ELEMS) {
		uint32_t rest = len - pos - payload;

		if (rest == 0 || rest > 0xffff)
			return L2_EPROTO;
		v->e[last_var].len = (uint16_t)rest;
		payload += rest;
	} else if (!pad_tail && pos + payload != len) {
		return L2_EPROTO; /* bytes nobody accounts for */
	}
	for (i = 0; i < v->n; i++) {
		v->e[i].off = (uint16_t)pos;
		pos += v->e[i].len;
	}
	v->padding = (uint16_t)(v->padding + (len - pos));
	return 0;
}

/* Subheader bytes of an element that is not the last one. */
static uint32_t mac_subhdr_len(const struct mac_pdu_writer *w, uint8_t lcid, uint32_t len)
{
	if (mac_ce_size(lcid, w->dir) >= 0)
		return 1;
	return len < 128 ? 2 : 3;
}

void mac_pdu_init(struct mac_pdu_writer *w, uint32_t tb_size, enum mac_dir dir)
{
	w->tb_size = tb_size;
	w->dir = dir;
	w->n = 0;
	w->used = 0;
}

/*
 * `used` counts every element with its full subheader; the last one will drop its L field,
 * so one more SDU fits when used + 1 + len <= tb_size (it is the last, for now).
 */
uint32_t mac_pdu_room(const struct mac_pdu_writer *w)
{
	if (w->n == MAC_MAX_ELEMS || w->used + 1 >= w->tb_size)
		return 0;
	return w->tb_size - w->used - 1;
}

int mac_pdu_add(struct mac_pdu_writer *w, uint8_t lcid, const uint8_t *data, uint16_t len)
{
	int ce = mac_ce_size(lcid, w->dir);
	uint32_t need;

	if (w->n == MAC_MAX_ELEMS || (ce < 0 && !mac_is_sdu(lcid)) || (ce >= 0 && len != ce) ||
	    (ce < 0 && len == 0))
		return L2_EINVAL;
	need = mac_subhdr_len(w, lcid, len) + len;
	if (w->used + 1 + len > w->tb_size)
		return L2_EMSGSIZE;
	w->e[w->n].lcid = lcid;
	w->e[w->n].len = len;
	w->e[w->n].data = data;
	w->n++;
	w->used += need;
	return 0;
}

int mac_pdu_finish(struct mac_pdu_writer *w, uint8_t *out)
{
	uint32_t hdr = 0, payload = 0, pos = 0, pad, lead = 0, i;
	bool tail = false;

	/* Sizes with the last element's subheader in its short (no L) form. */
	for (i = 0; i < w->n; i++) {
		hdr += i + 1 == w->n ? 1 : mac_subhdr_len(w, w->e[i].lcid, w->e[i].len);
		payload += w->e[i].len;
	}
	if (hdr + payload > w->tb_size)
		return L2_EMSGSIZE;
	pad = w->tb_size - hdr - payload;
	if (w->n == 0) {
		tail = true; /* all padding: one padding subheader */
	} else if (pad == 1 || pad == 2) {
		lead = pad; /* §6.1.2: one or two padding subheaders before the others */
	} else if (pad >= 3) {
		/* The last element gets its L; a padding subheader ends the header. */
		tail = true;
		hdr += mac_subhdr_len(w, w->e[w->n - 1].lcid, w->e[w->n - 1].len) - 1;
		if (hdr + 1 + payload > w->tb_size)
			return L2_EMSGSIZE;
	}
	for (i = 0; i < lead; i++)
		out[pos++] = 0x20 | MAC_LCID_PADDING;
	for (i = 0; i < w->n; i++) {
		uint8_t lcid = w->e[i].lcid;
		uint32_t len = w->e[i].len;
		bool last = i + 1 == w->n && !tail;

		bool f2 = !last && len > 0x7fff && mac_ce_size(lcid, w->dir) < 0;

		out[pos++] = (uint8_t)((f2 ? 0x40 : 0) | (last ? 0 : 0x20) | lcid);
		if (last || mac_ce_size(lcid, w->dir) >= 0)
			continue;
		if (len < 128) {
			out[pos++] = (uint8_t)len; /* F = 0, 7-bit L */
		} else if (!f2) {
			out[pos++] = (uint8_t)(0x80 | len >> 8); /* F = 1, 15-bit L */
			out[pos++] = (uint8_t)len;
		} else {
			out[pos++] = (uint8_t)(len >> 8); /* F2 = 1, 16-bit L */
			out[pos++] = (uint8_t)len;
		}
	}
	if (tail)
		out[pos++] = MAC_LCID_PADDING;
	for (i = 0; i < w->n; i++) {
		l2_copy(out + pos, w->e[i].data, w->e[i].len);
		pos += w->e[i].len;
	}
	/* Padding bytes may have any value (§6.1.2); zero keeps captures deterministic. */
	memset(out + pos, 0, w->tb_size - pos);
	return (int)w->tb_size;
}

/* Upper bounds of the buffer size levels, TS 36.321 Table 6.1.3.1-1 (index 63: > 150000). */
static const uint32_t bsr_table[63] = {
	0,     10,    12,    14,    17,	   19,	  22,	 26,	31,	36,	42,    49,    57,
	67,    78,    91,    107,   125,   146,	  171,	 200,	234,	274,	321,   376,   440,
	515,   603,   706,   826,   967,   1132,  1326,	 1552,	1817,	2127,	2490,  2915,  3413,
	3995,  4677,  5476,  6411,  7505,  8787,  10287, 12043, 14099,	16507,	19325, 22624, 26487,
	31009, 36304, 42502, 49759, 58255, 68201, 79846, 93479, 109439, 128125, 150000};

uint8_t mac_bsr_index(uint32_t bytes)
{
	uint8_t lo = 0, hi = 62;

	if (bytes > bsr_table[62])
		return 63;
	while (lo < hi) {
		uint8_t mid = (uint8_t)((lo + hi) / 2);

		if (bsr_table[mid] >= bytes)
			hi = mid;
		else
			lo = (uint8_t)(mid + 1);
	}
	return lo;
}

uint32_t mac_bsr_bytes(uint8_t index)
{
	return index >= 63 ? UINT32_MAX : bsr_table[index];
}

uint8_t mac_ce_short_bsr(uint8_t lcg, uint32_t bytes)
{
	return (uint8_t)((lcg & 3) << 6 | mac_bsr_index(bytes));
}

void mac_ce_long_bsr(const uint32_t bytes[MAC_NUM_LCG], uint8_t out[3])
{
	uint32_t v = (uint32_t)mac_bsr_index(bytes[0]) << 18 |
		     (uint32_t)mac_bsr_index(bytes[1]) << 12 |
		     (uint32_t)mac_bsr_index(bytes[2]) << 6 | mac_bsr_index(bytes[3]);

	out[0] = (uint8_t)(v >> 16);
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)v;
}

void mac_ce_long_bsr_parse(const uint8_t in[3], uint8_t idx[MAC_NUM_LCG])
{
	uint32_t v = (uint32_t)in[0] << 16 | (uint32_t)in[1] << 8 | in[2];

	idx[0] = (uint8_t)(v >> 18 & 0x3f);
	idx[1] = (uint8_t)(v >> 12 & 0x3f);
	idx[2] = (uint8_t)(v >> 6 & 0x3f);
	idx[3] = (uint8_t)(v & 0x3f);
}

int mac_bsr_select(const uint32_t bytes[MAC_NUM_LCG], uint8_t top_lcg, bool padding, uint32_t room,
		   uint8_t out[3])
{
	unsigned i, with_data = 0, only = 0;

	for (i = 0; i < MAC_NUM_LCG; i++)
		if (bytes[i]) {
			with_data++;
			only = i;
		}
	if (padding && room < 2)
		return L2_EAGAIN;
	if (with_data > 1 && (!padding || room >= 4)) {
		mac_ce_long_bsr(bytes, out);
		return MAC_LCID_UL_LBSR;
	}
	if (with_data > 1) {
		/* Padding with room for a short BSR only: truncated, for the top LCG. */
		out[0] = mac_ce_short_bsr(top_lcg, bytes[top_lcg & 3]);
		return MAC_LCID_UL_TBSR;
	}
	if (with_data == 0 && !padding)
		return L2_EAGAIN;
	out[0] = mac_ce_short_bsr((uint8_t)only, bytes[only]);
	return MAC_LCID_UL_SBSR;
}

uint8_t mac_ce_phr(uint8_t ph)
{
	return ph & 0x3f;
}

uint8_t mac_ce_ta(uint8_t ta)
{
	return ta & 0x3f;
}

/* §6.1.5: E/T/RAPID or E/T/R/R/BI subheaders, then 6-byte MAC RARs. */
int mac_rar_parse(const uint8_t *p, uint32_t len, struct mac_rar_pdu *out)
{
	uint32_t pos = 0, i;
	bool more = true;

	memset(out, 0, sizeof(*out));
	while (more) {
		uint8_t b;

		if (pos >= len)
			return L2_EPROTO;
		b = p[pos++];
		more = b >> 7;
		if (!(b & 0x40)) {
			if (out->has_bi || out->n)
				return L2_EPROTO; /* only one BI, first (§6.1.5) */
			out->has_bi = true;
			out->bi = b & 0x0f;
			continue;
		}
		if (out->n == 16)
			return L2_EPROTO;
		out->rar[out->n++].rapid = b & 0x3f;
	}
	if (pos + 6u * out->n > len)
		return L2_EPROTO;
	for (i = 0; i < out->n; i++, pos += 6) {
		struct mac_rar *r = &out->rar[i];

		r->ta = (uint16_t)((p[pos] & 0x7f) << 4 | p[pos + 1] >> 4);
		r->ul_grant = (uint32_t)(p[pos + 1] & 0x0f) << 16 | (uint32_t)p[pos + 2] << 8 |
			      p[pos + 3];
		r->tc_rnti = (uint16_t)(p[pos + 4] << 8 | p[pos + 5]);
	}
	return 0;
}

int mac_rar_write(uint8_t *p, uint32_t cap, const struct mac_rar_pdu *in)
{
	uint32_t pos = 0, i, need = in->has_bi + in->n * 7u;

	if (need > cap || in->n > 16)
		return L2_EMSGSIZE;
	if (in->has_bi)
		p[pos++] = (uint8_t)((in->n ? 0x80 : 0) | (in->bi & 0x0f));
	for (i = 0; i < in->n; i++)
		p[pos++] = (uint8_t)((i + 1 < in->n ? 0x80 : 0) | 0x40 | (in->rar[i].rapid & 0x3f));
	for (i = 0; i < in->n; i++) {
		const struct mac_rar *r = &in->rar[i];

		p[pos++] = (uint8_t)((r->ta >> 4) & 0x7f);
		p[pos++] = (uint8_t)((r->ta & 0x0f) << 4 | ((r->ul_grant >> 16) & 0x0f));
		p[pos++] = (uint8_t)(r->ul_grant >> 8);
		p[pos++] = (uint8_t)r->ul_grant;
		p[pos++] = (uint8_t)(r->tc_rnti >> 8);
		p[pos++] = (uint8_t)r->tc_rnti;
	}
	return (int)pos;
}
