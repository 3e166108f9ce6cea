#!/usr/bin/env bash
# Check (and, as root on Debian/Ubuntu, install) the system packages assist needs:
#   chromium             browser tests (Playwright drives the system browser)
#   fonts-noto-core      printouts in Welsh, Polish, Arabic, Urdu, Bengali, Punjabi...
#   libharfbuzz-subset0  WeasyPrint embeds only the glyphs a PDF uses
#   poppler-utils        pdftotext, used by tests to read printouts
#   gettext              msgfmt and friends for translation catalogues
# Usage: scripts/system_deps.sh STAMP_FILE
# Exits 0 after printing what is missing when it cannot install; writes STAMP_FILE once all are present.
set -euo pipefail

stamp=${1:-.make/system-deps}
packages=(chromium fonts-noto-core libharfbuzz-subset0 poppler-utils gettext)

have_package() {
    local package=$1
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"
        return
    fi
    # Not Debian: look for what each package provides.
    case $package in
        chromium) command -v chromium >/dev/null || command -v chromium-browser >/dev/null ;;
        fonts-noto-core) fc-list 2>/dev/null | grep -qi "NotoSans" ;;
        libharfbuzz-subset0) ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset" ;;
        poppler-utils) command -v pdftotext >/dev/null ;;
        gettext) command -v msgfmt >/dev/null ;;
    esac
}

missing=()
for package in "${packages[@]}"; do
    have_package "$package" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    missing=()
    for package in "${packages[@]}"; do
        have_package "$package" || missing+=("$package")
    done
fi

if [ ${#missing[@]} -gt 0 ]; then
    cat >&2 <<MESSAGE

assist needs some system packages that are not installed: ${missing[*]}

  chromium             the browser the accessibility and browser tests drive
  fonts-noto-core      fonts for printouts in Welsh, Arabic, Urdu, Bengali, Punjabi...
  libharfbuzz-subset0  lets WeasyPrint make small PDFs
  poppler-utils        pdftotext, used by the tests to read PDFs
  gettext              tools for translation catalogues

On Debian or Ubuntu, ask an administrator to run:

    sudo apt-get update && sudo apt-get install ${missing[*]}

(or run 'make system-deps' as root). assist still runs without them, but printouts may
show missing characters and the browser tests cannot run without chromium.

MESSAGE
    exit 0
fi

mkdir -p "$(dirname "$stamp")"
touch "$stamp"
echo "System packages present: ${packages[*]}"
