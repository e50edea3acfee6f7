/* SPDX-License-Identifier: BSD-2-Clause */
/* KDEBUG=1: poisoning of freed pool objects and the report of a stale reference (kdebug.h). */
#include "kdebug.h"
#include "panic.h"

void kdebug_stale(const char *what, unsigned gen, unsigned now, const char *where)
{
	panic("KDEBUG: stale %s in %s (generation %u, now %u%s)", what, where, gen, now,
	      gen == now ? ", freed" : "");
}

void kobj_release(void *obj, size_t gen_offset, uint16_t *gen, bool *in_use)
{
	uint8_t *p = obj;
	size_t i;

	*in_use = false;
	if (!CONFIG_KDEBUG)
		return;
	for (i = 0; i < gen_offset; i++)
		p[i] = KDEBUG_POISON;
	++*gen;
}

void kobj_claim(const void *obj, size_t gen_offset, const char *what)
{
	const uint8_t *p = obj;
	size_t i;

	if (!CONFIG_KDEBUG || (p[gen_offset] | p[gen_offset + 1]) == 0)
		return; /* never freed (generation 0): still as the boot left it */
	for (i = 0; i < gen_offset; i++)
		if (p[i] != KDEBUG_POISON)
			panic("KDEBUG: freed %s written at offset %u", what, (unsigned)i);
}
