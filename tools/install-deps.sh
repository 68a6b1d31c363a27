#!/usr/bin/env bash
# Installs what nutrievidence needs and is missing: system libraries and tools
# from Debian, R packages from Debian's r-cran-* builds when available, else
# from CRAN (the repository configured in R). Usage:
#   tools/install-deps.sh [extra R packages...]
#   tools/install-deps.sh --system PKG...   (extra Debian packages only)
set -euo pipefail

SYS_PKGS=(libgsl-dev pandoc tidy qpdf devscripts)
R_PKGS=(generics knitr rmarkdown testthat future future.apply progressr hexbin ggplot2 flextable xml2 pdftools quickcheck)
if [ "${1:-}" = "--system" ]; then
  shift; SYS_PKGS=("$@"); R_PKGS=()
else
  R_PKGS+=("$@")
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null 2>&1; then sudo "$@";
  else echo "install-deps: need root (or sudo) to run: $*" >&2; return 1; fi
}

apt_updated=0
apt_install() {
  [ $# -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: no apt-get; please install: $*" >&2; return 1
  fi
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  echo "install-deps: apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_sys=()
for p in "${SYS_PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing_sys+=("$p")
done
apt_install "${missing_sys[@]+"${missing_sys[@]}"}"

missing_r=""
[ ${#R_PKGS[@]} -eq 0 ] || missing_r=$(Rscript -e 'p <- commandArgs(TRUE); cat(p[!vapply(p, requireNamespace, TRUE, quietly = TRUE)])' "${R_PKGS[@]}")
if [ -n "$missing_r" ]; then
  deb=(); cran=()
  for p in $missing_r; do
    d="r-cran-$(echo "$p" | tr 'A-Z.' 'a-z-')"
    if command -v apt-cache >/dev/null 2>&1 && [ $apt_updated = 0 ]; then
      as_root apt-get update -qq || true; apt_updated=1
    fi
    if command -v apt-cache >/dev/null 2>&1 && apt-cache show "$d" >/dev/null 2>&1; then
      deb+=("$d")
    else
      cran+=("$p")
    fi
  done
  apt_install "${deb[@]+"${deb[@]}"}" || cran+=($missing_r)
  if [ ${#cran[@]} -gt 0 ]; then
    echo "install-deps: installing from CRAN: ${cran[*]}"
    Rscript -e 'p <- commandArgs(TRUE); p <- p[!vapply(p, requireNamespace, TRUE, quietly = TRUE)]
      lib <- .libPaths()[1]
      if (file.access(lib, 2) != 0) {
        lib <- path.expand(Sys.getenv("R_LIBS_USER"))
        dir.create(lib, recursive = TRUE, showWarnings = FALSE)
      }
      if (length(p)) install.packages(p, lib = lib, quiet = TRUE, Ncpus = 2L)' "${cran[@]}"
  fi
  still=$(Rscript -e 'p <- commandArgs(TRUE); cat(p[!vapply(p, requireNamespace, TRUE, quietly = TRUE)])' "${R_PKGS[@]+"${R_PKGS[@]}"}")
  if [ -n "$still" ]; then echo "install-deps: could not install R packages: $still" >&2; exit 1; fi
fi
echo "install-deps: all dependencies present"
