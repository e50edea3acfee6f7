/* SPDX-License-Identifier: BSD-2-Clause */
/* A user-level virtio-net driver: modern virtio-mmio (virtio 1.2 §4.2), split virtqueues. */
#pragma once

#include <l4e/dma.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One task drives one device: it maps the device's 4 KiB page of the
 * virtio-mmio window (system.toml [[device]]), owns its interrupt line and a
 * DMA pool (l4e/dma.h) for the rings and buffers. Feature VIRTIO_F_VERSION_1
 * only: no checksum offload, no segmentation, no mergeable receive buffers, so
 * every packet arrives whole in one receive buffer behind the 12-byte
 * struct vnet_hdr (virtio 1.2 §5.1.6). Receive queue 0, transmit queue 1, one
 * descriptor per buffer, descriptor i always buffer i.
 *
 * The device is outside the task's trust boundary: every value it writes
 * (used-ring indexes, ids, lengths) is checked before use; a bad entry is
 * counted in struct vnet_stats and ignored, never followed. A device whose
 * used index runs ahead by more than its queue holds is broken: every call
 * then returns -L4_EDEAD until vnet_open() resets it.
 *
 * Not thread-safe: one thread receives, sends and handles the interrupt, or
 * the caller serialises.
 */

#define VNET_QUEUE_MAX 256u   /* buffers per queue (a power of 2, virtio 1.2 §2.7) */
#define VNET_MTU_MAX   65536u /* largest packet, bytes (QEMU's socket netdev takes 68 KiB) */
#define VNET_HDR_SIZE  12u    /* struct vnet_hdr */
#define VNET_SLOT_SIZE 0x200u /* one virtio-mmio transport in the window (QEMU virt) */
/* InterruptStatus bits (virtio 1.2 §4.2.2), what vnet_irq_status() returns. */
#define VNET_IRQ_USED	0x1u /* the device used a buffer */
#define VNET_IRQ_CONFIG 0x2u /* its configuration changed */

/* Split-virtqueue layout (virtio 1.2 §2.7.5, §2.7.6, §2.7.8), little-endian like the CPU. */
struct vnet_desc {
	uint64_t addr; /* physical */
	uint32_t len;
	uint16_t flags; /* VNET_DESC_F_* */
	uint16_t next;
};
#define VNET_DESC_F_NEXT  0x1u
#define VNET_DESC_F_WRITE 0x2u /* the device writes the buffer (receive) */

struct vnet_avail {
	uint16_t flags; /* VNET_AVAIL_F_NO_INTERRUPT */
	uint16_t idx;	/* the next ring entry the driver fills, free-running */
	uint16_t ring[];
};
#define VNET_AVAIL_F_NO_INTERRUPT 0x1u

struct vnet_used_elem {
	uint32_t id;  /* the head descriptor of the buffer the device returns */
	uint32_t len; /* bytes it wrote into the buffer */
};

struct vnet_used {
	uint16_t flags; /* VNET_USED_F_NO_NOTIFY */
	uint16_t idx;	/* the next ring entry the device fills, free-running */
	struct vnet_used_elem ring[];
};
#define VNET_USED_F_NO_NOTIFY 0x1u

/* What precedes every packet in a buffer (virtio 1.2 §5.1.6, with VIRTIO_F_VERSION_1). */
struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

_Static_assert(sizeof(struct vnet_desc) == 16, "virtio 1.2 §2.7.5");
_Static_assert(sizeof(struct vnet_avail) == 4, "virtio 1.2 §2.7.6");
_Static_assert(sizeof(struct vnet_used_elem) == 8 && sizeof(struct vnet_used) == 4,
	       "virtio 1.2 §2.7.8");
_Static_assert(sizeof(struct vnet_hdr) == VNET_HDR_SIZE, "virtio 1.2 §5.1.6");

/* One split virtqueue and the buffers behind its descriptors. */
struct vnet_queue {
	volatile struct vnet_desc *desc;
	volatile struct vnet_avail *avail;
	volatile struct vnet_used *used;
	uint8_t *bufs;			   /* buffer i at bufs + i * stride; header first */
	uint32_t bufs_pa;		   /* physical address of bufs */
	uint16_t num;			   /* queue size, a power of 2 */
	uint16_t index;			   /* 0 receive, 1 transmit */
	uint16_t avail_idx;		   /* our copy of avail->idx */
	uint16_t used_seen;		   /* used entries consumed so far, free-running */
	uint8_t at_device[VNET_QUEUE_MAX]; /* buffer i is the device's (posted, not returned) */
};

