/* SPDX-License-Identifier: BSD-2-Clause */
/* The radio link and the host link between the firmware and the simulator: messages, codec, CRCs. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * Byte-level specification: docs/radio-link.md. Summary:
 *
 * Every message is one packet of the virtio-net device that carries the link (packet
 * boundaries are kept end to end, so one message is one interrupt). All fields are
 * little-endian except CRC parity bytes (transmitted order, TS 36.212 §5.1.1).
 *
 * Header (16 bytes):
 *   0  u16 magic      RL_MAGIC (radio link) or AP_MAGIC (host link)
 *   2  u8  version    LINK_VERSION
 *   3  u8  type       enum rl_msg_type / enum ap_msg_type
 *   4  u32 seq        0, 1, 2, ... per direction and link: a gap or repeat is refused
 *   8  u32 subframe   absolute subframe number (SFN = subframe / 10 % 1024)
 *  12  u16 n_items
 *  14  u16 length     bytes of the whole message, header included
 * Items follow, packed: u8 type, u8 flags (0), u16 body length, body.
 *
 * Lockstep: the simulator sends a message only while the firmware is idle, and the
 * firmware answers every message it receives (on either link) with exactly one message on
 * the radio link: RL_MSG_UL for RL_MSG_DL (its UL content and RL_ITEM_DONE),
 * RL_MSG_IDLE for everything else. So every input reaches the firmware while its CPU
 * waits in WFI, and the same inputs give the same instruction counts.
 */

#define RL_MAGIC 0x4c52u /* "RL" */
#define AP_MAGIC 0x5041u /* "AP" */
/* 2: RL_ITEM_TASK_CYCLES, RL_ITEM_CFG_DRX and RL_ITEM_CFG_PAGING added (docs/radio-link.md). */
#define LINK_VERSION   2u
#define LINK_HDR_LEN   16u
#define LINK_ITEM_HDR  4u
#define LINK_MAX_MSG   16384u /* largest message either side sends or accepts */
#define LINK_MAX_TBS   8192u  /* largest transport block in bytes */
#define LINK_MAX_ITEMS 64u
#define CRC24_LEN      3u

enum rl_msg_type {
	RL_MSG_HELLO = 1,  /* fw -> sim, once at boot: RL_ITEM_HELLO */
	RL_MSG_CONFIG = 2, /* sim -> fw, once after HELLO: RL_ITEM_CFG_* (the RRC stand-in) */
	RL_MSG_DL = 3,	   /* sim -> fw, subframe N: DL TBs, UL grants, PHICH */
	RL_MSG_UL = 4,	   /* fw -> sim, answer to DL N: UL TBs, HARQ ACKs, SR, PRACH, DONE */
	RL_MSG_IDLE = 5,   /* fw -> sim, answer to any other message: RL_ITEM_IDLE */
	RL_MSG_END = 6,	   /* sim -> fw: the run is over; the firmware reports and stops */
};

enum rl_item_type {
	/* sim -> fw, in RL_MSG_DL */
	RL_ITEM_DL_TB = 1,    /* struct rl_dl_tb: a PDSCH transport block and its CRC24A */
	RL_ITEM_UL_GRANT = 2, /* struct rl_ul_grant: answer it with an UL TB in this subframe */
	RL_ITEM_PHICH = 3,    /* struct rl_phich: HARQ feedback for an UL TB */
	RL_ITEM_FAULT = 4,    /* struct rl_fault: a test build's task kill (docs/reliability.md) */
	/* fw -> sim, in RL_MSG_UL */
	RL_ITEM_UL_TB = 16,	  /* struct rl_ul_tb: PUSCH transport block and its CRC24A */
	RL_ITEM_HARQ_ACK = 17,	  /* struct rl_harq_ack: for a DL TB of this subframe */
	RL_ITEM_SR = 18,	  /* scheduling request, empty body */
	RL_ITEM_PRACH = 19,	  /* struct rl_prach: a random access preamble */
	RL_ITEM_DONE = 20,	  /* struct rl_done: last item of every RL_MSG_UL */
	RL_ITEM_TASK_CYCLES = 21, /* struct rl_task_cycles: this subframe's cycles by task */
	/* fw -> sim */
	RL_ITEM_HELLO = 24, /* struct rl_hello */
	RL_ITEM_IDLE = 25,  /* struct rl_idle */
	/* sim -> fw, in RL_MSG_CONFIG */
	RL_ITEM_CFG_MAC = 32,	   /* struct rl_cfg_mac */
	RL_ITEM_CFG_BEARER = 33,   /* struct rl_cfg_bearer, one per radio bearer */
	RL_ITEM_CFG_SECURITY = 34, /* struct rl_cfg_security */
	RL_ITEM_CFG_DRX = 35,	   /* struct rl_cfg_drx: connected-mode DRX (optional) */
	RL_ITEM_CFG_PAGING = 36,   /* struct rl_cfg_paging: start idle, wait for a page */
};

