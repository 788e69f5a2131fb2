#!/usr/bin/env bash
# Renders media/icon-marketplace.svg to media/icon.png (128x128, the size the marketplace wants)
# with Debian's chromium, headless. Run by hand after editing the SVG; the PNG is committed so a
# package build needs no browser.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
  --window-size=128,128 --screenshot="$PWD/media/icon.png" "file://$PWD/media/icon-marketplace.svg" 2>/dev/null
file media/icon.png
