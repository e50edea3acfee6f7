/* SPDX-License-Identifier: BSD-2-Clause */
/* MAC connected-mode DRX (TS 36.321 §5.7): hand-worked Active Time timelines, the next PDCCH
 * to monitor, configuration ranges (TS 36.331 §6.3.2 DRX-Config). */
#include <string.h>

#include "test.h"

#include "l2/mac_drx.h"
#include "l3/rrc_sm.h"

/* Active Time per subframe from `base` on, '1' or '0', as the subframes are fed. */
static char line[128];
static unsigned base;

static int feed(struct mac_drx *d, unsigned t, const struct mac_drx_events *ev)
{
	unsigned w = t % MAC_DRX_SFN_PERIOD;
	int rc = mac_drx_subframe(d, (uint16_t)(w / 10), (uint8_t)(w % 10), ev);

	if (rc == 0 && t >= base && t - base < sizeof(line) - 1)
		line[t - base] = mac_drx_active(d) ? '1' : '0';
	return rc;
}

/* Subframes [from, to) with nothing happening. */
static void idle(struct mac_drx *d, unsigned from, unsigned to)
{
	unsigned t;

	for (t = from; t < to; t++)
		CU_ASSERT_EQUAL(feed(d, t, NULL), 0);
}

static void start(unsigned at)
{
	memset(line, 0, sizeof(line));
	base = at;
}

static const struct mac_drx_events none;

/* §5.7 long cycle only: onDurationTimer starts where [(SFN*10)+subframe] mod 10 = 3, runs 2. */
static void mac_ts36321_5_7_long_cycle(void)
{
	struct mac_drx_config c = {
		.on_duration = 2, .inactivity = 1, .retx = 1, .long_cycle = 10, .start_offset = 3};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), L2_ESTATE); /* nothing fed yet */
	start(0);
	CU_ASSERT_EQUAL(feed(&d, 0, NULL), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 3);
	CU_ASSERT_EQUAL(sfn, 0);
	CU_ASSERT_EQUAL(sf, 3);
	idle(&d, 1, 5);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 9); /* from 4 to 13 */
	CU_ASSERT_EQUAL(sfn, 1);
	CU_ASSERT_EQUAL(sf, 3);
	idle(&d, 5, 30);
	CU_ASSERT_STRING_EQUAL(line, "000110000000011000000001100000");
	CU_ASSERT_EQUAL(d.stats.subframes, 30);
	CU_ASSERT_EQUAL(d.stats.active, 6);
	CU_ASSERT_EQUAL(d.stats.on_durations, 3);
}

/* §5.7 short then long: long 20 offset 5, short 5 for 2 cycles, onDuration 1, inactivity 2.
 * PDCCH (new DL data) at 5: inactivity runs 6..7, expires at 8: short cycle with
 * drxShortCycleTimer for 10 subframes (8..17); onDurations at 10 and 15 (t mod 5 = 5 mod 5);
 * the timer expires at 18: long cycle again, so 20 is asleep and 25 is the next. */
static void mac_ts36321_5_7_short_then_long(void)
{
	struct mac_drx_config c = {.on_duration = 1,
				   .inactivity = 2,
				   .retx = 1,
				   .long_cycle = 20,
				   .start_offset = 5,
				   .short_cycle = 5,
				   .short_cycle_timer = 2};
	struct mac_drx_events ev = {.dl = true, .dl_new_tx = true, .dl_harq = 0};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	start(0);
	idle(&d, 0, 5);
	CU_ASSERT_EQUAL(feed(&d, 5, &ev), 0);
	idle(&d, 6, 9);
	CU_ASSERT_TRUE(d.short_in_use);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 2); /* 8 -> 10 */
	CU_ASSERT_EQUAL(sfn * 10 + sf, 10);
	idle(&d, 9, 16);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 10); /* 15 -> 25: long by then */
	CU_ASSERT_EQUAL(sfn * 10 + sf, 25);
	idle(&d, 16, 30);
	CU_ASSERT_FALSE(d.short_in_use);
	CU_ASSERT_STRING_EQUAL(line, "000001110010000100000000010000");
	CU_ASSERT_EQUAL(d.stats.on_durations, 4); /* 5, 10, 15, 25 */
}

