"""Generates the two graphs of the link benchmark, as N-Triples:

    python3 benches/gen_link.py EXTERNAL LOCAL external.nt local.nt

EXTERNAL Wikidata-shaped items (wdt:P31 one of four classes, an English rdfs:label, a French
one for a third, a skos:altLabel for half) with made-up names of two or three words drawn from a
syllable alphabet, so that names share words and trigrams the way real ones do; and LOCAL local
entities (schema:Person, schema:Country, schema:Organization, schema:City) of which 70% name an
external item, written the way local data does: other case, a leading article, accents dropped or
added, a formal prefix ("Republic of"), or one letter changed (10%); the other 30% name nothing
external. The local graph records which item each was drawn from (ex:truth), not read by mss-kg,
so the benchmark can score the links. Deterministic (seeded).
"""
import random
import sys

n_ext, n_loc, ext_path, loc_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(6)
ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
          "br", "ch", "dr", "gr", "kr", "pl", "st", "th", "tr", "sh", "kw", "ny", "mb"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ia", "é", "è", "ô", "ü"]
CODAS = ["", "", "", "n", "r", "s", "l", "m", "k", "t"]
CLASSES = [("Q5", "http://schema.org/Person"), ("Q6256", "http://schema.org/Country"),
           ("Q43229", "http://schema.org/Organization"), ("Q515", "http://schema.org/City")]


def word():
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(rng.choice([2, 2, 3]))).capitalize()


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def plain(s):
    return s.translate(str.maketrans("éèôü", "eeou"))


names = []
with open(ext_path, "w") as out:
    for i in range(n_ext):
        name = " ".join(word() for _ in range(rng.choice([2, 2, 3])))
        cls = rng.randrange(4)
        names.append((name, cls))
        s = f"<http://www.wikidata.org/entity/Q{1000000 + i}>"
        out.write(f"{s} <http://www.wikidata.org/prop/direct/P31> <http://www.wikidata.org/entity/{CLASSES[cls][0]}> .\n")
        out.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "{esc(name)}"@en .\n')
        if i % 3 == 0:
            out.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "{esc(name)}"@fr .\n')
        if i % 2 == 0:
            alias = name.split()[-1] + " " + word()
            out.write(f'{s} <http://www.w3.org/2004/02/skos/core#altLabel> "{esc(alias)}"@en .\n')

with open(loc_path, "w") as out:
    for j in range(n_loc):
        s = f"<https://example.org/local/e{j}>"
        if rng.random() < 0.7:
            i = rng.randrange(n_ext)
            name, cls = names[i]
            style = rng.random()
            if style < 0.2:
                name = name.upper()
            elif style < 0.4:
                name = plain(name)
            elif style < 0.5 and cls == 1:
                name = "the Republic of " + name
            elif style < 0.6:
                name = "The " + name
            elif style < 0.7:
                k = rng.randrange(len(name))
                name = name[:k] + rng.choice("aeiou") + name[k + 1:]
            out.write(f"{s} <https://example.org/truth> <http://www.wikidata.org/entity/Q{1000000 + i}> .\n")
        else:
            name, cls = " ".join(word() for _ in range(3)), rng.randrange(4)
        out.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CLASSES[cls][1]}> .\n")
        out.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "{esc(name)}"@en .\n')
