package io.tpa.operation.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pricing.yml: every mistake is one line naming the file, line, column and key, with how to fix it. */
class OnPremRatesTest {
    @TempDir
    Path dir;

    @Test
    void readsExactDecimalsAndDefaults() throws IOException {
        write("onprem:\n  per_vcpu_month: 18.35\n  per_memory_gb_month: \"2.10\"\n  per_disk_gb_month: 0.05\n");
        OnPremRates rates = OnPremRates.require(dir);
        assertThat(rates.perVcpuMonth()).isEqualTo(new BigDecimal("18.35"));
        assertThat(rates.perMemoryGbMonth()).isEqualTo(new BigDecimal("2.10"));
        assertThat(rates.currency()).isEqualTo("USD");
        assertThat(rates.perBackupGbMonth()).as("backups default to the disk rate").isEqualTo(new BigDecimal("0.05"));
        assertThat(rates.perTransferGb()).isEqualTo(BigDecimal.ZERO);
        assertThat(rates.asOf()).isNull();
    }

    @Test
    void aMissingFileSaysHowToCreateIt() {
        assertThatThrownBy(() -> OnPremRates.require(dir)).isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("pricing.yml") + ": no on-premises rates; create the file with your monthly rates, for example "
                        + "`onprem: {currency: EUR, per_vcpu_month: 20, per_memory_gb_month: 2.5, per_disk_gb_month: 0.08}` (see docs/pricing.md)");
        assertThat(OnPremRates.read(dir)).isEmpty();
    }

    @Test
    void aValueThatIsNotAnAmount() throws IOException {
        write("onprem:\n  per_vcpu_month: 20 EUR\n  per_memory_gb_month: 2\n  per_disk_gb_month: 0.1\n");
        assertError(":2:3: onprem.per_vcpu_month: '20 EUR' is not a decimal amount; write an amount such as 20 or 0.08, without a currency sign");
    }

    @Test
    void aNegativeAmount() throws IOException {
        write("onprem:\n  per_vcpu_month: 20\n  per_memory_gb_month: 2\n  per_disk_gb_month: -0.1\n");
        assertError(":4:3: onprem.per_disk_gb_month: -0.1 is negative; write 0 or more");
    }

    @Test
    void anUnknownKey() throws IOException {
        write("onprem:\n  per_cpu_month: 20\n");
        assertError(":2:3: onprem.per_cpu_month: unknown key 'per_cpu_month'; allowed here: currency, per_vcpu_month, "
                + "per_memory_gb_month, per_disk_gb_month, per_backup_gb_month, per_transfer_gb, as_of");
    }

    @Test
    void aMissingRequiredRate() throws IOException {
        write("# rates\nonprem:\n  per_vcpu_month: 20\n  per_disk_gb_month: 0.1\n");
        assertError(":2:1: onprem: missing required key 'per_memory_gb_month'; add it, for example `onprem: {currency: EUR, "
                + "per_vcpu_month: 20, per_memory_gb_month: 2.5, per_disk_gb_month: 0.08}`");
    }

    @Test
    void anotherSectionABadCurrencyABadDateAndBrokenYaml() throws IOException {
        write("aws:\n  per_vcpu_month: 20\n");
        assertError(":1:1: aws: unknown key 'aws'; the file holds one section, onprem:");

        write("onprem:\n  currency: euro\n  per_vcpu_month: 20\n  per_memory_gb_month: 2\n  per_disk_gb_month: 0.1\n");
        assertError(":2:3: onprem.currency: 'euro' is not a currency code; write three capital letters such as EUR or USD");

        write("onprem:\n  per_vcpu_month: 20\n  per_memory_gb_month: 2\n  per_disk_gb_month: 0.1\n  as_of: last week\n");
        assertError(":5:3: onprem.as_of: 'last week' is not a date; write the day the rates were set as YYYY-MM-DD, for example 2026-12-01");

        write("onprem:\n  per_vcpu_month: \"20\n");
        assertThatThrownBy(() -> OnPremRates.require(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("pricing.yml:").hasMessageContaining("invalid YAML");
    }

    private void write(String text) throws IOException {
        Files.writeString(dir.resolve("pricing.yml"), text);
    }

    private void assertError(String expected) {
        assertThatThrownBy(() -> OnPremRates.require(dir)).isInstanceOf(UserError.class)
                .hasMessage(dir.resolve("pricing.yml") + expected)
                .extracting(e -> ((UserError) e).exitCode()).isEqualTo(UserError.BAD_INPUT);
    }
}
