/* SPDX-License-Identifier: BSD-2-Clause */
/* Supervisor, the console: labelled log lines and the cycle table at the end of a run. */
#include "supervisor.h"

#include <l4e/pool.h>
#include <l4e/text.h>
#include <stdarg.h>
#include <string.h>

static void put_hex(uint32_t v)
{
	l4_debug_puts("0x");
	l4_debug_putx(v);
}

#define SUP_LOG_PREFIX "supervisor: "

void sup_logf(const char *fmt, ...)
{
	char line[160] = SUP_LOG_PREFIX;
	size_t n = sizeof(SUP_LOG_PREFIX) - 1;
	va_list ap;

	va_start(ap, fmt);
	l4e_vformat(line + n, sizeof(line) - n - 1, fmt, ap); /* room left for the newline */
	va_end(ap);
	l4e_cat(line, sizeof(line), "\n");
	l4_debug_puts(line);
	sup.log_lines++;
}

void sup_log(const char *what, const char *task, const char *detail, uint32_t a, uint32_t b)
{
	l4_debug_puts("supervisor: ");
	l4_debug_puts(what);
	if (task) {
		l4_debug_puts(" task=");
		l4_debug_puts(task);
	}
	if (detail) {
		l4_debug_puts(" ");
		l4_debug_puts(detail);
	}
	if (a || b) {
		l4_debug_puts(" ");
		put_hex(a);
		l4_debug_puts(" ");
		put_hex(b);
	}
	l4_debug_puts("\n");
	sup.log_lines++;
}

/* Console columns of the cycle table. */
static void put_col(const char *a, const char *b, unsigned width)
{
	unsigned n = (unsigned)strlen(a) + (b ? 1 + (unsigned)strlen(b) : 0);

	l4_debug_puts("  ");
	l4_debug_puts(a);
	if (b) {
		l4_debug_puts("/");
		l4_debug_puts(b);
	}
	while (n++ < width)
		l4_debug_putc(' ');
}

static void put_u64(uint64_t v, unsigned width)
{
	char buf[21];
	unsigned n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (width-- > n)
		l4_debug_putc(' ');
	while (n)
		l4_debug_putc(buf[--n]);
}

/* " 12.3%" of total, in tenths of a percent. */
static void put_share(uint64_t part, uint64_t total)
{
	uint64_t permille = total ? (part * 1000 + total / 2) / total : 0;

	l4_debug_puts(" ");
	put_u64(permille / 10, 4);
	l4_debug_putc('.');
	l4_debug_putc((char)('0' + permille % 10));
	l4_debug_puts("%\n");
}

#define REPORT_NAME_WIDTH 24
#define REPORT_NUM_WIDTH  12

static void report_line(const char *a, const char *b, uint64_t cycles, uint64_t total)
{
	put_col(a, b, REPORT_NAME_WIDTH);
	put_u64(cycles, REPORT_NUM_WIDTH);
	put_share(cycles, total);
}

static void report_count(const char *what, uint64_t v)
{
	l4_debug_puts(" ");
	l4_debug_puts(what);
	l4_debug_puts("=");
	put_u64(v, 0);
}

void sup_pools(const char *when, uint32_t ms)
{
	unsigned i;

	for (i = 0; i < sup.sys->npools; i++) {
		const struct sys_pool *p = &sup.sys->pools[i];
		const struct l4e_pool_hdr *h = sup_pool_va(i);

		if ((p->flags & (SYS_POOL_F_DMA | SYS_POOL_F_KEEP)) || h->magic != L4E_POOL_MAGIC)
			continue;
		if (strcmp(when, "end") == 0)
			sup_logf("pool %s end blocks=%u used=%u", p->name, (unsigned)h->nblocks,
				 (unsigned)l4e_pool_used(h));
		else
			sup_logf("pool %s at=%u blocks=%u used=%u", p->name, (unsigned)ms,
				 (unsigned)h->nblocks, (unsigned)l4e_pool_used(h));
	}
}

