/* SPDX-License-Identifier: BSD-2-Clause */
/* The whole simulator in process: host UEs through the link codec, lockstep, channel, traffic, KPIs. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "runner.h"
#include "ue_host.h"

#ifndef SIM_TEST_DIR
#define SIM_TEST_DIR "build/sim-test"
#endif

static struct sim_config cfg;
static struct sim sim;

static void base_config(const char *name, unsigned n_ue)
{
	char err[256];
	unsigned i;

	config_defaults(&cfg);
	mkdir(SIM_TEST_DIR, 0755);
	snprintf(cfg.out_dir, sizeof(cfg.out_dir), "%s/%s", SIM_TEST_DIR, name);
	mkdir(cfg.out_dir, 0755);
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	cfg.duration_ms = 1500;
	cfg.enb.n_ue = n_ue;
	cfg.chan.dir[CHAN_DL].bler = cfg.chan.dir[CHAN_UL].bler = 0.1;
	for (i = 0; i < n_ue; i++) {
		cfg.flow[cfg.n_flows++] = (struct flow_config){.ue = i,
							       .type = FLOW_CBR,
							       .dir = FLOW_DL,
							       .drb = 1,
							       .size = 1250,
							       .rate_kbps = 10000 / n_ue,
							       .start_ms = 50,
							       .stop_ms = 1200};
		cfg.flow[cfg.n_flows++] = (struct flow_config){.ue = i,
							       .type = FLOW_CBR,
							       .dir = FLOW_UL,
							       .drb = 1,
							       .size = 1000,
							       .rate_kbps = 2000 / n_ue,
							       .start_ms = 50,
							       .stop_ms = 1200};
		cfg.flow[cfg.n_flows++] = (struct flow_config){.ue = i,
							       .type = FLOW_ECHO,
							       .dir = FLOW_UL,
							       .drb = 1,
							       .size = 84,
							       .interval_ms = 20,
							       .start_ms = 50,
							       .stop_ms = 1200};
	}
	CU_ASSERT_EQUAL_FATAL(config_check(&cfg, err, sizeof(err)), 0);
}

static void check_delivery(unsigned i)
{
	unsigned f;

	for (f = 0; f < sim.traffic.n; f++) {
		const struct flow *fl = &sim.traffic.flow[f];

		if (fl->cfg.ue != i)
			continue;
		CU_ASSERT_EQUAL(fl->rx.pkts, fl->tx_pkts);
		CU_ASSERT_EQUAL(fl->rx.lost_bytes + fl->rx.dup_bytes + fl->rx.corrupt_bytes, 0);
		CU_ASSERT_EQUAL(fl->reply.lost_bytes + fl->reply.corrupt_bytes, 0);
		CU_ASSERT_EQUAL(flow_in_flight(fl), 0);
		CU_ASSERT(fl->tx_pkts > 0);
	}
	/* Every TB the channel hit failed its CRC on the receiving side and was not taken. */
	CU_ASSERT(sim.ue[i].dl_corrupted > 0);
	CU_ASSERT(sim.ue[i].ul_corrupted > 0);
	CU_ASSERT_EQUAL(sim.ue[i].dl_corrupt_acked, 0);
	CU_ASSERT_EQUAL(sim.ue[i].ul_corrupt_passed, 0);
	CU_ASSERT_EQUAL(sim.ue[i].refused.malformed + sim.ue[i].refused.sequence +
				sim.ue[i].refused.unexpected,
			0);
	CU_ASSERT_EQUAL(sim.enb.ue[i].stats.connections, 1);
}

/* One host UE at 10 % TB errors both ways: everything delivered once, in order, intact. */
static void runner_one_ue_delivers_everything(void)
{
	FILE *null = fopen("/dev/null", "w");

	base_config("one", 1);
	CU_ASSERT_EQUAL_FATAL(sim_init(&sim, &cfg, false), 0);
	CU_ASSERT_EQUAL(sim_run(&sim), 0);
	CU_ASSERT_STRING_EQUAL(sim.error, "");
	CU_ASSERT_EQUAL(sim.sf, cfg.duration_ms);
	check_delivery(0);
	CU_ASSERT(sim.enb.ue[0].dl.stats.retx > 0);
	CU_ASSERT(sim.enb.ue[0].ul.stats.retx > 0);
	CU_ASSERT_EQUAL(kpi_write(&sim, null), 0);
	fclose(null);
	sim_free(&sim);
}

/* Four UEs share the cell (random access each, one cell's PRBs); each gets all its data. */
static void runner_four_ues_share_the_cell(void)
{
	unsigned i;

	base_config("four", 4);
	CU_ASSERT_EQUAL_FATAL(sim_init(&sim, &cfg, false), 0);
	CU_ASSERT_EQUAL(sim_run(&sim), 0);
	for (i = 0; i < 4; i++)
		check_delivery(i);
	sim_free(&sim);
}

/*
 * An UL TB lost at maxHARQ-Tx may carry the only BSR telling the eNB that the UE has data
 * again: the UE raises no new regular BSR while its buffers stay non-empty (TS 36.321
 * §5.4.5), so an eNB waiting for one left it without grants until retxBSR-Timer (320 ms):
 * UL packets queued that long and the UE's RLC refused some. The eNB now grants after a
 * drop as for an SR: the UL recovers within the outage plus a few HARQ round trips.
 */