/* §5.7 drx-InactivityTimer (4): started by an UL grant at 1 (runs 2..5), restarted by new DL
 * data at 4 (runs 5..8); a DL retransmission at 8 does not restart it. No short cycle: back to
 * the long cycle of 40 at 9, and a PDCCH outside Active Time is refused with nothing changed. */
static void mac_ts36321_5_7_inactivity_extension(void)
{
	struct mac_drx_config c = {
		.on_duration = 2, .inactivity = 4, .retx = 8, .long_cycle = 40, .start_offset = 0};
	struct mac_drx_events ul = {.ul_new_tx = true};
	struct mac_drx_events dl = {.dl = true, .dl_new_tx = true, .dl_harq = 3};
	struct mac_drx_events re = {.dl = true, .dl_harq = 1};
	struct mac_drx d, before;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	start(0);
	CU_ASSERT_EQUAL(feed(&d, 0, NULL), 0);
	CU_ASSERT_EQUAL(feed(&d, 1, &ul), 0);
	idle(&d, 2, 4);
	CU_ASSERT_EQUAL(feed(&d, 4, &dl), 0);
	idle(&d, 5, 8);
	CU_ASSERT_EQUAL(feed(&d, 8, &re), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 32); /* 8 -> 40 */
	CU_ASSERT_EQUAL(sfn, 4);
	CU_ASSERT_EQUAL(sf, 0);
	memcpy(&before, &d, sizeof(d));
	CU_ASSERT_EQUAL(feed(&d, 9, &ul), L2_ESTATE);
	CU_ASSERT_EQUAL(memcmp(&d, &before, sizeof(d)), 0);
	idle(&d, 9, 42);
	CU_ASSERT_STRING_EQUAL(line, "111111111000000000000000000000000000000011");
}

/* §5.7 HARQ RTT Timer (8 subframes, FDD) and drx-RetransmissionTimer (4): new DL data on
 * process 2 at 0 not decoded; RTT expires at 8: retransmission timer 8..11. The retransmission
 * at 10 stops it (nothing at 11) and fails again: RTT to 18, timer 18..21, stopped at 19 by a
 * retransmission that decodes; its RTT expiry at 27 starts nothing. */
static void mac_ts36321_5_7_retransmission_after_nack(void)
{
	struct mac_drx_config c = {
		.on_duration = 2, .inactivity = 1, .retx = 4, .long_cycle = 40, .start_offset = 0};
	struct mac_drx_events first = {
		.dl = true, .dl_new_tx = true, .dl_harq = 2, .dl_nack = true};
	struct mac_drx_events again = {.dl = true, .dl_harq = 2, .dl_nack = true};
	struct mac_drx_events ok = {.dl = true, .dl_harq = 2};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	start(0);
	CU_ASSERT_EQUAL(feed(&d, 0, &first), 0);
	CU_ASSERT_EQUAL(feed(&d, 1, NULL), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 7); /* 1 -> 8: RTT expiry, NACK */
	CU_ASSERT_EQUAL(sf, 8);
	idle(&d, 2, 10);
	CU_ASSERT_EQUAL(feed(&d, 10, &again), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 8); /* 10 -> 18 */
	idle(&d, 11, 19);
	CU_ASSERT_EQUAL(feed(&d, 19, &ok), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 21); /* 19 -> 40: no retx at 27 */
	idle(&d, 20, 42);
	CU_ASSERT_STRING_EQUAL(line, "110000001110000000110000000000000000000011");
}

