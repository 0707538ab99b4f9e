#!/usr/bin/env bash
# Set-up and demo on a fresh Debian machine with Java 17: installs Fashion-MNIST (Debian package
# dataset-fashion-mnist) when it is missing and apt is usable, builds Foil, and runs `foil demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz && -z "${FOIL_DATA:-}" ]]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=""
    [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
    $sudo_cmd apt-get install -y dataset-fashion-mnist || { $sudo_cmd apt-get update && $sudo_cmd apt-get install -y dataset-fashion-mnist; } \
      || echo "demo.sh: could not install dataset-fashion-mnist; foil will say where it looked" >&2
  fi
fi
./mvnw -B -q -DskipTests package
exec ./foil demo "$@"
