/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath: send, call and reply cases, each bail-out, and the same results as the general path. */
#include "kthread.h"
#include "ktest.h"

#define NREGS	  13 /* r0-r12 */
#define MAX_LOG	  8
#define CHILD_EP  10
#define CHILD_OUT 11
#define TAG_SLOW  ((uint32_t)L4_TAG_F_SLOWPATH << L4_TAG_FLAGS_SHIFT)

/* r0-r12 from r[] (r7: the system-call number), svc, then r0-r12 as the kernel left them into r[]. */
void raw_svc(uint32_t *r);
__asm__(".text\n"
	".arm\n"
	".global raw_svc\n"
	".type raw_svc, %function\n"
	"raw_svc:\n"
	"	push	{r4-r11, lr}\n"
	"	push	{r0}\n"
	"	mov	lr, r0\n"
	"	ldm	lr, {r0-r12}\n"
	"	svc	#0\n"
	"	pop	{lr}\n"
	"	stm	lr, {r0-r12}\n"
	"	pop	{r4-r11, pc}\n"
	".size raw_svc, . - raw_svc\n");

/* Who ran in which order, with the registers each one's system call returned. */
struct entry {
	uint32_t who;
	uint32_t r[NREGS];
};
static struct entry log_[MAX_LOG];
static volatile unsigned nlog;
static bool slow; /* the run under test sets L4_TAG_F_SLOWPATH on every message */

static void log_regs(uint32_t who, const uint32_t *r)
{
	unsigned i;

	if (nlog >= MAX_LOG)
		return;
	log_[nlog].who = who;
	for (i = 0; i < NREGS; i++)
		log_[nlog].r[i] = r[i];
	nlog++;
}

/* Registers with values nobody sets: whatever the kernel changes shows. */
static void fill(uint32_t *r, uint32_t who, uint32_t nr, uint32_t slot, uint32_t tag)
{
	unsigned i;

	for (i = 0; i < NREGS; i++)
		r[i] = 0xa5000000u | who << 16 | i;
	r[0] = slot;
	r[1] = tag | (slow ? TAG_SLOW : 0);
	r[7] = nr;
}

static uint64_t fast_count(void)
{
	struct l4_kstats ks;

	l4_kstats(L4_ROOT_CAP_SYSTEM, &ks);
	return ks.fastpath;
}

static void root_prio(unsigned prio)
{
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_SET_PRIO, prio, 0);
}

enum {
	WHO_ROOT = 1,
	WHO_RECV,
	WHO_SERVER,
	WHO_CLIENT,
	WHO_URGENT,
	WHO_URGENT2,
	WHO_PEER,
	WHO_SENDER
};

/* Receives on endpoint or notification (arg >> 8), then logs as (arg & 0xff). */
static void receiver(uint32_t arg)
{
	uint32_t r[NREGS];

	fill(r, arg & 0xff, L4_SYS_RECV, arg >> 8, 0);
	raw_svc(r);
	log_regs(arg & 0xff, r);
}

/* Waits on notification (arg >> 8), then logs. */
#define waiter receiver

/* Logs that it ran (a ready thread at the sender's priority). */
static void peer(uint32_t arg)
{
	uint32_t r[NREGS] = {0};

	log_regs(arg, r);
}

/* Sends 4 words to (arg >> 8) and logs its result. */
static void sender(uint32_t arg)
{
	uint32_t r[NREGS];

	fill(r, WHO_SENDER, L4_SYS_SEND, arg >> 8, l4_tag(4, 0, 4));
	r[2] = 31, r[3] = 32, r[4] = 33, r[5] = 34;
	raw_svc(r);
	log_regs(WHO_SENDER, r);
}

static l4_cap_t ntfn_u, ntfn_u2, ntfn_go;
static bool client_signals; /* the client signals ntfn_u before its call, else the server after */

/* Receives a call on (arg >> 8), signals ntfn_u (unless client_signals) and ntfn_u2 (if set), logs, replies and waits. */
static void server(uint32_t arg)
{
	uint32_t r[NREGS];
	l4_cap_t ep = arg >> 8;

	fill(r, WHO_SERVER, L4_SYS_RECV, ep, 0);
	raw_svc(r);
	if (!client_signals)
		l4_signal(ntfn_u, 1);
	if (ntfn_u2)
		l4_signal(ntfn_u2, 1);
	log_regs(WHO_SERVER, r);
	fill(r, WHO_SERVER, L4_SYS_REPLY_RECV, ep, l4_tag(7, 0, 3));
	r[2] = 0x1000;
	r[3] = 0x2000;
	r[4] = 0x3000;
	raw_svc(r); /* nobody calls again: waits until destroyed */
}

