package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.model.Roles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The roles a new group gets, as an application team and an operator live with them: the application
 * role owns its database and nothing else, the monitoring role sees statistics and no data, the
 * replication and rewind roles can do only their job, passwords are read with `tpa secrets show`
 * and appear nowhere else, and drift is put back by the next apply.
 */
class RolesIT {
    private static final String ATTRIBUTES = """
            SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls, r.rolcanlogin,
                   coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m
                             JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid), '')
              FROM pg_roles r WHERE r.rolname IN ('postgres', 'replicator', 'rewinder', 'tpa_monitor', 'app') ORDER BY r.rolname""";

    @Test
    void everyRoleCanDoWhatItIsForAndNothingMore() throws Exception {
        try (TestGroup group = TestGroup.create(TestGroup.config("roles", 1, ""))) {
            Tpa.Result apply = group.apply();
            assertThat(apply.stdout()).contains("create role tpa_monitor", "create role app", "create database app owned by app");

            Map<String, String> passwords = new LinkedHashMap<>();
            for (String role : Roles.ALL) {
                Tpa.Result show = Tpa.run("secrets", "show", group.path(), role);
                assertThat(show.exitCode()).as(show.output()).isZero();
                assertThat(show.stderr()).isEmpty();
                assertThat(show.stdout()).as("only the password, on one line").matches("[A-Za-z0-9]{32}\n");
                passwords.put(role, show.stdout().strip());
            }
            assertThat(new TreeSet<>(passwords.values())).as("a password of its own for every role").hasSize(Roles.ALL.size());

            try (Connection superuser = group.connect("pg1"); Statement statement = superuser.createStatement()) {
                assertThat(rows(statement, ATTRIBUTES)).containsExactly(
                        "app|f|f|f|f|f|t|",
                        "postgres|t|t|t|t|t|t|",
                        "replicator|f|f|f|t|f|t|",
                        "rewinder|f|f|f|f|f|t|",
                        "tpa_monitor|f|f|f|f|f|t|pg_monitor");
                assertThat(rows(statement, """
                        SELECT p.oid::regprocedure FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
                          JOIN pg_roles g ON g.oid = a.grantee WHERE g.rolname = 'rewinder' ORDER BY 1""").stream().sorted().toList())
                        .as("the rewind role may run what pg_rewind needs, and nothing else")
                        .containsExactlyElementsOf(Roles.REWIND_FUNCTIONS.stream().sorted().toList());
                assertThat(rows(statement, "SELECT pg_get_userbyid(datdba), datacl::text FROM pg_database WHERE datname = 'app'"))
                        .singleElement().asString().startsWith("app|").doesNotContain(",=").doesNotContain("{=");
            }

            // The application: logs in to its database with its password and creates what it needs there.
            try (Connection app = connect(group, "app", "app", passwords.get("app")); Statement statement = app.createStatement()) {
                statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY, item text)");
                statement.execute("INSERT INTO orders VALUES (1, 'tea')");
                assertThat(rows(statement, "SELECT current_user, item FROM orders")).containsExactly("app|tea");
                assertThatThrownBy(() -> statement.execute("CREATE ROLE intruder")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
                assertThatThrownBy(() -> statement.execute("CREATE DATABASE another")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            // ... and nowhere else.
            try (Connection app = connect(group, "postgres", "app", passwords.get("app")); Statement statement = app.createStatement()) {
                assertThatThrownBy(() -> statement.execute("CREATE TABLE public.intruder (id int)"))
                        .as("app may not create in database postgres").isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            assertThatThrownBy(() -> connect(group, "app", "app", passwords.get("app") + "x").close())
                    .as("a wrong password is refused").isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));

            // Monitoring: statistics of every database, none of the data.
            try (Connection monitor = connect(group, "app", "tpa_monitor", passwords.get("tpa_monitor"));
                 Statement statement = monitor.createStatement()) {
                assertThat(rows(statement, "SELECT pg_has_role('pg_read_all_stats', 'USAGE'), count(*) > 0 FROM pg_stat_user_tables"))
                        .containsExactly("t|t");
                assertThatThrownBy(() -> statement.execute("SELECT * FROM orders")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
            // Nobody else may connect to the application's database.
            assertThatThrownBy(() -> connect(group, "app", "rewinder", passwords.get("rewinder")).close()).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));

            Tpa.Result unknown = Tpa.run("secrets", "show", group.path(), "nobody");
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.stdout()).isEmpty();
            assertThat(unknown.stderr().strip()).doesNotContain("\n").contains("nobody").contains(String.join(", ", Roles.ALL));

            byte[] encrypted = Files.readAllBytes(group.directory.resolve("secrets.enc"));
            String raw = new String(encrypted, StandardCharsets.ISO_8859_1);
            String history = group.everythingEverCommitted();
            String logs = logsOf(group);
            for (Map.Entry<String, String> password : passwords.entrySet()) {
                assertThat(raw).as("secrets.enc holds no password in clear").doesNotContain(password.getValue());
                assertThat(history).as("the history holds no password").doesNotContain(password.getValue());
                assertThat(apply.output()).doesNotContain(password.getValue());
                if (!Roles.PATRONI.contains(password.getKey())) {
                    assertThat(logs).as("the server never sees the password of " + password.getKey()).doesNotContain(password.getValue());
                }
            }
            assertThat(group.directory.resolve("secrets.json")).doesNotExist();
            assertThat(group.tpa("plan").exitCode()).as("a second apply has nothing to do for the roles").isZero();

            // Drift: someone widened the roles and changed the application's password by hand; apply puts it all back.
            try (Connection superuser = group.connect("pg1"); Statement statement = superuser.createStatement()) {
                statement.execute("ALTER ROLE replicator SUPERUSER");
                statement.execute("GRANT pg_read_all_data TO tpa_monitor");
                statement.execute("ALTER ROLE app CREATEDB PASSWORD 'changed-by-hand'");
            }
            Tpa.Result plan = group.tpa("plan");
            assertThat(plan.exitCode()).as(plan.output()).isEqualTo(2);
            assertThat(plan.stdout()).contains("set the attributes of role replicator", "revoke pg_read_all_data from tpa_monitor",
                    "set the attributes of role app", "set the password of role app").doesNotContain("changed-by-hand");
            group.apply();
            try (Connection superuser = group.connect("pg1"); Statement statement = superuser.createStatement()) {
                assertThat(rows(statement, ATTRIBUTES)).contains("app|f|f|f|f|f|t|", "replicator|f|f|f|t|f|t|", "tpa_monitor|f|f|f|f|f|t|pg_monitor");
            }
            try (Connection app = connect(group, "app", "app", passwords.get("app")); Statement statement = app.createStatement()) {
                assertThat(rows(statement, "SELECT count(*) FROM orders")).containsExactly("1");
            }
            assertThat(group.tpa("plan").exitCode()).isZero();
        }
    }

    private static Connection connect(TestGroup group, String database, String user, String password) throws SQLException {
        String url = "jdbc:postgresql://" + group.node("pg1").address() + ":5432/" + database + "?connectTimeout=5";
        Path ca = group.directory.resolve("tls/ca.crt");
        if (Files.exists(ca)) {
            url += "&sslmode=verify-full&sslrootcert=" + ca;
        }
        return DriverManager.getConnection(url, user, password);
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> fields = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = result.getObject(i);
                    fields.add(value instanceof Boolean b ? (b ? "t" : "f") : value == null ? "" : value.toString());
                }
                rows.add(String.join("|", fields));
            }
        }
        return rows;
    }

    /** Every log the group's services wrote. */
    private static String logsOf(TestGroup group) {
        Path nodes = Path.of(group.deployment().baseDirectory(), "nodes");
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(nodes)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().contains("/log/")).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
