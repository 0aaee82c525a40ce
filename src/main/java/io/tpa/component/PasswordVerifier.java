package io.tpa.component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What PostgreSQL stores for a password ({@code pg_authid.rolpassword}), computed here as psql's
 * {@code \password} does, so that tpa sends the server a SCRAM-SHA-256 verifier and never the
 * password itself (nothing in a statement log, pg_stat_statements or an error message can reveal
 * it); and the check that a stored verifier matches a password (RFC 5802/7677, as PostgreSQL
 * computes it).
 */
public final class PasswordVerifier {
    private static final int ITERATIONS = 4096;
    private static final int SALT_BYTES = 16;
    private static final Pattern SCRAM = Pattern.compile("^SCRAM-SHA-256\\$(\\d+):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordVerifier() {
    }

    /** A new SCRAM-SHA-256 verifier for the password, with a random salt. */
    public static String scramSha256(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return scramSha256(password, salt, ITERATIONS);
    }

    static String scramSha256(String password, byte[] salt, int iterations) {
        byte[][] keys = keys(password, salt, iterations);
        Base64.Encoder base64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + base64.encodeToString(salt) + "$" + base64.encodeToString(keys[0]) + ":"
                + base64.encodeToString(keys[1]);
    }

    /** True when a stored verifier (SCRAM-SHA-256 or the older md5 form) is the one of this role's password. */
    public static boolean matches(String stored, String role, String password) {
        if (stored == null || password == null) {
            return false;
        }
        if (stored.startsWith("md5") && stored.length() == 35) {
            return MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                    ("md5" + md5Hex(password + role)).getBytes(StandardCharsets.US_ASCII));
        }
        Matcher scram = SCRAM.matcher(stored);
        if (!scram.matches()) {
            return false;
        }
        Base64.Decoder base64 = Base64.getDecoder();
        byte[][] keys = keys(password, base64.decode(scram.group(2)), Integer.parseInt(scram.group(1)));
        return MessageDigest.isEqual(keys[0], base64.decode(scram.group(3))) && MessageDigest.isEqual(keys[1], base64.decode(scram.group(4)));
    }

    /** StoredKey and ServerKey. */
    private static byte[][] keys(String password, byte[] salt, int iterations) {
        checkPrepared(password);
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] salted = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] serverKey = hmac(salted, "Server Key");
            return new byte[][] {storedKey, serverKey};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 with HMAC-SHA-256 is not available in this Java runtime", e);
        }
    }

    /**
     * Clients run SASLprep on a password before SCRAM; for printable ASCII it changes nothing, and
     * that is all tpa generates. Anything else could hash differently here and in the client.
     */
    private static void checkPrepared(String password) {
        if (password.isEmpty() || !password.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("tpa only sets passwords of printable ASCII characters");
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
