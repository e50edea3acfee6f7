/* SPDX-License-Identifier: BSD-2-Clause */
/* The eNB scheduler: round-robin and proportional-fair shares, grants sized by need, capacity. */
#include "test.h"

#include "sched.h"

#define PRBS 50

/* Full buffers, equal channels: RR gives each UE the same bytes to within one PRB a subframe. */
static void sched_rr_full_buffer_is_fair(void)
{
	struct sched s;
	uint64_t total[3] = {0};
	unsigned t, i;

	sched_init(&s, SCHED_RR, 3);
	for (t = 0; t < 3000; t++) {
		struct sched_req r[3];

		for (i = 0; i < 3; i++)
			r[i] = (struct sched_req){
				.ue = (uint16_t)i, .bytes_per_prb = 72, .need = 1000000};
		CU_ASSERT_EQUAL(sched_share(&s, r, 3, PRBS), PRBS);
		for (i = 0; i < 3; i++) {
			CU_ASSERT(r[i].prbs == 16 || r[i].prbs == 17);
			total[i] += r[i].bytes;
		}
		sched_end_subframe(&s);
	}
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(total[i], 3000ull * PRBS * 72 / 3);
}

/* A UE asking for little gets exactly that; the PRBs it leaves go to the others. */
static void sched_rr_grant_sized_by_need(void)
{
	struct sched s;
	struct sched_req r[3] = {
		{.ue = 0, .bytes_per_prb = 72, .need = 100},
		{.ue = 1, .bytes_per_prb = 72, .need = 1000000},
		{.ue = 2, .bytes_per_prb = 72, .need = 0},
	};

	sched_init(&s, SCHED_RR, 3);
	CU_ASSERT_EQUAL(sched_share(&s, r, 3, PRBS), PRBS);
	CU_ASSERT_EQUAL(r[0].prbs, 2);
	CU_ASSERT_EQUAL(r[0].bytes, 100);
	CU_ASSERT_EQUAL(r[1].prbs, PRBS - 2);
	CU_ASSERT_EQUAL(r[1].bytes, (PRBS - 2) * 72);
	CU_ASSERT_EQUAL(r[2].prbs, 0);
	CU_ASSERT_EQUAL(r[2].bytes, 0);
}

/* Needs below the capacity: everyone is served in full and the rest of the cell stays free. */
static void sched_capacity_left_when_needs_are_small(void)
{
	struct sched s;
	struct sched_req r[2] = {
		{.ue = 0, .bytes_per_prb = 72, .need = 500},
		{.ue = 1, .bytes_per_prb = 36, .need = 500},
	};

	sched_init(&s, SCHED_PF, 2);
	CU_ASSERT_EQUAL(sched_share(&s, r, 2, PRBS), 7 + 14);
	CU_ASSERT_EQUAL(r[0].bytes, 500);
	CU_ASSERT_EQUAL(r[1].bytes, 500);
}

/* More UEs than PRBs: every PRB is given, none twice, the rotation moves on. */
static void sched_rr_more_ues_than_prbs(void)
{
	struct sched s;
	unsigned t, i, got[5] = {0};

	sched_init(&s, SCHED_RR, 5);
	for (t = 0; t < 10; t++) {
		struct sched_req r[5];

		for (i = 0; i < 5; i++)
			r[i] = (struct sched_req){
				.ue = (uint16_t)i, .bytes_per_prb = 10, .need = 999};
		CU_ASSERT_EQUAL(sched_share(&s, r, 5, 2), 2);
		for (i = 0; i < 5; i++)
			got[i] += r[i].prbs;
		sched_end_subframe(&s);
	}
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(got[i], 4);
}

/* PF with full buffers and channels 2:1: equal time (PRB) shares, throughput 2:1. */
static void sched_pf_full_buffer_equal_time(void)
{
	struct sched s;
	uint64_t prbs[2] = {0}, bytes[2] = {0};
	unsigned t, i;

	sched_init(&s, SCHED_PF, 2);
	for (t = 0; t < 5000; t++) {
		struct sched_req r[2] = {
			{.ue = 0, .bytes_per_prb = 100, .need = 1000000},
			{.ue = 1, .bytes_per_prb = 50, .need = 1000000},
		};

		sched_share(&s, r, 2, PRBS);
		for (i = 0; i < 2; i++) {
			prbs[i] += r[i].prbs;
			bytes[i] += r[i].bytes;
		}
		sched_end_subframe(&s);
	}
	CU_ASSERT(prbs[0] * 100 >= (prbs[0] + prbs[1]) * 45 &&
		  prbs[0] * 100 <= (prbs[0] + prbs[1]) * 55);
	CU_ASSERT(bytes[0] * 10 >= bytes[1] * 18 && bytes[0] * 10 <= bytes[1] * 22);
}

/* PF: a UE that has not been served goes first until its average catches up. */
static void sched_pf_serves_the_starved_first(void)
{
	struct sched s;
	unsigned t, first_b = 0;

	sched_init(&s, SCHED_PF, 2);
	for (t = 0; t < 300; t++) {
		struct sched_req r[2] = {
			{.ue = 0, .bytes_per_prb = 72, .need = 1000000},
			{.ue = 1, .bytes_per_prb = 72, .need = t >= 200 ? 1000000 : 0},
		};

		sched_share(&s, r, 2, PRBS);
		if (t == 200) {
			CU_ASSERT_EQUAL(r[1].prbs, PRBS);
			CU_ASSERT_EQUAL(r[0].prbs, 0);
		}
		if (t >= 200 && r[1].prbs == PRBS)
			first_b++;
		sched_end_subframe(&s);
	}
	/* UE 1 keeps the cell for a while, then they alternate. */
	CU_ASSERT(first_b > 40 && first_b < 100);
}

TEST_SUITE(sim_sched, TEST_CASE(sched_rr_full_buffer_is_fair),
	   TEST_CASE(sched_rr_grant_sized_by_need),
	   TEST_CASE(sched_capacity_left_when_needs_are_small),
	   TEST_CASE(sched_rr_more_ues_than_prbs), TEST_CASE(sched_pf_full_buffer_equal_time),
	   TEST_CASE(sched_pf_serves_the_starved_first))
