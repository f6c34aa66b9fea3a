package dev.hotpath.emulators.tasks.engine;

import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Checks a CreateTask request the way production does and turns it into the task to store: a
 * generated name when none was given, schedule time no earlier than now, the default 10-minute
 * dispatch deadline, POST as the default method. Every rejection names the offending field.
 */
public final class NewTaskValidator {
  static final int MAX_TASK_BYTES = 1 << 20;
  static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  static final Duration MAX_DEADLINE = Duration.ofMinutes(30);
  private static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(30);
  private static final int MAX_URL_LENGTH = 2083;
  private static final Set<HttpMethod> METHODS_WITH_BODY =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  private final SecureRandom random = new SecureRandom();
  private final Duration deadlineFloor;

  /**
   * @param deadlineFloor the shortest dispatch deadline accepted (production: 15 s)
   */
  public NewTaskValidator(Duration deadlineFloor) {
    this.deadlineFloor = deadlineFloor;
  }

  Task accept(String queueName, Task task, Instant now) {
    if (task.getSerializedSize() > MAX_TASK_BYTES) {
      throw invalid(
          "task is "
              + task.getSerializedSize()
              + " bytes; the maximum task size is 1 MiB (1048576 bytes)");
    }
    if (task.hasAppEngineHttpRequest()) {
      throw new EmulatorException(
          Code.UNIMPLEMENTED,
          "the Cloud Tasks emulator serves HTTP targets only; set http_request instead of app_engine_http_request");
    }
    if (!task.hasHttpRequest()) {
      throw invalid("task.http_request is required");
    }
    Task.Builder accepted =
        task.toBuilder()
            .setName(name(queueName, task.getName()))
            .setHttpRequest(httpRequest(task.getHttpRequest()))
            .setCreateTime(TaskRecord.timestamp(now))
            .setScheduleTime(TaskRecord.timestamp(scheduleTime(task, now)))
            .setDispatchDeadline(deadline(task))
            .clearDispatchCount()
            .clearResponseCount()
            .clearFirstAttempt()
            .clearLastAttempt();
    return accepted.build();
  }

  private String name(String queueName, String given) {
    if (given.isEmpty()) {
      return queueName + "/tasks/" + Long.toUnsignedString(random.nextLong());
    }
    String owner = ResourceNames.queueOfTask(given);
    if (!owner.equals(queueName)) {
      throw invalid("task name '" + given + "' does not belong to queue '" + queueName + "'");
    }
    return given;
  }

  private static HttpRequest httpRequest(HttpRequest http) {
    checkUrl(http.getUrl());
    if (http.getHttpMethod() == HttpMethod.UNRECOGNIZED) {
      throw invalid("http_request.http_method is not a known method");
    }
    HttpMethod method =
        http.getHttpMethod() == HttpMethod.HTTP_METHOD_UNSPECIFIED
            ? HttpMethod.POST
            : http.getHttpMethod();
    if (!http.getBody().isEmpty() && !METHODS_WITH_BODY.contains(method)) {
      throw invalid("http_request.body is allowed only with POST, PUT or PATCH, not " + method);
    }
    if (http.hasOauthToken()) {
      throw new EmulatorException(
          Code.UNIMPLEMENTED,
          "the Cloud Tasks emulator cannot mint Google OAuth access tokens; use oidc_token");
    }
    if (http.hasOidcToken() && http.getOidcToken().getServiceAccountEmail().isEmpty()) {
      throw invalid("http_request.oidc_token.service_account_email is required");
    }
    for (String header : http.getHeadersMap().keySet()) {
      if (header.isEmpty() || !header.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        throw invalid("http_request.headers has an invalid header name '" + header + "'");
      }
    }
    return http.toBuilder().setHttpMethod(method).build();
  }

  private static void checkUrl(String url) {
    if (url.isEmpty()) {
      throw invalid("http_request.url is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw invalid("http_request.url is longer than " + MAX_URL_LENGTH + " characters");
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw invalid("http_request.url '" + url + "' must start with http:// or https://");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw invalid("http_request.url '" + url + "' has no host");
      }
    } catch (URISyntaxException e) {
      throw invalid("http_request.url '" + url + "' is not a valid URL: " + e.getReason());
    }
  }

  private static Instant scheduleTime(Task task, Instant now) {
    if (!task.hasScheduleTime()) {
      return now;
    }
    if (!Timestamps.isValid(task.getScheduleTime())) {
      throw invalid("schedule_time is not a valid timestamp");
    }
    Instant requested = TaskRecord.instant(task.getScheduleTime());
    if (requested.isAfter(now.plus(MAX_SCHEDULE_AHEAD))) {
      throw invalid("schedule_time " + requested + " is more than 30 days in the future");
    }
    return requested.isBefore(now) ? now : requested;
  }

  private com.google.protobuf.Duration deadline(Task task) {
    if (!task.hasDispatchDeadline()) {
      return Durations.fromNanos(DEFAULT_DEADLINE.toNanos());
    }
    com.google.protobuf.Duration given = task.getDispatchDeadline();
    if (!Durations.isValid(given)) {
      throw invalid("dispatch_deadline is not a valid duration");
    }
    Duration deadline = Duration.ofSeconds(given.getSeconds(), given.getNanos());
    if (deadline.compareTo(deadlineFloor) < 0 || deadline.compareTo(MAX_DEADLINE) > 0) {
      throw invalid(
          "dispatch_deadline must be between "
              + Durations.toString(Durations.fromNanos(deadlineFloor.toNanos()))
              + " and 1800s for HTTP targets, got "
              + Durations.toString(given));
    }
    return given;
  }

  private static EmulatorException invalid(String message) {
    return EmulatorException.invalidArgument(message);
  }
}