/*
 * The profile section (tools/profile reads it; docs/profiling.md): per thread its
 * id, active and kernel cycles and wake-ups by cause; the CPU's sleeps, their histogram
 * and the lines that ended them; with a trace kernel, the trace ring in base64.
 */
/*
 * The supervisor's own row, read before the report prints anything: the interval still
 * open is then work only (printing the idle row's warped time takes a varying number of
 * instructions).
 */
static struct l4_thread_acct self_acct;
static int self_acct_err = -1;

static void profile_thread(const char *task, const char *thread, l4_cap_t cap)
{
	struct l4_thread_acct a;
	unsigned i;
	static const char *const wake_names[L4_WAKE_COUNT] = {"wake_ipc", "wake_ntfn", "wake_irq",
							      "wake_other"};

	if (cap == L4_ROOT_CAP_THREAD) {
		if (self_acct_err)
			return;
		a = self_acct;
	} else if (l4_thread_acct(L4_ROOT_CAP_SYSTEM, cap, &a) != 0) {
		return;
	}
	l4_debug_puts("profile: thread ");
	put_u64(a.id, 0);
	l4_debug_puts(" ");
	l4_debug_puts(task);
	if (thread) {
		l4_debug_puts("/");
		l4_debug_puts(thread);
	}
	report_count("cycles", a.cycles);
	report_count("kernel", a.kernel);
	for (i = 0; i < L4_WAKE_COUNT; i++)
		report_count(wake_names[i], a.wakes[i]);
	l4_debug_puts("\n");
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* `n` bytes (a multiple of 3) as base64, one line. */
static void put_base64(const uint8_t *p, unsigned n)
{
	char line[4 * (12 * 16 / 3) + 2];
	unsigned i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		line[o++] = b64[v >> 18];
		line[o++] = b64[(v >> 12) & 63];
		line[o++] = b64[(v >> 6) & 63];
		line[o++] = b64[v & 63];
	}
	line[o++] = '\n';
	line[o] = 0;
	l4_debug_puts(line);
}

/*
 * The trace ring from its oldest event to the newest at the start of the dump (what
 * the dump itself adds is left out), 12 events of 16 bytes to a line.
 */
static void profile_trace(void)
{
	static struct l4_trace_event ev[12];
	const struct l4_trace_event *u = (const struct l4_trace_event *)l4_utcb();
	struct l4_ret r =
		l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, 0, 0, 0, 0);
	uint32_t end = r.r3, next = r.r2;
	unsigned n = 0, i;

	if (r.err || end == 0)
		return;
	l4_debug_puts("profile: trace");
	report_count("first", next);
	report_count("events", end - next);
	l4_debug_puts("\n");
	while (next < end) {
		r = l4_syscall(L4_SYS_SYSTEM, L4_ROOT_CAP_SYSTEM, L4_SYSTEM_TRACE_READ, next, 0, 0,
			       0);
		if (r.err || r.r1 == 0 || r.r2 != next)
			break; /* (the ring overran the reader: the dump ends short) */
		for (i = 0; i < r.r1 && next < end; i++, next++) {
			ev[n++] = u[i];
			if (n == 12) {
				put_base64((const uint8_t *)ev, sizeof(ev));
				n = 0;
			}
		}
	}
	if (n) {
		for (i = n; i < 12; i++)
			ev[i] = (struct l4_trace_event){0}; /* type 0: padding */
		put_base64((const uint8_t *)ev, sizeof(ev));
	}
	l4_debug_puts("profile: trace end\n");
}

