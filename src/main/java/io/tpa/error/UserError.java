package io.tpa.error;

/**
 * A problem the user can fix: bad input, a refused operation, a missing prerequisite.
 * Caught once at the top of the CLI and printed as one line, without a stack trace.
 */
public class UserError extends RuntimeException {
    /** Exit code for bad input (configuration, arguments). */
    public static final int BAD_INPUT = 2;
    /** Exit code for an operation that could not be carried out. */
    public static final int FAILED = 1;

    private final int exitCode;

    public UserError(String message) {
        this(BAD_INPUT, message);
    }

    public UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static UserError failed(String message) {
        return new UserError(FAILED, message);
    }
}