/* Waits for ntfn_go (if set), signals ntfn_u (client_signals), calls (arg >> 8) and logs the reply. */
static void client(uint32_t arg)
{
	uint32_t r[NREGS], bits;

	if (ntfn_go)
		l4_wait(ntfn_go, &bits);
	if (client_signals)
		l4_signal(ntfn_u, 1);
	fill(r, WHO_CLIENT, L4_SYS_CALL, arg >> 8, l4_tag(3, 0, 5));
	raw_svc(r);
	log_regs(WHO_CLIENT, r);
}

/*
 * One scenario run: its log, and how many messages the fastpath delivered.
 * Each scenario starts its threads from the root at the top priority.
 */
struct run {
	struct entry log[MAX_LOG];
	unsigned n;
	uint64_t fast;
};

static struct kt_thread th[4];
static unsigned nth;

static int start(kt_fn fn, uint32_t arg, unsigned prio)
{
	return kt_thread_start(&th[nth++], fn, arg, prio, 0, false);
}

static void finish(struct run *out, uint64_t fast0)
{
	unsigned i;

	out->fast = fast_count() - fast0;
	out->n = nlog;
	for (i = 0; i < nlog; i++)
		out->log[i] = log_[i];
	while (nth)
		kt_thread_destroy(&th[--nth]);
	nlog = 0;
}

/* The root sends 4 words to a receiver at `prio` waiting on the endpoint; a peer at 100 is ready. */
static void sc_send(struct run *out, unsigned prio, uint32_t nr)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	uint32_t r[NREGS];
	uint64_t fast0;

	start(receiver, ep << 8 | WHO_RECV, prio);
	kt_let_others_run(); /* the receiver waits */
	root_prio(100);
	start(peer, WHO_PEER, 100); /* ready behind the root */
	fill(r, WHO_ROOT, nr, ep, l4_tag(9, 0, 4));
	r[2] = 11, r[3] = 12, r[4] = 13, r[5] = 14;
	fast0 = fast_count();
	raw_svc(r);
	log_regs(WHO_ROOT, r);
	kt_let_others_run();
	finish(out, fast0);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static void sc_send_up(struct run *out)
{
	sc_send(out, 200, L4_SYS_SEND);
}

static void sc_nbsend_up(struct run *out)
{
	sc_send(out, 200, L4_SYS_NBSEND);
}

static void sc_send_down(struct run *out)
{
	sc_send(out, 50, L4_SYS_SEND);
}

static void sc_send_level(struct run *out)
{
	sc_send(out, 100, L4_SYS_SEND);
}

/*
 * A client at 100 calls a server at 150, which makes `urgent` threads at 120 ready before it
 * replies: they run before the client gets its reply.
 */
static void sc_reply_deferred(struct run *out, unsigned urgent)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	uint64_t fast0;

	ntfn_u = kt_create(L4_OBJ_NOTIFICATION);
	ntfn_u2 = urgent > 1 ? kt_create(L4_OBJ_NOTIFICATION) : 0;
	start(server, ep << 8, 150);
	start(waiter, ntfn_u << 8 | WHO_URGENT, 120);
	if (ntfn_u2)
		start(waiter, ntfn_u2 << 8 | WHO_URGENT2, 120);
	start(client, ep << 8, 100);
	fast0 = fast_count();
	kt_let_others_run();
	finish(out, fast0);
	l4_cap_delete(ntfn_u);
	kt_slot_free(ntfn_u);
	if (ntfn_u2) {
		l4_cap_delete(ntfn_u2);
		kt_slot_free(ntfn_u2);
	}
	ntfn_u = ntfn_u2 = 0;
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static void sc_reply_one_urgent(struct run *out)
{
	sc_reply_deferred(out, 1);
}

static void sc_reply_two_urgent(struct run *out)
{
	sc_reply_deferred(out, 2);
}

