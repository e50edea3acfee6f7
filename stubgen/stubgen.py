#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""stubgen/stubgen.py: run the IDL compiler without `-m` (adds the repository to sys.path)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from stubgen.cli import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main())
