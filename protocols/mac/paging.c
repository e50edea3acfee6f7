/* SPDX-License-Identifier: BSD-2-Clause */
/* Paging occasions (TS 36.304 §7) and the PCCH Paging message (TS 36.331 §6.2.2) in UPER. */
#include <string.h>

#include "l2/paging.h"

int paging_ue_id(const char *imsi, uint16_t *ue_id)
{
	uint32_t v = 0;
	unsigned n = 0;

	if (!imsi || !ue_id)
		return L2_EINVAL;
	for (; imsi[n]; n++) {
		if (imsi[n] < '0' || imsi[n] > '9' || n == 15)
			return L2_EINVAL;
		v = (v * 10 + (uint32_t)(imsi[n] - '0')) % PAGING_UE_ID_MOD;
	}
	if (n < 6)
		return L2_EINVAL;
	*ue_id = (uint16_t)v;
	return 0;
}

static bool config_ok(const struct paging_config *c)
{
	return c && (c->t == 32 || c->t == 64 || c->t == 128 || c->t == 256) &&
	       (c->nb == 4 * c->t || c->nb == 2 * c->t || c->nb == c->t || c->nb == c->t / 2 ||
		c->nb == c->t / 4 || c->nb == c->t / 8 || c->nb == c->t / 16 ||
		c->nb == c->t / 32) &&
	       c->ue_id < PAGING_UE_ID_MOD;
}

int paging_occasion(const struct paging_config *c, struct paging_occasion *po)
{
	/* §7.2, FDD: the PO subframe by Ns (rows) and i_s (columns). */
	static const uint8_t fdd[3][4] = {{9, 9, 9, 9}, {4, 9, 9, 9}, {0, 4, 5, 9}};
	uint16_t n, ns, i_s;

	if (!config_ok(c) || !po)
		return L2_EINVAL;
	/* §7.1: N = min(T, nB), Ns = max(1, nB/T); SFN mod T = (T div N) * (UE_ID mod N),
	 * i_s = floor(UE_ID / N) mod Ns. */
	n = c->nb < c->t ? c->nb : c->t;
	ns = c->nb > c->t ? (uint16_t)(c->nb / c->t) : 1;
	i_s = (uint16_t)((c->ue_id / n) % ns);
	po->pf = (uint16_t)((c->t / n) * (c->ue_id % n));
	po->subframe = fdd[ns == 1 ? 0 : ns == 2 ? 1 : 2][i_s];
	return 0;
}

uint32_t paging_next(const struct paging_config *c, uint32_t sf)
{
	struct paging_occasion po;
	uint32_t frame, at;

	paging_occasion(c, &po);
	/* T divides 1024, so the absolute frame count mod T is SFN mod T across the wrap. */
	frame = sf / 10 - (sf / 10) % c->t + po.pf;
	at = frame * 10 + po.subframe;
	return at >= sf ? at : at + 10u * c->t;
}

/* ---------------------------------------------------------------- UPER */

struct bits {
	uint8_t *p;
	uint32_t cap, pos; /* pos in bits */
	int err;
};

static void put(struct bits *b, uint32_t v, unsigned n)
{
	while (n--) {
		uint32_t byte = b->pos / 8;

		if (byte >= b->cap) {
			b->err = L2_EMSGSIZE;
			return;
		}
		if (b->pos % 8 == 0)
			b->p[byte] = 0;
		if ((v >> n) & 1)
			b->p[byte] |= (uint8_t)(0x80 >> b->pos % 8);
		b->pos++;
	}
}

static uint32_t get(struct bits *b, unsigned n)
{
	uint32_t v = 0;

	while (n--) {
		if (b->pos >= b->cap * 8) {
			b->err = L2_EPROTO;
			return 0;
		}
		v = v << 1 | ((b->p[b->pos / 8] >> (7 - b->pos % 8)) & 1u);
		b->pos++;
	}
	return v;
}

