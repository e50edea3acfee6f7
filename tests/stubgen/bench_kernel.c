/* SPDX-License-Identifier: BSD-2-Clause */
/* Generated stubs against hand-written calls over the same kernel IPC, 0/4/8 words (icount). */
#include "kbench.h"
#include "kthread.h"
#include "ktest.h"

#include "bench.h"

#define SERVER_EP 10

int main(const struct l4_bootinfo *bi);

/*
 * The implementation both servers call (never inlined: the generated server calls
 * it through its function table, the hand-written one directly).
 */
static __attribute__((noipa)) int impl_w0(void *ctx, l4_word_t badge)
{
	(void)ctx, (void)badge;
	return 0;
}

static __attribute__((noipa)) int impl_w4(void *ctx, l4_word_t badge, uint32_t a, uint32_t b,
					  uint32_t c, uint32_t d, uint32_t *result)
{
	(void)ctx, (void)badge;
	*result = a + b + c + d;
	return 0;
}

static __attribute__((noipa)) int impl_w8(void *ctx, l4_word_t badge, uint32_t a, uint32_t b,
					  uint32_t c, uint32_t d, uint32_t e, uint32_t f,
					  uint32_t g, uint32_t h, uint32_t *result)
{
	(void)ctx, (void)badge;
	*result = a + b + c + d + e + f + g + h;
	return 0;
}

static const struct bench_regs_ops ops = {.w0 = impl_w0, .w4 = impl_w4, .w8 = impl_w8};

static void generated_server(uint32_t slot)
{
	struct bench_regs_server srv = {.ops = &ops};

	bench_regs_serve(&srv, slot);
}

/*
 * The least an engineer writes by hand for the same interface and still handles
 * untrusted requests: switch on the label, check the length, call the same
 * implementation functions directly, reply (an error reply for a bad request).
 * No counters, no function table, no result zeroing: that, and the generated
 * client's checks, is the overhead measured.
 */
static void hand_server(uint32_t slot)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	uint32_t r;

	l4_recv(slot, &tag, mr, &badge);
	for (;;) {
		switch (l4_tag_label(tag)) {
		case BENCH_REGS_W0_LABEL:
			if (l4_tag_len(tag) != 0)
				goto bad;
			impl_w0(NULL, badge);
			tag = l4_tag(0, 0, 0);
			break;
		case BENCH_REGS_W4_LABEL:
			if (l4_tag_len(tag) != 4)
				goto bad;
			impl_w4(NULL, badge, mr[0], mr[1], mr[2], mr[3], &r);
			mr[0] = r;
			tag = l4_tag(0, 0, 1);
			break;
		case BENCH_REGS_W8_LABEL:
			if (l4_tag_len(tag) != 8)
				goto bad;
			impl_w8(NULL, badge, mr[0], mr[1], mr[2], mr[3], mr[4], mr[5], mr[6], mr[7],
				&r);
			mr[0] = r;
			tag = l4_tag(0, 0, 1);
			break;
		default:
		bad:
			tag = l4_tag(L4E_REPLY_BADMSG, 0, 0);
			break;
		}
		l4_reply_recv(slot, &tag, mr, &badge);
	}
}

static l4_cap_t start(struct kt_thread *t, kt_fn server)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);

	kt_thread_start(t, server, SERVER_EP, 100, 0, true);
	kt_thread_give(t, ep, SERVER_EP);
	kt_let_others_run();
	return ep;
}

static void stop(struct kt_thread *t, l4_cap_t ep)
{
	kt_thread_destroy(t);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/*
 * Hand-written clients with the generated API's shape (a function per operation,
 * out parameter, error code), so that only the stubs' own work differs.
 */
static __attribute__((noipa)) int hand_w0(l4_cap_t ep)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = l4_tag(BENCH_REGS_W0_LABEL, 0, 0);
	int err;

	/* No stack data to the server; stores, not a memset call. */
	mr[0] = mr[1] = mr[2] = mr[3] = mr[4] = mr[5] = mr[6] = mr[7] = 0;
	err = l4_call(ep, &tag, mr);

	return err ? err : l4_tag_label(tag) ? -1 : 0;
}