static void sup_profile(void)
{
	struct l4_sleep_stats ss;
	uint32_t wakes[32];
	unsigned i, j;

	profile_thread("supervisor", NULL, L4_ROOT_CAP_THREAD);
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		for (j = 0; j < t->desc->nthreads; j++)
			if (t->threads[j])
				profile_thread(t->desc->name, t->desc->threads[j].name,
					       t->threads[j]);
		if (t->hb_thread)
			profile_thread(t->desc->name, "heartbeat", t->hb_thread);
	}
	profile_thread("idle", NULL, 0);
	if (l4_sleep_stats(L4_ROOT_CAP_SYSTEM, &ss) == 0) {
		l4_debug_puts("profile: sleeps");
		report_count("count", ss.sleeps);
		report_count("cycles", ss.cycles);
		l4_debug_puts(" hist=");
		for (i = 0; i < L4_SLEEP_HIST; i++) {
			if (i)
				l4_debug_puts(",");
			put_u64(ss.hist[i], 0);
		}
		l4_debug_puts("\n");
	}
	l4_debug_puts("profile: idle_wakes");
	for (i = 0; i < L4_IRQ_LINES; i += 32) {
		if (l4_irq_wakes(L4_ROOT_CAP_SYSTEM, i, wakes) != 0)
			break;
		for (j = 0; j < 32; j++)
			if (wakes[j]) {
				l4_debug_puts(" irq");
				put_u64(i + j, 0);
				l4_debug_puts("=");
				put_u64(wakes[j], 0);
			}
	}
	l4_debug_puts("\n");
	profile_trace();
}

/* Per watched task: heartbeats answered, missed, restarts (the soak run checks them). */
static void report_watchdog(void)
{
	unsigned i;

	for (i = 0; i < sup.sys->ntasks; i++) {
		const struct sup_task *t = &sup.tasks[i];

		if (t->desc->heartbeat_ms)
			sup_logf("watchdog task=%s heartbeats=%u missed=%u restarts=%u",
				 t->desc->name, (unsigned)t->heartbeats, (unsigned)t->missed,
				 (unsigned)t->total_restarts);
	}
}

void sup_report(void)
{
	struct l4_kstats ks;
	uint64_t total, task_sum[SUP_MAX_TASKS], sup_cycles = sup_thread_cycles(L4_ROOT_CAP_THREAD);
	unsigned i, j;

	self_acct_err = l4_thread_acct(L4_ROOT_CAP_SYSTEM, L4_ROOT_CAP_THREAD, &self_acct);

	if (l4_kstats(L4_ROOT_CAP_SYSTEM, &ks) != 0) {
		sup_logf("no kernel statistics: the cycle table is off");
		return;
	}
	/* Every cycle is charged to the thread running it, or to idle. */
	total = sup_cycles + ks.idle_cycles;
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		task_sum[i] = t->past_cycles + sup_thread_cycles(t->hb_thread);
		for (j = 0; j < t->desc->nthreads; j++)
			task_sum[i] += sup_thread_cycles(t->threads[j]);
		total += task_sum[i];
	}
	sup_logf("cycles since boot (icount; per task, its threads, earlier instances)");
	report_line("supervisor", NULL, sup_cycles, total);
	for (i = 0; i < sup.sys->ntasks; i++) {
		struct sup_task *t = &sup.tasks[i];

		report_line(t->desc->name, NULL, task_sum[i], total);
		for (j = 0; j < t->desc->nthreads; j++)
			if (t->threads[j])
				report_line(t->desc->name, t->desc->threads[j].name,
					    sup_thread_cycles(t->threads[j]), total);
		if (t->hb_thread)
			report_line(t->desc->name, "heartbeat", sup_thread_cycles(t->hb_thread),
				    total);
		if (t->past_cycles)
			report_line(t->desc->name, "(restarted)", t->past_cycles, total);
	}
	report_line("idle", NULL, ks.idle_cycles, total);
	report_line("total", NULL, total, total);
	l4_debug_puts("supervisor: kernel");
	report_count("syscalls", ks.syscalls);
	report_count("ipc", ks.ipc);
	report_count("fastpath", ks.fastpath);
	report_count("slowpath", ks.slowpath);
	report_count("waits", ks.waits);
	report_count("irqs", ks.irqs);
	report_count("switches", ks.switches);
	report_count("idle_sleeps", ks.idle_sleeps);
	l4_debug_puts("\n");
	sup_profile();
	sup_pools("end", 0);
	report_watchdog();
}
