/* SPDX-License-Identifier: BSD-2-Clause */
/* The lockstep loop over all UEs: boot, subframes, end; and what it keeps for the KPI report. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "chan.h"
#include "config.h"
#include "enb.h"
#include "l2/pcap.h"
#include "port.h"
#include "traffic.h"

#define SIM_OUTBOX	     512 /* AP packets waiting for the host link, per UE */
#define SIM_UEID_STEP	     16	 /* capture UEId = UE + 1 + 16 x re-establishments ... */
#define SIM_UEID_GENERATIONS 8	 /* ... modulo 8 (keys are written for each) */

/* Messages from a UE the runner refused (each also logged). */
struct sim_refused {
	uint32_t malformed, sequence, unexpected;
};

#define SIM_AT_QUEUE 8

/* Attach mode: the application processor's side of one UE, driving it with AT commands. */
struct sim_ap {
	char queue[SIM_AT_QUEUE][64]; /* commands to send, one at a time */
	unsigned q_head, q_n;
	bool sim_sent, waiting; /* waiting: a command's final result code is due */
	bool cfun_sent, registered, has_addr, detach_sent;
	uint32_t cfun_sf, attach_sf; /* AT+CFUN=1 sent; +CEREG: 1 received */
	uint32_t attach_subframes;   /* of the first registration */
	uint32_t registrations, deregistrations, at_errors, at_lines;
	uint8_t addr[4];
	int csq; /* +CSQ <rssi>, -1 before the first answer */
};

#define SIM_TASKS RL_TASK_CYCLES_MAX /* per-task rows of the cycle KPIs, per UE */

struct sim_ue {
	unsigned idx;
	struct port *port;
	uint32_t tx_seq[2], rx_seq[2];
	uint32_t ap_rx;	  /* host-link messages received from the UE */
	uint32_t wake_at; /* first subframe the UE wants to see */
	uint32_t fw_version, max_tbs;
	int exit_status;  /* after END: the UE's exit status, or a port error */
	uint32_t *cycles; /* per subframe the UE ran (DONE.cycles) */
	uint32_t n_cycles, deadline_misses, asleep, awake;
	/* The same by task (RL_ITEM_TASK_CYCLES), in order of first appearance; 0 when absent. */
	struct {
		char name[RL_TASK_NAME];
		uint32_t *cycles; /* indexed like `cycles` */
	} task[SIM_TASKS];
	unsigned n_tasks;
	uint32_t task_items, task_overflow; /* items taken; task names beyond SIM_TASKS */
	struct sim_refused refused;
	uint32_t ap_ul_msgs, ap_dl_msgs, ap_dl_pkts;
	/* Channel effect per direction: TBs corrupted, and corrupted ones the receiver took. */
	uint32_t dl_corrupted, ul_corrupted, dl_corrupt_acked, ul_corrupt_passed;
	bool dl_corrupt[8];		/* per DL HARQ process: the TB sent this subframe was hit */
	uint8_t dl_seen[8], ul_seen[8]; /* per process: the receiver decoded a copy already */
	uint32_t faults_sent; /* bit i: fault i (sim_config.fault) went out in a DL message */
	struct {
		uint16_t len;
		uint8_t drb;
		uint8_t p[PKT_MAX];
	} * outbox;
	unsigned ob_head, ob_n;
	uint32_t ob_refused;
	char console[600];
	struct sim_ap ap;
	/* The AS keys of each capture UEId generation (attach mode: learnt as they come). */
	bool gen_keys[SIM_UEID_GENERATIONS];
	struct rrc_as_keys keys[SIM_UEID_GENERATIONS];
	uint32_t reest_gens; /* bit g: generation g is a re-established connection */
};

struct sim {
	struct sim_config *cfg;
	struct enb enb;
	struct chan chan;
	struct traffic traffic;
	struct traffic_io io;
	struct sim_ue ue[ENB_MAX_UES];
	uint32_t sf;	 /* subframes run */
	bool progress;	 /* report progress on stderr */
	char error[768]; /* why the run stopped early, empty when it did not */
	FILE *log;
	FILE *f_enb, *f_ue, *f_nas;
	FILE *f_drx; /* drx.csv: per subframe and UE, with DRX configured */
	struct pcap_writer pcap_enb, pcap_ue, pcap_nas;
	uint64_t nas_time; /* of the last NAS capture record */
	uint8_t msg[LINK_MAX_MSG], rx[LINK_MAX_MSG + 64], tb[LINK_MAX_TBS + CRC24_LEN];
};

/* Set up outputs, the eNB, channel, traffic and one port per UE. 0, or -1 with s->error. */
int sim_init(struct sim *s, struct sim_config *cfg, bool progress);
/* Boot every UE, run every subframe, end. 0, or -1 with s->error (outputs still written). */
int sim_run(struct sim *s);
void sim_free(struct sim *s);

/* Logging into sim.log (deterministic: no wall time). */
void sim_log(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* KPIs (kpi.c): kpi.json, kpi.csv and the report on `out`. */
int kpi_write(struct sim *s, FILE *out);
