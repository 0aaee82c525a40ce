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
import java.util.function.Function;

/** Changing operations run in the background; their progress (the apply listener's events) is read by the job page. */
final class Jobs implements AutoCloseable {
    enum State { RUNNING, SUCCEEDED, FAILED }

    /** One operation started from the UI. */
    static final class Job implements ApplyListener {
        final int id;
        final String title;
        final String group;
        private final List<String> lines = new ArrayList<>();
        private volatile State state = State.RUNNING;
        private volatile String outcome = "";

        Job(int id, String title, String group) {
            this.id = id;
            this.title = title;
            this.group = group;
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        State state() {
            return state;
        }

        String outcome() {
            return outcome;
        }

        private synchronized void add(String line) {
            lines.add(line);
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
                job.outcome = work.apply(job);
                job.state = State.SUCCEEDED;
            } catch (UserError | Wait.WaitTimeout error) {
                job.outcome = error.getMessage();
                job.state = State.FAILED;
            } catch (RuntimeException error) {
                job.outcome = "unexpected error: " + error;
                job.state = State.FAILED;
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
