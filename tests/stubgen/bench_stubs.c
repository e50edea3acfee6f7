/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated against hand-written register-only calls of 0, 4 and 8 words over the fake IPC
 * transport; tests/stubgen/bench_stubs.py counts the instructions of each with callgrind. */
#include "bench.h"
#include "fake_ipc.h"

#include <stdio.h>

extern const struct bench_regs_ops *bench_hand_ops;

#define ITERATIONS 1000

static int impl_w0(void *ctx, l4_word_t badge)
{
	(void)ctx, (void)badge;
	return 0;
}

static int impl_w4(void *ctx, l4_word_t badge, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
		   uint32_t *result)
{
	(void)ctx, (void)badge;
	*result = a + b + c + d;
	return 0;
}

static int impl_w8(void *ctx, l4_word_t badge, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
		   uint32_t e, uint32_t f, uint32_t g, uint32_t h, uint32_t *result)
{
	(void)ctx, (void)badge;
	*result = a + b + c + d + e + f + g + h;
	return 0;
}

static const struct bench_regs_ops ops = {.w0 = impl_w0, .w4 = impl_w4, .w8 = impl_w8};
static struct bench_regs_server server = {.ops = &ops};
/* The hand-written server calls through a table it cannot see into, like the generated one. */
const struct bench_regs_ops *bench_hand_ops = &ops;

static bool generated_server(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge)
{
	return bench_regs_dispatch(&server, tag, mr, badge);
}

/* What one would write by hand for the same protocol: label switch, length check, a call
 * through the same operations table. */
static bool hand_server(l4_tag_t *tag, l4_word_t mr[L4_MSG_REGS], l4_word_t badge)
{
	uint32_t r = 0;

	switch (l4_tag_label(*tag)) {
	case BENCH_REGS_W0_LABEL:
		if (l4_tag_len(*tag) != 0)
			break;
		bench_hand_ops->w0(NULL, badge);
		*tag = l4_tag(0, 0, 0);
		return true;
	case BENCH_REGS_W4_LABEL:
		if (l4_tag_len(*tag) != 4)
			break;
		bench_hand_ops->w4(NULL, badge, mr[0], mr[1], mr[2], mr[3], &r);
		mr[0] = r;
		*tag = l4_tag(0, 0, 1);
		return true;
	case BENCH_REGS_W8_LABEL:
		if (l4_tag_len(*tag) != 8)
			break;
		bench_hand_ops->w8(NULL, badge, mr[0], mr[1], mr[2], mr[3], mr[4], mr[5], mr[6],
				   mr[7], &r);
		mr[0] = r;
		*tag = l4_tag(0, 0, 1);
		return true;
	}
	*tag = l4_tag(L4E_REPLY_BADMSG, 0, 0);
	return true;
}

static int hand_call(unsigned label, unsigned len, l4_word_t mr[L4_MSG_REGS], uint32_t *result)
{
	l4_tag_t tag = l4_tag(label, 0, len);
	int err = l4_call(FAKE_IPC_EP, &tag, mr);

	if (err < 0)
		return err;
	if (l4_tag_label(tag) != 0 || l4_tag_len(tag) != (result ? 1 : 0))
		return -L4E_STUB_EPROTO;
	if (result)
		*result = mr[0];
	return 0;
}

/* Each runs ITERATIONS calls and returns a checksum; callgrind collects inside one. */
__attribute__((noinline)) static uint32_t generated_w0(void)
{
	uint32_t sum = 0;

	fake_ipc_reset(generated_server);
	for (unsigned i = 0; i < ITERATIONS; i++)
		sum += (uint32_t)bench_regs_w0(FAKE_IPC_EP) + 1;
	return sum;
}

__attribute__((noinline)) static uint32_t hand_w0(void)
{
	uint32_t sum = 0;

	fake_ipc_reset(hand_server);
	for (unsigned i = 0; i < ITERATIONS; i++) {
		l4_word_t mr[L4_MSG_REGS] = {0};

		sum += (uint32_t)hand_call(BENCH_REGS_W0_LABEL, 0, mr, NULL) + 1;
	}
	return sum;
}

__attribute__((noinline)) static uint32_t generated_w4(void)
{
	uint32_t sum = 0, r = 0;

	fake_ipc_reset(generated_server);
	for (unsigned i = 0; i < ITERATIONS; i++) {
		bench_regs_w4(FAKE_IPC_EP, i, 1, 2, 3, &r);
		sum += r;
	}
	return sum;
}

__attribute__((noinline)) static uint32_t hand_w4(void)
{
	uint32_t sum = 0, r = 0;

	fake_ipc_reset(hand_server);
	for (unsigned i = 0; i < ITERATIONS; i++) {
		l4_word_t mr[L4_MSG_REGS] = {i, 1, 2, 3};

		hand_call(BENCH_REGS_W4_LABEL, 4, mr, &r);
		sum += r;
	}
	return sum;
}

__attribute__((noinline)) static uint32_t generated_w8(void)
{
	uint32_t sum = 0, r = 0;

	fake_ipc_reset(generated_server);
	for (unsigned i = 0; i < ITERATIONS; i++) {
		bench_regs_w8(FAKE_IPC_EP, i, 1, 2, 3, 4, 5, 6, 7, &r);
		sum += r;
	}
	return sum;
}

__attribute__((noinline)) static uint32_t hand_w8(void)
{
	uint32_t sum = 0, r = 0;

	fake_ipc_reset(hand_server);
	for (unsigned i = 0; i < ITERATIONS; i++) {
		l4_word_t mr[L4_MSG_REGS] = {i, 1, 2, 3, 4, 5, 6, 7};

		hand_call(BENCH_REGS_W8_LABEL, 8, mr, &r);
		sum += r;
	}
	return sum;
}

int main(void)
{
	uint32_t g[3] = {generated_w0(), generated_w4(), generated_w8()};
	uint32_t h[3] = {hand_w0(), hand_w4(), hand_w8()};

	for (unsigned i = 0; i < 3; i++) {
		if (g[i] != h[i]) {
			printf("bench_stubs: case %u: generated %u != hand-written %u\n", i, g[i],
			       h[i]);
			return 1;
		}
	}
	printf("bench_stubs: %u iterations, results agree\n", ITERATIONS);
	return 0;
}
