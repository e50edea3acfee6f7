/* SPDX-License-Identifier: BSD-2-Clause */
/* NAS IE primitives: LV/TLV/TLV-E, PLMN, TAI, mobile identities, TAI lists (TS 24.301 §9.9). */
#include "nas_ie.h"

void nas_put8(struct nas_wr *w, uint8_t v)
{
	nas_put(w, &v, 1);
}

void nas_put(struct nas_wr *w, const void *v, size_t len)
{
	if (w->err)
		return;
	if (len > w->cap - w->n) {
		w->err = L2_EMSGSIZE;
		return;
	}
	if (len)
		memcpy(w->p + w->n, v, len);
	w->n += len;
}

void nas_put_lv(struct nas_wr *w, const void *v, size_t len)
{
	if (len > 255) {
		w->err = w->err ? w->err : L2_EINVAL;
		return;
	}
	nas_put8(w, (uint8_t)len);
	nas_put(w, v, len);
}

void nas_put_lve(struct nas_wr *w, const void *v, size_t len)
{
	if (len > 65535) {
		w->err = w->err ? w->err : L2_EINVAL;
		return;
	}
	nas_put8(w, (uint8_t)(len >> 8));
	nas_put8(w, (uint8_t)len);
	nas_put(w, v, len);
}

void nas_put_tlv(struct nas_wr *w, uint8_t iei, const void *v, size_t len)
{
	nas_put8(w, iei);
	nas_put_lv(w, v, len);
}

void nas_put_tlve(struct nas_wr *w, uint8_t iei, const void *v, size_t len)
{
	nas_put8(w, iei);
	nas_put_lve(w, v, len);
}

const uint8_t *nas_get(struct nas_rd *r, size_t len)
{
	const uint8_t *p;

	if (r->err || len > r->len - r->off) {
		r->err = L2_EPROTO;
		return NULL;
	}
	p = r->p + r->off;
	r->off += len;
	return p;
}

uint8_t nas_get8(struct nas_rd *r)
{
	const uint8_t *p = nas_get(r, 1);

	return p ? *p : 0;
}

const uint8_t *nas_get_lv(struct nas_rd *r, size_t min, size_t max, size_t *len)
{
	size_t n = nas_get8(r);

	if (r->err || n < min || n > max) {
		r->err = L2_EPROTO;
		return NULL;
	}
	*len = n;
	return nas_get(r, n);
}

const uint8_t *nas_get_lve(struct nas_rd *r, size_t min, size_t max, size_t *len)
{
	size_t n = (size_t)nas_get8(r) << 8;

	n |= nas_get8(r);
	if (r->err || n < min || n > max) {
		r->err = L2_EPROTO;
		return NULL;
	}
	*len = n;
	return nas_get(r, n);
}

int nas_next_ie(struct nas_rd *r, const struct nas_tv *tv, struct nas_ie *ie)
{
	size_t left = r->len - r->off;
	uint8_t iei;

	if (left == 0)
		return 0;
	iei = r->p[r->off];
	/* No IE of the subset has an IEI 0x00-0x0f: any such IE is unknown and comprehension-required. */
	if (iei < 0x10)
		return L2_EPROTO;
	if (iei >= 0x80) {
		/* Type 1 (IEI in bits 8-5, value in 4-1) or type 2 (IEI only). */
		ie->iei = iei & 0xf0;
		ie->v = r->p + r->off;
		ie->len = 1;
		r->off++;
		return 1;
	}
	for (; tv && tv->iei; tv++)
		if (tv->iei == iei) {
			if (left < 1u + tv->len)
				return L2_EPROTO;
			ie->iei = iei;
			ie->v = r->p + r->off + 1;
			ie->len = tv->len;
			r->off += 1u + tv->len;
			return 1;
		}
	if ((iei & 0x70) == 0x70) {
		size_t n;

		if (left < 3)
			return L2_EPROTO;
		n = (size_t)r->p[r->off + 1] << 8 | r->p[r->off + 2];
		if (left - 3 < n)
			return L2_EPROTO;
		ie->iei = iei;
		ie->v = r->p + r->off + 3;
		ie->len = n;
		r->off += 3 + n;
		return 1;
	}
	if (left < 2 || left - 2 < r->p[r->off + 1])
		return L2_EPROTO;
	ie->iei = iei;
	ie->v = r->p + r->off + 2;
	ie->len = r->p[r->off + 1];
	r->off += 2 + ie->len;
	return 1;
}

