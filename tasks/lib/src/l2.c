/* SPDX-License-Identifier: BSD-2-Clause */
/* Layer-2 buffers in shared pool blocks: a block per buffer, handed between tasks as handles. */
#include <l4e/l2.h>

static void *block_alloc(void *ctx)
{
	struct l4e_l2pool *p = ctx;
	struct l4e_buffer h;

	if (l4e_pool_alloc(p->base, p->id, L4E_POOL_BLOCK, &h) != 0)
		return NULL;
	return l4e_pool_ptr(p->base, &h);
}

static void block_free(void *ctx, void *store)
{
	struct l4e_l2pool *p = ctx;
	struct l4e_buffer h = {.pool = p->id,
			       .offset = (uint32_t)((char *)store - (char *)p->base),
			       .length = L4E_POOL_BLOCK};

	l4e_pool_free(p->base, &h);
}

int l4e_l2pool_init(struct l4e_l2pool *p, struct l2_buf *descs, uint32_t n, void *base, uint32_t id,
		    uint16_t headroom)
{
	p->base = base;
	p->id = id;
	p->bad_handles = 0;
	return l2_pool_init_ext(&p->pool, descs, n, L4E_POOL_BLOCK, headroom, block_alloc,
				block_free, p);
}

struct l2_buf *l4e_l2_adopt(struct l4e_l2pool *p, const struct l4e_buffer *h)
{
	uint32_t blk = h->offset & ~(L4E_POOL_BLOCK - 1);
	struct l2_buf *b;

	if (h->pool != p->id || !l4e_pool_valid(p->base, h)) {
		p->bad_handles++;
		return NULL;
	}
	b = l2_buf_adopt(&p->pool, (char *)p->base + blk, (uint16_t)(h->offset - blk),
			 (uint16_t)h->length);
	if (!b)
		block_free(p, (char *)p->base + blk);
	return b;
}

void l4e_l2_handoff(struct l4e_l2pool *p, struct l2_buf *b, struct l4e_buffer *h)
{
	h->pool = p->id;
	h->offset = (uint32_t)(b->store - (uint8_t *)p->base) + b->off;
	h->length = b->len;
	l2_buf_detach(b);
}

uint32_t l4e_l2_now_ms(void *ctx)
{
	return l4e_clock_at(ctx)->subframe;
}
