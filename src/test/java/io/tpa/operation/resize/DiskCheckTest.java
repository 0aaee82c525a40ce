package io.tpa.operation.resize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tpa.error.UserError;
import io.tpa.host.Command;
import io.tpa.host.CommandResult;
import io.tpa.host.ScriptedHost;
import io.tpa.model.Catalog;
import io.tpa.model.DeployedCluster;
import io.tpa.model.DeployedNode;
import io.tpa.model.Deployment;
import io.tpa.model.SizeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The disk check of a resize: on the local platform, the room the data really needs, with the nominal size in a note;
 * on real servers, each server's free space against the growth of its nodes. The disk figures come from a host that
 * answers df and du as this machine's would.
 */
class DiskCheckTest {
    private static final long GB = 1024L * 1024 * 1024;
    private static final String BASE = "/var/lib/tpa/groups/demo-2299ba";
    private final Catalog catalog = Catalog.load();
    private final SizeSpec small = catalog.sizes().get("small");
    private final SizeSpec medium = catalog.sizes().get("medium");

    @Test
    void aLocalDemoGrowsToMediumOnAMachineWithLessFreeThanTheNominalDisk() {
        DiskHost machine = new DiskHost("localhost", 78 * GB + GB / 3, 150L * 1024 * 1024);
        Deployment demo = deployment("local", "127.20.0.4", "127.20.0.5", "127.20.0.6");

        Optional<String> note = DiskCheck.check(demo, demo.nodes(), "medium", medium, address -> machine);

        assertThat(note).hasValue("on the local platform every node shares this machine's disk, so medium's 100 GB of disk per node "
                + "(300 GB for the 3 nodes resized) is nominal; checked instead that the group's data uses 0.1 GB under " + BASE
                + " and has room for it to double, and at least 1 GB per node resized: 3.0 GB needed, 78 GB free");
        assertThat(machine.commands).containsExactly("du -s -x -B1 " + BASE, "df -P -B1 " + BASE);
    }

