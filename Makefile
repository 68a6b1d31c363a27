# Two commands for a new user on a fresh Debian machine with R:
#   make demo   install what is missing, install the package, render the K2
#               evidence report to report/k2-evidence.html
#   make test   install what is missing, R CMD check --as-cran, test counts
R       ?= R
RSCRIPT ?= Rscript
PKG     := nutrievidence

.PHONY: deps install demo test document bench clean report-screenshot claims-demo \
        check-memory fuzz lint gctorture

deps:
	tools/install-deps.sh

# Installs into the first library R can write to (the user library otherwise),
# from a built tarball so that the vignettes are built and installed too.
install: deps
	@lib=$$($(RSCRIPT) -e 'l <- .libPaths()[1]; if (file.access(l, 2) != 0) { l <- path.expand(Sys.getenv("R_LIBS_USER")); dir.create(l, recursive = TRUE, showWarnings = FALSE) }; cat(l)'); \
	tmp=$$(mktemp -d); \
	( cd "$$tmp" && $(R) CMD build --no-manual "$(CURDIR)" ) && \
	$(R) CMD INSTALL --no-multiarch --library="$$lib" "$$tmp"/$(PKG)_*.tar.gz ; rc=$$?; \
	rm -rf "$$tmp"; ./cleanup; exit $$rc

demo: install
	$(RSCRIPT) tools/report.R

# The seed articles' headline ratios checked with claim_check(), as text.
claims-demo: install
	$(RSCRIPT) tools/demo.R

# A screenshot of the rendered report (headless Chromium from Debian).
report-screenshot:
	@test -f report/k2-evidence.html || $(MAKE) demo
	@command -v chromium >/dev/null 2>&1 || tools/install-deps.sh --system chromium
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir="$$(mktemp -d)" --hide-scrollbars --window-size=1280,4000 \
	  --screenshot="$$(pwd)/report/k2-evidence.png" "file://$$(pwd)/report/k2-evidence.html"
	@echo "Screenshot: $$(pwd)/report/k2-evidence.png"

test: deps
	tools/check.sh

# Regenerate NAMESPACE and man/ from the roxygen comments.
document:
	tools/install-deps.sh roxygen2
	$(RSCRIPT) -e 'roxygen2::roxygenise()'
	./cleanup

# Benchmarks against the peer packages (installs them when missing).
bench: install
	tools/install-deps.sh metafor dosresmeta Hmisc bench
	for f in bench/*.R; do $(RSCRIPT) $$f || exit 1; done

# Hardening (tools/release-checklist.md lists what each one checks).
# ASan+UBSan on the whole test suite, then valgrind on a fast subset
# (VALGRIND_FILTER=all for every test file).
check-memory: deps
	tools/check-memory.sh

# Every registered .Call entry point with adversarial arguments in child R
# processes (ASan build), then the libFuzzer drivers (FUZZ_SECONDS each).
fuzz: deps
	tools/fuzz.sh

# The release checklist's commands, lintr and codetools.
lint: deps
	tools/lint.sh

# gctorture inside every .Call entry point (GCTORTURE_FILTER selects test
# files), and the PROTECT checks of the glue files.
gctorture: deps
	tools/gctorture.sh

clean:
	./cleanup
	rm -rf check report
