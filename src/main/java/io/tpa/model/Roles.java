package io.tpa.model;

import java.util.List;

/** The database roles tpa creates in every group, and for which it keeps generated passwords. */
public final class Roles {
    /** The superuser: Patroni and tpa administer PostgreSQL as it. */
    public static final String SUPERUSER = "postgres";
    /** Streaming replication between nodes: LOGIN REPLICATION, nothing else. */
    public static final String REPLICATION = "replicator";
    /** pg_rewind after a failover: LOGIN and EXECUTE on the four functions in {@link #REWIND_FUNCTIONS}, nothing else. */
    public static final String REWIND = "rewinder";
    /** Monitoring agents: LOGIN and member of pg_monitor, nothing else. */
    public static final String MONITOR = "tpa_monitor";
    /** Applications: LOGIN, owner of {@link #APPLICATION_DATABASE}, no other privilege. */
    public static final String APPLICATION = "app";
    /** The database the application role owns and connects to. */
    public static final String APPLICATION_DATABASE = "app";

    /** The roles Patroni creates when it bootstraps a cluster (from postgresql.authentication). */
    public static final List<String> PATRONI = List.of(SUPERUSER, REPLICATION, REWIND);
    /** Every role tpa keeps a password for. */
    public static final List<String> ALL = List.of(SUPERUSER, REPLICATION, REWIND, MONITOR, APPLICATION);

    /** What Patroni grants the rewind role (Patroni 3.0, PostgreSQL 11 and later), as regprocedure prints them. */
    public static final List<String> REWIND_FUNCTIONS = List.of("pg_ls_dir(text,boolean,boolean)", "pg_stat_file(text,boolean)",
            "pg_read_binary_file(text)", "pg_read_binary_file(text,bigint,bigint,boolean)");

    private Roles() {
    }
}
