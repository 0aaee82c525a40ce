package io.tpa.operation.cost;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tpa.error.UserError;
import io.tpa.model.SizeSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rates of the user's own premises, set in {@code pricing.yml} in the group directory under {@code onprem:}.
 * Amounts are per month (per vCPU, per GB of memory, per GB of disk, per GB of backups) and per GB transferred
 * between the user's zones. Every problem in the file is a one-line {@link UserError} naming file, line, column and key.
 *
 * @param asOf when the user set the rates; null when the file does not say
 */
public record OnPremRates(Path file, String currency, BigDecimal perVcpuMonth, BigDecimal perMemoryGbMonth,
                          BigDecimal perDiskGbMonth, BigDecimal perBackupGbMonth, BigDecimal perTransferGb, LocalDate asOf)
        implements Tariff {

    /** The file's name in the group directory. */
    public static final String FILE = "pricing.yml";

    /** What to write into the file, for the error that says it is missing. */
    public static final String EXAMPLE = "onprem: {currency: EUR, per_vcpu_month: 20, per_memory_gb_month: 2.5, per_disk_gb_month: 0.08}";

    private static final List<String> REQUIRED = List.of("per_vcpu_month", "per_memory_gb_month", "per_disk_gb_month");
    private static final List<String> KEYS = List.of("currency", "per_vcpu_month", "per_memory_gb_month", "per_disk_gb_month",
            "per_backup_gb_month", "per_transfer_gb", "as_of");

    /** The rates of the group in dir, or empty when it has no {@value #FILE}. */
    public static Optional<OnPremRates> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the file; check that you may read it");
        }
        return Optional.of(parse(file, text));
    }

    /** The rates of dir, or a one-line error saying how to create the file. */
    public static OnPremRates require(Path dir) {
        return read(dir).orElseThrow(() -> new UserError(dir.resolve(FILE) + ": no on-premises rates; create the file with your "
                + "monthly rates, for example `" + EXAMPLE + "` (see docs/pricing.md)"));
    }

    /** A scalar of the file with where it stands. */
    private record Value(String text, JsonToken token, int line, int column) {
    }

    static OnPremRates parse(Path file, String text) {
        Map<String, Value> values = new LinkedHashMap<>();
        int[] section = {1, 1};
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw error(file, 1, 1, "", "expected a mapping with the key onprem:; write `" + EXAMPLE + "`");
            }
            boolean found = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int line = parser.currentTokenLocation().getLineNr();
                int column = parser.currentTokenLocation().getColumnNr();
                section[0] = line;
                section[1] = column;
                if (!key.equals("onprem")) {
                    throw error(file, line, column, key, "unknown key '" + key + "'; the file holds one section, onprem:");
                }
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw error(file, line, column, "onprem", "expected a mapping of rates; write `" + EXAMPLE + "`");
                }
                found = true;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String rate = parser.currentName();
                    int rateLine = parser.currentTokenLocation().getLineNr();
                    int rateColumn = parser.currentTokenLocation().getColumnNr();
                    if (!KEYS.contains(rate)) {
                        throw error(file, rateLine, rateColumn, "onprem." + rate, "unknown key '" + rate + "'; allowed here: "
                                + String.join(", ", KEYS));
                    }
                    if (values.containsKey(rate)) {
                        throw error(file, rateLine, rateColumn, "onprem." + rate, "duplicate key; keep only one of them");
                    }
                    JsonToken token = parser.nextToken();
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        throw error(file, rateLine, rateColumn, "onprem." + rate, "expected a single value, found a "
                                + (token == JsonToken.START_OBJECT ? "mapping" : "list"));
                    }
                    values.put(rate, new Value(token == JsonToken.VALUE_NULL ? null : parser.getText(), token, rateLine, rateColumn));
                }
            }
            if (!found) {
                throw error(file, 1, 1, "", "no onprem: section; write `" + EXAMPLE + "`");
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            int column = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getColumnNr());
            throw error(file, line, column, "", "invalid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("syntax error")
                    + "; check the indentation and punctuation here and on the line before");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the file; check that you may read it");
        }
        // Every value in the order written, then what is missing: the first problem a reader meets is the one reported.
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            switch (key) {
                case "currency" -> currency(file, value);
                case "as_of" -> date(file, value);
                default -> amounts.put(key, amount(file, key, value));
            }
        });
        for (String rate : REQUIRED) {
            if (!values.containsKey(rate)) {
                throw error(file, section[0], section[1], "onprem", "missing required key '" + rate + "'; add it, for example `" + EXAMPLE + "`");
            }
        }
        BigDecimal disk = amounts.get("per_disk_gb_month");
        return new OnPremRates(file,
                values.containsKey("currency") ? currency(file, values.get("currency")) : "USD",
                amounts.get("per_vcpu_month"),
                amounts.get("per_memory_gb_month"),
                disk,
                amounts.getOrDefault("per_backup_gb_month", disk),
                amounts.getOrDefault("per_transfer_gb", BigDecimal.ZERO),
                values.containsKey("as_of") ? date(file, values.get("as_of")) : null);
    }

    private static BigDecimal amount(Path file, String key, Value value) {
        if (value.text() == null || value.text().isBlank()) {
            throw error(file, value.line(), value.column(), "onprem." + key, "the value is empty; write an amount such as 20 or 0.08");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(value.text().strip());
        } catch (NumberFormatException e) {
            throw error(file, value.line(), value.column(), "onprem." + key, "'" + value.text() + "' is not a decimal amount; "
                    + "write an amount such as 20 or 0.08, without a currency sign");
        }
        if (amount.signum() < 0) {
            throw error(file, value.line(), value.column(), "onprem." + key, amount.toPlainString() + " is negative; "
                    + "write 0 or more");
        }
        return amount;
    }

    private static String currency(Path file, Value value) {
        if (value.text() == null || !value.text().matches("[A-Z]{3}")) {
            throw error(file, value.line(), value.column(), "onprem.currency", "'" + value.text() + "' is not a currency code; "
                    + "write three capital letters such as EUR or USD");
        }
        return value.text();
    }

    private static LocalDate date(Path file, Value value) {
        try {
            return LocalDate.parse(String.valueOf(value.text()).strip());
        } catch (DateTimeParseException e) {
            throw error(file, value.line(), value.column(), "onprem.as_of", "'" + value.text() + "' is not a date; "
                    + "write the day the rates were set as YYYY-MM-DD, for example 2026-12-01");
        }
    }

    private static UserError error(Path file, int line, int column, String key, String text) {
        return new UserError(file + ":" + line + ":" + column + ": " + (key.isEmpty() ? "" : key + ": ") + text);
    }

    // Tariff

    @Override
    public String cloud() {
        return "onprem";
    }

    @Override
    public String region() {
        return "own premises";
    }

    @Override
    public String pricesDate() {
        return asOf == null ? "not given (as_of)" : asOf.toString();
    }

    @Override
    public String pricesFile() {
        return file.getFileName().toString();
    }

    @Override
    public Compute compute(SizeSpec size) {
        BigDecimal memory = BigDecimal.valueOf(size.memoryGb());
        BigDecimal monthly = perVcpuMonth.multiply(BigDecimal.valueOf(size.cpus())).add(perMemoryGbMonth.multiply(memory));
        return new Compute("own server (" + size.cpus() + " vCPU, " + Amounts.plain(memory) + " GB)", monthly,
                size.cpus() + " vCPU x " + Amounts.plain(perVcpuMonth) + " + " + Amounts.plain(memory) + " GB x "
                        + Amounts.plain(perMemoryGbMonth));
    }

    @Override
    public BigDecimal blockStoragePerGbMonth() {
        return perDiskGbMonth;
    }

    @Override
    public BigDecimal objectStoragePerGbMonth() {
        return perBackupGbMonth;
    }

    @Override
    public BigDecimal transferPerGb() {
        return perTransferGb;
    }
}
