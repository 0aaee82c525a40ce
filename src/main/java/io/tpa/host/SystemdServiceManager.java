package io.tpa.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A group's services as systemd units, on a host where systemd is PID 1 (see {@link #runsOn}).
 * Each service is the unit {@code /etc/systemd/system/tpa-<key>-<name>.service}, wanted by and part of
 * {@code tpa-<key>.target}, so an operator can stop or restart the whole group at once. A service's
 * environment may hold secrets, so it lives in {@code /etc/tpa/<key>/<name>.env} (root's, mode 0600),
 * never in the unit, which anyone may read; that directory also lists the group's services, with no
 * risk of taking another group's whose key starts with this one's.
 *
 * <p>Units carry no ordering between each other: {@link #apply} starts them by ascending
 * {@link ServiceDefinition#order()}, and at boot a service that comes up before the one it needs
 * (Patroni before etcd) retries, or dies and is restarted, until it is there. tpa must act as root.
 */
public final class SystemdServiceManager implements ServiceManager {
    private static final String UNIT_DIRECTORY = "/etc/systemd/system";
    /** Longer than a unit's TimeoutStopSec, so a slow stop is systemd's to end, not ours. */
    private static final Duration SYSTEMCTL_TIMEOUT = Duration.ofMinutes(3);

    private final Host host;
    private final String groupKey;

    /**
     * @param host     where the units run
     * @param groupKey names the group's units, target and environment directory
     */
    public SystemdServiceManager(Host host, String groupKey) {
        this.host = host;
        this.groupKey = groupKey;
    }

    /** True when systemd is PID 1 on the host, tested as {@code sd_booted()} does. */
    public static boolean runsOn(Host host) {
        return host.exists("/run/systemd/system");
    }

    private String unit(String name) {
        return "tpa-" + groupKey + "-" + name + ".service";
    }

    private String target() {
        return "tpa-" + groupKey + ".target";
    }

    private String targetFile() {
        return UNIT_DIRECTORY + "/" + target();
    }

    private String unitFile(String name) {
        return UNIT_DIRECTORY + "/" + unit(name);
    }

    private String environmentDirectory() {
        return "/etc/tpa/" + groupKey;
    }

    private String environmentFile(String name) {
        return environmentDirectory() + "/" + name + ".env";
    }

    @Override
    public boolean isRunning() {
        return reachable(systemctl(List.of("is-system-running")));
    }

    /** systemd cannot be started by tpa: this only checks that it answers. */
    @Override
    public void ensureRunning() {
        CommandResult result = systemctl(List.of("is-system-running"));
        if (!reachable(result)) {
            throw new HostException(host.name() + ": systemd is not reachable (`systemctl is-system-running` answered \""
                    + result.lastErrorLine() + "\") and tpa cannot start it");
        }
    }

    /** Any state but offline (no systemd to talk to) or unknown (it did not say) means it answers; degraded too. */
    private static boolean reachable(CommandResult result) {
        String state = result.stdout().strip();
        return !state.isEmpty() && !state.equals("offline") && !state.equals("unknown");
    }

    @Override
    public boolean isDefinedAs(ServiceDefinition definition) {
        return holds(environmentFile(definition.name()), renderEnvironment(definition))
                && holds(unitFile(definition.name()), renderUnit(definition));
    }

    @Override
    public void apply(List<ServiceDefinition> definitions) {
        if (definitions.isEmpty()) {
            return;
        }
        List<ServiceDefinition> ordered = definitions.stream().sorted(Comparator.comparingInt(ServiceDefinition::order)).toList();
        boolean targetChanged = writeIfChanged(targetFile(), renderTarget(), FileOwner.readable("root"));
        Set<String> changed = new HashSet<>();
        for (ServiceDefinition definition : ordered) {
            // The environment first: a unit on disk always has its environment file.
            boolean environmentChanged = writeIfChanged(environmentFile(definition.name()), renderEnvironment(definition),
                    FileOwner.privateTo("root"));
            if (writeIfChanged(unitFile(definition.name()), renderUnit(definition), FileOwner.readable("root")) || environmentChanged) {
                changed.add(definition.name());
            }
        }
        List<String> names = ordered.stream().map(ServiceDefinition::name).toList();
        // Without --no-reload every enable reloads systemd: the one reload below covers its links and the files.
        checkSystemctl(arguments(names, "enable", "--no-reload"));
        if (targetChanged || !changed.isEmpty()) {
            checkSystemctl(List.of("daemon-reload"));
        }
        Map<String, ServiceState> states = states(names);
        for (String name : names) {
            ServiceState state = states.get(name);
            boolean running = state != null && state.running();
            if (running && changed.contains(name)) {
                checkSystemctl(List.of("restart", unit(name)));
            } else if (!running) {
                checkSystemctl(List.of("start", unit(name)));
            }
        }
    }

    @Override
    public Map<String, ServiceState> states() {
        if (!host.exists(environmentDirectory())) {
            return new LinkedHashMap<>();
        }
        CommandResult listing = host.check(new Command(List.of("find", environmentDirectory(), "-maxdepth", "1", "-name", "*.env"),
                null, Map.of(), null, null));
        List<String> names = listing.stdout().lines()
                .map(path -> path.substring(path.lastIndexOf('/') + 1, path.length() - ".env".length()))
                .sorted()
                .toList();
        return states(names);
    }

    /** The state of these services, in one {@code systemctl show}; a service with no unit file is left out. */
    private Map<String, ServiceState> states(List<String> names) {
        Map<String, ServiceState> states = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return states;
        }
        String prefix = "tpa-" + groupKey + "-";
        CommandResult result = checkSystemctl(arguments(names, "show", "-p", "Id", "-p", "LoadState", "-p", "ActiveState", "-p", "MainPID"));
        // One block of Key=value lines per unit, blocks apart by a blank line, properties in systemd's order.
        for (String block : result.stdout().split("\n\\s*\n")) {
            Map<String, String> properties = new HashMap<>();
            block.lines().filter(line -> line.contains("="))
                    .forEach(line -> properties.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
            String id = properties.getOrDefault("Id", "");
            if (!id.startsWith(prefix) || !id.endsWith(".service") || "not-found".equals(properties.get("LoadState"))) {
                continue;
            }
            String name = id.substring(prefix.length(), id.length() - ".service".length());
            ServiceState.Status status = switch (properties.getOrDefault("ActiveState", "")) {
                case "active" -> ServiceState.Status.RUNNING;
                case "activating", "reloading" -> ServiceState.Status.STARTING;
                case "inactive", "deactivating" -> ServiceState.Status.STOPPED;
                case "failed" -> ServiceState.Status.FAILED;
                default -> ServiceState.Status.UNKNOWN;
            };
            states.put(name, new ServiceState(name, status, Long.parseLong(properties.getOrDefault("MainPID", "0"))));
        }
        return states;
    }

    /** SIGKILL to the main process only; Restart=always starts it again, and KillMode=process spares its children. */
    @Override
    public void kill(String name) {
        checkSystemctl(List.of("kill", "--kill-who=main", "--signal=KILL", unit(name)));
    }

    /** To the main process only (a master that passes it on, as HAProxy's does). */
    @Override
    public void signal(String name, String signal) {
        checkSystemctl(List.of("kill", "--kill-who=main", "--signal=" + signal, unit(name)));
    }

    @Override
    public void stop(String name) {
        systemctl(List.of("stop", unit(name)));
    }

    @Override
    public void start(String name) {
        checkSystemctl(List.of("start", unit(name)));
    }

    @Override
    public void remove(String name) {
        // Stop and disable fail when the service was never installed: there is nothing to stop then.
        systemctl(List.of("stop", unit(name)));
        systemctl(List.of("disable", "--no-reload", unit(name)));
        host.remove(unitFile(name));
        host.remove(environmentFile(name));
        checkSystemctl(List.of("daemon-reload"));
        // A unit that failed stays listed, file or not, until this.
        systemctl(List.of("reset-failed", unit(name)));
    }

    /**
     * Stops every service of the group, in one call (systemd stops them together), disables them so
     * that none comes back at boot, and removes their unit and environment files (which hold secrets).
     * systemd itself keeps running.
     */
    @Override
    public void shutdown() {
        if (!isRunning()) {
            return;
        }
        List<String> names = new ArrayList<>(states().keySet());
        if (!names.isEmpty()) {
            checkSystemctl(arguments(names, "stop"));
            checkSystemctl(arguments(names, "disable"));
            names.forEach(name -> host.remove(unitFile(name)));
        }
        host.remove(environmentDirectory());
        host.remove(targetFile());
        checkSystemctl(List.of("daemon-reload"));
        names.forEach(name -> systemctl(List.of("reset-failed", unit(name))));
    }

    private String renderTarget() {
        return """
                # Written by tpa. Every service of the group is part of this target: stopping it stops them.
                [Unit]
                Description=tpa group %s
                """.formatted(literal(groupKey));
    }

    private String renderUnit(ServiceDefinition definition) {
        String command = definition.command().stream().map(SystemdServiceManager::quoteArgument).collect(Collectors.joining(" "));
        // StartLimitIntervalSec=0: systemd never gives up restarting a service, as a supervisor would not.
        return """
                # Written by tpa. The environment is in %3$s.
                [Unit]
                Description=tpa group %1$s: %2$s
                Wants=network-online.target
                After=network-online.target
                PartOf=%4$s
                StartLimitIntervalSec=0

                [Service]
                Type=simple
                User=%5$s
                WorkingDirectory=%6$s
                EnvironmentFile=%3$s
                ExecStart=%7$s
                Restart=always
                RestartSec=1
                KillMode=process
                TimeoutStopSec=120
                StandardOutput=append:%8$s
                StandardError=inherit
                LimitNOFILE=65536

                [Install]
                WantedBy=multi-user.target %4$s
                """.formatted(literal(groupKey), literal(definition.name()), literal(environmentFile(definition.name())),
                literal(target()), literal(definition.user()), literal(definition.directory()), command,
                literal(definition.logFile()));
    }

    /**
     * {@code NAME="value"} lines as systemd reads an EnvironmentFile: within double quotes a backslash
     * escapes {@code \ " ` $}, and nothing is expanded.
     */
    private static String renderEnvironment(ServiceDefinition definition) {
        return "# Written by tpa.\n" + definition.environment().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("`", "\\`").replace("$", "\\$") + "\"\n")
                .collect(Collectors.joining());
    }

    /**
     * One word of ExecStart=: double-quoted with C escapes for backslash, quote and newline, and with
     * {@code %%} and {@code $$} so that systemd expands neither specifiers nor variables in it.
     */
    private static String quoteArgument(String argument) {
        return "\"" + literal(argument.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).replace("$", "$$") + "\"";
    }

    /** A value for a unit setting, where systemd would otherwise expand {@code %} specifiers. */
    private static String literal(String value) {
        return value.replace("%", "%%");
    }

    private boolean holds(String path, String content) {
        return host.readFile(path).map(content::equals).orElse(false);
    }

    /** Writes the file unless it already holds this content; true when it wrote. */
    private boolean writeIfChanged(String path, String content, FileOwner owner) {
        if (holds(path, content)) {
            return false;
        }
        host.writeFile(path, content, owner);
        return true;
    }

    /** The verb and options, then the unit of each named service. */
    private List<String> arguments(List<String> names, String... verbAndOptions) {
        List<String> arguments = new ArrayList<>(Arrays.asList(verbAndOptions));
        names.forEach(name -> arguments.add(unit(name)));
        return arguments;
    }

    private CommandResult systemctl(List<String> arguments) {
        return host.run(systemctlCommand(arguments));
    }

    /** Fails with the host, the command and systemctl's last error line. */
    private CommandResult checkSystemctl(List<String> arguments) {
        return host.check(systemctlCommand(arguments));
    }

    private static Command systemctlCommand(List<String> arguments) {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        argv.addAll(arguments);
        return new Command(argv, null, Map.of(), null, SYSTEMCTL_TIMEOUT);
    }
}
