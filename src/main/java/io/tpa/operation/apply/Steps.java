package io.tpa.operation.apply;

import io.tpa.error.UserError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs actions the way every operation runs them: those given together in parallel, each reported
 * to the listener as it starts, ends or fails; the first failure is the operation's error.
 */
public final class Steps {
    private Steps() {
    }

    /** Runs actions one group at a time: each inner list in parallel, the lists in order. */
    public static void runInOrder(List<List<Action>> groups, ApplyListener listener) {
        long start = System.nanoTime();
        ExecutorService executor = executor();
        try {
            for (List<Action> group : groups) {
                run(group, executor, listener, start);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    static ExecutorService executor() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "tpa-step");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static void run(List<Action> actions, ExecutorService executor, ApplyListener listener, long start) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Action action : actions) {
            running.add(CompletableFuture.runAsync(() -> {
                long began = System.nanoTime();
                listener.started(action, since(start));
                try {
                    action.work().run();
                    listener.finished(action, since(began), since(start));
                } catch (RuntimeException e) {
                    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    listener.failed(action, message, since(start));
                    failures.add(action.target() + ": " + action.description() + " failed: " + message);
                }
            }, executor));
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            failures.add(e.getMessage());
        }
        if (!failures.isEmpty()) {
            throw new UserError(UserError.FAILED, failures.get(0)
                    + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failures)" : "")
                    + "; fix the cause and run `tpa apply` again: it resumes where it stopped");
        }
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
