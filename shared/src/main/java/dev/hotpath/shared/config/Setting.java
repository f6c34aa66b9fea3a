package dev.hotpath.shared.config;

/**
 * One environment variable the code reads: its name, the value used when it is unset (empty means
 * "none"), and what it controls. Every setting is declared in {@link Settings#ALL}.
 */
public record Setting(String name, String defaultValue, String description) {}
