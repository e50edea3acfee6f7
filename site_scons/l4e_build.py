# SPDX-License-Identifier: BSD-2-Clause
"""Build configuration, environments, builders and test registration for SConstruct."""

import os
import shutil
import sys

import SCons.Script as S

import elf32
import fwimage_build
import rootimage
import stubgen_builder

WARNINGS = ['-Wall', '-Wextra', '-Werror', '-Wstrict-prototypes', '-Wmissing-prototypes',
            '-Wundef', '-Wshadow', '-Wpointer-arith', '-Wcast-align']
TARGET_CPU = ['-mcpu=cortex-a7', '-marm', '-mfloat-abi=soft']
PYTHON = sys.executable  # the interpreter running SCons (/usr/bin/python3 on Debian)


def variables(args):
    """The build options (`scons -h` lists them); custom.py may hold local defaults."""
    v = S.Variables('custom.py', args)
    v.AddVariables(
        S.EnumVariable('MODE', 'build mode: release (-O2) or debug (-Og, kernel checks on)',
                       'release', allowed_values=('release', 'debug')),
        S.BoolVariable('CONSOLE', 'kernel debug console (boot log, debug print, panic dump)', True),
        S.BoolVariable('DEBUG', 'build the tasks and the supervisor with -Og, for gdb '
                       '(the kernel follows MODE)', False),
        ('TASK', 'the task `scons debug` loads symbols of and stops in (docs/debugging.md)', ''),
        S.BoolVariable('TRACE', 'kernel trace ring of switch/IPC/IRQ/notify/fault/sleep events '
                       '(scons profile builds its own trace firmware)', False),
        S.BoolVariable('KDEBUG', 'kernel use-after-free detector: poisoned free objects, '
                       'generations checked on every reference', False),
        S.BoolVariable('SANITIZE', 'AddressSanitizer + UBSan in the host (test) build', True),
        S.BoolVariable('VERBOSE', 'print full command lines', False),
        ('HOSTCC', 'host C compiler (gcc or clang)', 'gcc'),
        ('CROSS', 'cross toolchain prefix', 'arm-none-eabi-'),
        ('QEMU', 'QEMU system emulator', 'qemu-system-arm'),
        ('GDB', 'debugger for `scons debug`', 'gdb-multiarch'),
        ('GDB_PORT', 'gdbstub TCP port for `scons debug`', '1234'),
        ('RAM_MB', 'guest RAM in MiB (kernel CONFIG_RAM_MB and QEMU -m)', '128'),
        ('TEST_TIMEOUT', 'seconds before a QEMU test is killed and failed', '60'),
        ('FUZZ_SEED', 'seed of the kernel syscall fuzzer (default: the date, YYYYMMDD)', ''),
        ('RUN_TIMEOUT', 'seconds before `scons run` stops QEMU (0: never)', '600'),
        ('SCENARIO', '`scons sim`: a scenario name (sim/scenarios/) or path', 'default'),
        S.EnumVariable('UE', '`scons sim`: the UE, firmware under QEMU or the host model',
                       'qemu', allowed_values=('qemu', 'host')),
        ('SWEEP', '`scons sweep`: a sweep name (sim/sweeps/) or path', 'smoke'),
        ('COLO', 'tasks linked into one in build/modem-colo.fw, comma-separated '
         '(direct calls between them; docs/performance.md)', 'radio,mac,rlc,pdcp'),
        ('SCHEDULER', '`scons sweep`: a running Dask scheduler, tcp://host:8786 '
         '(default: a local cluster)', ''),
    )
    fwimage_build.options(v)
    return v


def _kernel_config(env):
    return {
        'CONFIG_CONSOLE': int(env['CONSOLE']),
        'CONFIG_TRACE': int(env['TRACE']),
        'CONFIG_DEBUG': int(env['MODE'] == 'debug'),
        'CONFIG_SEMIHOSTING': 1,
        'CONFIG_USER_PMU': 0,
        'CONFIG_RAM_MB': int(env['RAM_MB']),
        'CONFIG_KSTACK_SIZE': 8192,
        'CONFIG_MAX_THREADS': 64,
        'CONFIG_MAX_SPACES': 16,
        'CONFIG_MAX_L2_TABLES': 128,
        'CONFIG_MAX_ENDPOINTS': 64,
        'CONFIG_MAX_NOTIFICATIONS': 64,
        'CONFIG_MAX_KMEM': 16,
        'CONFIG_TIMESLICE_MS': 10,
        'CONFIG_SELFTEST_PANIC': 0,
        'CONFIG_KDEBUG': int(env['KDEBUG']),
        'CONFIG_SELFTEST_STALE': 0,
    }


def _check_tool(env, tool, what):
    if not shutil.which(env.subst(tool)):
        sys.stderr.write(f'scons: error: {what} `{env.subst(tool)}` not found; '
                         'run tools/setup to install the missing packages\n')
        S.Exit(2)