static __attribute__((noipa)) int hand_w4(l4_cap_t ep, uint32_t a, uint32_t b, uint32_t c,
					  uint32_t d, uint32_t *result)
{
	l4_word_t mr[L4_MSG_REGS] = {a, b, c, d};
	l4_tag_t tag = l4_tag(BENCH_REGS_W4_LABEL, 0, 4);
	int err = l4_call(ep, &tag, mr);

	if (err)
		return err;
	if (l4_tag_label(tag) || l4_tag_len(tag) != 1)
		return -1;
	*result = mr[0];
	return 0;
}

static __attribute__((noipa)) int hand_w8(l4_cap_t ep, uint32_t a, uint32_t b, uint32_t c,
					  uint32_t d, uint32_t e, uint32_t f, uint32_t g,
					  uint32_t h, uint32_t *result)
{
	l4_word_t mr[L4_MSG_REGS] = {a, b, c, d, e, f, g, h};
	l4_tag_t tag = l4_tag(BENCH_REGS_W8_LABEL, 0, 8);
	int err = l4_call(ep, &tag, mr);

	if (err)
		return err;
	if (l4_tag_label(tag) || l4_tag_len(tag) != 1)
		return -1;
	*result = mr[0];
	return 0;
}

static uint32_t hand_call(l4_cap_t ep, unsigned words)
{
	uint32_t r = 0;
	int err = words == 0   ? hand_w0(ep)
		  : words == 4 ? hand_w4(ep, 1, 2, 3, 4, &r)
			       : hand_w8(ep, 1, 2, 3, 4, 5, 6, 7, 8, &r);

	return err ? 0xffffffffu : r;
}

static uint32_t generated_call(l4_cap_t ep, unsigned words)
{
	uint32_t r = 0;
	int err = words == 0   ? bench_regs_w0(ep)
		  : words == 4 ? bench_regs_w4(ep, 1, 2, 3, 4, &r)
			       : bench_regs_w8(ep, 1, 2, 3, 4, 5, 6, 7, 8, &r);

	return err ? 0xffffffffu : r;
}

/* Median icount cycles of one round trip; checks every answer. */
static uint32_t measure(const char *name, l4_cap_t ep, unsigned words, bool generated)
{
	uint32_t want = words == 0 ? 0 : words == 4 ? 10 : 36;
	unsigned i;

	for (i = 0; i < KBENCH_SAMPLES; i++) {
		uint32_t t0 = kbench_cycles(), got;

		got = generated ? generated_call(ep, words) : hand_call(ep, words);
		kbench_samples[i] = kbench_cycles() - t0;
		if (got != want) {
			kbench_error(name, "wrong answer");
			return 0;
		}
	}
	return kbench_report(name, KBENCH_SAMPLES);
}

int main(const struct l4_bootinfo *bi)
{
	static const char *const names[3][3] = {
		{"stub_hand_w0", "stub_generated_w0", "stub_overhead_w0"},
		{"stub_hand_w4", "stub_generated_w4", "stub_overhead_w4"},
		{"stub_hand_w8", "stub_generated_w8", "stub_overhead_w8"}};
	static const unsigned words[3] = {0, 4, 8};
	struct kt_thread hand, gen;
	l4_cap_t hand_ep, gen_ep;
	unsigned i;

	ktest_bootinfo = bi;
	hand_ep = start(&hand, hand_server);
	gen_ep = start(&gen, generated_server);
	for (i = 0; i < 3; i++) {
		uint32_t h = measure(names[i][0], hand_ep, words[i], false);
		uint32_t g = measure(names[i][1], gen_ep, words[i], true);

		/* The difference of the medians, as a one-sample figure (0 if generated is faster). */
		kbench_samples[0] = g > h ? g - h : 0;
		kbench_report(names[i][2], 1);
	}
	stop(&hand, hand_ep);
	stop(&gen, gen_ep);
	return 0;
}
