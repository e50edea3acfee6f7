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
	report_count("irqs", ks.irqs);
	report_count("switches", ks.switches);
	report_count("idle_sleeps", ks.idle_sleeps);
	l4_debug_puts("\n");
	sup_pools("end", 0);
	report_watchdog();
}
