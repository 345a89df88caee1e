#!/bin/sh
# Usage: validate-metainfo.sh APPSTREAMCLI METAINFO
#
# `appstreamcli validate` passes with "info" and "pedantic" findings; this
# fails on any finding except the few that are expected:
#  - unknown-tag developer: AppStream < 1.0 (Debian 12) has no <developer>;
#  - developer-name-tag-deprecated: AppStream >= 1.0 on the <developer_name>
#    kept for the older one;
#  - cid-contains-uppercase-letter: the app id is io.github.workroom.Workroom.
set -u
appstreamcli=$1
metainfo=$2

out=$("$appstreamcli" validate --no-net --pedantic --explain "$metainfo" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne 0 ]; then
  echo "appstreamcli validate failed (exit $status)" >&2
  exit 1
fi

unexpected=$(printf '%s\n' "$out" \
  | grep -E '^[EWIP]: ' \
  | grep -v -E ': (unknown-tag developer|developer-name-tag-deprecated|cid-contains-uppercase-letter)( |$)')
if [ -n "$unexpected" ]; then
  echo "unexpected AppStream findings:" >&2
  printf '%s\n' "$unexpected" >&2
  exit 1
fi
exit 0