/* A client at 150 makes a thread at 120 ready, then calls a server at 100: that thread runs first. */
static void sc_call_deferred(struct run *out)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	uint64_t fast0;

	ntfn_go = kt_create(L4_OBJ_NOTIFICATION);
	ntfn_u = kt_create(L4_OBJ_NOTIFICATION);
	client_signals = true;
	start(server, ep << 8, 100);
	start(waiter, ntfn_u << 8 | WHO_URGENT, 120);
	start(client, ep << 8, 150);
	kt_let_others_run(); /* all wait: the client for ntfn_go */
	l4_signal(ntfn_go, 1);
	fast0 = fast_count();
	kt_let_others_run();
	finish(out, fast0);
	l4_cap_delete(ntfn_go);
	kt_slot_free(ntfn_go);
	l4_cap_delete(ntfn_u);
	kt_slot_free(ntfn_u);
	ntfn_go = ntfn_u = 0;
	client_signals = false;
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/*
 * A sender (or caller) at `prio` waits on an endpoint for a receiver; the root at 100 receives,
 * with a peer at 100 ready behind it. A call gets its reply from the root.
 */
static void sc_recv(struct run *out, unsigned prio, bool call)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	uint32_t r[NREGS];
	uint64_t fast0;

	start(call ? client : sender, ep << 8, prio);
	kt_let_others_run(); /* it waits in its send */
	root_prio(100);
	start(peer, WHO_PEER, 100);
	fill(r, WHO_ROOT, L4_SYS_RECV, ep, 0);
	fast0 = fast_count();
	raw_svc(r);
	log_regs(WHO_ROOT, r);
	if (call) {
		fill(r, WHO_ROOT, L4_SYS_REPLY, 0, l4_tag(7, 0, 3));
		r[2] = 0x1000, r[3] = 0x2000, r[4] = 0x3000;
		raw_svc(r);
	}
	kt_let_others_run();
	finish(out, fast0);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

static void sc_recv_from_urgent_sender(struct run *out)
{
	sc_recv(out, 200, false);
}

static void sc_recv_from_lower_sender(struct run *out)
{
	sc_recv(out, 50, false);
}

static void sc_recv_a_call(struct run *out)
{
	sc_recv(out, 50, true);
}

static void run(void (*sc)(struct run *), bool slowpath, struct run *out)
{
	slow = slowpath;
	sc(out);
	slow = false;
}

/* The order threads ran in, as a string of WHO_* digits. */
static uint32_t order(const struct run *x)
{
	uint32_t o = 0;
	unsigned i;

	for (i = 0; i < x->n; i++)
		o = o * 10 + x->log[i].who;
	return o;
}

/* The fastpath and the general path: same order, same registers (the tags but for the flag). */
static bool same(const struct run *f, const struct run *s)
{
	unsigned i, j;

	if (f->n != s->n)
		return false;
	for (i = 0; i < f->n; i++) {
		if (f->log[i].who != s->log[i].who)
			return false;
		for (j = 0; j < NREGS; j++) {
			uint32_t a = f->log[i].r[j], b = s->log[i].r[j];

			if (j == 1)
				a &= ~TAG_SLOW, b &= ~TAG_SLOW;
			if (a != b) {
				ktest_fail(__FILE__, __LINE__, "register differs (entry*100 + reg)",
					   i * 100 + j, 0, true);
				return false;
			}
		}
	}
	return true;
}

static const struct entry *find(const struct run *x, uint32_t who)
{
	unsigned i;

	for (i = 0; i < x->n; i++)
		if (x->log[i].who == who)
			return &x->log[i];
	return NULL;
}

KTEST(fastpath_send_to_a_more_urgent_receiver_switches_to_it)
{
	struct run f;
	const struct entry *e;

	run(sc_send_up, false, &f);
	KT_ASSERT_EQ(f.fast, 1);
	/* receiver, then the sender (head of its queue, before the peer at its priority) */
	KT_ASSERT_EQ(order(&f), WHO_RECV * 100 + WHO_ROOT * 10 + WHO_PEER);
	e = find(&f, WHO_RECV);
	KT_ASSERT_EQ(e->r[0], 0);
	KT_ASSERT_EQ(e->r[1], l4_tag(9, 0, 4));
	KT_ASSERT_EQ(e->r[2], 11);
	KT_ASSERT_EQ(e->r[5], 14);
	KT_ASSERT_EQ(e->r[11], 0); /* the badge of an unbadged cap */
	e = find(&f, WHO_ROOT);
	KT_ASSERT_EQ(e->r[0], 0);
	KT_ASSERT_EQ(e->r[2], 11);
}

KTEST(fastpath_nonblocking_send_to_a_waiting_receiver)
{
	struct run f;

	run(sc_nbsend_up, false, &f);
	KT_ASSERT_EQ(f.fast, 1);
	KT_ASSERT_EQ(order(&f), WHO_RECV * 100 + WHO_ROOT * 10 + WHO_PEER);
	KT_ASSERT_EQ(find(&f, WHO_ROOT)->r[0], 0);
}

