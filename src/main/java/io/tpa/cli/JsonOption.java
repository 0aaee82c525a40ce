package io.tpa.cli;

import picocli.CommandLine.Option;

/** The `--json` option every reporting command shares. */
final class JsonOption {
    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;
}
