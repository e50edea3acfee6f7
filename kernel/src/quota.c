/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-memory quotas (quota.h): charges, reservations, and the pool of quotas. */
#include "quota.h"
#include "config.h"
#include "kdebug.h"
#include "panic.h"

struct quota root_quota;
static struct quota quotas[CONFIG_MAX_KMEM];
KOBJ_LAYOUT_OK(struct quota);

void quota_init(void)
{
	static const uint16_t pools[Q_KINDS] = {
		[Q_THREAD] = CONFIG_MAX_THREADS,     [Q_SPACE] = CONFIG_MAX_SPACES,
		[Q_ENDPOINT] = CONFIG_MAX_ENDPOINTS, [Q_NOTIFICATION] = CONFIG_MAX_NOTIFICATIONS,
		[Q_L2_TABLE] = CONFIG_MAX_L2_TABLES, [Q_KMEM] = CONFIG_MAX_KMEM,
	};
	unsigned k;

	root_quota = (struct quota){.refs = 1, .in_use = true}; /* never freed */
	for (k = 0; k < Q_KINDS; k++)
		root_quota.limit[k] = pools[k];
}

bool quota_charge(struct quota *q, enum quota_kind kind)
{
	if (q->used[kind] >= q->limit[kind])
		return false;
	q->used[kind]++;
	q->refs++;
	return true;
}

void quota_uncharge(struct quota *q, enum quota_kind kind)
{
	BUG_ON(!q->used[kind]);
	q->used[kind]--;
	quota_put(q);
}

struct quota *quota_create(struct quota *parent, uint32_t packed, uint32_t packed2)
{
	uint16_t limit[Q_KINDS] = {packed & 0xff, (packed >> 8) & 0xff, (packed >> 16) & 0xff,
				   packed >> 24,  packed2 & 0xff,	(packed2 >> 8) & 0xff};
	struct quota *q = NULL;
	unsigned i, k;

	for (k = 0; k < Q_KINDS; k++)
		if (limit[k] > parent->limit[k] - parent->used[k])
			return NULL;
	for (i = 0; i < CONFIG_MAX_KMEM && !q; i++)
		if (!quotas[i].in_use)
			q = &quotas[i];
	if (!q || !quota_charge(parent, Q_KMEM))
		return NULL;
	KOBJ_CLAIM(q, "kmem quota");
	*q = (struct quota){.parent = parent, .gen = q->gen, .in_use = true};
	for (k = 0; k < Q_KINDS; k++) {
		q->limit[k] = limit[k];
		parent->used[k] += limit[k];
	}
	return q;
}

/* The last reference is gone: the reservation goes back to the parent. */
void quota_put(struct quota *q)
{
	struct quota *parent = q->parent;
	unsigned k;

	KASSERT(q->refs > 0);
	if (--q->refs > 0)
		return;
	BUG_ON(q == &root_quota);
	for (k = 0; k < Q_KINDS; k++)
		parent->used[k] -= q->limit[k];
	KOBJ_RELEASE(q);
	quota_uncharge(parent, Q_KMEM);
}

uint32_t quota_pool_free(void)
{
	unsigned i, n = 0;

	for (i = 0; i < CONFIG_MAX_KMEM; i++)
		n += !quotas[i].in_use;
	return n;
}
