package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a node forked from another group (tpa fork) bootstraps: from its staged data, promoted, trusting only the socket. */
class PatroniForkBootstrapTest {
    private static final Map<String, String> PASSWORDS = Map.of(Roles.SUPERUSER, "s", Roles.REPLICATION, "r", Roles.REWIND, "w",
            SecretNames.PATRONI_API, "a");
    private static final String BASE = "/var/lib/tpa/groups/copy-abc123";

    private static JsonNode rendered(boolean fromStagedData) throws Exception {
        DeployedNode node = new DeployedNode("pg3", "main", "127.20.0.3", new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
        Deployment deployment = new Deployment(Deployment.FORMAT_VERSION, "copy", "copy-abc123", "local", BASE,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, null, List.of(new DeployedCluster("main", "dc1", true, "main", "pg3", Map.of(), List.of(node))));
        return Json.YAML.readTree(Patroni.config(deployment, node, PASSWORDS, List.of("127.0.0.1"), Catalog.load(), fromStagedData));
    }

    @Test
    void aForkedNodeMovesItsStagedDataIntoPlaceAndEndsRecoveryOnANewTimeline() throws Exception {
        JsonNode bootstrap = rendered(true).path("bootstrap");
        assertThat(bootstrap.path("method").asText()).isEqualTo("fork");
        JsonNode fork = bootstrap.path("fork");
        assertThat(fork.path("command").asText()).isEqualTo("/bin/mv -T '" + BASE + "/nodes/pg3/forked-pgdata' '" + BASE + "/nodes/pg3/pgdata'");
        assertThat(fork.path("no_params").asBoolean()).isTrue();
        // Archive recovery with nothing to restore: replay pg_wal, then promote on a new timeline (no standby.signal).
        assertThat(fork.path("recovery_conf").path("restore_command").asText()).isEqualTo("/bin/false");
        assertThat(fork.has("keep_existing_recovery_conf")).isFalse();
        assertThat(bootstrap.path("dcs").path("ttl").asInt()).isEqualTo(15);
    }

    @Test
    void whileItBootstrapsPatroniConnectsThroughTheSocketSoTheTemporaryTrustCoversNoAddress() throws Exception {
        JsonNode postgresql = rendered(true).path("postgresql");
        assertThat(postgresql.path("use_unix_socket").asBoolean()).isTrue();
        assertThat(postgresql.path("use_unix_socket_repl").asBoolean()).isTrue();
        assertThat(postgresql.path("parameters").path("unix_socket_directories").asText()).isEqualTo(BASE + "/nodes/pg3/run");
        // The group's own pg_hba is unchanged: Patroni puts it back once it has set the passwords.
        assertThat(postgresql.path("pg_hba")).isEqualTo(rendered(false).path("postgresql").path("pg_hba"));
    }

    @Test
    void everyOtherNodeBootstrapsWithInitdbAndConnectsAsBefore() throws Exception {
        JsonNode config = rendered(false);
        assertThat(config.path("bootstrap").has("method")).isFalse();
        assertThat(config.path("bootstrap").has("fork")).isFalse();
        assertThat(config.path("bootstrap").path("initdb").toString()).contains("data-checksums");
        assertThat(config.path("postgresql").has("use_unix_socket")).isFalse();
        assertThat(config.path("postgresql").has("use_unix_socket_repl")).isFalse();
    }
}
