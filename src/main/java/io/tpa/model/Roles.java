package io.tpa.model;

import java.util.List;

/** The database roles tpa creates in every group, and for which it keeps generated passwords. */
public final class Roles {
    public static final String SUPERUSER = "postgres";
    public static final String REPLICATION = "replicator";
    public static final String REWIND = "rewinder";

    public static final List<String> ALL = List.of(SUPERUSER, REPLICATION, REWIND);

    private Roles() {
    }
}
