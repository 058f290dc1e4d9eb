# foobar: the two commands a person needs are `make up` and `make test`.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build up down test unit-test lab-test bench clean

deps:
	@scripts/deps.sh

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
	@cmake --build $(BUILD) -j $(JOBS)

up: deps build
	@$(BUILD)/foobar up $(if $(TOPOLOGY),--topology $(TOPOLOGY))

down:
	@if [[ -x $(BUILD)/foobar ]]; then $(BUILD)/foobar down; else echo "nothing built, nothing up"; fi

# Unit tests, then the lab tests (which bring a lab up and always take it down again).
test: deps build
	@cd $(BUILD) && ctest --output-on-failure --timeout 900

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -LE lab

lab-test: build
	@cd $(BUILD) && ctest --output-on-failure -L lab

# The benchmark suite (issue 7): brings a production lab up, runs `foobar bench` in it (REPORT.md,
# results.json and plots into bench/results/) and takes the lab down again, also on failure.
# BENCH_SCALE=tiny: seconds per point, to check the harness. A lab that is up already is left
# alone: run `$(BUILD)/foobar bench` against it, or `make down` first.
BENCH_SCALE ?= full
bench: deps build
	@if ! $(BUILD)/foobar status 2>&1 | grep -q "No lab is up"; then \
	  echo "a lab is up already: run $(BUILD)/foobar bench against it, or make down first"; exit 1; fi
	@set -e; trap '$(BUILD)/foobar down' EXIT; \
	  $(BUILD)/foobar up --topology production; \
	  $(BUILD)/foobar bench --scale $(BENCH_SCALE) --out bench/results

clean: down
	rm -rf $(BUILD)