static void runner_ul_recovers_after_harq_drop(void)
{
	unsigned f;

	base_config("ul_drop", 1);
	cfg.chan.dir[CHAN_DL].bler = cfg.chan.dir[CHAN_UL].bler = 0;
	cfg.chan.outage[cfg.chan.n_outages++] =
		(struct chan_outage){.start = 400, .end = 430, .ul = true, .ue = -1};
	CU_ASSERT_EQUAL_FATAL(sim_init(&sim, &cfg, false), 0);
	CU_ASSERT_EQUAL(sim_run(&sim), 0);
	CU_ASSERT(sim.enb.ue[0].ul.stats.drops > 0);
	for (f = 0; f < sim.traffic.n; f++) {
		const struct flow *fl = &sim.traffic.flow[f];

		CU_ASSERT_EQUAL(fl->rx.pkts, fl->tx_pkts);
		CU_ASSERT_EQUAL(fl->rx.lost_bytes + fl->rx.dup_bytes + fl->rx.corrupt_bytes, 0);
		if (fl->cfg.dir == FLOW_UL && fl->cfg.type == FLOW_CBR)
			CU_ASSERT(fl->rx.lat_max < 150);
	}
	sim_free(&sim);
}

/*
 * Attach mode with host UEs: the AP's AT commands power each UE on, the MME authenticates
 * them (UE 1 with a K the HSS does not have: refused), they register with the address of
 * their flows, carry everything, and detach at the end.
 */
static void runner_attach_mode(void)
{
	char err[256];
	unsigned i, k;

	base_config("attach", 3);
	cfg.enb.attach = true;
	cfg.ue[1].hss_k_set = true;
	memcpy(cfg.ue[1].hss_k, cfg.ue[1].sim.k, 16);
	cfg.ue[1].hss_k[0] ^= 1;
	for (i = k = 0; i < cfg.n_flows; i++) /* no flows for the refused UE */
		if (cfg.flow[i].ue != 1)
			cfg.flow[k++] = cfg.flow[i];
	cfg.n_flows = k;
	CU_ASSERT_EQUAL_FATAL(config_check(&cfg, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(sim_init(&sim, &cfg, false), 0);
	CU_ASSERT_EQUAL(sim_run(&sim), 0);
	for (i = 0; i < 3; i++) {
		const struct sim_ap *a = &sim.ue[i].ap;
		const struct enb_l3_stats *l = &sim.enb.ue[i].l3;

		CU_ASSERT_EQUAL(a->at_errors, 0);
		CU_ASSERT_TRUE(a->cfun_sent);
		if (i == 1) {
			CU_ASSERT_EQUAL(a->registrations, 0);
			CU_ASSERT_EQUAL(l->auth_failures, 1);
			CU_ASSERT_EQUAL(l->attaches, 0);
			continue;
		}
		CU_ASSERT_EQUAL(a->registrations, 1);
		CU_ASSERT(a->attach_subframes > 10 && a->attach_subframes < 200);
		CU_ASSERT_EQUAL(a->addr[0], 10);
		CU_ASSERT_EQUAL(a->addr[3], 2 + i);
		CU_ASSERT_EQUAL(l->attaches, 1);
		CU_ASSERT_EQUAL(l->detaches, 1);
		CU_ASSERT(a->csq >= 0 && a->csq <= 31);
		check_delivery(i);
	}
	sim_free(&sim);
}

/* A UE whose loader cannot start: a clear error naming the UE, no crash, no hang. */
static void runner_dead_qemu_is_an_error(void)
{
	base_config("dead", 1);
	cfg.ue[0].kind = UE_QEMU;
	snprintf(cfg.ue[0].cmd, sizeof(cfg.ue[0].cmd), "echo loader failed; exit 3");
	cfg.ue[0].timeout_ms = 5000;
	CU_ASSERT_EQUAL_FATAL(sim_init(&sim, &cfg, false), 0);
	CU_ASSERT_EQUAL(sim_run(&sim), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sim.error, "UE 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(sim.error, "status 3"));
	sim_free(&sim);
}

/* A loader that never answers: the timeout ends the run with an error. */
static void runner_hung_qemu_times_out(void)
{
	base_config("hung", 1);
	cfg.ue[0].kind = UE_QEMU;
	snprintf(cfg.ue[0].cmd, sizeof(cfg.ue[0].cmd), "exec sleep 30 {radio_fd} {host_fd}");
	cfg.ue[0].timeout_ms = 300;
	CU_ASSERT_EQUAL_FATAL(sim_init(&sim, &cfg, false), 0);
	CU_ASSERT_EQUAL(sim_run(&sim), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sim.error, "timeout"));
	sim_free(&sim);
}

TEST_SUITE(sim_runner, TEST_CASE(runner_one_ue_delivers_everything), TEST_CASE(runner_attach_mode),
	   TEST_CASE(runner_four_ues_share_the_cell), TEST_CASE(runner_ul_recovers_after_harq_drop),
	   TEST_CASE(runner_dead_qemu_is_an_error), TEST_CASE(runner_hung_qemu_times_out))
