#!/usr/bin/env bash
# tests/lint.sh — the project's style gates, as .ci/run enforces them (through tests/run_tests.sh).
#
#   bash tests/lint.sh format          every tracked .cpp/.hpp matches .clang-format (exit 1 lists the files)
#   bash tests/lint.sh fix             rewrite every tracked .cpp/.hpp with clang-format
#   bash tests/lint.sh tidy [BUILD]    clang-tidy (.clang-tidy, warnings are errors) over src/ with BUILD's
#                                      compile_commands.json (default <repo>/build; configure it first).
#                                      Files listed in tests/tidy-pending.txt (one path a line, '#' comments) are
#                                      not yet clean and are skipped, with a count; the list only ever shrinks.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

sources() { git ls-files -- '*.cpp' '*.hpp'; }

case "${1:-}" in
  format)
    bad=()
    while IFS= read -r f; do
      if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
    done < <(sources)
    if [ ${#bad[@]} -gt 0 ]; then
      printf 'lint: %d file(s) differ from .clang-format (run: bash tests/lint.sh fix):\n' "${#bad[@]}" >&2
      printf '  %s\n' "${bad[@]}" >&2
      exit 1
    fi
    echo "lint: format ok ($(sources | wc -l) files)"
    ;;
  fix)
    sources | xargs clang-format -i
    ;;
  tidy)
    build=${2:-$ROOT/build}
    [ -f "$build/compile_commands.json" ] || { echo "lint: $build/compile_commands.json missing: configure the build first" >&2; exit 2; }
    # Only the product's own translation units: tests and stand-ins follow the format gate, not tidy's checks.
    files=()
    pending=0
    while IFS= read -r f; do
      if [ -f tests/tidy-pending.txt ] && grep -qxF "$f" tests/tidy-pending.txt; then pending=$((pending + 1)); continue; fi
      files+=("^$ROOT/$f\$")
    done < <(git ls-files -- 'src/*.cpp')
    rc=0
    # run-clang-tidy takes regexes: one anchored pattern a file.
    run-clang-tidy -quiet -p "$build" -j "$(nproc)" "${files[@]}" >"$build/clang-tidy.log" 2>&1 || rc=$?
    findings=$(grep -E '(warning|error): ' "$build/clang-tidy.log" | sort -u || true)
    if [ "$rc" -ne 0 ] || [ -n "$findings" ]; then
      if [ -n "$findings" ]; then printf '%s\n' "$findings" >&2; else tail -n 20 "$build/clang-tidy.log" >&2; fi
      echo "lint: clang-tidy failed (exit $rc; full log: $build/clang-tidy.log)" >&2
      exit 1
    fi
    echo "lint: clang-tidy ok (${#files[@]} files; $pending pending in tests/tidy-pending.txt)"
    ;;
  *)
    echo "usage: bash tests/lint.sh format|fix|tidy [BUILD_DIR]" >&2
    exit 2
    ;;
esac
