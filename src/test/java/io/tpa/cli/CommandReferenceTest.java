package io.tpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps {@code docs/reference/commands.md} in step with the commands. With {@code -Dtpa.updateDocs=true}
 * it rewrites the file instead of failing.
 */
class CommandReferenceTest {
    private static final Path REFERENCE = Path.of("docs/reference/commands.md");

    @Test
    void documentationMatchesTheCommands() throws IOException {
        String rendered = CommandReference.render();
        if (Boolean.getBoolean("tpa.updateDocs")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, rendered);
        }
        String written = Files.exists(REFERENCE) ? Files.readString(REFERENCE) : "";

        assertThat(written)
                .as(REFERENCE + " is out of date with the commands; regenerate it with " + CommandReference.REGENERATE_COMMAND)
                .isEqualTo(rendered);
    }

    @Test
    void documentsEveryVisibleCommandWithItsSynopsis() {
        String rendered = CommandReference.render();

        Main.commandLine().getSubcommands().values().stream()
                .map(CommandLine::getCommandSpec)
                .filter(spec -> !spec.usageMessage().hidden())
                .forEach(spec -> assertThat(rendered)
                        .contains("\n## `" + spec.qualifiedName() + "`\n", "](#" + CommandReference.anchor(spec) + ")",
                                "```\n" + spec.qualifiedName() + " "));
    }

    @Test
    void documentsArgumentsOptionsAndDefaults() {
        assertThat(CommandReference.render()).contains(
                "| `DIR` | The group directory (holds tpa.yml or tpa.json). |",
                "| `[PSQL_ARGS...]` |",
                "| `--replicas=<replicas>` | Replicas beside the primary (default: 2). |",
                "| `-q`, `--quiet` | Print only the outcome. |",
                "| `--debug` | Show stack traces of errors. Inherited by every command. |",
                "source <(tpa generate-completion)");
    }

    @Test
    void documentsNestedCommandsButNotTheirHelp() {
        CommandLine root = Main.commandLine();
        String rendered = CommandReference.render();

        root.getSubcommands().values().forEach(command -> command.getSubcommands().values().stream()
                .map(CommandLine::getCommandSpec)
                .filter(spec -> !spec.usageMessage().hidden())
                .forEach(spec -> {
                    if (spec.userObject() instanceof CommandLine.HelpCommand) {
                        assertThat(rendered).doesNotContain("\n## `" + spec.qualifiedName() + "`\n");
                    } else {
                        assertThat(rendered).contains("\n## `" + spec.qualifiedName() + "`\n");
                    }
                }));
    }

    @Test
    void hasNoRunsOfBlankLines() {
        assertThat(CommandReference.render()).doesNotContain("\n\n\n");
    }

    @Test
    void anchorsFollowGitHubHeadingIds() {
        CommandLine.Model.CommandSpec spec = Main.commandLine().getSubcommands().get("connect-string").getCommandSpec();

        assertThat(CommandReference.anchor(spec)).isEqualTo("tpa-connect-string");
    }

    @Test
    void renderingIsStable() {
        assertThat(CommandReference.render()).isEqualTo(CommandReference.render());
    }
}
