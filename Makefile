# pyjindo: `make demo` runs the example against a local server; `make test` runs every test.
PYTHON  ?= python3
GO      ?= go
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' pyjindo/_version.py)
LDFLAGS := -s -w -X main.version=$(VERSION)
GO_SRC  := $(shell find go -name '*.go' -not -name '*_test.go') go.mod

LIB := pyjindo/_jindo.so
CLI := bin/jindo

.PHONY: build test test-go test-py vet demo bench soak clean deps

build: $(LIB) $(CLI)

$(LIB): $(GO_SRC)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags '$(LDFLAGS)' -o $@ ./go/capi
	rm -f pyjindo/_jindo.h

$(CLI): $(GO_SRC)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $@ ./go/cmd/jindo

# Python test dependencies (pinned) and Go modules; .ci/run calls this on a fresh machine.
deps:
	$(PYTHON) -m pip install -q -r requirements-test.txt
	$(GO) mod download

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l go)" || { echo "gofmt needed:"; gofmt -l go; exit 1; }

test-go:
	$(GO) test -race -count=1 ./...

test-py: build
	$(PYTHON) -m pytest -q tests

test: deps vet test-go test-py

demo: build
	PYTHONPATH=$(CURDIR) $(PYTHON) examples/demo.py

# 1,000 transfers under injected faults (tests/reliability/test_faults.py; make test runs 200).
soak: build
	PYJINDO_SOAK=1000 $(PYTHON) -m pytest -q -s tests/reliability/test_faults.py

bench: build
	$(PYTHON) bench/run.py

clean:
	rm -rf bin $(LIB) pyjindo/_jindo.h build *.egg-info
