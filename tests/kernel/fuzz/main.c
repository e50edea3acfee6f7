/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Syscall fuzzer: seeded random system calls from two spaces and a partner in a third,
 * every round torn down and checked: every kernel pool as before, every interrupt line
 * free, and a known-good IPC still right. A kernel fault ends the run (a panic).
 */
#include "kthread.h"
#include "ktest.h"

#include <string.h>

/* The build sets both (tests/SConscript): the seed follows the date unless given. */
#ifndef FUZZ_SEED
#define FUZZ_SEED 1
#endif
#ifndef FUZZ_ROUNDS
#define FUZZ_ROUNDS 50
#endif
/* To repeat one round of a long run (its rounds depend only on the seed and their number). */
#ifndef FUZZ_FIRST_ROUND
#define FUZZ_FIRST_ROUND 0
#endif

#define FUZZ_CALLS  1000 /* per fuzz thread and round */
#define CHILD_CALLS 100	 /* per thread a fuzz thread starts */
#define PRIO	    100	 /* fuzz threads and partner; the threads they start run below */
#define SLICE_US    200
#define TICK	    3125 /* watchdog: 50 us of the 62.5 MHz virtual counter */
#define STUCK_TICKS 8	 /* no call for 400 us (two slices of each peer): blocked */
#define ROUND_TICKS 4000 /* a round ends after 200 ms of virtual time at the latest */
#define IRQ_LINES   288	 /* GIC lines of QEMU virt */
#define VTIMER_IRQ  27

/* Every fuzz space: its stack and UTCB, and the range it mostly maps and unmaps in. */
#define STACK_TOP   0x70000000u
#define STACK_PAGES 2
#define UTCB_VA	    0x70001000u
#define PLAY	    0x10000000u
#define PLAY_SIZE   0x01000000u

/* The slots of a fuzz space's table (the partner has S_SPACE, S_EP, S_NTFN, S_RECV). */
enum {
	S_SPACE = 1,   /* its own space */
	S_THREAD,      /* empty: a fuzzer that lowered its own priority would starve */
	S_KMEM,	       /* a copy of the round's kmem quota cap */
	S_DEVICE,      /* the virtio window */
	S_IMAGE,       /* the root's text (read, execute) */
	S_IRQCTL,      /* a copy of the round's irq-control cap */
	S_EP,	       /* the partner's endpoint */
	S_NTFN,	       /* a notification the partner signals */
	S_OTHER_SPACE, /* the other fuzzer's space */
	S_SYSTEM,      /* a system cap without CONTROL */
	S_PARK,	       /* a notification nobody signals: where started threads end */
	S_FREE = 16,   /* what the fuzzer makes goes mostly to [S_FREE, S_FREE + 24) */
	S_RECV = 20,   /* the partner's receive slot */
};

enum { ROLE_A, ROLE_B, ROLE_PARTNER, ROLES };

/* Set by the root before it copies its data for a fuzz thread. */
static struct {
	uint32_t role, seed;
} cfg;

#define NR_SLOTS 0x44 /* system-call numbers counted one by one; the last: unknown ones */
_Static_assert(L4_SYS_DEBUG_KSTAT < NR_SLOTS - 1, "every known number has its own count");

/* Written by the fuzz threads into their private data; the root reads it through its alias. */
static struct fuzz_stats {
	uint32_t calls;		     /* system calls made (the watchdog's sign of progress) */
	uint32_t bad;		     /* results that are neither 0, a count nor -L4_E* */
	uint32_t bad_nr, bad_ret;    /* the first one */
	uint32_t bad_in[8];	     /* ... its arguments r0..r7 */
	uint32_t by_nr[NR_SLOTS];    /* calls per number */
	uint32_t ok_by_nr[NR_SLOTS]; /* ... that returned 0 or a count */
	uint32_t by_err[16];	     /* results -1..-15 */
} st;

void fuzz_svc(uint32_t r[12]);
__attribute__((noreturn)) void fuzz_done(void);

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

static bool chance(unsigned percent)
{
	return below(100) < percent;
}

/* splitmix32: independent seeds from (seed, round, role). */
static uint32_t mix(uint32_t x)
{
	x += 0x9e3779b9u;
	x = (x ^ (x >> 16)) * 0x85ebca6bu;
	x = (x ^ (x >> 13)) * 0xc2b2ae35u;
	x ^= x >> 16;
	return x ? x : 1;
}

/* Boundary values: zero, ones, alignments, the kernel half, RAM, the device window. */
static uint32_t special(void)
{
	static const uint32_t v[] = {0,
				     1,
				     2,
				     3,
				     0x7f,
				     0x80,
				     0xff,
				     0x100,
				     0xfff,
				     0x1000,
				     0xffff,
				     0x100000,
				     0x7fffffff,
				     0x80000000u,
				     0xc0000000u,
				     0xfffff000u,
				     0xffffffffu,
				     L4_USER_TOP - L4_PAGE_SIZE,
				     L4_USER_TOP - 4,
				     0x0a000000u,
				     0x40000000u,
				     L4_CAP_SLOTS,
				     L4_CAP_SLOTS - 1};

	return chance(70) ? v[below(sizeof(v) / sizeof(v[0]))] : rnd();
}

/*
 * What the fuzzer believes each slot of its table holds (L4_OBJ_*): set by its own
 * successful calls, so often right and sometimes stale, which is fine for a fuzzer.
 */
static uint8_t kind[L4_CAP_SLOTS];

/* A slot believed to hold a `type` cap, or 0 when there is none. */
static uint32_t slot_of(unsigned type)
{
	unsigned i, n = 0, k;

	for (i = 1; i < L4_CAP_SLOTS; i++)
		n += kind[i] == type;
	if (!n)
		return 0;
	k = below(n);
	for (i = 1;; i++)
		if (kind[i] == type && !k--)
			return i;
}

