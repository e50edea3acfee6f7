/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4 helpers: console output, notification wait and kernel statistics. */
#include <l4/syscall.h>
#include <stdbool.h>
#include <string.h>

int l4_debug_puts(const char *s)
{
	size_t len = strlen(s), done = 0;

	while (done < len) {
		size_t n = len - done > L4_DEBUG_WRITE_MAX ? L4_DEBUG_WRITE_MAX : len - done;
		int err = l4_debug_write(s + done, n);

		if (err < 0)
			return err;
		done += n;
	}
	return (int)len;
}

int l4_debug_putu(uint32_t v)
{
	char buf[11];
	unsigned n = 0;

	do {
		buf[sizeof(buf) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return l4_debug_write(&buf[sizeof(buf) - n], n);
}

int l4_debug_putx(uint32_t v)
{
	char buf[8];
	unsigned i;

	for (i = 0; i < 8; i++)
		buf[i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	return l4_debug_write(buf, sizeof(buf));
}

static int wait_common(l4_cap_t ntfn, uint32_t *bits, bool block)
{
	l4_word_t mr[L4_MSG_REGS];
	l4_tag_t tag = 0;
	int err = (block ? l4_recv : l4_nbrecv)(ntfn, &tag, mr, bits);

	if (err)
		*bits = 0;
	return err;
}

int l4_wait(l4_cap_t ntfn, uint32_t *bits)
{
	return wait_common(ntfn, bits, true);
}

int l4_poll(l4_cap_t ntfn, uint32_t *bits)
{
	return wait_common(ntfn, bits, false);
}

int l4_kstats(l4_cap_t sys, struct l4_kstats *out)
{
	int err = l4_system(sys, L4_SYSTEM_STATS, 0);

	if (!err)
		memcpy(out, l4_utcb(), sizeof(*out));
	return err;
}

int l4_thread_acct(l4_cap_t sys, l4_cap_t thread, struct l4_thread_acct *out)
{
	int err = l4_system(sys, L4_SYSTEM_THREAD_ACCT, thread);

	if (!err)
		memcpy(out, l4_utcb(), sizeof(*out));
	return err;
}

int l4_sleep_stats(l4_cap_t sys, struct l4_sleep_stats *out)
{
	int err = l4_system(sys, L4_SYSTEM_SLEEP_STATS, 0);

	if (!err)
		memcpy(out, l4_utcb(), sizeof(*out));
	return err;
}

int l4_irq_wakes(l4_cap_t sys, unsigned first, uint32_t out[32])
{
	int err = l4_system(sys, L4_SYSTEM_IRQ_WAKES, first);

	if (!err)
		memcpy(out, l4_utcb(), 32 * sizeof(uint32_t));
	return err;
}

int l4_acct_groups(l4_cap_t sys, uint32_t out[L4_ACCT_GROUPS + 1])
{
	int err = l4_system(sys, L4_SYSTEM_ACCT_GROUPS, 0);

	if (!err)
		memcpy(out, l4_utcb(), (L4_ACCT_GROUPS + 1) * sizeof(uint32_t));
	return err;
}

int l4_pools(l4_cap_t sys, struct l4_pools *out)
{
	int err = l4_system(sys, L4_SYSTEM_POOLS, 0);

	if (!err)
		memcpy(out, l4_utcb(), sizeof(*out));
	return err;
}
