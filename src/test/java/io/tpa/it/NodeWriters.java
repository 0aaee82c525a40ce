package io.tpa.it;

import io.tpa.model.DeployedNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A writer on each node's own address, run from inside that node's server (its network namespace), so it keeps
 * writing to the node across a cut of the server's link: each loop commits one row to the node directly, with no
 * failover in the client, and reports the moment of every commit the node acknowledged. Two nodes acknowledging
 * commits in turns, or at once, is two writable primaries. Bounded: each loop ends by itself after
 * {@code maximumSeconds}, and {@link #close} ends it sooner.
 */
final class NodeWriters implements AutoCloseable {
    /** A commit a node acknowledged: when (milliseconds since the epoch, this machine's clock) and which node. */
    record Ack(long at, String node) {
    }

    private final List<Process> processes = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();

    NodeWriters(TestGroup group, TestHosts hosts, DeployedNode primary, String table, int maximumSeconds) throws Exception {
        String password = group.superuserPassword();
        String ca = group.directory.resolve("tls/ca.crt").toString();
        try (var connection = group.connect(primary.name()); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (node text, at timestamptz DEFAULT clock_timestamp())");
        }
        for (DeployedNode node : group.deployment().nodes()) {
            TestHosts.Host server = hosts.hosts().stream().filter(h -> h.address().equals(node.address())).findFirst().orElseThrow();
            String loop = "end=$(( $(date +%s) + " + maximumSeconds + " )); while [ $(date +%s) -lt $end ]; do "
                    + "if psql -XAtq -U postgres -d \"host=" + node.address() + " dbname=postgres sslmode=verify-full sslrootcert=" + ca
                    + "\" -c \"INSERT INTO " + table + " (node) VALUES ('" + node.name() + "')\" >/dev/null 2>&1; "
                    + "then echo \"$(date +%s%3N) ok\"; else sleep 0.05; fi; done";
            ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", server.name(), "env", "PGPASSWORD=" + password,
                    "PGCONNECT_TIMEOUT=2", "PGOPTIONS=-c statement_timeout=2000", "bash", "-c", loop).redirectErrorStream(true);
            Process process = builder.start();
            processes.add(process);
            Thread reader = new Thread(() -> read(process, node.name()), "node-writer-" + node.name());
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
    }

    private void read(Process process, String node) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.endsWith(" ok")) {
                    acks.add(new Ack(Long.parseLong(line.substring(0, line.indexOf(' '))), node));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the loop ended
        }
    }

    /** How many commits a node acknowledged so far. */
    long count(String node) {
        return acks.stream().filter(ack -> ack.node().equals(node)).count();
    }

    /**
     * The nodes that acknowledged commits, in the order their turns came, each run of one node's commits once: one
     * writable primary at a time gives at most {@code [old, new]} for one failover.
     */
    List<String> turns() {
        List<String> turns = new ArrayList<>();
        acks.stream().sorted(Comparator.comparingLong(Ack::at)).forEach(ack -> {
            if (turns.isEmpty() || !turns.get(turns.size() - 1).equals(ack.node())) {
                turns.add(ack.node());
            }
        });
        return turns;
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Thread reader : readers) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
