"""Are the fonts the printouts need installed? (``python -m assist.printouts.fonts``)"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 # runs fontconfig's fc-list only, with fixed arguments
import sys

#: Font families used by ``printouts/print.css``, and the scripts they cover.
FAMILIES = {
    "Noto Sans": "Latin (English, Welsh, Polish, Romanian, Somali)",
    "Noto Sans Arabic": "Arabic",
    "Noto Naskh Arabic": "Arabic (book style)",
    "Noto Nastaliq Urdu": "Urdu",
    "Noto Sans Bengali": "Bengali",
    "Noto Sans Gurmukhi": "Punjabi (Gurmukhi)",
}
HELP = ("Install them with: sudo apt-get install fonts-noto-core libharfbuzz-subset0 "
        "(Debian/Ubuntu). Without them, printouts in those scripts show boxes or fall back to another font.")


def missing_fonts() -> dict[str, str] | None:
    """Families not found by fontconfig (family → script); ``None`` if ``fc-list`` is not available."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    # bandit B603: a fixed command line; no input from anyone reaches it.
    result = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False)  # nosec B603
    installed = {name.strip() for line in result.stdout.splitlines() for name in line.split(",")}
    return {family: script for family, script in FAMILIES.items() if family not in installed}


def main() -> int:
    missing = missing_fonts()
    if missing is None:
        print("Cannot check fonts: fontconfig's fc-list is not installed. " + HELP)
        return 1
    if missing:
        for family, script in missing.items():
            print(f"Missing font {family!r} for {script}.")
        print(HELP)
        return 1
    print("All printout fonts are installed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
