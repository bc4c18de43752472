#!/usr/bin/env bash
# Installs what the tests need and runs every test.
#
# - redis-server and redis-cli from Debian's packages (skipped when present);
# - gofmt and go vet must be clean;
# - go test ./... with the race detector off (2 cores; the suite is
#   end-to-end heavy), the fuzz seed corpora included.
#
# Tests that need Redis start their own redis-server processes (on free
# loopback ports, in temporary folders) from the binaries this script
# installs; REDIS_SERVER_BIN and REDIS_CLI_BIN say where they are.
set -euo pipefail
cd "$(dirname "$0")/.."

need_redis=0
command -v redis-server >/dev/null 2>&1 || need_redis=1
command -v redis-cli >/dev/null 2>&1 || need_redis=1
if [ "$need_redis" = 1 ]; then
  echo "== installing redis-server (Debian package)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Retried: a package mirror that stumbles once must not fail the run.
  for attempt in 1 2 3; do
    if $SUDO apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null; then
      break
    fi
    [ "$attempt" = 3 ] && { echo "could not install redis-server from Debian's packages" >&2; exit 1; }
    sleep $((attempt * 10))
  done
fi
# The Debian package starts a system redis on 6379; the tests never use it.
export REDIS_SERVER_BIN="$(command -v redis-server)"
export REDIS_CLI_BIN="$(command -v redis-cli)"
echo "== $("$REDIS_SERVER_BIN" --version | head -c 60)"
echo "== $(go version)"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
echo "== go vet"
go vet ./...
echo "== go test"
go test -count=1 -timeout 15m ./... "$@"
