#!/usr/bin/env bash
# Issue 5's chaos run at full size: 20,000 updates over 5,000 groups, with 2 ingest, 3 verifier and
# 2 sender processes, a random one SIGKILLed every 3 s, Redis restarted once and one ingest left down
# until the other took its leases over; once by long polling, once by webhook.
#   bench/chaos/run.sh [build dir] [groups] [writers per group] [updates per second]
#   GTEST_FILTER='*LongPolling*' bench/chaos/run.sh   (or '*Webhook*': one delivery mode only)
# The bot-wide limit of about 30 messages a second (one prompt per update) sets the pace: the full
# size takes about 15 minutes per delivery mode on 2 cores.
# Prints the counts (lost, duplicated, reordered, pending) and the recovery time after each kill.
set -euo pipefail
build="${1:-build}"
export SUBGUARD_CHAOS_CHATS="${2:-5000}"
export SUBGUARD_CHAOS_UPDATES_PER_CHAT="${3:-4}"
export SUBGUARD_CHAOS_RATE="${4:-50}"
ninja -C "$build" chaos_e2e subguard-sandbox subguard-ingest subguard-verifier subguard-sender >/dev/null
exec "$build/bin/chaos_e2e" --gtest_brief=1 2>&1 | grep -v '^{'
