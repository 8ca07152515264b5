#!/usr/bin/env bash
# Cold start of the assignment function against no-op Java handlers, on the same JVM flags.
# Every run is a fresh JVM running the AWS Lambda Java runtime client against a loopback Runtime API
# emulator; DynamoDB Local (seeded with 10 running experiments) is started once, beforehand, in the
# measuring JVM. Prints Markdown tables: medians, the ratio to the no-op handler, peak RSS, jar sizes.
# "assignment-snapstart-init" runs the init SnapStart snapshots (it primes the request path): its
# "first invoke" column is what a container restored from that snapshot still pays, restore aside.
#
#   bench/cold-start.sh [--runs N] [--build] [--java-opts "..."] [--before JAR] [--appcds]
#
# --appcds first runs the assignment function once with -XX:ArchiveClassesAtExit (a dynamic AppCDS archive
# of every class its first request loads, written to bench/target/assignment.jsa), then adds the subjects
# "assignment-appcds" and "assignment-appcds-snapstart-init", which get the archive through
# JAVA_TOOL_OPTIONS as a Lambda function would (BENCHMARKS.md, "Cold start": what Lambda needs for it).
#
# --build packages the functions and the bench module first (otherwise their jars must exist).
# --before JAR adds an older assignment.jar (e.g. built from an earlier commit) as "assignment-before" and
# "assignment-before-snapstart-init", measured in the same run, in turns with the others.
# The default flags are those of Lambda's Java runtimes (C1 only, serial GC, class-data sharing).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10
build=0
before=()
appcds=0
# What Lambda's java17 runtime passes (its bootstrap), minus its agent and its own CDS archive.
java_opts="-XX:MaxHeapSize=870m -XX:+UseSerialGC -Xshare:auto -XX:+TieredCompilation -XX:TieredStopAtLevel=1 --add-opens=java.base/java.io=ALL-UNNAMED -Djava.net.preferIPv4Stack=true -XX:+ErrorFileToStderr"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --build) build=1; shift ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --before) before=(--function "assignment-before=$2=io.splitline.functions.assignment.AssignmentHandler::handleRequest"
                      --function "assignment-before-snapstart-init=$2=io.splitline.functions.assignment.AssignmentHandler::handleRequest=AWS_LAMBDA_INITIALIZATION_TYPE:snap-start"); shift 2 ;;
    --appcds) appcds=1; shift ;;
    *) echo "usage: $0 [--runs N] [--build] [--java-opts \"...\"] [--before JAR] [--appcds]" >&2; exit 2 ;;
  esac
done
if [ "$runs" -lt 10 ] 2>/dev/null && [ -z "${COLD_START_ALLOW_FEW:-}" ]; then
  echo "cold-start: medians need at least 10 runs (set COLD_START_ALLOW_FEW=1 for a quick look)" >&2
  exit 2
fi

function_jars=(functions/experiments/target/experiments.jar functions/assignment/target/assignment.jar
               functions/ingest/target/ingest.jar functions/results/target/results.jar)
if [ "$build" = 1 ] || [ ! -f bench/target/benchmarks.jar ] || [ ! -f functions/assignment/target/assignment.jar ]; then
  mvn -q -B -ntp -pl functions/experiments,functions/assignment,functions/ingest,functions/results,bench -am package -DskipTests
fi

jar_args=()
for jar in "${function_jars[@]}"; do
  [ -f "$jar" ] && jar_args+=(--jar "$jar")
done

assignment_handler=io.splitline.functions.assignment.AssignmentHandler::handleRequest
with_archive=()
if [ "$appcds" = 1 ]; then
  archive="$PWD/bench/target/assignment.jsa"
  rm -f "$archive"
  java -cp bench/target/benchmarks.jar io.splitline.bench.coldstart.ColdStart --runs 1 \
    --runtime-classpath "$PWD/bench/target/lambda-runtime/*" --java-opts "$java_opts" --event events/assign.json \
    --function "archive-dump=functions/assignment/target/assignment.jar=$assignment_handler=JAVA_TOOL_OPTIONS:-XX:ArchiveClassesAtExit=$archive" > /dev/null
  [ -f "$archive" ] || { echo "cold-start: no AppCDS archive was written" >&2; exit 1; }
  with_archive=(--function "assignment-appcds=functions/assignment/target/assignment.jar=$assignment_handler=JAVA_TOOL_OPTIONS:-XX:SharedArchiveFile=$archive"
                --function "assignment-appcds-snapstart-init=functions/assignment/target/assignment.jar=$assignment_handler=AWS_LAMBDA_INITIALIZATION_TYPE:snap-start,JAVA_TOOL_OPTIONS:-XX:SharedArchiveFile=$archive")
fi

exec java -cp bench/target/benchmarks.jar io.splitline.bench.coldstart.ColdStart \
  --runs "$runs" \
  --runtime-classpath "$PWD/bench/target/lambda-runtime/*" \
  --java-opts "$java_opts" \
  --event events/assign.json \
  --function "noop-stream=bench/target/noop-function.jar=io.splitline.bench.coldstart.NoOpStreamHandler::handleRequest" \
  --function "noop=bench/target/noop-function.jar=io.splitline.bench.coldstart.NoOpApiHandler::handleRequest" \
  --function "sdk-noop=bench/target/sdk-noop-function.jar=io.splitline.bench.coldstart.NoOpDynamoDbHandler::handleRequest" \
  "${before[@]}" \
  --function "assignment=functions/assignment/target/assignment.jar=io.splitline.functions.assignment.AssignmentHandler::handleRequest" \
  --function "assignment-snapstart-init=functions/assignment/target/assignment.jar=io.splitline.functions.assignment.AssignmentHandler::handleRequest=AWS_LAMBDA_INITIALIZATION_TYPE:snap-start" \
  "${with_archive[@]}" \
  "${jar_args[@]}"
