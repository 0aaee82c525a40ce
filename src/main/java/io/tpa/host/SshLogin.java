package io.tpa.host;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How tpa logs in to a host over SSH.
 *
 * @param user           the login user; tpa escalates with {@code sudo -n} when it is not root
 * @param port           the SSH port
 * @param identityFile   the private key (ed25519, RSA or ECDSA, OpenSSH or PEM format, without passphrase)
 * @param connectTimeout how long connecting and authenticating may take before the host counts as unreachable
 */
public record SshLogin(String user, int port, Path identityFile, Duration connectTimeout) {
    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public SshLogin {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("an SSH login needs a user");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port " + port + " is not between 1 and 65535");
        }
        if (identityFile == null) {
            throw new IllegalArgumentException("an SSH login needs an identity file");
        }
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
    }

    public SshLogin(String user, int port, Path identityFile) {
        this(user, port, identityFile, DEFAULT_CONNECT_TIMEOUT);
    }

    /** True when tpa logs in as root (then it needs no sudo). */
    public boolean isRootLogin() {
        return "root".equals(user);
    }
}
