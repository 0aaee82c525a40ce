package io.tpa.operation.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How amounts are rounded and written: every line to the cent, half up; totals add the rounded lines. */
public final class Amounts {
    /** Cents. */
    public static final int SCALE = 2;

    private Amounts() {
    }

    /** The amount a line shows. */
    public static BigDecimal line(BigDecimal raw) {
        return raw.setScale(SCALE, RoundingMode.HALF_UP);
    }

    /** A rate as written, without trailing zeros or an exponent: 0.096, 20, 0.0104. */
    public static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    /** A difference with its sign: +12.40, -3.00, 0.00. */
    public static String signed(BigDecimal value) {
        return value.signum() > 0 ? "+" + value.toPlainString() : value.toPlainString();
    }
}