/* Decoded items: pointers refer into the message buffer, which must outlive them. */
struct rl_dl_tb {
	uint16_t rnti;
	uint8_t harq_pid; /* 0..7 */
	bool ndi;
	uint8_t rv;
	uint16_t tbs; /* bytes */
	const uint8_t *tb;
	bool crc_ok; /* the receiver's CRC24A check of tb against the received parity */
};		     /* body: u16 rnti, u8 pid, u8 ndi, u8 rv, u8 0, u16 tbs, tb, crc24 */
#define RL_DL_TB_FIXED 8u

struct rl_ul_grant {
	uint16_t rnti;
	uint8_t harq_pid;
	bool ndi;
	uint16_t tbs;
}; /* body: u16 rnti, u8 pid, u8 ndi, u16 tbs, u16 0 */
#define RL_UL_GRANT_LEN 8u

struct rl_phich {
	uint8_t harq_pid;
	bool ack;
}; /* body: u8 pid, u8 ack, u16 0 */
#define RL_PHICH_LEN 4u

/* A fault to inject: the named task of the firmware is killed (fault-injection builds). */
#define RL_FAULT_NAME 16u
struct rl_fault {
	char task[RL_FAULT_NAME]; /* 1..15 characters, NUL-padded */
};				  /* body: the name, NUL-padded to 16 bytes */
#define RL_FAULT_LEN RL_FAULT_NAME

struct rl_ul_tb {
	uint16_t rnti;
	uint8_t harq_pid;
	uint16_t tbs;
	const uint8_t *tb;
	bool crc_ok;
}; /* body: u16 rnti, u8 pid, u8 0, u16 tbs, u16 0, tb, crc24 */
#define RL_UL_TB_FIXED 8u

struct rl_harq_ack {
	uint8_t harq_pid;
	bool ack;
}; /* body: u8 pid, u8 ack, u16 0 */
#define RL_HARQ_ACK_LEN 4u

struct rl_prach {
	uint8_t preamble; /* 0..63 */
	uint16_t ra_rnti;
}; /* body: u8 preamble, u8 0, u16 ra_rnti */
#define RL_PRACH_LEN 4u

struct rl_done {
	uint32_t subframe; /* the subframe finished (= the DL message's) */
	uint32_t wake_at;  /* next subframe the firmware must see; > subframe */
	uint32_t ap_tx;	   /* host-link messages the firmware has sent so far */
	uint32_t cycles;   /* firmware cycles spent on this subframe (all threads, kernel) */
};			   /* body: 4 x u32 */
#define RL_DONE_LEN 16u

/*
 * The cycles of DONE by task (optional, at most one per RL_MSG_UL, before DONE): 1 to
 * RL_TASK_CYCLES_MAX entries, each a task name (the fault item's rule: 1..15 printable
 * characters, no space, NUL-padded to 16 bytes; no name twice) and its cycles. Tasks with
 * no cycles in the subframe may be left out; "kernel" is the kernel's own share when the
 * firmware's kernel splits it out (else it is in each task's figure).
 */
#define RL_TASK_NAME	   16u
#define RL_TASK_CYCLES_MAX 16u
#define RL_TASK_ENTRY_LEN  20u
struct rl_task_cycles {
	uint32_t n;
	struct {
		char task[RL_TASK_NAME]; /* NUL-terminated */
		uint32_t cycles;
	} e[RL_TASK_CYCLES_MAX];
}; /* body: n x (name[16], u32 cycles) */

struct rl_hello {
	uint32_t fw_version;
	uint32_t max_tbs; /* largest TB the firmware accepts */
};			  /* body: 2 x u32 */
#define RL_HELLO_LEN 8u

