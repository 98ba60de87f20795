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
if len(sys.argv) > 1 and sys.argv[1].startswith("-"):
    sys.exit(__doc__)
store = sys.argv[1] if len(sys.argv) > 1 else str(root / "demo")
if not (pathlib.Path(store) / "CURRENT").is_file():
    sys.exit(f"{store} is not a Kolom store (make run creates the demo store)")
kolom = str(root / ".build/release/kolom")
page = root / "docs/query-language.md"

block = re.compile(r"```sql( error)?\n(.*?)\n```(\n\n```text\n.*?\n```)?", re.S)


def refresh(match: re.Match) -> str:
    sql = match.group(2)
    run = subprocess.run(
        [kolom, "query", store, "-c", sql, "--param", "regio=JZ13", "--param", "jaar=2024"],
        capture_output=True, text=True)
    if run.returncode == 2:  # a usage error: the page is left as it was
        sys.exit(run.stderr)
    output = (run.stdout if run.returncode == 0 else run.stderr).rstrip("\n")
    return f"```sql{match.group(1) or ''}\n{sql}\n```\n\n```text\n{output}\n```"


page.write_text(block.sub(refresh, page.read_text()))
