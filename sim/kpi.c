/* SPDX-License-Identifier: BSD-2-Clause */
/* KPIs of a run: kpi.json, kpi.csv and the printed report, from the runner's counters. */
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "ue_host.h"

/* Values of one UE, gathered once for all three outputs. */
struct kpi_ue {
	double tput_kbps[2], offered_kbps[2];
	uint64_t lost, dup, corrupt, in_flight, late;
	uint64_t rx_bytes[2];
	uint32_t rtt[3], owd[2][3]; /* p50, p99, max */
	uint64_t rtt_n, owd_n[2];
	uint32_t cyc[3];
	uint32_t task_cyc[SIM_TASKS][3]; /* p50, p99, max of sim_ue.task[i] */
	unsigned task_order[SIM_TASKS];	 /* task rows by name */
	uint64_t cyc_sum; /* every DONE's cycles added up: the firmware's non-idle cycles */
	double asleep_share;
	bool am; /* every DRB flow of it runs on RLC AM */
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t pct_sorted(const uint32_t *v, uint32_t n, unsigned pct)
{
	uint64_t k;

	if (!n)
		return 0;
	k = ((uint64_t)n * pct + 99) / 100;
	return v[k ? k - 1 : 0];
}

/* p50/p99/max of the merged histograms of `n` receivers. */
static uint64_t merged_pct(const struct flow_rx *const *r, unsigned n, uint32_t out[3])
{
	static uint32_t hist[TRAFFIC_LAT_BINS];
	uint64_t total = 0, want, seen;
	unsigned i, p, k;
	uint32_t b;

	memset(hist, 0, sizeof(hist));
	out[0] = out[1] = out[2] = 0;
	for (i = 0; i < n; i++) {
		for (b = 0; b < TRAFFIC_LAT_BINS; b++)
			hist[b] += r[i]->lat[b];
		total += r[i]->pkts;
		if (r[i]->lat_max > out[2])
			out[2] = r[i]->lat_max;
	}
	for (p = 0; p < 2 && total; p++) {
		static const unsigned pcts[2] = {50, 99};

		want = (total * pcts[p] + 99) / 100;
		for (b = 0, seen = 0; b < TRAFFIC_LAT_BINS; b++) {
			seen += hist[b];
			if (seen >= want)
				break;
		}
		out[p] = b >= TRAFFIC_LAT_BINS - 1 ? out[2] : b;
	}
	(void)k;
	return total;
}

static bool drb_is_am(const struct sim_config *c, uint8_t drb)
{
	unsigned i;

	for (i = 0; i < c->enb.n_bearers; i++)
		if (!c->enb.bearer[i].srb && c->enb.bearer[i].rb_id == drb)
			return c->enb.bearer[i].rlc_mode == RL_RLC_AM;
	return false;
}

static double active_ms(const struct sim *s, const struct flow_config *fc)
{
	uint32_t stop = fc->stop_ms < s->sf ? fc->stop_ms : s->sf;

	return stop > fc->start_ms ? (double)(stop - fc->start_ms) : 1.0;
}

/* p50, p99 and max of `n` values (0 for none). */
static void pcts(const uint32_t *v, uint32_t n, uint32_t out[3])
{
	uint32_t *c = malloc((n + 1) * sizeof(uint32_t));

	out[0] = out[1] = out[2] = 0;
	if (!c)
		return;
	memcpy(c, v, n * sizeof(uint32_t));
	qsort(c, n, sizeof(uint32_t), cmp_u32);
	out[0] = pct_sorted(c, n, 50);
	out[1] = pct_sorted(c, n, 99);
	out[2] = n ? c[n - 1] : 0;
	free(c);
}

static void gather(const struct sim *s, unsigned ue, struct kpi_ue *k)
{
	const struct flow_rx *rtt[TRAFFIC_MAX_FLOWS], *owd[2][TRAFFIC_MAX_FLOWS];
	unsigned n_rtt = 0, n_owd[2] = {0}, i, d;
	const struct sim_ue *u = &s->ue[ue];

	memset(k, 0, sizeof(*k));
	k->am = true;
	for (i = 0; i < s->traffic.n; i++) {
		const struct flow *f = &s->traffic.flow[i];
		double ms = active_ms(s, &f->cfg);

		if (f->cfg.ue != ue)
			continue;
		k->am &= drb_is_am(s->cfg, f->cfg.drb);
		d = f->cfg.dir;
		k->rx_bytes[d] += f->rx.bytes;
		k->tput_kbps[d] += f->rx.bytes * 8.0 / ms;
		k->offered_kbps[d] += f->tx_bytes * 8.0 / ms;
		k->lost += f->rx.lost_bytes + f->reply.lost_bytes;
		k->dup += f->rx.dup_bytes + f->reply.dup_bytes;
		k->corrupt += f->rx.corrupt_bytes + f->reply.corrupt_bytes;
		k->late += f->rx.late_pkts + f->reply.late_pkts;
		k->in_flight += flow_in_flight(f);
		owd[d][n_owd[d]++] = &f->rx;
		if (f->cfg.type == FLOW_ECHO) {
			k->rx_bytes[!d] += f->reply.bytes;
			k->tput_kbps[!d] += f->reply.bytes * 8.0 / ms;
			rtt[n_rtt++] = &f->reply;
		}
	}
	k->rtt_n = merged_pct(rtt, n_rtt, k->rtt);
	for (d = 0; d < 2; d++)
		k->owd_n[d] = merged_pct(owd[d], n_owd[d], k->owd[d]);
	pcts(u->cycles, u->n_cycles, k->cyc);
	/* Per task over the same subframes: a task absent from a subframe's item spent 0. */
	for (i = 0; i < u->n_tasks; i++) {
		unsigned j = i;

		pcts(u->task[i].cycles, u->n_cycles, k->task_cyc[i]);
		while (j > 0 && strcmp(u->task[k->task_order[j - 1]].name, u->task[i].name) > 0) {
			k->task_order[j] = k->task_order[j - 1];
			j--;
		}
		k->task_order[j] = i;
	}
	for (i = 0; i < u->n_cycles; i++)
		k->cyc_sum += u->cycles[i];
	k->asleep_share = u->asleep + u->awake ? (double)u->asleep / (u->asleep + u->awake) : 0;
}

/* One "name": value pair for JSON and CSV at once. */
struct out {
	FILE *json, *csv;
	const char *scope;
	int ue;
	bool first;
};

static void put_u(struct out *o, const char *key, uint64_t v)
{
	fprintf(o->json, "%s\n      \"%s\": %llu", o->first ? "" : ",", key, (unsigned long long)v);
	fprintf(o->csv, "%s,%d,%s,%llu\n", o->scope, o->ue, key, (unsigned long long)v);
	o->first = false;
}

static void put_f(struct out *o, const char *key, double v)
{
	fprintf(o->json, "%s\n      \"%s\": %.3f", o->first ? "" : ",", key, v);
	fprintf(o->csv, "%s,%d,%s,%.3f\n", o->scope, o->ue, key, v);
	o->first = false;
}

static void put_ue(const struct sim *s, unsigned i, const struct kpi_ue *k, struct out *o)
{
	const struct enb_ue *e = &s->enb.ue[i];
	const struct sim_ue *u = &s->ue[i];
	struct ue_host *h = u->port ? port_inproc_ue(u->port) : NULL;
	unsigned t;

	put_f(o, "dl_throughput_kbps", k->tput_kbps[FLOW_DL]);
	put_f(o, "ul_throughput_kbps", k->tput_kbps[FLOW_UL]);
	put_f(o, "dl_offered_kbps", k->offered_kbps[FLOW_DL]);
	put_f(o, "ul_offered_kbps", k->offered_kbps[FLOW_UL]);
	put_u(o, "dl_rx_bytes", k->rx_bytes[FLOW_DL]);
	put_u(o, "ul_rx_bytes", k->rx_bytes[FLOW_UL]);
	put_u(o, "echo_samples", k->rtt_n);
	put_u(o, "echo_rtt_p50_ms", k->rtt[0]);
	put_u(o, "echo_rtt_p99_ms", k->rtt[1]);
	put_u(o, "echo_rtt_max_ms", k->rtt[2]);
	put_u(o, "dl_latency_p50_ms", k->owd[FLOW_DL][0]);
	put_u(o, "dl_latency_p99_ms", k->owd[FLOW_DL][1]);
	put_u(o, "dl_latency_max_ms", k->owd[FLOW_DL][2]);
	put_u(o, "ul_latency_p50_ms", k->owd[FLOW_UL][0]);
	put_u(o, "ul_latency_p99_ms", k->owd[FLOW_UL][1]);
	put_u(o, "ul_latency_max_ms", k->owd[FLOW_UL][2]);
	put_u(o, "bytes_lost", k->lost);
	put_u(o, "bytes_duplicated", k->dup);
	put_u(o, "bytes_corrupted", k->corrupt);
	put_u(o, "packets_late", k->late);
	put_u(o, "packets_in_flight_at_end", k->in_flight);
	put_u(o, "integrity_ok", k->am && !k->lost && !k->dup && !k->corrupt);
	put_u(o, "harq_dl_tx", e->dl.stats.new_tx);
	put_u(o, "harq_dl_retx", e->dl.stats.retx);
	put_u(o, "harq_dl_nack", e->dl.stats.nacks);
	put_u(o, "harq_dl_dtx", e->dl.stats.dtx);
	put_u(o, "harq_dl_dropped", e->dl.stats.drops);
	put_u(o, "harq_ul_tx", e->ul.stats.new_tx);
	put_u(o, "harq_ul_retx", e->ul.stats.retx);
	put_u(o, "harq_ul_nack", e->ul.stats.nacks);
	put_u(o, "harq_ul_dtx", e->ul.stats.dtx);
	put_u(o, "harq_ul_dropped", e->ul.stats.drops);
	put_u(o, "rlc_dl_retx_pdus", enb_rlc_retx(&s->enb, i));
	if (h) {
		uint32_t n = 0;
		unsigned b;

		for (b = 0; b < h->n_bearers; b++)
			if (h->bearer[b].cfg.rlc_mode == RL_RLC_AM)
				n += h->bearer[b].rlc.am.c.stats.tx_retx_pdus;
		put_u(o, "rlc_ul_retx_pdus", n);
	}
	put_u(o, "chan_dl_tbs", chan_stats(&s->chan, i, CHAN_DL)->tbs);
	put_u(o, "chan_dl_corrupted", u->dl_corrupted);
	put_u(o, "chan_ul_tbs", chan_stats(&s->chan, i, CHAN_UL)->tbs);
	put_u(o, "chan_ul_corrupted", u->ul_corrupted);
	put_u(o, "corrupted_dl_acked", u->dl_corrupt_acked);
	put_u(o, "corrupted_ul_passed_crc", u->ul_corrupt_passed);
	put_u(o, "ra_preambles", e->stats.prach);
	put_u(o, "ra_msg3", e->stats.msg3);
	put_u(o, "connections", e->stats.connections);
	put_u(o, "reconnections", e->stats.reconnections);
	put_u(o, "rlf_enb", e->stats.rlf);
	if (h)
		put_u(o, "rlf_ue", h->stats.rlf);
	put_u(o, "ul_tbs_refused", e->stats.ul_refused);
	put_u(o, "items_refused", e->stats.refused);
	put_u(o, "msgs_refused_malformed", u->refused.malformed);
	put_u(o, "msgs_refused_sequence", u->refused.sequence);
	put_u(o, "msgs_refused_unexpected", u->refused.unexpected);
	put_u(o, "dl_ip_not_admitted", e->stats.dl_ip_refused);
	put_u(o, "ul_ip_not_admitted", u->ob_refused);
	if (s->cfg->enb.attach) {
		/* Layer 3: the AP's view (AT), the network's (MME, RRC). */
		put_u(o, "registered", u->ap.registrations > 0);
		put_u(o, "attach_subframes", u->ap.attach_subframes);
		put_u(o, "registrations", u->ap.registrations);
		put_u(o, "deregistrations", u->ap.deregistrations);
		put_u(o, "at_lines", u->ap.at_lines);
		put_u(o, "at_errors", u->ap.at_errors);
		put_u(o, "csq", u->ap.csq < 0 ? 99 : (uint64_t)u->ap.csq);
		put_u(o, "rrc_setups", e->l3.rrc_setups);
		put_u(o, "rrc_releases", e->l3.rrc_releases);
		put_u(o, "mme_attaches", e->l3.attaches);
		put_u(o, "mme_detaches", e->l3.detaches);
		put_u(o, "auth_failures", e->l3.auth_failures);
		put_u(o, "auth_rejects", e->l3.auth_rejects);
		put_u(o, "resyncs", e->l3.resyncs);
		put_u(o, "attach_rejects", e->l3.attach_rejects);
		put_u(o, "rrc_reestablishments", e->l3.rrc_reest);
		put_u(o, "reestablished_generations", u->reest_gens);
	}
	put_u(o, "cycles_budget", s->cfg->cpu_hz / 1000);
	put_u(o, "cycles_p50", k->cyc[0]);
	put_u(o, "cycles_p99", k->cyc[1]);
	put_u(o, "cycles_max", k->cyc[2]);
	put_u(o, "cycles_sum", k->cyc_sum);
	put_u(o, "deadline_misses", u->deadline_misses);
	/* The same by task (RL_ITEM_TASK_CYCLES; none from a firmware that does not send it). */
	put_u(o, "task_cycles_subframes", u->task_items);
	for (t = 0; t < u->n_tasks; t++) {
		static const char *const what[3] = {"p50", "p99", "max"};
		unsigned r = k->task_order[t], p;
		char key[64];

		for (p = 0; p < 3; p++) {
			snprintf(key, sizeof(key), "task_%s_cycles_%s", u->task[r].name, what[p]);
			put_u(o, key, k->task_cyc[r][p]);
		}
	}
	put_f(o, "asleep_share", k->asleep_share);
	if (s->cfg->enb.drx_on || s->cfg->enb.paging_on) {
		put_u(o, "drx_held_subframes", e->drx_held);
		put_u(o, "pages", e->pages);
	}
}

static void put_flow(const struct sim *s, unsigned i, struct out *o)
{
	static const char *const types[] = {"cbr", "full", "echo"};
	const struct flow *f = &s->traffic.flow[i];
	double ms = active_ms(s, &f->cfg);

	fprintf(o->json, "%s\n      \"type\": \"%s\", \"dir\": \"%s\"", o->first ? "" : ",",
		types[f->cfg.type], f->cfg.dir == FLOW_DL ? "dl" : "ul");
	o->first = false;
	put_u(o, "ue", f->cfg.ue);
	put_u(o, "tx_packets", f->tx_pkts);
	put_u(o, "tx_bytes", f->tx_bytes);
	put_u(o, "not_admitted_packets", f->refused_pkts);
	put_u(o, "rx_packets", f->rx.pkts);
	put_u(o, "rx_bytes", f->rx.bytes);
	put_f(o, "throughput_kbps", f->rx.bytes * 8.0 / ms);
	put_u(o, "lost_bytes", f->rx.lost_bytes);
	put_u(o, "duplicated_bytes", f->rx.dup_bytes);
	put_u(o, "corrupted_bytes", f->rx.corrupt_bytes);
	put_u(o, "late_packets", f->rx.late_pkts);
	put_u(o, "in_flight_at_end", flow_in_flight(f));
	put_u(o, "latency_p50_ms", flow_rx_percentile(&f->rx, 50));
	put_u(o, "latency_p99_ms", flow_rx_percentile(&f->rx, 99));
	put_u(o, "latency_max_ms", f->rx.lat_max);
	if (f->cfg.type == FLOW_ECHO) {
		put_u(o, "replies", f->reply.pkts);
		put_u(o, "replies_lost", f->reply.lost_pkts);
		put_u(o, "rtt_p50_ms", flow_rx_percentile(&f->reply, 50));
		put_u(o, "rtt_p99_ms", flow_rx_percentile(&f->reply, 99));
		put_u(o, "rtt_max_ms", f->reply.lat_max);
	}
}

static void report(const struct sim *s, const struct kpi_ue *k, FILE *out)
{
	unsigned i;

	fprintf(out, "\n%s: %u ms of radio time, %u UE(s), seed %llu%s%s\n", s->cfg->name, s->sf,
		s->cfg->enb.n_ue, (unsigned long long)s->cfg->seed,
		s->error[0] ? ", STOPPED: " : "", s->error);
	fprintf(out, "%-3s %10s %10s %9s %9s %9s %7s %7s %9s %9s %9s %11s %6s %6s\n", "ue",
		"DL kbit/s", "UL kbit/s", "rtt p50", "rtt p99", "rtt max", "HARQ dl", "HARQ ul",
		"RLC retx", "lost B", "dup B", "corrupt B", "misses", "asleep");
	for (i = 0; i < s->cfg->enb.n_ue; i++) {
		const struct enb_ue *e = &s->enb.ue[i];

		fprintf(out,
			"%-3u %10.1f %10.1f %7u ms %6u ms %6u ms %7u %7u %9u %9llu %9llu %11llu "
			"%6u %5.1f%%\n",
			i, k[i].tput_kbps[FLOW_DL], k[i].tput_kbps[FLOW_UL], k[i].rtt[0],
			k[i].rtt[1], k[i].rtt[2], e->dl.stats.retx, e->ul.stats.retx,
			enb_rlc_retx(&s->enb, i), (unsigned long long)k[i].lost,
			(unsigned long long)k[i].dup, (unsigned long long)k[i].corrupt,
			s->ue[i].deadline_misses, 100 * k[i].asleep_share);
		if (s->ue[i].n_cycles && k[i].cyc[2])
			fprintf(out,
				"    firmware cycles per subframe: p50 %u, p99 %u, max %u of %u "
				"(%u deadline misses)\n",
				k[i].cyc[0], k[i].cyc[1], k[i].cyc[2], s->cfg->cpu_hz / 1000,
				s->ue[i].deadline_misses);
		if (s->ue[i].n_tasks) {
			unsigned t;

			fprintf(out, "    by task (p50 / p99 / max):");
			for (t = 0; t < s->ue[i].n_tasks; t++) {
				unsigned r = k[i].task_order[t];

				fprintf(out, "%s %s %u / %u / %u", t ? "," : "",
					s->ue[i].task[r].name, k[i].task_cyc[r][0],
					k[i].task_cyc[r][1], k[i].task_cyc[r][2]);
			}
			fprintf(out, "\n");
		}
	}
}

int kpi_write(struct sim *s, FILE *out)
{
	static struct kpi_ue k[ENB_MAX_UES];
	char path[700];
	struct out o;
	unsigned i;

	snprintf(path, sizeof(path), "%s/kpi.json", s->cfg->out_dir);
	o.json = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/kpi.csv", s->cfg->out_dir);
	o.csv = fopen(path, "w");
	if (!o.json || !o.csv) {
		if (o.json)
			fclose(o.json);
		if (o.csv)
			fclose(o.csv);
		return -1;
	}
	for (i = 0; i < s->cfg->enb.n_ue; i++)
		gather(s, i, &k[i]);
	fprintf(o.csv, "scope,index,key,value\n");
	fprintf(o.json, "{\n  \"scenario\": \"%s\",\n  \"status\": \"%s\",\n", s->cfg->name,
		s->error[0] ? "error" : "ok");
	o = (struct out){.json = o.json, .csv = o.csv, .scope = "run", .ue = -1, .first = true};
	fprintf(o.json, "  \"run\": {");
	put_u(&o, "seed", s->cfg->seed);
	put_u(&o, "subframes", s->sf);
	put_u(&o, "ues", s->cfg->enb.n_ue);
	put_u(&o, "cpu_hz", s->cfg->cpu_hz);
	put_u(&o, "prbs_dl", s->cfg->enb.prbs_dl);
	put_u(&o, "prbs_ul", s->cfg->enb.prbs_ul);
	put_f(&o, "prb_use_dl",
	      s->sf ? (double)s->enb.stats.prbs_dl_used / s->sf / s->cfg->enb.prbs_dl : 0);
	put_f(&o, "prb_use_ul",
	      s->sf ? (double)s->enb.stats.prbs_ul_used / s->sf / s->cfg->enb.prbs_ul : 0);
	put_u(&o, "msg3_collisions", s->enb.stats.msg3_collisions);
	put_u(&o, "foreign_packets", s->traffic.foreign_pkts);
	fprintf(o.json, "\n  },\n  \"ues\": [");
	for (i = 0; i < s->cfg->enb.n_ue; i++) {
		o = (struct out){
			.json = o.json, .csv = o.csv, .scope = "ue", .ue = (int)i, .first = true};
		fprintf(o.json, "%s\n    {", i ? "," : "");
		put_u(&o, "ue", i);
		put_ue(s, i, &k[i], &o);
		fprintf(o.json, "\n    }");
	}
	fprintf(o.json, "\n  ],\n  \"flows\": [");
	for (i = 0; i < s->traffic.n; i++) {
		o = (struct out){
			.json = o.json, .csv = o.csv, .scope = "flow", .ue = (int)i, .first = true};
		fprintf(o.json, "%s\n    {", i ? "," : "");
		put_flow(s, i, &o);
		fprintf(o.json, "\n    }");
	}
	fprintf(o.json, "\n  ]\n}\n");
	fclose(o.json);
	fclose(o.csv);
	report(s, k, out);
	return 0;
}
