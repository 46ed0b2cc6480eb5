#!/usr/bin/env bash
# The standalone server against Debian's webhook, side by side: builds the standalone jar and the
# benchmarks, installs wrk and webhook when missing (Debian), runs the harness and prints one table.
# About 5 minutes. Arguments go to SideBySide (e.g. --smoke, --seconds 5, --rounds 3); set
# AUTODEPLOY_TEST_POSTGRES_URL to measure the PostgreSQL store too. See benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v webhook >/dev/null 2>&1 || need+=(webhook)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

./mvnw -B -q ${MAVEN_ARGS:-} -pl benchmarks,examples/standalone -am package -DskipTests -Djacoco.skip=true
exec java -cp benchmarks/target/benchmarks.jar io.github.autodeploy.benchmarks.load.SideBySide \
  --jar examples/standalone/target/autodeploy-standalone.jar "$@"
