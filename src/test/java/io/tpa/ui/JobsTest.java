package io.tpa.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.error.UserError;
import io.tpa.wait.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A job's watchers hear every line from where they start, then the end, once. */
class JobsTest {
    @Test
    void aWatcherHearsTheLinesItHasNotSeenThenEachNewOneThenTheEnd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Jobs jobs = new Jobs()) {
            Jobs.Job job = jobs.start("test", "sales", listener -> {
                listener.note("first", Duration.ofMillis(100));
                listener.note("second", Duration.ofMillis(200));
                await(release);
                listener.note("third", Duration.ofMillis(300));
                return "done";
            });
            Wait.until("two lines", Duration.ofSeconds(10), () -> job.lines().size() == 2);
            List<Jobs.Event> heard = new CopyOnWriteArrayList<>();
            job.watch(1, heard::add);
            assertThat(heard).extracting(Jobs.Event::index).containsExactly(1);
            release.countDown();
            Wait.until("the end", Duration.ofSeconds(10), () -> heard.size() == 3);
            assertThat(heard).extracting(Jobs.Event::name).containsExactly("line", "line", "succeeded");
            assertThat(heard.get(1).data()).endsWith("third");
            assertThat(heard.get(2).data()).isEqualTo("done");
            assertThat(job.state()).isEqualTo(Jobs.State.SUCCEEDED);

            List<Jobs.Event> late = new CopyOnWriteArrayList<>();
            job.watch(0, late::add);
            assertThat(late).extracting(Jobs.Event::name).containsExactly("line", "line", "line", "succeeded");
        }
    }

    @Test
    void aUserErrorEndsTheJobAsFailedWithItsMessage() {
        try (Jobs jobs = new Jobs()) {
            Jobs.Job job = jobs.start("test", "sales", listener -> {
                throw new UserError("group sales: another tpa command is working on this group");
            });
            Wait.until("the end", Duration.ofSeconds(10), () -> job.state() != Jobs.State.RUNNING);
            assertThat(job.state()).isEqualTo(Jobs.State.FAILED);
            assertThat(job.outcome()).isEqualTo("group sales: another tpa command is working on this group");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
