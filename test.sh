#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   ./test.sh              all tests
#   ./test.sh -L unit      only one label (unit, integration, e2e)
set -euo pipefail
cd "$(dirname "$0")"
source .ci/deps.sh
subguard_install_deps
subguard_build build
cd build
ctest --output-on-failure -j "$(nproc)" "$@"
