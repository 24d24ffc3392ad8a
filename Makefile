# pyjindo: `make demo` runs the example against a local server; `make test` runs every test.
# Python work happens in a project virtualenv, .venv, with pinned dependencies (requirements-*.txt):
# PYTHON is only used to create it, so an empty virtualenv or a system python that refuses global
# pip installs (PEP 668) both work.
PYTHON  ?= python3
GO      ?= go
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' pyjindo/_version.py)
LDFLAGS := -s -w -X main.version=$(VERSION)
GO_SRC  := $(shell find go \( -name '*.go' -o -name '*.s' \) -not -name '*_test.go') go.mod

LIB := pyjindo/_jindo.so
CLI := bin/jindo

VENV := .venv
PY   := $(VENV)/bin/python
# One stamp per requirements file, named by a hash of its content: an edited file reinstalls,
# an unchanged one costs nothing.
req_stamp   = $(VENV)/.installed-$(1)-$(shell cat $(1) | sha256sum | cut -c1-16)
TEST_DEPS  := $(call req_stamp,requirements-test.txt)
WHEEL_DEPS := $(call req_stamp,requirements-wheel.txt)
TORCH_DEPS := $(call req_stamp,requirements-torch.txt)
BENCH_DEPS := $(call req_stamp,requirements-bench.txt)

# Wheels: one per architecture, cgo through zig's cc against glibc 2.17 (manylinux2014).
WHEEL_TAG_x86_64  := manylinux2014_x86_64.manylinux_2_17_x86_64
WHEEL_TAG_aarch64 := manylinux2014_aarch64.manylinux_2_17_aarch64
GOARCH_x86_64     := amd64
GOARCH_aarch64    := arm64
wheel_file   = dist/pyjindo-$(VERSION)-py3-none-$(WHEEL_TAG_$(1)).whl
WHEELS      := $(call wheel_file,x86_64) $(call wheel_file,aarch64)
SDIST       := dist/pyjindo-$(VERSION).tar.gz
PACKAGE_SRC := $(GO_SRC) $(wildcard pyjindo/*.py pyjindo/*/*.py) pyjindo/py.typed setup.py pyproject.toml MANIFEST.in README.md LICENSE

.PHONY: build test test-go test-py vet mypy demo bench soak clean deps venv wheel sdist vermin qemu

build: $(LIB) $(CLI)

$(LIB): $(GO_SRC)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags '$(LDFLAGS)' -o $@ ./go/capi
	rm -f pyjindo/_jindo.h

$(CLI): $(GO_SRC)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $@ ./go/cmd/jindo

$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "make: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install python3-venv, or run make PYTHON=/path/to/python3.11"; exit 1; }

$(TEST_DEPS): | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	rm -f $(VENV)/.installed-requirements-test.txt-* && touch $@

$(WHEEL_DEPS): | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-wheel.txt
	rm -f $(VENV)/.installed-requirements-wheel.txt-* && touch $@

# torch is big (the CUDA wheels from PyPI, about 3 GB): its own file, so the other pins can change
# without reinstalling it.
$(TORCH_DEPS): | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-torch.txt
	rm -f $(VENV)/.installed-requirements-torch.txt-* && touch $@

# The bench's anchors (osstorchconnector) without their dependencies: torch is pinned above.
$(BENCH_DEPS): $(TORCH_DEPS) | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements-bench.txt
	rm -f $(VENV)/.installed-requirements-bench.txt-* && touch $@

venv: $(TEST_DEPS) $(TORCH_DEPS)

# Python test dependencies (pinned, into .venv) and Go modules.
deps: $(TEST_DEPS) $(TORCH_DEPS)
	$(GO) mod download

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l go)" || { echo "gofmt needed:"; gofmt -l go; exit 1; }

test-go:
	$(GO) test -race -count=1 ./...
	# jindo server's raw socket I/O (go/server/rawio.go) is built without the race detector only
	$(GO) test -count=1 -run 'Loop|Conn' ./go/server