/* A capability slot: mostly one that holds something, sometimes any value. */
static uint32_t any_slot(void)
{
	switch (below(10)) {
	case 0:
		return below(L4_CAP_SLOTS);
	case 1:
		return special();
	case 2:
	case 3:
	case 4:
	case 5:
		return S_FREE + below(24);
	default:
		return 1 + below(S_PARK);
	}
}

static uint32_t free_slot(void)
{
	return chance(85) ? S_FREE + below(24) : any_slot();
}

/* Slots the fuzzer may empty: rarely the ones it was given. */
static uint32_t own_slot(void)
{
	return chance(95) ? S_FREE + below(24) : any_slot();
}

static uint32_t ipc_slot(void)
{
	uint32_t s;

	if (chance(30) && (s = slot_of(chance(70) ? L4_OBJ_ENDPOINT : L4_OBJ_NOTIFICATION)))
		return s;
	switch (below(10)) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
		return S_EP;
	case 5:
		return S_NTFN;
	default:
		return any_slot();
	}
}

static uint32_t space_slot(void)
{
	uint32_t s;

	if (chance(30) && (s = slot_of(L4_OBJ_SPACE)))
		return s;
	switch (below(8)) {
	case 0:
	case 1:
	case 2:
		return S_SPACE;
	case 3:
		return S_OTHER_SPACE;
	case 4:
		return 0;
	default:
		return any_slot();
	}
}

static uint32_t thread_slot(void)
{
	uint32_t s;

	if (chance(70) && (s = slot_of(L4_OBJ_THREAD)))
		return s;
	return chance(80) ? S_FREE + below(24) : any_slot();
}

static uint32_t typed_slot(unsigned type)
{
	uint32_t s;

	return chance(70) && (s = slot_of(type)) ? s : any_slot();
}

/* The last few addresses the fuzzer mapped something at (learn()). */
static uint32_t mapped_va[4];

/*
 * Mostly a page in the playground: often one it mapped lately or one of its first 16
 * pages (so that maps, protects, UTCBs and IPC meet on the same pages); sometimes
 * unaligned, anywhere, or the fuzzer's own pages.
 */
static uint32_t any_va(void)
{
	uint32_t p = below(1000);

	if (p < 250 && mapped_va[p & 3])
		return mapped_va[p & 3];
	if (p < 450)
		return PLAY + (below(16) << 12);
	if (p < 700)
		return PLAY + (below(PLAY_SIZE / L4_PAGE_SIZE) << 12);
	if (p < 800)
		return PLAY + below(PLAY_SIZE);
	if (p < 900)
		return special();
	if (p < 995)
		return rnd() & ~0xfffu;
	return STACK_TOP - 0x4000u + (below(8) << 12); /* stack, UTCB: usually ends this fuzzer */
}

static uint32_t any_size(void)
{
	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return L4_SECTION_SIZE;
	case 2:
		return (L4_MAP_MAX_UNITS + 1) * L4_PAGE_SIZE;
	case 3:
		return special();
	default:
		return (1 + below(4)) * L4_PAGE_SIZE;
	}
}

/* Mostly R, RW or RX; sometimes W^X broken, R missing, or junk bits. */
static uint32_t any_perm(void)
{
	static const uint8_t good[] = {L4_PERM_R, L4_PERM_R | L4_PERM_W, L4_PERM_R | L4_PERM_X};

	return chance(70) ? good[below(3)] : chance(90) ? below(8) : rnd();
}

static uint32_t any_tag(void)
{
	uint32_t len = chance(70)   ? below(L4_MSG_REGS + 1)
		       : chance(80) ? below(L4_MSG_WORDS + 1)
				    : below(L4_TAG_LEN_MASK + 1);
	uint32_t flags = chance(60) ? 0 : rnd() & 0xff;

	if (chance(15))
		flags |= L4_TAG_F_CAP;
	if (chance(30))
		flags |= L4_TAG_F_SLOWPATH;
	return (rnd() << L4_TAG_LABEL_SHIFT) | (flags << L4_TAG_FLAGS_SHIFT) | len;
}

static uint32_t child_stack(void)
{
	static uint8_t stacks[8][1024] __attribute__((aligned(8)));

	return chance(90) ? (uint32_t)stacks[below(8)] + sizeof(stacks[0]) : special();
}

static void fuzz_child(void);

static uint32_t any_pc(void)
{
	return chance(95) ? (uint32_t)fuzz_child : chance(50) ? (uint32_t)fuzz_done : special();
}

/* The register of message word i (MR0..MR4 in r2..r6, MR5..MR7 in r8..r10). */
static unsigned mr_reg(unsigned i)
{
	return i < 5 ? 2 + i : 3 + i;
}

/* Random words into the UTCB (only fuzz threads, whose UTCB the root mapped). */
static void fill_utcb(unsigned from, unsigned to, bool mine)
{
	uint32_t *u = (uint32_t *)l4_utcb();
	unsigned i;

	if (!mine || (uint32_t)u != UTCB_VA)
		return;
	for (i = from; i < to; i++)
		u[i] = chance(50) ? rnd() : any_slot();
}

