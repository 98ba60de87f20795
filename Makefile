# Kolom: `make run` sets everything up and opens the REPL on the demo store; `make test` runs the tests.
# Both install what they need on a fresh Debian machine with the Swift toolchain.

SWIFT        ?= swift
DEBIAN_PKGS  := liblz4-dev libxxhash-dev libssl-dev libedit-dev libsqlite3-dev pkg-config tmux
VENV         := .build/venv
PYTHON       := $(VENV)/bin/python3
DEMO         := demo
FUZZ_SECONDS ?= 60
N            ?= 1000000
KOLOM        := .build/release/kolom
PEERS        ?= duckdb,sqlite
PEERS_VENV   := .build/peers-venv

.PHONY: run test build deps python-deps bench bench-ingest bench-scaling bench-peers peers-deps fuzz lint format clean

# The REPL on the demo store (created with 300,000 generated records when missing).
run: build
	@test -f $(DEMO)/CURRENT || { $(KOLOM) init $(DEMO) && $(KOLOM) generate $(DEMO) --records 300000 --seed 1; }
	@$(KOLOM) repl $(DEMO)

test: deps python-deps
	$(SWIFT) build --build-tests
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) test
	$(PYTHON) format-spec/reader.py --check format-spec/test-vectors

build: deps
	$(SWIFT) build -c release

# Debian packages, installed only when missing (needs root, as on these machines).
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The wheels format-spec/reader.py needs, in a virtual environment.
python-deps: $(VENV)/.installed
$(VENV)/.installed:
	@python3 -m venv --help >/dev/null 2>&1 || $(MAKE) deps DEBIAN_PKGS="python3 python3-venv"
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q lz4 xxhash
	touch $@

bench: build
	.build/release/KolomBench --records $(N) --json .build/kolom-bench.json

# A CSV delivery of N records (default 1M) into a new store, as kolom ingest does it,
# and whole kolom ingest processes (target: 500k records/s).
bench-ingest: build
	.build/release/KolomBench --suite ingest --records $(N) --runs 3 --json .build/kolom-ingest.json

# The query suite at 100k, 1M and 10M records: how latency and peak memory grow.
bench-scaling: build
	.build/release/KolomBench --suite scaling --store-dir .build/scaling --json .build/kolom-scaling.json

# Kolom side by side with DuckDB and SQLite on the same generated records (N, default
# 1M); fails on any result mismatch and on a ratio to DuckDB 50% over its threshold.
bench-peers: build peers-deps
	$(PEERS_VENV)/bin/python Benchmarks/peers/compare.py --records $(N) --peers $(PEERS) \
	  --thresholds Benchmarks/thresholds.json --out .build/peers/comparison-$(N)

# The peers' Python packages (from PyPI: duckdb, chdb, polars and pyarrow), in their own virtual environment.
COMMA := ,
peers-deps:
	@python3 -m venv --help >/dev/null 2>&1 || $(MAKE) deps DEBIAN_PKGS="python3 python3-venv"
	@test -x $(PEERS_VENV)/bin/python || python3 -m venv $(PEERS_VENV)
	@for p in duckdb $(subst $(COMMA), ,$(PEERS)); do case $$p in sqlite) ;; \
	  polars) $(PEERS_VENV)/bin/python -c "import polars, pyarrow" 2>/dev/null || $(PEERS_VENV)/bin/pip install -q polars pyarrow;; \
	  *) $(PEERS_VENV)/bin/python -c "import $$p" 2>/dev/null || $(PEERS_VENV)/bin/pip install -q $$p;; esac; done

# libFuzzer on the segment reader, seeded with the golden and bad files.
fuzz: deps
	KOLOM_FUZZ=1 $(SWIFT) build -c release --product SegmentReaderFuzz --sanitize fuzzer --sanitize address --build-path .build-fuzz
	@mkdir -p Fuzz/corpus
	@cp -n format-spec/test-vectors/v1/*.kol format-spec/test-vectors/bad/*.kol Fuzz/corpus/ 2>/dev/null || true
	SWIFT_BACKTRACE=enable=no .build-fuzz/release/SegmentReaderFuzz Fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -print_final_stats=1

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Fuzz Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Fuzz Package.swift

clean:
	rm -rf .build .build-fuzz $(DEMO)
