/* generated from tasks/system.toml by sysgen — do not edit */
/* Task server: its id, threads, cap slots, pools, devices and IRQ bits (l4e/sysinfo.h). */
#pragma once

#define SYS_TASK_ID 1u /* the badge its calls carry */
#define SYS_TASK_NAME "server"
#define SYS_TASK_PRIO 100

#define SYS_THREAD_SRV 8 /* slot; priority 100, entry server_main */
#define SYS_THREAD_BULK 9 /* slot; priority 90, entry server_bulk */

#define SYS_CAP_PROVIDES_DEMO_A 24
#define SYS_CAP_PROVIDES_DEMO_B 25
#define SYS_CAP_USES_DEMO_C 26
#define SYS_CAP_IRQ_48 27
#define SYS_IRQ_48_BIT 16
#define SYS_IRQ_48_MASK (1u << 16)
#define SYS_CAP_IRQ_49 28
#define SYS_IRQ_49_BIT 17
#define SYS_IRQ_49_MASK (1u << 17)
#define SYS_CLIENT_DEMO_A_CLIENT 2u /* badge of task client */
#define SYS_CLIENT_DEMO_B_CLIENT 2u /* badge of task client */
#define SYS_POOL_FRAMES_ID 0u
#define SYS_POOL_FRAMES_ADDR 0x40000000u
#define SYS_POOL_FRAMES_SIZE 0x2000u
#define SYS_POOL_FRAMES_WRITABLE 1
#define SYS_DEVICE_NIC_ADDR 0x50000000u
#define SYS_DEVICE_NIC_PADDR 0x0a000000u
#define SYS_DEVICE_NIC_SIZE 0x1000u
