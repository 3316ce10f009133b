import { KAFKA_SCALA_VERSION, KAFKA_VERSION, SLF4J_VERSION } from '../versions.js';

/**
 * A throwaway pom whose only purpose is `mvn dependency:copy-dependencies`: the Kafka broker jar,
 * its runtime dependencies, and the slf4j binding Kafka's own distribution ships.
 */
export function kafkaPom(kafkaVersion: string = KAFKA_VERSION): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.tidemark</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${kafkaVersion}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${KAFKA_SCALA_VERSION}</artifactId>
      <version>${kafkaVersion}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${SLF4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/** Arguments for the Maven run that fills `libs/` next to the pom. */
export function copyDependenciesArgs(pomFile: string, libsDir: string, mavenRepo: string): string[] {
  return [
    '-B',
    '-f', pomFile,
    `-Dmaven.repo.local=${mavenRepo}`,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${libsDir}`,
    '-DincludeScope=runtime',
  ];
}
