package io.tpa.operation.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a node's machine has, read on it during the run: what its figures are compared with beside its size.
 *
 * @param cpus     CPUs the service user may run on ({@code nproc})
 * @param memoryMb memory of the machine ({@code MemTotal} of /proc/meminfo)
 */
public record MachineFacts(int cpus, @JsonProperty("memory_mb") long memoryMb) {

    /** The MemTotal of /proc/meminfo, in MiB; 0 when absent. */
    static long memoryMb(String meminfo) {
        return meminfo.lines().filter(line -> line.startsWith("MemTotal:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024).orElse(0L);
    }
}