struct rl_idle {
	uint32_t rx_msgs; /* messages (both links) the firmware has consumed so far */
	uint32_t ap_tx;	  /* host-link messages the firmware has sent so far */
};			  /* body: 2 x u32 */
#define RL_IDLE_LEN 8u

struct rl_cfg_mac {
	uint16_t ue_id;	     /* the simulator's UE index, for logs */
	uint8_t max_harq_tx; /* maxHARQ-Tx */
	uint8_t preamble_trans_max;
	uint16_t periodic_bsr_ms; /* 0: infinity */
	uint16_t retx_bsr_ms;
	uint8_t rar_window; /* ra-ResponseWindowSize, subframes */
	uint8_t cr_timer;   /* mac-ContentionResolutionTimer, subframes */
	uint8_t num_preambles;
	uint8_t pad;
	uint32_t cpu_hz; /* nominal CPU clock for the subframe budget */
};			 /* body: u16 ue_id, u8, u8, u16, u16, u8, u8, u8, u8 0, u32 = 16 */
#define RL_CFG_MAC_LEN 16u

enum rl_rlc_mode {
	RL_RLC_TM = 0,
	RL_RLC_UM = 1,
	RL_RLC_AM = 2,
};

struct rl_cfg_bearer {
	uint8_t rb_id; /* SRB 1..2 (srb set) or DRB 1..8 */
	uint8_t lcid;  /* 1..10 */
	bool srb;
	uint8_t rlc_mode; /* enum rl_rlc_mode */
	uint8_t pdcp_sn_bits;
	uint8_t um_sn_bits;
	uint8_t priority; /* LCP priority, 1 highest */
	uint8_t lcg;
	uint16_t pbr_kbps;	  /* prioritisedBitRate in kbit/s, 0xffff: infinity */
	uint16_t bsd_ms;	  /* bucketSizeDuration */
	uint16_t t_poll_retx_ms;  /* AM */
	uint16_t t_reordering_ms; /* AM and UM */
	uint16_t t_status_prohibit_ms;
	uint16_t poll_pdu; /* 0: infinity */
	uint32_t poll_byte;
	uint16_t max_retx;
	uint16_t discard_ms; /* PDCP discardTimer, 0: infinity */
};			     /* body: 8 x u8, 6 x u16, u32, 2 x u16 = 28 */
#define RL_CFG_BEARER_LEN 28u

struct rl_cfg_security {
	uint8_t eea; /* 0 EEA0, 2 128-EEA2 */
	uint8_t eia; /* 0 EIA0, 2 128-EIA2 */
	uint8_t kenb[32];
}; /* body: u8 eea, u8 eia, u16 0, kenb[32] = 36 */
#define RL_CFG_SECURITY_LEN 36u

/* DRX-Config of MAC-MainConfig (TS 36.331 §6.3.2) as values in subframes. The link checks
 * the ranges below; whether a value is one TS 36.331 allows is for the MAC (mac_drx.h). */
struct rl_cfg_drx {
	uint16_t on_duration;	   /* onDurationTimer, 1..200 */
	uint16_t inactivity;	   /* drx-InactivityTimer, 1..2560 */
	uint16_t long_cycle;	   /* longDRX-Cycle, 10..2560 */
	uint16_t start_offset;	   /* drxStartOffset, below long_cycle */
	uint16_t short_cycle;	   /* shortDRX-Cycle, 0: none, else 2..640 */
	uint8_t short_cycle_timer; /* drxShortCycleTimer, 1..16 (0 without a short cycle) */
	uint8_t retx;		   /* drx-RetransmissionTimer, 1..33 */
};				   /* body: 5 x u16, 2 x u8 = 12 */
#define RL_CFG_DRX_LEN 12u

/* Idle-mode paging (TS 36.304 §7): the UE starts in RRC_IDLE and connects when paged on its
 * S-TMSI at its paging occasions. */
struct rl_cfg_paging {
	uint16_t t;	 /* paging DRX cycle T in radio frames: 32, 64, 128, 256 */
	uint16_t nb;	 /* nB in frames: 4T, 2T, T, T/2, T/4, T/8, T/16, T/32 */
	uint16_t ue_id;	 /* UE_ID (IMSI mod 1024), 0..1023 */
	uint8_t mmec;	 /* the UE's S-TMSI: MMEC ... */
	uint32_t m_tmsi; /* ... and M-TMSI */
};			 /* body: 3 x u16, u8 mmec, u8 0, u32 = 12 */
#define RL_CFG_PAGING_LEN 12u

