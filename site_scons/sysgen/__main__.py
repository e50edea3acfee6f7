# SPDX-License-Identifier: BSD-2-Clause
"""python3 -m sysgen (with site_scons on the path): see cli.py."""

import sys

from .cli import main

sys.exit(main())
