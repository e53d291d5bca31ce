#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need (Azurite from npm, when the
# repository pins it), builds, runs each test assembly in turn (timing tests stay honest on small machines) and
# ends with the totals on a line of their own: "N passed, N failed".
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Probes").
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/TestResults"
rm -rf "$results"

# Each tool the tests need from npm: Azurite, and Kusto's parser that checks the alert rules' and workbook's KQL.
if [[ -f package-lock.json && ( ! -x node_modules/.bin/azurite || ! -d node_modules/@kusto/language-service-next ) ]]; then
  echo "Installing test tools from npm (package-lock.json)..."
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

echo "Building..."
if ! dotnet build Synthetics.sln --nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
dotnet test Synthetics.sln --no-build --nologo -m:1 --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" "$@" || status=$?

passed=0; failed=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  for field in total passed failed error timeout aborted; do
    value=$(sed -n "s/.* $field=\"\([0-9]*\)\".*/\1/p" <<<"$counters")
    value=${value:-0}
    case $field in
      total) total=$((total + value)) ;;
      passed) passed=$((passed + value)) ;;
      *) failed=$((failed + value)) ;;
    esac
  done
done

if [[ $total -eq 0 ]]; then
  echo "no test results were written"
  echo "0 passed, 1 failed"
  exit 1
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  failed=1 # the runner failed without a failing test (a crashed test host): never report that as green
fi
echo "$passed passed, $failed failed"
exit $status
