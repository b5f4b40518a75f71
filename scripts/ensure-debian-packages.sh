#!/usr/bin/env bash
# Installs the Debian packages the tests drive, where they are missing (a fresh CI machine):
# awscli (the endpoint conformance test) and chromium (the timeline is drawn in it; playwright-core
# downloads no browser). Usage: ensure-debian-packages.sh awscli:/usr/bin/aws chromium:/usr/bin/chromium
set -euo pipefail
missing=()
for pair in "$@"; do
  package=${pair%%:*}
  binary=${pair#*:}
  "$binary" --version >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "The tests need Debian's ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}'." >&2
  exit 1
fi
echo "Installing Debian's ${missing[*]} for the tests..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