    @Test
    void aLocalGroupWhoseDataCannotDoubleIsRefusedWithTheFigures() {
        DiskHost machine = new DiskHost("localhost", 30 * GB, 40 * GB);
        Deployment demo = deployment("local", "127.20.0.4", "127.20.0.5", "127.20.0.6");

        assertThatThrownBy(() -> DiskCheck.check(demo, demo.nodes(), "medium", medium, address -> machine))
                .isInstanceOf(UserError.class)
                .hasMessage("--size medium: on the local platform every node shares this machine's disk; the group's data uses 40 GB under "
                        + BASE + ", and a resize needs room for it to double, and at least 1 GB per node resized: 40 GB, but only 30 GB "
                        + "are free there; free space first")
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(UserError.FAILED));
    }

    @Test
    void aLocalGroupGetsAtLeastOneGigabytePerNodeResized() {
        DiskHost machine = new DiskHost("localhost", 2 * GB, 100L * 1024 * 1024);
        Deployment demo = deployment("local", "127.20.0.4", "127.20.0.5", "127.20.0.6");

        assertThat(DiskCheck.check(demo, demo.nodes().subList(0, 1), "medium", medium, address -> machine)).isPresent();
        assertThatThrownBy(() -> DiskCheck.check(demo, demo.nodes(), "medium", medium, address -> machine))
                .hasMessageContaining("3.0 GB, but only 2.0 GB are free there");
    }

    @Test
    void aResizeThatGrowsNoDiskChecksNothing() {
        DiskHost machine = new DiskHost("localhost", 0, 0);
        Deployment demo = deployment("local", "127.20.0.4", "127.20.0.5", "127.20.0.6");

        assertThat(DiskCheck.check(demo, demo.nodes(), "micro", catalog.sizes().get("micro"), address -> machine)).isEmpty();
        assertThat(DiskCheck.check(demo, demo.nodes(), "small", small, address -> machine)).isEmpty();
        assertThat(machine.commands).isEmpty();
    }

    @Test
    void onRealServersEachServerMustHaveItsNodesGrowthFreeWhateverTheDataUses() {
        DiskHost roomy = new DiskHost("10.0.0.1", 500 * GB, GB);
        DiskHost tight = new DiskHost("10.0.0.2", 78 * GB, GB);
        Deployment sales = deployment("ssh", "10.0.0.1", "10.0.0.2");

        assertThatThrownBy(() -> DiskCheck.check(sales, sales.nodes(), "medium", medium,
                address -> address.equals("10.0.0.1") ? roomy : tight))
                .isInstanceOf(UserError.class)
                .hasMessage("--size medium (100 GB of disk per node) does not fit: pg2 on 10.0.0.2 needs 80 GB more but 78 GB are free under "
                        + BASE + "; grow the servers' disks first or choose a smaller size");
        assertThat(roomy.commands).containsExactly("df -P -B1 " + BASE);
        assertThat(tight.commands).as("the data's size does not matter on a real server").containsExactly("df -P -B1 " + BASE);

        assertThat(DiskCheck.check(sales, sales.nodes().subList(0, 1), "medium", medium, address -> roomy))
                .as("no note when the servers have the room").isEmpty();
    }

    @Test
    void aDfThatPrintsNoFigureIsAnErrorNamingTheHost() {
        DiskHost broken = new DiskHost("10.0.0.2", 0, 0) {
            @Override
            public CommandResult run(Command command) {
                return new CommandResult(1, "", "df: /var/lib/tpa/groups/demo-2299ba: No such file or directory");
            }
        };
        Deployment sales = deployment("ssh", "10.0.0.2");

        assertThatThrownBy(() -> DiskCheck.check(sales, sales.nodes(), "medium", medium, address -> broken))
                .hasMessage("10.0.0.2: cannot check free disk space under " + BASE + ": `df -P -B1 " + BASE
                        + "` failed: df: /var/lib/tpa/groups/demo-2299ba: No such file or directory");
    }

    @Test
    void figuresReadAsPeopleDo() {
        assertThat(DiskCheck.gigabytes(GB / 3)).isEqualTo("0.3 GB");
        assertThat(DiskCheck.gigabytes(9 * GB)).isEqualTo("9.0 GB");
        assertThat(DiskCheck.gigabytes(78 * GB + GB / 2)).isEqualTo("78 GB");
    }

    private Deployment deployment(String platform, String... addresses) {
        List<DeployedNode> nodes = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            nodes.add(new DeployedNode("pg" + (i + 1), "main", addresses[i], small, false, Map.of(), true, null));
        }
        return new Deployment(Deployment.FORMAT_VERSION, "demo", "demo-2299ba", platform, BASE,
                new Deployment.Postgres(15, List.of(), null), new Deployment.Patroni(null, false),
                null, null, List.of(new DeployedCluster("main", null, true, "main", "pg1", Map.of(), nodes)));
    }

    /** A host whose filesystem has this much free and whose group directory uses this much, as df and du print them. */
    private static class DiskHost extends ScriptedHost {
        private final long free;
        private final long used;
        final List<String> commands = new ArrayList<>();

        DiskHost(String name, long free, long used) {
            super(name);
            this.free = free;
            this.used = used;
        }

        @Override
        public CommandResult run(Command command) {
            commands.add(command.display());
            String path = command.argv().get(command.argv().size() - 1);
            return switch (command.argv().get(0)) {
                case "df" -> new CommandResult(0, "Filesystem        1-blocks        Used    Available Capacity Mounted on\n"
                        + "/dev/vda   270582939648 25769803776 " + free + "      24% /\n", "");
                case "du" -> new CommandResult(0, used + "\t" + path + "\n", "");
                default -> new CommandResult(127, "", command.argv().get(0) + ": not found");
            };
        }

        @Override
        public boolean exists(String path) {
            return true;
        }
    }
}