int paging_encode(const struct paging_msg *m, uint8_t *out, uint32_t cap)
{
	struct bits b = {.p = out, .cap = cap};
	unsigned i, k;

	if (!m || !out || m->n > PAGING_MAX_RECORDS)
		return L2_EINVAL;
	put(&b, 0, 1); /* PCCH-MessageType: c1 (c1 has paging alone: no bits) */
	/* Paging: pagingRecordList, systemInfoModification, etws-Indication,
	 * nonCriticalExtension present? */
	put(&b, m->n != 0, 1);
	put(&b, m->si_modification, 1);
	put(&b, m->etws, 1);
	put(&b, 0, 1);
	if (m->n) {
		put(&b, m->n - 1u, 4); /* SIZE (1..maxPageRec) */
		for (i = 0; i < m->n; i++) {
			const struct paging_record *r = &m->rec[i];

			put(&b, 0, 1); /* PagingRecord's extension bit */
			put(&b, 0, 1); /* PagingUE-Identity's extension bit */
			put(&b, r->is_imsi, 1);
			if (r->is_imsi) {
				if (r->n_digits < 6 || r->n_digits > 21)
					return L2_EINVAL;
				put(&b, r->n_digits - 6u, 4); /* SIZE (6..21) */
				for (k = 0; k < r->n_digits; k++) {
					if (r->digits[k] > 9)
						return L2_EINVAL;
					put(&b, r->digits[k], 4); /* INTEGER (0..9) */
				}
			} else {
				put(&b, r->mmec, 8);
				put(&b, r->m_tmsi, 32);
			}
			put(&b, r->cs, 1); /* cn-Domain */
		}
	}
	if (b.err)
		return b.err;
	return (int)((b.pos + 7) / 8);
}

int paging_decode(const uint8_t *p, uint32_t len, struct paging_msg *m)
{
	struct bits b = {.p = (uint8_t *)(uintptr_t)p, .cap = len};
	unsigned i, k;
	bool list, nce;

	if (!p || !m)
		return L2_EPROTO;
	memset(m, 0, sizeof(*m));
	if (get(&b, 1))
		return b.err ? b.err : L2_ENOTSUP; /* messageClassExtension */
	list = get(&b, 1);
	m->si_modification = get(&b, 1);
	m->etws = get(&b, 1);
	nce = get(&b, 1);
	if (b.err)
		return b.err;
	if (nce)
		return L2_ENOTSUP;
	if (list) {
		m->n = (uint8_t)(get(&b, 4) + 1);
		for (i = 0; i < m->n && !b.err; i++) {
			struct paging_record *r = &m->rec[i];

			if (get(&b, 1) || get(&b, 1))
				return b.err ? b.err : L2_ENOTSUP; /* extensions */
			r->is_imsi = get(&b, 1);
			if (r->is_imsi) {
				r->n_digits = (uint8_t)(get(&b, 4) + 6);
				if (r->n_digits > 21)
					return L2_EPROTO;
				for (k = 0; k < r->n_digits; k++) {
					r->digits[k] = (uint8_t)get(&b, 4);
					if (r->digits[k] > 9)
						return L2_EPROTO;
				}
			} else {
				r->mmec = (uint8_t)get(&b, 8);
				r->m_tmsi = get(&b, 32);
			}
			r->cs = get(&b, 1);
		}
	}
	if (b.err)
		return b.err;
	/* The complete encoding is padded to a whole octet with zero bits, nothing more. */
	if ((b.pos + 7) / 8 != len || (b.pos % 8 && (p[len - 1] & (0xffu >> b.pos % 8))))
		return L2_EPROTO;
	return 0;
}

bool paging_has_s_tmsi(const struct paging_msg *m, uint8_t mmec, uint32_t m_tmsi)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		if (!m->rec[i].is_imsi && m->rec[i].mmec == mmec && m->rec[i].m_tmsi == m_tmsi)
			return true;
	return false;
}
