package io.tpa.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.tpa.error.UserError;
import io.tpa.model.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A file of named secrets (any name, any text), encrypted and authenticated with AES-256-GCM under
 * a key from {@link SecretKeys}. Format 1 is a JSON object:
 *
 * <pre>
 * {
 *   "ciphertext" : "base64 of the encrypted secrets and the 16-byte GCM tag",
 *   "cipher" : "AES-256-GCM",
 *   "format" : 1,
 *   "key" : "16 hex digits that identify the key (see SecretKeys.Key#id)",
 *   "nonce" : "base64 of 12 random bytes, new at every write"
 * }
 * </pre>
 *
 * The plaintext is the secrets as one JSON object of strings. The format, cipher and key id are
 * authenticated too (as GCM's additional data), so no part of the file can change unnoticed.
 */
public final class SecretStore {
    public static final int FORMAT = 1;
    static final String CIPHER = "AES-256-GCM";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final SecretKeys keys;

    public SecretStore(Path file, SecretKeys keys) {
        this.file = file;
        this.keys = keys;
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The secrets in the file (sorted by name); a {@link UserError} naming the file when it cannot be trusted. */
    public Map<String, String> read() {
        JsonNode root;
        try {
            root = Json.JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new UserError(UserError.FAILED, file + ": the secrets file is missing; restore it from your backup");
        } catch (IOException e) {
            throw notOurs("it is not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw notOurs("it is not a JSON object");
        }
        if (!root.path("format").canConvertToExactIntegral()) {
            throw notOurs("it has no \"format\"");
        }
        int format = root.path("format").asInt();
        if (format != FORMAT) {
            throw new UserError(UserError.FAILED, file + ": secrets format " + format + " is unknown to this version of tpa, "
                    + "which reads format " + FORMAT + "; use the tpa that wrote it (or a newer one)");
        }
        if (!CIPHER.equals(root.path("cipher").asText())) {
            throw notOurs("its cipher \"" + root.path("cipher").asText() + "\" is not " + CIPHER);
        }
        String keyId = root.path("key").asText();
        SecretKeys.Key key = keys.existing().orElseThrow(() -> new UserError(UserError.FAILED, file
                + ": there is no key to decrypt it: " + SecretKeys.ENVIRONMENT_VARIABLE + " is not set and " + keys.keyFile()
                + " does not exist; restore the key file from your backup, or set " + SecretKeys.ENVIRONMENT_VARIABLE
                + " to the key these secrets were written with (key id " + keyId + ")"));
        if (!key.id().equals(keyId)) {
            throw new UserError(UserError.FAILED, file + ": encrypted with another key (key id " + keyId + ") than the one in "
                    + key.source() + " (key id " + key.id() + "); use the key these secrets were written with: set "
                    + SecretKeys.ENVIRONMENT_VARIABLE + " to it or restore " + keys.keyFile() + " from your backup");
        }
        byte[] nonce;
        byte[] ciphertext;
        try {
            nonce = Base64.getDecoder().decode(root.path("nonce").asText());
            ciphertext = Base64.getDecoder().decode(root.path("ciphertext").asText());
        } catch (IllegalArgumentException e) {
            throw notOurs("its nonce or ciphertext is not base64");
        }
        if (nonce.length != NONCE_BYTES) {
            throw notOurs("its nonce is not " + NONCE_BYTES + " bytes");
        }
        byte[] plaintext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(key.id()));
            plaintext = cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw new UserError(UserError.FAILED, file + ": the secrets failed their integrity check: the file was modified or "
                    + "damaged, or written with another key than the one in " + key.source() + "; restore " + file.getFileName()
                    + " (and the key) from your backup");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
        return parse(plaintext);
    }

    /** Encrypts the secrets into the file (0600, written atomically); creates the key first if there is none. */
    public void write(Map<String, String> secrets) {
        SecretKeys.Key key = keys.obtain();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] ciphertext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(key.id()));
            ciphertext = cipher.doFinal(Json.write(new LinkedHashMap<>(secrets)).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("format", FORMAT);
        envelope.put("cipher", CIPHER);
        envelope.put("key", key.id());
        envelope.put("nonce", Base64.getEncoder().encodeToString(nonce));
        envelope.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
        writeAtomically(Json.write(envelope).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] associatedData(String keyId) {
        return ("tpa secrets format " + FORMAT + " " + CIPHER + " key " + keyId).getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> parse(byte[] plaintext) {
        Map<String, String> secrets = new LinkedHashMap<>();
        try {
            JsonNode root = Json.JSON.readTree(plaintext);
            if (root == null || !root.isObject()) {
                throw notOurs("its decrypted content is not a JSON object");
            }
            root.fields().forEachRemaining(field -> secrets.put(field.getKey(), field.getValue().asText()));
        } catch (IOException e) {
            throw notOurs("its decrypted content is not JSON");
        }
        return secrets;
    }

    private void writeAtomically(byte[] content) {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true); // the only copy of the passwords: on disk before it replaces the old file
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError(UserError.FAILED, file + ": cannot write the secrets file (" + e.getMessage() + ")");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // nothing left to clean up that holds a secret in clear
                }
            }
        }
    }

    private UserError notOurs(String why) {
        return new UserError(UserError.FAILED, file + ": not a tpa secrets file: " + why + "; restore " + file.getFileName()
                + " from your backup");
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
