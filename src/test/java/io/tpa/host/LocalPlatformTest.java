package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPlatformTest {
    @TempDir
    Path home;

    @Test
    void twoGroupsNeverShareAnAddress() {
        LocalPlatform platform = new LocalPlatform(home);
        Map<String, String> first = platform.assignAddresses("a-1", List.of("pg1", "pg2"), Map.of(), true);
        Map<String, String> second = platform.assignAddresses("b-2", List.of("pg1", "pg2"), Map.of(), true);
        assertThat(first.values()).doesNotContainAnyElementsOf(second.values());
        assertThat(first.values()).allMatch(address -> address.startsWith("127.20."));
    }

    @Test
    void addressesStayWithTheirNodeAndGoBackWhenReleased() {
        LocalPlatform platform = new LocalPlatform(home);
        Map<String, String> first = platform.assignAddresses("a-1", List.of("pg1", "pg2"), Map.of(), true);
        assertThat(platform.assignAddresses("a-1", List.of("pg1", "pg2"), Map.of(), true)).isEqualTo(first);
        platform.releaseAddresses("a-1");
        Map<String, String> other = platform.assignAddresses("c-3", List.of("x"), Map.of(), true);
        assertThat(other.get("x")).isEqualTo(first.get("pg1"));
    }

    @Test
    void aDryRunReservesNothing() {
        LocalPlatform platform = new LocalPlatform(home);
        Map<String, String> planned = platform.assignAddresses("a-1", List.of("pg1"), Map.of(), false);
        Map<String, String> other = platform.assignAddresses("b-2", List.of("pg1"), Map.of(), true);
        assertThat(other).isEqualTo(planned);
        assertThat(Files.exists(home.resolve("addresses.json"))).isTrue();
    }
}
