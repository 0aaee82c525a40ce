package io.tpa.operation.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LineFormatTest {
    private static final ZoneId PARIS_WINTER = ZoneOffset.ofHours(1);

    @Test
    void postgresJsonlogGivesItsTimeSeverityAndMessage() {
        String line = "{\"timestamp\":\"2026-12-06 02:40:00.123 UTC\",\"user\":\"postgres\",\"dbname\":\"postgres\",\"pid\":4242,"
                + "\"error_severity\":\"LOG\",\"message\":\"duration: 1503.210 ms  statement: select pg_sleep(1.5)\",\"backend_type\":\"client backend\"}";
        LineFormat.Parsed parsed = LineFormat.POSTGRES_JSONLOG.parse(line, PARIS_WINTER).orElseThrow();
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(parsed.level()).isEqualTo("LOG");
        assertThat(parsed.message()).isEqualTo("duration: 1503.210 ms  statement: select pg_sleep(1.5)");
        assertThat(parsed.record().path("pid").asInt()).isEqualTo(4242);
    }

    @Test
    void pgBackRestLinesAreInTheHostsLocalTimeAndBannersAreNoLines() {
        LineFormat.Parsed parsed = LineFormat.PGBACKREST.parse("2026-12-06 03:40:42.855 P00   INFO: archive-push command end: completed "
                + "successfully (12ms)", PARIS_WINTER).orElseThrow();
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-12-06T02:40:42.855Z"));
        assertThat(parsed.level()).isEqualTo("INFO");
        assertThat(parsed.message()).isEqualTo("archive-push command end: completed successfully (12ms)");
        assertThat(LineFormat.PGBACKREST.skips("-------------------PROCESS START-------------------")).isTrue();
        assertThat(LineFormat.PGBACKREST.skips("2026-12-06 03:40:42.855 P00   INFO: stanza-create command end")).isFalse();
    }

    @Test
    void postgresJsonlogAddsTheStatementOfAnError() {
        String line = "{\"timestamp\":\"2026-12-06 02:40:00.000 UTC\",\"error_severity\":\"ERROR\",\"message\":\"relation \\\"nope\\\" does not exist\","
                + "\"statement\":\"select * from nope\"}";
        assertThat(LineFormat.POSTGRES_JSONLOG.parse(line, ZoneOffset.UTC).orElseThrow().message())
                .isEqualTo("relation \"nope\" does not exist | statement: select * from nope");
    }

    @Test
    void postgresTimesInOtherZonesAreMovedToUtc() {
        assertThat(LineFormat.postgresTime("2026-12-06 03:40:00.123 CET", ZoneOffset.UTC)).contains(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(LineFormat.postgresTime("2026-12-06 05:40:00.123 +03", ZoneOffset.UTC)).contains(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(LineFormat.postgresTime("2026-12-06 03:40:00.123 XYZT", PARIS_WINTER)).as("an unknown zone is the host's")
                .contains(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(LineFormat.postgresTime("yesterday", ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void patroniLinesAreInTheHostsLocalTime() {
        LineFormat.Parsed parsed = LineFormat.PATRONI.parse("2026-12-06 03:40:00,250 INFO: no action. I am (pg1), the leader with the lock",
                PARIS_WINTER).orElseThrow();
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-12-06T02:40:00.250Z"));
        assertThat(parsed.level()).isEqualTo("INFO");
        assertThat(parsed.message()).isEqualTo("no action. I am (pg1), the leader with the lock");
        assertThat(parsed.record()).isNull();
        assertThat(LineFormat.PATRONI.parse("Traceback (most recent call last):", PARIS_WINTER)).isEmpty();
    }

    @Test
    void etcdZapLinesGiveTheirTimeInEveryShapeZapWrites() {
        String line = "{\"level\":\"warn\",\"ts\":\"2026-12-06T02:40:00.123Z\",\"caller\":\"etcdserver/util.go:166\",\"msg\":\"apply request took too long\"}";
        LineFormat.Parsed parsed = LineFormat.ETCD_JSON.parse(line, PARIS_WINTER).orElseThrow();
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(parsed.level()).isEqualTo("WARN");
        assertThat(parsed.message()).isEqualTo("apply request took too long");
        assertThat(LineFormat.ETCD_JSON.parse("{\"level\":\"warn\",\"ts\":\"2026-12-06T03:40:00.123456+0100\",\"msg\":\"x\"}", ZoneOffset.UTC)
                .orElseThrow().time()).isEqualTo(Instant.parse("2026-12-06T02:40:00.123456Z"));
        assertThat(LineFormat.ETCD_JSON.parse("{\"level\":\"warn\",\"ts\":1796524800.5,\"msg\":\"x\"}", ZoneOffset.UTC)
                .orElseThrow().time()).isEqualTo(Instant.ofEpochSecond(1796524800L, 500_000_000L));
        assertThat(LineFormat.ETCD_JSON.parse("panic: runtime error", ZoneOffset.UTC)).isEmpty();
        assertThat(LineFormat.ETCD_JSON.parse("{\"level\":\"warn\"}", ZoneOffset.UTC)).as("no time").isEmpty();
    }

    @Test
    void pgbouncerLinesCarryTheirZone() {
        LineFormat.Parsed parsed = LineFormat.PGBOUNCER.parse("2026-12-06 02:40:00.123 UTC [4242] LOG C-0x55d0: app/app@127.20.0.1:40000 login attempt: "
                + "db=app user=app tls=TLSv1.3/TLS_AES_256_GCM_SHA384", PARIS_WINTER).orElseThrow();
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(parsed.level()).isEqualTo("LOG");
        assertThat(parsed.message()).startsWith("C-0x55d0: app/app@127.20.0.1:40000 login attempt");
        assertThat(LineFormat.PGBOUNCER.parse("not a pgbouncer line", PARIS_WINTER)).isEmpty();
    }

    @Test
    void haproxyConnectionLinesAreInTheHostsLocalTimeAndItsMasterLinesContinueThem() {
        String line = "127.20.0.9:40000 [06/Dec/2026:03:40:00.123] rw rw/pg1 1/0/5 100 -- 1/1/0/0/0 0/0";
        LineFormat.Parsed parsed = LineFormat.HAPROXY.parse(line, PARIS_WINTER).orElseThrow();
        assertThat(parsed.time()).isEqualTo(Instant.parse("2026-12-06T02:40:00.123Z"));
        assertThat(parsed.message()).isEqualTo(line);
        assertThat(LineFormat.HAPROXY.parse("[WARNING]  (42) : Server rw/pg2 is DOWN, reason: Layer7 wrong status", PARIS_WINTER)).isEmpty();
    }
}
