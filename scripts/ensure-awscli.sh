#!/usr/bin/env bash
# The endpoint conformance test drives Debian's AWS CLI; install it on a fresh machine.
set -euo pipefail
if /usr/bin/aws --version >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "The conformance test needs Debian's awscli: run 'sudo apt-get install -y awscli'." >&2
  exit 1
fi
echo "Installing Debian's awscli for the endpoint conformance test..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq awscli >/dev/null
/usr/bin/aws --version
