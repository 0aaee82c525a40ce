package io.tpa.host;

import com.fasterxml.jackson.core.type.TypeReference;
import io.tpa.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The embedded default platform: every node is a host on this machine with a loopback address
 * of its own (127.20.x.y), so every node uses the standard ports exactly as on a real host.
 * Addresses are recorded in {@code TPA_HOME/addresses.json} so that two groups never collide.
 */
public final class LocalPlatform implements Platform {
    static final String ADDRESS_PREFIX = "127.20.";

    private final Path home;
    private final LocalHost host = new LocalHost();

    public LocalPlatform(Path home) {
        this.home = home;
    }

    /** {@code $TPA_HOME}, else /var/lib/tpa as root, else $XDG_DATA_HOME/tpa or ~/.local/share/tpa. */
    public static Path defaultHome() {
        String configured = System.getenv("TPA_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/tpa");
        }
        String data = System.getenv("XDG_DATA_HOME");
        Path base = data == null || data.isBlank() ? Path.of(System.getProperty("user.home"), ".local", "share") : Path.of(data);
        return base.resolve("tpa");
    }

    public Path home() {
        return home;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Map<String, String> assignAddresses(String groupKey, List<String> nodes, Map<String, String> current, boolean reserve) {
        return withRegistry(reserve, registry -> {
            Map<String, String> assigned = new LinkedHashMap<>();
            for (String node : nodes) {
                String owner = groupKey + "/" + node;
                String address = current.get(node);
                if (address == null) {
                    address = registry.entrySet().stream().filter(e -> e.getValue().equals(owner))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                }
                if (address == null) {
                    address = firstFree(registry, assigned);
                }
                registry.put(address, owner);
                assigned.put(node, address);
            }
            // Addresses of nodes that left the group go back to the pool.
            registry.entrySet().removeIf(e -> e.getValue().startsWith(groupKey + "/") && !assigned.containsValue(e.getKey()));
            return assigned;
        });
    }

    @Override
    public void releaseAddresses(String groupKey) {
        withRegistry(true, registry -> {
            registry.values().removeIf(owner -> owner.startsWith(groupKey + "/"));
            return null;
        });
    }

    private static String firstFree(Map<String, String> registry, Map<String, String> assigned) {
        for (int third = 0; third < 256; third++) {
            for (int fourth = 1; fourth < 255; fourth++) {
                String address = ADDRESS_PREFIX + third + "." + fourth;
                if (!registry.containsKey(address) && !assigned.containsValue(address) && free(address)) {
                    return address;
                }
            }
        }
        throw new HostException("no free loopback address left in " + ADDRESS_PREFIX + "0.0/16");
    }

    /**
     * True when nothing listens on the address's standard ports: another user's groups (with a
     * registry of their own) or any other program may hold an address this registry does not know.
     */
    private static boolean free(String address) {
        for (int port : new int[] {5432, 8008, 2379, 2380}) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(address, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private <T> T withRegistry(boolean write, java.util.function.Function<Map<String, String>, T> action) {
        Path file = home.resolve("addresses.json");
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve("addresses.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Map<String, String> registry = Files.exists(file)
                        ? new TreeMap<>(Json.JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }))
                        : new TreeMap<>();
                T result = action.apply(registry);
                if (write) {
                    host.writeFile(file.toString(), Json.write(registry), FileOwner.readable(null));
                }
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the address registry " + file, e);
        }
    }

    @Override
    public String baseDirectory(String groupKey) {
        return home.resolve("groups").resolve(groupKey).toString();
    }

    @Override
    public List<String> clientAddresses() {
        return List.of("127.0.0.1");
    }

    @Override
    public Host host(String address) {
        return host;
    }

    @Override
    public ServiceManager serviceManager(Host target, String groupKey) {
        return new SupervisorServiceManager(target, baseDirectory(groupKey) + "/supervisor", "tpa-" + groupKey);
    }
}
