package io.tpa.operation.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tpa.error.UserError;
import java.util.Arrays;
import java.util.stream.Collectors;

/** A standard whose controls the checks of `tpa audit` support, by the name `--standard` takes. */
public enum Standard {
    CIS("cis"),
    PCI_DSS("pci-dss"),
    HIPAA("hipaa"),
    ISO27001("iso27001");

    private final String key;

    Standard(String key) {
        this.key = key;
    }

    /** The name in audit.yml and on the command line. */
    @JsonValue
    public String key() {
        return key;
    }

    public static Standard named(String name) {
        return Arrays.stream(values()).filter(standard -> standard.key.equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new UserError("unknown standard '" + name + "'; use one of " + names()));
    }

    public static String names() {
        return Arrays.stream(values()).map(Standard::key).collect(Collectors.joining(", "));
    }
}
