#!/usr/bin/env bash
# Smoke test of a Splitline deployment, in AWS or the local stack: creates and starts an experiment, assigns a
# unit, sends an event, reads the results, then archives the experiment. Exits 0 when every step answered as
# the API contract says; otherwise prints the step, the HTTP status and the body, and exits 1.
#
#   scripts/smoke.sh API_URL [--app-key KEY] [--admin-key KEY] [--region REGION]
#
#   API_URL       the stack's ApiUrl output (https://<id>.execute-api.<region>.amazonaws.com/v1), or the local
#                 stack's URL (http://127.0.0.1:3000)
#   --app-key     the app API key, for /assign and /events (or SPLITLINE_APP_KEY)
#   --admin-key   an x-api-key for the admin routes instead of SigV4: the local stack's admin key (or
#                 SPLITLINE_ADMIN_KEY). Without it, admin calls are signed with SigV4 by awscurl, with the
#                 caller's AWS credentials.
#   --region      region for SigV4 (default: the one in API_URL's host, else AWS_REGION)
#
# Needs curl and python3 (to read JSON), and awscurl (pip install awscurl) for admin calls against AWS.
set -euo pipefail

usage() { sed -n '6,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

API="${1:-}"; [ -n "$API" ] && [ "${API#-}" = "$API" ] || usage
shift
APP_KEY="${SPLITLINE_APP_KEY:-}"
ADMIN_KEY="${SPLITLINE_ADMIN_KEY:-}"
REGION=""
while [ $# -gt 0 ]; do
  case "$1" in
    --app-key) APP_KEY="${2:?--app-key needs a value}"; shift 2 ;;
    --admin-key) ADMIN_KEY="${2:?--admin-key needs a value}"; shift 2 ;;
    --region) REGION="${2:?--region needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "unknown option $1" >&2; usage ;;
  esac
done
API="${API%/}"

for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "smoke.sh needs $tool on PATH" >&2; exit 2; }
done
if [ -z "$APP_KEY" ]; then
  echo "no app key: pass --app-key or set SPLITLINE_APP_KEY. In AWS read it with" >&2
  echo "  aws apigateway get-api-key --api-key <AppApiKeyId output> --include-value --query value --output text" >&2
  exit 2
fi
if [ -z "$ADMIN_KEY" ]; then
  if ! command -v awscurl >/dev/null 2>&1; then
    echo "admin routes are IAM-authorised (SigV4) and awscurl is not on PATH: pip install awscurl" >&2
    echo "(against the local stack, pass its admin key with --admin-key instead)" >&2
    exit 2
  fi
  if [ -z "$REGION" ]; then
    REGION="$(printf '%s' "$API" | sed -n 's#^https://[^.]*\.execute-api\.\([a-z0-9-]*\)\.amazonaws\.com.*#\1#p')"
    REGION="${REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-}}}"
  fi
  [ -n "$REGION" ] || { echo "cannot tell the region from $API: pass --region" >&2; exit 2; }
fi

KEY="smoke-$(date +%s)-$RANDOM"
UNIT="smoke-unit-$RANDOM"
BODY="$(mktemp)"
trap 'rm -f "$BODY"' EXIT
STATUS=""

# app METHOD PATH [JSON]: a call with the app key; sets STATUS and the body file.
app() {
  STATUS="$(curl -sS -o "$BODY" -w '%{http_code}' -X "$1" -H "x-api-key: $APP_KEY" \
    -H 'content-type: application/json' ${3:+--data "$3"} "$API$2")"
}

# admin METHOD PATH [JSON]: a call on an admin route, with the admin key or signed with SigV4.
admin() {
  if [ -n "$ADMIN_KEY" ]; then
    STATUS="$(curl -sS -o "$BODY" -w '%{http_code}' -X "$1" -H "x-api-key: $ADMIN_KEY" \
      -H 'content-type: application/json' ${3:+--data "$3"} "$API$2")"
  else
    # awscurl prints the body but no status: the checks below read the body, which says enough.
    STATUS="(SigV4)"
    awscurl --service execute-api --region "$REGION" -X "$1" -H 'content-type: application/json' \
      ${3:+-d "$3"} "$API$2" >"$BODY" 2>&1 || true
  fi
}

# expect STEP EXPECTED_STATUS PYTHON_CONDITION: the status (when known) and a condition on the JSON body `b`.
expect() {
  local step="$1" want="$2" condition="$3"
  if { [ "$STATUS" = "(SigV4)" ] || [ "$STATUS" = "$want" ]; } \
      && python3 -c "import json,sys; b=json.load(open(sys.argv[1])); sys.exit(0 if ($condition) else 1)" "$BODY" 2>/dev/null; then
    echo "ok    $step"
    return 0
  fi
  echo "FAIL  $step: HTTP $STATUS, expected $want with $condition" >&2
  cat "$BODY" >&2; echo >&2
  return 1
}

# A deployed function may serve definitions cached before the experiment started (DefinitionCacheSeconds,
# 10 s by default): /assign and /events are retried for up to 60 s until they see it running. A step returns
# 2 for an answer no wait can change (not a 200), which ends the retries at once.
retry() {
  local rc
  for _ in $(seq 1 30); do
    rc=0; "$@" 2>/dev/null || rc=$?
    [ "$rc" -eq 0 ] && return 0
    [ "$rc" -eq 2 ] && break
    sleep 2
  done
  "$@" || return 1
}

archived=""
cleanup() {
  if [ -z "$archived" ]; then
    admin POST "/experiments/$KEY/archive" || true
  fi
  rm -f "$BODY"
}
trap cleanup EXIT

echo "smoke test of $API with experiment $KEY"
admin POST /experiments "{\"key\": \"$KEY\", \"description\": \"scripts/smoke.sh\",
  \"variants\": [{\"key\": \"control\", \"weight\": 0.5}, {\"key\": \"treatment\", \"weight\": 0.5}],
  \"metrics\": [{\"key\": \"purchase\", \"type\": \"conversion\", \"role\": \"primary\", \"minimumDetectableEffect\": 0.1}]}"
expect "create experiment" 201 "b.get('key') == '$KEY' and b.get('status') == 'draft'"

admin POST "/experiments/$KEY/start"
expect "start it" 200 "b.get('status') == 'running'"

assign_in_experiment() {
  app POST /assign "{\"unitId\": \"$UNIT\", \"keys\": [\"$KEY\"]}"
  [ "$STATUS" = 200 ] || { expect "assign a unit" 200 "True"; return 2; }
  expect "assign a unit" 200 "b['assignments']['$KEY']['inExperiment'] is True and b['assignments']['$KEY']['variant'] in ('control', 'treatment')"
}
retry assign_in_experiment

# The same event id on every try: a retry that follows a success counts as a duplicate, never twice.
send_event() {
  app POST /events "{\"events\": [{\"eventId\": \"$KEY-1\", \"key\": \"$KEY\", \"unitId\": \"$UNIT\",
    \"metric\": \"purchase\", \"timestamp\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}]}"
  [ "$STATUS" = 200 ] || { expect "send an event" 200 "True"; return 2; }
  expect "send an event" 200 "b['accepted'] + b['duplicates'] == 1 and b['rejected'] == []"
}
retry send_event

admin GET "/experiments/$KEY/results"
expect "read the results (the assigned unit is counted)" 200 "b['key'] == '$KEY' and sum(v['units'] for v in b['variants']) == 1"

admin POST "/experiments/$KEY/archive"
expect "archive it" 200 "b.get('status') == 'archived'"
archived="yes"
echo "smoke test passed"
