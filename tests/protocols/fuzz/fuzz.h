/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared bits of the libFuzzer targets: a pool, a clock, and splitting the input into PDUs. */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NBUF 256
#define FUZZ_BSZ  2048

static struct l2_pool fuzz_pool;
static struct l2_buf fuzz_descs[FUZZ_NBUF];
static uint8_t fuzz_storage[FUZZ_NBUF * FUZZ_BSZ];
static uint32_t fuzz_now;

static inline uint32_t fuzz_clock(void *ctx)
{
	(void)ctx;
	return fuzz_now;
}

static const struct l2_env fuzz_env = {.now_ms = fuzz_clock};

static inline void fuzz_pool_init(void)
{
	if (l2_pool_init(&fuzz_pool, fuzz_descs, FUZZ_NBUF, fuzz_storage, FUZZ_BSZ, 96) < 0)
		abort();
	fuzz_now = 0;
}

/* Every buffer must be back in the pool when an input is done: anything else is a leak. */
static inline void fuzz_pool_check(void)
{
	if (fuzz_pool.avail != fuzz_pool.total)
		abort();
}

/* The input as PDUs: a length byte, then that many bytes (the last one takes what is left). */
struct fuzz_chunks {
	const uint8_t *p;
	size_t left;
};

static inline int fuzz_next(struct fuzz_chunks *c, const uint8_t **pdu, size_t *len)
{
	size_t n;

	if (c->left == 0)
		return 0;
	n = c->p[0];
	c->p++;
	c->left--;
	if (n > c->left || n == 0)
		n = c->left;
	*pdu = c->p;
	*len = n;
	c->p += n;
	c->left -= n;
	return 1;
}

/* A buffer holding (up to a buffer's worth of) a PDU; NULL when the pool is empty. */
static inline struct l2_buf *fuzz_buf(const uint8_t *p, size_t n)
{
	return l2_buf_from(&fuzz_pool, p, n > 1900 ? 1900 : n);
}