/* §5.7 Active Time conditions: SR pending at 2..3 (the grant at 3 starts inactivity of 1: 4);
 * RA at 6, an UL HARQ retransmission grant possible at 7; onDuration at 10 (long 80). */
static void mac_ts36321_5_7_sr_pending_keeps_active(void)
{
	struct mac_drx_config c = {
		.on_duration = 1, .inactivity = 1, .retx = 1, .long_cycle = 80, .start_offset = 10};
	struct mac_drx_events sr = {.sr_pending = true};
	struct mac_drx_events grant = {.sr_pending = true, .ul_new_tx = true};
	struct mac_drx_events ra = {.ra_active = true};
	struct mac_drx_events ulre = {.ul_retx_pending = true};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	start(0);
	idle(&d, 0, 2);
	CU_ASSERT_EQUAL(feed(&d, 2, &sr), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 1); /* the SR stays pending */
	CU_ASSERT_EQUAL(feed(&d, 3, &grant), 0);
	CU_ASSERT_EQUAL(feed(&d, 4, &none), 0);
	CU_ASSERT_EQUAL(feed(&d, 5, &none), 0);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 5); /* 5 -> 10 */
	CU_ASSERT_EQUAL(feed(&d, 6, &ra), 0);
	CU_ASSERT_EQUAL(feed(&d, 7, &ulre), 0);
	idle(&d, 8, 13);
	CU_ASSERT_STRING_EQUAL(line, "0011101100100");
}

/* Next wake across the SFN wrap (1024 frames = 10240 subframes): long 1280 offset 100 from
 * SFN 1023: 1023.0 is 10230 = 1270 mod 1280, the next start is SFN 10 subframe 0. */
static void mac_ts36321_5_7_next_wake_sfn_wrap(void)
{
	struct mac_drx_config c = {.on_duration = 1,
				   .inactivity = 1,
				   .retx = 1,
				   .long_cycle = 1280,
				   .start_offset = 100};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 1023, 0, NULL), 0);
	CU_ASSERT_FALSE(mac_drx_active(&d));
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 110);
	CU_ASSERT_EQUAL(sfn, 10);
	CU_ASSERT_EQUAL(sf, 0);
	/* Sleep until then: the subframes between pass with nothing happening. */
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, sfn, sf, NULL), 0);
	CU_ASSERT_TRUE(mac_drx_active(&d));
	CU_ASSERT_EQUAL(d.stats.subframes, 111);
	CU_ASSERT_EQUAL(d.stats.active, 1);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 1280);
	CU_ASSERT_EQUAL(sfn, 138);
	CU_ASSERT_EQUAL(sf, 0);
	/* The same subframe twice is refused. */
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 10, 0, NULL), L2_EINVAL);
}

/* §5.7 DRX Command MAC CE (§6.1.3.3) across the wrap: long 20 offset 18, onDuration 4 starts
 * at 10238; the command arrives with new DL data there: onDuration and the inactivity timer its
 * PDCCH started stop, the short cycle (5, 2 cycles: 10238..10247) starts. Short starts are
 * t mod 5 = 18 mod 5 = 3: SFN 0 subframe 3 (4 subframes); the timer expires at SFN 0
 * subframe 8, itself a short start, so the long cycle is used from there. */
static void mac_ts36321_5_7_drx_command_short_cycle_wrap(void)
{
	struct mac_drx_config c = {.on_duration = 4,
				   .inactivity = 10,
				   .retx = 1,
				   .long_cycle = 20,
				   .start_offset = 18,
				   .short_cycle = 5,
				   .short_cycle_timer = 2};
	struct mac_drx_events cmd = {.dl = true, .dl_new_tx = true, .dl_harq = 5, .drx_cmd = true};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	start(10236);
	idle(&d, 10236, 10238);
	CU_ASSERT_EQUAL(feed(&d, 10238, &cmd), 0);
	CU_ASSERT_EQUAL(d.stats.drx_commands, 1);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 5);
	CU_ASSERT_EQUAL(sfn, 0);
	CU_ASSERT_EQUAL(sf, 3);
	idle(&d, 10239, 10247);
	/* From 0.6: 0.8 would be a short start, but drxShortCycleTimer expires there: long. */
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 12);
	CU_ASSERT_EQUAL(sfn, 1);
	CU_ASSERT_EQUAL(sf, 8);
	idle(&d, 10247, 10260);
	/* 10238 on (stopped by the command), 0.3..0.6 short onDuration, 1.8..1.9 long. */
	CU_ASSERT_STRING_EQUAL(line, "001000011110000000000011");
}

