package dev.hotpath.shared.groups;

import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.Names;

/**
 * The group and kind of a Write API entity, both checked against {@link Names}' rule when made, and
 * the kind not one of hotpath's own. Whether the kind is allow-listed is a service's configuration:
 * {@link GroupService#target}.
 */
public record GroupTarget(String group, String kind) {
  public GroupTarget {
    Names.check("group name", group);
    Names.check("kind", kind);
    if (InternalKinds.isInternal(kind)) {
      throw new InvalidInputException("kind '" + kind + "' is reserved for hotpath's own data");
    }
  }
}
