#!/usr/bin/env bash
# install-xen-toolstack.sh
#
# Make sure the Xen 4.17 toolstack used by tools/xl-dryrun/xl-dryrun is
# present: Debian's xen-utils-4.17 (the `xl` binary) and libxen-dev (libxl.h,
# to build the preload stub), plus gcc. Idempotent: when everything is already
# there it does nothing and prints nothing.
#
# Installs with `apt-get install -y -q --no-install-recommends`; only if that
# fails (e.g. stale or empty package lists) runs `apt-get update -q` and tries
# once more. Needs root, or password-less sudo. Exits non-zero with a message
# on stderr if the toolstack cannot be installed.
set -euo pipefail

prog=install-xen-toolstack
xl=/usr/lib/xen-4.17/bin/xl
libxl_header=/usr/include/libxl.h

fail() {
  echo "$prog: $*" >&2
  echo "$prog: the Xen toolstack (Debian packages xen-utils-4.17 libxen-dev, and gcc) is NOT installed" >&2
  exit 1
}

# Decide what is missing by what xl-dryrun actually needs.
missing=()
[ -x "$xl" ] || missing+=(xen-utils-4.17)
[ -f "$libxl_header" ] || missing+=(libxen-dev)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)

[ "${#missing[@]}" -eq 0 ] && exit 0

command -v apt-get >/dev/null 2>&1 \
  || fail "apt-get not found; this installer supports Debian 12 (bookworm) and derivatives only"

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "must run as root (or with sudo available) to install ${missing[*]}"
  as_root=(sudo -n)
fi

apt_get() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

echo "$prog: installing ${missing[*]}" >&2
if ! apt_get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "$prog: install failed; refreshing package lists and retrying" >&2
  apt_get update -q || fail "apt-get update failed"
  apt_get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} failed"
fi

# Verify the result rather than trusting apt's exit status alone.
[ -x "$xl" ] || fail "$xl is still missing after installing xen-utils-4.17"
[ -f "$libxl_header" ] || fail "$libxl_header is still missing after installing libxen-dev"
command -v gcc >/dev/null 2>&1 || fail "gcc is still missing after installing it"
echo "$prog: Xen 4.17 toolstack ready" >&2
