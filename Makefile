# Synth: `make run` installs everything and runs the sample study; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
# Debian libraries that Qt needs even offscreen (present on most desktops, absent on servers).
DEB_PACKAGES := libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
                libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
                libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 \
                fonts-dejavu-core

.PHONY: run test bench soak figures install system-deps clean

# Tests and benchmarks need no display; the app itself (make run) uses the real one if any.
test bench soak figures: export QT_QPA_PLATFORM ?= offscreen

run: $(STAMP)
	$(PY) main.py run --project out/sample.synth --new --out out/sample-report.docx --open

test: $(STAMP)
	$(PY) -m pytest -q tests

bench: $(STAMP)
	$(PY) bench/run_all.py

soak: $(STAMP)
	SYNTH_SOAK=1 SYNTH_RECORD=1 $(PY) -m pytest -q tests -m "soak or not soak"

# the CI-sized reliability figures, recorded into bench/results/reliability-tests.json
figures: $(STAMP)
	SYNTH_RECORD=1 $(PY) -m pytest -q tests/test_reliability_*.py

install: $(STAMP)

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# torch first and pinned: a CPU build is on disk; an unpinned torch pulls a CUDA build of GBs.
$(STAMP): requirements.txt requirements-dev.txt | system-deps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -r requirements-dev.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV) out
