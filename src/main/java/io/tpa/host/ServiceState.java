package io.tpa.host;

/** What a service manager reports of one service. */
public record ServiceState(String name, Status status, long pid) {
    public enum Status { RUNNING, STARTING, STOPPED, FAILED, UNKNOWN }

    public boolean running() {
        return status == Status.RUNNING || status == Status.STARTING;
    }
}