/* §5.7 drxShortCycleTimer expiring while asleep: long 20 offset 5, short 5 for 2 cycles. A DRX
 * Command at 14 (Active Time through an SR) starts the short cycle (timer 14..23): onDurations
 * at 15 and 20; the UE sleeps from 20 to 25, the timer expiring at 24 on the way, so after 25
 * (a long start) the long cycle holds: the next wake is 45, not the short cycle's 30. */
static void mac_ts36321_5_7_short_cycle_ends_asleep(void)
{
	struct mac_drx_config c = {.on_duration = 1,
				   .inactivity = 1,
				   .retx = 1,
				   .long_cycle = 20,
				   .start_offset = 5,
				   .short_cycle = 5,
				   .short_cycle_timer = 2};
	struct mac_drx_events cmd = {.sr_pending = true, .drx_cmd = true};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	start(0);
	idle(&d, 0, 14);
	CU_ASSERT_EQUAL(feed(&d, 14, &cmd), 0);
	idle(&d, 15, 21);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 5);
	CU_ASSERT_EQUAL(feed(&d, 25, NULL), 0);
	CU_ASSERT_TRUE(mac_drx_active(&d));
	CU_ASSERT_FALSE(d.short_in_use);
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 20);
	CU_ASSERT_EQUAL(sfn, 4);
	CU_ASSERT_EQUAL(sf, 5);
	CU_ASSERT_STRING_EQUAL(line, "000001000000001100001");
	CU_ASSERT_EQUAL(d.stats.subframes, 26);
}

/* No DRX (released): every subframe is Active Time, the next wake is the next subframe. */
static void mac_ts36321_5_7_released(void)
{
	struct mac_drx_config c = {
		.on_duration = 1, .inactivity = 1, .retx = 1, .long_cycle = 10, .start_offset = 0};
	struct mac_drx d;
	uint16_t sfn;
	uint8_t sf;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &c), 0);
	CU_ASSERT_EQUAL(mac_drx_configure(&d, NULL), 0);
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 1023, 9, NULL), 0);
	CU_ASSERT_TRUE(mac_drx_active(&d));
	CU_ASSERT_EQUAL(mac_drx_next_wake(&d, &sfn, &sf), 1);
	CU_ASSERT_EQUAL(sfn, 0);
	CU_ASSERT_EQUAL(sf, 0);
}

/* TS 36.331 §6.3.2 DRX-Config ranges: every listed value accepted, anything else refused with
 * L2_EINVAL and the entity unchanged; bad subframe arguments refused too. */
static void mac_ts36331_6_3_2_invalid_config(void)
{
	static const uint16_t longs[] = {10,  20,  32,	40,  64,   80,	 128,  160,
					 256, 320, 512, 640, 1024, 1280, 2048, 2560};
	static const uint16_t shorts[] = {2,  5,  8,   10,  16,	 20,  32,  40,
					  64, 80, 128, 160, 256, 320, 512, 640};
	const struct mac_drx_config ok = {.on_duration = 10,
					  .inactivity = 100,
					  .retx = 8,
					  .long_cycle = 40,
					  .start_offset = 39,
					  .short_cycle = 20,
					  .short_cycle_timer = 16};
	struct mac_drx_config c;
	struct mac_drx_events bad_harq = {.dl = true, .dl_harq = 8};
	struct mac_drx d, before;
	unsigned i, j, v, accepted;

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &ok), 0);
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 0, 0, NULL), 0);
	memcpy(&before, &d, sizeof(d));
