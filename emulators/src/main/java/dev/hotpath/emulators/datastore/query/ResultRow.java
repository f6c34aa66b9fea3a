package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Value;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.util.List;

/**
 * One result of a query before paging: the stored entity, its position (one sort value per
 * effective order, then the projected values, which separate the rows a projection on an array
 * property yields for one entity) and, for projections, the projected values in projection order.
 */
record ResultRow(VersionedEntity stored, List<Value> position, List<Value> projected) {}