KTEST(fastpath_send_to_a_less_urgent_receiver_returns_first)
{
	struct run f;
	const struct entry *e;

	run(sc_send_down, false, &f);
	KT_ASSERT_EQ(f.fast, 1);
	/* the sender goes on; the receiver, queued behind the peer, runs last */
	KT_ASSERT_EQ(order(&f), WHO_ROOT * 100 + WHO_PEER * 10 + WHO_RECV);
	e = find(&f, WHO_RECV);
	KT_ASSERT_EQ(e->r[1], l4_tag(9, 0, 4));
	KT_ASSERT_EQ(e->r[3], 12);
	KT_ASSERT_EQ(e->r[7], L4_SYS_RECV);
	KT_ASSERT_EQ(e->r[12], 0xa5000000u | WHO_RECV << 16 | 12);
}

KTEST(fastpath_send_to_a_receiver_of_equal_priority_queues_it_behind_the_ready_ones)
{
	struct run f;

	run(sc_send_level, false, &f);
	KT_ASSERT_EQ(f.fast, 1);
	KT_ASSERT_EQ(order(&f), WHO_ROOT * 100 + WHO_PEER * 10 + WHO_RECV);
}

KTEST(fastpath_reply_while_a_more_urgent_thread_is_ready_runs_that_thread_first)
{
	struct run f;
	const struct entry *e;

	run(sc_reply_one_urgent, false, &f);
	KT_ASSERT_EQ(f.fast, 2); /* the call and the deferred reply */
	KT_ASSERT_EQ(order(&f), WHO_SERVER * 100 + WHO_URGENT * 10 + WHO_CLIENT);
	e = find(&f, WHO_SERVER);
	KT_ASSERT_EQ(e->r[1], l4_tag(3, L4_TAG_F_CALL, 5));
	e = find(&f, WHO_CLIENT);
	KT_ASSERT_EQ(e->r[0], 0);
	KT_ASSERT_EQ(e->r[1], l4_tag(7, 0, 3));
	KT_ASSERT_EQ(e->r[2], 0x1000);
	KT_ASSERT_EQ(e->r[4], 0x3000);
	KT_ASSERT_EQ(e->r[11], 0);
	KT_ASSERT_EQ(e->r[7], L4_SYS_CALL);
}

KTEST(fastpath_reply_bails_out_when_the_urgent_thread_has_a_peer)
{
	struct run f;

	run(sc_reply_two_urgent, false, &f);
	KT_ASSERT_EQ(f.fast, 1); /* the call only: two threads at 120 need the slice timer */
	KT_ASSERT_EQ(order(&f),
		     WHO_SERVER * 1000 + WHO_URGENT * 100 + WHO_URGENT2 * 10 + WHO_CLIENT);
}

KTEST(fastpath_call_while_a_more_urgent_thread_is_ready_runs_that_thread_first)
{
	struct run f;
	const struct entry *e;

	run(sc_call_deferred, false, &f);
	KT_ASSERT_EQ(f.fast, 2); /* the deferred call and the reply */
	KT_ASSERT_EQ(order(&f), WHO_URGENT * 100 + WHO_SERVER * 10 + WHO_CLIENT);
	e = find(&f, WHO_SERVER);
	KT_ASSERT_EQ(e->r[0], 0);
	KT_ASSERT_EQ(e->r[1], l4_tag(3, L4_TAG_F_CALL, 5));
	KT_ASSERT_EQ(e->r[7], L4_SYS_RECV);
	e = find(&f, WHO_CLIENT);
	KT_ASSERT_EQ(e->r[1], l4_tag(7, 0, 3));
	KT_ASSERT_EQ(e->r[3], 0x2000);
}

KTEST(fastpath_and_general_path_give_the_same_registers_and_order)
{
	static void (*const scenarios[])(struct run *) = {
		sc_send_up,
		sc_nbsend_up,
		sc_send_down,
		sc_send_level,
		sc_reply_one_urgent,
		sc_reply_two_urgent,
		sc_call_deferred,
		sc_recv_from_urgent_sender,
		sc_recv_from_lower_sender,
		sc_recv_a_call,
	};
	static struct run f, s;
	unsigned i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		run(scenarios[i], false, &f);
		run(scenarios[i], true, &s);
		KT_ASSERT(f.fast > 0);
		KT_ASSERT_EQ(s.fast, 0);
		KT_ASSERT(f.n >= 2);
		KT_ASSERT_EQ(order(&f), order(&s));
		KT_ASSERT(same(&f, &s));
	}
}

