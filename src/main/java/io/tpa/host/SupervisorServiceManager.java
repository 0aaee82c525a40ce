package io.tpa.host;

import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A group's own supervisord (from the OS package {@code supervisor}), with its socket,
 * configuration and logs under the group's base directory. One supervisord per group, so
 * destroying a group stops exactly its processes and nothing else.
 */
public final class SupervisorServiceManager implements ServiceManager {
    private final Host host;
    private final String directory;
    private final String identifier;

    /**
     * @param host       where supervisord runs
     * @param directory  its directory (configuration, socket, logs)
     * @param identifier names this supervisord in its own logs, e.g. {@code tpa-demo}
     */
    public SupervisorServiceManager(Host host, String directory, String identifier) {
        this.host = host;
        this.directory = directory;
        this.identifier = identifier;
    }

    private String configFile() {
        return directory + "/supervisord.conf";
    }

    private String programFile(String name) {
        return directory + "/programs/" + name + ".conf";
    }

    @Override
    public boolean isRunning() {
        // Without starting supervisorctl (a Python program, slow to start): the socket is there and the process alive.
        return host.run(Command.of("sh", "-c", "test -S \"$1/supervisor.sock\" && kill -0 \"$(cat \"$1/supervisord.pid\")\"",
                "tpa-supervisor", directory).withTimeout(Duration.ofSeconds(30))).ok();
    }

    @Override
    public void ensureRunning() {
        host.createDirectory(directory + "/programs", FileOwner.directory(null));
        String config = """
                ; Written by tpa. One supervisord per cluster group.
                [unix_http_server]
                file=%1$s/supervisor.sock
                chmod=0700

                [supervisord]
                identifier=%2$s
                logfile=%1$s/supervisord.log
                logfile_maxbytes=10MB
                logfile_backups=2
                pidfile=%1$s/supervisord.pid
                childlogdir=%1$s
                nodaemon=false
                silent=true

                [rpcinterface:supervisor]
                supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

                [supervisorctl]
                serverurl=unix://%1$s/supervisor.sock

                [include]
                files = %1$s/programs/*.conf
                """.formatted(directory, identifier);
        if (!host.readFile(configFile()).map(config::equals).orElse(false)) {
            host.writeFile(configFile(), config, FileOwner.privateTo(null));
        }
        if (!isRunning()) {
            host.check(Command.of("supervisord", "-c", configFile()).withTimeout(Duration.ofSeconds(30)));
            Wait.until("for supervisord to start (see " + directory + "/supervisord.log)", Duration.ofSeconds(10), this::isRunning);
        }
    }

    @Override
    public boolean isDefinedAs(ServiceDefinition definition) {
        return host.readFile(programFile(definition.name())).map(render(definition)::equals).orElse(false);
    }

    @Override
    public void apply(List<ServiceDefinition> definitions) {
        List<String> names = new ArrayList<>();
        for (ServiceDefinition definition : definitions) {
            if (!isDefinedAs(definition)) {
                host.writeFile(programFile(definition.name()), render(definition), FileOwner.privateTo(null));
            }
            names.add(definition.name());
        }
        if (names.isEmpty()) {
            return;
        }
        // `update` re-reads the configuration itself, then adds, changes or removes what it names.
        List<String> update = new ArrayList<>(List.of("update"));
        update.addAll(names);
        checkControl(update.toArray(String[]::new));
        Map<String, ServiceState> states = states();
        for (String name : names) {
            ServiceState state = states.get(name);
            if (state == null || !state.running()) {
                checkControl("start", name);
            }
        }
    }

    @Override
    public Map<String, ServiceState> states() {
        Map<String, ServiceState> states = new LinkedHashMap<>();
        if (!host.exists(directory + "/supervisor.sock")) {
            return states;
        }
        // supervisorctl status exits 3 when a service is not running: the output is still complete.
        for (String line : control("status").stdout().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2 || line.contains("refused connection") || line.startsWith("unix://")) {
                continue;
            }
            ServiceState.Status status = switch (fields[1]) {
                case "RUNNING" -> ServiceState.Status.RUNNING;
                case "STARTING", "BACKOFF" -> ServiceState.Status.STARTING;
                case "STOPPED", "STOPPING", "EXITED" -> ServiceState.Status.STOPPED;
                case "FATAL" -> ServiceState.Status.FAILED;
                default -> ServiceState.Status.UNKNOWN;
            };
            long pid = 0;
            int at = line.indexOf("pid ");
            if (at >= 0) {
                pid = Long.parseLong(line.substring(at + 4, line.indexOf(',', at)));
            }
            states.put(fields[0], new ServiceState(fields[0], status, pid));
        }
        return states;
    }

    @Override
    public void stop(String name) {
        control("stop", name);
    }

    @Override
    public void kill(String name) {
        // The signal goes to the program's process only; supervisord starts it again (autorestart).
        checkControl("signal", "KILL", name);
    }

    @Override
    public void signal(String name, String signal) {
        checkControl("signal", signal, name);
    }

    @Override
    public void start(String name) {
        checkControl("start", name);
    }

    @Override
    public void remove(String name) {
        control("stop", name);
        host.remove(programFile(name));
        control("reread");
        control("remove", name);
    }

    @Override
    public void shutdown() {
        if (!isRunning()) {
            return;
        }
        control("stop", "all");
        control("shutdown");
        Wait.until("for supervisord to shut down (see " + directory + "/supervisord.log)", Duration.ofSeconds(150),
                () -> !host.exists(directory + "/supervisord.pid"));
    }

    private String render(ServiceDefinition definition) {
        String environment = definition.environment().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(","));
        return """
                ; Written by tpa.
                [program:%s]
                command=%s
                user=%s
                directory=%s
                environment=%s
                priority=%d
                autostart=true
                autorestart=true
                startsecs=1
                startretries=100
                stopsignal=TERM
                stopwaitsecs=120
                killasgroup=true
                redirect_stderr=true
                stdout_logfile=%s
                stdout_logfile_maxbytes=20MB
                stdout_logfile_backups=3
                """.formatted(definition.name(), String.join(" ", definition.command()), definition.user(),
                definition.directory(), environment, definition.order(), definition.logFile());
    }

    private CommandResult control(String... arguments) {
        List<String> argv = new ArrayList<>(List.of("supervisorctl", "-c", configFile()));
        argv.addAll(List.of(arguments));
        return host.run(new Command(argv, null, Map.of(), null, Duration.ofMinutes(3)));
    }

    private void checkControl(String... arguments) {
        CommandResult result = control(arguments);
        if (!result.ok() || result.stdout().contains("ERROR")) {
            throw new HostException("supervisorctl " + String.join(" ", arguments) + " failed: "
                    + result.lastErrorLine() + " (see " + directory + ")");
        }
    }
}
