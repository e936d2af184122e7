#!/usr/bin/env bash
# The one test command: bash scripts/test.sh [extra pytest args]
#   - installs the test dependencies (pip, quiet)
#   - installs Debian's chromium (+ CJK fonts) with apt only when missing
#     (never `playwright install`: no browser is downloaded)
#   - runs pytest (options in pytest.ini); "no tests collected" (exit 5) is a failure
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python

export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_ROOT_USER_ACTION=ignore
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PYTHONDONTWRITEBYTECODE=1

# Debian's own python3 refuses pip installs (PEP 668, EXTERNALLY-MANAGED); on a
# throwaway CI/root machine install anyway, as the project's rules expect.
if "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)' \
   && [[ "${CI:-}" == "true" || $(id -u) -eq 0 ]]; then
  export PIP_BREAK_SYSTEM_PACKAGES=1
fi

echo "== pip install -r requirements-test.txt"
"$PYTHON" -m pip install -q -r requirements-test.txt

# Debian packages, only when missing
apt_pkgs=()
command -v chromium >/dev/null 2>&1 || apt_pkgs+=(chromium)
command -v pdftotext >/dev/null 2>&1 || apt_pkgs+=(poppler-utils)  # the report tests read PDFs back
if ! { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; } \
   && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  apt_pkgs+=(fonts-noto-cjk)
fi
if ((${#apt_pkgs[@]})); then
  echo "== apt-get install ${apt_pkgs[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q </dev/null
  $SUDO apt-get install -y -q "${apt_pkgs[@]}" </dev/null
fi
command -v chromium >/dev/null 2>&1 && chromium --version 2>/dev/null | head -1 || true

# -q unless the caller chose a verbosity (pytest.ini has no -q: -q twice = -qq,
# which would hide pytest's summary line)
quiet=(-q)
for a in "$@"; do
  case "$a" in
    -q|-qq|-qqq|--quiet|-v|-vv|-vvv|--verbose|--verbosity=*) quiet=() ;;
  esac
done

echo "== pytest ${quiet[*]} $*"
rc=0
log="$(mktemp)"
set +e
"$PYTHON" -m pytest "${quiet[@]}" "$@" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# DuckDB's bindings may print "leaked function" notes at interpreter exit, after
# pytest's summary: repeat the counts as the last line, in the plain form.
summary=$(grep -E '^=*\s*[0-9]+ (passed|failed)' "$log" | tail -1 || true)
passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
failed=$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
errors=$(grep -oE '[0-9]+ errors?' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
rm -f "$log"
# (a line of its own: the last note may lack its newline)
printf '\n%s passed, %s failed\n' "${passed:-0}" "$(( ${failed:-0} + ${errors:-0} ))"
if [[ $rc -eq 5 ]]; then
  echo "test.sh: FAILED - pytest collected no tests (exit 5)" >&2
  exit 1
fi
exit $rc
