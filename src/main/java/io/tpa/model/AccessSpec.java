package io.tpa.model;

import java.util.List;

/**
 * Who may connect besides the group's own nodes.
 *
 * @param networks CIDR networks applications connect from (as role app, to database app, over TLS)
 * @param isPublic true to admit applications from any address
 */
public record AccessSpec(List<String> networks, @com.fasterxml.jackson.annotation.JsonProperty("public") Boolean isPublic) {
    public static final AccessSpec PRIVATE = new AccessSpec(List.of(), false);

    public AccessSpec {
        networks = networks == null ? List.of() : List.copyOf(networks);
    }

    /** Null when the text is a network in CIDR notation, else what is wrong with it. */
    public static String whyInvalidNetwork(String cidr) {
        String[] parts = cidr.split("/", -1);
        String example = "; write a network in CIDR notation, such as 10.1.0.0/16";
        if (parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
            return "'" + cidr + "' is not a network" + example;
        }
        boolean ipv4 = parts[0].matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = parts[0].contains(":") && parts[0].matches("[0-9a-fA-F:]+");
        if (ipv4 && java.util.Arrays.stream(parts[0].split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            return "'" + cidr + "' has an address part above 255" + example;
        }
        if (!ipv4 && !ipv6) {
            return "'" + cidr + "' is not an IPv4 or IPv6 address with a prefix length" + example;
        }
        if (Integer.parseInt(parts[1]) > (ipv4 ? 32 : 128)) {
            return "'" + cidr + "' has a prefix length above " + (ipv4 ? 32 : 128) + example;
        }
        return null;
    }

    public boolean open() {
        return Boolean.TRUE.equals(isPublic);
    }
}
