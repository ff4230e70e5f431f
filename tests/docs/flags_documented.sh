#!/usr/bin/env bash
# Fails when a flag defined in a services/*/main.cc is missing from docs/configuration.md, or the
# table names a flag that no longer exists. Every tunable is a flag and a SUBGUARD_* variable.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
doc="$root/docs/configuration.md"
status=0
defined=$(grep -ho 'ABSL_FLAG([^,]*, *[a-z0-9_]*' "$root"/services/*/main.cc | sed 's/.*, *//' | sort -u)
for flag in $defined; do
  env="SUBGUARD_$(echo "$flag" | tr '[:lower:]' '[:upper:]')"
  if ! grep -q -- "--$flag\b" "$doc" || ! grep -q "$env\b" "$doc"; then
    echo "docs/configuration.md does not list --$flag / $env"
    status=1
  fi
done
for flag in $(grep -o -- '`--[a-z0-9_]*' "$doc" | sed 's/`--//' | sort -u); do
  grep -qx "$flag" <<<"$defined" || { echo "docs/configuration.md lists --$flag, which no process defines"; status=1; }
done
[ $status -eq 0 ] && echo "every flag is documented"
exit $status
