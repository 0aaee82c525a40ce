package io.tpa.operation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tpa.operation.bench.BenchResult.Figure;
import io.tpa.operation.bench.BenchResult.NodeRun;
import org.junit.jupiter.api.Test;

/** Each figure against the range for the node's CPUs and disk, and the cause named for a low one. */
class FiguresTest {
    private static final Expectations EXPECTED = Expectations.load();
    private static final NodeRun MEDIUM = new NodeRun("pg1", "primary", "medium", 2, 8, new MachineFacts(2, 24_000), 2);

    @Test
    void theCatalogsRangesAreThoseDocumented() {
        assertThat(EXPECTED).isEqualTo(new Expectations(150, 0.25, 3000, 3, 300, 1_048_576, 1.0, 2.0));
    }

    @Test
    void readWriteTpsIsBoundByTheCpusOrTheDisksFsyncRateWhicheverIsLower() {
        assertThat(EXPECTED.rwTps(2, 2000)).isEqualTo(300);   // 2 CPUs x 150
        assertThat(EXPECTED.rwTps(2, 400)).isEqualTo(100);    // 400 fsync/s x 0.25
        assertThat(EXPECTED.rwLatencyP95Ms(2, 2000, 4)).isEqualTo(40); // 3 x 4 clients / 300 tps
    }

    @Test
    void enoughTpsIsOkAndTooFewNamesTheCpuWhenTheDiskIsFast() {
        Figure ok = Figures.rwTps(EXPECTED, MEDIUM, 772.94, 2000, false);
        assertThat(ok.result()).isEqualTo("ok");
        assertThat(ok.value()).isEqualTo(772.9);
        assertThat(ok.expected()).isEqualTo(300);
        assertThat(ok.cause()).isNull();

        Figure low = Figures.rwTps(EXPECTED, MEDIUM, 120, 2000, false);
        assertThat(low.low()).isTrue();
        assertThat(low.cause()).startsWith("CPU: another busy process on the machine");
    }

    @Test
    void tooFewTpsOnASlowDiskNamesItsFsyncRate() {
        Figure fsync = Figures.fsync(EXPECTED, MEDIUM, 90);
        assertThat(fsync.low()).isTrue();
        assertThat(fsync.cause()).startsWith("a slow disk");
        Figure tps = Figures.rwTps(EXPECTED, MEDIUM, 20, 90, true);
        assertThat(tps.low()).isTrue();
        assertThat(tps.expected()).isEqualTo(22.5);
        assertThat(tps.cause()).isEqualTo("commits wait on the disk: its fsync rate (90/s) bounds the TPS");
    }

    @Test
    void aMachineWithLessMemoryThanTheSizeIsNamed() {
        NodeRun small = new NodeRun("pg2", "replica", "large", 4, 16, new MachineFacts(4, 4096), 4);
        Figure low = Figures.roTps(EXPECTED, small, 5000);
        assertThat(low.expected()).isEqualTo(12_000);
        assertThat(low.cause()).startsWith("the machine has less memory (4096 MiB) than the size large says; ");
        assertThat(Figures.roTps(EXPECTED, MEDIUM, 6000).result()).isEqualTo("ok");
    }

    @Test
    void latencyLagAndRoundTripAreMaximums() {
        assertThat(Figures.rwLatency(EXPECTED, MEDIUM, Figures.RW_P95, 39.9, 2000, 4, false).result()).isEqualTo("ok");
        assertThat(Figures.rwLatency(EXPECTED, MEDIUM, Figures.RW_P95, 41, 2000, 4, true).cause()).isEqualTo("each commit waits for a slow fsync");
        assertThat(Figures.rwLatency(EXPECTED, MEDIUM, Figures.RW_P50, 41, 2000, 4, false).result()).as("p50 has no bound").isEqualTo("info");
        assertThat(Figures.lagBytes(EXPECTED, "pg2", 2_000_000).cause()).contains("maximum_lag_on_failover");
        assertThat(Figures.lagSeconds(EXPECTED, "pg2", 0.2).result()).isEqualTo("ok");
        Figure far = Figures.roundTrip(EXPECTED, "pg1", "pg3", 12.5);
        assertThat(far.node()).isEqualTo("pg1->pg3");
        assertThat(far.low()).isTrue();
        assertThat(far.cause()).startsWith("distance or a congested network");
    }

    @Test
    void pgTestFsyncsRateForTheWalSyncMethodComesFromItsFirstSection() {
        String output = """
                Compare file sync methods using one 8kB write:
                (in wal_sync_method preference order, except fdatasync is Linux's default)
                        open_datasync                      1146.764 ops/sec     872 usecs/op
                        fdatasync                          2242.850 ops/sec     446 usecs/op
                        fsync_writethrough                              n/a

                Compare file sync methods using two 8kB writes:
                        fdatasync                          1210.574 ops/sec     826 usecs/op
                """;
        assertThat(Bench.FsyncOutput.opsPerSecond(output, "fdatasync")).contains(2242.85);
        assertThat(Bench.FsyncOutput.opsPerSecond(output, "fsync_writethrough")).isEmpty();
    }
}
