package dev.hotpath.emulators.tasks.grpc;

import static dev.hotpath.emulators.grpc.UnaryAnswer.answer;

import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.CreateQueueRequest;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.DeleteQueueRequest;
import com.google.cloud.tasks.v2.DeleteTaskRequest;
import com.google.cloud.tasks.v2.GetQueueRequest;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.ListQueuesResponse;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.ListTasksResponse;
import com.google.cloud.tasks.v2.PauseQueueRequest;
import com.google.cloud.tasks.v2.PurgeQueueRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.ResumeQueueRequest;
import com.google.cloud.tasks.v2.RunTaskRequest;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.protobuf.Empty;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.tasks.engine.TasksEngine;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * The gRPC edge of the emulator: unpacks each {@code google.cloud.tasks.v2.CloudTasks} request,
 * calls the {@link TasksEngine}, and maps its {@link EmulatorException}s to gRPC statuses. IAM
 * methods keep the base class's UNIMPLEMENTED answer.
 */
public final class CloudTasksService extends CloudTasksGrpc.CloudTasksImplBase {

  private final TasksEngine engine;

  public CloudTasksService(TasksEngine engine) {
    this.engine = engine;
  }

  @Override
  public void listQueues(ListQueuesRequest request, StreamObserver<ListQueuesResponse> response) {
    answer(
        response,
        () -> {
          Page<Queue> page =
              Page.of(
                  engine.listQueues(request.getParent(), request.getFilter()),
                  request.getPageSize(),
                  request.getPageToken());
          return ListQueuesResponse.newBuilder()
              .addAllQueues(page.items())
              .setNextPageToken(page.nextToken())
              .build();
        });
  }

  @Override
  public void getQueue(GetQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> engine.getQueue(request.getName()));
  }

  @Override
  public void createQueue(CreateQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> engine.createQueue(request.getParent(), request.getQueue()));
  }

  @Override
  public void updateQueue(UpdateQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> engine.updateQueue(request.getQueue(), request.getUpdateMask()));
  }

  @Override
  public void deleteQueue(DeleteQueueRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          engine.deleteQueue(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void purgeQueue(PurgeQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> engine.purgeQueue(request.getName()));
  }

  @Override
  public void pauseQueue(PauseQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> engine.pauseQueue(request.getName()));
  }

  @Override
  public void resumeQueue(ResumeQueueRequest request, StreamObserver<Queue> response) {
    answer(response, () -> engine.resumeQueue(request.getName()));
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> response) {
    answer(
        response,
        () -> {
          List<Task> all = engine.listTasks(request.getParent(), viewOf(request.getResponseView()));
          Page<Task> page = Page.of(all, request.getPageSize(), request.getPageToken());
          return ListTasksResponse.newBuilder()
              .addAllTasks(page.items())
              .setNextPageToken(page.nextToken())
              .build();
        });
  }

  @Override
  public void getTask(GetTaskRequest request, StreamObserver<Task> response) {
    answer(response, () -> engine.getTask(request.getName(), viewOf(request.getResponseView())));
  }

  @Override
  public void createTask(CreateTaskRequest request, StreamObserver<Task> response) {
    answer(
        response,
        () ->
            engine.createTask(
                request.getParent(), request.getTask(), viewOf(request.getResponseView())));
  }

  @Override
  public void deleteTask(DeleteTaskRequest request, StreamObserver<Empty> response) {
    answer(
        response,
        () -> {
          engine.deleteTask(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void runTask(RunTaskRequest request, StreamObserver<Task> response) {
    answer(response, () -> engine.runTask(request.getName(), viewOf(request.getResponseView())));
  }

  private static Task.View viewOf(Task.View requested) {
    return requested == Task.View.FULL ? Task.View.FULL : Task.View.BASIC;
  }
}
