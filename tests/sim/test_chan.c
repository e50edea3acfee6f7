/* SPDX-License-Identifier: BSD-2-Clause */
/* The channel model: error rates within bounds for a seed, bursts, outages, odd-weight errors,
 * determinism. */
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "l2/env.h"

static struct chan ch;

static unsigned popcount_diff(const uint8_t *a, const uint8_t *b, unsigned n)
{
	unsigned i, c = 0;

	for (i = 0; i < n; i++)
		c += (unsigned)__builtin_popcount(a[i] ^ b[i]);
	return c;
}

/* Observed rate within 5 standard deviations of p over n trials. */
static bool within(uint32_t errors, uint32_t n, double p)
{
	double sd = sqrt(p * (1 - p) / n);

	return fabs((double)errors / n - p) <= 5 * sd + 1e-9;
}

/* i.i.d. errors at 10 % DL and 30 % UL over 100000 TBs each, per UE; each corrupted TB has an
 * odd number (1, 3 or 5) of flipped bits, so its CRC24A fails (TS 36.212 §5.1.1). */
static void chan_iid_rates_within_bounds(void)
{
	struct chan_config cfg = {.seed = 42, .dir = {{.bler = 0.1}, {.bler = 0.3}}};
	uint8_t tb[64], orig[64];
	uint32_t sf, errs[2][2] = {{0}};
	unsigned ue, d;

	CU_ASSERT_EQUAL_FATAL(chan_init(&ch, &cfg, 2), 0);
	for (sf = 0; sf < 100000; sf++)
		for (ue = 0; ue < 2; ue++)
			for (d = 0; d < 2; d++) {
				unsigned flips;

				memset(tb, (int)(sf & 0xff), sizeof(tb));
				memcpy(orig, tb, sizeof(tb));
				if (!chan_apply(&ch, ue, d, sf, 0, tb, sizeof(tb))) {
					CU_ASSERT_EQUAL(memcmp(tb, orig, sizeof(tb)), 0);
					continue;
				}
				errs[ue][d]++;
				flips = popcount_diff(tb, orig, sizeof(tb));
				CU_ASSERT(flips == 1 || flips == 3 || flips == 5);
			}
	for (ue = 0; ue < 2; ue++) {
		CU_ASSERT(within(errs[ue][CHAN_DL], 100000, 0.1));
		CU_ASSERT(within(errs[ue][CHAN_UL], 100000, 0.3));
		CU_ASSERT_EQUAL(chan_stats(&ch, ue, CHAN_DL)->errors, errs[ue][CHAN_DL]);
		CU_ASSERT_EQUAL(chan_stats(&ch, ue, CHAN_DL)->tbs, 100000);
	}
	/* Two UEs do not see the same errors. */
	CU_ASSERT_NOT_EQUAL(errs[0][CHAN_DL], errs[1][CHAN_DL]);
	chan_free(&ch);
}

/* Gilbert-Elliott: the time share in the bad state, the overall rate, mean burst length, and
 * errors that cluster (P(error | error before) well above P(error)). */
static void chan_bursts(void)
{
	struct chan_config cfg = {.seed = 7};
	uint8_t tb[16];
	uint32_t sf, errors = 0, pairs = 0, bursts = 0, n = 200000;
	bool prev = false, prev_bad = false;
	double pi_bad = 0.25;

	/* 30 % overall: 10 % good, 90 % bad, a quarter of the time bad, bursts of 20 ms. */
	cfg.dir[CHAN_DL] = (struct chan_dir_config){
		.bler = 0.1, .burst = true, .bad_bler = 0.9, .p_bg = 0.05, .p_gb = 0.05 / 3};
	CU_ASSERT_EQUAL_FATAL(chan_init(&ch, &cfg, 1), 0);
	for (sf = 0; sf < n; sf++) {
		bool e = chan_apply(&ch, 0, CHAN_DL, sf, 0, tb, sizeof(tb));

		errors += e;
		pairs += e && prev;
		prev = e;
		bursts += ch.link[0].bad && !prev_bad;
		prev_bad = ch.link[0].bad;
	}
	CU_ASSERT(fabs((double)chan_stats(&ch, 0, CHAN_DL)->bad_subframes / n - pi_bad) < 0.03);
	CU_ASSERT(fabs((double)errors / n - 0.3) < 0.03);
	CU_ASSERT(fabs((double)chan_stats(&ch, 0, CHAN_DL)->bad_subframes / bursts - 20) < 3);
	CU_ASSERT((double)pairs / errors > 0.45);
	/* The UL of this channel has no errors at all. */
	CU_ASSERT_FALSE(chan_apply(&ch, 0, CHAN_UL, n, 0, tb, sizeof(tb)));
	chan_free(&ch);
}

