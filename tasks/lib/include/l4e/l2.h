/* SPDX-License-Identifier: BSD-2-Clause */
/* The protocols/ layer-2 libraries in a task: buffers in shared pool blocks, radio time, no blocking inside. */
#pragma once

#include <l2/buf.h>
#include <l2/env.h>
#include <l4e/clock.h>
#include <l4e/pool.h>

/*
 * A task's layer-2 buffers are descriptors of its own whose storage is a block of a
 * shared pool (tasks/system.toml [[pool]]), so a buffer goes to another task as a handle
 * and the bytes stay where they are. Rule for the tasks that run the libraries: no IPC
 * inside a library call; callbacks queue what they produce and the thread sends it after
 * the library returns, so a task's threads (one priority, all clients below it) never
 * find an entity half-updated.
 */
struct l4e_l2pool {
	struct l2_pool pool;
	void *base;	      /* the shared pool, mapped at the same address in every task */
	uint32_t id;	      /* its pool id (SYS_POOL_<NAME>_ID) */
	uint32_t bad_handles; /* handles that named no allocated block: dropped */
};

/* `n` descriptors over the shared pool at `base`; payloads start at `headroom`. */
int l4e_l2pool_init(struct l4e_l2pool *p, struct l2_buf *descs, uint32_t n, void *base, uint32_t id,
		    uint16_t headroom);

/*
 * A handle received from another task, as this task's buffer (the task now owns the
 * block). NULL when the handle is bad (counted; nothing to free) or no descriptor is
 * free (the block is freed: the data is dropped and `pool.alloc_fail` counts it).
 */
struct l2_buf *l4e_l2_adopt(struct l4e_l2pool *p, const struct l4e_buffer *h);

/* Give buffer `b` away as handle `h`: this task no longer owns it. */
void l4e_l2_handoff(struct l4e_l2pool *p, struct l2_buf *b, struct l4e_buffer *h);

/* now_ms for struct l2_env: `ctx` is the clock pool's base. */
uint32_t l4e_l2_now_ms(void *ctx);
