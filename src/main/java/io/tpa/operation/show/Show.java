package io.tpa.operation.show;

import io.tpa.model.GroupSpec;
import io.tpa.workspace.GroupDirectory;
import java.nio.file.Path;

/** The config with every default filled in. */
public final class Show {
    private Show() {
    }

    public static GroupSpec resolved(Path directory) {
        return new GroupDirectory(directory).desired().spec();
    }
}
