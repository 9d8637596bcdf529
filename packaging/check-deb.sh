#!/usr/bin/env bash
# Checks a package built by packaging/deb.sh, and the binary in it; exits 1 naming every fault.
#
#   bash packaging/check-deb.sh <file.deb> <target-triple>
#
# Metadata (dpkg-deb -I): package, version from Cargo.toml, architecture for the target.
# Contents (dpkg-deb -c): the binary off PATH, every man page, the bash, zsh and fish
# completions, README, CHANGELOG, config.ini.sample; nothing at /usr/bin/pio or /usr/local/bin/pio.
# The binary: built for the target's machine, position-independent (ELF type DYN, for ASLR),
# needing no glibc symbol newer than 2.31 (bullseye), no system OpenSSL, no larger than its
# target's budget, with the start-up code packed together (packaging/hot-text.ld).
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:?usage: check-deb.sh <file.deb> <target-triple>}
triple=${2:?usage: check-deb.sh <file.deb> <target-triple>}
case $triple in
  # Size budget in bytes: 5 MB on every target (README, Development: sizes).
  armv7-unknown-linux-gnueabihf) arch=armhf machine=ARM max_bytes=5000000 ;;
  aarch64-unknown-linux-gnu) arch=arm64 machine=AArch64 max_bytes=5000000 ;;
  x86_64-unknown-linux-gnu) arch=amd64 machine=X86-64 max_bytes=5000000 ;;
  *) echo "check-deb.sh: unknown target $triple" >&2; exit 2 ;;
esac
package=pio-rs
max_glibc=2.31
min_hot_bytes=262144
faults=0
fault() { echo "FAIL $deb: $*" >&2; faults=$((faults + 1)); }

version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "pio"))')
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "$package" ] || fault "Package is '$(field Package)', not $package"
[ "$(field Version)" = "$version" ] || fault "Version is '$(field Version)', not $version (Cargo.toml)"
[ "$(field Architecture)" = "$arch" ] || fault "Architecture is '$(field Architecture)', not $arch"
dpkg-deb -I "$deb" >/dev/null || fault "dpkg-deb -I cannot read it"

listing=$(dpkg-deb -c "$deb" | awk '{print $NF}')
want=(./usr/lib/pio/bin/pio
  ./usr/share/bash-completion/completions/pio
  ./usr/share/zsh/vendor-completions/_pio
  ./usr/share/fish/vendor_completions.d/pio.fish
  "./usr/share/doc/$package/README.md"
  "./usr/share/doc/$package/CHANGELOG.md"
  "./usr/share/doc/$package/config.ini.sample"
  "./usr/share/doc/$package/copyright")
for page in man/*.1; do want+=("./usr/share/man/man1/$(basename "$page").gz"); done
for f in "${want[@]}"; do
  grep -qxF "$f" <<<"$listing" || fault "missing $f"
done
for f in ./usr/bin/pio ./usr/local/bin/pio ./bin/pio ./usr/sbin/pio; do
  if grep -qxF "$f" <<<"$listing"; then fault "$f would shadow the Python pio"; fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
bin=$tmp/usr/lib/pio/bin/pio
if [ -f "$bin" ]; then
  header=$(readelf -h "$bin")
  grep -q "Machine:.*$machine" <<<"$header" || fault "the binary is not for $machine: $(grep Machine: <<<"$header")"
  grep -q 'Type:.*DYN' <<<"$header" || fault "the binary is not position-independent: $(grep Type: <<<"$header")"
  needed=$(readelf -d "$bin" | grep NEEDED || true)
  if grep -q 'libm\.so' <<<"$needed"; then fault "the binary loads the system's libm (src/main.rs defines pow)"; fi
  if grep -q 'libssl\|libcrypto' <<<"$needed"; then fault "the binary loads a system OpenSSL: $needed"; fi
  # The code every command runs, packed together by packaging/hot-text.ld: its patterns must
  # still name this target's functions (about 0.5 MB of them when generated).
  hot_hex=$(readelf -SW "$bin" | sed -n 's/.*\] \.text\.hot *PROGBITS *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\).*/\1/p')
  hot=$((16#${hot_hex:-0}))
  echo "$deb: .text.hot $hot bytes" >&2
  [ "$hot" -ge "$min_hot_bytes" ] ||
    fault "the packed start-up code (.text.hot) is $hot bytes, under $min_hot_bytes: run packaging/hot-text.sh"
  floor=$(readelf --dyn-syms -W "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
  echo "$deb: highest GLIBC_ symbol version $floor" >&2
  [ "$(printf '%s\n%s\n' "$floor" "$max_glibc" | sort -V | tail -1)" = "$max_glibc" ] ||
    fault "the binary needs glibc $floor; bullseye has $max_glibc"
  bytes=$(stat -c %s "$bin")
  echo "$deb: binary $bytes bytes" >&2
  [ "$bytes" -le "$max_bytes" ] || fault "the binary is $bytes bytes, over $max_bytes"
fi
if [ "$faults" -gt 0 ]; then
  echo "check-deb.sh: $faults fault(s) in $deb" >&2
  exit 1
fi
echo "check-deb.sh: $deb is complete ($arch, pio $version)" >&2