KTEST(fastpath_receive_from_a_more_urgent_sender_runs_the_sender_first)
{
	struct run f;
	const struct entry *e;

	run(sc_recv_from_urgent_sender, false, &f);
	KT_ASSERT_EQ(f.fast, 1);
	/* the sender, then the receiver (head of its queue, before the peer) */
	KT_ASSERT_EQ(order(&f), WHO_SENDER * 100 + WHO_ROOT * 10 + WHO_PEER);
	KT_ASSERT_EQ(find(&f, WHO_SENDER)->r[0], 0);
	e = find(&f, WHO_ROOT);
	KT_ASSERT_EQ(e->r[0], 0);
	KT_ASSERT_EQ(e->r[1], l4_tag(4, 0, 4));
	KT_ASSERT_EQ(e->r[2], 31);
	KT_ASSERT_EQ(e->r[5], 34);
	KT_ASSERT_EQ(e->r[11], 0);
	KT_ASSERT_EQ(e->r[7], L4_SYS_RECV);
	KT_ASSERT_EQ(e->r[12], 0xa5000000u | WHO_ROOT << 16 | 12);
}

KTEST(fastpath_receive_from_a_less_urgent_sender_returns_first)
{
	struct run f;

	run(sc_recv_from_lower_sender, false, &f);
	KT_ASSERT_EQ(f.fast, 1);
	KT_ASSERT_EQ(order(&f), WHO_ROOT * 100 + WHO_PEER * 10 + WHO_SENDER);
	KT_ASSERT_EQ(find(&f, WHO_ROOT)->r[3], 32);
	KT_ASSERT_EQ(find(&f, WHO_SENDER)->r[0], 0);
}

KTEST(fastpath_receive_of_a_waiting_call_owes_the_reply)
{
	struct run f;
	const struct entry *e;

	run(sc_recv_a_call, false, &f);
	KT_ASSERT_EQ(f.fast, 1); /* the receive; a plain reply takes the general path */
	KT_ASSERT_EQ(order(&f), WHO_ROOT * 100 + WHO_PEER * 10 + WHO_CLIENT);
	e = find(&f, WHO_ROOT);
	KT_ASSERT_EQ(e->r[1], l4_tag(3, L4_TAG_F_CALL, 5));
	e = find(&f, WHO_CLIENT);
	KT_ASSERT_EQ(e->r[0], 0);
	KT_ASSERT_EQ(e->r[1], l4_tag(7, 0, 3));
	KT_ASSERT_EQ(e->r[4], 0x3000);
}

/* A thread whose store to `addr` (unmapped) faults: its handler gets the fault message. */
static void faulter(uint32_t addr)
{
	*(volatile uint32_t *)addr = 1;
}

KTEST(fastpath_receive_bails_out_on_notifications_owed_replies_and_fault_messages)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag;
	struct kt_thread t;
	uint32_t bits;
	uint64_t fast0 = fast_count();

	KT_ASSERT_EQ(l4_nbrecv(ep, &tag, mr, &badge), -L4_EAGAIN);
	KT_ASSERT_EQ(l4_signal(n, 5), 0);
	KT_ASSERT_EQ(l4_wait(n, &bits), 0);
	KT_ASSERT_EQ(bits, 5);
	KT_ASSERT_EQ(l4_nbrecv(L4_CAP_SLOTS + 3, &tag, mr, &badge), -L4_ECAP);
	KT_ASSERT_EQ(fast_count(), fast0);

	/* A fault message waits: the general path delivers it. */
	KT_ASSERT_EQ(kt_thread_start(&t, faulter, 16, 100, ep, false), 0);
	kt_let_others_run();
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), L4_LABEL_FAULT);
	KT_ASSERT_EQ(mr[0], L4_FAULT_DABT);
	KT_ASSERT_EQ(fast_count(), fast0);
	/* A reply is owed now: an endpoint receive is refused. */
	KT_ASSERT_EQ(l4_nbrecv(ep, &tag, mr, &badge), -L4_EBUSY);
	KT_ASSERT_EQ(fast_count(), fast0);
	kt_thread_destroy(&t);
	l4_cap_delete(n);
	kt_slot_free(n);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/* A sender that sends 9 words (one through the UTCB) or a cap, waiting for a receiver. */
