#!/usr/bin/env bash
# The timeline test draws the summary's Mermaid chart in Debian's headless chromium (playwright-core
# drives it and downloads no browser); install it on a fresh machine.
set -euo pipefail
if /usr/bin/chromium --version >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "The timeline test needs Debian's chromium: run 'sudo apt-get install -y chromium'." >&2
  exit 1
fi
echo "Installing Debian's chromium for the timeline test..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
