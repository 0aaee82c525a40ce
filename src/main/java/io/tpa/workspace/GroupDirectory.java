package io.tpa.workspace;

import io.tpa.error.UserError;
import io.tpa.model.Catalog;
import io.tpa.model.Deployment;
import io.tpa.model.DeploymentRecord;
import io.tpa.model.DesiredState;
import io.tpa.model.Json;
import io.tpa.model.LoadedSpec;
import io.tpa.model.Roles;
import io.tpa.model.SecretNames;
import io.tpa.security.CertificateAuthority;
import io.tpa.security.SecretKeys;
import io.tpa.security.SecretStore;
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
 * ({@code deployment.json}), its secrets ({@code secrets.enc}: encrypted, 0600, never committed, see
 * {@link SecretStore}) and its git history.
 */
public final class GroupDirectory {
    public static final String RECORD = "deployment.json";
    public static final String SECRETS = "secrets.enc";
    /** Where tpa kept the secrets in clear before they were encrypted; the next save moves them into {@link #SECRETS}. */
    public static final String CLEAR_SECRETS = "secrets.json";
    public static final String STATE = ".tpa";
    public static final String CA_CERTIFICATE = "tls/ca.crt";
    public static final String GITIGNORE = """
            # Written by tpa: secrets and local state never go into the history.
            secrets.enc
            secrets.json
            .tpa/
            reports/
            monitoring/*.password
            """;
    /** Where `tpa report` writes its reports: generated from the logs, they may quote statements, so never committed. */
    public static final String REPORTS = "reports";

    private final Path path;
    private final SecretStore secretStore;

    public GroupDirectory(Path path) {
        this(path, SecretKeys.forCurrentUser());
    }

    /** A group directory whose secrets are encrypted with these keys (tests pass their own). */
    public GroupDirectory(Path path, SecretKeys keys) {
        this.path = path.toAbsolutePath().normalize();
        this.secretStore = new SecretStore(this.path.resolve(SECRETS), keys);
    }

    public Path path() {
        return path;
    }

    public LoadedSpec load() {
        return SpecLoader.load(path);
    }

    /** The group's desired state: its config, with defaults, against the catalog and the last deployment record. */
    public DesiredState desired() {
        return DesiredState.of(load(), Catalog.load(), deployment());
    }

    public Optional<Deployment> deployment() {
        Path file = path.resolve(RECORD);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeploymentRecord.read(Json.JSON.readTree(file.toFile())));
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

    /** True when the group's encrypted secrets file exists. */
    public boolean hasSecrets() {
        return secretStore.exists();
    }

    /** True when the group still has its secrets in clear, in {@link #CLEAR_SECRETS} (the next save encrypts them). */
    public boolean hasClearSecrets() {
        return Files.exists(path.resolve(CLEAR_SECRETS));
    }

    /**
     * The group's secrets by name (role passwords by role name, see {@link Roles}): decrypted from
     * {@link #SECRETS}, else read from a clear {@link #CLEAR_SECRETS} left by an older tpa, else a
     * freshly generated password for every role (not saved).
     */
    public Map<String, String> secrets() {
        if (secretStore.exists()) {
            return secretStore.read();
        }
        Path clear = path.resolve(CLEAR_SECRETS);
        if (Files.exists(clear)) {
            try {
                Map<String, String> stored = new LinkedHashMap<>();
                Json.JSON.readTree(clear.toFile()).fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().asText()));
                return stored;
            } catch (IOException e) {
                throw new UserError(clear + ": cannot read the secrets file (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        Map<String, String> generated = new LinkedHashMap<>();
        for (String role : Roles.ALL) {
            generated.put(role, generatePassword());
        }
        return generated;
    }

    /** Encrypts the secrets into {@link #SECRETS} (0600, git-ignored); removes a clear {@link #CLEAR_SECRETS} once they are safe. */
    public void saveSecrets(Map<String, String> secrets) {
        ensureGitignore();
        secretStore.write(secrets);
        try {
            Files.deleteIfExists(path.resolve(CLEAR_SECRETS));
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, path.resolve(CLEAR_SECRETS) + ": the secrets are now encrypted in " + SECRETS
                    + " but the clear copy cannot be removed (" + e.getMessage() + "); remove it by hand");
        }
    }

    /** Writes the .gitignore that keeps secrets out of the history, or adds the lines an existing one lacks. */
    public void ensureGitignore() {
        Path file = path.resolve(".gitignore");
        try {
            if (!Files.exists(file)) {
                writeAtomically(file, GITIGNORE, "rw-r--r--");
                return;
            }
            String existing = Files.readString(file);
            java.util.Set<String> present = existing.lines().map(String::strip).collect(java.util.stream.Collectors.toSet());
            java.util.List<String> missing = GITIGNORE.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#") && !present.contains(line)).toList();
            if (!missing.isEmpty()) {
                writeAtomically(file, existing + (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n")
                        + "# Added by tpa: secrets and local state never go into the history.\n"
                        + String.join("\n", missing) + "\n", "rw-r--r--");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The group CA's certificate: public, committed, and what clients verify the nodes against. */
    public Path caCertificateFile() {
        return path.resolve(CA_CERTIFICATE);
    }

    /**
     * The group's certificate authority: its certificate from {@code tls/ca.crt}, its key from the
     * secrets. A new one (not yet saved) when the group has none.
     */
    public CertificateAuthority certificateAuthority(Map<String, String> secrets, String groupName) {
        String key = secrets.get(SecretNames.CA_KEY);
        Path file = caCertificateFile();
        if (key != null && Files.exists(file)) {
            try {
                return CertificateAuthority.load(Files.readString(file), key);
            } catch (IOException | RuntimeException e) {
                throw new UserError(file + ": cannot load the group's certificate authority (" + e.getMessage()
                        + "); restore it from the group's history, or remove it and its key to create a new CA");
            }
        }
        CertificateAuthority created = CertificateAuthority.create(groupName);
        secrets.put(SecretNames.CA_KEY, created.privateKeyPem());
        return created;
    }

    public void saveCaCertificate(CertificateAuthority authority) {
        writeAtomically(caCertificateFile(), authority.certificatePem(), "rw-r--r--");
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

    /** A file tpa writes into the directory for others to read ({@code monitoring/prometheus.yml}), or empty. */
    public Optional<String> readFile(String relative) {
        Path file = path.resolve(relative);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes a file into the directory (0644, committed with the change), creating its directories. */
    public void writeFile(String relative, String content) {
        writeAtomically(path.resolve(relative), content, "rw-r--r--");
    }

    /** Removes a file tpa wrote into the directory, and its directory when that is left empty. */
    public void removeFile(String relative) {
        Path file = path.resolve(relative);
        try {
            Files.deleteIfExists(file);
            Path parent = file.getParent();
            while (!parent.equals(path)) {
                try (java.util.stream.Stream<Path> left = Files.list(parent)) {
                    if (left.findAny().isPresent()) {
                        break;
                    }
                }
                Files.delete(parent);
                parent = parent.getParent();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
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
