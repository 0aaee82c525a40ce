package io.tpa.operation.apply;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress of an operation that runs several steps and applies (fork, restore): passes every line on, timed from the
 * start of the whole operation rather than of each apply, and counts the steps finished.
 */
public final class OperationProgress implements ApplyListener {
    private final ApplyListener listener;
    private final long start;
    private final AtomicInteger finished = new AtomicInteger();

    public OperationProgress(ApplyListener listener, long start) {
        this.listener = listener;
        this.start = start;
    }

    /** How many steps have finished so far. */
    public int finished() {
        return finished.get();
    }

    /** Seconds since the operation started. */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private Duration now() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void started(Action action, Duration sinceStart) {
        listener.started(action, now());
    }

    @Override
    public void finished(Action action, Duration took, Duration sinceStart) {
        finished.incrementAndGet();
        listener.finished(action, took, now());
    }

    @Override
    public void failed(Action action, String error, Duration sinceStart) {
        listener.failed(action, error, now());
    }

    @Override
    public void note(String message, Duration sinceStart) {
        listener.note(message, now());
    }
}
