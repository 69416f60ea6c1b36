# OpenISMS. `make run` serves a demo on SQLite; `make test` runs every test.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
PKGS    := ./...

.PHONY: run build test test-short bench lint fmt clean

## run: build, fill isms-data/ with demo data (one account per role) on first start, serve on 127.0.0.1:8080
run: build
	./bin/isms serve -demo

## build: a static binary (CGO_ENABLED=0) in bin/isms
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/isms ./cmd/isms

## test: every test, with the race detector, shuffled, on SQLite and PostgreSQL
test:
	mkdir -p test-output
	$(GO) test -race -shuffle=on -count=1 -timeout 20m -artifacts -outputdir $(CURDIR)/test-output $(PKGS)

## test-short: the same without the race detector, for quick local runs
test-short:
	$(GO) test -count=1 $(PKGS)

## bench: benchmarks in benchstat format (see README for targets)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 -timeout 60m  ./internal/store/ ./internal/trail/ ./internal/service/ ./internal/web/ | tee bench-$(shell date +%Y%m%d-%H%M).txt

## lint: gofmt, go vet and staticcheck must be clean
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

## fmt: format the code
fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
