package dev.hotpath.emulators.tasks.grpc;

import dev.hotpath.emulators.EmulatorException;
import java.util.List;

/**
 * One page of a List answer. The page token is the offset of the next item, which is enough for an
 * emulator whose lists are snapshots sorted the same way each time.
 */
record Page<T>(List<T> items, String nextToken) {
  private static final int MAX_PAGE_SIZE = 1000;

  static <T> Page<T> of(List<T> all, int pageSize, String pageToken) {
    if (pageSize < 0) {
      throw EmulatorException.invalidArgument("page_size must not be negative, got " + pageSize);
    }
    int size = pageSize == 0 || pageSize > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : pageSize;
    int start;
    try {
      start = pageToken.isEmpty() ? 0 : Integer.parseInt(pageToken);
    } catch (NumberFormatException e) {
      throw EmulatorException.invalidArgument(
          "page_token '" + pageToken + "' was not issued by this emulator");
    }
    if (start < 0 || start > all.size()) {
      throw EmulatorException.invalidArgument("page_token '" + pageToken + "' is out of range");
    }
    int end = Math.min(all.size(), start + size);
    return new Page<>(
        List.copyOf(all.subList(start, end)), end < all.size() ? Integer.toString(end) : "");
  }
}
