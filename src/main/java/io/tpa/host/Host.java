package io.tpa.host;

import java.util.Optional;

/**
 * A machine tpa manages: it runs commands and reads and writes files. The local platform has one
 * host (this machine) for every node; the ssh platform has one per server.
 */
public interface Host {
    /** A name for messages. */
    String name();

    /** True when tpa acts as root on this host (so it can install packages and run services as other users). */
    boolean isRoot();

    /** The OS user that runs services on this host: {@code postgres} when root, else the login user. */
    String serviceUser();

    /** Runs a command to its end; never throws for a non-zero exit code. */
    CommandResult run(Command command);

    /** Runs a command and throws a {@link HostException} naming it when it fails. */
    default CommandResult check(Command command) {
        CommandResult result = run(command);
        if (!result.ok()) {
            throw new HostException(name() + ": `" + command.display() + "` failed (exit " + result.exitCode() + "): "
                    + result.lastErrorLine());
        }
        return result;
    }

    /** Writes a file atomically (temporary file and rename) with the given owner and permissions. */
    void writeFile(String path, String content, FileOwner owner);

    Optional<String> readFile(String path);

    boolean exists(String path);

    /** Creates a directory and its parents; the last one gets the owner and permissions. */
    void createDirectory(String path, FileOwner owner);

    /** Removes a file or a directory tree; nothing when it does not exist. */
    void remove(String path);
}
