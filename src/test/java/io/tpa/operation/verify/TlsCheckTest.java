package io.tpa.operation.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.operation.verify.NodeSettings.HbaRule;
import io.tpa.operation.verify.NodeSettings.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the settings, pg_hba.conf and stored passwords of a node may allow, as the TLS check reads them. */
class TlsCheckTest {
    private static final Map<String, Setting> SECURE = Map.of(
            "ssl", setting("on"), "ssl_min_protocol_version", setting("TLSv1.2"), "password_encryption", setting("scram-sha-256"));

    private static Setting setting(String value) {
        return new Setting(value, null, "string", "configuration file", null, false);
    }

    @Test
    void aNodeAsTpaDeploysItAllowsNothingElse() {
        NodeSettings node = new NodeSettings(SECURE, List.of(), List.of(new HbaRule(1, "local", "scram-sha-256", null),
                new HbaRule(2, "hostssl", "scram-sha-256", null)), Map.of("postgres", "scram-sha-256"));

        assertThat(TlsCheck.settingsProblems(node)).isEmpty();
    }

    @Test
    void aHostLineWeakMethodsAndAnMd5PasswordAreNamed() {
        NodeSettings node = new NodeSettings(Map.of("ssl", setting("on"), "ssl_min_protocol_version", setting("TLSv1"),
                "password_encryption", setting("md5")), List.of(),
                List.of(new HbaRule(1, "local", "trust", null), new HbaRule(2, "host", "scram-sha-256", null),
                        new HbaRule(3, "hostssl", "md5", null), new HbaRule(4, "hostssl", null, "invalid authentication method \"tust\"")),
                Map.of("app", "md5"));

        assertThat(TlsCheck.settingsProblems(node)).containsExactly(
                "ssl_min_protocol_version = TLSv1; expected TLSv1.2 or later",
                "password_encryption = md5; expected scram-sha-256",
                "pg_hba.conf line 1 authenticates with trust",
                "pg_hba.conf line 2 is host, which allows connections without TLS",
                "pg_hba.conf line 3 authenticates with md5",
                "pg_hba.conf line 4: invalid authentication method \"tust\"",
                "role app's password is stored as md5");
    }
}
