"""Generates a gazetteer and articles for the `mentions` benchmark:

    python3 gen_mentions.py NAMES ARTICLES OUT_DIR     (deterministic: same sizes, same bytes)

OUT_DIR/names.nt: NAMES entities of a Wikidata-shaped graph (made-up names of 1-3 capitalised
words from syllables, as benches/gen_wikidata.py makes them), each with an rdfs:label and every
fifth with a skos:altLabel. OUT_DIR/names.txt: the same names, one per line (for grep -F).
OUT_DIR/articles/NNNNN.txt: ARTICLES articles of about 400 words, lower-case filler with, every
twelfth word on average, a name of the gazetteer (written with other case or accents at times),
a made-up capitalised name the gazetteer lacks, or a number.
"""
import os
import random
import sys

SYLLABLES = ["ka", "ri", "to", "ma", "ne", "su", "lo", "vi", "de", "ha", "ti", "mo", "ba", "ke", "nya"]
FILLER = ("the of and to in a is that for on with as by at from its was were said has have "
          "officers police mission security support forces country government report "
          "week month year people city capital region border attack peace aid").split()
ACCENTED = {"a": "á", "e": "é", "o": "ô", "i": "í"}


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def main():
    n_names, n_articles, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(18)
    os.makedirs(f"{out}/articles", exist_ok=True)
    names = []
    with open(f"{out}/names.nt", "w") as nt, open(f"{out}/names.txt", "w") as txt:
        for i in range(n_names):
            name = " ".join(word(rng) for _ in range(rng.choice([1, 2, 2, 3])))
            names.append(name)
            iri = f"<http://www.wikidata.org/entity/Q{i + 1}>"
            nt.write(f'{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Thing> .\n')
            nt.write(f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{name}"@en .\n')
            txt.write(name + "\n")
            if i % 5 == 0:
                alias = word(rng) + " " + name.split()[-1]
                nt.write(f'{iri} <http://www.w3.org/2004/02/skos/core#altLabel> "{alias}"@en .\n')
                txt.write(alias + "\n")
    for a in range(n_articles):
        words = []
        while len(words) < 400:
            roll = rng.random()
            if roll < 0.06:
                name = rng.choice(names)
                if rng.random() < 0.2:
                    name = name.upper()
                elif rng.random() < 0.2:
                    name = "".join(ACCENTED.get(c, c) for c in name)
                words.append(name)
            elif roll < 0.07:
                words.append("Xo" + word(rng).lower())
            elif roll < 0.085:
                words.append(str(rng.randint(2, 5000)))
            else:
                words.append(rng.choice(FILLER))
        with open(f"{out}/articles/{a:05d}.txt", "w") as f:
            f.write(" ".join(words) + ".\n")


if __name__ == "__main__":
    main()
