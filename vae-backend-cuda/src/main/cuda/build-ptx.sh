#!/usr/bin/env bash
# Compiles the module's CUDA kernels to PTX.
#
#   build-ptx.sh OUTPUT_DIR
#
# Writes OUTPUT_DIR/vae_kernels.ptx. Without nvcc on the PATH it prints why and exits 0, so a
# machine without the CUDA toolkit still builds (the committed PTX in
# src/main/resources/dev/vae/backend/cuda/ is what the jar ships either way).
#
# The PTX targets the virtual architecture compute_75 (the lowest nvcc 13 supports). nvcc stamps
# the PTX with its own ISA version (9.0 for CUDA 13), which only drivers of the same CUDA release
# or newer can load; the kernels use nothing newer than PTX_ISA, so the header is set to that
# version and ptxas then assembles the result, failing if any instruction needs a newer ISA. PTX
# ISA 7.0 loads on every driver since CUDA 11.0.
#
# To refresh the committed PTX after editing a .cu file:
#   vae-backend-cuda/src/main/cuda/build-ptx.sh vae-backend-cuda/src/main/resources/dev/vae/backend/cuda
set -euo pipefail

ARCH=compute_75
SM=sm_75
PTX_ISA=7.0

out=${1:?usage: build-ptx.sh OUTPUT_DIR}
src_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v nvcc >/dev/null 2>&1; then
    echo "[vae-backend-cuda] nvcc not found on PATH: PTX not regenerated, the committed PTX is used"
    exit 0
fi

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nvcc -ptx -arch="$ARCH" -O3 -std=c++17 -o "$tmp/vae_kernels.ptx" "$src_dir/vae_kernels.cu"
sed -E "s/^\.version [0-9]+\.[0-9]+$/.version $PTX_ISA/" "$tmp/vae_kernels.ptx" > "$tmp/lowered.ptx"
grep -q "^\.version $PTX_ISA$" "$tmp/lowered.ptx" || {
    echo "[vae-backend-cuda] no .version line found in the PTX nvcc wrote" >&2
    exit 1
}
# ptxas rejects every instruction or directive the declared ISA version does not have.
ptxas -arch="$SM" -o "$tmp/check.cubin" "$tmp/lowered.ptx"
cp "$tmp/lowered.ptx" "$out/vae_kernels.ptx"
echo "[vae-backend-cuda] $(nvcc --version | tail -n 1): wrote $out/vae_kernels.ptx ($ARCH, PTX ISA $PTX_ISA)"
