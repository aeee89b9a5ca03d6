#!/usr/bin/env bash
# Installs the Debian font packages the default model's print and handwriting glyphs are rendered from
# (scripts/render-font-glyphs.mjs). Every family is checked again by name against the held-out list in
# scripts/font-policy.mjs before rendering, so a package that brings a held-out face along is harmless.
# Never listed here: URW base-35 and derivatives (fonts-urw-base35, gsfonts, fonts-texgyre, fonts-freefont-*),
# Noto (fonts-noto-*), both held out for the project's OCR bench.
#   scripts/install-font-packages.sh            (needs root; runs apt-get update only if a package is missing)
set -euo pipefail
PRINT=(
  fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-croscore fonts-crosextra-carlito fonts-crosextra-caladea
  fonts-open-sans fonts-roboto-unhinted fonts-roboto-slab fonts-cantarell fonts-lato fonts-firacode fonts-inconsolata
  fonts-go fonts-hack-ttf fonts-jetbrains-mono fonts-oxygen fonts-linuxlibertine fonts-cabin fonts-comfortaa
  fonts-league-spartan fonts-league-mono fonts-sil-andika fonts-sil-charis fonts-sil-gentiumplus fonts-ebgaramond
  fonts-vollkorn fonts-inter fonts-karla fonts-manrope fonts-b612 fonts-paratype fonts-stix fonts-courier-prime
  fonts-gnutypewriter fonts-anonymous-pro fonts-mononoki fonts-fantasque-sans fonts-tiresias fonts-clear-sans
  fonts-quicksand fonts-dosis fonts-play fonts-jura fonts-sora fonts-ocr-a fonts-ocr-b fonts-roadgeek fonts-opendin
  fonts-bebas-neue fonts-oldstandard fonts-cardo fonts-junicode fonts-tuffy fonts-arkpandora fonts-yrsa-rasa
  fonts-adf-accanthis fonts-adf-baskervald fonts-adf-berenis fonts-adf-gillius fonts-adf-ikarius fonts-adf-irianis
  fonts-adf-libris fonts-adf-mekanus fonts-adf-romande fonts-adf-switzera fonts-adf-tribun fonts-adf-universalis
  fonts-adf-verana fonts-prociono fonts-goudybookletter fonts-junction fonts-fanwood fonts-dustin
)
HANDWRITING=(
  fonts-bwht fonts-breip fonts-dkg-handwriting fonts-femkeklaver fonts-humor-sans fonts-comic-neue fonts-sjfonts
  fonts-tomsontalks fonts-kristi fonts-rufscript fonts-kaushanscript fonts-dancingscript fonts-staypuft
  fonts-averia-gwf fonts-cabinsketch fonts-ecolier-court
)
pkgs=("${PRINT[@]}" "${HANDWRITING[@]}")
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && { echo "font packages: all ${#pkgs[@]} installed"; exit 0; }
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
fc-cache -f >/dev/null
echo "font packages: installed ${#missing[@]} of ${#pkgs[@]}"
