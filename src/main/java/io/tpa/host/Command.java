package io.tpa.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command to run on a host.
 *
 * @param argv        program and arguments, never passed through a shell
 * @param user        the OS user to run as, or null for the user tpa runs as
 * @param environment extra environment variables (secrets go here, never into argv)
 * @param stdin       text for standard input, or null
 * @param timeout     how long it may run before it is killed
 */
public record Command(List<String> argv, String user, Map<String, String> environment, String stdin, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Command {
        argv = List.copyOf(argv);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), null, Map.of(), null, null);
    }

    public Command as(String newUser) {
        return new Command(argv, newUser, environment, stdin, timeout);
    }

    public Command withEnvironment(Map<String, String> newEnvironment) {
        return new Command(argv, user, newEnvironment, stdin, timeout);
    }

    public Command withStdin(String text) {
        return new Command(argv, user, environment, text, timeout);
    }

    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, user, environment, stdin, newTimeout);
    }

    /** The command line for messages: program and arguments, never the environment. */
    public String display() {
        return String.join(" ", argv);
    }
}