static const struct {
	uint8_t nr, weight;
} table[] = {
	{L4_SYS_CALL, 6},	 {L4_SYS_REPLY_RECV, 3},
	{L4_SYS_SEND, 2},	 {L4_SYS_NBSEND, 6},
	{L4_SYS_RECV, 2},	 {L4_SYS_NBRECV, 6},
	{L4_SYS_REPLY, 4},	 {L4_SYS_YIELD, 2},
	{L4_SYS_SIGNAL, 5},	 {L4_SYS_CAP_COPY, 6},
	{L4_SYS_CAP_MINT, 6},	 {L4_SYS_CAP_DELETE, 5},
	{L4_SYS_CAP_REVOKE, 2},	 {L4_SYS_CAP_INFO, 3},
	{L4_SYS_CREATE, 8},	 {L4_SYS_THREAD_CONFIG, 5},
	{L4_SYS_THREAD_CTL, 9},	 {L4_SYS_THREAD_REGS, 3},
	{L4_SYS_MAP, 8},	 {L4_SYS_UNMAP, 4},
	{L4_SYS_PROTECT, 4},	 {L4_SYS_IRQ_GET, 3},
	{L4_SYS_IRQ_SET, 3},	 {L4_SYS_IRQ_ACK, 2},
	{L4_SYS_SYSTEM, 2},	 {L4_SYS_DEBUG_WRITE, 1},
	{L4_SYS_DEBUG_KSTAT, 1}, {0, 2}, /* a number the kernel does not know */
};

static uint32_t pick(void)
{
	static unsigned total;
	unsigned i, w;

	if (below(1000) == 0)
		return L4_SYS_DEBUG_PUTC; /* rare: it prints */
	if (!total)
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			total += table[i].weight;
	w = below(total);
	for (i = 0;; i++) {
		if (w < table[i].weight)
			break;
		w -= table[i].weight;
	}
	return table[i].nr;
}

static bool known(uint32_t nr)
{
	unsigned i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].nr && table[i].nr == nr)
			return true;
	return nr == L4_SYS_DEBUG_PUTC;
}

static uint32_t unknown_nr(void)
{
	uint32_t nr;

	do
		nr = chance(80) ? below(0x100) : rnd();
	while (known(nr) || nr == L4_SYS_DEBUG_PUTC);
	return nr;
}

static void gen_ipc(uint32_t *r, bool mine)
{
	unsigned len;

	r[0] = ipc_slot();
	r[1] = any_tag();
	len = r[1] & L4_TAG_LEN_MASK;
	if ((r[1] & (L4_TAG_F_CAP << L4_TAG_FLAGS_SHIFT)) && len && len <= L4_MSG_REGS)
		r[mr_reg(len - 1)] = any_slot();
	if (len > L4_MSG_REGS && chance(30))
		fill_utcb(L4_MSG_REGS, len < L4_MSG_WORDS ? len : L4_MSG_WORDS, mine);
}

static void gen_thread_ctl(uint32_t *r)
{
	r[0] = thread_slot();
	r[1] = chance(95) ? 1 + below(L4_THREAD_SET_RECV_SLOT) : special();
	switch (r[1]) {
	case L4_THREAD_START:
		r[2] = any_pc();
		r[3] = child_stack();
		break;
	case L4_THREAD_SET_PRIO:
		r[2] = chance(90) ? below(PRIO) : special();
		break;
	case L4_THREAD_BIND:
		r[2] = chance(20) ? 0 : typed_slot(L4_OBJ_NOTIFICATION);
		break;
	case L4_THREAD_SET_SLICE:
		r[2] = chance(90) ? below(2000) : special();
		break;
	case L4_THREAD_SET_RECV_SLOT:
		r[2] = chance(20) ? 0 : free_slot();
		break;
	default:
		break;
	}
}

/* Arguments for one call of `nr`: random words, shaped to reach past the first checks. */
static void gen(uint32_t nr, uint32_t *r, bool mine)
{
	unsigned i;

	for (i = 0; i < 12; i++)
		r[i] = chance(50) ? rnd() : any_slot();
	r[7] = nr;
	switch (nr) {
	case L4_SYS_CALL:
	case L4_SYS_REPLY_RECV:
	case L4_SYS_SEND:
	case L4_SYS_NBSEND:
	case L4_SYS_RECV:
	case L4_SYS_NBRECV:
	case L4_SYS_REPLY:
		gen_ipc(r, mine);
		break;
	case L4_SYS_SIGNAL:
		r[0] = chance(60) ? S_NTFN : any_slot();
		break;
	case L4_SYS_CAP_COPY:
	case L4_SYS_CAP_MINT:
		r[0] = any_slot();
		r[1] = space_slot();
		r[2] = free_slot();
		r[3] = chance(80) ? rnd() & L4_RIGHTS_ALL : rnd();
		r[4] = chance(50) ? 0 : rnd();
		break;
	case L4_SYS_CAP_DELETE:
	case L4_SYS_CAP_REVOKE:
		r[0] = own_slot();
		break;
	case L4_SYS_CAP_INFO:
		r[0] = any_slot();
		break;
	case L4_SYS_CREATE:
		r[0] = chance(80) ? S_KMEM : typed_slot(L4_OBJ_KMEM);
		r[1] = chance(90) ? 1 + below(L4_OBJ_SPACE) : chance(50) ? L4_OBJ_KMEM : special();
		r[2] = free_slot();
		r[3] = chance(80) ? rnd() & 0x07070707u : rnd(); /* a quota's limits */
		r[4] = chance(80) ? rnd() & 0x0307u : rnd();
		break;
	case L4_SYS_THREAD_CONFIG:
		r[0] = thread_slot();
		r[1] = space_slot();
		r[2] = chance(30)   ? UTCB_VA
		       : chance(70) ? any_va() & ~(L4_UTCB_ALIGN - 1)
				    : special();
		r[3] = chance(10) ? 0 : ipc_slot();
		r[4] = chance(90) ? below(PRIO) : special();
		break;
	case L4_SYS_THREAD_CTL:
		gen_thread_ctl(r);
		break;
	case L4_SYS_THREAD_REGS:
		r[0] = thread_slot();
		r[1] = chance(90) ? below(2) : special();
		if (r[1] == 1 && mine && (uint32_t)l4_utcb() == UTCB_VA) {
			fill_utcb(0, 17, mine);
			((uint32_t *)l4_utcb())[15] = any_pc(); /* pc */
			((uint32_t *)l4_utcb())[13] = child_stack();
		}
		break;
	case L4_SYS_MAP:
		r[0] = space_slot();
		r[1] = chance(45) ? S_DEVICE : chance(80) ? S_IMAGE : any_slot();
		r[2] = chance(80) ? below(4) << 12 : special();
		r[3] = any_va();
		r[4] = any_size();
		r[5] = any_perm();
		break;
	case L4_SYS_UNMAP:
	case L4_SYS_PROTECT:
		r[0] = space_slot();
		r[1] = any_va();
		r[2] = any_size();
		r[3] = any_perm();
		break;
	case L4_SYS_IRQ_GET:
		r[0] = chance(90) ? S_IRQCTL : any_slot();
		r[1] = chance(90) ? 16 + below(IRQ_LINES - 16) : special();
		r[2] = free_slot();
		break;
	case L4_SYS_IRQ_SET:
	case L4_SYS_IRQ_ACK:
		r[0] = typed_slot(L4_OBJ_IRQ);
		r[1] = typed_slot(L4_OBJ_NOTIFICATION);
		break;
	case L4_SYS_SYSTEM:
		r[0] = chance(50) ? S_SYSTEM : any_slot();
		r[1] = below(8);
		break;
	case L4_SYS_DEBUG_PUTC:
		r[0] = '\n';
		break;
	case L4_SYS_DEBUG_WRITE:
		/* Never readable text: a kernel or wrapping address, or a length past the limit. */
		r[0] = chance(50) ? 0x80000000u + below(0x80000000u) : special();
		r[1] = chance(20)   ? 0
		       : chance(40) ? 1 + below(L4_DEBUG_WRITE_MAX)
		       : chance(50) ? L4_DEBUG_WRITE_MAX + 1 + below(100)
				    : rnd();
		if (r[1] && r[1] <= L4_DEBUG_WRITE_MAX && r[0] < L4_USER_TOP)
			r[0] |= 0x80000000u;
		break;
	case L4_SYS_DEBUG_KSTAT:
		r[0] = below(5);
		break;
	default:
		r[7] = unknown_nr();
		break;
	}
}

