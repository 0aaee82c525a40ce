package io.tpa.host;

/** A command or file operation on a host failed in a way tpa did not expect. */
public class HostException extends RuntimeException {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