#define REFUSED(field, value)                                          \
	do {                                                           \
		c = ok;                                                \
		c.field = (value);                                     \
		CU_ASSERT_EQUAL(mac_drx_configure(&d, &c), L2_EINVAL); \
	} while (0)
	REFUSED(on_duration, 0);
	REFUSED(on_duration, 7);
	REFUSED(on_duration, 201);
	REFUSED(inactivity, 0);
	REFUSED(inactivity, 7);
	REFUSED(inactivity, 1000);
	REFUSED(inactivity, 2561);
	REFUSED(retx, 0);
	REFUSED(retx, 3);
	REFUSED(retx, 34);
	REFUSED(long_cycle, 30);
	REFUSED(long_cycle, 5120);
	REFUSED(start_offset, 40); /* 0 .. long_cycle - 1 */
	REFUSED(short_cycle, 3);
	REFUSED(short_cycle, 30); /* not a listed value */
	REFUSED(short_cycle, 80); /* longer than the long cycle */
	REFUSED(short_cycle_timer, 0);
	REFUSED(short_cycle_timer, 17);
	c = ok;
	c.long_cycle = 32;
	c.start_offset = 0;
	c.short_cycle = 5; /* 32 is no multiple of 5 */
	CU_ASSERT_EQUAL(mac_drx_configure(&d, &c), L2_EINVAL);
	CU_ASSERT_EQUAL(mac_drx_configure(NULL, &ok), L2_EINVAL);
	CU_ASSERT_EQUAL(memcmp(&d, &before, sizeof(d)), 0);

	/* Values of onDurationTimer, drx-InactivityTimer, drx-RetransmissionTimer: 16, 22, 8. */
	for (accepted = 0, v = 0; v <= 2600; v++) {
		c = ok;
		c.on_duration = (uint16_t)v;
		accepted += mac_drx_configure(&d, &c) == 0;
	}
	CU_ASSERT_EQUAL(accepted, 16);
	for (accepted = 0, v = 0; v <= 2600; v++) {
		c = ok;
		c.inactivity = (uint16_t)v;
		accepted += mac_drx_configure(&d, &c) == 0;
	}
	CU_ASSERT_EQUAL(accepted, 22);
	for (accepted = 0, v = 0; v <= 255; v++) {
		c = ok;
		c.retx = (uint8_t)v;
		accepted += mac_drx_configure(&d, &c) == 0;
	}
	CU_ASSERT_EQUAL(accepted, 8);
	/* Long/short pairs where the long cycle is a multiple of the short one. */
	for (accepted = 0, i = 0; i < 16; i++)
		for (j = 0; j < 16; j++) {
			c = ok;
			c.long_cycle = longs[i];
			c.start_offset = (uint16_t)(longs[i] - 1);
			c.short_cycle = shorts[j];
			accepted += mac_drx_configure(&d, &c) == 0;
			CU_ASSERT_EQUAL(mac_drx_configure(&d, &c) == 0, longs[i] % shorts[j] == 0);
		}
	CU_ASSERT_EQUAL(accepted, 134);

	CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &ok), 0);
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 1024, 0, NULL), L2_EINVAL);
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 0, 10, NULL), L2_EINVAL);
	CU_ASSERT_EQUAL(mac_drx_subframe(&d, 0, 0, &bad_harq), L2_EINVAL);
	CU_ASSERT_FALSE(d.started);
}

/* The next wake agrees with what happens: from random traffic (events only in Active Time), the
 * UE sleeps to the predicted subframe; every subframe before it, fed one by one on a copy, is
 * outside Active Time and the predicted one is inside, where both copies are equal. After new data the UE stays active for
 * drx-InactivityTimer subframes. Deterministic (fixed LCG seed), across several SFN wraps. */
