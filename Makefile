# LTV診断. Two commands on a fresh machine:
#   make run    set everything up, build, and serve the app on http://127.0.0.1:8080
#   make test   set everything up and run every test
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON := $(CURDIR)/tests/webdriver.json
export WASM_BINDGEN_TEST_TIMEOUT := 120

.PHONY: run test setup lint test-native test-wasm build test-e2e size bench clean

run: setup
	trunk serve --release --no-autoreload

test: setup lint test-native test-wasm build test-e2e size

setup:
	scripts/setup.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p ltv-app --target wasm32-unknown-unknown --all-targets -- -D warnings

test-native:
	cargo test --workspace

test-wasm:
	cargo test -p ltv-app --target wasm32-unknown-unknown --test components
	# The real panic, alone in its page: a panic leaves Yew's scheduler stopped where it ran.
	cargo test -p ltv-app --target wasm32-unknown-unknown --test components -- --include-ignored a_panic_in_a_render

build:
	trunk build --release

test-e2e:
	node --test --test-concurrency=1 e2e/*.test.mjs

size:
	@for f in dist/*.wasm; do
	  printf '%s: %s bytes, %s bytes gzipped\n' "$$f" "$$(stat -c %s "$$f")" "$$(gzip -9 -c "$$f" | wc -c)"
	done

# Not part of `make test`: about 15 to 20 minutes (BENCH_RUNS=3), and it needs PyPI the first time.
bench:
	bench/run.sh

clean:
	cargo clean
	rm -rf dist node_modules e2e/screenshots e2e/downloads
