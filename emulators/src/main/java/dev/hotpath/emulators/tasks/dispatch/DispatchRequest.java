package dev.hotpath.emulators.tasks.dispatch;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP attempt of a task, fully resolved: where, how, with which headers and body, how long to
 * wait.
 */
public record DispatchRequest(
    URI url, String method, Map<String, String> headers, byte[] body, Duration deadline) {}
