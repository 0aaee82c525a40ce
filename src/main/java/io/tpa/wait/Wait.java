package io.tpa.wait;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Named readiness checks with a timeout: "until etcd is healthy", "until every replica streams".
 * No bare sleeps elsewhere: everything that waits, waits here, and says what it waited for.
 */
public final class Wait {
    private static final long POLL_MILLIS = 100;

    private Wait() {
    }

    /** Waits until {@code ready} is true. */
    public static void until(String what, Duration timeout, BooleanSupplier ready) {
        until(what, timeout, () -> ready.getAsBoolean() ? null : "not yet");
    }

    /**
     * Waits until {@code whyNotReady} returns null. Its last non-null answer (for example
     * "pg2 is starting") goes into the message when the time runs out.
     */
    public static void until(String what, Duration timeout, Supplier<String> whyNotReady) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String reason;
        while ((reason = safely(whyNotReady)) != null) {
            if (System.nanoTime() > deadline) {
                throw new WaitTimeout("timed out after " + timeout.toSeconds() + " s waiting " + what + " (last seen: " + reason + ")");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitTimeout("interrupted while waiting " + what);
            }
        }
    }

    private static String safely(Supplier<String> check) {
        try {
            return check.get();
        } catch (io.tpa.error.UserError decided) {
            throw decided; // a check that knows it will never be ready says so at once
        } catch (RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** A readiness check ran out of time. */
    public static final class WaitTimeout extends RuntimeException {
        public WaitTimeout(String message) {
            super(message);
        }
    }
}