/* 0, -L4_E*, or a count from the calls that return one. */
static bool result_ok(uint32_t nr, int32_t ret)
{
	if (ret <= 0 && ret >= -L4_ERANGE)
		return true;
	return ret > 0 && (nr == L4_SYS_DEBUG_WRITE || nr == L4_SYS_DEBUG_KSTAT);
}

/* What a successful call `nr` with the original arguments `in` changed in the table. */
static void learn(uint32_t nr, const uint32_t *in)
{
	switch (nr) {
	case L4_SYS_CREATE:
		if (in[2] < L4_CAP_SLOTS)
			kind[in[2]] = (uint8_t)in[1];
		break;
	case L4_SYS_IRQ_GET:
		if (in[2] < L4_CAP_SLOTS)
			kind[in[2]] = L4_OBJ_IRQ;
		break;
	case L4_SYS_CAP_COPY:
	case L4_SYS_CAP_MINT:
		if ((in[1] == 0 || in[1] == S_SPACE) && in[2] < L4_CAP_SLOTS &&
		    in[0] < L4_CAP_SLOTS)
			kind[in[2]] = kind[in[0]];
		break;
	case L4_SYS_CAP_DELETE:
		if (in[0] < L4_CAP_SLOTS)
			kind[in[0]] = 0;
		break;
	case L4_SYS_MAP:
		mapped_va[rnd() & 3] = in[3];
		break;
	default:
		break;
	}
}

static void fuzz_loop(uint32_t n, bool mine)
{
	uint32_t r[12], in[12], nr;
	int32_t ret;

	while (n--) {
		gen(pick(), r, mine);
		nr = r[7];
		memcpy(in, r, sizeof(in));
		st.calls++;
		fuzz_svc(r);
		ret = (int32_t)r[0];
		if (!known(nr)) {
			st.by_nr[NR_SLOTS - 1]++;
			continue; /* its fault handler resumed it; r0 is what it was */
		}
		st.by_nr[nr]++;
		if (ret >= 0) {
			st.ok_by_nr[nr]++;
			learn(nr, in);
		} else if (ret > -16)
			st.by_err[-ret]++;
		/*
		 * Only the fuzz threads' own results are checked: the threads they start may
		 * be resumed with registers read from another one (L4_SYS_THREAD_REGS), and then
		 * run on its stack and see its call's registers.
		 */
		if (mine && !result_ok(nr, ret) && !st.bad++) {
			st.bad_nr = nr;
			st.bad_ret = (uint32_t)ret;
			memcpy(st.bad_in, in, sizeof(st.bad_in));
		}
	}
}

/* A fuzz thread (A or B): FUZZ_CALLS calls, then it tells the root it is done. */
static void fuzz_main(void)
{
	static const uint8_t given[] = {
		[S_SPACE] = L4_OBJ_SPACE,	 [S_KMEM] = L4_OBJ_KMEM,
		[S_DEVICE] = L4_OBJ_MEMORY,	 [S_IMAGE] = L4_OBJ_MEMORY,
		[S_IRQCTL] = L4_OBJ_IRQ_CONTROL, [S_EP] = L4_OBJ_ENDPOINT,
		[S_NTFN] = L4_OBJ_NOTIFICATION,	 [S_OTHER_SPACE] = L4_OBJ_SPACE,
		[S_SYSTEM] = L4_OBJ_SYSTEM,	 [S_PARK] = L4_OBJ_NOTIFICATION,
	};

	memcpy(kind, given, sizeof(given));
	rng = cfg.seed;
	fuzz_loop(FUZZ_CALLS, true);
	fuzz_done();
}

