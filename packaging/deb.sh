#!/usr/bin/env bash
# Builds the Debian package of pio for one target and prints the .deb's path as its last line.
#
#   bash packaging/deb.sh armv7-unknown-linux-gnueabihf   # armhf: the 32-bit Pioreactor images
#   bash packaging/deb.sh aarch64-unknown-linux-gnu       # arm64: the 64-bit images
#   bash packaging/deb.sh x86_64-unknown-linux-gnu        # amd64
#
# Several targets at once (.ci/run builds all three so): one cargo build for all of them, which
# compiles what runs on the build machine (build scripts, macros) once and keeps every core busy
# (one target's link-time optimisation is single-threaded); then a package for each, and their
# paths, one a line, in the order given.
#
# The binary is built with cargo-zigbuild against glibc 2.31 (bullseye), so that one package
# installs on bullseye and bookworm images alike; cargo-zigbuild and zig come from PyPI
# (`pip install cargo-zigbuild ziglang`; .ci/run installs them). The package installs pio where
# it never shadows the Python `pio` that systemd units, cron and the web server call:
# /usr/lib/pio/bin/pio, on no PATH until an operator puts it first in their own shell.
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || { echo "usage: bash packaging/deb.sh <target-triple>..." >&2; exit 2; }
arch_of() {
  case $1 in
    armv7-unknown-linux-gnueabihf) echo armhf ;;
    aarch64-unknown-linux-gnu) echo arm64 ;;
    x86_64-unknown-linux-gnu) echo amd64 ;;
    *) echo "deb.sh: no package for $1 (armv7-unknown-linux-gnueabihf, aarch64-unknown-linux-gnu, x86_64-unknown-linux-gnu)" >&2; return 2 ;;
  esac
}
for triple in "$@"; do arch_of "$triple" >/dev/null || exit 2; done
glibc=2.31
package=pio-rs
for tool in cargo-zigbuild dpkg-deb python3 gzip; do
  command -v "$tool" >/dev/null || { echo "deb.sh: $tool is missing (bash .ci/run installs what is needed)" >&2; exit 2; }
done

version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "pio"))')
target_dir=$(cargo metadata --no-deps --format-version 1 --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

echo "deb.sh: building pio $version for $* (glibc $glibc)" >&2
# No unwind tables: with panic=abort nothing unwinds (they served only a panic's backtrace), and
# they were about 0.6 MB of the binary; C code (OpenSSL, libssh2, zlib) likewise.
export RUSTFLAGS="${RUSTFLAGS:-} -C force-unwind-tables=no"
targets=()
for triple in "$@"; do
  export "CFLAGS_${triple//-/_}=-fno-asynchronous-unwind-tables -fno-unwind-tables"
  targets+=(--target "$triple.$glibc")
done
cargo zigbuild --release --locked --bin pio "${targets[@]}" >&2

# Packages the binary built for $1 and prints the .deb's path.
package_for() {
local triple=$1 arch bin root doc page depends size_kb out
arch=$(arch_of "$triple")
bin=$target_dir/$triple/release/pio

root=$target_dir/deb/$triple/${package}_${version}_$arch
rm -rf "$root"
doc=$root/usr/share/doc/$package
install -D -m 755 "$bin" "$root/usr/lib/pio/bin/pio"
install -D -m 644 completions/pio.bash "$root/usr/share/bash-completion/completions/pio"
install -D -m 644 completions/_pio "$root/usr/share/zsh/vendor-completions/_pio"
install -D -m 644 completions/pio.fish "$root/usr/share/fish/vendor_completions.d/pio.fish"
install -d "$root/usr/share/man/man1"
for page in man/*.1; do
  gzip -9n < "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
done
install -D -m 644 README.md "$doc/README.md"
install -D -m 644 CHANGELOG.md "$doc/CHANGELOG.md"
install -D -m 644 config.ini.sample "$doc/config.ini.sample"
cat > "$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: pio
License: MIT
COPYRIGHT

# What the binary links to, as package names (Rust's std needs libgcc_s for unwinding).
depends="libc6 (>= $glibc)"
if objdump -p "$bin" 2>/dev/null | grep -q 'NEEDED.*libgcc_s'; then
  depends="$depends, libgcc-s1"
fi
size_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
install -d "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: pio maintainers <pio@pioreactor.invalid>
Installed-Size: $size_kb
Depends: $depends
Section: utils
Priority: optional
Homepage: https://pioreactor.com
Description: manage a Pioreactor cluster from its leader
 pio (the Rust pio) lists, adds, removes, activates and renames the workers of a Pioreactor
 cluster, reboots and diagnoses units and blinks their LEDs, on clusters of every release.
 It is installed as /usr/lib/pio/bin/pio, beside the Python pio of the Pioreactor software,
 which it never replaces and to which it hands every command it does not implement. Put
 /usr/lib/pio/bin first on PATH in your interactive shell only (see README.md).
CONTROL
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)

out=$target_dir/deb/${package}_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >&2
echo "$out"
}

for triple in "$@"; do package_for "$triple"; done
