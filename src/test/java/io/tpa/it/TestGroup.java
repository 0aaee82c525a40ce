package io.tpa.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * A real group in a temporary directory, driven through bin/tpa. {@link #close} destroys it,
 * and if tpa's destroy fails, kills whatever still runs from its base directory.
 */
final class TestGroup implements AutoCloseable {
    final Path directory;

    private TestGroup(Path directory) {
        this.directory = directory;
    }

    static TestGroup create(String config) {
        try {
            Path directory = Files.createTempDirectory("tpa-it-");
            Files.writeString(directory.resolve("tpa.yml"), config);
            return new TestGroup(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A group in a directory something else creates (tpa ui's form); close destroys it all the same. */
    static TestGroup at(Path directory) {
        return new TestGroup(directory);
    }

    static String config(String name, int nodes, String extra) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\n" + extra + "clusters:\n  - name: main\n    nodes:\n");
        for (int i = 1; i <= nodes; i++) {
            yaml.append("      - name: pg").append(i).append('\n');
        }
        return yaml.toString();
    }

    String path() {
        return directory.toString();
    }

    Tpa.Result tpa(String command, String... more) {
        String[] arguments = new String[more.length + 2];
        arguments[0] = command;
        arguments[1] = path();
        System.arraycopy(more, 0, arguments, 2, more.length);
        return Tpa.run(arguments);
    }

    /** A subcommand on this group: {@code tpa COMMAND SUBCOMMAND DIR MORE...}. */
    Tpa.Result tpa2(String command, String subcommand, String... more) {
        String[] arguments = new String[more.length + 3];
        arguments[0] = command;
        arguments[1] = subcommand;
        arguments[2] = path();
        System.arraycopy(more, 0, arguments, 3, more.length);
        return Tpa.run(arguments);
    }

    Tpa.Result apply() {
        Tpa.Result result = tpa("apply");
        assertThat(result.exitCode()).as("tpa apply output:\n%s", result.output()).isZero();
        return result;
    }

    void writeConfig(String config) {
        try {
            Files.writeString(directory.resolve("tpa.yml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Deployment deployment() {
        try {
            return io.tpa.model.DeploymentRecord.read(Json.JSON.readTree(directory.resolve("deployment.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DeployedNode node(String name) {
        return deployment().node(name).orElseThrow();
    }

    /** Null when every replica streams from a running primary, else what is wrong (read from Patroni over TLS). */
    String whyNotHealthy() {
        return io.tpa.operation.GroupAccess.open(directory).health().whyNotHealthy();
    }

    /** The superuser's password, as a user reads it: `tpa secrets show DIR postgres` (the secrets are encrypted). */
    String superuserPassword() {
        Tpa.Result result = Tpa.run("secrets", "show", path(), "postgres");
        assertThat(result.exitCode()).as("tpa secrets show output:\n%s", result.stderr()).isZero();
        return result.stdout().strip();
    }

    Connection connect(String node) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + node(node).address() + ":5432/postgres?connectTimeout=5"
                + "&sslmode=verify-full&sslrootcert=" + directory.resolve("tls/ca.crt"), "postgres", superuserPassword());
    }

    /** Runs SQL on a node as the superuser, over TLS. */
    void execute(String node, String sql) throws SQLException {
        try (Connection connection = connect(node); java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of a query's rows, as integers, read on a node. */
    List<Integer> integers(String node, String query) throws SQLException {
        List<Integer> values = new java.util.ArrayList<>();
        try (Connection connection = connect(node); java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getInt(1));
            }
        }
        return values;
    }

    JsonNode status() {
        Tpa.Result result = tpa("status", "--json");
        try {
            return Json.JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new AssertionError("status --json is not JSON: " + result.output(), e);
        }
    }

    /** The commit messages of the group's history, newest first. */
    List<String> history() {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(directory.toFile())) {
            List<String> messages = new java.util.ArrayList<>();
            git.log().call().forEach(commit -> messages.add(commit.getFullMessage()));
            return messages;
        } catch (IOException | org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new AssertionError("cannot read the history of " + directory, e);
        }
    }

    /** The text of every file of every commit in the group's history. */
    String everythingEverCommitted() {
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(directory.toFile())) {
            StringBuilder text = new StringBuilder();
            for (org.eclipse.jgit.revwalk.RevCommit commit : git.log().call()) {
                try (org.eclipse.jgit.treewalk.TreeWalk walk = new org.eclipse.jgit.treewalk.TreeWalk(git.getRepository())) {
                    walk.addTree(commit.getTree());
                    walk.setRecursive(true);
                    while (walk.next()) {
                        text.append(new String(git.getRepository().open(walk.getObjectId(0)).getBytes(),
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            return text.toString();
        } catch (IOException | org.eclipse.jgit.api.errors.GitAPIException e) {
            throw new AssertionError("cannot read the history of " + directory, e);
        }
    }

    @Override
    public void close() {
        if (!Files.exists(directory.resolve("deployment.json"))) {
            return;
        }
        String base = deployment().baseDirectory();
        Tpa.Result result = tpa("destroy", "--yes", "--delete-backups");
        if (result.exitCode() != 0) {
            Tpa.exec(List.of("pkill", "-KILL", "-f", "--", base + "/"), 30);
            throw new AssertionError("destroy failed (processes killed by hand):\n" + result.output());
        }
    }
}