/* Where the threads a fuzz thread starts go: a few calls, then parked for good. */
static void fuzz_child(void)
{
	uint32_t bits;
	int err;

	fuzz_loop(CHILD_CALLS, false);
	do
		err = l4_wait(S_PARK, &bits); /* suspended and resumed: -L4_EAGAIN */
	while (!err || err == -L4_EAGAIN);
	fuzz_done();
}

/* The partner: answers every call with a random reply, sends and signals now and then. */
static void partner_main(void)
{
	l4_word_t mr[L4_MSG_REGS], badge = 0;
	l4_tag_t tag = 0;
	unsigned i, len;
	int err;

	rng = cfg.seed;
	err = l4_recv(S_EP, &tag, mr, &badge);
	for (;;) {
		st.calls++;
		if (!err && (l4_tag_flags(tag) & L4_TAG_F_CAP))
			l4_cap_delete(S_RECV);
		if (chance(10))
			l4_signal(S_NTFN, rnd());
		for (i = 0; i < L4_MSG_REGS; i++)
			mr[i] = rnd();
		if (chance(10))
			l4_nbsend(S_EP, l4_tag(below(0x10000), 0, below(L4_MSG_REGS + 1)), mr);
		if (err || !(l4_tag_flags(tag) & L4_TAG_F_CALL)) {
			err = l4_recv(S_EP, &tag, mr, &badge);
			continue;
		}
		/* A fault message's reply label is resume, new pc, or stop (anything else). */
		len = chance(80) ? below(L4_MSG_REGS + 1) : below(L4_MSG_WORDS + 1);
		if (len > L4_MSG_REGS)
			fill_utcb(L4_MSG_REGS, len, true);
		if (chance(20) && len && len <= L4_MSG_REGS) {
			mr[len - 1] = S_NTFN;
			tag = l4_tag(below(4), L4_TAG_F_CAP, len);
		} else {
			tag = l4_tag(chance(50) ? below(4) : below(0x10000), 0, len);
		}
		err = l4_reply_recv(S_EP, &tag, mr, &badge);
	}
}

/* ---------------------------------------------------------------- the root */

extern char __data_start[], __bss_end[];

static uint32_t data_start(void)
{
	return (uint32_t)__data_start & ~(L4_PAGE_SIZE - 1);
}

static uint32_t data_size(void)
{
	return (((uint32_t)__bss_end + L4_PAGE_SIZE - 1) & ~(L4_PAGE_SIZE - 1)) - data_start();
}

/* Memory of each role, allocated once: stack, UTCB and a private copy of the data. */
static struct {
	uint32_t stack_off, utcb_off, data_off;
	uint8_t *data; /* the root's view of the copy */
} mem[ROLES];

/* What one round made (slots of the root's table). */
static struct {
	l4_cap_t kmem, irqctl, ep, ntfn, park[ROLES];
	l4_cap_t space[ROLES], thread[ROLES], fault[ROLES];
} rd;

static l4_cap_t report, tick_ntfn, tick_irq;

/* The fuzz threads' results so far, and what the root saw. */
static struct fuzz_stats total;
static uint32_t done_ok, crashed, timeouts, unstuck, fault_resumes, starved;
static uint32_t stuck_in[NR_SLOTS];

static struct fuzz_stats *stats_of(unsigned role)
{
	return (struct fuzz_stats *)(uintptr_t)((uint32_t)mem[role].data + (uint32_t)&st -
						data_start());
}

extern char fuzz_svc_return[];

/* Why a fuzz thread made no progress for a tick: blocked in which call, or not running. */
static void where_stuck(l4_cap_t thread)
{
	const uint32_t *regs = (const uint32_t *)l4_utcb();

	if (l4_thread_regs(thread, 0) != 0)
		return;
	if (regs[15] == (uint32_t)fuzz_svc_return)
		stuck_in[regs[7] < NR_SLOTS - 1 ? regs[7] : NR_SLOTS - 1]++;
	else
		starved++;
}

static inline void vtimer_arm(uint32_t ticks)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 0" : : "r"(ticks));	  /* CNTV_TVAL */
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(1)); /* CNTV_CTL = ENABLE */
}

static inline void vtimer_stop(void)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" : : "r"(2)); /* IMASK */
}

static int alloc_memory(void)
{
	unsigned i;

	for (i = 0; i < ROLES; i++) {
		if (!kt_alloc_pages(STACK_PAGES, &mem[i].stack_off) ||
		    !kt_alloc_pages(1, &mem[i].utcb_off) ||
		    !(mem[i].data = kt_alloc_pages(data_size() / L4_PAGE_SIZE, &mem[i].data_off)))
			return -L4_ENOMEM;
	}
	return 0;
}

static int map_role(unsigned role)
{
	l4_cap_t s = rd.space[role];
	int err;

	err = l4_map(s, L4_ROOT_CAP_IMAGE, 0, ktest_bootinfo->image_base,
		     ktest_bootinfo->image_size, L4_PERM_R | L4_PERM_X);
	if (!err)
		err = l4_map(s, L4_ROOT_CAP_RAM, mem[role].stack_off,
			     STACK_TOP - STACK_PAGES * L4_PAGE_SIZE, STACK_PAGES * L4_PAGE_SIZE,
			     L4_PERM_R | L4_PERM_W);
	if (!err)
		err = l4_map(s, L4_ROOT_CAP_RAM, mem[role].utcb_off, UTCB_VA, L4_PAGE_SIZE,
			     L4_PERM_R | L4_PERM_W);
	if (!err)
		err = l4_map(s, L4_ROOT_CAP_RAM, mem[role].data_off, data_start(), data_size(),
			     L4_PERM_R | L4_PERM_W);
	return err;
}