/* Counters; bytes are packet bytes, without the header. */
struct vnet_stats {
	uint64_t rx_bytes, tx_bytes;
	uint32_t rx_packets, tx_packets;
	uint32_t rx_dropped; /* received with a bad length: dropped, buffer reposted */
	uint32_t bad_used;   /* used entries with a bad id or length (ignored) */
	uint32_t tx_full;    /* vnet_tx_buf() found every buffer in flight */
	uint32_t irqs;	     /* vnet_irq_status() found an interrupt pending */
};

struct vnet {
	volatile uint32_t *regs; /* the device's transport */
	uint32_t slot;		 /* its index in the window passed to vnet_open() */
	uint32_t mtu;		 /* largest packet */
	uint32_t stride;	 /* bytes per buffer: header, mtu, rounded up */
	struct vnet_queue rx, tx;
	uint16_t tx_free[VNET_QUEUE_MAX]; /* transmit buffers the driver holds */
	uint16_t tx_nfree;
	int16_t rx_cur; /* buffer vnet_recv() handed out, -1: none */
	int16_t tx_cur; /* buffer vnet_tx_buf() handed out, -1: none */
	bool broken;
	bool lockstep; /* struct vnet_config */
	struct vnet_stats stats;
};

struct vnet_config {
	uint32_t rx_bufs; /* receive buffers = receive queue size: power of 2, 2..VNET_QUEUE_MAX */
	uint32_t tx_bufs; /* transmit buffers = transmit queue size, likewise */
	uint32_t mtu;	  /* largest packet in bytes, 1..VNET_MTU_MAX (without the header) */
	/*
	 * Lockstep: sent buffers come back only in vnet_tx_reclaim() (or when none is free),
	 * called where the peer has certainly consumed them, so what the driver reads of the
	 * transmit ring, and the instructions it runs, do not depend on when QEMU's transmit
	 * side ran (docs/modem.md). Otherwise every vnet_tx_buf() reclaims.
	 */
	bool lockstep;
};

/* DMA bytes vnet_open() needs for `cfg` (rings and buffers); 0 if `cfg` is invalid. */
uint32_t vnet_dma_size(const struct vnet_config *cfg);
/*
 * Finds the first virtio-net device (magic "virt", version 2, device id 1) in
 * the `window_size` bytes of virtio-mmio slots mapped at `window`, resets it
 * and brings it up with rings and buffers in `dma` (virtio 1.2 §3.1.1,
 * §4.2.3): every receive buffer is posted. Returns 0, -L4_EINVAL (bad
 * arguments, no such device), -L4_ENOMEM (`dma` smaller than vnet_dma_size),
 * -L4_ENOSYS (the device refuses VIRTIO_F_VERSION_1 alone), -L4_ERANGE (its
 * queues are smaller than asked) or -L4_EBUSY (it does not reset).
 */
int vnet_open(struct vnet *d, void *window, uint32_t window_size, const struct l4e_dma *dma,
	      const struct vnet_config *cfg);
/*
 * Resets the device: it stops using the rings and buffers (virtio 1.2 §2.4).
 * Packets QEMU holds for the device then, or that reach it before the next
 * vnet_open() sets DRIVER_OK, are lost (docs/virtio.md).
 */
void vnet_close(struct vnet *d);

/*
 * The next received packet, without its header: *pkt and *len stay valid
 * until vnet_recv_done(). -L4_EAGAIN when none is there, -L4_EBUSY when the
 * last one was not given back, -L4_EDEAD when the device is broken. The bytes
 * are in memory the device can still write: copy what must not change.
 */
int vnet_recv(struct vnet *d, const uint8_t **pkt, uint32_t *len);
/* Gives the buffer of the last vnet_recv() back to the device. */
void vnet_recv_done(struct vnet *d);

/*
 * A transmit buffer to write a packet of up to *cap (the mtu) bytes into, in
 * place; the same one again until vnet_tx_commit(). Takes back the buffers
 * the device is done with. NULL when all are in flight (the next transmit
 * completion then raises the interrupt) or the device is broken.
 */
/* Take back every sent buffer the device has finished with (see vnet_config.lockstep). */
void vnet_tx_reclaim(struct vnet *d);
uint8_t *vnet_tx_buf(struct vnet *d, uint32_t *cap);
/*
 * Sends the first `len` bytes (1..mtu) of the buffer vnet_tx_buf() gave:
 * header, publish, notify. Returns 0, -L4_EINVAL (no buffer taken),
 * -L4_ERANGE (bad length) or -L4_EDEAD.
 */
int vnet_tx_commit(struct vnet *d, uint32_t len);

/*
 * Reads and acknowledges InterruptStatus (VNET_IRQ_*, 0: not this device's
 * interrupt). Call it before acknowledging the line to the kernel
 * (l4_irq_ack), so the level-triggered line has dropped. One interrupt may
 * stand for several packets and none comes for those already in the used
 * ring: after it, call vnet_recv() until -L4_EAGAIN before waiting again.
 */
uint32_t vnet_irq_status(struct vnet *d);
