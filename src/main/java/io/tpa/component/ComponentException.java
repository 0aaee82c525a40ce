package io.tpa.component;

/** A component did not answer, or answered something tpa cannot use. */
public class ComponentException extends RuntimeException {
    public ComponentException(String message) {
        super(message);
    }
}
