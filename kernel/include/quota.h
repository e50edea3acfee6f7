/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-memory quotas: what a kmem cap may take from each kernel pool. */
#pragma once

#include "util.h"

/* What a quota counts: one kind per kernel pool. */
enum quota_kind {
	Q_THREAD,
	Q_SPACE,
	Q_ENDPOINT,
	Q_NOTIFICATION,
	Q_L2_TABLE, /* second-level page tables of the spaces made from it */
	Q_KMEM,	    /* quotas made from it */
	Q_KINDS,
};

/*
 * A kmem cap names a quota. CREATE charges the new object to it, and a space's page
 * tables are charged to the quota the space was made from; the charge goes back when
 * the object is freed. A quota made from another (L4_SYS_CREATE of L4_OBJ_KMEM) reserves
 * its limits in its parent when it is made, so whatever it may take is there for it,
 * and nothing it does can take more from anybody else. The root task's kmem cap names
 * the root quota, whose limits are the pool sizes.
 */
struct quota {
	uint16_t refs; /* caps, charged objects and quotas made from it */
	uint16_t limit[Q_KINDS], used[Q_KINDS];
	struct quota *parent;
	uint16_t gen; /* KDEBUG generation, then in_use (kdebug.h) */
	bool in_use;
};

extern struct quota root_quota;

void quota_init(void);
/* Takes one `kind` from `q`: false (nothing taken) when its limit is reached. */
bool quota_charge(struct quota *q, enum quota_kind kind);
void quota_uncharge(struct quota *q, enum quota_kind kind);
/*
 * A new quota under `parent` with limits packed as L4_SYS_CREATE takes them (abi.h);
 * NULL when the parent cannot reserve them or the pool is empty.
 */
struct quota *quota_create(struct quota *parent, uint32_t packed, uint32_t packed2);
void quota_put(struct quota *q);
/* Free quotas (L4_SYSTEM_POOLS). */
uint32_t quota_pool_free(void);
