/* SPDX-License-Identifier: BSD-2-Clause */
/* l4e-sim: run a simulated LTE cell against host UE models or firmware under QEMU. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "ue_host.h"

static void usage(void)
{
	fprintf(stderr, "usage: l4e-sim [--progress | --no-progress] [--set key=value]... CONFIG\n"
			"  CONFIG: key = value lines (sim/README.md); tools/sim writes them from "
			"a scenario\n");
}

/* The host UE models' own counters, as their "console". */
static void host_consoles(struct sim *s)
{
	unsigned i;

	for (i = 0; i < s->cfg->enb.n_ue; i++) {
		struct ue_host *h = s->ue[i].port ? port_inproc_ue(s->ue[i].port) : NULL;
		FILE *f;

		if (!h || !(f = fopen(s->ue[i].console, "w")))
			continue;
		fprintf(f,
			"host UE %u: connections %u, random access %u (failed %u), radio link "
			"failures %u (RLC %u, SR %u)\n"
			"  DL TBs %u (CRC failed %u, duplicates %u), UL TBs %u (retransmitted %u), "
			"SRs %u\n"
			"  AP: %u UL packets taken (%u refused), %u DL packets given (%u dropped), "
			"%u SRB SDUs, %u messages refused\n",
			i, h->stats.connections, h->stats.ra_started, h->stats.ra_failed,
			h->stats.rlf, h->stats.rlf_rlc, h->stats.rlf_sr, h->stats.dl_tbs,
			h->stats.dl_crc_fail, h->stats.dl_dup, h->stats.ul_tbs, h->stats.ul_retx,
			h->stats.sr, h->stats.ap_ul_pkts, h->stats.ap_ul_refused,
			h->stats.ap_dl_pkts, h->stats.ap_dl_dropped, h->stats.srb_rx_sdus,
			h->stats.rx_refused);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	static struct sim_config cfg;
	static struct sim sim;
	const char *path = NULL;
	char err[1024];
	int progress = isatty(2), i, rc;
	struct {
		const char *key, *value;
	} sets[64];
	unsigned n_sets = 0, k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--progress")) {
			progress = 1;
		} else if (!strcmp(argv[i], "--no-progress")) {
			progress = 0;
		} else if (!strcmp(argv[i], "--set") && i + 1 < argc && n_sets < 64) {
			char *eq = strchr(argv[++i], '=');

			if (!eq) {
				usage();
				return 2;
			}
			*eq = 0;
			sets[n_sets].key = argv[i];
			sets[n_sets++].value = eq + 1;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			usage();
			return 2;
		}
	}
	if (!path) {
		usage();
		return 2;
	}
	config_defaults(&cfg);
	if (config_load(&cfg, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (k = 0; k < n_sets; k++)
		if (config_set(&cfg, sets[k].key, sets[k].value, err, sizeof(err)) < 0) {
			fprintf(stderr, "l4e-sim: error: --set: %s\n", err);
			return 2;
		}
	if (config_check(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "l4e-sim: error: %s: %s\n", path, err);
		return 2;
	}
	rc = sim_init(&sim, &cfg, progress);
	if (rc == 0)
		rc = sim_run(&sim);
	host_consoles(&sim);
	if (sim.log)
		fflush(sim.log);
	if (sim.cfg && sim.enb.ue)
		kpi_write(&sim, stdout);
	if (rc < 0)
		fprintf(stderr, "l4e-sim: error: %s\n", sim.error);
	sim_free(&sim);
	return rc < 0 ? 2 : 0;
}
