#!/usr/bin/env bash
# Installs Debian packages (the set-up scripts' fallback for what the machine lacks): apt-get update,
# then apt-get install, as root or through sudo. Where there is no apt-get it says what to install.
set -euo pipefail
if ! command -v apt-get >/dev/null 2>&1; then
  echo "opsrepo set-up: no apt-get here: install $* yourself, then run this again" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "opsrepo set-up: installing Debian's $*" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
