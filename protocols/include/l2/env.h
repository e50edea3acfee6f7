/* SPDX-License-Identifier: BSD-2-Clause */
/* What a layer-2 entity needs from its host (time, randomness, logging), injected by the caller. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * Error codes of layers 2 and 3: every command returns 0 or one of these (negative), in
 * the range -64..-95 that no other part of l4e uses (docs/errors.md).
 */
enum {
	L2_EINVAL = -64,   /* bad argument or configuration */
	L2_ENOMEM = -65,   /* pool or fixed table exhausted */
	L2_EMSGSIZE = -66, /* does not fit */
	L2_EPROTO = -67,   /* malformed PDU: dropped and counted */
	L2_EAUTH = -68,	   /* integrity check failed */
	L2_ESTALE = -69,   /* duplicate or outside the window: dropped and counted */
	L2_EAGAIN = -70,   /* nothing to do now */
	L2_ESTATE = -71,   /* not allowed in the current state */
	L2_ENOTSUP = -72, /* well formed, but outside the implemented subset: dropped and counted */
};
#define L2_ERR_MIN (-95) /* the range's lowest code */
#define L2_ERR_MAX (-64) /* the range's highest code */

enum l2_log_level {
	L2_LOG_ERROR,
	L2_LOG_WARN,
	L2_LOG_INFO,
	L2_LOG_DEBUG,
};

/*
 * The host side of every entity. Time is milliseconds on a free-running 32-bit clock
 * (wrap-safe comparisons); `random` returns 32 uniform bits; `log` gets a constant event
 * name and two integers, so no formatting code is needed on the firmware. Any hook may be
 * NULL: no time (always 0), no randomness (0), no logging.
 */
struct l2_env {
	void *ctx;
	uint32_t (*now_ms)(void *ctx);
	uint32_t (*random)(void *ctx);
	void (*log)(void *ctx, enum l2_log_level level, const char *event, int32_t a, int32_t b);
};

static inline uint32_t l2_now(const struct l2_env *env)
{
	return env && env->now_ms ? env->now_ms(env->ctx) : 0;
}

static inline uint32_t l2_random(const struct l2_env *env)
{
	return env && env->random ? env->random(env->ctx) : 0;
}

static inline void l2_log(const struct l2_env *env, enum l2_log_level level, const char *event,
			  int32_t a, int32_t b)
{
	if (env && env->log)
		env->log(env->ctx, level, event, a, b);
}

/* A one-shot timer as a deadline; entities poll it from their `tick` function. */
struct l2_timer {
	uint32_t deadline;
	bool running;
};

static inline void l2_timer_start(struct l2_timer *t, uint32_t now, uint32_t duration_ms)
{
	t->deadline = now + duration_ms;
	t->running = true;
}

static inline void l2_timer_stop(struct l2_timer *t)
{
	t->running = false;
}

/* True once when a running timer has reached its deadline; it is then stopped. */
static inline bool l2_timer_expired(struct l2_timer *t, uint32_t now)
{
	if (!t->running || (int32_t)(now - t->deadline) < 0)
		return false;
	t->running = false;
	return true;
}
