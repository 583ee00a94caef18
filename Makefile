# Thin wrapper around CMake: the two commands of the README's quickstart,
# plus the longer-running targets that stay out of `make test`.
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
HOST       ?= 127.0.0.1
PORT       ?= 8080
PREFIX     ?= /usr/local
# Fuzzing (tests/fuzz/): a clang build of its own; seconds per target for
# `make fuzz`, and for the short run at the end of `make test`.
FUZZ_BUILD         ?= build-fuzz
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10

VALGRIND_BUILD ?= build-valgrind
VALGRIND ?= valgrind --quiet --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect

.PHONY: all deps build release-check run test fuzz fuzz-build valgrind clean install

all: build

deps:
	@deploy/install-deps.sh

# The two programs, optimised: what `make run` needs, and quick on a new
# machine. (`make release-check` compiles everything at -O2.)
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target mockintd mockint

# Every target at -O2 under -Werror: some warnings only appear optimised.
release-check: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p data
	exec $(BUILD)/server/mockintd --host $(HOST) --port $(PORT) \
		--db data/mockint.db --questions server/bank

# CMake's install rules (deploy/README.md): PREFIX, and DESTDIR to stage.
# Only the two programs are built: the tests are not installed.
install: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target mockintd mockint
	DESTDIR=$(DESTDIR) cmake --install $(BUILD)

test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=ON >/dev/null
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS)

# Only the libFuzzer binaries and what they link; see tests/fuzz/README.md.
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang \
		-DCMAKE_BUILD_TYPE=Debug -DFUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The integration tests with every mockintd under valgrind's memcheck: any
# memory error or leak makes the server exit 99 and its test fail.
valgrind: deps
	cmake -S . -B $(VALGRIND_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=OFF >/dev/null
	cmake --build $(VALGRIND_BUILD) -j $(JOBS)
	cd $(VALGRIND_BUILD) && MOCKINTD_WRAPPER="$(VALGRIND)" \
		ctest --output-on-failure -R integration/ -j $(JOBS) --timeout 900

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD) $(VALGRIND_BUILD)

# The benchmark (tests/bench/run-bench.sh, about two minutes): a Release
# build of its own, the standard scenarios on loopback, one table and CSV.
BENCH_BUILD ?= build-bench
.PHONY: bench
bench: deps
	BENCH_BUILD=$(BENCH_BUILD) JOBS=$(JOBS) tests/bench/run-bench.sh
