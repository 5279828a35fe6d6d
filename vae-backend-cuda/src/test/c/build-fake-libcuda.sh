#!/usr/bin/env bash
# Builds the stand-in driver (fake_libcuda.cpp, which includes the module's kernels) as
# OUTPUT_DIR/libcuda.so.1 for the tests that run without a GPU. Without a C++ compiler it says so
# and exits 0; those tests then skip.
#
#   build-fake-libcuda.sh OUTPUT_DIR
set -euo pipefail
out=${1:?usage: build-fake-libcuda.sh OUTPUT_DIR}
src_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cxx=${CXX:-c++}
if [ "$(uname -s)" != Linux ] || ! command -v "$cxx" >/dev/null 2>&1; then
    echo "[vae-backend-cuda] no Linux C++ compiler ($cxx): the stand-in libcuda.so.1 is not built, emulated-device tests skip"
    exit 0
fi
mkdir -p "$out"
lib="$out/libcuda.so.1"
if [ -f "$lib" ] && [ "$lib" -nt "$src_dir/fake_libcuda.cpp" ] && [ "$lib" -nt "$src_dir/../../main/cuda/vae_kernels.cu" ]; then
    exit 0
fi
"$cxx" -std=c++17 -O2 -shared -fPIC -Wall -Wno-unknown-pragmas -o "$lib.tmp" "$src_dir/fake_libcuda.cpp"
mv "$lib.tmp" "$lib"
echo "[vae-backend-cuda] built the stand-in driver $lib"