static int give(l4_cap_t src, unsigned role, l4_cap_t slot)
{
	return l4_cap_copy(src, rd.space[role], slot);
}

static int give_caps(unsigned role)
{
	l4_cap_t sys;
	int err = 0;

	err |= give(rd.space[role], role, S_SPACE);
	err |= give(rd.ep, role, S_EP);
	err |= give(rd.ntfn, role, S_NTFN);
	if (role == ROLE_PARTNER)
		return err;
	err |= give(rd.kmem, role, S_KMEM);
	err |= give(L4_ROOT_CAP_DEVICE, role, S_DEVICE);
	err |= give(L4_ROOT_CAP_IMAGE, role, S_IMAGE);
	err |= give(rd.irqctl, role, S_IRQCTL);
	err |= give(rd.space[role == ROLE_A ? ROLE_B : ROLE_A], role, S_OTHER_SPACE);
	err |= give(rd.park[role], role, S_PARK);
	sys = kt_slot_alloc();
	err |= l4_cap_mint(L4_ROOT_CAP_SYSTEM, 0, sys, L4_RIGHT_GRANT, 0);
	err |= give(sys, role, S_SYSTEM);
	l4_cap_delete(sys);
	kt_slot_free(sys);
	return err;
}

static l4_cap_t make(unsigned type)
{
	l4_cap_t s = kt_slot_alloc();

	if (s && l4_create(rd.kmem, type, s) != 0) {
		kt_slot_free(s);
		return 0;
	}
	return s;
}

/* A fresh copy of the data, its memory and caps, then the thread runs. */
static int start_role(unsigned role, uint32_t seed)
{
	l4_cap_t t = rd.thread[role];
	int err;

	cfg.role = role;
	cfg.seed = mix(seed ^ (role * 0x1000193u));
	memcpy(mem[role].data, (const void *)data_start(), data_size());
	err = map_role(role);
	if (!err)
		err = give_caps(role);
	/* Its maximum stays below its own priority: what it starts never starves it. */
	if (!err)
		err = l4_thread_config(t, rd.space[role], UTCB_VA, rd.fault[role], PRIO - 1);
	if (!err)
		err = l4_thread_ctl(t, L4_THREAD_SET_PRIO, PRIO, 0);
	if (!err)
		err = l4_thread_ctl(t, L4_THREAD_SET_SLICE, SLICE_US, 0);
	if (!err)
		err = l4_thread_start(
			t, role == ROLE_PARTNER ? (uint32_t)partner_main : (uint32_t)fuzz_main,
			STACK_TOP);
	return err;
}

/* Everything of a round comes from one kmem quota: revoking it takes it all back. */
static int round_setup(uint32_t seed)
{
	unsigned i;
	int err = 0;

	memset(&rd, 0, sizeof(rd));
	rd.kmem = kt_slot_alloc();
	rd.irqctl = kt_slot_alloc();
	/* The round's quota: the fuzzers reach its limits, never the pools' (the root's). */
	if (l4_create_kmem(L4_ROOT_CAP_KMEM, rd.kmem, 40, 8, 40, 40, 60, 8) ||
	    l4_cap_copy(L4_ROOT_CAP_IRQ_CONTROL, 0, rd.irqctl))
		return -L4_ENOMEM;
	rd.ep = make(L4_OBJ_ENDPOINT);
	rd.ntfn = make(L4_OBJ_NOTIFICATION);
	for (i = 0; i < ROLES; i++) {
		rd.space[i] = make(L4_OBJ_SPACE);
		rd.thread[i] = make(L4_OBJ_THREAD);
		rd.park[i] = make(L4_OBJ_NOTIFICATION);
		rd.fault[i] = kt_slot_alloc();
		if (!rd.space[i] || !rd.thread[i] || !rd.park[i] || !rd.fault[i])
			return -L4_ENOMEM;
		err |= l4_cap_mint(report, 0, rd.fault[i], L4_RIGHT_SEND, i + 1);
	}
	for (i = 0; i < ROLES && !err; i++)
		err = start_role(i, seed);
	/* Where caps sent to them land: a fixed slot for the partner, any for the fuzzers. */
	if (!err)
		err = l4_thread_set_recv_slot(rd.thread[ROLE_PARTNER], S_RECV);
	for (i = ROLE_A; i <= ROLE_B && !err; i++)
		err = l4_thread_set_recv_slot(rd.thread[i], S_FREE + seed % 24);
	return err;
}

