# SPDX-License-Identifier: BSD-2-Clause
"""`python3 -m stubgen`: run the IDL compiler."""

import sys

from .cli import main

sys.exit(main())
