package io.tpa.workspace;

import io.tpa.error.UserError;
import io.tpa.model.Deployment;
import io.tpa.model.Json;
import io.tpa.model.LoadedSpec;
import io.tpa.model.Roles;
import io.tpa.model.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A group's directory: its config ({@code tpa.yml} or {@code tpa.json}), the deployment record
 * ({@code deployment.json}), its secrets ({@code secrets.json}, 0600, never committed) and its
 * git history.
 */
public final class GroupDirectory {
    public static final String RECORD = "deployment.json";
    public static final String SECRETS = "secrets.json";
    public static final String STATE = ".tpa";
    public static final String GITIGNORE = """
            # Written by tpa: secrets and local state never go into the history.
            secrets.json
            .tpa/
            """;

    private final Path path;

    public GroupDirectory(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    public LoadedSpec load() {
        return SpecLoader.load(path);
    }

    public Optional<Deployment> deployment() {
        Path file = path.resolve(RECORD);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.JSON.readValue(file.toFile(), Deployment.class));
        } catch (IOException e) {
            throw new UserError(file + ": the deployment record cannot be read (" + e.getMessage().lines().findFirst().orElse("")
                    + "); restore it with `git -C " + path + " checkout " + RECORD + "`");
        }
    }

    /** The deployment record as it is on disk, or empty. */
    public String deploymentText() {
        try {
            Path file = path.resolve(RECORD);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeDeployment(Deployment deployment) {
        writeAtomically(path.resolve(RECORD), Json.write(deployment), "rw-r--r--");
    }

    /** Removes the record (after destroy): the config stays, ready for a new apply. */
    public void removeDeployment() {
        try {
            Files.deleteIfExists(path.resolve(RECORD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key a group gets at its first apply: its name and a digest of the directory's path. */
    public String newKey(String groupName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.toString().getBytes(StandardCharsets.UTF_8));
            return groupName + "-" + HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasSecrets() {
        return Files.exists(path.resolve(SECRETS));
    }

    /** The group's passwords by role; generated (not saved) when the group has none yet. */
    public Map<String, String> secrets() {
        Path file = path.resolve(SECRETS);
        if (!Files.exists(file)) {
            Map<String, String> generated = new LinkedHashMap<>();
            for (String role : Roles.ALL) {
                generated.put(role, generatePassword());
            }
            return generated;
        }
        try {
            Map<String, String> stored = new LinkedHashMap<>();
            Json.JSON.readTree(file.toFile()).fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().asText()));
            return stored;
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the secrets file (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    public void saveSecrets(Map<String, String> secrets) {
        writeAtomically(path.resolve(SECRETS), Json.write(secrets), "rw-------");
    }

    public void ensureGitignore() {
        Path file = path.resolve(".gitignore");
        try {
            if (!Files.exists(file) || !Files.readString(file).contains(SECRETS)) {
                writeAtomically(file, GITIGNORE, "rw-r--r--");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes the group's lock: one tpa command that changes the group at a time. */
    public GroupLock lock(String command) {
        return GroupLock.acquire(path.resolve(STATE).resolve("lock"), path, command);
    }

    private static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    static void writeAtomically(Path target, String content, String permissions) {
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            Files.writeString(temporary, content);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
