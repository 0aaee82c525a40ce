package io.tpa.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The group directory argument every group command takes. */
final class GroupArgument {
    @Parameters(index = "0", paramLabel = "DIR", description = "The group directory (holds tpa.yml or tpa.json).")
    Path directory;
}