static void mac_ts36321_5_7_next_wake_matches_timeline(void)
{
	static const struct mac_drx_config cfgs[] = {
		{.on_duration = 2, .inactivity = 3, .retx = 4, .long_cycle = 40, .start_offset = 7},
		{.on_duration = 5,
		 .inactivity = 10,
		 .retx = 2,
		 .long_cycle = 160,
		 .start_offset = 150,
		 .short_cycle = 20,
		 .short_cycle_timer = 3},
		{.on_duration = 1,
		 .inactivity = 1,
		 .retx = 33,
		 .long_cycle = 2560,
		 .start_offset = 2559,
		 .short_cycle = 2,
		 .short_cycle_timer = 16},
	};
	uint32_t rnd = 12345;
	unsigned k, t, i, wakes = 0, bursts = 0;

	for (k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
		struct mac_drx d, probe;
		uint16_t sfn;
		uint8_t sf;
		int n;

		CU_ASSERT_EQUAL_FATAL(mac_drx_configure(&d, &cfgs[k]), 0);
		CU_ASSERT_EQUAL_FATAL(mac_drx_subframe(&d, 1000, 0, NULL), 0);
		t = 10000;
		while (t < 10000 + 3 * MAC_DRX_SFN_PERIOD) {
			struct mac_drx_events ev = {0};

			n = mac_drx_next_wake(&d, &sfn, &sf);
			CU_ASSERT_FATAL(n >= 1);
			probe = d;
			for (i = 1; i < (unsigned)n; i++) {
				CU_ASSERT_EQUAL(feed(&probe, t + i, NULL), 0);
				CU_ASSERT_FALSE(mac_drx_active(&probe));
			}
			t += (unsigned)n;
			CU_ASSERT_EQUAL((t % MAC_DRX_SFN_PERIOD), sfn * 10u + sf);
			rnd = rnd * 1103515245u + 12345u;
			/* Sometimes a burst: new data, a NACK, an UL grant, a DRX command. */
			if ((rnd >> 16) % 3 == 0) {
				ev.dl = true;
				ev.dl_new_tx = (rnd >> 20) % 2 == 0;
				ev.dl_harq = (uint8_t)((rnd >> 8) % 8);
				ev.dl_nack = (rnd >> 24) % 4 == 0;
				ev.ul_new_tx = (rnd >> 26) % 2 == 0;
				ev.drx_cmd = (rnd >> 28) % 8 == 0;
			}
			CU_ASSERT_EQUAL_FATAL(feed(&d, t, &ev), 0);
			CU_ASSERT_TRUE(mac_drx_active(&d));
			/* Sleeping through (one call) and stepping each subframe agree exactly. */
			CU_ASSERT_EQUAL_FATAL(feed(&probe, t, &ev), 0);
			CU_ASSERT_EQUAL(memcmp(&probe, &d, sizeof(d)), 0);
			wakes++;
			if ((ev.dl_new_tx || ev.ul_new_tx) && !ev.drx_cmd) {
				bursts++;
				for (i = 1; i <= cfgs[k].inactivity; i++) {
					CU_ASSERT_EQUAL_FATAL(feed(&d, t + i, NULL), 0);
					CU_ASSERT_TRUE(mac_drx_active(&d));
				}
				t += cfgs[k].inactivity;
			}
		}
	}
	CU_ASSERT(wakes > 100);
	CU_ASSERT(bursts > 20);
}

