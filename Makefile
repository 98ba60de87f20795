# Kolom: `make run` sets everything up and shows the demo store; `make test` runs the tests.
# Both install what they need on a fresh Debian machine with the Swift toolchain.

SWIFT        ?= swift
DEBIAN_PKGS  := liblz4-dev libxxhash-dev libsqlite3-dev pkg-config
VENV         := .build/venv
PYTHON       := $(VENV)/bin/python3
DEMO         := demo
FUZZ_SECONDS ?= 60
N            ?= 1000000

.PHONY: run test build deps python-deps bench fuzz lint format clean

KOLOM        := .build/release/kolom

# Until the REPL exists: the demo store's info and a few analyses with kolom query.
run: build
	@test -f $(DEMO)/CURRENT || { $(KOLOM) init $(DEMO) && $(KOLOM) generate $(DEMO) --records 300000 --seed 1; }
	$(KOLOM) info $(DEMO)
	$(KOLOM) query $(DEMO) -c "SELECT regio, count(*) AS records, count(DISTINCT clientnummer) AS clienten FROM cases GROUP BY regio ORDER BY clienten DESC LIMIT 5"
	$(KOLOM) query $(DEMO) --format bar -c "SELECT EACH(problematiek_jeugdige) AS probleem, count(DISTINCT clientnummer) AS clienten FROM cases GROUP BY ALL ORDER BY clienten DESC"
	$(KOLOM) query $(DEMO) -c "SELECT urgentie, median(days_between(datum_aanmelding, datum_afsluiting)) AS mediaan_dagen, quantile_cont(days_between(datum_aanmelding, datum_afsluiting), 0.9) AS p90_dagen FROM cases WHERE fase = 'afsluiting' GROUP BY urgentie ORDER BY urgentie"
	$(KOLOM) query $(DEMO) --role ret --region JZ13 -c "SELECT year(datum) AS jaar, hoofdknelpunt, count(*) AS n FROM cases WHERE hoofdknelpunt IS NOT NULL AND year(datum) >= 2024 GROUP BY ALL ORDER BY jaar, n DESC LIMIT 2 BY jaar"

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
