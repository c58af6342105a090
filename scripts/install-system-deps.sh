#!/usr/bin/env bash
# Debian packages the tests use (run as root; CI runs it from .ci/run):
#   chromium  — the dApp's end-to-end tests and WebRTC tests (playwright-core drives it; no browser download)
#   ipfs-cid  — computes CIDs independently of the SDK (a second opinion in the storage tests)
#   coturn    — a real TURN relay for the streaming tests (relay-only WebRTC)
set -euo pipefail
packages=()
command -v chromium >/dev/null || packages+=(chromium)
command -v ipfs_cid >/dev/null || packages+=(ipfs-cid)
command -v turnserver >/dev/null || packages+=(coturn)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql) # graph-runner's tests on a real PostgreSQL server
if ((${#packages[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
