package io.tpa.ui;

import io.tpa.error.UserError;
import io.tpa.operation.apply.Action;
import io.tpa.operation.apply.ApplyListener;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/** Changing operations run in the background; their progress (the apply listener's events) streams to the job page. */
final class Jobs implements AutoCloseable {
    enum State { RUNNING, SUCCEEDED, FAILED }

    /**
     * What a watcher of a job hears: a progress line (with its index), or the end (the state and the outcome).
     *
     * @param name  {@code line}, {@code succeeded} or {@code failed}
     * @param index the line's index, for a line; -1 for the end
     */
    record Event(String name, String data, int index) {
    }

    /** One operation started from the UI: its progress lines, then how it ended; watchers hear both as they happen. */
    static final class Job implements ApplyListener {
        final int id;
        final String title;
        final String group;
        private final List<String> lines = new ArrayList<>();
        private final List<Consumer<Event>> watchers = new ArrayList<>();
        private State state = State.RUNNING;
        private String outcome = "";

        Job(int id, String title, String group) {
            this.id = id;
            this.title = title;
            this.group = group;
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized State state() {
            return state;
        }

        synchronized String outcome() {
            return outcome;
        }

        /** Tells the watcher every line from {@code from} on, then each new one and the end, as they come. */
        synchronized void watch(int from, Consumer<Event> watcher) {
            for (int index = Math.max(0, from); index < lines.size(); index++) {
                watcher.accept(new Event("line", lines.get(index), index));
            }
            if (state == State.RUNNING) {
                watchers.add(watcher);
            } else {
                watcher.accept(end());
            }
        }

        synchronized void unwatch(Consumer<Event> watcher) {
            watchers.remove(watcher);
        }

        private synchronized void add(String line) {
            lines.add(line);
            Event event = new Event("line", line, lines.size() - 1);
            List.copyOf(watchers).forEach(watcher -> watcher.accept(event));
        }

        private synchronized void end(State ended, String how) {
            state = ended;
            outcome = how;
            Event event = end();
            List.copyOf(watchers).forEach(watcher -> watcher.accept(event));
            watchers.clear();
        }

        private Event end() {
            return new Event(state.name().toLowerCase(java.util.Locale.ROOT), outcome, -1);
        }

        @Override
        public void started(Action action, Duration sinceStart) {
        }

        @Override
        public void finished(Action action, Duration took, Duration sinceStart) {
            add(String.format("[%6.2fs] %-12s %-22s %s (%.2fs)", sinceStart.toMillis() / 1000.0, action.target(), action.phase(),
                    action.description(), took.toMillis() / 1000.0));
        }

        @Override
        public void failed(Action action, String error, Duration sinceStart) {
            add(String.format("[%6.2fs] %-12s %-22s %s FAILED: %s", sinceStart.toMillis() / 1000.0, action.target(), action.phase(),
                    action.description(), error));
        }

        @Override
        public void note(String message, Duration sinceStart) {
            add(String.format("[%6.2fs] %s", sinceStart.toMillis() / 1000.0, message));
        }
    }

    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tpa-ui-job");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Job> jobs = new ConcurrentHashMap<>();

    /** Starts work, which reports to the job and returns the line that says how it ended. */
    Job start(String title, String group, Function<ApplyListener, String> work) {
        Job job = new Job(ids.incrementAndGet(), title, group);
        jobs.put(job.id, job);
        executor.submit(() -> {
            try {
                job.end(State.SUCCEEDED, work.apply(job));
            } catch (UserError | Wait.WaitTimeout error) {
                job.end(State.FAILED, error.getMessage());
            } catch (RuntimeException error) {
                job.end(State.FAILED, "unexpected error: " + error);
            }
        });
        return job;
    }

    Job job(int id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new io.javalin.http.NotFoundResponse("no job " + id);
        }
        return job;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
