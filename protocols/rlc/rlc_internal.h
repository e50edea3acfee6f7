/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the RLC modes (segmentation, reassembly, SDU queue); not a public interface. */
#pragma once

#include "l2/rlc.h"

void rlc_common_init(struct rlc_common *c, const struct rlc_ops *ops, const struct l2_env *env,
		     struct l2_pool *pool, uint32_t max_sdus);
int rlc_common_tx_sdu(struct rlc_common *c, struct l2_buf *sdu);
void rlc_common_release(struct rlc_common *c);

/*
 * Fill a data field from the SDU queue (segmentation and concatenation, §5.1.2.1, §5.1.3.1):
 * at most `max_total` bytes including a header of `fixed` bytes plus LIs. Returns the data
 * length (0: nothing fits) and sets the LIs, FI and the tag of the last SDU completed.
 */
uint32_t rlc_fill(struct rlc_common *c, uint8_t *dst, uint32_t max_total, uint32_t fixed,
		  struct rlc_hdr *h, bool *has_tag, uint32_t *last_tag);

/*
 * Reassemble from one in-sequence data field (§5.1.2.2.3, §5.1.3.2.3): pieces start at 0 and
 * at each of `bound`; `fi` says whether the first piece starts and the last piece ends an SDU.
 * A piece that cannot continue the partial SDU (a PDU was lost) drops what is incomplete.
 */
void rlc_reassemble(struct rlc_common *c, const uint8_t *data, uint32_t len, uint8_t fi,
		    const uint16_t *bound, unsigned nb, uint16_t sn, uint16_t sn_mod);

/* Offsets (from `base`) where the pieces after the first start, from a header's LIs. */
unsigned rlc_bounds(const struct rlc_hdr *h, uint16_t base, uint16_t *bound);

/* Bytes a STATUS PDU with these NACKs takes. */
uint32_t rlc_status_len(const struct rlc_status *s);
