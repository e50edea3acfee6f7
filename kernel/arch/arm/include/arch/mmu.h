/* SPDX-License-Identifier: BSD-2-Clause */
/* ARMv7 short-descriptor translation table formats (ARM ARM B3.5). */
#pragma once

/* Kernel virtual layout: RAM linear map and device window (see docs/boot.md). */
#define KERNEL_VBASE  0xc0000000u
#define DEVICE_VBASE  0xf0000000u
#define DEVICE_VA(pa) (DEVICE_VBASE + (pa))

/* TTBCR.N = 1: TTBR0 translates [0, 2 GiB), TTBR1 the rest. */
#define TTBCR_N		1
#define L1_USER_ENTRIES 2048
#define L2_ENTRIES	256

/* First-level descriptors. */
#define L1_TYPE_TABLE	0x1
#define L1_TYPE_SECTION 0x2
#define L1_TABLE_PXN	0x4
/* Section: normal WBWA (TEX=001 C=1 B=1), privileged RW only, global. */
#define L1_SECT_KERNEL 0x140e
/* Section: shareable device (TEX=000 C=0 B=1), privileged RW, execute never. */
#define L1_SECT_DEVICE 0x0416

/* Second-level small-page descriptors. */
#define L2_TYPE_SMALL  0x2
#define L2_XN	       0x1
#define L2_NORMAL_WBWA 0x4c  /* TEX=001 C=1 B=1 */
#define L2_AP_USER_RW  0x030 /* AP[2]=0 AP[1:0]=11 */
#define L2_AP_USER_RO  0x220 /* AP[2]=1 AP[1:0]=10 */
#define L2_NG	       0x800

/* TTBR walk attributes: inner and outer write-back write-allocate. */
#define TTBR_WALK_WBWA 0x48

/* SCTLR bits. */
#define SCTLR_M	  0x1
#define SCTLR_A	  0x2
#define SCTLR_C	  0x4
#define SCTLR_Z	  0x800
#define SCTLR_I	  0x1000
#define SCTLR_V	  0x2000
#define SCTLR_TRE 0x10000000
#define SCTLR_AFE 0x20000000
