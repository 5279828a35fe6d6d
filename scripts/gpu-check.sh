#!/usr/bin/env bash
# Checks the CUDA backend on a machine with an NVIDIA GPU: prints the device, builds the project
# and runs vae-backend-cuda's tests (and what `verify` adds to them, such as the conformance suite)
# with the GPU required, so that a missing or unusable GPU fails instead of skipping.
#
#   scripts/gpu-check.sh [extra Maven arguments, e.g. -Dvae.cuda.device=1 -o]
#
# Needs a JDK 17+, Maven 3.8+ and the NVIDIA driver (libcuda.so.1); nvcc is optional (with it the
# build also recompiles the kernels and checks that the committed PTX is fresh).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn; do
    command -v "$tool" >/dev/null 2>&1 || { echo "gpu-check: $tool is not on the PATH" >&2; exit 2; }
done

echo "== device"
if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv \
        || nvidia-smi || true
else
    echo "nvidia-smi not found (the CUDA probe in the tests reports whether the driver is usable)"
fi
echo "== toolchain"
java -version 2>&1 | head -n 1
mvn -v 2>&1 | head -n 1
if command -v nvcc >/dev/null 2>&1; then nvcc --version | tail -n 1; else echo "no nvcc: the committed PTX is used"; fi

echo "== mvn -pl vae-backend-cuda -am verify (GPU required)"
mvn -B -pl vae-backend-cuda -am verify -Dvae.cuda.requireGpu=true -Dvae.cuda.skipEmulated=true "$@"

echo "== vae-backend-cuda test results"
reports=vae-backend-cuda/target/surefire-reports
total=0; failed=0; skipped=0
for f in "$reports"/TEST-*.xml; do
    [ -e "$f" ] || continue
    line=$(grep -m 1 '<testsuite ' "$f")
    name=$(sed -E 's/.* name="([^"]+)".*/\1/' <<<"$line")
    t=$(sed -E 's/.* tests="([0-9]+)".*/\1/' <<<"$line")
    fl=$(sed -E 's/.* failures="([0-9]+)".*/\1/' <<<"$line")
    er=$(sed -E 's/.* errors="([0-9]+)".*/\1/' <<<"$line")
    sk=$(sed -E 's/.* skipped="([0-9]+)".*/\1/' <<<"$line")
    printf '%-60s tests %4d  failed %3d  skipped %3d\n' "$name" "$t" "$((fl + er))" "$sk"
    total=$((total + t)); failed=$((failed + fl + er)); skipped=$((skipped + sk))
done
grep -h -o '\[cuda\][^<]*' "$reports"/*.xml 2>/dev/null | sort -u || true
echo "gpu-check: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