/* TS 24.008 §10.5.1.13: MCC2 MCC1 | MNC3 MCC3 | MNC2 MNC1, MNC3 = F for two-digit MNCs. */
void nas_put_plmn(struct nas_wr *w, const struct nas_plmn *plmn)
{
	unsigned mcc = plmn->mcc % 1000, mnc = plmn->mnc % 1000;
	uint8_t o[3], m1, m2, m3;

	if (plmn->mnc_digits == 3) {
		m1 = (uint8_t)(mnc / 100), m2 = (uint8_t)(mnc / 10 % 10), m3 = (uint8_t)(mnc % 10);
	} else {
		m1 = (uint8_t)(mnc / 10 % 10), m2 = (uint8_t)(mnc % 10), m3 = 0xf;
	}
	o[0] = (uint8_t)((mcc / 10 % 10) << 4 | mcc / 100);
	o[1] = (uint8_t)(m3 << 4 | mcc % 10);
	o[2] = (uint8_t)(m2 << 4 | m1);
	nas_put(w, o, 3);
}

int nas_get_plmn(const uint8_t *p, struct nas_plmn *plmn)
{
	uint8_t d[6] = {(uint8_t)(p[0] & 0xf), (uint8_t)(p[0] >> 4), (uint8_t)(p[1] & 0xf),
			(uint8_t)(p[2] & 0xf), (uint8_t)(p[2] >> 4), (uint8_t)(p[1] >> 4)};
	int i;

	for (i = 0; i < 5; i++)
		if (d[i] > 9)
			return L2_EPROTO;
	plmn->mcc = (uint16_t)(d[0] * 100 + d[1] * 10 + d[2]);
	if (d[5] == 0xf) {
		plmn->mnc = (uint16_t)(d[3] * 10 + d[4]);
		plmn->mnc_digits = 2;
	} else if (d[5] <= 9) {
		plmn->mnc = (uint16_t)(d[3] * 100 + d[4] * 10 + d[5]);
		plmn->mnc_digits = 3;
	} else {
		return L2_EPROTO;
	}
	return 0;
}

void nas_put_tai(struct nas_wr *w, const struct nas_tai *tai)
{
	nas_put_plmn(w, &tai->plmn);
	nas_put8(w, (uint8_t)(tai->tac >> 8));
	nas_put8(w, (uint8_t)tai->tac);
}

int nas_get_tai(const uint8_t *p, struct nas_tai *tai)
{
	tai->tac = (uint16_t)(p[3] << 8 | p[4]);
	return nas_get_plmn(p, &tai->plmn);
}

static int put_digits(struct nas_wr *w, const struct nas_mobile_id *id)
{
	uint8_t o[9];
	unsigned n = id->n_digits, i, k;

	if (n < 1 || n > 16)
		return L2_EINVAL;
	for (i = 0; i < n; i++)
		if (id->digits[i] < '0' || id->digits[i] > '9')
			return L2_EINVAL;
	/* Digit 1 | odd/even | type, then digit 2k+1 | digit 2k; F fills an even count. */
	o[0] = (uint8_t)((id->digits[0] - '0') << 4 | (n & 1) << 3 | id->type);
	for (i = 1, k = 1; i < n; i += 2, k++) {
		uint8_t lo = (uint8_t)(id->digits[i] - '0');
		uint8_t hi = i + 1 < n ? (uint8_t)(id->digits[i + 1] - '0') : 0xf;

		o[k] = (uint8_t)(hi << 4 | lo);
	}
	nas_put(w, o, k);
	return 0;
}

int nas_put_mobile_id(struct nas_wr *w, const struct nas_mobile_id *id, bool eps)
{
	switch (id->type) {
	case NAS_ID_IMSI:
	case NAS_ID_IMEI:
	case NAS_ID_IMEISV:
		return put_digits(w, id);
	case NAS_ID_GUTI:
		if (!eps)
			return L2_EINVAL;
		nas_put8(w, 0xf0 | NAS_ID_GUTI);
		nas_put_plmn(w, &id->guti.plmn);
		nas_put8(w, (uint8_t)(id->guti.mmegi >> 8));
		nas_put8(w, (uint8_t)id->guti.mmegi);
		nas_put8(w, id->guti.mmec);
		nas_put8(w, (uint8_t)(id->guti.m_tmsi >> 24));
		nas_put8(w, (uint8_t)(id->guti.m_tmsi >> 16));
		nas_put8(w, (uint8_t)(id->guti.m_tmsi >> 8));
		nas_put8(w, (uint8_t)id->guti.m_tmsi);
		return 0;
	case NAS_ID_TMSI:
		if (eps)
			return L2_EINVAL;
		nas_put8(w, 0xf0 | NAS_ID_TMSI);
		nas_put8(w, (uint8_t)(id->tmsi >> 24));
		nas_put8(w, (uint8_t)(id->tmsi >> 16));
		nas_put8(w, (uint8_t)(id->tmsi >> 8));
		nas_put8(w, (uint8_t)id->tmsi);
		return 0;
	default:
		return L2_EINVAL;
	}
}

