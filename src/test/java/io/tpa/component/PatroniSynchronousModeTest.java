package io.tpa.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.Catalog;
import io.tpa.model.Defaults;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.DeploymentRecord;
import io.tpa.model.GroupSpec;
import io.tpa.model.Json;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.model.SizeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code synchronous: true} becomes Patroni's synchronous_mode in the bootstrap configuration; the default is off. */
class PatroniSynchronousModeTest {
    private static final Map<String, String> PASSWORDS = Map.of(Roles.SUPERUSER, "s", Roles.REPLICATION, "r", Roles.REWIND, "w",
            SecretNames.PATRONI_API, "a");

    private static Deployment deployment(boolean synchronous) {
        DeployedNode pg1 = new DeployedNode("pg1", "main", "127.20.0.1", new SizeSpec("small", 1, 2.0, 20), true, Map.of(), true, null);
        DeployedCluster main = new DeployedCluster("main", "main", true, "main", "pg1", Map.of(), List.of(pg1));
        return new Deployment(Deployment.FORMAT_VERSION, "sales", "sales-abc123", "local", "/var/lib/tpa/groups/sales-abc123",
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, synchronous),
                null, null, List.of(main));
    }

    private static JsonNode bootstrapDcs(boolean synchronous) throws Exception {
        Deployment deployment = deployment(synchronous);
        String yaml = Patroni.config(deployment, deployment.node("pg1").orElseThrow(), PASSWORDS, List.of("127.0.0.1"), Catalog.load());
        return Json.YAML.readTree(yaml).path("bootstrap").path("dcs");
    }

    @Test
    void synchronousModeFollowsTheConfig() throws Exception {
        assertThat(bootstrapDcs(true).path("synchronous_mode").asBoolean()).isTrue();
        assertThat(bootstrapDcs(false).path("synchronous_mode").asBoolean(true)).isFalse();
    }

    @Test
    void asynchronousByDefaultAndInOlderRecords() throws Exception {
        GroupSpec resolved = Defaults.resolve(new GroupSpec("demo", null, null, null, List.of()), Catalog.load());
        assertThat(resolved.synchronous()).isFalse();
        Deployment old = DeploymentRecord.read(Json.JSON.readTree("""
                {"format_version": 1, "group": "sales", "key": "sales-abc123", "platform": "local", "base_directory": "/b",
                 "postgres_version": 15, "extensions": [], "clusters": []}"""));
        assertThat(old.synchronous()).isFalse();
    }
}
