#!/usr/bin/env bash
# Installs what the report page's browser test needs when it is missing, and is safe to run again and again: Debian's
# chromium (driven by playwright-core, which brings no browser of its own; without the daemons it recommends), a text
# font, and a colour emoji font so the job summaries' ✅ and ❌ show in its screenshot as they do on GitHub. Exits
# non-zero, saying why, when it cannot.
set -euo pipefail

say() { echo "chromium: $*" >&2; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for package in chromium fonts-liberation fonts-noto-color-emoji; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  say "missing ${missing[*]} and not root, so cannot apt-get install them"
  exit 1
fi
say "installing ${missing[*]}"
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { say "apt-get update failed"; exit 1; }
log=$(mktemp)
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  say "apt-get install ${missing[*]} failed: $(tail -n 5 "$log")"
  exit 1
fi
rm -f "$log"
say "installed in $((SECONDS - started))s: $(chromium --version 2>/dev/null)"
