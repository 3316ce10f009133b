import { APICURIO_CONFIG_INDEX_VERSION, APICURIO_QUARKUS_VERSION, APICURIO_VERSION, EVERIT_JSON_SCHEMA_VERSION } from '../versions.js';

/**
 * The pom that turns Apicurio Registry's app jar from Maven Central into a runnable Quarkus
 * application (there is no runner or distro artifact on Central). The app is a dependency of
 * type pom, so only its transitive dependencies come in; its jar is unpacked into our classes so
 * its application.properties and index are used as upstream does. Two substitutions make it
 * resolvable from Central alone (shared/research/schema-registry.md):
 * - config-index pinned to 0.1.10 (2.4.2's 0.1.18 has no -deployment jar on Central);
 * - everit-json-schema from com.github.erosb instead of the JitPack-only com.github.everit-org.
 * The app selects Quarkus' legacy thin jar: target/apicurio-registry-runner-1.0-runner.jar + target/lib/.
 */
export function registryPom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.tidemark</groupId>
  <artifactId>apicurio-registry-runner</artifactId>
  <version>1.0</version>
  <packaging>jar</packaging>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.apicurio</groupId>
        <artifactId>apicurio-registry</artifactId>
        <version>${APICURIO_VERSION}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
      <dependency>
        <groupId>io.apicurio</groupId>
        <artifactId>apicurio-common-app-components-config-index</artifactId>
        <version>${APICURIO_CONFIG_INDEX_VERSION}</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.apicurio</groupId>
      <artifactId>apicurio-registry-app</artifactId>
      <version>${APICURIO_VERSION}</version>
      <type>pom</type>
      <exclusions>
        <exclusion>
          <groupId>com.github.everit-org.json-schema</groupId>
          <artifactId>org.everit.json.schema</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <dependency>
      <groupId>com.github.erosb</groupId>
      <artifactId>everit-json-schema</artifactId>
      <version>${EVERIT_JSON_SCHEMA_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.6.1</version>
        <executions>
          <execution>
            <id>unpack-app</id>
            <phase>process-classes</phase>
            <goals><goal>unpack</goal></goals>
            <configuration>
              <artifactItems>
                <artifactItem>
                  <groupId>io.apicurio</groupId>
                  <artifactId>apicurio-registry-app</artifactId>
                  <version>${APICURIO_VERSION}</version>
                  <type>jar</type>
                  <outputDirectory>\${project.build.outputDirectory}</outputDirectory>
                  <excludes>META-INF/MANIFEST.MF,META-INF/maven/**</excludes>
                </artifactItem>
              </artifactItems>
            </configuration>
          </execution>
        </executions>
      </plugin>
      <plugin>
        <groupId>io.quarkus</groupId>
        <artifactId>quarkus-maven-plugin</artifactId>
        <version>${APICURIO_QUARKUS_VERSION}</version>
        <executions>
          <execution>
            <goals><goal>build</goal></goals>
          </execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/**
 * Every repository Maven would ask (the parent pom names Confluent's and JitPack's, which are
 * unreachable here) is mirrored to Maven Central, the URL Maven uses by default.
 */
export const REGISTRY_MAVEN_SETTINGS = `<settings>
  <mirrors>
    <mirror>
      <id>central-only</id>
      <mirrorOf>*</mirrorOf>
      <url>https://repo.maven.apache.org/maven2</url>
    </mirror>
  </mirrors>
</settings>
`;

/** Arguments for the build; the cache's Maven repository is shared with the Kafka jars step. */
export function registryBuildArgs(pomFile: string, settingsFile: string, mavenRepo: string): string[] {
  // No -ntp: the 'Downloaded from' lines are the progress the step shows.
  return ['-B', '-s', settingsFile, '-f', pomFile, `-Dmaven.repo.local=${mavenRepo}`, 'package', '-DskipTests'];
}
