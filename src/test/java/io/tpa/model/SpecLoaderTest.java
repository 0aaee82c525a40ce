package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    private static final String SIZES = "(sizes: micro, small, medium, large, xlarge, 2xlarge, 4xlarge)";

    @TempDir
    Path dir;

    @Test
    void loadsAValidYamlConfig() throws IOException {
        write("tpa.yml", """
                name: demo
                postgres:
                  extensions: [pg_stat_statements]
                  parameters: {work_mem: 64MB, jit: false}
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                      - name: pg2
                        size: medium
                """);

        LoadedSpec loaded = SpecLoader.load(dir);

        assertThat(loaded.file()).isEqualTo(dir.resolve("tpa.yml"));
        assertThat(loaded.spec().name()).isEqualTo("demo");
        assertThat(loaded.spec().postgres().extensions()).containsExactly("pg_stat_statements");
        assertThat(loaded.spec().postgres().parameters()).containsEntry("work_mem", "64MB").containsEntry("jit", false);
        assertThat(loaded.spec().allNodes()).extracting(NodeSpec::name).containsExactly("pg1", "pg2");
        assertThat(loaded.spec().allNodes().get(1).size()).isEqualTo(SizeSpec.named("medium"));
    }

    @Test
    void loadsAJsonConfig() throws IOException {
        write("tpa.json", """
                {"name": "demo", "platform": "local",
                 "clusters": [{"name": "main", "location": "dc1",
                               "nodes": [{"name": "pg1", "size": {"cpus": 2, "memory_gb": 4, "disk_gb": 50}}]}]}
                """);

        LoadedSpec loaded = SpecLoader.load(dir);

        assertThat(loaded.file()).isEqualTo(dir.resolve("tpa.json"));
        assertThat(loaded.spec().primaryCluster().location()).isEqualTo("dc1");
        assertThat(loaded.spec().allNodes().get(0).size()).isEqualTo(new SizeSpec(null, 2, 4.0, 50));
    }

    @Test
    void loadsTheExampleOfTheSchema() throws IOException {
        write("tpa.json", ConfigReference.schema().path("examples").path(0).toString());

        assertThat(SpecLoader.load(dir).spec().clusters()).hasSize(2);
    }

    @Test
    void unknownKeySuggestsTheNearestKey() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodez:
                      - name: pg1
                """, "tpa.yml:4:5: clusters[0]: unknown key 'nodez'; did you mean 'nodes'? "
                + "(allowed here: name, location, nodes)");
    }

    @Test
    void unknownKeyWithoutANearKeyListsTheAllowedKeys() throws IOException {
        assertProblem("""
                name: demo
                owner: me
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:2:1: unknown key 'owner'; allowed here: name, platform, ssh, postgres, defaults, access, compliance, synchronous, failover, endpoints, backup, monitoring, clusters");
    }

    @Test
    void missingNameIsReportedAtTheTop() throws IOException {
        assertProblem("""
                clusters:
                  - name: main
                    nodes: [{name: pg1}]
                """, "tpa.yml:1:1: missing required key 'name'; add it, for example name: demo");
    }

    @Test
    void missingNodesIsReportedAtTheCluster() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    location: dc1
                """, "tpa.yml:3:5: clusters[0]: missing required key 'nodes'; "
                + "add it, for example nodes: [{name: pg1}]");
    }

    @Test
    void emptyNodesList() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes: []
                """, "tpa.yml:4:5: clusters[0].nodes: a cluster needs at least one node; add one, "
                + "for example nodes: [{name: pg1}]");
    }

    @Test
    void emptyNodesValue() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes:
                """, "tpa.yml:4:5: clusters[0].nodes: expected a list, found an empty value; "
                + "for example nodes: [{name: pg1}]");
    }

    @Test
    void duplicateNodeNameAcrossClusters() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes: [{name: pg1}, {name: pg2}]
                  - name: dr
                    nodes:
                      - name: pg1
                """, "tpa.yml:7:9: clusters[1].nodes[0].name: node name 'pg1' is already used by "
                + "clusters[0].nodes[0] at line 4; node names are host names, so each must be unique in the group");
    }

    @Test
    void duplicateClusterName() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes: [{name: pg1}]
                  - name: main
                    nodes: [{name: pg2}]
                """, "tpa.yml:5:5: clusters[1].name: cluster name 'main' is already used by clusters[0] at line 3; "
                + "give each cluster a name of its own");
    }

    @Test
    void unknownSizeSuggestsTheNearestSize() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                      - name: pg2
                        size: smal
                """, "tpa.yml:7:9: clusters[0].nodes[1].size: unknown size 'smal'; did you mean 'small'? " + SIZES);
    }

    @Test
    void unknownDefaultSizeWithoutANearSizeListsTheSizes() throws IOException {
        assertProblem("""
                name: demo
                defaults:
                  size: huge
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:3: defaults.size: unknown size 'huge'; " + SIZES.substring(1, SIZES.length() - 1));
    }

    @Test
    void explicitSizeBelowTheMinimum() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                    nodes:
                      - name: pg1
                        size: {cpus: 1, memory_gb: 0.25, disk_gb: 10}
                """, "tpa.yml:6:25: clusters[0].nodes[0].size.memory_gb: 0.25 is below the minimum of 0.5; "
                + "use at least 0.5");
    }

    @Test
    void explicitSizeAboveTheMaximum() throws IOException {
        assertProblem("""
                name: demo
                defaults:
                  size: {cpus: 2048, memory_gb: 8, disk_gb: 10}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:10: defaults.size.cpus: 2048 is above the maximum of 1024; use at most 1024");
    }

    @Test
    void explicitSizeMissingAFigure() throws IOException {
        assertProblem("""
                name: demo
                defaults:
                  size: {cpus: 2, memory_gb: 8}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:3: defaults.size: missing required key 'disk_gb'; add it, for example disk_gb: 100");
    }

    @Test
    void badNamePatternIsExplainedInWords() throws IOException {
        assertProblem("""
                name: Demo_1
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:1:1: name: 'Demo_1' is not a valid name; names use lowercase letters, digits and "
                + "hyphens, start with a letter and are at most 40 characters long");
    }

    @Test
    void badParameterName() throws IOException {
        assertProblem("""
                name: demo
                postgres:
                  parameters:
                    Work-Mem: 64MB
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:4:5: postgres.parameters: 'Work-Mem' is not a valid parameter name; parameter names use "
                + "lowercase letters, digits, underscores and dots, and start with a letter or an underscore");
    }

    @Test
    void loggingKeepDaysIsOneOfThree() throws IOException {
        assertProblem("""
                name: demo
                postgres:
                  logging:
                    keep_days: 30
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:4:5: postgres.logging.keep_days: unknown value '30'; did you mean '31'? (allowed values: 1, 7, 31)");
    }

    @Test
    void loggingSlowStatementBelowMinusOne() throws IOException {
        assertProblem("""
                name: demo
                postgres:
                  logging: {slow_statement_ms: -5}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:13: postgres.logging.slow_statement_ms: -5 is below the minimum of -1; use at least -1");
    }

    @Test
    void loggingSettingsAreRead() throws IOException {
        write("tpa.yml", """
                name: demo
                postgres:
                  logging: {slow_statement_ms: 250, keep_days: 31}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """);
        assertThat(SpecLoader.load(dir).spec().postgres().logging()).isEqualTo(new LoggingSpec(250, 31));
    }

    @Test
    void unknownPlatformListsTheAllowedValues() throws IOException {
        assertProblem("""
                name: demo
                platform: lcoal
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:2:1: platform: unknown value 'lcoal'; "
                + "did you mean 'local'? (allowed values: local, ssh)");
    }

    @Test
    void unknownExtension() throws IOException {
        assertProblem("""
                name: demo
                postgres:
                  extensions: [pg_stat_statement]
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:16: postgres.extensions[0]: unknown extension 'pg_stat_statement'; "
                + "did you mean 'pg_stat_statements'? (`tpa versions` lists the known extensions)");
    }

    @Test
    void extensionListedTwice() throws IOException {
        assertProblem("""
                name: demo
                postgres:
                  extensions: [hstore, pg_trgm, hstore]
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:33: postgres.extensions[2]: 'hstore' is listed twice; remove one of them");
    }

    @Test
    void unsupportedPostgresVersion() throws IOException {
        assertProblem("""
                name: demo
                postgres:
                  version: 11
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:3: postgres.version: PostgreSQL 11 is not in the version catalog; use 15 or 17 "
                + "(debian-12 offers 15, debian-13 offers 17; see `tpa versions`)");
    }

    @Test
    void wrongTypeShowsAnExample() throws IOException {
        assertProblem("""
                name: demo
                clusters: foo
                """, "tpa.yml:2:1: clusters: expected a list, found a string; "
                + "for example clusters: [{name: main, nodes: [{name: pg1}, {name: pg2}]}]");
    }

    @Test
    void yamlSyntaxErrorHasItsLine() throws IOException {
        assertProblem("""
                name: demo
                clusters:
                  - name: main
                   nodes: [{name: pg1}]
                """, "tpa.yml:4:4: invalid YAML: expected <block end>, but found '<block mapping start>'; "
                + "check the indentation and punctuation here and on the line before");
    }

    @Test
    void jsonSyntaxErrorHasItsLine() throws IOException {
        write("tpa.json", """
                {"name": "demo",
                 "clusters": }
                """);

        assertThatThrownBy(() -> SpecLoader.load(dir)).isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("tpa.json") + ":2:14: invalid JSON: Unexpected character ('}' (code 125)): "
                        + "expected a value; check the punctuation here and on the line before");
    }

    @Test
    void duplicateKey() throws IOException {
        assertProblem("""
                name: demo
                clusters: [{name: main, nodes: [{name: pg1}]}]
                name: demo2
                """, "tpa.yml:3:1: duplicate key 'name'; keep only one of them");
    }

    @Test
    void emptyFile() throws IOException {
        assertProblem("# nothing yet\n", "tpa.yml:1:1: the file is empty; describe the group in it, starting with "
                + "name: and clusters: (see docs/reference/config.md)");
    }

    @Test
    void topLevelThatIsNotAMapping() throws IOException {
        assertProblem("- name: demo\n", "tpa.yml:1:1: expected a mapping at the top level, found a list; "
                + "start the file with keys such as name: demo and clusters:");
    }

    @Test
    void reportsTheFirstProblemInTheFileAndCountsTheOthers() throws IOException {
        assertProblem("""
                name: demo
                platform: cloud
                clusters:
                  - name: Main
                    nodes: []
                """, "tpa.yml:2:1: platform: unknown value 'cloud'; allowed values: local, ssh (and 2 more problems)");
    }

    @Test
    void bothYamlAndJsonPresent() throws IOException {
        write("tpa.yml", "name: demo\n");
        write("tpa.json", "{}");

        assertThatThrownBy(() -> SpecLoader.load(dir)).isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("tpa.yml") + " and " + dir.resolve("tpa.json")
                        + " both describe the group; keep one and remove the rest");
    }

    @Test
    void noConfigFile() {
        assertThatThrownBy(() -> SpecLoader.load(dir)).isInstanceOf(UserError.class)
                .hasMessage(dir + ": no tpa.yml, tpa.yaml or tpa.json found; run `tpa init " + dir
                        + "` to create one");
    }

    @Test
    void missingDirectory() {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> SpecLoader.load(missing)).isInstanceOf(UserError.class)
                .hasMessage(missing + ": no such directory; check the path, or run `tpa init " + missing
                        + "` to create a group there");
    }

    @Test
    void fileNamesAreShownAsTheUserPassedThem() throws IOException {
        write("tpa.yml", "name: demo\n");
        Path relative = Path.of("").toAbsolutePath().relativize(dir);

        assertThatThrownBy(() -> SpecLoader.load(relative)).isInstanceOf(UserError.class)
                .hasMessageStartingWith(relative.resolve("tpa.yml") + ":1:1: ");
    }

    @Test
    void anS3RepositoryNeedsItsBucketEndpointAndRegion() throws IOException {
        assertProblem("""
                name: demo
                backup:
                  repository: {type: s3, endpoint: minio.example.com, region: us-east-1}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:3: backup.repository: an S3 repository needs the key 'bucket'; add it, for example bucket: sales-backups");
    }

    @Test
    void s3KeysOnALocalRepositoryAreRefused() throws IOException {
        assertProblem("""
                name: demo
                backup:
                  repository:
                    path: /srv/backup
                    bucket: sales-backups
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:5:5: backup.repository.bucket: bucket is a key of an S3 repository; remove it, or set type: s3");
    }

    @Test
    void anS3EndpointIsAHostNameAlone() throws IOException {
        assertProblem("""
                name: demo
                backup:
                  repository: {type: s3, bucket: b, endpoint: 'https://minio.example.com:9000', region: us-east-1}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:37: backup.repository.endpoint: 'https://minio.example.com:9000' is not a host name; write the store's host "
                + "name alone (no https://, no path; the port goes in port), for example endpoint: s3.eu-west-1.amazonaws.com");
    }

    @Test
    void anUnknownUriStyleListsTheTwo() throws IOException {
        assertProblem("""
                name: demo
                backup:
                  repository: {type: s3, bucket: b, endpoint: minio, region: us-east-1, uri_style: virtual}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:73: backup.repository.uri_style: unknown value 'virtual'; allowed values: host, path");
    }

    @Test
    void s3CredentialsAreNoKeysOfTheConfig() throws IOException {
        assertProblem("""
                name: demo
                backup:
                  repository: {type: s3, bucket: b, endpoint: minio, region: us-east-1, key_secret: hunter2}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:73: backup.repository: unknown key 'key_secret'; allowed here: type, path, host, ssh, bucket, endpoint, port, "
                + "region, uri_style, ca_file");
    }

    @Test
    void aBackupServersHostBelongsToTypeServer() throws IOException {
        assertProblem("""
                name: demo
                backup:
                  repository: {host: 10.0.0.20}
                clusters: [{name: main, nodes: [{name: pg1}]}]
                """, "tpa.yml:3:16: backup.repository.host: host is a key of a backup server repository; remove it, or set type: server");
    }

    @Test
    void closestAcceptsTwoEditsOrAPrefix() {
        List<String> keys = List.of("name", "location", "nodes");

        assertThat(SpecLoader.closest("nodez", keys)).contains("nodes");
        assertThat(SpecLoader.closest("loc", keys)).contains("location");
        assertThat(SpecLoader.closest("zzzzz", keys)).isEmpty();
        assertThat(SpecLoader.editDistance("kitten", "sitting")).isEqualTo(3);
    }

    private void assertProblem(String yaml, String expectedMessage) throws IOException {
        write("tpa.yml", yaml);

        assertThatThrownBy(() -> SpecLoader.load(dir))
                .isInstanceOfSatisfying(UserError.class, error -> {
                    assertThat(error.exitCode()).isEqualTo(UserError.BAD_INPUT);
                    assertThat(error.getMessage()).isEqualTo(dir + "/" + expectedMessage).doesNotContain("\n");
                });
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }
}
