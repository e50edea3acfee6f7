/* SPDX-License-Identifier: BSD-2-Clause */
/* A test implementation of the shapes interface: simple, checkable transformations. */
#include "shapes_impl.h"

#include <string.h>

struct shapes_impl_state shapes_impl;
uint8_t shapes_pool_mem[3][64];
const struct l4e_pool shapes_test_pools[3] = {
	{.id = 1,
	 .badge = SHAPES_TEST_BADGE,
	 .rights = L4E_BUF_R,
	 .size = 64,
	 .base = shapes_pool_mem[0]},
	{.id = 2,
	 .badge = SHAPES_TEST_BADGE,
	 .rights = L4E_BUF_R | L4E_BUF_W,
	 .size = 16,
	 .base = shapes_pool_mem[1]},
	{.id = 3,
	 .badge = 9,
	 .rights = L4E_BUF_R | L4E_BUF_W,
	 .size = 64,
	 .base = shapes_pool_mem[2]},
};

void shapes_impl_reset(void)
{
	memset(&shapes_impl, 0, sizeof(shapes_impl));
	memset(shapes_pool_mem, 0, sizeof(shapes_pool_mem));
}

static int enter(void)
{
	if (shapes_impl.on_enter)
		shapes_impl.on_enter();
	shapes_impl.calls++;
	return shapes_impl.force_rc;
}

static int impl_ping(void *ctx, l4_word_t badge, uint32_t cookie, uint32_t *result)
{
	(void)ctx, (void)badge;
	*result = ~cookie;
	return enter();
}

static int impl_scalars(void *ctx, l4_word_t badge, int8_t a, int16_t b, int32_t c, uint8_t d,
			uint16_t e, bool g, int64_t h, int64_t *result)
{
	(void)ctx, (void)badge;
	*result = (int64_t)a + b + c + d + e + (g ? 1000000 : 0) + h;
	return enter();
}

static int impl_flip(void *ctx, l4_word_t badge, enum shapes_state s, enum shapes_state *prev,
		     enum shapes_state *result)
{
	(void)ctx, (void)badge;
	if (s == SHAPES_STATE_FAILED) {
		enter();
		return SHAPES_ERROR_DENIED;
	}
	*prev = s;
	*result = s == SHAPES_STATE_IDLE ? SHAPES_STATE_ACTIVE : SHAPES_STATE_FAILED;
	return enter();
}

static int impl_move(void *ctx, l4_word_t badge, struct shapes_cell *c)
{
	(void)ctx, (void)badge;
	c->pos.x += 1;
	c->pos.y -= 1;
	c->id = (shapes_rnti)(c->id + 1);
	c->power = (int8_t)-c->power;
	c->up = !c->up;
	c->st = c->st == SHAPES_STATE_ACTIVE ? SHAPES_STATE_FAILED : SHAPES_STATE_ACTIVE;
	for (unsigned i = 0; i < 3; i++) {
		uint8_t t = c->addr[i];

		c->addr[i] = c->addr[5 - i];
		c->addr[5 - i] = t;
	}
	struct shapes_point p = c->corners[0];

	c->corners[0] = c->corners[1];
	c->corners[1] = p;
	c->stamp += 1;
	return enter();
}

static int impl_echo_bytes(void *ctx, l4_word_t badge, const struct shapes_bytes *in_data,
			   struct shapes_bytes *out_data, struct shapes_shorts *s)
{
	(void)ctx, (void)badge;
	out_data->len = in_data->len;
	for (uint32_t i = 0; i < in_data->len; i++)
		out_data->data[i] = in_data->data[in_data->len - 1 - i];
	for (uint32_t i = 0; i < s->len; i++)
		s->data[i] = (uint16_t)(s->data[i] * 2);
	if (shapes_impl.overflow_out)
		out_data->len = 41;
	return enter();
}

static int impl_count_points(void *ctx, l4_word_t badge, const struct shapes_points *p,
			     struct shapes_points *mirrored, uint32_t *result)
{
	(void)ctx, (void)badge;
	mirrored->len = p->len;
	for (uint32_t i = 0; i < p->len; i++) {
		mirrored->data[i].x = -p->data[i].x;
		mirrored->data[i].y = -p->data[i].y;
	}
	*result = p->len;
	return enter();
}

static int impl_greet(void *ctx, l4_word_t badge, const char *who, char *reply)
{
	size_t n = strlen(who);

	(void)ctx, (void)badge;
	memcpy(reply, "hi ", 3);
	if (n > SHAPES_NAME_MAX - 3)
		n = SHAPES_NAME_MAX - 3;
	memcpy(reply + 3, who, n);
	reply[3 + n] = 0;
	return enter();
}

static const struct l4e_pool *find_pool(uint32_t id)
{
	for (unsigned i = 0; i < 3; i++)
		if (shapes_test_pools[i].id == id)
			return &shapes_test_pools[i];
	return NULL;
}

static int impl_checksum(void *ctx, l4_word_t badge, const struct l4e_buffer *data,
			 const struct l4e_buffer *out_buf, uint32_t *result)
{
	const struct l4e_pool *in = find_pool(data->pool), *out = find_pool(out_buf->pool);
	const uint8_t *p;
	uint32_t sum = 0;

	(void)ctx, (void)badge;
	if (!in || !out || !out_buf->length)
		return SHAPES_ERROR_NOT_FOUND; /* not a declared error: the stub turns it away */
	p = l4e_buffer_ptr(in, data);
	for (uint32_t i = 0; i < data->length; i++)
		sum += p[i];
	*(uint8_t *)l4e_buffer_ptr(out, out_buf) = (uint8_t)sum;
	*result = sum;
	return enter();
}

static int impl_store(void *ctx, l4_word_t badge, const struct shapes_record *r,
		      struct shapes_record *back)
{
	(void)ctx, (void)badge;
	if (!r->label[0]) {
		enter();
		return SHAPES_ERROR_NOT_FOUND;
	}
	*back = *r;
	for (uint32_t i = 0; i < r->payload.len; i++)
		back->payload.data[i] = r->payload.data[r->payload.len - 1 - i];
	return enter();
}

static int impl_notify(void *ctx, l4_word_t badge, uint32_t event, const char *what)
{
	(void)ctx, (void)badge;
	shapes_impl.notifies++;
	shapes_impl.last_event = event;
	memcpy(shapes_impl.last_what, what, strlen(what) + 1);
	return enter();
}

static int impl_big(void *ctx, l4_word_t badge, const uint32_t words[40], uint32_t *total)
{
	(void)ctx, (void)badge;
	*total = 0;
	for (unsigned i = 0; i < 40; i++)
		*total += words[i];
	return enter();
}

static int impl_wide(void *ctx, l4_word_t badge, const struct l4e_seq_uint64_20 *vals,
		     uint64_t *vals_sum)
{
	(void)ctx, (void)badge;
	*vals_sum = 0;
	for (uint32_t i = 0; i < vals->len; i++)
		*vals_sum += vals->data[i];
	return enter();
}

const struct shapes_shapes_ops shapes_impl_ops = {
	.ping = impl_ping,
	.scalars = impl_scalars,
	.flip = impl_flip,
	.move = impl_move,
	.echo_bytes = impl_echo_bytes,
	.count_points = impl_count_points,
	.greet = impl_greet,
	.checksum = impl_checksum,
	.store = impl_store,
	.notify = impl_notify,
	.big = impl_big,
	.wide = impl_wide,
};

const struct shapes_shapes_ops shapes_ping_only_ops = {
	.ping = impl_ping,
};
