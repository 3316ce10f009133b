#!/bin/sh
# Entry point of the Kafka containers (testcontainers provider and docker-compose.chaos.yml): a
# single-node KRaft broker from the jars in /opt/kafka/libs, which both the official apache/kafka
# image and the local one have. Every KAFKA_CFG_<NAME> variable becomes the broker setting
# <name> (lower case, `_` -> `.`); CLUSTER_ID formats the log dir on first start.
set -eu
CONF=${TMPDIR:-/tmp}/tidemark-kafka
LIBS=${KAFKA_LIBS:-/opt/kafka/libs}
mkdir -p "$CONF"

env | grep '^KAFKA_CFG_' | while IFS='=' read -r name value; do
  printf '%s=%s\n' "$(printf '%s' "${name#KAFKA_CFG_}" | tr 'A-Z_' 'a-z.')" "$value"
done > "$CONF/server.properties"

cat > "$CONF/log4j.properties" <<'LOG4J'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
LOG4J

JVM="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true -Dlog4j.configuration=file:$CONF/log4j.properties"
LOG_DIRS=$(sed -n 's/^log\.dirs=//p' "$CONF/server.properties")
if [ ! -f "$LOG_DIRS/meta.properties" ]; then
  # shellcheck disable=SC2086
  java $JVM -cp "$LIBS/*" kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$CONF/server.properties" --ignore-formatted
fi
# shellcheck disable=SC2086
exec java $JVM -cp "$LIBS/*" kafka.Kafka "$CONF/server.properties"
