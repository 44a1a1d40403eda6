#!/usr/bin/env bash
# Packaging check (run by scripts/test.sh, so by CI): build the sdist and, from it, the wheel
# (as pip and pipx do), install the wheel into a fresh venv in a temporary folder outside the
# checkout, run `musrenbang demo` there and check every document; then break one installed
# built-in template and check that `musrenbang demo` fails with exit 3 (internal error).
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd)
PY=${PYTHON:-$checkout/.venv/bin/python}
work=$(mktemp -d "${TMPDIR:-/tmp}/musrenbang-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT

t0=$(date +%s)
if ! "$PY" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  exit 1
fi
wheel=$(ls "$work"/dist/*.whl)
sdist=$(ls "$work"/dist/*.tar.gz)
echo "check_wheel: $(basename "$wheel") $(du -k "$wheel" | cut -f1) KiB, $(basename "$sdist") $(du -k "$sdist" | cut -f1) KiB"
for member in pipeline/_data/templates/berita-acara-desa.docx pipeline/_data/schemas/settings.json \
  pipeline/documents/uno_worker.py pipeline/py.typed; do
  "$PY" -c "import sys, zipfile; sys.exit(0 if sys.argv[2] in zipfile.ZipFile(sys.argv[1]).namelist() else 1)" \
    "$wheel" "$member" || { echo "check_wheel: $member tidak ada di wheel"; exit 1; }
done
listing=$(tar -tzf "$sdist")
for member in templates/berita-acara-desa.docx schemas/settings.json LICENSE setup.py; do
  grep -q "/$member\$" <<<"$listing" || { echo "check_wheel: $member tidak ada di sdist"; exit 1; }
done

base=$("$PY" -c 'import sys; print(sys.base_prefix)')/bin/python3
"$base" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$wheel" >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
t1=$(date +%s)
echo "check_wheel: dibangun dan dipasang dalam $((t1 - t0)) s"

cd "$work"  # outside the checkout: nothing of it can be imported from here
"$work/venv/bin/musrenbang" --version
start=$(date +%s%N)
"$work/venv/bin/musrenbang" demo "$work/demo" >"$work/demo.log" 2>&1 || { tail -40 "$work/demo.log"; exit 1; }
ms=$((($(date +%s%N) - start) / 1000000))
echo "check_wheel: demo dari wheel selesai dalam $((ms / 1000)).$(((ms % 1000) / 100)) s"
"$work/venv/bin/python" "$checkout/scripts/check_demo.py" "$work/demo" "$checkout/templates"

# A broken built-in template is an internal error (exit 3), never a quiet warning.
installed=$("$work/venv/bin/python" -c 'from pipeline.core.resources import data_dir; print(data_dir("templates"))')
printf 'bukan docx' >"$installed/daftar-hadir-desa.docx"
set +e
"$work/venv/bin/musrenbang" demo "$work/demo-rusak" >"$work/demo-rusak.log" 2>&1
code=$?
set -e
if [ "$code" != 3 ]; then
  echo "check_wheel: templat bawaan rusak memberi kode keluar $code, bukan 3"
  tail -20 "$work/demo-rusak.log"
  exit 1
fi
echo "check_wheel: templat bawaan rusak -> kode keluar 3"
echo "check_wheel: lulus"
