package io.tpa.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The permission bits and owner of a file on a host, as {@code stat} reports them.
 *
 * @param exists false when the file is not there (then mode is 0 and owner is empty)
 * @param mode   the permission bits, such as 0700
 */
public record FileStatus(String path, boolean exists, int mode, String owner) {

    /** The status of each path on a host, in the order asked; one command for all of them. */
    public static Map<String, FileStatus> of(Host host, List<String> paths) {
        Map<String, FileStatus> statuses = new LinkedHashMap<>();
        if (paths.isEmpty()) {
            return statuses;
        }
        List<String> argv = new ArrayList<>(List.of("stat", "-L", "-c", "%a %U %n", "--"));
        argv.addAll(paths);
        // stat exits 1 when a path is missing and still reports the others.
        CommandResult result = host.run(new Command(argv, null, Map.of(), null, Duration.ofSeconds(30)));
        Map<String, FileStatus> found = parse(result.stdout());
        for (String path : paths) {
            statuses.put(path, found.getOrDefault(path, new FileStatus(path, false, 0, "")));
        }
        return statuses;
    }

    /** Reads lines of {@code stat -c '%a %U %n'}. */
    static Map<String, FileStatus> parse(String output) {
        Map<String, FileStatus> statuses = new LinkedHashMap<>();
        output.lines().forEach(line -> {
            String[] fields = line.split(" ", 3);
            if (fields.length == 3 && fields[0].matches("[0-7]{1,4}")) {
                statuses.put(fields[2], new FileStatus(fields[2], true, Integer.parseInt(fields[0], 8), fields[1]));
            }
        });
        return statuses;
    }

    /** The mode as four octal digits, such as 0700. */
    public String modeText() {
        return String.format("%04o", mode);
    }

    /** True when any of these permission bits is set (for example 0022: writable by group or others). */
    public boolean allows(int bits) {
        return (mode & bits) != 0;
    }
}
