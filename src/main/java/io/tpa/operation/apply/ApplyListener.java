package io.tpa.operation.apply;

import java.time.Duration;

/** Hears what apply does as it goes; the CLI renders it as progress lines or JSON events. */
public interface ApplyListener {
    void started(Action action, Duration sinceStart);

    void finished(Action action, Duration took, Duration sinceStart);

    void failed(Action action, String error, Duration sinceStart);

    void note(String message, Duration sinceStart);

    ApplyListener SILENT = new ApplyListener() {
        @Override
        public void started(Action action, Duration sinceStart) {
        }

        @Override
        public void finished(Action action, Duration took, Duration sinceStart) {
        }

        @Override
        public void failed(Action action, String error, Duration sinceStart) {
        }

        @Override
        public void note(String message, Duration sinceStart) {
        }
    };
}
