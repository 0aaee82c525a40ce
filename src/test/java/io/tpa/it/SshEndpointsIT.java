package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.model.DeployedNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Endpoints on three Debian 13 servers over SSH (PostgreSQL 17, Patroni 4, pgbouncer 1.24, HAProxy 3.0): installed
 * from the catalog, the routes to the primary and the replicas, pgbouncer's lookup, a reload that keeps a connection.
 */
class SshEndpointsIT {
    @Test
    void endpointsRouteOnDebian13Servers() throws Exception {
        long started = System.nanoTime();
        try (TestHosts hosts = TestHosts.create(3, 13)) {
            StringBuilder yaml = new StringBuilder("name: sshendpoints\nplatform: ssh\nssh:\n  identity_file: " + hosts.identityFile()
                    + "\nendpoints:\n  pool_size: %d\nclusters:\n  - name: main\n    nodes:\n");
            for (int i = 1; i <= 3; i++) {
                yaml.append("      - name: pg").append(i).append("\n        host: ").append(hosts.host(i).address()).append('\n');
            }
            try (TestGroup group = TestGroup.create(yaml.toString().formatted(5))) {
                Tpa.Result apply = group.tpa("apply", "--trust-new-hosts");
                assertThat(apply.exitCode()).as(apply.output()).isZero();
                assertThat(apply.stdout()).contains("start pgbouncer", "start HAProxy");
                String primary = EndpointsIT.primaryAddress(group);
                String superuser = group.superuserPassword();
                String app = Tpa.run("secrets", "show", group.path(), "app").stdout().strip();

                for (DeployedNode node : group.deployment().nodes()) {
                    assertThat(EndpointsIT.serverOf(group, node.address(), 5000, "postgres", "postgres", superuser)).isEqualTo("f|" + primary);
                }
                Set<String> readers = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    String answer = EndpointsIT.serverOf(group, primary, 5001, "postgres", "postgres", superuser);
                    assertThat(answer).startsWith("t|");
                    readers.add(answer);
                }
                assertThat(readers).hasSize(2);
                assertThat(EndpointsIT.serverOf(group, primary, 5003, "app", "app", app)).startsWith("t|");
                assertThatThrownBy(() -> EndpointsIT.serverOf(group, primary, 5002, "postgres", "postgres", superuser))
                        .isInstanceOf(SQLException.class);

                try (Connection pooled = EndpointsIT.connect(group, primary, 5002, "app", "app", app);
                     Statement statement = pooled.createStatement()) {
                    assertThat(EndpointsIT.rows(statement, "SELECT pg_is_in_recovery(), current_user")).containsExactly("f|app");
                    group.writeConfig(yaml.toString().formatted(6));
                    Tpa.Result reload = group.tpa("apply");
                    assertThat(reload.exitCode()).as(reload.output()).isZero();
                    assertThat(reload.stdout()).contains("update pgbouncer configuration and reload");
                    assertThat(EndpointsIT.rows(statement, "SELECT pg_is_in_recovery(), current_user")).containsExactly("f|app");
                }
                assertThat(group.tpa("plan").stdout()).contains("No changes");
                assertThat(group.status().path("endpoints").path("nodes")).allSatisfy(node -> assertThat(node.path("down")).isEmpty());
            }
        }
        System.out.printf("SshEndpointsIT: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