# tests/install installs the wheels (built once per change of their sources) into fresh virtualenvs.
test-py: build $(TEST_DEPS) $(TORCH_DEPS) $(WHEELS) $(SDIST) qemu mypy
	$(PY) -m pytest -q tests

# The public API's type hints (shipped with py.typed) against the package's own code; the
# configuration is pyproject.toml's [tool.mypy]. torch is installed so pyjindo.torch is checked too.
mypy: $(TEST_DEPS) $(TORCH_DEPS)
	$(PY) -m mypy

test: deps vet test-go test-py

# The checkout's pyjindo and jindo come first: the demo uses `jindo` from PATH, as from a wheel.
demo: build $(TEST_DEPS)
	PATH=$(CURDIR)/bin:$$PATH PYTHONPATH=$(CURDIR) $(PY) examples/demo.py

# 1,000 transfers under injected faults (tests/reliability/test_faults.py; make test runs 200).
soak: build $(TEST_DEPS)
	PYJINDO_SOAK=1000 $(PY) -m pytest -q -s tests/reliability/test_faults.py

bench: build $(TEST_DEPS) $(BENCH_DEPS)
	$(PY) bench/run.py

# Both wheels and the sdist into dist/, each wheel through the gate (tools/check_wheel.py).
wheel: $(WHEELS) $(SDIST)

# $(1): x86_64 or aarch64. zig's cc is the cgo compiler and linker (Go splits CC on spaces);
# each architecture has its own build directory so one never packs the other's library.
define build_wheel
	rm -rf build/wheel-$(1) $(call wheel_file,$(1))
	CGO_ENABLED=1 GOARCH=$(GOARCH_$(1)) CC="$(CURDIR)/$(PY) -m ziglang cc -target $(1)-linux-gnu.2.17" \
	  $(PY) setup.py -q build -b build/wheel-$(1) bdist_wheel -b build/wheel-$(1)/bdist \
	  --plat-name $(WHEEL_TAG_$(1)) -d dist
	$(PY) tools/check_wheel.py $(call wheel_file,$(1)) $(1)
endef

$(call wheel_file,x86_64): $(PACKAGE_SRC) $(WHEEL_DEPS) build/vermin.ok
	$(call build_wheel,x86_64)

$(call wheel_file,aarch64): $(PACKAGE_SRC) $(WHEEL_DEPS) build/vermin.ok
	$(call build_wheel,aarch64)

$(SDIST): $(PACKAGE_SRC) $(WHEEL_DEPS)
	rm -f $@
	$(PY) -m build --sdist --no-isolation --outdir dist . >/dev/null

sdist: $(SDIST)

# python_requires in setup.py must be true of the code: vermin finds the newest syntax and library
# use in pyjindo/ and fails if it needs a newer Python than the one declared.
vermin: build/vermin.ok

build/vermin.ok: $(wildcard pyjindo/*.py pyjindo/*/*.py) setup.py $(WHEEL_DEPS)
	$(VENV)/bin/vermin -q --no-tips --violations --eval-annotations \
	  -t=$$(sed -n 's/.*python_requires=">=\([0-9.]*\)".*/\1/p' setup.py)- pyjindo setup.py
	@mkdir -p build && touch $@

# qemu-user runs the aarch64 jindo in tests/install. A fresh Debian/Ubuntu machine (CI runs as
# root) gets it from apt; elsewhere this stops with what to install rather than skipping the test.
qemu:
	@command -v qemu-aarch64-static >/dev/null || command -v qemu-aarch64 >/dev/null || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null && command -v apt-get >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user-static >/dev/null; \
	else \
	  echo "make: tests/install needs qemu-aarch64-static (Debian/Ubuntu: apt-get install qemu-user-static)"; exit 1; \
	fi

clean:
	rm -rf bin $(LIB) pyjindo/_jindo.h build dist *.egg-info
