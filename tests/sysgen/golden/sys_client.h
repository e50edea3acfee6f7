/* generated from tasks/system.toml by sysgen — do not edit */
/* Task client: its id, threads, cap slots, pools, devices and IRQ bits (l4e/sysinfo.h). */
#pragma once

#define SYS_TASK_ID 2u /* the badge its calls carry */
#define SYS_TASK_NAME "client"
#define SYS_TASK_PRIO 80

#define SYS_THREAD_MAIN 8 /* slot; priority 80, entry client_main */
#define SYS_THREAD_NOTES 9 /* slot; priority 70, entry client_notes */

#define SYS_CAP_PROVIDES_DEMO_C 24
#define SYS_CAP_USES_DEMO_A 25
#define SYS_CAP_USES_DEMO_B 26
#define SYS_CLIENT_DEMO_C_SERVER 1u /* badge of task server */
#define SYS_POOL_FRAMES_ID 0u
#define SYS_POOL_FRAMES_ADDR 0x40000000u
#define SYS_POOL_FRAMES_SIZE 0x2000u
#define SYS_POOL_FRAMES_WRITABLE 0