/* Every TB fails inside an outage (its directions, its UEs), none outside with bler 0. */
static void chan_outage_fails_every_tb(void)
{
	struct chan_config cfg = {.seed = 1, .n_outages = 2};
	uint8_t tb[100];
	uint32_t sf;

	cfg.outage[0] =
		(struct chan_outage){.start = 100, .end = 300, .dl = true, .ul = true, .ue = -1};
	cfg.outage[1] = (struct chan_outage){.start = 500, .end = 510, .ul = true, .ue = 1};
	CU_ASSERT_EQUAL_FATAL(chan_init(&ch, &cfg, 2), 0);
	for (sf = 0; sf < 600; sf++) {
		bool all = sf >= 100 && sf < 300, one = sf >= 500 && sf < 510;

		CU_ASSERT_EQUAL(chan_apply(&ch, 0, CHAN_DL, sf, 0, tb, sizeof(tb)), all);
		CU_ASSERT_EQUAL(chan_apply(&ch, 0, CHAN_UL, sf, 0, tb, sizeof(tb)), all);
		CU_ASSERT_EQUAL(chan_apply(&ch, 1, CHAN_DL, sf, 0, tb, sizeof(tb)), all);
		CU_ASSERT_EQUAL(chan_apply(&ch, 1, CHAN_UL, sf, 1, tb, sizeof(tb)), all || one);
	}
	CU_ASSERT_EQUAL(chan_stats(&ch, 1, CHAN_UL)->outage_errors, 210);
	chan_free(&ch);
}

/* Same seed: the same TBs fail with the same bits, whatever else was sent; another seed
 * differs. */
static void chan_deterministic_for_a_seed(void)
{
	struct chan_config cfg = {.seed = 99, .dir = {{.bler = 0.2}, {.bler = 0.2}}};
	static struct chan a, b, c2;
	uint8_t ta[40], tb[40], tc[40];
	uint32_t sf, same = 0, diff_seed = 0;

	cfg.dir[CHAN_DL].burst = true;
	cfg.dir[CHAN_DL].bad_bler = 0.8;
	cfg.dir[CHAN_DL].p_gb = 0.01;
	cfg.dir[CHAN_DL].p_bg = 0.1;
	CU_ASSERT_EQUAL_FATAL(chan_init(&a, &cfg, 1), 0);
	CU_ASSERT_EQUAL_FATAL(chan_init(&b, &cfg, 1), 0);
	cfg.seed = 100;
	CU_ASSERT_EQUAL_FATAL(chan_init(&c2, &cfg, 1), 0);
	for (sf = 0; sf < 20000; sf++) {
		bool ea, eb, ec;

		memset(ta, 0, sizeof(ta));
		memset(tb, 0, sizeof(tb));
		memset(tc, 0, sizeof(tc));
		/* `b` skips subframes and sends on odd ones only: no effect on the others. */
		ea = chan_apply(&a, 0, CHAN_DL, sf, 0, ta, sizeof(ta));
		if (sf % 2 == 0)
			continue;
		eb = chan_apply(&b, 0, CHAN_DL, sf, 0, tb, sizeof(tb));
		ec = chan_apply(&c2, 0, CHAN_DL, sf, 0, tc, sizeof(tc));
		same += ea == eb && memcmp(ta, tb, sizeof(ta)) == 0;
		diff_seed += ea != ec || memcmp(ta, tc, sizeof(ta)) != 0;
	}
	CU_ASSERT_EQUAL(same, 10000);
	CU_ASSERT(diff_seed > 1000);
	chan_free(&a);
	chan_free(&b);
	chan_free(&c2);
}

static void chan_refuses_bad_probabilities(void)
{
	struct chan_config cfg = {.dir = {{.bler = 1.5}}};

	CU_ASSERT_EQUAL(chan_init(&ch, &cfg, 1), L2_EINVAL);
	cfg.dir[0].bler = 0;
	cfg.dir[1].p_bg = -0.1;
	CU_ASSERT_EQUAL(chan_init(&ch, &cfg, 1), L2_EINVAL);
}

TEST_SUITE(sim_chan, TEST_CASE(chan_iid_rates_within_bounds), TEST_CASE(chan_bursts),
	   TEST_CASE(chan_outage_fails_every_tb), TEST_CASE(chan_deterministic_for_a_seed),
	   TEST_CASE(chan_refuses_bad_probabilities))
