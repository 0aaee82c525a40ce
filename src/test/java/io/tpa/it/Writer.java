package io.tpa.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client that commits numbered rows to whichever node is primary, reconnecting through a
 * multi-host URL when it loses its connection, and remembers every commit the server acknowledged
 * and when. Bounded: it stops by itself after {@code maximumSeconds}.
 */
final class Writer implements AutoCloseable {
    private final String url;
    private final String password;
    private final List<long[]> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Writer(TestGroup group, int maximumSeconds) throws SQLException {
        StringBuilder hosts = new StringBuilder();
        group.deployment().nodes().forEach(n -> hosts.append(hosts.isEmpty() ? "" : ",").append(n.address()).append(":5432"));
        this.url = "jdbc:postgresql://" + hosts + "/postgres?targetServerType=primary&connectTimeout=2&socketTimeout=5"
                + "&sslmode=verify-full&sslrootcert=" + group.directory.resolve("tls/ca.crt");
        this.password = group.superuserPassword();
        try (Connection connection = DriverManager.getConnection(url, "postgres", password); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS writes (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
        }
        long deadline = System.nanoTime() + maximumSeconds * 1_000_000_000L;
        this.thread = new Thread(() -> write(deadline), "writer");
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
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO writes (id) VALUES (?)")) {
                    insert.setLong(1, next);
                    insert.executeUpdate();
                }
                acknowledged.add(new long[] {next, System.nanoTime()});
                next++;
            } catch (SQLException e) {
                close(connection);
                connection = null;
                next++; // an unacknowledged id may or may not have committed: never reuse it
                pause();
            }
        }
        close(connection);
    }

    /** Ids the server acknowledged, in order. */
    List<Long> acknowledgedIds() {
        return acknowledged.stream().map(a -> a[0]).toList();
    }

    /** The longest time between two acknowledged commits while writing, in seconds. */
    double longestGapSeconds() {
        double longest = 0;
        for (int i = 1; i < acknowledged.size(); i++) {
            longest = Math.max(longest, (acknowledged.get(i)[1] - acknowledged.get(i - 1)[1]) / 1e9);
        }
        return longest;
    }

    int count() {
        return acknowledged.size();
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
