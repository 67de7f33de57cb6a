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
	  echo; sed -n 's/^#+ summary: /== /p' "$$q"; \
	  $(MSS_KG) --memory run "$$name" --format table || exit 1; \
	done

test:
	scripts/with-deps --test cargo test
