/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio test system's task: echoes every packet of the host link until the peer says BYE. */
#include "../../vnet_proto.h"
#include "sys_vecho.h"

#include <l4e/dma.h>
#include <l4e/task.h>
#include <l4e/virtio_net.h>
#include <string.h>

void vecho_main(uint32_t arg);

static const struct vnet_config cfg = {.rx_bufs = 8, .tx_bufs = 8, .mtu = VNET_PROTO_MTU};
static struct vnet dev;

static void report(const char *name, bool ok)
{
	l4_debug_puts(ok ? "[test] pass " : "[test] fail ");
	l4_debug_puts(name);
	l4_debug_puts("\n");
}

/* Waits for the device's interrupt: device acknowledged first, then the line. */
static void wait_irq(void)
{
	uint32_t bits;

	l4_wait(SYS_SLOT_NTFN, &bits);
	vnet_irq_status(&dev);
	l4_irq_ack(SYS_CAP_IRQ_56);
}

static bool is_bye(const uint8_t *pkt, uint32_t len)
{
	struct vnet_proto_cmd cmd;

	if (len != sizeof(cmd))
		return false;
	memcpy(&cmd, pkt, sizeof(cmd));
	return cmd.magic == VNET_PROTO_CMD_MAGIC && cmd.op == VNET_PROTO_OP_BYE;
}

/* Echoes until BYE; returns the packets echoed, or -1 when the device broke. */
static int echo(void)
{
	const uint8_t *pkt;
	uint32_t len, cap;
	int n = 0, err;

	for (;;) {
		uint8_t *out;

		err = vnet_recv(&dev, &pkt, &len);
		if (err == -L4_EAGAIN) {
			wait_irq();
			continue;
		}
		if (err)
			return -1;
		if (is_bye(pkt, len)) {
			vnet_recv_done(&dev);
			return n;
		}
		while (!(out = vnet_tx_buf(&dev, &cap)) && !dev.broken)
			wait_irq();
		if (!out || len > cap)
			return -1;
		memcpy(out, pkt, len);
		vnet_recv_done(&dev);
		if (vnet_tx_commit(&dev, len))
			return -1;
		n++;
	}
}

void vecho_main(uint32_t arg)
{
	const struct l4e_dma_hdr *h = (const void *)SYS_POOL_LINK_ADDR;
	l4_word_t mr[L4_MSG_REGS] = {1};
	l4_tag_t tag = l4_tag(SYS_SUPER_SHUTDOWN, 0, 1);
	struct l4e_dma dma;
	int err, n;

	(void)arg;
	err = l4e_dma_get((void *)SYS_POOL_LINK_ADDR, SYS_POOL_LINK_SIZE, &dma);
	l4_debug_puts("vecho: dma header paddr 0x");
	l4_debug_putx(h->paddr);
	l4_debug_puts(" size 0x");
	l4_debug_putx(h->size);
	l4_debug_puts("\n");
	report("vecho_dma_header_read", err == 0 && dma.size >= vnet_dma_size(&cfg));
	err = err ? err
		  : vnet_open(&dev, (void *)SYS_DEVICE_HOST_ADDR, SYS_DEVICE_HOST_SIZE, &dma, &cfg);
	report("vecho_vnet_open_slot_8", err == 0 && dev.slot == 0);
	if (!err) {
		struct vnet_proto_cmd ready = {.magic = VNET_PROTO_CMD_MAGIC,
					       .op = VNET_PROTO_OP_READY};
		uint32_t cap;
		uint8_t *out = vnet_tx_buf(&dev, &cap);

		if (out)
			memcpy(out, &ready, sizeof(ready));
		err = out ? vnet_tx_commit(&dev, sizeof(ready)) : -L4_EDEAD;
	}
	n = err ? -1 : echo();
	report("vecho_echoed_until_bye", n == 205);
	report("vecho_no_bad_device_values",
	       !err && !dev.broken && dev.stats.bad_used == 0 && dev.stats.rx_dropped == 0);
	vnet_close(&dev);
	mr[0] = n == 205 ? 0 : 1;
	l4_call(SYS_SLOT_SUPER, &tag, mr);
}
