# SPDX-License-Identifier: BSD-2-Clause
"""stubgen: the l4e IDL compiler (IDL -> checked model -> C stubs through Jinja2 templates)."""
