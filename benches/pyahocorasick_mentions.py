"""The peer of `mss-kg mentions` in benches/mentions.sh: pyahocorasick (a C Aho-Corasick for
Python) doing the same work: every name folded (case, accents, punctuation, spacing), one
automaton, each article folded and searched longest-first, whole words only. Prints the number
of names found. It does not map matches back to offsets in the original text.

    python3 pyahocorasick_mentions.py NAMES.txt ARTICLES_DIR
"""
import os
import sys
import unicodedata

import ahocorasick


def fold(text):
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


automaton = ahocorasick.Automaton()
with open(sys.argv[1]) as names:
    for name in names:
        folded = fold(name)
        if folded:
            automaton.add_word(folded, len(folded))
automaton.make_automaton()
found = 0
directory = sys.argv[2]
for file in sorted(os.listdir(directory)):
    with open(os.path.join(directory, file)) as f:
        text = fold(f.read())
    for end, length in automaton.iter_long(text):
        start = end - length + 1
        if (start == 0 or text[start - 1] == " ") and (end + 1 == len(text) or text[end + 1] == " "):
            found += 1
print(found)