/* Runs a round: faults and the end of each fuzz thread come to `report`, ticks too. */
static int round_run(void)
{
	l4_word_t mr[L4_MSG_REGS], badge;
	uint32_t last[2] = {0, 0}, still[2] = {0, 0}, ticks = 0;
	bool done[2] = {false, false};
	l4_tag_t tag;
	unsigned i;
	int err;

	l4_irq_ack(tick_irq); /* a tick may have come after the last round ended */
	vtimer_arm(TICK);
	while (!(done[ROLE_A] && done[ROLE_B])) {
		err = l4_recv(report, &tag, mr, &badge);
		if (err)
			return err;
		if (l4_tag_label(tag) == L4_LABEL_NOTIFY) {
			if (++ticks == ROUND_TICKS) {
				timeouts++;
				break;
			}
			for (i = ROLE_A; i <= ROLE_B; i++) {
				uint32_t calls = stats_of(i)->calls;

				if (done[i] || calls != last[i]) {
					last[i] = calls;
					still[i] = 0;
					continue;
				}
				/*
				 * No call for longer than the others' slices: it is blocked (or
				 * suspended itself). Abort its IPC (-L4_EAGAIN) and go on.
				 */
				if (++still[i] < STUCK_TICKS)
					continue;
				still[i] = 0;
				where_stuck(rd.thread[i]);
				if (l4_thread_ctl(rd.thread[i], L4_THREAD_SUSPEND, 0, 0) == 0 &&
				    l4_thread_ctl(rd.thread[i], L4_THREAD_RESUME, 0, 0) == 0)
					unstuck++;
			}
			l4_irq_ack(tick_irq);
			vtimer_arm(TICK);
			continue;
		}
		if (l4_tag_label(tag) != L4_LABEL_FAULT || badge < 1 || badge > ROLES)
			return -L4_EINVAL; /* only the fault endpoint's minted caps reach us */
		if (mr[0] == L4_FAULT_SYSCALL) {
			fault_resumes++;
			l4_reply(l4_tag(L4_FAULT_RESUME, 0, 0), mr);
			continue;
		}
		if (badge - 1 == ROLE_PARTNER || mr[0] != L4_FAULT_UNDEF ||
		    mr[1] != (uint32_t)fuzz_done)
			crashed++;
		else
			done_ok++;
		if (badge - 1 != ROLE_PARTNER)
			done[badge - 1] = true;
		l4_reply(l4_tag(L4_FAULT_STOP, 0, 0), mr);
	}
	vtimer_stop();
	return 0;
}

static void round_teardown(void)
{
	unsigned i;

	l4_cap_revoke(rd.kmem);
	l4_cap_delete(rd.kmem);
	l4_cap_revoke(rd.irqctl);
	l4_cap_delete(rd.irqctl);
	kt_slot_free(rd.kmem), kt_slot_free(rd.irqctl), kt_slot_free(rd.ep), kt_slot_free(rd.ntfn);
	for (i = 0; i < ROLES; i++) {
		l4_cap_delete(rd.fault[i]);
		kt_slot_free(rd.space[i]), kt_slot_free(rd.thread[i]), kt_slot_free(rd.park[i]);
		kt_slot_free(rd.fault[i]);
	}
}

static void add_stats(const struct fuzz_stats *s)
{
	unsigned i;

	total.calls += s->calls;
	if (s->bad && !total.bad) {
		total.bad_nr = s->bad_nr;
		total.bad_ret = s->bad_ret;
		memcpy(total.bad_in, s->bad_in, sizeof(total.bad_in));
	}
	total.bad += s->bad;
	for (i = 0; i < NR_SLOTS; i++) {
		total.by_nr[i] += s->by_nr[i];
		total.ok_by_nr[i] += s->ok_by_nr[i];
	}
	for (i = 0; i < 16; i++)
		total.by_err[i] += s->by_err[i];
}

/* After the teardown every interrupt line is free again: claim each, release it. */
static unsigned irq_lines_held(void)
{
	l4_cap_t s = kt_slot_alloc();
	unsigned irq, held = 0;

	for (irq = 16; irq < IRQ_LINES; irq++) {
		if (irq == VTIMER_IRQ || irq == 30 || irq == 33)
			continue; /* ours; the kernel's timer and console */
		if (l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, irq, s) != 0)
			held++;
		else
			l4_cap_delete(s);
	}
	kt_slot_free(s);
	return held;
}

/* A known-good call: an echo server in the root's space, 12 words there and back. */
static l4_cap_t good_ep;
static uint8_t good_stack[1024] __attribute__((aligned(8)));
static struct l4_utcb good_utcb __attribute__((aligned(L4_UTCB_ALIGN)));

static void good_server(void)
{
	kt_echo_server(good_ep);
}

static int good_ipc(void)
{
	l4_word_t mr[L4_MSG_REGS] = {1, 2, 3, 4, 5, 6, 7, 8};
	l4_tag_t tag = l4_tag(0x77, 0, 12);
	l4_cap_t t = kt_create(L4_OBJ_THREAD);
	int err, i;

	good_ep = kt_create(L4_OBJ_ENDPOINT);
	for (i = 8; i < 12; i++)
		l4_utcb()->mr[i] = 100 + i;
	err = l4_thread_config(t, L4_ROOT_CAP_SPACE, (uint32_t)&good_utcb, 0, 200);
	err = err ? err
		  : l4_thread_start(t, (uint32_t)good_server,
				    (uint32_t)good_stack + sizeof(good_stack));
	err = err ? err : l4_call(good_ep, &tag, mr);
	if (!err && (l4_tag_label(tag) != 0x77 || l4_tag_len(tag) != 12 || mr[0] != 1 ||
		     mr[7] != 8 || l4_utcb()->mr[11] != 111))
		err = -L4_EINVAL;
	l4_thread_ctl(t, L4_THREAD_DESTROY, 0, 0);
	l4_cap_delete(t), l4_cap_delete(good_ep);
	kt_slot_free(t), kt_slot_free(good_ep);
	return err;
}

/* Empty slots of the root's table: the root must not leak caps of its own either. */
static unsigned root_free_slots(void)
{
	unsigned s, n = 0;

	for (s = 1; s < L4_CAP_SLOTS; s++)
		n += l4_cap_info(s).err == -L4_ECAP;
	return n;
}

