/* SPDX-License-Identifier: BSD-2-Clause */
/* Keep pools (l4e/keep.h): validation of a task's kept state, the blocks of a dead instance. */
#include <l4e/keep.h>
#include <l4e/pool.h>
#include <string.h>

uint32_t l4e_keep_sum(uint32_t sum, const void *p, uint32_t n)
{
	const uint32_t *w = p;
	uint32_t a = sum & 0xffff, b = sum >> 16;

	/* Both sums reduced every 128 words: a < 2^25, b < 2^32 in between. */
	for (n /= 4; n;) {
		uint32_t k = n < 128 ? n : 128;

		n -= k;
		while (k--) {
			uint32_t x = *w++;

			a += (x & 0xffff) + (x >> 16);
			b += a;
		}
		a %= 65535;
		b %= 65535;
	}
	return b << 16 | a;
}

bool l4e_keep_valid(const struct l4e_keep_hdr *h, uint32_t version, uint32_t size, uint32_t sum)
{
	return h->magic == L4E_KEEP_MAGIC && h->version == version && h->size == size &&
	       h->busy == 0 && h->sum == sum;
}

void l4e_keep_reset(struct l4e_keep_hdr *h, uint32_t version, uint32_t size)
{
	uint32_t takeovers = h->takeovers;
	uint32_t discarded = h->discarded + (h->magic == L4E_KEEP_MAGIC); /* a state was there */

	memset(h, 0, size);
	h->magic = L4E_KEEP_MAGIC;
	h->version = version;
	h->size = size;
	h->takeovers = takeovers;
	h->discarded = discarded;
}

/* Marks the descriptors on the free list; false when the list leaves the array or loops. */
static bool mark_free(const struct l2_pool *pool, const struct l2_buf *descs, uint32_t n,
		      uint32_t *is_free)
{
	const struct l2_buf *f = pool->free;
	uint32_t steps = 0, i;

	while (f) {
		if (f < descs || f >= descs + n || steps++ >= n)
			return false;
		i = (uint32_t)(f - descs);
		is_free[i / 32] |= 1u << (i % 32);
		f = f->next;
	}
	return true;
}

/* The whole block a descriptor's storage lies in, as a handle. */
static struct l4e_buffer block_of(const struct l2_buf *b, void *base, uint32_t id)
{
	uint32_t off = (uint32_t)(b->store - (uint8_t *)base);

	return (struct l4e_buffer){
		.pool = id, .offset = off & ~(L4E_POOL_BLOCK - 1), .length = L4E_POOL_BLOCK};
}

uint32_t l4e_keep_free_blocks(const struct l2_pool *pool, struct l2_buf *descs, uint32_t n,
			      void *base, uint32_t id)
{
	uint32_t is_free[L4E_KEEP_MAX_DESCS / 32] = {0}, freed = 0, i;

	if (n > L4E_KEEP_MAX_DESCS)
		return 0;
	mark_free(pool, descs, n, is_free); /* a broken list: what it reached is still free */
	for (i = 0; i < n; i++) {
		struct l4e_buffer h = block_of(&descs[i], base, id);

		if (!(is_free[i / 32] & (1u << (i % 32))) && descs[i].store &&
		    l4e_pool_valid(base, &h) && l4e_pool_free(base, &h) == 0)
			freed++;
	}
	return freed;
}

bool l4e_keep_descs_ok(const struct l2_pool *pool, const struct l2_buf *descs, uint32_t n,
		       void *base, uint32_t id)
{
	uint32_t is_free[L4E_KEEP_MAX_DESCS / 32] = {0}, i, nfree = 0;

	if (n > L4E_KEEP_MAX_DESCS || pool->total != n || !mark_free(pool, descs, n, is_free))
		return false;
	for (i = 0; i < n; i++) {
		struct l4e_buffer h = block_of(&descs[i], base, id);

		if (is_free[i / 32] & (1u << (i % 32)))
			nfree++;
		else if (!descs[i].store || !l4e_pool_valid(base, &h) || descs[i].pool != pool)
			return false;
	}
	return nfree == pool->avail;
}
