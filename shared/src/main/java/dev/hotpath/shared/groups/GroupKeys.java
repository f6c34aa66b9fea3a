package dev.hotpath.shared.groups;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import dev.hotpath.shared.sharding.ShardKeys;
import dev.hotpath.shared.validation.InternalKinds;

/**
 * The keys of a group's shard parents. Each shard is its own entity group (the parent entity itself
 * is never written); entities appended to the group live under one of them.
 */
final class GroupKeys {
  private final KeyFactory parents;

  GroupKeys(Datastore datastore) {
    this.parents = datastore.newKeyFactory().setKind(InternalKinds.GROUP_SHARD);
  }

  Key shardParent(String group, int shard) {
    return parents.newKey(ShardKeys.name(group, shard));
  }
}
