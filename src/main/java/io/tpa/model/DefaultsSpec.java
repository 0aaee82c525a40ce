package io.tpa.model;

/** Values every node inherits unless it says otherwise. */
public record DefaultsSpec(SizeSpec size) {
}
