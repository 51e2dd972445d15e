#!/usr/bin/env bash
# Installs the Debian packages the application (runtime) or its tests (test) need,
# when they are missing and we may (root with apt-get); otherwise says what to install.
set -euo pipefail
what=${1:-runtime}
if [ "$what" = runtime ]; then
  packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
else
  packages=(chromium poppler-utils slapd ldap-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation des paquets système : ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif ! command -v dpkg-query >/dev/null; then
  echo "Système non Debian : installez l'équivalent de ${packages[*]}." >&2
else
  echo "Paquets système manquants : ${missing[*]}" >&2
  echo "Installez-les : sudo apt-get install ${missing[*]}" >&2
  [ "$what" = runtime ] && exit 1 || exit 0
fi