/* Host link (application processor side): header as above with AP_MAGIC. */
enum ap_msg_type {
	AP_MSG_DATA_UL = 1, /* sim (AP) -> fw: IP packets to send uplink */
	AP_MSG_DATA_DL = 2, /* fw -> sim (AP): IP packets received downlink */
	AP_MSG_AT_CMD = 3,  /* sim (AP) -> fw: one AT command line */
	AP_MSG_AT_RSP = 4,  /* fw -> sim (AP): response lines, final result codes, URCs */
	AP_MSG_SIM = 5,	    /* sim (AP) -> fw: a USIM inserted (its provisioning) */
};

enum ap_item_type {
	AP_ITEM_IP = 1,	 /* body: u8 bearer (EPS bearer / DRB id), u8 0, u16 0, packet */
	AP_ITEM_AT = 2,	 /* body: one line of text, 1..AP_AT_MAX printable ASCII, no CR/LF */
	AP_ITEM_SIM = 3, /* body: struct ap_sim, AP_SIM_LEN bytes */
};
#define AP_IP_FIXED 4u
#define AP_AT_MAX   256u

/* A USIM's provisioning (TS 31.102 EF_IMSI, the AuC's K and OPc, SQN_MS). */
struct ap_sim {
	char imsi[16];	 /* 6..15 ASCII digits, then NULs to 16 bytes */
	uint8_t k[16];	 /* subscriber key K */
	uint8_t opc[16]; /* OPc (TS 35.206 §2.3) */
	uint64_t sqn;	 /* SQN_MS, 48 bits */
};			 /* body: imsi[16], k[16], opc[16], u64 sqn (top 16 bits 0) = 56 */
#define AP_SIM_LEN 56u

/* A checked message header and its items, as parsed. */
struct link_msg {
	uint16_t magic;
	uint8_t type;
	uint32_t seq, subframe;
	uint16_t n_items;
	uint16_t length;
	const uint8_t *items; /* first item */
};

struct link_item {
	uint8_t type;
	uint16_t len;
	const uint8_t *body;
};

/* Errors are the L2_E* codes of l2/env.h (L2_EPROTO: malformed, dropped and counted). */

/*
 * Check a received message from end to end: header, version, length, every item's
 * framing, item types allowed for `magic` and its message type, and each item's body
 * length for its type (TB lengths against their tbs fields, LINK_MAX_TBS, LINK_MAX_ITEMS).
 * Sequence numbers are the caller's to check. 0 or L2_EPROTO.
 */
int link_parse(const uint8_t *p, uint32_t len, struct link_msg *m);

/* Walk the items of a parsed message: `*pos` starts at 0; 1 while an item is returned,
 * 0 at the end. */
int link_next(const struct link_msg *m, uint32_t *pos, struct link_item *it);

/* Decode one item's body (the item must come from link_parse/link_next: lengths checked).
 * TB items check the CRC24A into crc_ok. 0 or L2_EPROTO (wrong type). */
int rl_get_dl_tb(const struct link_item *it, struct rl_dl_tb *out);
int rl_get_ul_grant(const struct link_item *it, struct rl_ul_grant *out);
int rl_get_phich(const struct link_item *it, struct rl_phich *out);
int rl_get_fault(const struct link_item *it, struct rl_fault *out);
int rl_get_ul_tb(const struct link_item *it, struct rl_ul_tb *out);
int rl_get_harq_ack(const struct link_item *it, struct rl_harq_ack *out);
int rl_get_prach(const struct link_item *it, struct rl_prach *out);
int rl_get_done(const struct link_item *it, struct rl_done *out);
int rl_get_task_cycles(const struct link_item *it, struct rl_task_cycles *out);
int rl_get_hello(const struct link_item *it, struct rl_hello *out);
int rl_get_idle(const struct link_item *it, struct rl_idle *out);
int rl_get_cfg_mac(const struct link_item *it, struct rl_cfg_mac *out);
int rl_get_cfg_bearer(const struct link_item *it, struct rl_cfg_bearer *out);
int rl_get_cfg_security(const struct link_item *it, struct rl_cfg_security *out);
int rl_get_cfg_drx(const struct link_item *it, struct rl_cfg_drx *out);
int rl_get_cfg_paging(const struct link_item *it, struct rl_cfg_paging *out);
/* AP_ITEM_IP: the bearer and the packet (pointer into the message). */
int ap_get_ip(const struct link_item *it, uint8_t *bearer, const uint8_t **pkt, uint16_t *len);
/* AP_ITEM_AT: the line (pointer into the message, not NUL-terminated) and its length. */
int ap_get_at(const struct link_item *it, const char **text, uint16_t *len);
/* AP_ITEM_SIM. */
int ap_get_sim(const struct link_item *it, struct ap_sim *out);