def make_envs(base):
    """Return (target, host) environments built from the configured `base`."""
    if not base['VERBOSE']:
        for var, tag in (('CCCOMSTR', 'CC  '), ('ASPPCOMSTR', 'AS  '), ('ASCOMSTR', 'AS  '),
                         ('LINKCOMSTR', 'LD  '), ('ARCOMSTR', 'AR  '), ('RANLIBCOMSTR', 'AR  ')):
            base[var] = f'[{tag}] $TARGET' if tag else ''
    base.Append(CCFLAGS=['-std=c11', '-g'] + WARNINGS)
    opt = ['-O2'] if base['MODE'] == 'release' else ['-Og']

    tgt = base.Clone(VARIANT='target')
    cross = tgt['CROSS']
    tgt.Replace(CC=cross + 'gcc', AS=cross + 'gcc', AR=cross + 'ar', RANLIB=cross + 'ranlib',
                LINK=cross + 'gcc', OBJCOPY=cross + 'objcopy', SIZE=cross + 'size',
                PROGSUFFIX='.elf', LIBS=[])
    tgt.Append(CCFLAGS=TARGET_CPU + opt + ['-ffreestanding', '-fno-common', '-fno-builtin',
                                           '-fno-unwind-tables', '-fno-asynchronous-unwind-tables',
                                           '-fno-pic', '-fno-stack-protector',
                                           '-fno-tree-loop-distribute-patterns'],
               ASFLAGS=TARGET_CPU, ASPPFLAGS=TARGET_CPU,
               LINKFLAGS=TARGET_CPU + ['-nostdlib', '-nostartfiles', '-static',
                                       '-Wl,--build-id=none', '-Wl,-z,max-page-size=4096',
                                       '-Wl,--no-warn-rwx-segments'])
    tgt['KERNEL_CONFIG'] = _kernel_config(tgt)
    _check_tool(tgt, '$CC', 'cross compiler')

    host = base.Clone(VARIANT='host', CC=base['HOSTCC'], LINK=base['HOSTCC'])
    host.Append(CCFLAGS=['-O1'], CPPDEFINES=['_DEFAULT_SOURCE'])
    if host['SANITIZE']:
        san = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all',
               '-fno-omit-frame-pointer']
        host.Append(CCFLAGS=san, LINKFLAGS=san)
    _check_tool(host, '$CC', 'host compiler')

    for env in (tgt, host):
        env.AddMethod(kernel_image, 'KernelImage')
        env.AddMethod(add_test, 'AddTest')
        env.AddMethod(fwimage_build.fw_image, 'FwImage')
        env['PYTHON'] = PYTHON
        stubgen_builder.setup(env)
    return tgt, host


def make_run_env(base):
    """The host environment of the programs `scons run`, `sim` and `bench` run for speed:
    -O2, no sanitizers (the tests use the ASan build of the same sources)."""
    run = base.Clone(VARIANT='host', CC=base['HOSTCC'], LINK=base['HOSTCC'])
    run.Append(CCFLAGS=['-O2'], CPPDEFINES=['_DEFAULT_SOURCE'])
    _check_tool(run, '$CC', 'host compiler')
    return run


# ---------------------------------------------------------------- images

def _rootimg_action(target, source, env):
    try:
        rootimage.generate(str(source[0]), str(target[0]))
    except elf32.ElfError as e:
        sys.stderr.write(f'scons: error: {e}\n')
        return 1
    return 0


def kernel_image(env, target, kernel, root_elf):
    """Link `kernel` (the dict kernel/SConscript returns) with `root_elf` as the root task."""
    target = env.File(target).abspath
    gen = env.Command(target + '.rootimg.S', root_elf,
                      S.Action(_rootimg_action, '[IMG ] $TARGET'))
    env.Depends(gen, '#site_scons/rootimage.py')
    obj = env.Object(target + '.rootimg.o', gen)
    env.Depends(obj, root_elf)  # .incbin reads the ELF; the scanner cannot see that
    elf = env.Program(target, kernel['objs'] + obj,
                      LINKFLAGS=env['LINKFLAGS'] + ['-T', kernel['ldscript'].abspath,
                                                    '-Wl,-Map,' + target + '.map'],
                      LIBS=['gcc'])
    env.Depends(elf, kernel['ldscript'])
    env.SideEffect(target + '.map', elf)
    return elf


# ---------------------------------------------------------------- tests

TEST_RESULTS = []


def add_test(env, name, deps, kind, args):
    """Register a test: tools/testrun.py `kind` (exec or qemu) with `args`; its result
    joins the summary of `scons test`.

    Tests always run when asked for (AlwaysBuild); a failing test does not stop the
    build, the summary does.
    """
    result = env.File(f'#build/results/{name}.result')
    log = env.File(f'#build/results/{name}.log')
    cmd = [PYTHON, env.File('#tools/testrun.py').abspath, kind,
           '--name', name, '--result', result.abspath, '--log', log.abspath] + args
    node = env.Command(result, deps, S.Action([cmd], f'[TEST] {name}'))
    env.Depends(node, ['#tools/testrun.py', '#tools/qemu.py'])
    env.SideEffect(log, node)
    env.AlwaysBuild(node)
    TEST_RESULTS.append(node)
    return node


def qemu_args(env):
    return ['--qemu', env['QEMU'], '--ram', str(env['RAM_MB'])]
