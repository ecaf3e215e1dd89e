#!/usr/bin/env bash
# Installs Prometheus, promtool, Alertmanager/amtool and VictoriaMetrics (vmagent, vmalert) from Debian's
# trixie suite into .tools/ without touching the system's apt configuration (DESIGN §6).
# A no-op when the pinned versions are already extracted. Override the folder with PROVIDER_HEALTH_TOOLS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${PROVIDER_HEALTH_TOOLS:-$root/.tools}"
suite=trixie
# package=version: bump together with the versions the tests expect (testkit/src/binaries.ts).
pins=(
  "prometheus=2.53.3+ds1-2"
  "promtool=2.53.3+ds1-2"
  "prometheus-alertmanager=0.28.1+ds-1"
  "victoria-metrics=1.112.0+ds1-2"
)
stamp="$tools/installed.txt"
want="$(printf '%s\n' "${pins[@]}")"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$tools/root/usr/bin/prometheus" ]]; then
  exit 0
fi

# The Debian mirror the machine already uses (deb822 .sources or one-line lists), never the security one.
mirror=""
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  uri="$(awk '/^URIs:/ {print $2}' "$f" | grep -v security | grep -E '/debian/?$' | head -n1 || true)"
  [[ -n "$uri" ]] && { mirror="$uri"; break; }
done
if [[ -z "$mirror" ]]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' "$f" | grep -v security | head -n1 || true)"
    [[ -n "$uri" ]] && { mirror="$uri"; break; }
  done
fi
if [[ -z "$mirror" ]]; then
  echo "install-binaries: no Debian mirror found in /etc/apt/sources.list{,.d/}; set one there (e.g. http://deb.debian.org/debian) and retry." >&2
  exit 1
fi

apt_dir="$tools/apt"
mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$tools/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [signed-by=$keyring] ${mirror%/} $suite main" >"$apt_dir/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=/dev/null"
  -o "Dir::State=$apt_dir/state"
  -o "Dir::State::status=/dev/null"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
  -o "APT::Get::AllowUnauthenticated=false"
)

echo "install-binaries: reading the $suite package list from $mirror" >&2
apt-get "${apt_opts[@]}" -qq update >&2

cd "$tools/debs"
for pin in "${pins[@]}"; do
  pkg="${pin%%=*}"
  ver="${pin#*=}"
  if ! apt-cache "${apt_opts[@]}" madison "$pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$ver"; then
    have="$(apt-cache "${apt_opts[@]}" madison "$pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | paste -sd, -)"
    echo "install-binaries: $suite on $mirror no longer has $pkg=$ver (it has: ${have:-nothing})." >&2
    echo "  Fix: update the pin in scripts/install-binaries.sh to a listed version and rerun the tests." >&2
    exit 1
  fi
  if [[ ! -f "${pkg}_${ver//:/%3a}_amd64.deb" && ! -f "${pkg}_${ver//:/%3a}_all.deb" ]]; then
    apt-get "${apt_opts[@]}" -q download "$pkg=$ver" >&2 || { echo "install-binaries: download of $pkg=$ver failed" >&2; exit 1; }
  fi
done

rm -rf "$tools/root.tmp"
mkdir -p "$tools/root.tmp"
for deb in "$tools"/debs/*.deb; do
  dpkg -x "$deb" "$tools/root.tmp"
done
rm -rf "$tools/root"
mv "$tools/root.tmp" "$tools/root"
printf '%s\n' "$want" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
echo "install-binaries: installed into $tools/root/usr/bin:" >&2
"$tools/root/usr/bin/prometheus" --version 2>&1 | head -n1 >&2
"$tools/root/usr/bin/prometheus-alertmanager" --version 2>&1 | head -n1 >&2
