/* SPDX-License-Identifier: BSD-2-Clause */
/* Stress: many threads ping-pong IPC and notifications for a bounded number of rounds. */
#include "kthread.h"
#include "ktest.h"

#define CLIENTS	     8
#define SERVERS	     3
#define ROUNDS	     400
#define PAIRS	     4
#define CHILD_EP     10
#define CHILD_REPORT 11

/* Adds 1 to MR0, MR7 and every UTCB word; label says how long the message is. */
static void adder(uint32_t ep)
{
	struct l4_utcb *u = l4_utcb();
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	unsigned i;

	l4_recv(ep, &tag, mr, &badge);
	for (;;) {
		mr[0] += 1;
		mr[7] += badge;
		for (i = L4_MSG_REGS; i < l4_tag_len(tag); i++)
			u->mr[i] += 1;
		l4_reply_recv(ep, &tag, mr, &badge);
	}
}

/*
 * A client in its own space: ROUNDS calls alternating register-only and long
 * messages, checking every reply; then one report (rounds done, errors) to
 * the root. It uses only its stack and IPC.
 */
static void client(uint32_t id)
{
	struct l4_utcb *u = l4_utcb();
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint32_t ok = 0, bad = 0, r, i;

	for (r = 0; r < ROUNDS; r++) {
		unsigned len = (r % 4 == 3) ? 20 : 8;
		l4_tag_t tag = l4_tag(1, 0, len);

		mr[0] = r;
		mr[7] = 0;
		for (i = L4_MSG_REGS; i < len; i++)
			u->mr[i] = r + i;
		if (l4_call(CHILD_EP, &tag, mr) != 0 || mr[0] != r + 1 || mr[7] != id ||
		    l4_tag_len(tag) != len) {
			bad++;
			continue;
		}
		for (i = L4_MSG_REGS; i < len; i++)
			if (u->mr[i] != r + i + 1)
				break;
		if (i == len)
			ok++;
		else
			bad++;
	}
	mr[0] = id;
	mr[1] = ok;
	mr[2] = bad;
	l4_send(CHILD_REPORT, l4_tag(2, 0, 3), mr);
}

static volatile uint32_t pings[PAIRS], pongs[PAIRS];
static l4_cap_t ping_n[PAIRS], pong_n[PAIRS];

static void pinger(uint32_t k)
{
	uint32_t bits, i;

	for (i = 0; i < ROUNDS; i++) {
		l4_signal(pong_n[k], 1u << (i % 32));
		if (l4_wait(ping_n[k], &bits) == 0 && bits == 1u << (i % 32))
			pings[k]++;
	}
}

static void ponger(uint32_t k)
{
	uint32_t bits, i;

	for (i = 0; i < ROUNDS; i++) {
		if (l4_wait(pong_n[k], &bits) == 0 && bits == 1u << (i % 32))
			pongs[k]++;
		l4_signal(ping_n[k], bits);
	}
}

KTEST(stress_ipc_and_notifications)
{
	static struct kt_thread srv[SERVERS], cli[CLIENTS], pi[PAIRS], po[PAIRS];
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), report = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS], badge;
	struct l4_kstats before, after;
	uint32_t seen = 0, i;
	l4_tag_t tag;

	l4_kstats(L4_ROOT_CAP_SYSTEM, &before);
	for (i = 0; i < SERVERS; i++)
		KT_ASSERT_EQ(kt_thread_start(&srv[i], adder, ep, 120 + i, 0, false), 0);
	for (i = 0; i < CLIENTS; i++) {
		l4_cap_t b = kt_slot_alloc();

		KT_ASSERT_EQ(kt_thread_start(&cli[i], client, i + 1, 100 + i % 3, 0, true), 0);
		KT_ASSERT_EQ(l4_cap_mint(ep, 0, b, L4_RIGHT_SEND | L4_RIGHT_GRANT, i + 1), 0);
		KT_ASSERT_EQ(kt_thread_give(&cli[i], b, CHILD_EP), 0);
		KT_ASSERT_EQ(kt_thread_give(&cli[i], report, CHILD_REPORT), 0);
	}
	for (i = 0; i < PAIRS; i++) {
		ping_n[i] = kt_create(L4_OBJ_NOTIFICATION);
		pong_n[i] = kt_create(L4_OBJ_NOTIFICATION);
		pings[i] = pongs[i] = 0;
		KT_ASSERT_EQ(kt_thread_start(&pi[i], pinger, i, 90 + i, 0, false), 0);
		KT_ASSERT_EQ(kt_thread_start(&po[i], ponger, i, 90 + (i + 1) % PAIRS, 0, false), 0);
	}
	/* Collect one report per client; the rest of the system runs meanwhile. */
	while (seen < CLIENTS) {
		KT_ASSERT_EQ(l4_recv(report, &tag, mr, &badge), 0);
		KT_ASSERT(mr[0] >= 1 && mr[0] <= CLIENTS);
		KT_ASSERT_EQ(mr[1], ROUNDS);
		KT_ASSERT_EQ(mr[2], 0);
		seen++;
	}
	kt_let_others_run();
	for (i = 0; i < PAIRS; i++) {
		KT_ASSERT_EQ(pings[i], ROUNDS);
		KT_ASSERT_EQ(pongs[i], ROUNDS);
	}
	l4_kstats(L4_ROOT_CAP_SYSTEM, &after);
	KT_ASSERT(after.ipc - before.ipc >= 2 * CLIENTS * ROUNDS);
	KT_ASSERT(after.fastpath - before.fastpath >= CLIENTS * ROUNDS);
	for (i = 0; i < CLIENTS; i++)
		kt_thread_destroy(&cli[i]);
	for (i = 0; i < SERVERS; i++)
		kt_thread_destroy(&srv[i]);
	for (i = 0; i < PAIRS; i++) {
		kt_thread_destroy(&pi[i]);
		kt_thread_destroy(&po[i]);
	}
}
