# foobar: the two commands a person needs are `make up` and `make test`.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build up down test unit-test lab-test clean

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

clean: down
	rm -rf $(BUILD)
