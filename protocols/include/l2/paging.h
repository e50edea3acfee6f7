/* SPDX-License-Identifier: BSD-2-Clause */
/* Idle-mode paging: paging frames and occasions (TS 36.304 §7, FDD) and the PCCH Paging message (TS 36.331 §6.2.2). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "l2/env.h"

#define PAGING_P_RNTI	   0xfffe /* TS 36.321 Table 7.1-1 */
#define PAGING_MAX_RECORDS 16	  /* maxPageRec */
#define PAGING_UE_ID_MOD   1024	  /* UE_ID = IMSI mod 1024 (TS 36.304 §7.1) */

/* The paging DRX of a UE: T in radio frames (the shortest of its UE-specific DRX cycle and
 * the cell's defaultPagingCycle: 32, 64, 128 or 256) and nB (SIB2's nB: 4T, 2T, T, T/2,
 * T/4, T/8, T/16 or T/32), both as numbers of frames. */
struct paging_config {
	uint16_t t;
	uint16_t nb;
	uint16_t ue_id; /* 0..1023 */
};

/* A paging occasion within each cycle of T frames: its frame (SFN mod T) and subframe. */
struct paging_occasion {
	uint16_t pf; /* SFN mod T of the paging frame */
	uint8_t subframe;
};

/* UE_ID from an IMSI of 6..15 ASCII digits: IMSI mod 1024. L2_EINVAL for anything else. */
int paging_ue_id(const char *imsi, uint16_t *ue_id);
/* The UE's paging occasion (§7.1, §7.2). 0; L2_EINVAL for a T, nB or UE_ID out of range. */
int paging_occasion(const struct paging_config *c, struct paging_occasion *po);
/* The first subframe at or after `sf` (an absolute subframe count: SFN = sf / 10 mod 1024)
 * that is one of the UE's paging occasions; `sf` itself if it is. `c` must be valid. */
uint32_t paging_next(const struct paging_config *c, uint32_t sf);

/* PagingRecord: ue-Identity (s-TMSI or IMSI) and cn-Domain. */
struct paging_record {
	bool is_imsi;
	uint8_t mmec;	 /* s-TMSI */
	uint32_t m_tmsi; /* s-TMSI */
	uint8_t n_digits;
	uint8_t digits[21]; /* IMSI, 6..21 digits of 0..9 */
	bool cs;	    /* cn-Domain cs, else ps */
};

struct paging_msg {
	uint8_t n; /* records, 0..16 (0: no pagingRecordList) */
	struct paging_record rec[PAGING_MAX_RECORDS];
	bool si_modification; /* systemInfoModification */
	bool etws;	      /* etws-Indication */
};

/* PCCH-Message with a Paging in UPER: the bytes, or L2_EINVAL (a field out of range),
 * L2_EMSGSIZE (cap). */
int paging_encode(const struct paging_msg *m, uint8_t *out, uint32_t cap);
/* Decode a PCCH-Message: 0; L2_EPROTO (truncated, bad values, bytes left over),
 * L2_ENOTSUP (messageClassExtension, extensions, a nonCriticalExtension). */
int paging_decode(const uint8_t *p, uint32_t len, struct paging_msg *m);
/* Whether `m` pages the S-TMSI (mmec, m_tmsi). */
bool paging_has_s_tmsi(const struct paging_msg *m, uint8_t mmec, uint32_t m_tmsi);
