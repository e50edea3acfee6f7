/* SPDX-License-Identifier: BSD-2-Clause */
/* What the virtio tests' firmware and their host peer (vnet_host.py parses it) agree on. */
#pragma once

#include <stdint.h>

/*
 * Packets are either patterns or commands. A pattern packet of `len` bytes
 * with `seed` carries the seed in its first 4 bytes (little-endian) and
 * vnet_proto_byte(seed, i) in every other byte i, so either side can check
 * any packet it sees; one shorter than 4 bytes is the pattern of seed 0. A
 * command starts with VNET_PROTO_CMD_MAGIC, which no seed reaches.
 */
#define VNET_PROTO_MTU	       16384u
#define VNET_PROTO_SEED_RUN    0x10000u /* 200 packets in a row: seed + i */
#define VNET_PROTO_SEED_SIZES  0x20000u /* one-off sizes */
#define VNET_PROTO_SEED_IRQ    0x30000u
#define VNET_PROTO_SEED_AFTER  0x40000u /* what the peer sends after OVERSIZE's packets */
#define VNET_PROTO_AFTER_LEN   64u
#define VNET_PROTO_CMD_MAGIC   0x444d4356u /* "VCMD" */
#define VNET_PROTO_OP_OVERSIZE 1u	   /* peer sends patterns of a and b bytes, then AFTER */
#define VNET_PROTO_OP_BYE      2u	   /* the firmware is done; the peer checks what it saw */
/*
 * The firmware's driver is up: the peer sends nothing before it, since QEMU 7.2
 * drops what arrives before the driver sets DRIVER_OK (docs/virtio.md).
 */
#define VNET_PROTO_OP_READY 3u

struct vnet_proto_cmd {
	uint32_t magic;
	uint32_t op;
	uint32_t a, b;
};
_Static_assert(sizeof(struct vnet_proto_cmd) == 16, "layout shared with vnet_host.py");

static inline uint8_t vnet_proto_byte(uint32_t seed, uint32_t i)
{
	return (uint8_t)(seed * 31u + i * 7u + (i >> 8) * 3u);
}

static inline void vnet_proto_fill(uint8_t *p, uint32_t seed, uint32_t len)
{
	uint32_t i = 0;

	if (len < 4)
		seed = 0;
	else
		for (; i < 4; i++)
			p[i] = (uint8_t)(seed >> (8 * i));
	for (; i < len; i++)
		p[i] = vnet_proto_byte(seed, i);
}
