#!/usr/bin/env bash
# Prints raw and gzipped (-9) sizes of the given files, one line each.
set -euo pipefail
printf '%-52s %10s %10s\n' "shipped file" "raw B" "gzip B"
for f in "$@"; do
  printf '%-52s %10d %10d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
