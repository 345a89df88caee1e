#!/bin/sh
# Usage: check-potfiles.sh SOURCE_ROOT
#
# Every source file with strings marked for translation (_(), N_(),
# ngettext, translatable="yes") must be listed in po/POTFILES.in, or its
# strings never reach translators; and every listed file must exist.
set -eu
cd "$1"

status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')

marked=$( (grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|ngettext)\(' src --include='*.c' || true;
           grep -rl 'translatable="yes"' ui --include='*.ui' || true) | sort)

for file in $marked; do
  if ! printf '%s\n' "$listed" | grep -qxF "$file"; then
    echo "not in po/POTFILES.in: $file"
    status=1
  fi
done

for file in $listed; do
  if [ ! -e "$file" ]; then
    echo "in po/POTFILES.in but missing: $file"
    status=1
  fi
done

[ $status -eq 0 ] && echo "po/POTFILES.in lists all $(printf '%s\n' "$marked" | wc -l) translatable source files"
exit $status
