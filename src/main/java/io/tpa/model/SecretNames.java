package io.tpa.model;

/** Names of the group's secrets that are not role passwords (those are keyed by role name, see {@link Roles}). */
public final class SecretNames {
    /** Password of Patroni's REST API user, required for its unsafe verbs (restart, reload, switchover, config). */
    public static final String PATRONI_API = "patroni.api";
    /** The group CA's private key (PEM). */
    public static final String CA_KEY = "tls.ca_key";
    /** The passphrase pgBackRest encrypts the group's backup repository with ({@code backup.encryption}). */
    public static final String BACKUP_CIPHER = "backup.cipher_pass";
    /** The access key id of a backup repository in S3 ({@code backup.repository.type: s3}); set by the user, never generated. */
    public static final String BACKUP_S3_KEY_ID = "backup.s3_key_id";
    /** The secret access key that goes with {@link #BACKUP_S3_KEY_ID}. */
    public static final String BACKUP_S3_KEY_SECRET = "backup.s3_key_secret";
    /** The secrets a user sets ({@code tpa secrets set}): tpa cannot generate them. */
    public static final java.util.List<String> SETTABLE = java.util.List.of(BACKUP_S3_KEY_ID, BACKUP_S3_KEY_SECRET);
    /** The user Patroni's REST API knows. */
    public static final String PATRONI_API_USER = "tpa";

    /**
     * Password of the user {@value MonitoringSpec#SCRAPE_USER}, which Prometheus gives the exporters of a group with
     * {@code monitoring:} (HTTP basic auth; the exporters keep its bcrypt hash).
     */
    public static final String SCRAPE_PASSWORD = MonitoringSpec.SCRAPE_USER;

    private SecretNames() {
    }
}