static void odd_sender(uint32_t arg)
{
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4, 5, 6, 7, 8};

	if (arg & 1) {
		l4_utcb()->mr[8] = 0x99;
		l4_send(arg >> 8, l4_tag(2, 0, 9), mr);
	} else {
		mr[0] = ntfn_u;
		l4_send(arg >> 8, l4_tag(2, L4_TAG_F_CAP, 1), mr);
	}
}

KTEST(fastpath_receive_bails_out_on_a_long_message_or_a_cap)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag;
	struct kt_thread t;
	uint64_t fast0;
	unsigned kind;
	uint32_t word8;

	ntfn_u = kt_create(L4_OBJ_NOTIFICATION);
	for (kind = 0; kind < 2; kind++) {
		KT_ASSERT_EQ(kt_thread_start(&t, odd_sender, ep << 8 | kind, 100, 0, false), 0);
		kt_let_others_run(); /* it waits in its send */
		fast0 = fast_count();
		KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
		word8 = l4_utcb()->mr[8]; /* (l4_kstats writes the UTCB) */
		KT_ASSERT_EQ(fast_count(), fast0);
		if (kind) {
			KT_ASSERT_EQ(l4_tag_len(tag), 9);
			KT_ASSERT_EQ(word8, 0x99);
		} else {
			KT_ASSERT_EQ(tag, l4_tag(2, 0, 1)); /* no receive slot: no cap, word 0 */
			KT_ASSERT_EQ(mr[0], 0);
		}
		kt_thread_destroy(&t);
	}
	l4_cap_delete(ntfn_u);
	kt_slot_free(ntfn_u);
	ntfn_u = 0;
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

KTEST(fastpath_receive_bails_out_when_a_bound_notification_is_pending)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag;
	struct kt_thread t;
	uint64_t fast0;

	KT_ASSERT_EQ(l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_BIND, n, 0), 0);
	KT_ASSERT_EQ(kt_thread_start(&t, sender, ep << 8, 100, 0, false), 0);
	kt_let_others_run(); /* it waits in its send */
	KT_ASSERT_EQ(l4_signal(n, 0x8), 0);
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0);
	KT_ASSERT_EQ(l4_tag_label(tag), L4_LABEL_NOTIFY);
	KT_ASSERT_EQ(badge, 0x8);
	KT_ASSERT_EQ(l4_recv(ep, &tag, mr, &badge), 0); /* then the message, fast */
	KT_ASSERT_EQ(tag, l4_tag(4, 0, 4));
	KT_ASSERT_EQ(mr[0], 31);
	KT_ASSERT_EQ(fast_count() - fast0, 1);
	KT_ASSERT_EQ(l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_BIND, 0, 0), 0);
	kt_let_others_run();
	nlog = 0;
	kt_thread_destroy(&t);
	l4_cap_delete(n);
	kt_slot_free(n);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/* Bail-outs: the general path handles these sends, with its results. */
static l4_cap_t bail_ep;
static struct kt_thread bail_recv;

static void bail_start(void)
{
	bail_ep = kt_create(L4_OBJ_ENDPOINT);
	kt_thread_start(&bail_recv, receiver, bail_ep << 8 | WHO_RECV, 200, 0, false);
	kt_let_others_run();
}

static void bail_stop(void)
{
	kt_thread_destroy(&bail_recv);
	l4_cap_delete(bail_ep);
	kt_slot_free(bail_ep);
	nlog = 0;
}

KTEST(fastpath_send_bails_out_without_a_waiting_receiver)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint64_t fast0 = fast_count();

	KT_ASSERT_EQ(l4_nbsend(ep, l4_tag(1, 0, 2), mr), -L4_EAGAIN);
	KT_ASSERT_EQ(fast_count(), fast0);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

KTEST(fastpath_send_bails_out_on_caps_rights_and_types)
{
	l4_cap_t recv_only = kt_slot_alloc(), n = kt_create(L4_OBJ_NOTIFICATION);
	l4_word_t mr[L4_MSG_REGS] = {0};
	uint64_t fast0;

	bail_start();
	KT_ASSERT_EQ(l4_cap_mint(bail_ep, 0, recv_only, L4_RIGHT_RECV, 0), 0);
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_send(recv_only, l4_tag(1, 0, 2), mr), -L4_EPERM);
	KT_ASSERT_EQ(l4_nbsend(recv_only, l4_tag(1, 0, 2), mr), -L4_EPERM);
	KT_ASSERT_EQ(l4_send(n, l4_tag(1, 0, 2), mr), -L4_ETYPE);
	KT_ASSERT_EQ(l4_send(L4_CAP_SLOTS, l4_tag(1, 0, 2), mr), -L4_ECAP);
	KT_ASSERT_EQ(l4_send(L4_CAP_SLOTS - 1, l4_tag(1, 0, 2), mr), -L4_ECAP);
	KT_ASSERT_EQ(l4_send(bail_ep, l4_tag(1, 0, L4_MSG_WORDS + 1), mr), -L4_ERANGE);
	KT_ASSERT_EQ(fast_count(), fast0);
	KT_ASSERT_EQ(nlog, 0); /* the receiver still waits */
	bail_stop();
	l4_cap_delete(recv_only);
	kt_slot_free(recv_only);
	l4_cap_delete(n);
	kt_slot_free(n);
}

