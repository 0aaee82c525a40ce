package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link SystemdServiceManager} against a fake host that keeps files in memory and plays a small
 * systemd. There is no integration test: the machines that build tpa do not run systemd as PID 1.
 */
class SystemdServiceManagerTest {
    private static final String KEY = "demo-a1b2c3";
    private static final String ETCD_UNIT = "tpa-demo-a1b2c3-etcd-n1.service";
    private static final String PATRONI_UNIT = "tpa-demo-a1b2c3-patroni-n1.service";

    private final FakeHost host = new FakeHost();
    private final SystemdServiceManager manager = new SystemdServiceManager(host, KEY);

    private static ServiceDefinition etcd() {
        return new ServiceDefinition("etcd-n1", List.of("/usr/bin/etcd", "--config-file", "/srv/tpa/etcd.yml"), "postgres",
                Map.of("ETCD_NAME", "n1"), "/srv/tpa", "/srv/tpa/etcd.log", 1);
    }

    private static ServiceDefinition patroni(String password) {
        return new ServiceDefinition("patroni-n1", List.of("/usr/bin/patroni", "/srv/tpa/my dir/patroni.yml", "--label=50%", "$HOME"),
                "postgres", Map.of("PATRONI_SUPERUSER_PASSWORD", password), "/srv/tpa", "/srv/tpa/patroni.log", 2);
    }

    @Test
    void rendersTheUnitWithQuotedArgumentsAndKeepsSecretsInAPrivateEnvironmentFile() {
        manager.apply(List.of(patroni("s3cr\"et$x`y\\z")));

        String unit = host.files.get("/etc/systemd/system/" + PATRONI_UNIT);
        assertThat(unit)
                .contains("User=postgres\n")
                .contains("ExecStart=\"/usr/bin/patroni\" \"/srv/tpa/my dir/patroni.yml\" \"--label=50%%\" \"$$HOME\"\n")
                .contains("EnvironmentFile=/etc/tpa/demo-a1b2c3/patroni-n1.env\n")
                .contains("StandardOutput=append:/srv/tpa/patroni.log\n")
                .contains("WantedBy=multi-user.target tpa-demo-a1b2c3.target\n")
                .doesNotContain("s3cr")
                .doesNotContain("PATRONI_SUPERUSER_PASSWORD");
        assertThat(host.owners.get("/etc/systemd/system/" + PATRONI_UNIT)).isEqualTo(new FileOwner("root", "rw-r--r--"));

        String environmentFile = "/etc/tpa/demo-a1b2c3/patroni-n1.env";
        assertThat(host.files.get(environmentFile)).contains("PATRONI_SUPERUSER_PASSWORD=\"s3cr\\\"et\\$x\\`y\\\\z\"\n");
        assertThat(host.owners.get(environmentFile)).isEqualTo(new FileOwner("root", "rw-------"));
        assertThat(host.files).containsKey("/etc/systemd/system/tpa-demo-a1b2c3.target");
    }

    @Test
    void applyWritesTheFilesThenReloadsOnceEnablesAndStartsByOrder() {
        manager.apply(List.of(patroni("secret"), etcd()));

        assertThat(host.writes).hasSize(5);
        assertThat(host.systemctlCalls()).containsExactly(
                "enable --no-reload " + ETCD_UNIT + " " + PATRONI_UNIT,
                "daemon-reload",
                "show -p Id -p LoadState -p ActiveState -p MainPID " + ETCD_UNIT + " " + PATRONI_UNIT,
                "start " + ETCD_UNIT,
                "start " + PATRONI_UNIT);
        assertThat(manager.isDefinedAs(etcd())).isTrue();
        assertThat(manager.isDefinedAs(patroni("other"))).isFalse();
    }

    @Test
    void applyingTheSameDefinitionsAgainWritesNothingAndReloadsNothing() {
        manager.apply(List.of(etcd(), patroni("secret")));
        host.forget();

        manager.apply(List.of(etcd(), patroni("secret")));

        assertThat(host.writes).isEmpty();
        assertThat(host.systemctlCalls()).noneMatch(call -> call.startsWith("daemon-reload") || call.startsWith("start")
                || call.startsWith("restart"));
    }

    @Test
    void aChangedDefinitionRestartsItsRunningServiceOnly() {
        manager.apply(List.of(etcd(), patroni("secret")));
        host.forget();

        manager.apply(List.of(etcd(), patroni("new secret")));

        assertThat(host.writes).containsExactly("/etc/tpa/demo-a1b2c3/patroni-n1.env");
        assertThat(host.systemctlCalls()).containsSubsequence("daemon-reload", "restart " + PATRONI_UNIT)
                .filteredOn(call -> call.contains("start"))
                .containsExactly("restart " + PATRONI_UNIT);
    }

    @Test
    void aSignalGoesToTheMainProcessOnlyAndRestartsNothing() {
        manager.apply(List.of(etcd()));
        host.forget();

        manager.signal("etcd-n1", "USR2");

        assertThat(host.systemctlCalls()).containsExactly("kill --kill-who=main --signal=USR2 " + ETCD_UNIT);
        assertThat(host.writes).isEmpty();
    }

