#!/usr/bin/env bash
# deploy/gpu/discover-gpus.sh: Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript,
# spark.worker.resource.gpu.discoveryScript). Prints the GPUs this container or host can use, as
# Spark's ResourceInformation JSON:  {"name":"gpu","addresses":["0","1"]}
# Addresses are nvidia-smi's indices, which CUDA uses too when CUDA_DEVICE_ORDER=PCI_BUS_ID
# (nvidia-smi's order). Exits non-zero with a message when nvidia-smi is missing or fails, so an
# executor that was asked for a GPU refuses to start rather than run on the CPU.
set -euo pipefail

nvidia_smi="${RDNAS_NVIDIA_SMI:-nvidia-smi}"
if ! command -v "$nvidia_smi" >/dev/null 2>&1; then
  echo "discover-gpus.sh: $nvidia_smi not found; is the NVIDIA driver (or the NVIDIA container runtime) installed?" >&2
  exit 1
fi
if ! indices="$("$nvidia_smi" --query-gpu=index --format=csv,noheader)"; then
  echo "discover-gpus.sh: $nvidia_smi --query-gpu=index failed" >&2
  exit 1
fi

addresses=""
while read -r index; do
  [[ -z "$index" ]] && continue
  if [[ ! "$index" =~ ^[0-9]+$ ]]; then
    echo "discover-gpus.sh: unexpected GPU index '$index' from $nvidia_smi" >&2
    exit 1
  fi
  addresses+="${addresses:+,}\"$index\""
done <<<"$indices"
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