KTEST(fastpath_send_bails_out_on_a_long_message)
{
	struct l4_utcb *u = l4_utcb();
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4, 5, 6, 7, 8};
	uint64_t fast0;

	bail_start();
	u->mr[8] = 0x99;
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_send(bail_ep, l4_tag(1, 0, 9), mr), 0);
	KT_ASSERT_EQ(fast_count(), fast0);
	kt_let_others_run();
	KT_ASSERT_EQ(nlog, 1);
	KT_ASSERT_EQ(l4_tag_len(log_[0].r[1]), 9);
	KT_ASSERT_EQ(log_[0].r[10], 8);
	bail_stop();
}

KTEST(fastpath_send_bails_out_on_flags_slowpath_and_cap)
{
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4};
	uint64_t fast0;
	l4_cap_t n;

	bail_start();
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_send(bail_ep, l4_tag(1, L4_TAG_F_SLOWPATH, 4), mr), 0);
	KT_ASSERT_EQ(fast_count(), fast0);
	kt_let_others_run();
	KT_ASSERT_EQ(nlog, 1);
	KT_ASSERT_EQ(log_[0].r[1], l4_tag(1, L4_TAG_F_SLOWPATH, 4));
	bail_stop();

	/* A cap in the message (the general path's): the receiver has no slot for it. */
	bail_start();
	n = kt_create(L4_OBJ_NOTIFICATION);
	mr[0] = n;
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_send(bail_ep, l4_tag(1, L4_TAG_F_CAP, 1), mr), 0);
	KT_ASSERT_EQ(fast_count(), fast0);
	kt_let_others_run();
	l4_cap_delete(n);
	kt_slot_free(n);
	KT_ASSERT_EQ(nlog, 1);
	/* the receiver takes no cap: the message arrives without the flag, the word 0 */
	KT_ASSERT_EQ(log_[0].r[1], l4_tag(1, 0, 1));
	KT_ASSERT_EQ(log_[0].r[2], 0);
	bail_stop();
}

/* A server bound to a notification that is pending when it replies and receives. */
static l4_cap_t bound_n;

static void bound_server(uint32_t ep)
{
	uint32_t r[NREGS];

	fill(r, WHO_SERVER, L4_SYS_RECV, ep, 0);
	raw_svc(r);
	l4_signal(bound_n, 0x40);
	fill(r, WHO_SERVER, L4_SYS_REPLY_RECV, ep, l4_tag(7, 0, 1));
	raw_svc(r);
	log_regs(WHO_SERVER, r); /* what the receive got: the notification */
}

KTEST(fastpath_reply_recv_bails_out_when_a_bound_notification_is_pending)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	l4_word_t mr[L4_MSG_REGS] = {0};
	l4_tag_t tag = l4_tag(1, 0, 1);
	struct kt_thread t;
	uint64_t fast0;

	bound_n = kt_create(L4_OBJ_NOTIFICATION);
	KT_ASSERT_EQ(kt_thread_start(&t, bound_server, ep, 200, 0, false), 0);
	KT_ASSERT_EQ(l4_thread_ctl(t.cap, L4_THREAD_BIND, bound_n, 0), 0);
	kt_let_others_run();
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_call(ep, &tag, mr), 0);
	KT_ASSERT_EQ(fast_count() - fast0, 1); /* the call; the reply went the general way */
	KT_ASSERT_EQ(l4_tag_label(tag), 7);
	kt_let_others_run();
	KT_ASSERT_EQ(nlog, 1);
	KT_ASSERT_EQ(log_[0].r[1] >> L4_TAG_LABEL_SHIFT, L4_LABEL_NOTIFY);
	KT_ASSERT_EQ(log_[0].r[11], 0x40);
	nlog = 0;
	kt_thread_destroy(&t);
	l4_cap_delete(bound_n);
	kt_slot_free(bound_n);
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/* Receives a call, waits for ntfn_go, then replies and receives: a second call is queued by then. */
static void slow_server(uint32_t ep)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;
	uint32_t bits;

	l4_recv(ep, &tag, mr, &badge);
	l4_wait(ntfn_go, &bits);
	for (;;) {
		mr[0] += 100;
		tag = l4_tag(8, 0, 1);
		l4_reply_recv(ep, &tag, mr, &badge);
	}
}

