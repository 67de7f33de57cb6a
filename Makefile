# The two set-up commands of the README, for a fresh machine: each installs what it needs first.
#   make run    answer every competency question from the bundled graph
#   make test   run the tests
# One build directory serves both (and CI), outside the clone so that new clones reuse it.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/mss-kg/target
MSS_KG = $(CARGO_TARGET_DIR)/debug/mss-kg

.PHONY: run test build

build:
	scripts/with-deps cargo build --quiet

run: build
	@for q in queries/*.rq; do \
	  name=$$(basename "$$q" .rq); \
	  case "$$name" in nation-codes*) continue;; esac; \
	  echo; sed -n 's/^#+ summary: /== /p' "$$q"; \
	  $(MSS_KG) --memory run "$$name" --format table || exit 1; \
	done
	@# The nation-codes queries read an external graph: link with one, then query through the links.
	@echo; echo "== Links from the 17 nations to a Wikidata-shaped graph of countries (issue #6)"
	@store=$$(mktemp -d) && \
	  $(MSS_KG) --store "$$store" --quiet link --with tests/fixtures/link/wikidata-countries.ttl \
	    --type schema:Country --evidence labels --gold tests/fixtures/link/nations-gold.csv --apply --format table && \
	  echo && sed -n 's/^#+ summary: /== /p' queries/nation-codes.rq && \
	  $(MSS_KG) --store "$$store" run nation-codes --format table; \
	  status=$$?; rm -rf "$$store"; exit $$status

test:
	scripts/with-deps --test cargo test