static bool pools_equal(const struct l4_pools *a, const struct l4_pools *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void put_pools(const char *what, const struct l4_pools *p)
{
	l4_debug_puts(what);
	l4_debug_puts(" threads ");
	l4_debug_putu(p->threads);
	l4_debug_puts(" spaces ");
	l4_debug_putu(p->spaces);
	l4_debug_puts(" endpoints ");
	l4_debug_putu(p->endpoints);
	l4_debug_puts(" notifications ");
	l4_debug_putu(p->notifications);
	l4_debug_puts(" l2 ");
	l4_debug_putu(p->l2_tables);
	l4_debug_puts(" kmem ");
	l4_debug_putu(p->kmem);
	l4_debug_puts("\n");
}

static const char *const err_names[] = {"0",	"EINVAL", "EFAULT", "EPERM", "ENOSYS", "ENOMEM",
					"ECAP", "ETYPE",  "EAGAIN", "EDEAD", "EBUSY",  "ERANGE"};

static void report_totals(uint32_t rounds)
{
	unsigned i;

	l4_debug_puts("fuzz: ");
	l4_debug_putu(rounds);
	l4_debug_puts(" rounds, ");
	l4_debug_putu(total.calls);
	l4_debug_puts(" calls; fuzz threads done ");
	l4_debug_putu(done_ok);
	l4_debug_puts(", stopped by their own faults ");
	l4_debug_putu(crashed);
	l4_debug_puts(", rounds out of time ");
	l4_debug_putu(timeouts);
	l4_debug_puts(", blocked calls aborted ");
	l4_debug_putu(unstuck);
	l4_debug_puts(", unknown calls resumed ");
	l4_debug_putu(fault_resumes);
	l4_debug_puts("\nfuzz: calls (ok) per number:");
	for (i = 0; i < NR_SLOTS; i++) {
		if (!total.by_nr[i])
			continue;
		l4_debug_puts(" ");
		l4_debug_putx(i);
		l4_debug_puts(":");
		l4_debug_putu(total.by_nr[i]);
		l4_debug_puts("(");
		l4_debug_putu(total.ok_by_nr[i]);
		l4_debug_puts(")");
	}
	l4_debug_puts("\nfuzz: no progress for 400 us: runnable ");
	l4_debug_putu(starved);
	l4_debug_puts(", blocked in:");
	for (i = 0; i < NR_SLOTS; i++) {
		if (!stuck_in[i])
			continue;
		l4_debug_puts(" ");
		l4_debug_putx(i);
		l4_debug_puts(":");
		l4_debug_putu(stuck_in[i]);
	}
	l4_debug_puts("\nfuzz: errors:");
	for (i = 1; i <= L4_ERANGE; i++) {
		l4_debug_puts(" ");
		l4_debug_puts(err_names[i]);
		l4_debug_puts(":");
		l4_debug_putu(total.by_err[i]);
	}
	l4_debug_puts("\n");
}

KTEST(fuzz_syscalls_leave_no_crash_no_leak)
{
	struct l4_pools base, now;
	uint32_t round, seed;
	unsigned slots;

	l4_debug_puts("fuzz: seed ");
	l4_debug_putu(FUZZ_SEED);
	l4_debug_puts(", ");
	l4_debug_putu(FUZZ_ROUNDS);
	l4_debug_puts(" rounds (rebuild with FUZZ_SEED=<seed> to repeat)\n");
	KT_ASSERT_EQ(alloc_memory(), 0);
	report = kt_create(L4_OBJ_ENDPOINT);
	tick_ntfn = kt_create(L4_OBJ_NOTIFICATION);
	tick_irq = kt_slot_alloc();
	KT_ASSERT_EQ(l4_irq_get(L4_ROOT_CAP_IRQ_CONTROL, VTIMER_IRQ, tick_irq), 0);
	KT_ASSERT_EQ(l4_irq_set(tick_irq, tick_ntfn), 0);
	KT_ASSERT_EQ(l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_BIND, tick_ntfn, 0), 0);
	KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &base), 0);
	slots = root_free_slots();

	for (round = FUZZ_FIRST_ROUND; round < FUZZ_ROUNDS; round++) {
		unsigned i;
		int err;

		seed = mix(FUZZ_SEED ^ mix(round));
		err = round_setup(seed);
		if (!err)
			err = round_run();
		for (i = ROLE_A; i <= ROLE_B; i++)
			add_stats(stats_of(i));
		round_teardown();
		KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &now), 0);
		if (err || !pools_equal(&now, &base) || total.bad) {
			l4_debug_puts("fuzz: round ");
			l4_debug_putu(round);
			l4_debug_puts(" failed, error ");
			l4_debug_putu((uint32_t)-err);
			l4_debug_puts(", bad result ");
			l4_debug_putx(total.bad_ret);
			l4_debug_puts(" of call ");
			l4_debug_putx(total.bad_nr);
			l4_debug_puts(" (");
			for (i = 0; i < 8; i++) {
				l4_debug_putx(total.bad_in[i]);
				l4_debug_puts(i < 7 ? " " : ")\n");
			}
			put_pools("fuzz: pools before", &base);
			put_pools("fuzz: pools after ", &now);
		}
		KT_ASSERT_EQ(err, 0);
		KT_ASSERT_EQ(total.bad, 0);
		KT_ASSERT(pools_equal(&now, &base));
		KT_ASSERT_EQ(irq_lines_held(), 0);
		KT_ASSERT_EQ(good_ipc(), 0);
		KT_ASSERT_EQ(root_free_slots(), slots);
		KT_ASSERT_EQ(l4_pools(L4_ROOT_CAP_SYSTEM, &now), 0);
		KT_ASSERT(pools_equal(&now, &base));
		if ((round + 1) % (FUZZ_ROUNDS / 10 ? FUZZ_ROUNDS / 10 : 1) == 0) {
			l4_debug_puts("fuzz: ");
			l4_debug_putu(round + 1);
			l4_debug_puts(" rounds, ");
			l4_debug_putu(total.calls);
			l4_debug_puts(" calls\n");
		}
	}
	report_totals(FUZZ_ROUNDS);
	l4_thread_ctl(L4_ROOT_CAP_THREAD, L4_THREAD_BIND, 0, 0);
	l4_cap_delete(tick_irq), l4_cap_delete(tick_ntfn), l4_cap_delete(report);
}
