package dev.hotpath.shared.groups;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Value;
import java.util.Map;

/** An entity waiting to be appended to a group: kind, checked properties, and its creation time. */
record NewEntity(String kind, Map<String, Value<?>> properties, Timestamp created) {}
