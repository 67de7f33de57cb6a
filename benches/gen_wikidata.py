"""Generates a Wikidata-shaped N-Triples file: items with a type, labels in several languages,
aliases, descriptions, dates, numbers and links between items, like a slice of a Wikidata dump.

    python3 gen_wikidata.py TRIPLES OUT.nt [--blank-nodes]
                                                 (deterministic: same size, same bytes)

With --blank-nodes, each item also gets its coordinates as a blank node (wdt:P625 [ latitude,
longitude ]), as Wikidata's full statements do: what a Turtle writer nests as `[ ... ]`.
"""
import random
import sys

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
DESC = "<http://schema.org/description>"
XSD = "http://www.w3.org/2001/XMLSchema#"
LANGS = ["en", "fr", "es", "de", "sw", "ht", "ar", "zh"]
CLASSES = [5, 515, 6256, 43229, 4830453, 11424, 7278, 327333]  # human, city, country, org, ...
SYLLABLES = ["ka", "ri", "to", "ma", "ne", "su", "lo", "vi", "de", "ha", "ti", "mo", "ba", "ke", "nya"]


def name(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def esc(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def main():
    target, out = int(sys.argv[1]), sys.argv[2]
    blank_nodes = "--blank-nodes" in sys.argv[3:]
    rng = random.Random(42)
    written = 0
    qid = 1000
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            qid += 1
            s = f"<{WD}Q{qid}>"
            base = f"{name(rng)} {name(rng)}"
            lines = [f"{s} <{WDT}P31> <{WD}Q{rng.choice(CLASSES)}> ."]
            for lang in rng.sample(LANGS, rng.randint(2, 5)):
                label = base if lang in ("en", "fr", "de") else f"{base} ({lang})"
                lines.append(f'{s} {RDFS_LABEL} "{esc(label)}"@{lang} .')
            for _ in range(rng.randint(0, 2)):
                lines.append(f'{s} {ALT} "{esc(name(rng))}"@en .')
            lines.append(f'{s} {DESC} "{esc("item of " + name(rng))}"@en .')
            year = rng.randint(1800, 2025)
            lines.append(f'{s} <{WDT}P569> "{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"^^<{XSD}date> .')
            lines.append(f'{s} <{WDT}P1082> "{rng.randint(1, 10_000_000)}"^^<{XSD}integer> .')
            lines.append(f'{s} <{WDT}P2046> "{rng.uniform(0.1, 9999):.3f}"^^<{XSD}decimal> .')
            if blank_nodes:
                c = f"_:c{qid}"
                lines.append(f"{s} <{WDT}P625> {c} .")
                lines.append(f'{c} <{WDT}P625lat> "{rng.uniform(-90, 90):.4f}"^^<{XSD}decimal> .')
                lines.append(f'{c} <{WDT}P625long> "{rng.uniform(-180, 180):.4f}"^^<{XSD}decimal> .')
            if qid > 1001:
                lines.append(f"{s} <{WDT}P17> <{WD}Q{rng.randint(1001, qid - 1)}> .")
            f.write("\n".join(lines) + "\n")
            written += len(lines)
    print(f"wrote {written} triples for {qid - 1000} items to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
