#!/usr/bin/env python3
"""Refreshes the outputs of the examples in docs/query-language.md.

Every ```sql block (and ```sql error block) is run with `kolom query` on a store (the
demo store of `make run` by default) and the ```text block after it is replaced by what
kolom printed. Parameters: :regio = JZ13, :jaar = 2024, as in the documentation test.

    python3 docs/refresh-examples.py [STORE]
"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
store = sys.argv[1] if len(sys.argv) > 1 else str(root / "demo")
kolom = str(root / ".build/release/kolom")
page = root / "docs/query-language.md"

block = re.compile(r"```sql( error)?\n(.*?)\n```(\n\n```text\n.*?\n```)?", re.S)


def refresh(match: re.Match) -> str:
    sql = match.group(2)
    run = subprocess.run(
        [kolom, "query", store, "-c", sql, "--param", "regio=JZ13", "--param", "jaar=2024"],
        capture_output=True, text=True)
    output = (run.stdout if run.returncode == 0 else run.stderr).rstrip("\n")
    return f"```sql{match.group(1) or ''}\n{sql}\n```\n\n```text\n{output}\n```"


page.write_text(block.sub(refresh, page.read_text()))
