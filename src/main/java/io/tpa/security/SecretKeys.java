package io.tpa.security;

import io.tpa.error.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the key that encrypts every group's secrets comes from: the environment variable
 * {@value #ENVIRONMENT_VARIABLE} (the base64 of 32 bytes) when it is set, else the key file
 * {@code $XDG_CONFIG_HOME/tpa/secrets.key} ({@code ~/.config/tpa/secrets.key} without XDG_CONFIG_HOME),
 * which holds the same base64 text and is created, 0600 in a 0700 directory, with a random key the
 * first time a secret is written.
 */
public final class SecretKeys {
    public static final String ENVIRONMENT_VARIABLE = "TPA_SECRETS_KEY";
    static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String environmentValue;
    private final Path keyFile;

    /**
     * @param environmentValue the value of {@value #ENVIRONMENT_VARIABLE}, or null when it is not set
     * @param keyFile          the key file to use (and create) when the variable is not set
     */
    public SecretKeys(String environmentValue, Path keyFile) {
        this.environmentValue = environmentValue == null || environmentValue.isBlank() ? null : environmentValue.strip();
        this.keyFile = keyFile.toAbsolutePath().normalize();
    }

    /** The keys of the user tpa runs as: from the real environment and home directory. */
    public static SecretKeys forCurrentUser() {
        return of(System.getenv(), System.getProperty("user.home"));
    }

    /** The keys an environment points to: its variable, else the key file under its XDG_CONFIG_HOME or HOME. */
    public static SecretKeys of(Map<String, String> environment, String userHome) {
        return new SecretKeys(environment.get(ENVIRONMENT_VARIABLE), defaultKeyFile(environment, userHome));
    }

    static Path defaultKeyFile(Map<String, String> environment, String userHome) {
        String configHome = environment.get("XDG_CONFIG_HOME");
        // The XDG base directory spec ignores a relative XDG_CONFIG_HOME.
        if (configHome == null || configHome.isBlank() || !Path.of(configHome).isAbsolute()) {
            String home = environment.get("HOME");
            configHome = Path.of(home == null || home.isBlank() ? userHome : home, ".config").toString();
        }
        return Path.of(configHome, "tpa", "secrets.key");
    }

    public Path keyFile() {
        return keyFile;
    }

    /** Where the key comes from, for messages: the variable or the key file. */
    public String source() {
        return environmentValue != null ? "$" + ENVIRONMENT_VARIABLE : keyFile.toString();
    }

    /** The key to decrypt with, or empty when there is none yet (no variable, no key file). */
    public Optional<Key> existing() {
        if (environmentValue != null) {
            return Optional.of(new Key(decode(environmentValue, "$" + ENVIRONMENT_VARIABLE), "$" + ENVIRONMENT_VARIABLE));
        }
        return readKeyFile();
    }

    /** The key to encrypt with: the existing one, or a new random key written to the key file. */
    public Key obtain() {
        return existing().orElseGet(this::createKeyFile);
    }

    private Optional<Key> readKeyFile() {
        String text;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                throw new UserError(UserError.FAILED, keyFile + ": the secrets key is open to other users ("
                        + PosixFilePermissions.toString(permissions) + "); restrict it with `chmod 600 " + keyFile + "`");
            }
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, keyFile + ": cannot read the secrets key (" + e.getMessage() + ")");
        }
        return Optional.of(new Key(decode(text, keyFile.toString()), keyFile.toString()));
    }

    private Key createKeyFile() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path directory = keyFile.getParent();
        Path temporary = null;
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            temporary = Files.createTempFile(directory, ".secrets.key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(text));
                channel.force(true);
            }
            try {
                // A link, unlike a rename, never replaces a key that another tpa created meanwhile.
                Files.createLink(keyFile, temporary);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException | UnsupportedOperationException e) {
                Files.move(temporary, keyFile); // no hard links here: a plain move, which refuses an existing file too
            }
        } catch (FileAlreadyExistsException e) {
            return readKeyFile().orElseThrow(() -> new UserError(UserError.FAILED, keyFile + ": cannot read the secrets key"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new UserError(UserError.FAILED, keyFile + ": cannot create the secrets key (" + e.getMessage()
                    + "); set " + ENVIRONMENT_VARIABLE + " to the base64 of 32 random bytes instead");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // a stray temporary file holds a key nobody uses
                }
            }
        }
        return new Key(key, keyFile.toString());
    }

    private static byte[] decode(String text, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != KEY_BYTES) {
            throw new UserError(UserError.FAILED, source + " does not hold a secrets key: it must be the base64 of "
                    + KEY_BYTES + " bytes, as `head -c 32 /dev/urandom | base64` prints");
        }
        return key;
    }

    /** A 256-bit AES key and where it came from. */
    public static final class Key {
        private final SecretKey secret;
        private final String id;
        private final String source;

        Key(byte[] bytes, String source) {
            this.secret = new SecretKeySpec(bytes, "AES");
            this.source = source;
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update("tpa secrets key id\n".getBytes(StandardCharsets.US_ASCII));
                this.id = HexFormat.of().formatHex(digest.digest(bytes), 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        SecretKey secret() {
            return secret;
        }

        /** A fingerprint that tells keys apart without revealing them: 16 hex digits of a SHA-256 of the key. */
        public String id() {
            return id;
        }

        /** The variable or key file it came from. */
        public String source() {
            return source;
        }
    }
}