int nas_get_mobile_id(const uint8_t *p, size_t len, bool eps, struct nas_mobile_id *id)
{
	unsigned i, n;

	memset(id, 0, sizeof(*id));
	if (len < 1)
		return L2_EPROTO;
	id->type = p[0] & 7;
	switch (id->type) {
	case NAS_ID_IMSI:
	case NAS_ID_IMEI:
	case NAS_ID_IMEISV:
		if (len > 8 + 1)
			return L2_EPROTO;
		n = (unsigned)(2 * (len - 1) + 1);
		if (!(p[0] & 8)) {
			/* Even count: the last high nibble is the F filler. */
			if (len < 2 || (p[len - 1] >> 4) != 0xf)
				return L2_EPROTO;
			n--;
		}
		if (n > NAS_MAX_DIGITS)
			return L2_EPROTO;
		for (i = 0; i < n; i++) {
			uint8_t d = i == 0    ? p[0] >> 4
				    : (i & 1) ? p[(i + 1) / 2] & 0xf
					      : p[i / 2] >> 4;

			if (d > 9)
				return L2_EPROTO;
			id->digits[i] = (char)('0' + d);
		}
		id->n_digits = (uint8_t)n;
		return 0;
	case NAS_ID_GUTI:
		if (!eps || len != 11 || (p[0] >> 4) != 0xf)
			return L2_EPROTO;
		id->guti.mmegi = (uint16_t)(p[4] << 8 | p[5]);
		id->guti.mmec = p[6];
		id->guti.m_tmsi =
			(uint32_t)p[7] << 24 | (uint32_t)p[8] << 16 | (uint32_t)p[9] << 8 | p[10];
		return nas_get_plmn(p + 1, &id->guti.plmn);
	case NAS_ID_TMSI:
		if (eps || len != 5)
			return L2_EPROTO;
		id->tmsi = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4];
		return 0;
	default:
		return L2_ENOTSUP;
	}
}

/* Partial lists of type 00 (one PLMN, listed TACs) or 10 (PLMN and TAC each), §9.9.3.33.1. */
int nas_put_tai_list(struct nas_wr *w, const struct nas_tai *tai, unsigned n)
{
	unsigned i;
	bool one_plmn = true;

	if (n < 1 || n > NAS_MAX_TAI)
		return L2_EINVAL;
	for (i = 1; i < n; i++)
		if (memcmp(&tai[i].plmn, &tai[0].plmn, sizeof(tai[0].plmn)))
			one_plmn = false;
	if (one_plmn) {
		nas_put8(w, (uint8_t)(0x00 << 5 | (n - 1)));
		nas_put_plmn(w, &tai[0].plmn);
		for (i = 0; i < n; i++) {
			nas_put8(w, (uint8_t)(tai[i].tac >> 8));
			nas_put8(w, (uint8_t)tai[i].tac);
		}
	} else {
		nas_put8(w, (uint8_t)(0x02 << 5 | (n - 1)));
		for (i = 0; i < n; i++)
			nas_put_tai(w, &tai[i]);
	}
	return 0;
}

int nas_get_tai_list(const uint8_t *p, size_t len, struct nas_tai *tai, uint8_t *n)
{
	size_t off = 0;
	unsigned count = 0, k;

	while (off < len) {
		unsigned type = (p[off] >> 5) & 3, elems = (p[off] & 0x1f) + 1u;
		struct nas_plmn plmn;

		off++;
		if (count + elems > NAS_MAX_TAI)
			return L2_EPROTO;
		switch (type) {
		case 0:
			if (len - off < 3 + 2 * elems || nas_get_plmn(p + off, &plmn))
				return L2_EPROTO;
			for (k = 0; k < elems; k++) {
				tai[count].plmn = plmn;
				tai[count++].tac =
					(uint16_t)(p[off + 3 + 2 * k] << 8 | p[off + 4 + 2 * k]);
			}
			off += 3 + 2 * elems;
			break;
		case 1:
			if (len - off < 5 || nas_get_plmn(p + off, &plmn))
				return L2_EPROTO;
			for (k = 0; k < elems; k++) {
				tai[count].plmn = plmn;
				tai[count++].tac = (uint16_t)((p[off + 3] << 8 | p[off + 4]) + k);
			}
			off += 5;
			break;
		case 2:
			if (len - off < 5 * elems)
				return L2_EPROTO;
			for (k = 0; k < elems; k++, off += 5)
				if (nas_get_tai(p + off, &tai[count++]))
					return L2_EPROTO;
			break;
		default:
			return L2_EPROTO;
		}
	}
	if (count == 0)
		return L2_EPROTO;
	*n = (uint8_t)count;
	return 0;
}
