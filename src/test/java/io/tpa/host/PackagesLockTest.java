package io.tpa.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** apt steps wait for a dpkg/apt lock that another process holds, instead of failing at once. */
class PackagesLockTest {
    private static final String HELD = "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 812 (unattended-upgr)\n"
            + "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?";

    @Test
    void anAptStepTriesAgainWhileTheLockIsHeldAndSaysHowLongItWaited() {
        AptHost host = new AptHost(2, HELD);
        List<String> notes = new ArrayList<>();

        CommandResult result = Packages.apt(host, List.of("apt-get", "update", "-qq"), Duration.ofMinutes(1), notes::add);

        assertThat(result.ok()).isTrue();
        assertThat(host.runs).isEqualTo(3);
        assertThat(notes).singleElement().asString().matches("server1: waited [2-9] s for the dpkg/apt lock another process held before `apt-get update`");
    }

    @Test
    void anUpdateThatGetsTheLockAtOnceSaysNothing() {
        AptHost host = new AptHost(0, HELD);
        List<String> notes = new ArrayList<>();

        Packages.update(host, notes::add);

        assertThat(host.runs).isEqualTo(1);
        assertThat(notes).isEmpty();
    }

    @Test
    void otherFailuresFailAtOnceWithAptsOwnWords() {
        AptHost host = new AptHost(1, "E: Unable to locate package postgresql-99");

        CommandResult result = Packages.apt(host, List.of("apt-get", "install", "postgresql-99"), Duration.ofMinutes(1), note -> { });

        assertThat(result.ok()).isFalse();
        assertThat(host.runs).isEqualTo(1);
    }

    @Test
    void theListsLockOfAnUpdateCountsAsHeldToo() {
        assertThat(Packages.heldByAnother(new CommandResult(100, "", "E: Unable to lock directory /var/lib/apt/lists/"))).isTrue();
        assertThat(Packages.heldByAnother(new CommandResult(100, "", "E: Unable to locate package x"))).isFalse();
    }

    /** A server whose apt fails a number of times, then succeeds. */
    private static final class AptHost extends ScriptedHost {
        private final int failures;
        private final String error;
        int runs;

        AptHost(int failures, String error) {
            super("server1");
            this.failures = failures;
            this.error = error;
        }

        @Override
        public CommandResult run(Command command) {
            runs++;
            return runs <= failures ? new CommandResult(100, "", error) : new CommandResult(0, "", "");
        }
    }
}