/* Calls (arg >> 8) with its WHO in MR0 and logs the reply. */
static void caller(uint32_t arg)
{
	uint32_t r[NREGS];

	fill(r, arg & 0xff, L4_SYS_CALL, arg >> 8, l4_tag(3, 0, 1));
	r[2] = arg & 0xff;
	raw_svc(r);
	log_regs(arg & 0xff, r);
}

KTEST(fastpath_reply_recv_bails_out_when_a_sender_waits)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT);
	uint64_t fast0;

	ntfn_go = kt_create(L4_OBJ_NOTIFICATION);
	start(slow_server, ep, 150);
	start(caller, ep << 8 | WHO_CLIENT, 100);
	start(caller, ep << 8 | WHO_PEER, 90);
	kt_let_others_run(); /* the first call waits for its reply, the second in the queue */
	KT_ASSERT_EQ(nlog, 0);
	fast0 = fast_count();
	l4_signal(ntfn_go, 1);
	kt_let_others_run();
	/* the reply-and-receive found the second call queued: general path, then the fastpath */
	KT_ASSERT_EQ(fast_count() - fast0, 1);
	KT_ASSERT_EQ(nlog, 2);
	KT_ASSERT_EQ(log_[0].who, WHO_CLIENT);
	KT_ASSERT_EQ(log_[1].who, WHO_PEER);
	KT_ASSERT_EQ(log_[0].r[2], WHO_CLIENT + 100);
	KT_ASSERT_EQ(log_[1].r[2], WHO_PEER + 100);
	nlog = 0;
	while (nth)
		kt_thread_destroy(&th[--nth]);
	l4_cap_delete(ntfn_go);
	kt_slot_free(ntfn_go);
	ntfn_go = 0;
	l4_cap_delete(ep);
	kt_slot_free(ep);
}

/* Cross-space: a receiver in its own space sends back what it got (both ways fast). */
static void echo_back(uint32_t unused)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	l4_tag_t tag = 0;

	(void)unused;
	l4_recv(CHILD_EP, &tag, mr, &badge);
	mr[4] = badge;
	l4_send(CHILD_OUT, l4_tag(l4_tag_label(tag) + 1, 0, 5), mr);
}

KTEST(fastpath_send_across_spaces_with_a_badge)
{
	l4_cap_t ep = kt_create(L4_OBJ_ENDPOINT), out = kt_create(L4_OBJ_ENDPOINT);
	l4_cap_t badged = kt_slot_alloc();
	l4_word_t mr[L4_MSG_REGS] = {21, 22, 23, 24}, badge;
	l4_tag_t tag = 0;
	struct kt_thread t;
	uint64_t fast0;

	KT_ASSERT_EQ(l4_cap_mint(ep, 0, badged, L4_RIGHT_SEND, 0x77), 0);
	KT_ASSERT_EQ(kt_thread_start(&t, echo_back, 0, 100, 0, true), 0);
	KT_ASSERT_EQ(kt_thread_give(&t, ep, CHILD_EP), 0);
	KT_ASSERT_EQ(kt_thread_give(&t, out, CHILD_OUT), 0);
	kt_let_others_run(); /* it waits */
	fast0 = fast_count();
	KT_ASSERT_EQ(l4_send(badged, l4_tag(5, 0, 4), mr), 0); /* to a less urgent receiver */
	KT_ASSERT_EQ(l4_recv(out, &tag, mr, &badge), 0);       /* its send to us, more urgent */
	KT_ASSERT_EQ(fast_count() - fast0, 2);
	KT_ASSERT_EQ(tag, l4_tag(6, 0, 5));
	KT_ASSERT_EQ(mr[0], 21);
	KT_ASSERT_EQ(mr[3], 24);
	KT_ASSERT_EQ(mr[4], 0x77);
	kt_thread_destroy(&t);
	l4_cap_delete(badged);
	kt_slot_free(badged);
	l4_cap_delete(ep);
	kt_slot_free(ep);
	l4_cap_delete(out);
	kt_slot_free(out);
}
