package dev.hotpath.shared.groups;

import java.util.List;
import java.util.Optional;

/** One page of a group listing, newest first, and the token of the next page if there is one. */
public record GroupPage(List<StoredEntity> entities, Optional<String> nextPageToken) {}
