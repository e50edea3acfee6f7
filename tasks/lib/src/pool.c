/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared buffer pools (l4e/pool.h): a bitmap allocator updated with atomic operations. */
#include <l4/abi.h>
#include <l4e/pool.h>

static struct l4e_pool_hdr *hdr(void *base)
{
	return base;
}

int l4e_pool_init(void *base, uint32_t size)
{
	struct l4e_pool_hdr *h = hdr(base);
	uint32_t n = size / L4E_POOL_BLOCK;
	unsigned i;

	if (n < 2 || n - 1 > L4E_POOL_MAX_BLOCKS)
		return -L4_EINVAL;
	h->nblocks = n - 1;
	for (i = 0; i < L4E_POOL_MAX_BLOCKS / 32; i++)
		h->bitmap[i] = 0;
	__atomic_store_n(&h->magic, L4E_POOL_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

int l4e_pool_alloc(void *base, uint32_t id, uint32_t len, struct l4e_buffer *b)
{
	struct l4e_pool_hdr *h = hdr(base);
	uint32_t w, words;

	if (h->magic != L4E_POOL_MAGIC || len > L4E_POOL_BLOCK)
		return -L4_EINVAL;
	words = (h->nblocks + 31) / 32;
	for (w = 0; w < words; w++) {
		uint32_t old = __atomic_load_n(&h->bitmap[w], __ATOMIC_RELAXED);

		while (~old) {
			uint32_t bit = (uint32_t)__builtin_ctz(~old), blk = w * 32 + bit;

			if (blk >= h->nblocks)
				break;
			if (__atomic_compare_exchange_n(&h->bitmap[w], &old, old | (1u << bit),
							false, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED)) {
				b->pool = id;
				b->offset = (blk + 1) * L4E_POOL_BLOCK;
				b->length = len;
				return 0;
			}
		}
	}
	return -L4_ENOMEM;
}

/* The block index of `b`, or -1 when it does not lie inside one data block. */
static int32_t block_of(const struct l4e_pool_hdr *h, const struct l4e_buffer *b)
{
	uint32_t blk;

	if (h->magic != L4E_POOL_MAGIC || b->offset < L4E_POOL_BLOCK)
		return -1;
	blk = b->offset / L4E_POOL_BLOCK - 1;
	if (blk >= h->nblocks || b->length > L4E_POOL_BLOCK ||
	    b->offset % L4E_POOL_BLOCK + b->length > L4E_POOL_BLOCK)
		return -1;
	return (int32_t)blk;
}

bool l4e_pool_valid(const void *base, const struct l4e_buffer *b)
{
	const struct l4e_pool_hdr *h = base;
	int32_t blk = block_of(h, b);

	return blk >= 0 &&
	       (__atomic_load_n(&h->bitmap[blk / 32], __ATOMIC_ACQUIRE) & (1u << (blk % 32)));
}

int l4e_pool_free(void *base, const struct l4e_buffer *b)
{
	struct l4e_pool_hdr *h = hdr(base);
	int32_t blk = block_of(h, b);
	uint32_t mask, old;

	if (blk < 0)
		return -L4_EINVAL;
	mask = 1u << (blk % 32);
	old = __atomic_fetch_and(&h->bitmap[blk / 32], ~mask, __ATOMIC_RELEASE);
	return (old & mask) ? 0 : -L4_EINVAL; /* a double free is refused, not absorbed */
}

uint32_t l4e_pool_used(const void *base)
{
	const struct l4e_pool_hdr *h = base;
	uint32_t n = 0, w;

	for (w = 0; w < (h->nblocks + 31) / 32; w++)
		n += (uint32_t)__builtin_popcount(__atomic_load_n(&h->bitmap[w], __ATOMIC_RELAXED));
	return n;
}
