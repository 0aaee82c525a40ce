package io.tpa.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A node size as written in the config: either the name of an entry of the size catalog
 * ({@code size: small}) or explicit figures ({@code size: {cpus: 2, memory_gb: 4, disk_gb: 50}}).
 * A resolved size has all four fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SizeSpec(
        String name,
        Integer cpus,
        @JsonProperty("memory_gb") Double memoryGb,
        @JsonProperty("disk_gb") Integer diskGb) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SizeSpec named(String name) {
        return new SizeSpec(name, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static SizeSpec explicit(
            @JsonProperty("name") String name,
            @JsonProperty("cpus") Integer cpus,
            @JsonProperty("memory_gb") Double memoryGb,
            @JsonProperty("disk_gb") Integer diskGb) {
        return new SizeSpec(name, cpus, memoryGb, diskGb);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isResolved() {
        return cpus != null && memoryGb != null && diskGb != null;
    }

    /** Memory in MiB, for parameter computations. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public long memoryMb() {
        return Math.round(memoryGb * 1024);
    }

    /** A short description for humans: "small (1 cpu, 2 GB memory, 20 GB disk)". */
    public String describe() {
        String figures = cpus + (cpus == 1 ? " cpu, " : " cpus, ")
                + trim(memoryGb) + " GB memory, " + diskGb + " GB disk";
        return name == null ? figures : name + " (" + figures + ")";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