    @Test
    void readsTheStatesOfTheGroupsUnitsFromSystemctlShow() {
        host.files.put("/etc/tpa/demo-a1b2c3/etcd-n1.env", "");
        host.files.put("/etc/tpa/demo-a1b2c3/patroni-n1.env", "");
        host.files.put("/etc/tpa/demo-a1b2c3/left-over.env", "");
        host.showOutput = """
                MainPID=4242
                Id=tpa-demo-a1b2c3-etcd-n1.service
                LoadState=loaded
                ActiveState=active

                MainPID=0
                Id=tpa-demo-a1b2c3-left-over.service
                LoadState=not-found
                ActiveState=inactive

                MainPID=0
                Id=tpa-demo-a1b2c3-patroni-n1.service
                LoadState=loaded
                ActiveState=failed
                """;

        assertThat(manager.states()).containsExactly(
                Map.entry("etcd-n1", new ServiceState("etcd-n1", ServiceState.Status.RUNNING, 4242)),
                Map.entry("patroni-n1", new ServiceState("patroni-n1", ServiceState.Status.FAILED, 0)));
        assertThat(host.systemctlCalls()).containsExactly("show -p Id -p LoadState -p ActiveState -p MainPID "
                + ETCD_UNIT + " tpa-demo-a1b2c3-left-over.service " + PATRONI_UNIT);
    }

    @Test
    void systemdRunsWhereItsRuntimeDirectoryExists() {
        assertThat(SystemdServiceManager.runsOn(host)).isFalse();
        host.directories.add("/run/systemd/system");
        assertThat(SystemdServiceManager.runsOn(host)).isTrue();
    }

    @Test
    void anUnreachableSystemdIsReportedWithTheHost() {
        host.systemState = "offline";
        assertThat(manager.isRunning()).isFalse();
        assertThatThrownBy(manager::ensureRunning).isInstanceOf(HostException.class).hasMessageContaining("db1: systemd is not reachable");
    }

    /** Files in memory, and a systemd that knows which units run. */
    private static final class FakeHost implements Host {
        final Map<String, String> files = new HashMap<>();
        final Map<String, FileOwner> owners = new HashMap<>();
        final Set<String> directories = new HashSet<>();
        final List<String> writes = new ArrayList<>();
        final List<Command> commands = new ArrayList<>();
        final Set<String> active = new HashSet<>();
        String systemState = "degraded";
        String showOutput;

        void forget() {
            writes.clear();
            commands.clear();
        }

        List<String> systemctlCalls() {
            return commands.stream().filter(c -> c.argv().get(0).equals("systemctl"))
                    .map(c -> String.join(" ", c.argv().subList(1, c.argv().size()))).toList();
        }

        @Override
        public String name() {
            return "db1";
        }

        @Override
        public boolean isRoot() {
            return true;
        }

        @Override
        public String serviceUser() {
            return "postgres";
        }

        @Override
        public CommandResult run(Command command) {
            commands.add(command);
            List<String> argv = command.argv();
            if (argv.get(0).equals("find")) {
                return ok(files.keySet().stream().filter(path -> path.startsWith(argv.get(1) + "/") && path.endsWith(".env"))
                        .map(path -> path + "\n").collect(Collectors.joining()));
            }
            List<String> units = argv.subList(2, argv.size()).stream().filter(a -> a.endsWith(".service")).toList();
            return switch (argv.get(1)) {
                case "is-system-running" -> new CommandResult(systemState.equals("running") ? 0 : 1, systemState + "\n", "");
                case "show" -> ok(showOutput != null ? showOutput : units.stream()
                        .map(unit -> "MainPID=" + (active.contains(unit) ? 100 : 0) + "\nId=" + unit + "\nLoadState=loaded\nActiveState="
                                + (active.contains(unit) ? "active" : "inactive") + "\n")
                        .collect(Collectors.joining("\n")));
                case "start", "restart" -> {
                    active.addAll(units);
                    yield ok("");
                }
                case "stop" -> {
                    active.removeAll(units);
                    yield ok("");
                }
                default -> ok("");
            };
        }

        private static CommandResult ok(String stdout) {
            return new CommandResult(0, stdout, "");
        }

        @Override
        public void writeFile(String path, String content, FileOwner owner) {
            writes.add(path);
            files.put(path, content);
            owners.put(path, owner);
        }

        @Override
        public Optional<String> readFile(String path) {
            return Optional.ofNullable(files.get(path));
        }

        @Override
        public boolean exists(String path) {
            return directories.contains(path) || files.keySet().stream().anyMatch(file -> file.equals(path) || file.startsWith(path + "/"));
        }

        @Override
        public void createDirectory(String path, FileOwner owner) {
            directories.add(path);
        }

        @Override
        public void remove(String path) {
            files.remove(path);
        }
    }
}
