"""Puts a section into benches/RESULTS.md, replacing the previous one of the same name:

    python3 benches/put_section.py NAME < section.md

The section sits between `<!-- begin NAME -->` and `<!-- end NAME -->`; other sections (each
written by its own script) are kept.
"""
import pathlib
import sys

name = sys.argv[1]
path = pathlib.Path(__file__).with_name("RESULTS.md")
begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
section = f"{begin}\n{sys.stdin.read().strip()}\n{end}\n"
text = path.read_text() if path.exists() else ""
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    text = head + section + tail.lstrip("\n")
else:
    text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
path.write_text(text)
