# smsup: `make demo` and `make test` do all set-up on a fresh Debian machine.
BUILD   ?= build
JOBS    ?= $(shell nproc)
GEN     := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
CMAKE_FLAGS ?=

.PHONY: all deps build test demo bench fuzz soak test-sanitize clean

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

demo: build
	$(BUILD)/smsup demo --out demo-out

bench: build
	@bash scripts/deps.sh --bench
	@for b in bench/*/run.sh; do echo "== $$b"; bash $$b $(BUILD) || exit 1; done

# Every test under AddressSanitizer and UndefinedBehaviorSanitizer. The crash
# tests kill a smaller plan fewer times here (a sanitized process starts and
# runs several times slower; `make soak` is where many kills are).
test-sanitize: deps
	cmake -S . -B build-asan $(GEN) -DCMAKE_BUILD_TYPE=Debug -DSMSUP_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	cd build-asan && SMSUP_CRASH_STEPS=360 SMSUP_CRASH_ROUNDS=12 SMSUP_CRASH_SITES=30 SMSUP_CRASH_PG_ROUNDS=4 SMSUP_README_TIMEOUT=600 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900

# libFuzzer targets, each for a bounded time (FUZZ_SECONDS, default 60; or
# FUZZ_CPU_SECONDS of CPU time each, for a machine shared with other work),
# then a line per target (executions, corpus size, findings): scripts/fuzz.sh.
# Builds only the libraries the targets feed, not the tests or the CLI.
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/deps.sh --fuzz
	CXX=clang++ cmake -S . -B build-fuzz $(GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMSUP_FUZZ=ON -DSMSUP_TESTS=OFF
	cmake --build build-fuzz -j $(JOBS) --target fuzz_all
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# The long randomized run (never part of `make test`): crash tests with many
# more SIGKILLs, SIGSTOP/SIGCONT pauses and a new seed each round, on SQLite,
# on PostgreSQL and on the twin, for SOAK_SECONDS (default 600): scripts/soak.sh.
SOAK_SECONDS ?= 600
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) bash scripts/soak.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz demo-out
