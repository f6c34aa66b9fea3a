package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Entity;
import com.google.protobuf.Timestamp;

/** An entity as stored: its content plus the version and times Datastore reports with it. */
public record VersionedEntity(
    Entity entity, long version, Timestamp createTime, Timestamp updateTime) {}
