/* SPDX-License-Identifier: BSD-2-Clause */
/* Octet reader and writer for NAS information elements (TS 24.007 §11.2, TS 24.301 §9). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "l2/env.h"
#include "l3/nas.h"

/* A writer: every put past `cap` sets `err` and writes nothing more. */
struct nas_wr {
	uint8_t *p;
	size_t cap, n;
	int err;
};

/* A reader over one message: a short read sets `err` (L2_EPROTO). */
struct nas_rd {
	const uint8_t *p;
	size_t len, off;
	int err;
};

/* One optional IE as found: the IEI (high nibble only for type 1) and its value. */
struct nas_ie {
	uint8_t iei;
	const uint8_t *v;
	size_t len;
};

/* IEIs of TV (type 3) IEs a message may hold, with their value lengths; ends with {0, 0}. */
struct nas_tv {
	uint8_t iei, len;
};

void nas_put8(struct nas_wr *w, uint8_t v);
void nas_put(struct nas_wr *w, const void *v, size_t len);
void nas_put_lv(struct nas_wr *w, const void *v, size_t len);
void nas_put_lve(struct nas_wr *w, const void *v, size_t len);
void nas_put_tlv(struct nas_wr *w, uint8_t iei, const void *v, size_t len);
void nas_put_tlve(struct nas_wr *w, uint8_t iei, const void *v, size_t len);

uint8_t nas_get8(struct nas_rd *r);
const uint8_t *nas_get(struct nas_rd *r, size_t len);
/* A mandatory LV / LV-E of min..max octets; NULL (and err) when out of range. */
const uint8_t *nas_get_lv(struct nas_rd *r, size_t min, size_t max, size_t *len);
const uint8_t *nas_get_lve(struct nas_rd *r, size_t min, size_t max, size_t *len);

/*
 * The next optional IE: 1 when found, 0 at the end, L2_EPROTO when it runs past the end or
 * is an unknown comprehension-required IE (TS 24.007 §11.2.4: IEI bits 8-5 = 0000).
 * `tv` lists this message's TV IEIs; IEIs 0x80 and above are one octet (type 1 and 2),
 * 0x70-0x7f are TLV-E (TS 24.007 §11.2.4), the rest TLV.
 */
int nas_next_ie(struct nas_rd *r, const struct nas_tv *tv, struct nas_ie *ie);

void nas_put_plmn(struct nas_wr *w, const struct nas_plmn *plmn);
int nas_get_plmn(const uint8_t *p, struct nas_plmn *plmn);
void nas_put_tai(struct nas_wr *w, const struct nas_tai *tai);
int nas_get_tai(const uint8_t *p, struct nas_tai *tai);

/* EPS mobile identity (§9.9.3.12) and mobile identity (TS 24.008 §10.5.1.4), value only. */
int nas_put_mobile_id(struct nas_wr *w, const struct nas_mobile_id *id, bool eps);
int nas_get_mobile_id(const uint8_t *p, size_t len, bool eps, struct nas_mobile_id *id);

/* TAI list, §9.9.3.33, value only. */
int nas_put_tai_list(struct nas_wr *w, const struct nas_tai *tai, unsigned n);
int nas_get_tai_list(const uint8_t *p, size_t len, struct nas_tai *tai, uint8_t *n);
