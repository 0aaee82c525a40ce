package io.tpa.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {
    private final Catalog catalog = Catalog.load();

    @Test
    void fillsInEveryDefault() {
        GroupSpec spec = new GroupSpec("demo", null, null, null,
                List.of(new ClusterSpec("main", null, List.of(new NodeSpec("pg1", null)))));

        GroupSpec resolved = Defaults.resolve(spec, catalog);

        SizeSpec small = new SizeSpec("small", 1, 2.0, 20);
        assertThat(resolved.platform()).isEqualTo("local");
        assertThat(resolved.postgres()).isEqualTo(new PostgresSpec(null, List.of(), Map.of(), LoggingSpec.DEFAULT)); // the hosts' release decides
        assertThat(resolved.defaults().size()).isEqualTo(small);
        assertThat(resolved.primaryCluster().location()).isEqualTo("main");
        assertThat(resolved.allNodes()).containsExactly(new NodeSpec("pg1", small));
    }

    @Test
    void keepsWhatTheUserWrote() {
        GroupSpec spec = new GroupSpec("demo", "ssh",
                new PostgresSpec(15, List.of("pgaudit"), Map.of("work_mem", "64MB"), new LoggingSpec(0, null)), null,
                List.of(new ClusterSpec("main", "dc1", List.of(new NodeSpec("pg1", null)))));

        GroupSpec resolved = Defaults.resolve(spec, catalog);

        assertThat(resolved.platform()).isEqualTo("ssh");
        assertThat(resolved.postgres()).isEqualTo(new PostgresSpec(15, List.of("pgaudit"), Map.of("work_mem", "64MB"),
                new LoggingSpec(0, LoggingSpec.KEEP_DAYS)));
        assertThat(resolved.primaryCluster().location()).isEqualTo("dc1");
    }

    @Test
    void resolvesNamedAndExplicitSizes() {
        GroupSpec spec = new GroupSpec("demo", null, null, new DefaultsSpec(SizeSpec.named("medium")),
                List.of(new ClusterSpec("main", null, List.of(
                        new NodeSpec("pg1", null),
                        new NodeSpec("pg2", SizeSpec.named("large")),
                        new NodeSpec("pg3", SizeSpec.explicit("custom", 3, 6.0, 30))))));

        GroupSpec resolved = Defaults.resolve(spec, catalog);

        assertThat(resolved.defaults().size()).isEqualTo(new SizeSpec("medium", 2, 8.0, 100));
        assertThat(resolved.allNodes()).extracting(NodeSpec::size).containsExactly(
                new SizeSpec("medium", 2, 8.0, 100),
                new SizeSpec("large", 4, 16.0, 250),
                new SizeSpec(null, 3, 6.0, 30));
        assertThat(resolved.allNodes()).allMatch(node -> node.size().isResolved());
    }

    @Test
    void explicitDefaultSizeAppliesToNodesWithoutTheirOwn() {
        GroupSpec spec = new GroupSpec("demo", null, null, new DefaultsSpec(SizeSpec.explicit(null, 2, 4.0, 40)),
                List.of(new ClusterSpec("main", null, List.of(new NodeSpec("pg1", null))),
                        new ClusterSpec("dr", "dc2", List.of(new NodeSpec("pg2", SizeSpec.named("micro"))))));

        GroupSpec resolved = Defaults.resolve(spec, catalog);

        assertThat(resolved.allNodes()).extracting(NodeSpec::size)
                .containsExactly(new SizeSpec(null, 2, 4.0, 40), new SizeSpec("micro", 1, 1.0, 10));
        assertThat(resolved.clusters()).extracting(ClusterSpec::location).containsExactly("main", "dc2");
    }

    @Test
    void agreesWithTheDefaultsOfTheSchema() {
        GroupSpec resolved = Defaults.resolve(new GroupSpec("demo", null, null, null, List.of()), catalog);

        assertThat(resolved.platform()).isEqualTo(schemaDefault("/properties/platform"));
        // The PostgreSQL major is left to the hosts' release (the Resolver), as the schema says: no default there.
        assertThat(resolved.postgres().version()).isNull();
        assertThat(ConfigReference.schema().at("/properties/postgres/properties/version/default").isMissingNode()).isTrue();
        assertThat(resolved.defaults().size().name()).isEqualTo(schemaDefault("/properties/defaults/properties/size"));
    }

    private static String schemaDefault(String property) {
        return ConfigReference.schema().at(property + "/default").asText();
    }
}
