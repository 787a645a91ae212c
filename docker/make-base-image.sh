#!/usr/bin/env bash
# Make a local debian:bookworm-slim root filesystem tarball with debootstrap.
#
# There is no container registry on the project's machines, so `FROM
# debian:bookworm-slim` can only resolve to an image made here. This script
# writes the tarball; `docker import` turns it into the image:
#
#   docker/make-base-image.sh /var/cache/qtchat/bookworm-slim.tar
#   docker import --change 'CMD ["bash"]' /var/cache/qtchat/bookworm-slim.tar debian:bookworm-slim
#
# Needs root and debootstrap. The mirror is read from the machine's own apt
# configuration (override with MIRROR=...). About 30-60 s.
set -euo pipefail

out=${1:?usage: make-base-image.sh OUTPUT.tar}
suite=bookworm

if [[ -z ${MIRROR:-} ]]; then
    MIRROR=$(sed -n 's/^URIs:[[:space:]]*//p' \
        /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1 || true)
    MIRROR=${MIRROR%% *}
fi
if [[ -z ${MIRROR:-} ]] && [[ -r /etc/apt/sources.list ]]; then
    MIRROR=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list || true)
fi
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# The security archive lives next to the main one on Debian's own mirrors.
SECURITY_MIRROR=${SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}

root=$(mktemp -d "${TMPDIR:-/tmp}/bookworm-root.XXXXXX")
trap 'rm -rf --one-file-system "$root"' EXIT

echo "make-base-image: debootstrap --variant=minbase $suite from $MIRROR" >&2
debootstrap --variant=minbase "$suite" "$root" "$MIRROR" >"$root.log" 2>&1 || {
    tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"

# Slim it the way the official -slim image is slimmed.
rm -f "$root"/etc/apt/sources.list
cat >"$root"/etc/apt/sources.list.d/debian.sources <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

# Later installs in images skip docs, man pages and translations too.
cat >"$root"/etc/dpkg/dpkg.cfg.d/docker <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
DPKG
cat >"$root"/etc/apt/apt.conf.d/docker-clean <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
echo 'Acquire::Languages "none";' >"$root"/etc/apt/apt.conf.d/docker-no-languages
echo 'APT::AutoRemove::SuggestsImportant "false";' >"$root"/etc/apt/apt.conf.d/docker-autoremove-suggests

rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
       "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/debconf/*-old \
       "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.cache
find "$root"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$root"/usr/share/doc -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/groff/* \
       "$root"/usr/share/lintian/* "$root"/usr/share/linda/*
find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
: >"$root"/etc/machine-id 2>/dev/null || true
echo 'qtchat' >"$root"/etc/hostname

# mktemp made the root 0700; a root file system's / is 0755, or no user but
# root can even chdir (a booted root's services fail with 200/CHDIR).
chmod 755 "$root"
mkdir -p "$(dirname "$out")"
tar --numeric-owner -C "$root" -cf "$out.part" .
mv -f "$out.part" "$out"
echo "make-base-image: wrote $out ($(du -h "$out" | cut -f1))" >&2
