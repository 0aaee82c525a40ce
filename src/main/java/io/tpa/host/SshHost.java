package io.tpa.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * A server tpa reaches over SSH (Apache MINA SSHD), logging in with a key.
 *
 * <p><b>Connection.</b> One SSH connection per host, opened on first use and shared by every
 * caller: per-node steps run in parallel as separate channels over it. OpenSSH allows 10 channels
 * per connection by default (MaxSessions), so at most {@value #MAX_CHANNELS} run at once and the
 * others wait. A lost connection is opened again by the next call. Keep-alives every 15 s notice a
 * dead peer.
 *
 * <p><b>Host keys.</b> The server's key must be in the group's known_hosts file. An unknown key is
 * refused unless trust on first use was allowed, which appends it; a key that differs from the
 * recorded one is always refused.
 *
 * <p><b>Environment.</b> Variables never go on a command line, where {@code ps} would show them to
 * every user of the server, nor through the SSH {@code env} request, which OpenSSH refuses unless
 * AcceptEnv names each variable and which {@code sudo} would drop anyway. They go through standard
 * input instead: the command runs under a small {@code sh -c} wrapper (after {@code sudo}, so
 * nothing strips them) that reads one {@code NAME=base64(value)} line per variable up to an empty
 * line, exports them with shell builtins, and execs the command, which then reads the rest of
 * standard input as its own.
 *
 * <p><b>Privileges.</b> A command without a user runs as root when tpa can be root there: directly
 * when the login user is root, else through {@code sudo -n} (passwordless sudo; {@link #isRoot()}
 * reports whether it works). A command for another user runs through {@code runuser -u USER} when
 * logged in as root (sudo need not be installed) and {@code sudo -n -u USER} otherwise.
 */
public final class SshHost implements Host, AutoCloseable {
    static final int MAX_CHANNELS = 8;
    private static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(15);
    private static final int KEEP_ALIVE_MISSED_MAX = 4;
    /** How long past a command's own timeout tpa waits for the remote {@code timeout} to end it. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(15);
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(1);
    private static final int MISSING_FILE = 100;
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Appending to one known_hosts file from several hosts connecting in parallel. */
    private static final Object KNOWN_HOSTS_LOCK = new Object();

    private static final String ENVIRONMENT_WRAPPER = String.join("\n",
            "while IFS= read -r tpa_line && [ -n \"$tpa_line\" ]; do",
            "  tpa_value=$(printf %s \"${tpa_line#*=}\" | base64 -d && echo x) || exit 125",
            "  export \"${tpa_line%%=*}=${tpa_value%x}\"",
            "done",
            "unset tpa_line tpa_value",
            "exec \"$@\"");

    private static final String WRITE_FILE = String.join("\n",
            "set -e",
            "directory=$(dirname -- \"$1\")",
            "mkdir -p -- \"$directory\"",
            "temporary=$(mktemp \"$directory/.$(basename -- \"$1\").XXXXXX\")",
            "trap 'rm -f -- \"$temporary\"' EXIT",
            "cat > \"$temporary\"",
            "chmod \"$2\" -- \"$temporary\"",
            "if [ -n \"$3\" ]; then chown -- \"$3:\" \"$temporary\"; fi",
            "mv -f -- \"$temporary\" \"$1\"",
            "trap - EXIT");

    private static final String READ_FILE = "[ -e \"$1\" ] || exit " + MISSING_FILE + "\nexec cat -- \"$1\"";

    private static final String CREATE_DIRECTORY = String.join("\n",
            "set -e",
            "mkdir -p -- \"$1\"",
            "chmod \"$2\" -- \"$1\"",
            "if [ -n \"$3\" ]; then chown -- \"$3:\" \"$1\"; fi");

    private final String address;
    private final SshLogin login;
    private final Path knownHosts;
    private final boolean trustOnFirstUse;
    private final Semaphore channels = new Semaphore(MAX_CHANNELS, true);
    private final AtomicInteger connections = new AtomicInteger();
    private final Object connectLock = new Object();
    private SshClient client;
    private volatile ClientSession session;
    private volatile boolean closed;
    private volatile String hostKeyProblem;
    private volatile Boolean root;

    /**
     * @param address         the host's address or name, as nodes name it
     * @param login           user, port and identity file
     * @param knownHosts      the group's known_hosts file
     * @param trustOnFirstUse accept a host whose key is not yet known, and record its key
     */
    public SshHost(String address, SshLogin login, Path knownHosts, boolean trustOnFirstUse) {
        this.address = address;
        this.login = login;
        this.knownHosts = knownHosts;
        this.trustOnFirstUse = trustOnFirstUse;
    }

    @Override
    public String name() {
        return address;
    }

    @Override
    public boolean isRoot() {
        Boolean known = root;
        if (known == null) {
            known = login.isRootLogin() || execute("sudo -n true", new byte[0], Duration.ofSeconds(30), "sudo -n true").ok();
            root = known;
        }
        return known;
    }

    @Override
    public String serviceUser() {
        return isRoot() ? "postgres" : login.user();
    }

    /** Opens the connection now, so an unreachable host fails early; later calls reuse it. */
    public void connect() {
        session();
    }

    /** The address this host sees tpa connect from (the local end of the connection). */
    public String localAddress() {
        SocketAddress local = session().getIoSession().getLocalAddress();
        if (local instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        throw new HostException(address + ": cannot tell the local address of the connection: " + local);
    }

    @Override
    public CommandResult run(Command command) {
        List<String> words = new ArrayList<>();
        List<String> escalation = escalation(command);
        long seconds = Math.max(1, (command.timeout().toMillis() + 999) / 1000);
        words.addAll(List.of("timeout", "--kill-after=5", Long.toString(seconds)));
        words.addAll(escalation);
        StringBuilder input = new StringBuilder();
        if (!command.environment().isEmpty()) {
            words.addAll(List.of("sh", "-c", ENVIRONMENT_WRAPPER, "tpa-environment"));
            command.environment().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(variable -> {
                if (!VARIABLE_NAME.matcher(variable.getKey()).matches()) {
                    throw new HostException(address + ": `" + command.display() + "`: invalid environment variable name "
                            + variable.getKey());
                }
                input.append(variable.getKey()).append('=')
                        .append(Base64.getEncoder().encodeToString(variable.getValue().getBytes(StandardCharsets.UTF_8)))
                        .append('\n');
            });
            input.append('\n');
        }
        words.addAll(command.argv());
        if (command.stdin() != null) {
            input.append(command.stdin());
        }
        String commandLine = words.stream().map(SshHost::quote).collect(Collectors.joining(" "));
        long started = System.nanoTime();
        CommandResult result = execute(commandLine, input.toString().getBytes(StandardCharsets.UTF_8),
                command.timeout().plus(KILL_GRACE), command.display());
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if ((result.exitCode() == 124 || result.exitCode() == 137) && elapsed.compareTo(command.timeout()) >= 0) {
            throw new HostException(address + ": `" + command.display() + "` did not finish within "
                    + command.timeout().toSeconds() + " s");
        }
        return result;
    }

    /** The words that make a command run as the user it asks for. */
    private List<String> escalation(Command command) {
        String user = command.user();
        if (user == null || user.equals(login.user())) {
            // Root when tpa can be root here, like the local platform run as root.
            return user == null && !login.isRootLogin() && isRoot() ? List.of("sudo", "-n", "--") : List.of();
        }
        if (login.isRootLogin()) {
            return List.of("runuser", "-u", user, "--");
        }
        if (!isRoot()) {
            throw new HostException(address + ": cannot run `" + command.display() + "` as " + user + ": "
                    + login.user() + " has no passwordless sudo there");
        }
        return List.of("sudo", "-n", "-u", user, "--");
    }

    /** Runs a command line with the login user's shell; never throws for a non-zero exit code. */
    private CommandResult execute(String commandLine, byte[] input, Duration timeout, String display) {
        ClientSession current = session();
        try {
            channels.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(address + ": interrupted before running `" + display + "`", e);
        }
        try (ChannelExec channel = current.createExecChannel(commandLine)) {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            channel.setOut(stdout);
            channel.setErr(stderr);
            channel.open().verify(login.connectTimeout());
            try (OutputStream stdin = channel.getInvertedIn()) {
                stdin.write(input);
                stdin.flush();
            } catch (IOException e) {
                // The command ended without reading all of its input; its exit status tells.
            }
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new HostException(address + ": `" + display + "` did not finish within " + timeout.toSeconds() + " s");
            }
            Integer status = channel.getExitStatus();
            String errors = stderr.toString(StandardCharsets.UTF_8);
            if (status == null) {
                if (!current.isOpen()) {
                    throw new HostException(address + ": connection lost while running `" + display + "`");
                }
                String signal = channel.getExitSignal();
                return new CommandResult(signal == null ? 255 : 128 + signalNumber(signal),
                        stdout.toString(StandardCharsets.UTF_8),
                        errors + (signal == null ? "no exit status" : "killed by signal " + signal) + "\n");
            }
            return new CommandResult(status, stdout.toString(StandardCharsets.UTF_8), errors);
        } catch (IOException e) {
            throw new HostException(address + ": cannot run `" + display + "`: " + reason(e), e);
        } finally {
            channels.release();
        }
    }

    private static int signalNumber(String signal) {
        return switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "KILL" -> 9;
            case "TERM" -> 15;
            default -> 127;
        };
    }

    private ClientSession session() {
        ClientSession current = session;
        if (current != null && current.isOpen()) {
            return current;
        }
        synchronized (connectLock) {
            if (closed) {
                throw new HostException(address + ": the connection is closed");
            }
            current = session;
            if (current != null && current.isOpen()) {
                return current;
            }
            if (current != null) {
                current.close(true);
            }
            session = open();
            return session;
        }
    }

    private ClientSession open() {
        if (!Files.isReadable(login.identityFile())) {
            throw new HostException(address + ": cannot connect: identity file " + login.identityFile() + " cannot be read");
        }
        if (client == null) {
            SshClient created = SshClient.setUpDefaultClient();
            created.setServerKeyVerifier(this::verifyServerKey);
            created.setKeyIdentityProvider(new FileKeyPairProvider(login.identityFile()));
            created.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            CoreModuleProperties.IO_CONNECT_TIMEOUT.set(created, login.connectTimeout());
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(created, KEEP_ALIVE_INTERVAL);
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(created, KEEP_ALIVE_MISSED_MAX);
            created.start();
            client = created;
        }
        hostKeyProblem = null;
        ClientSession opened;
        try {
            opened = client.connect(login.user(), address, login.port()).verify(login.connectTimeout()).getSession();
        } catch (IOException e) {
            throw new HostException(address + ": cannot connect: " + reason(e), e);
        }
        try {
            opened.auth().verify(login.connectTimeout());
        } catch (IOException e) {
            opened.close(true);
            if (hostKeyProblem != null) {
                throw new HostException(hostKeyProblem, e);
            }
            throw new HostException(address + ": cannot connect: authentication as " + login.user() + " with "
                    + login.identityFile() + " failed: " + reason(e), e);
        }
        connections.incrementAndGet();
        return opened;
    }

    /** How many SSH connections this host has opened (one, unless a connection was lost). */
    int connectionCount() {
        return connections.get();
    }

    private boolean verifyServerKey(ClientSession connecting, SocketAddress remote, PublicKey offered) {
        String offeredText = KeyUtils.getKeyType(offered) + " " + KeyUtils.getFingerPrint(offered);
        synchronized (KNOWN_HOSTS_LOCK) {
            List<String> recorded = new ArrayList<>();
            try {
                List<KnownHostEntry> entries = Files.exists(knownHosts) ? KnownHostEntry.readKnownHostEntries(knownHosts) : List.of();
                for (KnownHostEntry entry : entries) {
                    if (!entry.isHostMatch(address, login.port())) {
                        continue;
                    }
                    PublicKey key = entry.getKeyEntry().resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.IGNORING);
                    if (key == null) {
                        continue;
                    }
                    if ("revoked".equals(entry.getMarker())) {
                        if (KeyUtils.compareKeys(key, offered)) {
                            hostKeyProblem = address + ": host key " + offeredText + " is marked revoked in " + knownHosts;
                            return false;
                        }
                        continue;
                    }
                    if (entry.getMarker() != null) {
                        continue;
                    }
                    if (KeyUtils.compareKeys(key, offered)) {
                        return true;
                    }
                    recorded.add(KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key));
                }
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                hostKeyProblem = address + ": cannot check the host key against " + knownHosts + ": " + e.getMessage();
                return false;
            }
            if (!recorded.isEmpty()) {
                hostKeyProblem = address + ": HOST KEY CHANGED: the server offers " + offeredText + " but " + knownHosts
                        + " records " + String.join(", ", recorded) + " (someone may be intercepting the connection;"
                        + " if the server's key really changed, remove its old line from that file)";
                return false;
            }
            if (!trustOnFirstUse) {
                hostKeyProblem = address + ": unknown host key " + offeredText + " (not in " + knownHosts + "); check that"
                        + " fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then add the key to "
                        + knownHosts + " (ssh-keyscan -p " + login.port() + " " + address + "), or record it on first use with --trust-new-hosts";
                return false;
            }
            try {
                record(offered);
            } catch (IOException | RuntimeException e) {
                hostKeyProblem = address + ": cannot record the host key in " + knownHosts + ": " + e.getMessage();
                return false;
            }
            return true;
        }
    }

    private void record(PublicKey key) throws IOException {
        String pattern = login.port() == SshLogin.DEFAULT_PORT ? address : "[" + address + "]:" + login.port();
        if (knownHosts.getParent() != null) {
            Files.createDirectories(knownHosts.getParent());
        }
        String separator = "";
        if (Files.exists(knownHosts)) {
            String existing = Files.readString(knownHosts);
            separator = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
        }
        Files.writeString(knownHosts, separator + pattern + " " + PublicKeyEntry.toString(key) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void writeFile(String path, String content, FileOwner owner) {
        requireAbsolute(path);
        CommandResult result = shell(WRITE_FILE, content, path, mode(owner), ownerUser(owner));
        if (!result.ok()) {
            throw new HostException(address + ": cannot write " + path + ": " + result.lastErrorLine());
        }
    }

    @Override
    public Optional<String> readFile(String path) {
        requireAbsolute(path);
        CommandResult result = shell(READ_FILE, null, path);
        if (result.exitCode() == MISSING_FILE) {
            return Optional.empty();
        }
        if (!result.ok()) {
            throw new HostException(address + ": cannot read " + path + ": " + result.lastErrorLine());
        }
        return Optional.of(result.stdout());
    }

    @Override
    public boolean exists(String path) {
        requireAbsolute(path);
        CommandResult result = run(new Command(List.of("test", "-e", path), null, Map.of(), null, FILE_TIMEOUT));
        if (result.exitCode() > 1) {
            throw new HostException(address + ": cannot check whether " + path + " exists: " + result.lastErrorLine());
        }
        return result.ok();
    }

    @Override
    public void createDirectory(String path, FileOwner owner) {
        requireAbsolute(path);
        CommandResult result = shell(CREATE_DIRECTORY, null, path, mode(owner), ownerUser(owner));
        if (!result.ok()) {
            throw new HostException(address + ": cannot create directory " + path + ": " + result.lastErrorLine());
        }
    }

    @Override
    public void remove(String path) {
        requireAbsolute(path);
        if (Path.of(path).normalize().getParent() == null) {
            throw new HostException(address + ": refusing to remove " + path);
        }
        CommandResult result = run(new Command(List.of("rm", "-rf", "--", path), null, Map.of(), null, FILE_TIMEOUT));
        if (!result.ok()) {
            throw new HostException(address + ": cannot remove " + path + ": " + result.lastErrorLine());
        }
    }

    private CommandResult shell(String script, String stdin, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "tpa"));
        argv.addAll(List.of(arguments));
        return run(new Command(argv, null, Map.of(), stdin, FILE_TIMEOUT));
    }

    private String ownerUser(FileOwner owner) {
        return owner.user() != null && isRoot() ? owner.user() : "";
    }

    /** "rw-r-----" as "0640". */
    static String mode(FileOwner owner) {
        int bits = 0;
        for (PosixFilePermission permission : PosixFilePermissions.fromString(owner.permissions())) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return String.format("%04o", bits);
    }

    private void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new HostException(address + ": not an absolute path: " + path);
        }
    }

    /** A word for a POSIX shell: single-quoted, with single quotes spelled out. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    private String reason(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        if (message.startsWith("Failed to get operation result within specified timeout")) {
            return "no answer within " + login.connectTimeout().toSeconds() + " s";
        }
        return message;
    }

    @Override
    public void close() {
        synchronized (connectLock) {
            closed = true;
            if (session != null) {
                session.close(false);
                session = null;
            }
            if (client != null) {
                client.stop();
                client = null;
            }
        }
    }

    @Override
    public String toString() {
        return login.user() + "@" + address + ":" + login.port();
    }
}
