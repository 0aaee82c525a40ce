package io.tpa.operation.resize;

import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.Host;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SizeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether the disk can take a resize to a larger size, checked before anything changes.
 * <p>
 * On real servers (the ssh platform) a size's disk is a promise about each server: the growth of every node on a
 * server must fit in the space free there. On the local platform every node shares this machine's one disk and a
 * size's disk is nominal (three medium nodes would need 300 GB that no node ever fills), so the check is the space
 * the data really needs: room for the group's data, as it is now on that filesystem, to double, and at least
 * {@value #MINIMUM_FREE_GB_PER_NODE} GB per node resized for the WAL a node may keep (max_wal_size is at least 1 GB).
 * The nominal figure is then said in a note.
 */
final class DiskCheck {
    /** On the local platform, the data must have room to grow to this many times its size. */
    static final int LOCAL_HEADROOM_FACTOR = 2;
    static final int MINIMUM_FREE_GB_PER_NODE = 1;
    private static final long GB = 1024L * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DiskCheck() {
    }

    /**
     * Checks the disk for resizing some nodes to a size.
     *
     * @param hosts the host of a node, by its address
     * @return a note to show (on the local platform), or empty when there is nothing to say
     * @throws UserError (exit 1) when the disk cannot take it, with the figures
     */
    static Optional<String> check(Deployment deployment, List<DeployedNode> nodes, String sizeName, SizeSpec wanted,
                                  Function<String, Host> hosts) {
        List<DeployedNode> growing = nodes.stream().filter(node -> growthGb(node, wanted) > 0).toList();
        if (growing.isEmpty()) {
            return Optional.empty();
        }
        return deployment.platform().equals("local")
                ? Optional.of(local(deployment, growing, sizeName, wanted, hosts.apply(growing.get(0).address())))
                : servers(deployment, growing, sizeName, wanted, hosts);
    }

    private static String local(Deployment deployment, List<DeployedNode> growing, String sizeName, SizeSpec wanted, Host host) {
        String base = deployment.baseDirectory();
        long used = usedBytes(host, base);
        long free = freeBytes(host, base);
        long needed = Math.max(used * (LOCAL_HEADROOM_FACTOR - 1), MINIMUM_FREE_GB_PER_NODE * GB * growing.size());
        String data = "the group's data uses " + gigabytes(used) + " under " + base;
        String rule = "room for it to double, and at least " + MINIMUM_FREE_GB_PER_NODE + " GB per node resized";
        if (needed > free) {
            throw new UserError(UserError.FAILED, "--size " + sizeName + ": on the local platform every node shares this machine's disk; "
                    + data + ", and a resize needs " + rule + ": " + gigabytes(needed) + ", but only " + gigabytes(free)
                    + " are free there; free space first");
        }
        int count = growing.size();
        return "on the local platform every node shares this machine's disk, so " + sizeName + "'s " + wanted.diskGb()
                + " GB of disk per node (" + (long) wanted.diskGb() * count + " GB for the " + count + " node" + (count == 1 ? "" : "s")
                + " resized) is nominal; checked instead that " + data + " and has " + rule + ": " + gigabytes(needed) + " needed, "
                + gigabytes(free) + " free";
    }

    /** On real servers: every server has the growth of its nodes free, or the resize is refused naming each one short of it. */
    private static Optional<String> servers(Deployment deployment, List<DeployedNode> growing, String sizeName, SizeSpec wanted,
                                            Function<String, Host> hosts) {
        Map<String, List<DeployedNode>> byAddress = new LinkedHashMap<>();
        growing.forEach(node -> byAddress.computeIfAbsent(node.address(), address -> new ArrayList<>()).add(node));
        List<String> problems = new ArrayList<>();
        byAddress.forEach((address, onHost) -> {
            long growth = onHost.stream().mapToLong(node -> growthGb(node, wanted)).sum() * GB;
            long free = freeBytes(hosts.apply(address), deployment.baseDirectory());
            if (growth > free) {
                problems.add(String.join(", ", onHost.stream().map(DeployedNode::name).toList()) + " on " + address + " needs "
                        + gigabytes(growth) + " more but " + gigabytes(free) + " are free under " + deployment.baseDirectory());
            }
        });
        if (!problems.isEmpty()) {
            throw new UserError(UserError.FAILED, "--size " + sizeName + " (" + wanted.diskGb() + " GB of disk per node) does not fit: "
                    + String.join("; ", problems) + "; grow the servers' disks first or choose a smaller size");
        }
        return Optional.empty();
    }

    private static long growthGb(DeployedNode node, SizeSpec wanted) {
        return Math.max(0, wanted.diskGb() - node.size().diskGb());
    }

    /** The bytes free to the tpa user on the filesystem that holds a path ({@code df -P -B1}). */
    static long freeBytes(Host host, String path) {
        CommandResult result = host.run(Command.of("df", "-P", "-B1", path).withTimeout(TIMEOUT));
        List<String> lines = result.stdout().strip().lines().toList();
        String[] fields = lines.isEmpty() ? new String[0] : lines.get(lines.size() - 1).trim().split("\\s+");
        if (!result.ok() || lines.size() < 2 || fields.length < 4 || !fields[3].matches("\\d+")) {
            throw new UserError(UserError.FAILED, host.name() + ": cannot check free disk space under " + path + ": `df -P -B1 " + path
                    + "` " + (result.ok() ? "printed no figure" : "failed: " + result.lastErrorLine()));
        }
        return Long.parseLong(fields[3]);
    }

    /**
     * The bytes the files under a path use on its filesystem ({@code du -s -x -B1}). A file that vanishes while du
     * walks (a WAL segment recycled) makes du exit 1 but still print the total, which is what counts.
     */
    static long usedBytes(Host host, String path) {
        CommandResult result = host.run(Command.of("du", "-s", "-x", "-B1", path).withTimeout(TIMEOUT));
        String[] fields = result.stdout().strip().split("\\s+");
        if (fields.length < 1 || !fields[0].matches("\\d+")) {
            throw new UserError(UserError.FAILED, host.name() + ": cannot measure the group's data under " + path + ": `du -s -x -B1 "
                    + path + "` " + (result.ok() ? "printed no figure" : "failed: " + result.lastErrorLine()));
        }
        return Long.parseLong(fields[0]);
    }

    /** Bytes for a message: {@code 0.3 GB}, {@code 78 GB}. */
    static String gigabytes(long bytes) {
        double value = (double) bytes / GB;
        return value < 10 ? String.format(Locale.ROOT, "%.1f GB", value) : Math.round(Math.floor(value)) + " GB";
    }
}
