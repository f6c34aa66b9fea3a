package dev.hotpath.shared.groups;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.Key;

/** A group entity as stored: its complete key, creation time and properties. */
public record StoredEntity(Key key, Timestamp created, FullEntity<?> entity) {}
