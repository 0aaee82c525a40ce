package io.tpa.operation.audit;

/**
 * What a check found on one node.
 *
 * @param evidence what the check saw: the actual value, the offending line with its file and line number
 */
public record Finding(Result result, String evidence) {
    public static Finding pass(String evidence) {
        return new Finding(Result.PASS, evidence);
    }

    public static Finding fail(String evidence) {
        return new Finding(Result.FAIL, evidence);
    }

    public static Finding manual(String evidence) {
        return new Finding(Result.MANUAL, evidence);
    }

    public static Finding notApplicable(String evidence) {
        return new Finding(Result.NOT_APPLICABLE, evidence);
    }

    /** Passes when {@code ok}, else fails, with the same evidence. */
    public static Finding passIf(boolean ok, String evidence) {
        return new Finding(ok ? Result.PASS : Result.FAIL, evidence);
    }
}
