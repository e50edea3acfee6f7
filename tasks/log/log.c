/* SPDX-License-Identifier: BSD-2-Clause */
/* The log task: collects records from every task, prints them in order with task and time. */
#include "l4e.h"
#include "sys_log.h"

#include <l4e/clock.h>
#include <l4e/task.h>
#include <l4e/text.h>
#include <string.h>

#define RING 64 /* records waiting for the console */

struct record {
	uint32_t seq;
	uint32_t ms;
	uint32_t task;
	uint32_t level;
	char text[L4E_LOG_TEXT_MAX + 1];
};

/*
 * Written by the server thread, printed only by the console thread, so the console shows
 * records once and in order. When a client needs the console to catch up (a flush, or a
 * full ring) the server lends it its own priority and yields (priority donation) instead
 * of printing itself, until the console reached the record it waits for (then the console
 * drops back at once): a console thread preempted half-way through a record would otherwise
 * see it printed twice and `tail` pass `head`. A full ring makes the writer wait; a record
 * is dropped (and counted) only if the console makes no progress at all.
 */
static struct record ring[RING];
static volatile uint32_t head, tail, dropped, seq, boosted, boost_until;

static const char *const levels[] = {"?", "error", "warn", "info", "debug"};

/* Radio time where the system has it (l4e/clock.h): the virtual counter jumps while the
 * CPU waits for the simulator, radio time does not. */
#ifdef SYS_POOL_CLOCK_ADDR
#define CLOCK ((void *)SYS_POOL_CLOCK_ADDR)
#else
#define CLOCK NULL
#endif

static uint32_t now_ms(void)
{
	if (CLOCK)
		return l4e_clock_at(CLOCK)->subframe;
	return (uint32_t)(l4e_now_ticks() / (l4e_timer_hz() / 1000));
}

static const char *const names[] = SYS_TASK_NAMES;

/* The task's name for a client badge (the supervisor's badges are task ids). */
static void task_name(char *out, size_t size, uint32_t badge)
{
	out[0] = '\0';
	if (badge < SYS_NTASKS) {
		l4e_cat(out, size, names[badge]);
	} else if (badge == SYS_BADGE_SUPERVISOR) {
		l4e_cat(out, size, "supervisor");
	} else {
		l4e_cat(out, size, "task");
		l4e_catu(out, size, badge);
	}
}

static void print(const struct record *r)
{
	char line[L4E_LOG_TEXT_MAX + 64] = "[";
	char who[16];

	l4e_catu(line, sizeof(line), r->ms);
	l4e_cat(line, sizeof(line), " ms] #");
	l4e_catu(line, sizeof(line), r->seq);
	l4e_cat(line, sizeof(line), " ");
	task_name(who, sizeof(who), r->task);
	l4e_cat(line, sizeof(line), who);
	l4e_cat(line, sizeof(line), " ");
	l4e_cat(line, sizeof(line), levels[r->level <= 4 ? r->level : 0]);
	l4e_cat(line, sizeof(line), ": ");
	l4e_cat(line, sizeof(line), r->text);
	l4e_cat(line, sizeof(line), "\n");
	l4_debug_puts(line);
}

/* Gives back a lent priority as soon as the console reached what the server waits for. */
static void unboost(bool always)
{
	if (boosted && (always || (int32_t)(tail - boost_until) >= 0)) {
		boosted = 0;
		l4_thread_ctl(SYS_THREAD_CONSOLE, L4_THREAD_SET_PRIO, SYS_PRIO_CONSOLE, 0);
	}
}

static void drain(void)
{
	while (tail != head) {
		print(&ring[tail % RING]);
		tail++;
		unboost(false);
	}
}

/* Runs the console thread at the server's priority until `tail` reaches `until`. */
static void catch_up(uint32_t until)
{
	uint32_t last = tail, stalls = 0;

	while ((int32_t)(until - tail) > 0 && stalls < 8) {
		boost_until = until;
		boosted = 1;
		if (l4_thread_ctl(SYS_THREAD_CONSOLE, L4_THREAD_SET_PRIO, SYS_PRIO_SERVER, 0) != 0)
			return;
		l4_yield();
		if (tail == last) {
			stalls++;
		} else {
			last = tail;
			stalls = 0;
		}
	}
}

static int op_write(void *ctx, l4_word_t badge, enum l4e_log_level lvl, const char *text)
{
	struct record *r;

	(void)ctx;
	if (head - tail >= RING)
		catch_up(tail + 1);
	if (head - tail >= RING) {
		dropped++;
		return 0;
	}
	r = &ring[head % RING];
	r->seq = seq++;
	r->ms = now_ms();
	r->task = badge;
	r->level = lvl;
	r->text[0] = '\0';
	l4e_cat(r->text, sizeof(r->text), text);
	head++;
	l4_signal(SYS_SLOT_NTFN, 1); /* the console thread */
	return 0;
}

static int op_flush(void *ctx, l4_word_t badge, uint32_t *result)
{
	(void)ctx, (void)badge;
	catch_up(head);
	*result = seq;
	return 0;
}

static const struct l4e_log_ops ops = {.write = op_write, .flush = op_flush};

void log_server_main(uint32_t arg);
void log_console_main(uint32_t arg);

void log_server_main(uint32_t arg)
{
	struct l4e_log_server srv = {.ops = &ops};

	(void)arg;
	l4e_log_serve(&srv, SYS_CAP_PROVIDES_L4E_LOG);
}

/* Prints whatever the server queued, whenever nothing more urgent runs. */
void log_console_main(uint32_t arg)
{
	uint32_t bits;

	(void)arg;
	for (;;) {
		l4_wait(SYS_SLOT_NTFN, &bits);
		drain();
		unboost(true);
	}
}