/* TS 36.331 §6.3.2: DRX-Config as RRC decodes it (ASN.1 indexes) to subframes, then MAC. */
static void mac_ts36331_6_3_2_drx_config_from_rrc(void)
{
	struct rrc_mac_config m = {.has_drx = true,
				   .drx_setup = true,
				   .on_duration_timer = 7,     /* psf10 */
				   .drx_inactivity_timer = 14, /* psf100 */
				   .drx_retx_timer = 4,	       /* psf8 */
				   .long_cycle = 9,	       /* sf320 */
				   .drx_offset = 17,
				   .has_short_drx = true,
				   .short_cycle = 9, /* sf80 */
				   .short_cycle_timer = 4};
	struct mac_drx_config c;
	struct mac_drx d;

	CU_ASSERT_EQUAL_FATAL(rrc_drx_config(&m, &c), 0);
	CU_ASSERT_EQUAL(c.on_duration, 10);
	CU_ASSERT_EQUAL(c.inactivity, 100);
	CU_ASSERT_EQUAL(c.retx, 8);
	CU_ASSERT_EQUAL(c.long_cycle, 320);
	CU_ASSERT_EQUAL(c.start_offset, 17);
	CU_ASSERT_EQUAL(c.short_cycle, 80);
	CU_ASSERT_EQUAL(c.short_cycle_timer, 4);
	CU_ASSERT_EQUAL(mac_drx_configure(&d, &c), 0);
	/* Last values of each enumeration; psf0-v1020 and the spares are refused. */
	m.on_duration_timer = 15;
	m.drx_inactivity_timer = 21;
	m.drx_retx_timer = 7;
	m.long_cycle = 15;
	m.short_cycle = 15;
	CU_ASSERT_EQUAL_FATAL(rrc_drx_config(&m, &c), 0);
	CU_ASSERT_EQUAL(c.on_duration, 200);
	CU_ASSERT_EQUAL(c.inactivity, 2560);
	CU_ASSERT_EQUAL(c.retx, 33);
	CU_ASSERT_EQUAL(c.long_cycle, 2560);
	CU_ASSERT_EQUAL(c.short_cycle, 640);
	CU_ASSERT_EQUAL(mac_drx_configure(&d, &c), 0);
	m.drx_inactivity_timer = 22;
	CU_ASSERT_EQUAL(rrc_drx_config(&m, &c), L2_EINVAL);
	m.drx_inactivity_timer = 0;
	m.short_cycle = 12; /* sf256: 2560 is a multiple, but 320 would not be */
	m.long_cycle = 9;
	CU_ASSERT_EQUAL_FATAL(rrc_drx_config(&m, &c), 0);
	CU_ASSERT_EQUAL(mac_drx_configure(&d, &c), L2_EINVAL);
	/* Release: all zero, no DRX. */
	m.drx_setup = false;
	CU_ASSERT_EQUAL_FATAL(rrc_drx_config(&m, &c), 0);
	CU_ASSERT_EQUAL(c.long_cycle, 0);
	CU_ASSERT_EQUAL(mac_drx_configure(&d, &c), L2_EINVAL);
	CU_ASSERT_EQUAL(mac_drx_configure(&d, NULL), 0);
}

TEST_SUITE(mac_drx, TEST_CASE(mac_ts36321_5_7_long_cycle),
	   TEST_CASE(mac_ts36321_5_7_short_then_long),
	   TEST_CASE(mac_ts36321_5_7_inactivity_extension),
	   TEST_CASE(mac_ts36321_5_7_retransmission_after_nack),
	   TEST_CASE(mac_ts36321_5_7_sr_pending_keeps_active),
	   TEST_CASE(mac_ts36321_5_7_next_wake_sfn_wrap),
	   TEST_CASE(mac_ts36321_5_7_drx_command_short_cycle_wrap),
	   TEST_CASE(mac_ts36321_5_7_short_cycle_ends_asleep), TEST_CASE(mac_ts36321_5_7_released),
	   TEST_CASE(mac_ts36321_5_7_next_wake_matches_timeline),
	   TEST_CASE(mac_ts36331_6_3_2_invalid_config),
	   TEST_CASE(mac_ts36331_6_3_2_drx_config_from_rrc))
