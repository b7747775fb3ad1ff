# Vigil: the two commands of a fresh machine are `make run` and `make test`.
# Each installs what it needs first (Debian packages via apt-get when missing).

PREFIX  ?= /usr/local
SWIFT   ?= swift
ARGS    ?=
# System packages the build and the dashboard need (`make deps`, `make run`).
DEBIAN_PACKAGES := libncurses-dev libsqlite3-dev libsystemd-dev libcurl4 pkg-config tmux stress-ng
# What only the tests and benchmarks use, on top (`make test-deps`, `make test`, `make bench`):
# real servers the end-to-end tests start on loopback, the journal writer, htop to compare with.
# Kept out of `make run`, which must not install Prometheus or Alertmanager on the host it watches.
TEST_PACKAGES := htop prometheus prometheus-alertmanager systemd-journal-remote

.PHONY: all deps test-deps build run test bench quiet-host install uninstall clean

all: build

# Installs only what is missing; does nothing when everything is there.
define install_missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "make: missing Debian packages:$$missing"; \
	    echo "make: run 'sudo apt-get install$$missing' (or run make as root) and try again"; \
	    exit 1; \
	  fi; \
	  echo "make: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	fi
endef

deps:
	$(call install_missing,$(DEBIAN_PACKAGES))

test-deps:
	$(call install_missing,$(DEBIAN_PACKAGES) $(TEST_PACKAGES))

build: deps
	$(SWIFT) build -c release --product vigil
	$(SWIFT) build -c release --product VigilAlertmanager

run: build
	./.build/release/vigil $(ARGS)

# Every test, end-to-end included: the e2e tests drive the debug binary in tmux.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Benchmarks print one `bench=NAME key=value ...` line each. BENCH_SECONDS sets how
# long the side-by-side CPU comparison with htop runs (default 60).
bench: test-deps
	$(SWIFT) build -c release --product vigil-bench
	$(SWIFT) build -c release --product vigil
	$(SWIFT) build -c release --product VigilAlertmanager
	# The engine first, in a process of its own, so its resident set per signal is its own.
	./.build/release/vigil-bench engine
	./.build/release/vigil-bench host synthetic render soak forecast textfile logs
	DURATION=$${BENCH_SECONDS:-60} ./bench/cpu_vs_htop.sh
	DURATION=$${BENCH_SECONDS:-60} ./bench/bytes_vs_htop.sh
	./bench/nab.sh
	./bench/loghub.sh
	@echo "bench/quiet_host.sh (10 minutes on an idle host) is run by hand: make quiet-host"

# Ten minutes of the real engine on an idle machine; any anomaly it prints is news.
quiet-host: build
	./bench/quiet_host.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vigil/themes $(DESTDIR)$(PREFIX)/share/doc/vigil
	install -m 0755 .build/release/vigil $(DESTDIR)$(PREFIX)/bin/vigil
	install -d $(DESTDIR)$(PREFIX)/lib/vigil
	install -m 0755 .build/release/libVigilAlertmanager.so $(DESTDIR)$(PREFIX)/lib/vigil/libVigilAlertmanager.so
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/vigil/themes/
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/vigil/README.md
	./.build/release/vigil --help > $(DESTDIR)$(PREFIX)/share/doc/vigil/vigil.txt

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vigil
	rm -rf $(DESTDIR)$(PREFIX)/lib/vigil
	rm -rf $(DESTDIR)$(PREFIX)/share/vigil $(DESTDIR)$(PREFIX)/share/doc/vigil

clean:
	rm -rf .build
