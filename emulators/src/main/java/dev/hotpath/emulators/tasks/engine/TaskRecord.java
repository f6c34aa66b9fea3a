package dev.hotpath.emulators.tasks.engine;

import com.google.cloud.tasks.v2.Attempt;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.Timestamp;
import dev.hotpath.emulators.tasks.dispatch.DispatchOutcome;
import dev.hotpath.emulators.tasks.dispatch.DispatchRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task's state in its queue: what was created, when it is due, and what its attempts did. Not
 * thread-safe; its {@link QueueRunner}'s lock guards it.
 */
final class TaskRecord {
  private final Task created;
  private final long sequence;
  private final Duration deadline;

  /**
   * The headers every attempt sends (the task's own plus production's fixed ones), worked out once.
   */
  private final Map<String, String> fixedHeaders;

  private final URI url;
  private Instant due;
  private int dispatchCount;
  private int responseCount;
  private int executionCount;
  private int previousResponse;
  private Instant firstAttemptTime;
  private Attempt firstAttempt;
  private Attempt lastAttempt;
  private boolean inFlight;
  private boolean deliveredTwice;

  /**
   * @param created the task as accepted, with name, schedule and create times and deadline set
   */
  TaskRecord(Task created, long sequence) {
    this.created = created;
    this.sequence = sequence;
    this.due = instant(created.getScheduleTime());
    this.deadline =
        Duration.ofSeconds(
            created.getDispatchDeadline().getSeconds(), created.getDispatchDeadline().getNanos());
    this.fixedHeaders = fixedHeaders(created);
    this.url = URI.create(created.getHttpRequest().getUrl());
  }

  private static Map<String, String> fixedHeaders(Task task) {
    Map<String, String> headers = new LinkedHashMap<>();
    HttpRequest http = task.getHttpRequest();
    if (!http.getBody().isEmpty()) {
      headers.put("Content-Type", "application/octet-stream");
    }
    http.getHeadersMap().forEach((name, value) -> headers.put(canonical(name), value));
    headers.put("User-Agent", "Google-Cloud-Tasks");
    headers.put(
        "X-CloudTasks-QueueName", ResourceNames.shortId(ResourceNames.queueOfTask(task.getName())));
    headers.put("X-CloudTasks-TaskName", ResourceNames.shortId(task.getName()));
    return Map.copyOf(headers);
  }

  String name() {
    return created.getName();
  }

  HttpRequest httpRequest() {
    return created.getHttpRequest();
  }

  long sequence() {
    return sequence;
  }

  Instant due() {
    return due;
  }

  /** Changes the due time; the caller takes it out of any set ordered by due time first. */
  void scheduleAt(Instant when) {
    due = when;
  }

  boolean inFlight() {
    return inFlight;
  }

  int dispatchCount() {
    return dispatchCount;
  }

  Instant firstAttemptTime() {
    return firstAttemptTime;
  }

  /** The at-least-once test switch: whether this task already got its extra delivery. */
  boolean deliveredTwice() {
    return deliveredTwice;
  }

  void markDeliveredTwice() {
    deliveredTwice = true;
  }

  /**
   * Starts an attempt now: counts it and returns the HTTP request with the headers production adds.
   * {@code authorization} is the {@code Authorization} value to send, or null.
   */
  DispatchRequest startAttempt(Instant now, String authorization) {
    Map<String, String> headers = new LinkedHashMap<>(fixedHeaders);
    headers.put("X-CloudTasks-TaskRetryCount", Integer.toString(dispatchCount));
    headers.put("X-CloudTasks-TaskExecutionCount", Integer.toString(executionCount));
    headers.put("X-CloudTasks-TaskETA", etaSeconds(due));
    if (previousResponse != 0) {
      headers.put("X-CloudTasks-TaskPreviousResponse", Integer.toString(previousResponse));
    }
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    Attempt attempt =
        Attempt.newBuilder()
            .setScheduleTime(timestamp(due))
            .setDispatchTime(timestamp(now))
            .build();
    if (firstAttempt == null) {
      firstAttempt = Attempt.newBuilder().setDispatchTime(timestamp(now)).build();
      firstAttemptTime = now;
    }
    lastAttempt = attempt;
    dispatchCount++;
    inFlight = true;
    HttpRequest http = created.getHttpRequest();
    return new DispatchRequest(
        url, http.getHttpMethod().name(), headers, http.getBody().toByteArray(), deadline);
  }

  /** Records how the current attempt ended. */
  void finishAttempt(DispatchOutcome outcome, Instant now) {
    inFlight = false;
    Attempt.Builder attempt = lastAttempt.toBuilder().setResponseStatus(outcome.status());
    if (outcome.responded()) {
      responseCount++;
      previousResponse = outcome.httpStatus();
      attempt.setResponseTime(timestamp(now));
    }
    if (outcome.countsAsExecution()) {
      executionCount++;
    }
    lastAttempt = attempt.build();
  }

  /** The task as Get/List/Create answer it; BASIC leaves out the body like production. */
  Task toProto(Task.View view) {
    Task.Builder task =
        created.toBuilder()
            .setScheduleTime(timestamp(due))
            .setDispatchCount(dispatchCount)
            .setResponseCount(responseCount)
            .setView(view);
    if (firstAttempt != null) {
      task.setFirstAttempt(firstAttempt);
    }
    if (lastAttempt != null) {
      task.setLastAttempt(lastAttempt);
    }
    if (view != Task.View.FULL) {
      task.getHttpRequestBuilder().clearBody();
    }
    return task.build();
  }

  /** Header names are case-insensitive; production shows them capitalised per word. */
  private static String canonical(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return out.toString();
  }

  /**
   * {@code X-CloudTasks-TaskETA}: seconds since the epoch with microseconds, e.g. {@code
   * 1700000000.123456}.
   */
  private static String etaSeconds(Instant eta) {
    String micros = Integer.toString(eta.getNano() / 1000);
    return eta.getEpochSecond() + "." + "0".repeat(6 - micros.length()) + micros;
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
