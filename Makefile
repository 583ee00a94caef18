# Thin wrapper around CMake: the two commands of the README's quickstart,
# plus the longer-running targets that stay out of `make test`.
BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
HOST       ?= 127.0.0.1
PORT       ?= 8080

VALGRIND_BUILD ?= build-valgrind
VALGRIND ?= valgrind --quiet --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect

.PHONY: all deps build run test valgrind clean

all: build

deps:
	@deploy/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p data
	exec $(BUILD)/server/mockintd --host $(HOST) --port $(PORT) \
		--db data/mockint.db --questions server/bank

test: deps
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=ON >/dev/null
	cmake --build $(TEST_BUILD) -j $(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j $(JOBS)

# The integration tests with every mockintd under valgrind's memcheck: any
# memory error or leak makes the server exit 99 and its test fail.
valgrind: deps
	cmake -S . -B $(VALGRIND_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=OFF >/dev/null
	cmake --build $(VALGRIND_BUILD) -j $(JOBS)
	cd $(VALGRIND_BUILD) && MOCKINTD_WRAPPER="$(VALGRIND)" \
		ctest --output-on-failure -R integration/ -j $(JOBS) --timeout 900

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(VALGRIND_BUILD)
