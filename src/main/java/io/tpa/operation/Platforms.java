package io.tpa.operation;

import io.tpa.error.UserError;
import io.tpa.host.LocalPlatform;
import io.tpa.host.Platform;

/** Chooses the platform a group names. */
public final class Platforms {
    private Platforms() {
    }

    public static Platform named(String name) {
        return switch (name) {
            case "local" -> new LocalPlatform(LocalPlatform.defaultHome());
            default -> throw new UserError("platform '" + name + "' is not available in this version of tpa; use platform: local");
        };
    }
}
