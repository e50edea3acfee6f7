/* SPDX-License-Identifier: BSD-2-Clause */
/* The runner's flat configuration (key = value lines, written by tools/sim; see sim/README.md). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "chan.h"
#include "l2/link.h"
#include "enb.h"
#include "traffic.h"

enum ue_kind {
	UE_HOST = 0,	 /* the in-process model, sim/ue_host.c */
	UE_QEMU = 1,	 /* the firmware, through the loader command */
	UE_EXTERNAL = 2, /* a port the caller sets in sim.ue[i].port before sim_run (tests) */
};

struct sim_ue_config {
	enum ue_kind kind;
	char cmd[1024];	     /* loader command with {radio_fd} and {host_fd} */
	uint32_t timeout_ms; /* longest wait for one answer */
	/* Attach mode: the USIM the AP inserts, and the HSS's K and SQN for it. */
	struct ap_sim sim;
	uint8_t hss_k[16];
	bool hss_k_set;
	uint64_t hss_sqn;
};

/* A fault injected into a firmware UE (docs/reliability.md): a DL message carries it. */
#define SIM_MAX_FAULTS 8
struct sim_fault {
	char task[RL_FAULT_NAME]; /* the firmware task to kill */
	uint32_t at_ms;		  /* in the first DL message to the UE at or after this subframe */
	int ue;			  /* -1: every UE */
};

struct sim_config {
	char name[64];
	char out_dir[512]; /* empty: no files at all (no log, captures or KPI files) */
	uint64_t seed;
	uint32_t duration_ms;
	uint32_t cpu_hz;
	bool pcap;
	struct enb_config enb; /* n_ue, cell, MAC, bearers, security */
	struct sim_ue_config ue[ENB_MAX_UES];
	int32_t detach_ms; /* attach mode: AT+CFUN=0 then (negative: before the end; 0: never) */
	struct chan_config chan;
	struct flow_config flow[TRAFFIC_MAX_FLOWS];
	unsigned n_flows;
	struct sim_fault fault[SIM_MAX_FAULTS];
	unsigned n_faults;
};

/* Defaults for every key (sim/README.md lists them). */
void config_defaults(struct sim_config *c);

/* Apply one `key = value`; 0, or -1 with a message in `err`. */
int config_set(struct sim_config *c, const char *key, const char *value, char *err, unsigned cap);

/* Read a file of `key = value` lines ('#' starts a comment line). 0, or -1 with
 * "file:line: error: ..." in `err`. config_check comes after any overrides. */
int config_load(struct sim_config *c, const char *path, char *err, unsigned cap);

/* Whole-configuration checks (counts, ranges, references between keys). */
int config_check(struct sim_config *c, char *err, unsigned cap);