/*
 * Building a message in a caller's buffer. Any put that does not fit sets `err`
 * (L2_EMSGSIZE) and later puts do nothing; link_finish reports it.
 */
struct link_writer {
	uint8_t *buf;
	uint32_t cap, len;
	uint16_t n_items;
	int err;
	uint32_t tb_at; /* offset of an open TB item (link_put_tb_begin), else 0 */
};

void link_writer_init(struct link_writer *w, uint8_t *buf, uint32_t cap, uint16_t magic,
		      uint8_t type, uint32_t seq, uint32_t subframe);
/* Append an item with `len` body bytes copied from `body`. */
void link_put(struct link_writer *w, uint8_t type, const void *body, uint16_t len);
void rl_put_dl_tb(struct link_writer *w, const struct rl_dl_tb *tb); /* CRC24A appended */
void rl_put_ul_grant(struct link_writer *w, const struct rl_ul_grant *g);
void rl_put_phich(struct link_writer *w, const struct rl_phich *f);
void rl_put_fault(struct link_writer *w, const struct rl_fault *f);
void rl_put_ul_tb(struct link_writer *w, const struct rl_ul_tb *tb); /* CRC24A appended */
void rl_put_harq_ack(struct link_writer *w, const struct rl_harq_ack *a);
void rl_put_sr(struct link_writer *w);
void rl_put_prach(struct link_writer *w, const struct rl_prach *p);
void rl_put_done(struct link_writer *w, const struct rl_done *d);
/* `t->n` entries; a name the parser would refuse (or none, or too many) sets L2_EINVAL. */
void rl_put_task_cycles(struct link_writer *w, const struct rl_task_cycles *t);
void rl_put_hello(struct link_writer *w, const struct rl_hello *h);
void rl_put_idle(struct link_writer *w, const struct rl_idle *i);
void rl_put_cfg_mac(struct link_writer *w, const struct rl_cfg_mac *c);
void rl_put_cfg_bearer(struct link_writer *w, const struct rl_cfg_bearer *c);
void rl_put_cfg_security(struct link_writer *w, const struct rl_cfg_security *c);
void rl_put_cfg_drx(struct link_writer *w, const struct rl_cfg_drx *c);
void rl_put_cfg_paging(struct link_writer *w, const struct rl_cfg_paging *c);
void ap_put_ip(struct link_writer *w, uint8_t bearer, const uint8_t *pkt, uint16_t len);
void ap_put_at(struct link_writer *w, const char *text, uint16_t len);
void ap_put_sim(struct link_writer *w, const struct ap_sim *sim);
/*
 * Build a TB in place (no copy): returns where its `tbs` bytes go, or NULL (err set).
 * An RL_ITEM_DL_TB / RL_ITEM_UL_TB with the fields of `dl` / `ul` (their `tb` unused);
 * write the `tbs` bytes, then link_put_tb_end appends their CRC24A. Any other put before
 * link_put_tb_end is an error (L2_ESTATE).
 */
uint8_t *rl_put_dl_tb_begin(struct link_writer *w, const struct rl_dl_tb *dl);
uint8_t *rl_put_ul_tb_begin(struct link_writer *w, const struct rl_ul_tb *ul);
void link_put_tb_end(struct link_writer *w);
/* Fill in the header's counts; returns the message length or the first error. */
int link_finish(struct link_writer *w);

/* TS 36.212 §5.1.1 CRCs over whole bytes, MSB first, zero initial value. */
uint32_t crc24a(const uint8_t *p, uint32_t len);    /* gCRC24A, check value 0xcde703 */
uint32_t crc24b(const uint8_t *p, uint32_t len);    /* gCRC24B, check value 0x23ef52 */
uint16_t crc16_lte(const uint8_t *p, uint32_t len); /* gCRC16, check value 0x31c3 */
