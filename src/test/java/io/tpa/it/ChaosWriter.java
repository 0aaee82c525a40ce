package io.tpa.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos suite's writer: like {@link Writer}, it commits numbered rows (into a table of its own) through a
 * multi-host URL to whichever node is primary, and keeps every commit the server acknowledged, with when and
 * which server acknowledged it ({@code inet_server_addr()}), so a failover can be timed to the first commit on
 * the new primary. It also keeps when its last attempt failed. Bounded: it stops by itself after
 * {@code maximumSeconds}.
 */
final class ChaosWriter implements AutoCloseable {
    /** An acknowledged commit: its id, when the acknowledgement arrived ({@link System#nanoTime}), and the server. */
    record Commit(long id, long at, String server) {
    }

    private final String url;
    private final String password;
    private final String table;
    private final List<Commit> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong lastFailure = new AtomicLong();
    private final List<Long> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    ChaosWriter(TestGroup group, String table, int maximumSeconds) throws SQLException {
        StringBuilder hosts = new StringBuilder();
        group.deployment().nodes().forEach(n -> hosts.append(hosts.isEmpty() ? "" : ",").append(n.address()).append(":5432"));
        this.url = "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&socketTimeout=5"
                + "&sslmode=verify-full&sslrootcert=" + group.directory.resolve("tls/ca.crt");
        this.password = group.superuserPassword();
        this.table = table;
        try (Connection connection = DriverManager.getConnection(url, "postgres", password); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
        }
        long deadline = System.nanoTime() + maximumSeconds * 1_000_000_000L;
        this.thread = new Thread(() -> write(deadline), "chaos-writer-" + table);
        thread.start();
    }

    private void write(long deadline) {
        long next = 1;
        Connection connection = null;
        while (!stop.get() && System.nanoTime() < deadline) {
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url, "postgres", password);
                }
                String server;
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + table + " (id) VALUES (?) RETURNING host(inet_server_addr())")) {
                    insert.setLong(1, next);
                    try (ResultSet row = insert.executeQuery()) {
                        row.next();
                        server = row.getString(1);
                    }
                }
                acknowledged.add(new Commit(next, System.nanoTime(), server));
                next++;
            } catch (SQLException e) {
                close(connection);
                connection = null;
                next++; // an unacknowledged id may or may not have committed: never reuse it
                long now = System.nanoTime();
                lastFailure.set(now);
                failures.add(now);
                pause();
            }
        }
        close(connection);
    }

    List<Commit> commits() {
        return List.copyOf(acknowledged);
    }

    int count() {
        return acknowledged.size();
    }

    /** When the last attempt failed ({@link System#nanoTime}), 0 if none did. */
    long lastFailure() {
        return lastFailure.get();
    }

    /** When the first attempt at or after {@code since} failed ({@link System#nanoTime}). */
    Optional<Long> firstFailureSince(long since) {
        return failures.stream().filter(at -> at >= since).findFirst();
    }

    /** The first commit acknowledged at or after {@code since}, by {@code server} (any server when null). */
    Optional<Commit> firstSince(long since, String server) {
        return acknowledged.stream().filter(c -> c.at() >= since && (server == null || c.server().equals(server))).findFirst();
    }

    /** The longest wait, in seconds, between {@code since} or an acknowledged commit and the next one after it. */
    double longestGapSince(long since) {
        double longest = 0;
        long previous = since;
        for (Commit commit : acknowledged) {
            if (commit.at() >= since) {
                longest = Math.max(longest, (commit.at() - previous) / 1e9);
                previous = commit.at();
            }
        }
        return longest;
    }

    /** The last commit acknowledged before {@code before}. */
    Optional<Commit> lastBefore(long before) {
        Commit last = null;
        for (Commit commit : acknowledged) {
            if (commit.at() < before) {
                last = commit;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The ids acknowledged so far that {@code connection}'s server does not have (the writer may keep writing). */
    List<Long> missingOn(Connection connection) throws SQLException {
        List<Commit> before = List.copyOf(acknowledged); // acknowledged before the query: its snapshot must hold them
        Set<Long> present = new HashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT id FROM " + table)) {
            while (rows.next()) {
                present.add(rows.getLong(1));
            }
        }
        return before.stream().map(Commit::id).filter(id -> !present.contains(id)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(15_000);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }
}
